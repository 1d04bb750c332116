"""Embedders for tests: a hashing stand-in for the model, and a counter wrapped around any embedder."""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.embed import Embedder

HASH_DIM = 64  # the stand-in's default vector size


class HashEmbedder:
    """Character bigrams hashed into a vector: deterministic, instant, and similar texts get similar vectors.

    ``dim`` may be set to a real index's dimension to run a loaded engine without the model.
    """

    def __init__(self, name: str = "test/hash-bigram-64", dim: int = HASH_DIM) -> None:
        self.name = name
        self.dim = dim

    def _vectors(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for a, b in itertools.pairwise(text):
                out[row, zlib.crc32(f"{a}{b}".encode()) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._vectors(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._vectors(texts)


@dataclass
class CountingEmbedder:
    """Wraps an embedder and counts what reaches it: to prove work is cached, skipped or not repeated."""

    inner: Embedder
    query_texts: int = 0
    passage_calls: int = 0
    passage_texts: int = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.query_texts += len(texts)
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passage_calls += 1
        self.passage_texts += len(texts)
        return self.inner.embed_passages(texts)
