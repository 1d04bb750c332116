"""Hybrid sentence search: BM25 over jieba tokens + dense e5 vectors, fused by reciprocal rank.

BM25 catches exact indicator names and abbreviations expanded by the lexicon;
dense vectors catch paraphrases. Neither score decides refusals (see resolve):
retrieval only proposes candidates.

Dense search reads the index's own sentence matrix: exact search (``faiss.knn``) needs no second copy of
the vectors, which at 1,000 reports saved 141 MB of the serving process. A question that names a city is
searched within that city's reports only, exactly, which costs microseconds instead of a scan of every
report. Above :data:`EXACT_SEARCH_MAX` vectors an HNSW graph over 8-bit codes answers the unscoped
questions.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import itertools
import logging
import os
from dataclasses import dataclass

import bm25s
import faiss
import numpy as np

from bot import stages
from bot.index import Index
from bot.lexicon import tokenize
from bot.resolve import breakdown_whole

RRF_K = 60  # reciprocal-rank-fusion constant (Cormack et al.); larger = flatter fusion
# at 12, 宜兴市682家 of a long list of districts ranked 16th, behind sentences saying 高新技术企业 in full
CANDIDATES = 20  # sentences proposed to the resolver, per report in a question's scope …
MAX_CANDIDATES = 96  # … up to this many: a city's six yearly reports repeat each sentence with other numbers
DENSE_DEPTH = 50  # neighbours read from each of BM25 and the vectors before fusion
EXACT_SEARCH_MAX = 200_000  # sentence vectors up to which dense search is exact; an HNSW graph above
HNSW_NEIGHBOURS = 32  # HNSW graph degree (M)
HNSW_EF_SEARCH = 128  # HNSW search breadth; higher = better recall, slower
HNSW_CODE = faiss.ScalarQuantizer.QT_8bit  # HNSW vectors as 8-bit codes: a quarter of float32's memory
# A scope (the reports of a named city) holding more than this share of all rows is scored with one
# product over the whole matrix instead of gathering its rows first (a gather copies them).
SCOPE_GATHER_MAX_SHARE = 0.25
OMP_ENV = "OMP_NUM_THREADS"

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG


@dataclass(frozen=True)
class Hit:
    row: int  # sentence row in the index
    fused: float  # RRF score, higher = better (0 < fused ≤ 2 / (RRF_K + 1))
    bm25: float  # raw BM25 score, ≥ 0, higher = better
    cosine: float  # e5 cosine similarity, −1…1, higher = more similar


def single_thread_faiss() -> None:
    """One FAISS OpenMP thread when the process runs with one (``OMP_NUM_THREADS=1``, as ``python -m bot``).

    libgomp reads the variable once, when it is first loaded; a program that sets it later (or a FAISS
    wheel bundling its own libgomp) would otherwise search with a thread per core and spin-wait.
    """
    if os.environ.get(OMP_ENV, "").strip() == "1":
        faiss.omp_set_num_threads(1)


def release_freed_heap() -> None:
    """Hand the heap that loading freed back to the OS (glibc ``malloc_trim``; a no-op elsewhere).

    Loading parses one JSON file and one vector archive per report and stacks the arrays; glibc keeps
    the freed pages mapped, which at 1,000 reports was 289 MB of the process's RSS.
    """
    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS)
        return
    trim.argtypes = [ctypes.c_size_t]
    trim(0)


def top_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` highest ``scores``, best first; equal scores in index order (deterministic).

    Linear in ``len(scores)`` (a partition, then a sort of the ``k`` best and their ties), where a full
    argsort of 96,000 BM25 scores took milliseconds.
    """
    n = len(scores)
    k = min(k, n)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k < n:
        kth = scores[np.argpartition(-scores, k - 1)[:k]].min()
        candidates = np.flatnonzero(scores >= kth)
    else:
        candidates = np.arange(n)
    return candidates[np.argsort(-scores[candidates], kind="stable")[:k]]


def candidate_count(docs: frozenset[str] | None) -> int:
    """Sentences proposed for a question scoped to the reports ``docs`` (a city's, a title's).

    Words alone cannot tell a city's 2019 report's sentence from its 2024 one's (the same words, other
    numbers), so a scope of several reports gets candidates for each; the resolver then picks by year.
    """
    if docs is None or len(docs) <= 1:
        return CANDIDATES
    return min(CANDIDATES * len(docs), MAX_CANDIDATES)


def approximate_index(vectors: np.ndarray) -> faiss.Index:
    """HNSW over 8-bit scalar-quantized vectors, for corpora too large to scan per question."""
    index = faiss.IndexHNSWSQ(vectors.shape[1], HNSW_CODE, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
    data = np.ascontiguousarray(vectors, dtype=np.float32)
    index.train(data)
    index.add(data)
    index.hnsw.efSearch = HNSW_EF_SEARCH
    return index


class Retriever:
    """Proposes candidate sentences and scores figure clauses for one loaded index."""

    def __init__(self, index: Index) -> None:
        single_thread_faiss()
        self.index = index
        self.bm25 = bm25s.BM25()
        corpus_tokens = [tokens or ["∅"] for tokens in index.sentence_tokens]  # tokenized once, at load
        for row, sentence in enumerate(index.sentences):
            # "从区域分布看，宜昌高新区318家、…，合计1,326家" breaks down the 高企 stated before: found by its words
            whole = breakdown_whole(index, sentence)
            if whole:
                corpus_tokens[row] = [*corpus_tokens[row], *tokenize(whole)]
        self.bm25.index(corpus_tokens, show_progress=False)
        doc_ids = [s.doc_id for s in index.sentences]
        self._doc_code = {doc: code for code, doc in enumerate(dict.fromkeys(doc_ids))}
        row_doc = np.fromiter((self._doc_code[d] for d in doc_ids), dtype=np.int32, count=len(doc_ids))
        order = np.argsort(row_doc, kind="stable")
        bounds = np.searchsorted(row_doc[order], np.arange(len(self._doc_code) + 1))
        self._doc_rows = [order[a:b] for a, b in itertools.pairwise(bounds.tolist())]  # ascending rows
        vectors = index.sentence_vectors
        self._ann = approximate_index(vectors) if len(vectors) > EXACT_SEARCH_MAX else None
        release_freed_heap()

    def search(
        self,
        query_vector: np.ndarray | None,
        query_tokens: list[str],
        k: int | None = None,
        docs: frozenset[str] | None = None,
        context_tokens: list[str] | None = None,
    ) -> list[Hit]:
        """Best ``k`` sentences (default :func:`candidate_count`), optionally only from the reports ``docs``.

        Without a query vector (the engine's lexical pass) BM25 over ``context_tokens`` — the whole
        question's words when ``query_tokens`` are one operand's — takes the vector's place in the fusion:
        it keeps 科小 of "衍生孵化企业中高企和科小" near the sentence about 衍生孵化企业, as the question's
        vector does.
        """
        k = candidate_count(docs) if k is None else k
        with stages.timed(stages.SEARCH):
            vector = None if query_vector is None else np.asarray(query_vector, dtype=np.float32)
            context = context_tokens if vector is None and context_tokens != query_tokens else None
            return self._search(vector, query_tokens, k, docs, context)

    def _search(
        self,
        query_vector: np.ndarray | None,
        query_tokens: list[str],
        k: int,
        docs: frozenset[str] | None,
        context_tokens: list[str] | None = None,
    ) -> list[Hit]:
        n = len(self.index.sentences)
        if n == 0:
            return []
        scope = self._scope(docs)
        depth = min(DENSE_DEPTH, n if scope is None else len(scope))
        bm25_scores = self.bm25.get_scores(query_tokens) if query_tokens else np.zeros(n, dtype=np.float32)
        lexical = self._lexical(bm25_scores, scope, depth)
        if query_vector is not None:
            dense_rows, dense_cos = self._dense(query_vector, scope, depth)
            second = dense_rows
        else:
            dense_rows, dense_cos = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
            second = self._lexical(self.bm25.get_scores(context_tokens), scope, depth) if context_tokens else dense_rows

        cosine = dict(zip(dense_rows.tolist(), dense_cos.tolist(), strict=True))
        fused: dict[int, float] = {}
        for ranking in (second, lexical):
            for rank, row in enumerate(ranking.tolist()):
                fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
        # equal fused scores (one list's rank r + the other's r + 1, swapped): more of the question's words first
        best = sorted(fused, key=lambda r: (-fused[r], -float(bm25_scores[r]), r))[:k]
        return [
            Hit(
                row=row,
                fused=fused[row],
                bm25=float(bm25_scores[row]),
                cosine=cosine.get(row, self._cosine(row, query_vector)),
            )
            for row in best
        ]

    def _cosine(self, row: int, query_vector: np.ndarray | None) -> float:
        return 0.0 if query_vector is None else float(self.index.sentence_vectors[row] @ query_vector)

    def _scope(self, docs: frozenset[str] | None) -> np.ndarray | None:
        """Ascending sentence rows of the reports ``docs`` (None = every row)."""
        if docs is None:
            return None
        blocks = [self._doc_rows[self._doc_code[d]] for d in docs if d in self._doc_code]
        return np.sort(np.concatenate(blocks)) if blocks else np.zeros(0, dtype=np.int64)

    def _dense(self, query: np.ndarray, scope: np.ndarray | None, depth: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``depth`` nearest sentence rows (best first) and their cosines, within ``scope``."""
        if depth <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        vectors = self.index.sentence_vectors
        if scope is None:
            if self._ann is not None:
                cos, rows = self._ann.search(query.reshape(1, -1), depth)
            else:
                cos, rows = faiss.knn(query.reshape(1, -1), vectors, depth, faiss.METRIC_INNER_PRODUCT)
            found = rows[0] >= 0
            rows, cos = rows[0][found], cos[0][found]
            order = np.lexsort((rows, -cos))  # best first, equal cosines in row order as below
            return rows[order], cos[order]
        if len(scope) > SCOPE_GATHER_MAX_SHARE * len(vectors):
            scores = (vectors @ query)[scope]
        else:
            scores = vectors[scope] @ query
        best = top_rows(scores, depth)
        return scope[best], scores[best]

    def _lexical(self, bm25_scores: np.ndarray, scope: np.ndarray | None, depth: int) -> np.ndarray:
        """The ``depth`` best BM25 rows with a positive score (best first), within ``scope``."""
        rows = np.flatnonzero(bm25_scores > 0) if scope is None else scope[bm25_scores[scope] > 0]
        return rows[top_rows(bm25_scores[rows], depth)]

    def clause_similarity(self, query_vector: np.ndarray, figure_rows: list[int]) -> np.ndarray:
        """Cosine between the question and each figure's clause (−1…1, higher = more similar)."""
        if not figure_rows:
            return np.zeros(0, dtype=np.float32)
        clause_rows = self.index.clause_of_figure[figure_rows]
        return self.index.clause_vectors[clause_rows] @ query_vector
