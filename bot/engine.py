"""The question-answering engine: understand → retrieve → resolve → (calculate) → compose.

One :class:`Engine` per process holds the loaded index and the embedder;
``ask`` is pure CPU work and safe to call from several threads.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

from bot import answer as compose
from bot.embed import Embedder, make_embedder
from bot.index import Index, load_index
from bot.lexicon import ensure_jieba, expand, tokenize
from bot.models import Answer, AnswerKind, DocumentMeta, Figure, PeriodKind, Sentence
from bot.resolve import (
    MIN_FACT_COVERAGE,
    Resolution,
    Scored,
    asked_years,
    lookup,
    score_figures,
    sentence_coverage,
)
from bot.retrieve import Retriever
from bot.understand import Op, Query, analyze

log = logging.getLogger(__name__)

_HAS_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


class Engine:
    def __init__(self, index: Index, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder
        self.retriever = Retriever(index)
        self._figure_row = {f.id: i for i, f in enumerate(index.figures)}
        ensure_jieba()

    @classmethod
    def load(cls, index_dir: Path, embedder: Embedder | None = None) -> Engine:
        """Load an index built by ``scripts/build_index.py``; the embedder must be the one it was built with."""
        embedder = embedder or make_embedder()
        return cls(load_index(index_dir, embedder.name), embedder)

    # ---------------------------------------------------------------- surfaces' helpers

    def documents(self) -> list[DocumentMeta]:
        return list(self.index.documents.values())

    def sentence(self, sentence_id: str) -> Sentence | None:
        row = self.index.sentence_row.get(sentence_id)
        return self.index.sentences[row] if row is not None else None

    def paragraph(self, sentence_id: str) -> list[Sentence]:
        """The sentences of the paragraph holding ``sentence_id``, in order (for the 原文 view)."""
        target = self.sentence(sentence_id)
        if target is None:
            return []
        return [s for s in self.index.sentences if s.doc_id == target.doc_id and s.paragraph == target.paragraph]

    def figures_of(self, sentence_id: str) -> list[Figure]:
        return list(self.index.figures_by_sentence.get(sentence_id, []))

    # ---------------------------------------------------------------- answering

    def ask(self, question: str) -> Answer:
        started = time.perf_counter()
        try:
            result = self._answer(question)
        except Exception:  # never let one odd question take a surface down; the log has the trace
            log.exception("engine failed on a question")
            result = Answer(question=question, found=False, text="抱歉，处理这个问题时出错了，请换个说法再试。")
        result.elapsed_ms = (time.perf_counter() - started) * 1000
        return result

    def _answer(self, question: str) -> Answer:
        query = analyze(question)
        if not _HAS_WORD.search(query.text) or (not query.terms and not query.years):
            return Answer(question=question, found=False, text=compose.NO_INPUT_TEXT)
        vector = self.embedder.embed_queries([query.text])[0]
        tokens = expand(tokenize(" ".join(query.terms) or query.text))
        hits = self.retriever.search(vector, tokens)
        if not hits:
            return compose.refusal(question, self._subject(query, None), "indicator", None, None)
        rank_bonus = {self.index.sentences[h.row].id: 1.0 - i / len(hits) for i, h in enumerate(hits)}
        figures = [f for h in hits for f in self.index.figures_by_sentence.get(self.index.sentences[h.row].id, [])]
        rows = self._figure_rows(figures)
        dense = dict(zip((f.id for f in figures), self.retriever.clause_similarity(vector, rows).tolist(), strict=True))
        scored = score_figures(self.index, query, figures, dense, rank_bonus)

        if query.fact:
            return self._fact(query, [self.index.sentences[h.row] for h in hits])
        resolution = lookup(self.index, query, scored)
        if query.op is not Op.LOOKUP:
            calculated = self._calculate(query, scored, resolution)
            if calculated is not None:
                return calculated
        if resolution.best is not None:
            best = resolution.best
            return compose.lookup_answer(question, best, self.index.documents.get(best.figure.doc_id))
        if not figures or (resolution.reason == "indicator" and query.unit_class is None and not query.years):
            fact = self._fact(query, [self.index.sentences[h.row] for h in hits])
            if fact.found:
                return fact
        return self._refuse(query, resolution)

    def _figure_rows(self, figures: list[Figure]) -> list[int]:
        return [self._figure_row[f.id] for f in figures]

    def _calculate(self, query: Query, scored: list[Scored], resolution: Resolution) -> Answer | None:
        """Numeric questions; filled in by the calculator stage."""
        return None

    def _fact(self, query: Query, sentences: list[Sentence]) -> Answer:
        best: tuple[float, Sentence] | None = None
        for rank, sentence in enumerate(sentences):
            cov, _ = sentence_coverage(self.index, query, sentence)
            years = asked_years(query, self.index.documents.get(sentence.doc_id))
            if years and sentence.period not in years:
                continue
            score = cov + 0.05 * (1 - rank / max(len(sentences), 1))
            if cov >= MIN_FACT_COVERAGE and (best is None or score > best[0]):
                best = (score, sentence)
        if best is None:
            return compose.refusal(query.original, self._subject(query, None), "indicator", None, None)
        sentence = best[1]
        return compose.fact_answer(query.original, sentence, query.terms, self.index.documents.get(sentence.doc_id))

    def _subject(self, query: Query, meta: DocumentMeta | None) -> str:
        if meta is None and len(self.index.documents) == 1:
            meta = next(iter(self.index.documents.values()))
        return compose.describe_subject(asked_years(query, meta), query.terms, query.want is PeriodKind.TARGET)

    def _refuse(self, query: Query, resolution: Resolution) -> Answer:
        nearest = resolution.nearest
        meta = self.index.documents.get(nearest.figure.doc_id) if nearest else None
        return compose.refusal(query.original, self._subject(query, meta), resolution.reason, nearest, meta)


def is_refusal(result: Answer) -> bool:
    return not result.found and result.kind is AnswerKind.NONE
