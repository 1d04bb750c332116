"""Hybrid sentence search: BM25 over jieba tokens + dense e5 vectors, fused by reciprocal rank.

BM25 catches exact indicator names and abbreviations expanded by the lexicon;
dense vectors catch paraphrases. Neither score decides refusals (see resolve):
retrieval only proposes candidates.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import bm25s
import faiss
import numpy as np

from bot.index import Index

RRF_K = 60  # reciprocal-rank-fusion constant (Cormack et al.); larger = flatter fusion
CANDIDATES = 12  # sentences proposed to the resolver
DENSE_DEPTH = 50  # neighbours read from each vector index before fusion
EXACT_SEARCH_MAX = 200_000  # vectors up to which FAISS search is exact (IndexFlatIP); HNSW above
HNSW_NEIGHBOURS = 32  # HNSW graph degree (M)
HNSW_EF_SEARCH = 128  # HNSW search breadth; higher = better recall, slower

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG


@dataclass(frozen=True)
class Hit:
    row: int  # sentence row in the index
    fused: float  # RRF score, higher = better (0 < fused ≤ 2 / (RRF_K + 1))
    bm25: float  # raw BM25 score, ≥ 0, higher = better
    cosine: float  # e5 cosine similarity, −1…1, higher = more similar


def vector_index(vectors: np.ndarray) -> faiss.Index:
    """Exact inner-product search for small corpora, HNSW for large ones (vectors are normalized)."""
    dim = vectors.shape[1]
    if len(vectors) <= EXACT_SEARCH_MAX:
        index: faiss.Index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = HNSW_EF_SEARCH
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


class Retriever:
    """Proposes candidate sentences and scores figure clauses for one loaded index."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.bm25 = bm25s.BM25()
        corpus_tokens = [tokens or ["∅"] for tokens in index.sentence_tokens]  # tokenized once, at load
        self.bm25.index(corpus_tokens, show_progress=False)
        self.sentence_search = vector_index(index.sentence_vectors)

    def search(
        self,
        query_vector: np.ndarray,
        query_tokens: list[str],
        k: int = CANDIDATES,
        docs: frozenset[str] | None = None,
    ) -> list[Hit]:
        """Best ``k`` sentences, optionally only from the reports ``docs`` (a question naming a city)."""
        n = len(self.index.sentences)
        if n == 0:
            return []
        bm25_scores = self.bm25.get_scores(query_tokens) if query_tokens else np.zeros(n)
        if docs is not None:
            keep = np.fromiter((s.doc_id in docs for s in self.index.sentences), dtype=bool, count=n)
            bm25_scores = np.where(keep, bm25_scores, 0.0)
        depth = min(DENSE_DEPTH * (4 if docs is not None else 1), n)
        cos, rows = self.sentence_search.search(query_vector.reshape(1, -1).astype(np.float32), depth)
        if docs is not None:
            pairs = [(c, r) for c, r in zip(cos[0].tolist(), rows[0].tolist(), strict=True) if r >= 0]
            pairs = [(c, r) for c, r in pairs if self.index.sentences[r].doc_id in docs][:DENSE_DEPTH]
            cos = np.array([[c for c, _ in pairs]], dtype=np.float32)
            rows = np.array([[r for _, r in pairs]], dtype=np.int64)
            depth = min(DENSE_DEPTH, n)
        cosine = dict(zip(rows[0].tolist(), cos[0].tolist(), strict=True))
        fused: dict[int, float] = {}
        for rank, row in enumerate(rows[0].tolist()):
            if row >= 0:
                fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
        lexical = np.argsort(-bm25_scores)[:depth]
        for rank, row in enumerate(lexical.tolist()):
            if bm25_scores[row] > 0:
                fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
        best = sorted(fused, key=lambda r: -fused[r])[:k]
        return [
            Hit(
                row=row,
                fused=fused[row],
                bm25=float(bm25_scores[row]),
                cosine=cosine.get(row, float(self.index.sentence_vectors[row] @ query_vector)),
            )
            for row in best
        ]

    def clause_similarity(self, query_vector: np.ndarray, figure_rows: list[int]) -> np.ndarray:
        """Cosine between the question and each figure's clause (−1…1, higher = more similar)."""
        if not figure_rows:
            return np.zeros(0, dtype=np.float32)
        clause_rows = self.index.clause_of_figure[figure_rows]
        return self.index.clause_vectors[clause_rows] @ query_vector
