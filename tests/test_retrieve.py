"""Specification of hybrid retrieval (bot.retrieve) on small synthetic indexes.

What the engine relies on: the dense and lexical rankings are the exact ones (best first, equal scores
in row order, so answers never depend on a sort's whim), a question scoped to some reports only ever
gets their sentences, the dense search reads the index's own vector matrix instead of a second copy,
and above ``EXACT_SEARCH_MAX`` an approximate index still finds most of the exact neighbours.
"""

from __future__ import annotations

import os
from pathlib import Path

import faiss
import numpy as np
import pytest

from bot import retrieve, stages
from bot.index import Index
from bot.models import DocumentMeta, Sentence
from bot.retrieve import CANDIDATES, MAX_CANDIDATES, RRF_K, Retriever, candidate_count, top_rows

DIM = 32
DOCS = ("a", "b", "c")
ROWS_PER_DOC = 40
WORDS = ("瞪羚", "企业", "高企", "专利", "人才", "资金", "项目", "平台")
APPROX_ROWS = 3_000  # enough vectors for an HNSW graph to be worth testing, quick to build
MIN_APPROX_RECALL = 0.9  # share of the exact top 10 the 8-bit HNSW must find on clustered vectors


def make_index(vectors: np.ndarray, tokens: list[list[str]], docs: list[str]) -> Index:
    sentences = [
        Sentence(id=f"s{row}", doc_id=doc, section_id="x", section_path=("x",), paragraph=0, position=row, text="")
        for row, doc in enumerate(docs)
    ]
    index = Index(
        path=Path("."),
        manifest={},
        documents={d: DocumentMeta(doc_id=d, title=d) for d in dict.fromkeys(docs)},
        sections={},
        sentences=sentences,
        figures=[],
        sentence_vectors=vectors,
        clause_vectors=np.zeros((0, vectors.shape[1]), np.float32),
        clause_of_figure=np.zeros(0, np.int64),
    )
    index.sentence_tokens = tokens
    return index


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def corpus() -> tuple[Index, np.random.Generator]:
    rng = np.random.default_rng(3)
    n = len(DOCS) * ROWS_PER_DOC
    vectors = unit(rng.standard_normal((n, DIM)))
    vectors[5] = vectors[45] = vectors[85]  # the same sentence in three reports: tied cosines
    tokens = [list(rng.choice(WORDS, size=4)) for _ in range(n)]
    docs = [DOCS[(row // 3) % len(DOCS)] for row in range(n)]  # reports interleaved, not contiguous
    return make_index(vectors, tokens, docs), rng


def reference(index: Index, query: np.ndarray, tokens: list[str], docs: frozenset[str] | None) -> list[int]:
    """Fusion recomputed by brute force: exact rankings in the scope, ties in row order."""
    retriever = Retriever(index)
    rows = [r for r, s in enumerate(index.sentences) if docs is None or s.doc_id in docs]
    depth = min(retrieve.DENSE_DEPTH, len(rows))
    cos = {r: float(index.sentence_vectors[r] @ query) for r in rows}
    bm25 = retriever.bm25.get_scores(tokens)
    dense = sorted(rows, key=lambda r: (-cos[r], r))[:depth]
    lexical = sorted((r for r in rows if bm25[r] > 0), key=lambda r: (-bm25[r], r))[:depth]
    fused: dict[int, float] = {}
    for ranking in (dense, lexical):
        for rank, row in enumerate(ranking):
            fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(fused, key=lambda r: (-fused[r], -bm25[r], r))[: candidate_count(docs)]


def test_top_rows_is_best_first_with_ties_in_row_order() -> None:
    scores = np.array([0.1, 0.9, 0.5, 0.9, 0.5, 0.2], dtype=np.float32)
    assert top_rows(scores, 4).tolist() == [1, 3, 2, 4]
    assert top_rows(scores, 3).tolist() == [1, 3, 2]  # the tie at the cut keeps the lower row
    assert top_rows(scores, 10).tolist() == [1, 3, 2, 4, 5, 0]
    assert top_rows(scores, 0).tolist() == [] and top_rows(scores[:0], 3).tolist() == []


@pytest.mark.parametrize("docs", [None, frozenset({"b"}), frozenset({"a", "c"}), frozenset({"a", "b", "c"})])
def test_search_is_the_exact_fusion_within_the_scope(
    corpus: tuple[Index, np.random.Generator], docs: frozenset[str] | None
) -> None:
    """The scoped search returns what a brute-force ranking over the named reports returns."""
    index, rng = corpus
    retriever = Retriever(index)
    for _ in range(5):
        query = unit(index.sentence_vectors[int(rng.integers(len(index.sentences)))] + rng.normal(0, 0.3, DIM))
        tokens = list(rng.choice(WORDS, size=2))
        hits = retriever.search(query, tokens, docs=docs)
        assert [h.row for h in hits] == reference(index, query, tokens, docs)
        if docs is not None:
            assert {index.sentences[h.row].doc_id for h in hits} <= docs
        for hit in hits:
            assert hit.cosine == pytest.approx(float(index.sentence_vectors[hit.row] @ query), abs=1e-5)


def test_a_scope_of_several_reports_proposes_each_reports_sentences() -> None:
    """A city's yearly reports repeat their sentences with other numbers: every year's must reach the resolver."""
    reports = [f"r{i}" for i in range(10)]
    docs = [doc for doc in reports for _ in range(3)]
    tokens = [["科贷通", "贷款"], ["科贷通", "企业"], ["瞪羚", "企业"]] * len(reports)
    index = make_index(np.tile(np.eye(DIM, dtype=np.float32)[:3], (len(reports), 1)), tokens, docs)
    hits = Retriever(index).search(None, ["科贷通"], docs=frozenset(reports))
    assert {index.sentences[h.row].doc_id for h in hits} == set(reports)
    assert len(hits) == 2 * len(reports)  # both 科贷通 sentences of every report, nothing cut at 12
    assert candidate_count(None) == candidate_count(frozenset({"r0"})) == CANDIDATES
    assert candidate_count(frozenset(f"x{i}" for i in range(100))) == MAX_CANDIDATES


def test_unknown_reports_give_no_hits(corpus: tuple[Index, np.random.Generator]) -> None:
    index, _ = corpus
    assert Retriever(index).search(index.sentence_vectors[0], ["瞪羚"], docs=frozenset({"nowhere"})) == []


def test_dense_search_reads_the_index_matrix_not_a_copy(corpus: tuple[Index, np.random.Generator]) -> None:
    """No second copy of the vectors: at 1,000 reports a copy was 141 MB of the serving process."""
    index, _ = corpus
    retriever = Retriever(index)
    query = unit(np.ones(DIM, dtype=np.float32))
    saved = index.sentence_vectors[7].copy()
    try:
        index.sentence_vectors[7] = query  # changed after the retriever was built: the search must see it
        hits = retriever.search(query, [])
        assert hits[0].row == 7 and hits[0].cosine == pytest.approx(1.0, abs=1e-5)
    finally:
        index.sentence_vectors[7] = saved


def test_search_time_is_recorded_on_the_question_clock(corpus: tuple[Index, np.random.Generator]) -> None:
    index, _ = corpus
    retriever = Retriever(index)
    with stages.question_clock() as clock:
        retriever.search(index.sentence_vectors[0], ["瞪羚"])
    assert clock.timings()[stages.SEARCH] > 0


def test_large_corpora_use_an_approximate_index_that_finds_the_neighbours(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above EXACT_SEARCH_MAX: HNSW over 8-bit codes; recall@10 against exact search stays high."""
    rng = np.random.default_rng(11)
    centres = unit(rng.standard_normal((60, DIM)))
    vectors = unit(centres[rng.integers(0, 60, APPROX_ROWS)] + rng.normal(0, 0.15, (APPROX_ROWS, DIM)))
    index = make_index(vectors, [["∅"]] * APPROX_ROWS, ["a"] * APPROX_ROWS)
    monkeypatch.setattr(retrieve, "EXACT_SEARCH_MAX", APPROX_ROWS - 1)
    retriever = Retriever(index)
    assert isinstance(retriever._ann, faiss.IndexHNSWSQ)
    recalls = []
    for row in rng.integers(0, APPROX_ROWS, 20):
        query = unit(vectors[row] + rng.normal(0, 0.05, DIM))
        found = [h.row for h in retriever.search(query, [], k=10)]
        exact = np.argsort(-(vectors @ query), kind="stable")[:10].tolist()
        recalls.append(len(set(found) & set(exact)) / 10)
    assert np.mean(recalls) >= MIN_APPROX_RECALL


def test_one_openmp_thread_is_passed_on_to_faiss(monkeypatch: pytest.MonkeyPatch) -> None:
    """With OMP_NUM_THREADS=1 (as ``python -m bot`` runs) FAISS is told so explicitly."""
    before = faiss.omp_get_max_threads()
    monkeypatch.setenv(retrieve.OMP_ENV, "1")
    try:
        faiss.omp_set_num_threads(max(2, os.cpu_count() or 2))
        retrieve.single_thread_faiss()
        assert faiss.omp_get_max_threads() == 1
    finally:
        faiss.omp_set_num_threads(before)


def test_releasing_the_freed_heap_is_harmless() -> None:
    retrieve.release_freed_heap()  # glibc: malloc_trim; elsewhere a no-op
