"""The question-answering engine: understand → retrieve → resolve → (calculate) → compose.

One :class:`Engine` per process holds the loaded index and the embedder;
``ask`` is pure CPU work and safe to call from several threads.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from bot import answer as compose
from bot import calc, stages
from bot.abbreviations import AbbreviationExpander
from bot.embed import Embedder, make_embedder
from bot.figures import stated_quantities
from bot.index import Index, load_index
from bot.lexicon import ensure_jieba, expand, names_same_measure, nouns, tokenize
from bot.models import Answer, AnswerKind, DocumentMeta, Figure, FigureKind, PeriodKind, Sentence
from bot.plan import (
    LEVEL_KINDS,
    MONEY_TARGET_UNITS,
    Calculation,
    Missing,
    Resolved,
    Undefined,
    adds_several,
    adds_to_a_stock,
    asks_level_after_planned,
    back_compute,
    completion_target,
    counts_what_changed,
    forward_compute,
    names_two_quantities,
    plan,
    rate_part,
    rate_reference,
    whole_from_rate,
)
from bot.resolve import (
    FLOW_WORDS,
    MEASURE_OF_BEFORE,
    MIN_COVERAGE,
    MIN_FACT_COVERAGE,
    MIN_FACT_COVERAGE_TOP_HIT,
    W_PREVIOUS,
    W_SEGMENT,
    Resolution,
    Scored,
    asked_places,
    asked_years,
    document_frequency,
    figure_traits,
    has_own_subject,
    lookup,
    reference_coverage,
    score_figures,
    sentence_before,
    sentence_coverage,
    unit_class,
    unit_fits,
)
from bot.retrieve import Hit, Retriever
from bot.scope import analyze_in_scope, cities_named, distribute_cities, documents_named, localize
from bot.spelling import HomophoneFixer
from bot.understand import Op, Query, UnitClass, analyze, unresolved_reference

log = logging.getLogger(__name__)

# The lexical pass (BM25 alone, no query embedding — most of a question's time) settles a question when
# every figure it chose covers this share of the words asked for it (0…1, higher = stricter) …
LEXICAL_SURE_COVERAGE = 0.7
LEXICAL_SURE_MARGIN = 0.02  # … and beats the next admissible figure's score by this much (higher = stricter)
# A sentence answering a fact question settles it when it covers this share of the question's words
# (0…1, higher = stricter) and leads the next sentence by LEXICAL_SURE_FACT_LEAD (higher = stricter).
LEXICAL_SURE_FACT_COVERAGE = 0.8
LEXICAL_SURE_FACT_LEAD = 0.2
YEAR_REACH = 1  # years around a year asked whose reports a question scoped to one city searches
_YEARS_WRITTEN = re.compile(r"(?:19|20)?\d{2}\s*年")
_STATES_A_NUMBER = re.compile(r"\d")  # a number the asker gives (after years are taken out)
_BY_GROWTH = re.compile(r"按[^，,。？?]{0,6}(?:增速|增幅|增长率|增长)")  # "按目标增速算", "按目标增长的话"
_COUNT_MEASURE = re.compile(r"项数|家数|个数|人数|件数|数量")  # a count asked in so many words
# an amount a stated change may be of, in its own words ("科技型企业贷款余额增长20%以上")
_AMOUNT_MEASURE = re.compile(r"余额|金额|贷款|资金|收入|产值|成交额|经费|投入|投资|规模")
_OWN_WORDS_BREAK = re.compile(r"[，,；;。：:、]")
_COUNT_CHANGED = re.compile(r"(?:数|数量|项数|个数|件数)\s*(?:同比)?(?:增长|增加|提高|上升)")  # a count's change
_AMOUNT_ASKED = re.compile(r"额|金额|资金|经费|投入|收入|产值")
_SHARE_OF_SOMETHING = re.compile(r"占(?!比)")  # "占全省百分之几" names what the share is of; "占比" does not
SAME_LEVEL_MARGIN = 0.01  # coverage (0…1) within which two levels are named equally well
# coverage (0…1) a level loses by borrowing its subject from the clause before ("新增…机构17家，总数达到98家"):
# when no level named better has its change stated, such a level may still be back-computed
BORROWED_SUBJECT_MARGIN = W_SEGMENT - W_PREVIOUS + SAME_LEVEL_MARGIN
ACTUAL_LEVELS = (FigureKind.ACTUAL, FigureKind.CUMULATIVE)  # what a plan's growth rate grows from
_CHANGE_IN_QUESTION = re.compile(r"净增|新增|增加|增长|增量|增幅|增速|提高|提升|翻")  # the change itself is asked
WARM_UP_QUESTION = "2022年高新技术企业目标是多少家"
# a figure the report states again elsewhere is cited there too, when that sentence names it at most this much
# less well (coverage 0…1, lower = stricter) …
RESTATED_COVERAGE_MARGIN = 0.15
MAX_RESTATEMENTS = 1  # … in at most this many more sentences per figure
# a plan's growth rate of the indicator asked, named this much better (coverage 0…1) than the plan's best level,
# gives the level instead: last year's grown by it
PROJECTION_COVERAGE_LEAD = 0.15
_HAS_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


@dataclass
class Evidence:
    """How plainly one answering pass chose what it answers with: decides whether the lexical pass settles a question.

    Without the query vector a pass ranks by words alone; when every figure (or sentence) it chose is
    named almost word for word and well ahead of the next one, the vector would not change the answer.
    Anything less plain — a close rival, a paraphrase, a missing operand, a derived value — goes
    through the full pass with the vector.
    """

    choices: list[tuple[float, float]] = field(default_factory=list)  # (coverage 0…1, lead over the next)
    plain_refusal: bool = False  # refused because no figure fits the question (not a missing operand)
    derived: bool = False  # a value with no plain choice behind it (a whole from its share, a level named less well)
    ranked: list[tuple[Scored, list[Scored]]] = field(default_factory=list)  # each chosen figure and its rivals

    def note(self, resolution: Resolution) -> None:
        """Record a lookup's chosen figure and its lead over the next admissible one."""
        if resolution.best is not None:
            self.note_choice(resolution.best, resolution.admissible)

    def note_choice(self, best: Scored, ranked: list[Scored]) -> None:
        """Record a chosen figure and its score's lead over the best rival stating another number.

        A rival with the same number in the same unit (a figure the report repeats) would give the same answer.
        """
        rivals = [s for s in ranked if (s.figure.value, s.figure.unit) != (best.figure.value, best.figure.unit)]
        lead = best.score - rivals[0].score if rivals else best.score
        self.choices.append((best.coverage, lead))
        self.ranked.append((best, ranked))

    def absorb(self, other: Evidence) -> None:
        """Take the choices another pass over the same question recorded (one tried before it was kept)."""
        self.choices.extend(other.choices)
        self.ranked.extend(other.ranked)

    def restatements(self, used: tuple[str, ...]) -> list[Scored]:
        """Other sentences stating a used figure again: the same quantity of the same report, year and kind, and
        named about as well as the question asks (a summary's "力争高企突破7000家" beside the plan's own line).
        A coincidence ("新增…2家" of two things) is not admissible for the same question, or is named worse."""
        found: list[Scored] = []
        for best, ranked in self.ranked:
            if best.figure.id not in used:
                continue
            same = [
                s
                for s in ranked
                if s.sentence.id != best.sentence.id
                and _restated_key(s) == _restated_key(best)
                and _names_what_it_measures(s)
                and names_same_measure(_own_words(s), _own_words(best))
                and s.coverage >= best.coverage - RESTATED_COVERAGE_MARGIN
                and not (s.other_area or s.narrower or s.measures_another)
            ]
            found.extend(same[:MAX_RESTATEMENTS])
        return found

    def settles(self, answer: Answer) -> bool:
        """Is this answer of the lexical pass final?

        A value the report implies (an earlier year, a plan's level, a target behind its completion rate) settles
        like any other when the figures it was derived from were chosen plainly; a whole derived from a rate
        records no choice of its own and always takes the full pass.
        """
        if not answer.found:
            return self.plain_refusal
        if self.derived or not self.choices:
            return False
        if answer.kind is AnswerKind.FACT:
            return all(c >= LEXICAL_SURE_FACT_COVERAGE and lead >= LEXICAL_SURE_FACT_LEAD for c, lead in self.choices)
        return all(c >= LEXICAL_SURE_COVERAGE and lead >= LEXICAL_SURE_MARGIN for c, lead in self.choices)


_WHOLE_ASKED = re.compile(r"占(?P<whole>[^，,？?]{1,24}?)的?(?:比重|比例|百分之|百分比|份额|多少|几)")


def _of_the_whole_asked(question: str, reference: str) -> bool:
    """Is a stated share ("占一般公共预算支出的比重12.6%") one of the whole the question names ("占全市财政科技支出
    多少")? A whole named by its scope alone ("占全省多少") takes any stated share of something."""
    if not reference:
        return False
    asked = _WHOLE_ASKED.search(question)
    whole = asked.group("whole") if asked else ""
    if not nouns(whole):
        return True
    return names_same_measure(whole, reference)


def _names_what_it_measures(scored: Scored) -> bool:
    """Do a figure's own words name what it counts ("有效高企总数达到4,600家"), or a measure of what the clause
    before counts ("登记技术合同13 245项，成交额684.5亿元")? "2022年争取布局10家" names neither."""
    indicator = scored.figure.indicator
    return has_own_subject(indicator) or MEASURE_OF_BEFORE.match(indicator) is not None


def _own_words(scored: Scored) -> str:
    """What a figure's words say it counts: its clause, or with the clause before for a measure of what that counts."""
    if MEASURE_OF_BEFORE.match(scored.figure.indicator):
        return compose.figure_statement(scored.figure, scored.sentence)
    return scored.figure.context


def _restated_key(scored: Scored) -> tuple[object, ...]:
    figure = scored.figure
    return figure.doc_id, figure.value, figure.unit, figure.period, figure.kind, figure.base_period


def _restated(chosen: list[Scored], candidates: list[Scored]) -> list[Scored]:
    """The chosen figures, then every candidate stating one of their quantities again (same value, unit, year):
    a report repeats a figure in its summary, and only one of the sentences may carry its change or target share."""

    def quantity(scored: Scored) -> tuple[object, ...]:
        return scored.figure.value, scored.figure.unit, scored.figure.period

    quantities = {quantity(s) for s in chosen}
    return [*chosen, *(s for s in candidates if s not in chosen and quantity(s) in quantities)]


class Engine:
    def __init__(self, index: Index, embedder: Embedder, *, lexical_first: bool = True) -> None:
        """``lexical_first=False`` answers every question with the query vector (for comparisons and benchmarks)."""
        self.index = index
        self.embedder = embedder
        self.lexical_first = lexical_first
        self.retriever = Retriever(index)
        self._figure_row = {f.id: i for i, f in enumerate(index.figures)}
        ensure_jieba()
        # every question is read through both (typos, then abbreviations): build them now, not in the first
        # user's question (the pinyin table ~0.2 s; the abbreviations ~0.3 s at 1,000 reports)
        self.spelling = HomophoneFixer(index.token_df, lambda word: document_frequency(index, word) > 0)
        indicators = [f.indicator for f in index.figures]
        self.abbreviations = AbbreviationExpander(indicators, lambda text: document_frequency(index, text) > 0)
        # load jieba's part-of-speech model and the embedding model now, not on the first user's question
        embedder.embed_queries([analyze(WARM_UP_QUESTION).text])

    @classmethod
    def load(cls, index_dir: Path, embedder: Embedder | None = None) -> Engine:
        """Load an index built by ``scripts/build_index.py``; the embedder must be the one it was built with."""
        embedder = embedder or make_embedder()
        return cls(load_index(index_dir, embedder.name, embedder.dim), embedder)

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

    def document_counts(self, doc_id: str) -> tuple[int, int]:
        """(sentences, figures) of one report."""
        sentences = sum(1 for s in self.index.sentences if s.doc_id == doc_id)
        figures = sum(1 for f in self.index.figures if f.doc_id == doc_id)
        return sentences, figures

    def indexed_at(self, doc_id: str) -> str:
        return self.index.indexed_at.get(doc_id, "")

    def figures_of(self, sentence_id: str) -> list[Figure]:
        return list(self.index.figures_by_sentence.get(sentence_id, []))

    def following(self, sentence: Sentence) -> list[Sentence]:
        """The sentences after ``sentence`` in its paragraph, nearest first (where a total's breakdown is written)."""
        sentences, after = self.index.sentences, []
        for row in range(self.index.sentence_row[sentence.id] + 1, len(sentences)):
            if sentences[row].doc_id != sentence.doc_id or sentences[row].paragraph != sentence.paragraph:
                break
            after.append(sentences[row])
        return after

    # ---------------------------------------------------------------- answering

    def ask(self, question: str) -> Answer:
        """Answer one question; ``timings`` says where its time went (see :mod:`bot.stages`)."""
        with stages.question_clock() as clock:
            try:
                result = self._answer(question)
            except Exception:  # never let one odd question take a surface down; the log has the trace
                log.exception("engine failed on a question")
                result = Answer(question=question, found=False, text="抱歉，处理这个问题时出错了，请换个说法再试。")
        result.timings = clock.timings(time.perf_counter())
        result.elapsed_ms = result.timings[stages.TOTAL]
        return result

    def _answer(self, question: str) -> Answer:
        """The lexical pass first; the full pass with the query vector when it does not settle the question."""
        # a report named by its title is no year asked; a homophone typo (申保数) is read as the report's word,
        # an abbreviation (技合额) as the report's phrase (技术合同成交额)
        typed = self.abbreviations.expand(self.spelling.correct(question))
        query = analyze_in_scope(typed, self.index.documents)
        query = replace(query, original=question)  # a reply quotes what was typed
        if not _HAS_WORD.search(query.text) or (not query.terms and not query.years):
            return Answer(question=question, found=False, text=compose.NO_INPUT_TEXT)
        pointing_back = unresolved_reference(query.text)
        if pointing_back is not None:
            return compose.unclear_reference(question, pointing_back)
        docs = self._documents_named(query)
        # (a value derived as the question says how, "按研发投入和研发强度倒推…GDP", is found by those words too)
        searched = " ".join(query.terms) + (f" {query.text}" if query.derive else "")
        tokens = expand(tokenize(searched.strip() or query.text))
        if self.lexical_first:
            evidence = Evidence()
            lexical = self._attempt(question, query, docs, tokens, None, evidence)
            if evidence.settles(lexical):
                return self._citing_restatements(lexical, evidence)
        vector = self.embedder.embed_queries([query.text])[0]
        evidence = Evidence()
        return self._citing_restatements(self._attempt(question, query, docs, tokens, vector, evidence), evidence)

    def _citing_restatements(self, answer: Answer, evidence: Evidence) -> Answer:
        if not answer.found or not answer.figures:
            return answer
        return compose.with_restatements(answer, evidence.restatements(answer.figures), self.index.documents)

    def _attempt(
        self,
        question: str,
        query: Query,
        docs: frozenset[str] | None,
        tokens: list[str],
        vector: np.ndarray | None,
        evidence: Evidence,
    ) -> Answer:
        """One answering pass: retrieve → resolve → (calculate) → compose; ``vector`` None is the lexical pass."""
        hits = self.retriever.search(vector, tokens, docs=docs)
        if not hits:
            evidence.plain_refusal = True
            return compose.refusal(question, self._subject(query, None), "indicator", None, None)
        figures = self._figures_in(hits)
        scored = self._score(query, figures, hits, vector)
        if query.fact:
            return self._fact(query, [self.index.sentences[h.row] for h in hits], evidence)
        asked = self._with_implied_unit(query)
        resolution = lookup(self.index, asked, scored)
        if resolution.best is not None and self._is_given(query, resolution.best):
            # "有效高企11155家，其中…": the asker has that figure; the answer is another one or none
            resolution = lookup(self.index, asked, [s for s in scored if not self._is_given(query, s)])
        evidence.note(resolution)
        if query.derive and query.unit_class in (UnitClass.COUNT, UnitClass.MONEY):
            whole = self._whole_from_rate(query, scored)
            if whole is not None:
                evidence.derived = True
                return compose.calc_answer(question, whole, self.index.documents)
        grown = self._by_planned_growth(query, scored, evidence)
        if grown is not None:
            return compose.calc_answer(question, grown, self.index.documents)
        if query.op is not Op.LOOKUP:
            calculated = self._calculate(query, scored, resolution, vector, docs, tokens, evidence)
            if calculated is not None and not calculated.found and resolution.reason == "period":
                # "22年高新技术产业产值占规上比重": no 2022 operands, but 2023's share and its change imply it
                implied = self._derived(query, resolution, evidence)
                if implied is not None:
                    return compose.calc_answer(question, implied, self.index.documents)
            if calculated is not None:
                return calculated
        planned = self._level_from_planned_increase(query, resolution, evidence)
        if planned is not None:
            return compose.calc_answer(question, planned, self.index.documents)
        if resolution.best is not None:
            projected = self._projection_named_better(query, scored, resolution.best, evidence)
            if projected is not None:
                return compose.calc_answer(question, projected, self.index.documents)
            return self._figure_answer(question, query, resolution.best)
        derived = self._derived(query, resolution, evidence)
        if derived is not None:
            return compose.calc_answer(question, derived, self.index.documents)
        if not query.asks_number and (not figures or resolution.reason == "indicator"):
            fact = self._fact(query, [self.index.sentences[h.row] for h in hits], evidence)
            if fact.found:
                return fact
        evidence.plain_refusal = True
        return self._refuse(query, resolution)

    def _documents_named(self, query: Query) -> frozenset[str] | None:
        """The reports a question names by city ("无锡…") or title ("在…2022年工作总结里"); None for all.

        Read off ``original``: the question as asked (a title is cut from ``text``), or one operand's own words.
        Of a city's yearly reports, those whose review or plan year is near a year asked: "秦皇岛2021年…" needs
        its 2020, 2021 and 2022 reports (a plan, a review, a change against it), not all six.
        """
        docs = documents_named(query.original, self.index.documents)
        if docs is None or len(docs) <= 1 or not query.years:
            return docs
        near = {y + d for y in (*query.years, *query.base_years) for d in range(-YEAR_REACH, YEAR_REACH + 1)}
        metas = self.index.documents
        kept = frozenset(d for d in docs if {metas[d].period, metas[d].plan_year} & near)
        return kept or docs

    def _figures_in(self, hits: list[Hit]) -> list[Figure]:
        """Every figure of the retrieved sentences, in hit order."""
        return [f for h in hits for f in self.index.figures_by_sentence.get(self.index.sentences[h.row].id, [])]

    def _figure_rows(self, figures: list[Figure]) -> list[int]:
        return [self._figure_row[f.id] for f in figures]

    def _calculate(
        self,
        query: Query,
        scored: list[Scored],
        resolution: Resolution,
        vector: np.ndarray | None,
        scope: frozenset[str] | None,
        context: list[str],
        evidence: Evidence,
    ) -> Answer | None:
        """Numeric questions: a stated figure of the asked kind wins; otherwise compute from cited operands.

        ``scope``: the reports the question names (None for all), as found for its retrieval; ``context``:
        the whole question's search words, which stand in for ``vector`` in the lexical pass.
        """
        best = resolution.best
        metas = self.index.documents
        asked = query.text
        two_cities = len(cities_named(asked, metas)) > 1  # "苏州比无锡多多少": never one report's own change
        query = distribute_cities(query, metas) or query  # "苏州和无锡…差多少": one operand per city
        stated = (FigureKind.INCREMENT, FigureKind.GROWTH, FigureKind.SHARE, FigureKind.COMPLETION, FigureKind.RANK)
        if (
            best is not None
            and not two_cities
            and query.op in (Op.DIFFERENCE, Op.CHANGE_RATE, Op.POINTS, Op.SHARE, Op.COMPLETION_RATE)
            and best.figure.kind is query.prefer
            and best.figure.kind in stated
            and not best.measures_another  # "瞪羚企业平均营业收入增速超过30%" is no growth of the 瞪羚 themselves
            and not best.other_area  # "…2,100家以上，其中县域入库企业增长20%以上": the counties', not the city's
            and not self._measures_unasked(query, best)
            and not (query.op is Op.POINTS and best.figure.unit != calc.POINTS)  # a share is one side of 提高多少
            # "技术合同项数增长多少%" is no "成交额…同比增长15.3%"
            and not (
                _COUNT_MEASURE.search(query.text)
                and not counts_what_changed(best.figure, self.figures_of(best.sentence.id), best.sentence.text)
            )
            and not names_two_quantities(query.text)
            and not self._over_an_older_year(query, best.figure)
            # "去年新认定高企比22年多了多少家": the year's new ones compared, not the stock's "净增812家"
            and not (
                FLOW_WORDS.search(query.text)
                and best.figure.kind is FigureKind.INCREMENT
                and not self._counts_new(best)
            )
            and not _STATES_A_NUMBER.search(_YEARS_WRITTEN.sub("", query.text))  # "要破1万 得增长多少": compute it
            # "研发经费投入占全省百分之几": a stated share answers only as a share *of* something ("占…的比重")
            and not (
                query.op is Op.SHARE
                and _SHARE_OF_SOMETHING.search(query.text)
                and not _of_the_whole_asked(query.text, rate_reference(best.figure, best.sentence))
            )
        ):
            return None  # the report states it ("净增 1402 家", "增长 35.48%", "占比 52.5%"): read, don't recompute

        scored_sides: dict[Query, list[Scored]] = {}  # one plan asks about the same side several times

        def score_side(side: Query) -> list[Scored]:
            if side not in scored_sides:
                tokens = expand(tokenize(" ".join(side.terms) or side.text))
                docs = self._documents_named(side) or scope
                hits = self.retriever.search(vector, tokens, docs=docs, context_tokens=context)
                scored_sides[side] = self._score(side, self._figures_in(hits), hits, vector)
            return scored_sides[side]

        def side_resolution(
            side: Query, kinds: frozenset[FigureKind] | None, exclude: frozenset[str]
        ) -> tuple[Resolution, list[Scored]]:
            everything = score_side(side)
            usable = [s for s in everything if s.figure.id not in exclude and (kinds is None or s.figure.kind in kinds)]
            found = lookup(self.index, side, usable)
            stated = {(value, unit) for value, unit, *_ in stated_quantities(side.original)}
            named = [s for s in usable if (s.figure.value, s.figure.unit) in stated]
            if named and (found.best is None or (found.best.figure.value, found.best.figure.unit) not in stated):
                by_number = lookup(self.index, side, named)  # "离24年高企6000家目标": the number says which figure
                found = by_number if by_number.best is not None else found
            evidence.note(found)
            return found, everything

        def resolve_side(side: Query, kinds: frozenset[FigureKind] | None, exclude: frozenset[str]) -> Resolved | None:
            side = localize(side, query, metas)  # an operand naming its own city is about that city only
            found, everything = side_resolution(side, kinds, exclude)
            if found.best is not None:
                return found.best
            # an operand may be implied (an earlier year from a stated change), also by the other operand's figure
            return self._derived(side, lookup(self.index, side, everything), evidence)

        def rank_side(side: Query, kinds: frozenset[FigureKind] | None) -> list[Scored]:
            return side_resolution(localize(side, query, metas), kinds, frozenset())[0].admissible

        outcome = plan(query, resolve_side, self.figures_of, rank_side, self.following)
        if two_cities and outcome is None:
            outcome = Missing(asked)  # one city's figure is no answer to a question about two
        if query.op is Op.SUM and best is not None and not isinstance(outcome, Calculation):
            if not adds_several(query.text) and not asks_level_after_planned(query.text):
                return None  # "一共有多少" of one figure is a lookup (not "新建5家…后一共几家": a level after it)
            outcome = outcome or Missing(query.text)  # "初级加中高级一共": one part's figure is no answer
        if isinstance(outcome, Scored):  # the comparison as the report states it ("高于全省平均水平0.62个百分点")
            return compose.lookup_answer(query.original, outcome, metas.get(outcome.figure.doc_id))
        if isinstance(outcome, Calculation):
            return compose.calc_answer(query.original, outcome, metas)
        if isinstance(outcome, Missing):
            # each operand was looked up and none fits; operands that do not belong together may be words alone
            evidence.plain_refusal = not outcome.implausible
            return compose.missing_operand(query.original, outcome, metas)
        if isinstance(outcome, Undefined):
            return compose.undefined(query.original, outcome)
        return None

    def _derived(self, query: Query, resolution: Resolution, evidence: Evidence) -> Calculation | None:
        """A figure the report implies: an earlier year from a stated change, a target from a completion rate."""
        candidates = resolution.candidates
        meta = self.index.documents.get(candidates[0].figure.doc_id) if candidates else None
        years = asked_years(query, meta)
        # (or of another kind or unit only: "23年底有效高企有多少家" where 2023 states just its 净增, "前年…有几家"
        # where it states just a share — no level)
        changed_level = resolution.reason in ("period", "unit") or (resolution.reason == "kind" and query.want is None)
        if changed_level and years:
            year = years[0]
            levels = [
                s
                for s in candidates
                if s.coverage >= MIN_COVERAGE
                and s.figure.kind is not FigureKind.INCREMENT  # a level changes; a change is no level of its own
                and (s.figure.kind in LEVEL_KINDS or (s.figure.unit == "%" and query.unit_class is UnitClass.PERCENT))
                and self._changes_from(s, year)
                and unit_fits(s.figure, query)
            ]
            if any(not s.other_area for s in levels):  # "前年有效高企": the city's, not a district's
                levels = [s for s in levels if not s.other_area]
            # only the best-matching levels: a neighbour's change is no answer ("认定" ≠ "有效"); among levels
            # named equally well ("新认定 1126 家" and "总数达 4865 家，净增 702 家"), the one whose change is stated
            best = [s for s in levels if s.coverage >= levels[0].coverage - SAME_LEVEL_MARGIN] if levels else []
            # the same quantity stated again elsewhere, maybe beside its change ("总数达到12,418家，净增1,946家")
            near = [
                s
                for s in levels
                if s.coverage >= levels[0].coverage - BORROWED_SUBJECT_MARGIN
                and not s.missing
                and not has_own_subject(s.figure.indicator)  # "总数达到98家", never "有效高企数达到…" for 认定
            ]
            for level in [*_restated(best, levels), *(s for s in near if s not in best)]:
                found = back_compute(level, self.figures_of(level.sentence.id), year)
                if found is not None:
                    evidence.note_choice(level, levels)
                    evidence.derived = evidence.derived or level not in best
                    return found
            if levels:
                return None
        if years and query.unit_class in (UnitClass.MONEY, UnitClass.COUNT) and resolution.reason in ("unit", "period"):
            projected = self._projected(query, candidates, years[0], evidence)
            if projected is not None:
                return projected
        nearest = resolution.nearest
        if resolution.reason == "unit" and query.want is PeriodKind.TARGET and nearest is not None:
            # "技合额完成率124.6%那目标是多少亿": the rate matched best; the target is of the amount before it
            completion = nearest.figure.kind is FigureKind.COMPLETION
            before = [
                s
                for s in candidates
                if completion
                and s.sentence.id == nearest.sentence.id
                and s.figure.kind in ACTUAL_LEVELS
                and s.figure.start < nearest.figure.start
                and unit_fits(s.figure, query)
            ]
            nearest = max(before, key=lambda s: s.figure.start) if before else None
        if resolution.reason in ("kind", "unit") and query.want is PeriodKind.TARGET and nearest is not None:
            # the actual beside its "完成年度目标的114.1%": a summary may state the same number without it
            for actual in _restated([nearest], candidates):
                target = completion_target(actual, self.figures_of(actual.sentence.id))
                if target is not None:
                    same_year = [s for s in candidates if s.figure.period == actual.figure.period]
                    evidence.note_choice(actual, [s for s in same_year if s.figure.kind in ACTUAL_LEVELS])
                    return target
        return None

    def _by_planned_growth(self, query: Query, scored: list[Scored], evidence: Evidence) -> Calculation | None:
        """ "23年技合额按目标增速算 至少要到多少亿": the way to the level is said — last year's actual grown by the
        plan's rate, even where the plan also states a level of its own ("增长20%以上，力争突破100亿元")."""
        if not _BY_GROWTH.search(query.text) or query.unit_class not in (UnitClass.COUNT, UnitClass.MONEY):
            return None
        meta = self.index.documents.get(scored[0].figure.doc_id) if scored else None
        years = asked_years(query, meta) or ((meta.plan_year,) if meta is not None and meta.plan_year else ())
        return self._projected(query, scored, years[0], evidence) if years else None

    def _projection_named_better(
        self, query: Query, scored: list[Scored], best: Scored, evidence: Evidence
    ) -> Calculation | None:
        """ "今年科小入库目标大概多少家" where the plan sets 科技型中小企业's growth ("入库数量增长12%以上") and a level
        only of something named worse ("孵化科技型企业150家以上"): last year's level grown by the plan's rate."""
        if query.want is not PeriodKind.TARGET or query.unit_class not in (UnitClass.COUNT, UnitClass.MONEY):
            return None
        year = best.figure.period
        if year is None or best.figure.kind is not FigureKind.TARGET:
            return None
        tried = Evidence()
        projected = self._projected(query, scored, year, tried)
        if projected is None or projected.operands[-1].coverage < best.coverage + PROJECTION_COVERAGE_LEAD:
            return None
        evidence.absorb(tried)  # the level and the plan's rate were chosen as plainly as recorded
        evidence.derived = True
        return projected

    def _projected(self, query: Query, candidates: list[Scored], year: int, evidence: Evidence) -> Calculation | None:
        """A plan's level the report sets only as a change ("市级财政科技支出增长不低于 8%", "较 2023 年翻一番"):
        the year before's actual of the same indicator, grown by it."""
        # (not an amount of another thing: "研发投入后补助资金1.26亿元" is no 研发经费投入 to grow)
        named = [s for s in candidates if s.coverage >= MIN_COVERAGE and not s.measures_another]
        changes = [
            s
            for s in named
            if s.figure.period == year
            and s.figure.base_period in (year - 1, None)
            and (s.figure.kind is FigureKind.MULTIPLE or (s.figure.kind is FigureKind.GROWTH and s.figure.unit == "%"))
        ]
        levels = [
            s
            for s in named
            if s.figure.period == year - 1 and s.figure.kind in ACTUAL_LEVELS and unit_fits(s.figure, query)
        ]
        if not changes or not levels:
            return None
        # among levels named as well, the exact one ("评价入库12,658家", not the summary's "近1.3万家")
        top = levels[0].coverage
        exact = [
            s
            for s in levels
            if s.coverage >= top - SAME_LEVEL_MARGIN and not calc.is_approximate_qualifier(s.figure.qualifier)
        ]
        level = (exact or levels)[0]
        evidence.note_choice(level, levels)  # how plainly the level and the plan's change were chosen
        evidence.note_choice(changes[0], changes)
        target = query.unit if query.unit_class is UnitClass.MONEY and query.unit in MONEY_TARGET_UNITS else None
        return forward_compute(level, changes[0], year, target)  # "…至少要放多少万元": in the unit asked

    def _level_from_planned_increase(
        self, query: Query, resolution: Resolution, evidence: Evidence
    ) -> Calculation | None:
        """ "有效高企目标多少家" where the plan sets only "有效高新技术企业净增340家以上": the year before's stock
        plus the planned net increase. A question about the year's new ones ("新认定…目标") keeps the stated one.
        A level asked in so many words ("按计划总数至少多少家") turns the increase away as of another kind: the
        nearest figure it was."""
        best = resolution.best or (resolution.nearest if resolution.reason == "kind" else None)
        if best is None or query.want is not PeriodKind.TARGET or best.figure.period is None:
            return None
        if best.figure.kind is not FigureKind.INCREMENT:
            return None  # "国家级孵化器目标几家" beside "新增…2家以上" may ask the 2
        if FLOW_WORDS.search(query.text) or _CHANGE_IN_QUESTION.search(query.text):
            return None  # "今年新认定高企目标", "目标净增多少": the change is what is asked
        year = best.figure.period
        levels = [
            s
            for s in resolution.candidates
            if s.figure.period == year - 1
            and s.sentence.period_kind is not PeriodKind.TARGET
            and s.coverage >= MIN_COVERAGE
            and not s.other_area
            and adds_to_a_stock(best, s)
            and not self._is_flow(s)  # "新认定…1,108家" is no stock to add to
        ]
        if not levels:
            return None
        evidence.note_choice(levels[0], levels)
        evidence.derived = True
        return forward_compute(levels[0], best, year)

    def _counts_new(self, scored: Scored) -> bool:
        """Do a figure's own words count a year's new ones (新认定…, 新增…), not a stock's change (净增)?"""
        sentence = scored.sentence
        meta = self.index.documents.get(scored.figure.doc_id)
        return figure_traits(scored.figure, sentence, meta, sentence_before(self.index, sentence)).flow

    def _is_flow(self, scored: Scored) -> bool:
        """Does a figure count a year's new ones or a change (新增…, 新认定…, 净增…)?"""
        return self._counts_new(scored) or scored.figure.kind is FigureKind.INCREMENT

    @staticmethod
    def _measures_unasked(query: Query, stated: Scored) -> bool:
        """Does a stated change measure an amount the question never names ("科技型企业贷款余额增长20%以上" for
        "科小要完成今年目标得增长百分之几", or for "湖科贷今年投放…增长百分之几"), or a count where the question
        asks an amount ("技术合同数增长6%以上" for "技合额…增长百分之多少")?"""
        if stated.figure.kind is not FigureKind.GROWTH:
            return False  # a share names its whole ("研发投入占地区生产总值比重"), not a measure apart
        text = stated.sentence.text
        start = max((m.end() for m in _OWN_WORDS_BREAK.finditer(text, 0, stated.figure.start)), default=0)
        own = text[start : stated.figure.start]
        if _COUNT_CHANGED.search(own) and _AMOUNT_ASKED.search(query.text):
            return True  # "认定登记技术合同数增长6%以上" is no growth of 技术合同成交额
        measures = _AMOUNT_MEASURE.findall(own)
        return bool(measures) and not any(measure in query.text for measure in measures)

    @staticmethod
    def _over_an_older_year(query: Query, change: Figure) -> bool:
        """Is a stated change over a year before the last ("总量较2020年增长78.1%" in 2023) while the question names
        no base year — so asks the change over the year before ("有效高企去年增长了百分之几")?"""
        base, period = change.base_period, change.period
        older = base is not None and period is not None and base < period - 1
        return older and not query.base_years and not query.base_relative

    def _changes_from(self, level: Scored, year: int) -> bool:
        """Is this level the year after ``year``, or later with a change stated against ``year`` (较2020年翻了一番)?"""
        period = level.figure.period
        if period == year + 1:
            return True
        return (
            period is not None
            and period > year + 1
            and any(f.base_period == year for f in self.figures_of(level.sentence.id))
        )

    def _figure_answer(self, question: str, query: Query, best: Scored) -> Answer:
        """A looked-up figure as the answer, in the unit asked when that differs from the report's."""
        converted = self._convert(query, best)
        if converted is not None:
            return converted
        return compose.lookup_answer(question, best, self.index.documents.get(best.figure.doc_id))

    @staticmethod
    def _is_given(query: Query, scored: Scored) -> bool:
        """Does the question itself state this figure's number (in another clause), and not ask it in another unit?"""
        figure = scored.figure
        return any(
            value == figure.value and unit == figure.unit and not (query.unit and query.unit != written)
            for value, unit, written in query.given_values
        )

    @staticmethod
    def _with_implied_unit(query: Query) -> Query:
        """研发人员总数是多少 counts people: a plain lookup takes the head noun's unit (never 66 家 机构)."""
        if query.unit_class is None and query.implied_unit_class and query.op is Op.LOOKUP and query.prefer is None:
            return replace(query, unit_class=query.implied_unit_class, unit=query.implied_unit)
        return query

    def _whole_from_rate(self, query: Query, scored: list[Scored]) -> Calculation | None:
        """按占比倒推全省总数: the whole behind a stated share, or the base behind a leverage multiple.

        Only when the question names that whole (the rate's reference, 全省 / 规上工业产值 / 财政资金)
        and the level the rate belongs to is stated beside it, in the year asked.
        """
        found: tuple[float, Scored, Scored] | None = None
        for rate in scored:
            reference = rate_reference(rate.figure, rate.sentence)
            part = rate_part(rate.figure, self.figures_of(rate.sentence.id), rate.sentence.text) if reference else None
            if part is None or unit_class(part.unit) is not query.unit_class:
                continue
            years = asked_years(query, self.index.documents.get(part.doc_id))
            if years and part.period not in years:
                continue
            cov, named = reference_coverage(self.index, query, reference, part, rate.sentence)
            if named and cov >= MIN_COVERAGE and (found is None or cov > found[0]):
                found = (cov, rate, Scored(part, rate.sentence, cov, cov, ()))
        if found is None:
            return None
        _, rate, part = found
        try:
            return whole_from_rate(rate, part, query.unit)
        except calc.CalcError:  # a rate of 0, or units that do not divide: no derived value
            return None

    def _convert(self, query: Query, best: Scored) -> Answer | None:
        """Answer in the unit asked ("多少万元" of a figure written in 亿元)."""
        figure = best.figure
        wanted = query.unit
        if query.unit_class is UnitClass.MONEY and wanted and wanted != f"{figure.scale}{figure.unit}":
            result = calc.convert(figure, wanted)
        elif query.unit_class is UnitClass.COUNT and wanted == "万" and figure.scale != "万":
            result = calc.convert(figure, f"万{figure.unit}")
        else:
            return None
        return compose.converted_answer(query.original, best, result, self.index.documents.get(figure.doc_id))

    def _score(self, query: Query, figures: list[Figure], hits: list[Hit], vector: np.ndarray | None) -> list[Scored]:
        rank_bonus = {self.index.sentences[h.row].id: 1.0 - i / len(hits) for i, h in enumerate(hits)} if hits else {}
        rows = self._figure_rows(figures)
        similarity = self.retriever.clause_similarity(vector, rows) if vector is not None else np.zeros(len(rows))
        dense = dict(zip((f.id for f in figures), similarity.tolist(), strict=True))
        return score_figures(self.index, query, figures, dense, rank_bonus)

    def _fact(self, query: Query, sentences: list[Sentence], evidence: Evidence) -> Answer:
        """A non-numeric question: the sentence that holds its words; a paraphrase only if it is the top hit."""
        best: tuple[float, float, Sentence] | None = None  # (score, coverage, sentence)
        coverages: list[float] = []
        for rank, sentence in enumerate(sentences):
            cov, _ = sentence_coverage(self.index, query, sentence)
            years = asked_years(query, self.index.documents.get(sentence.doc_id))
            if years and sentence.period not in years:
                continue
            coverages.append(cov)
            score = cov + 0.05 * (1 - rank / max(len(sentences), 1))
            enough = cov >= MIN_FACT_COVERAGE or (rank == 0 and cov >= MIN_FACT_COVERAGE_TOP_HIT)
            if enough and (best is None or score > best[0]):
                best = (score, cov, sentence)
        if best is None:
            evidence.plain_refusal = True
            return compose.refusal(query.original, self._subject(query, None), "indicator", None, None)
        _, chosen, sentence = best
        coverages.remove(chosen)
        evidence.choices.append((chosen, chosen - max(coverages, default=0.0)))
        return compose.fact_answer(query.original, sentence, query.terms, self.index.documents.get(sentence.doc_id))

    def _subject(self, query: Query, meta: DocumentMeta | None) -> str:
        if meta is None and len(self.index.documents) == 1:
            meta = next(iter(self.index.documents.values()))
        # a district jieba cannot cut ("鄠邑区") is still what was asked about: name it in the refusal
        places = tuple(p for p in asked_places(query.text, meta) if not any(p in term for term in query.terms))
        terms = (*places, *query.terms)
        return compose.describe_subject(asked_years(query, meta), terms, query.want is PeriodKind.TARGET)

    def _refuse(self, query: Query, resolution: Resolution) -> Answer:
        nearest = resolution.nearest
        meta = self.index.documents.get(nearest.figure.doc_id) if nearest else None
        return compose.refusal(query.original, self._subject(query, meta), resolution.reason, nearest, meta)
