"""The records that flow between stages: documents → sentences → figures → Answer.

Every surface (CLI, JSON, Telegram) renders the same :class:`Answer`, so a fix to
the engine shows everywhere. Records are frozen dataclasses: stages are pure
functions from one set of records to the next.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class PeriodKind(StrEnum):
    """Whether a section (or figure) reports what happened or what is planned."""

    ACTUAL = "actual"
    TARGET = "target"


class FigureKind(StrEnum):
    """What a number *is* in its sentence; drives matching and calculation."""

    ACTUAL = "actual"  # a level reached: 达 10252 家
    TARGET = "target"  # a planned level: 2022年遴选瞪羚企业350家
    CUMULATIVE = "cumulative"  # 累计达 38 家
    GROWTH = "growth"  # a change rate: 同比增长 42.46%
    INCREMENT = "increment"  # a net change: 净增 1402 家, 新增 18 家
    SHARE = "share"  # a proportion of a whole: 占规上工业产值的比重 52.5%, 占全省的 1/3
    RANK = "rank"  # 全省第一, 全国第三, 十强
    MULTIPLE = "multiple"  # 放大倍率 7.1 倍, 扩大一倍
    COMPLETION = "completion"  # 完成年度目标的 216.44%
    COUNT = "count"  # an ordinal or occurrence count: 连续第十次, 连续 15 年
    YEAR = "year"  # a year mention, kept so it is never mistaken for a figure


@dataclass(frozen=True)
class DocumentMeta:
    """Front-matter of one report; inferred from the title when absent."""

    doc_id: str
    title: str
    issuer: str = ""
    city: str = ""
    period: int | None = None  # the year the review part covers
    plan_year: int | None = None  # the year the plan part targets
    date: str = ""
    path: str = ""
    content_hash: str = ""


@dataclass(frozen=True)
class Section:
    """One heading; ``path`` is the chain of headings from the top level down."""

    id: str
    doc_id: str
    level: int
    title: str
    path: tuple[str, ...]
    period: int | None = None
    period_kind: PeriodKind | None = None


@dataclass(frozen=True)
class Sentence:
    """A verbatim sentence of a report, the unit of retrieval and citation."""

    id: str  # stable across rebuilds of the same text
    doc_id: str
    section_id: str
    section_path: tuple[str, ...]
    paragraph: int  # index of the paragraph within the document, for context views
    position: int  # order within the document
    text: str
    period: int | None = None  # year of the enclosing section
    period_kind: PeriodKind | None = None
    page: int | None = None  # for PDFs

    @property
    def section(self) -> str:
        return " › ".join(self.section_path)


@dataclass(frozen=True)
class Figure:
    """One numeric mention with what it measures.

    ``value`` is the number in base units (``1.9 万家`` → 19000, unit 家;
    ``84.11 亿元`` → 8411000000, unit 元) so arithmetic never mixes scales;
    ``number`` and ``scale`` keep how the report wrote it, for display.
    """

    id: str
    sentence_id: str
    doc_id: str
    raw: str  # the literal mention, e.g. "1.9 万家"
    start: int  # character offsets of ``raw`` in the sentence text
    end: int
    number: Decimal  # as written: 1.9
    scale: str  # "" | "万" | "亿" | "万亿"
    unit: str  # base unit: 家 人 项 个 元 % 倍 …; "" when none
    value: Decimal  # number × scale
    qualifier: str  # "" | 余 | 以上 | 左右 | 不少于 | 超过 | 约 | 近 | 累计 …
    indicator: str  # the phrase the number measures, e.g. "遴选瞪羚企业"
    context: str  # the clause around the number, used for matching
    period: int | None
    kind: FigureKind
    base_period: int | None = None  # for growth/increment: the year compared with

    @property
    def display(self) -> str:
        """How to show the figure: as written, e.g. ``84.11亿元`` (a fraction stays "1/3")."""
        if "/" in self.raw:
            return "".join(self.raw.split())
        return format_quantity(self.number, self.scale, self.unit, self.qualifier)


@dataclass(frozen=True)
class Citation:
    id: str
    doc: str  # document title
    section: str  # heading path joined with " › "
    text: str  # the full sentence, verbatim
    page: int | None = None
    # the sentence states again a figure an earlier citation states (a summary repeating a detail paragraph's
    # number): shown so a briefing can quote either place, and marked so a reader knows it adds no operand
    restates: bool = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "doc": self.doc, "section": self.section, "text": self.text}
        if self.page is not None:
            out["page"] = self.page
        if self.restates:
            out["restates"] = True
        return out


class AnswerKind(StrEnum):
    LOOKUP = "lookup"
    CALC = "calc"
    FACT = "fact"
    NONE = "none"  # refusal or unusable input


@dataclass
class Answer:
    """The one result object every surface renders.

    ``text`` is the full short answer a person reads; ``value``/``unit`` carry
    the direct answer's number in the unit the question asked for.
    ``nearest`` is what the report does say when ``found`` is false — shown as
    context, never as the answer.
    """

    question: str
    found: bool
    text: str
    kind: AnswerKind = AnswerKind.NONE
    value: Decimal | None = None
    unit: str | None = None
    formula: str | None = None
    citations: list[Citation] = field(default_factory=list)
    nearest: list[Citation] = field(default_factory=list)
    elapsed_ms: float = 0.0
    # wall milliseconds per stage of the Engine.ask that produced it (bot.stages: understand, embed, search,
    # resolve, total); empty when the Answer was built elsewhere. Not part of the JSON contract.
    timings: dict[str, float] = field(default_factory=dict)
    # ids of the report figures the answer reads or computes from (not part of the JSON contract)
    figures: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The stable JSON contract of ``python -m bot ask --json``."""
        return {
            "question": self.question,
            "found": self.found,
            "answer": self.text,
            "value": decimal_to_json(self.value),
            "unit": self.unit,
            "formula": self.formula,
            "citations": [c.to_json() for c in self.citations],
            "kind": self.kind.value,
            "elapsed_ms": round(self.elapsed_ms, 2),
        }


def decimal_to_json(value: Decimal | None) -> int | float | None:
    """JSON has no decimals: integers stay integers, the rest become floats."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def format_number(value: Decimal) -> str:
    """Plain decimal notation without exponent or trailing zeros: 19000, 84.11, 0.5."""
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):f}"
    text = f"{value.normalize():f}"
    return text


def format_quantity(number: Decimal, scale: str, unit: str, qualifier: str = "") -> str:
    """``number`` + scale + unit with the qualifier placed where Chinese puts it.

    约/近/超过/不少于 go before the number, 余/以上/左右 after it.
    """
    body = f"{format_number(number)}{scale}{unit}"
    if qualifier in PREFIX_QUALIFIERS:
        return f"{qualifier}{body}"
    if qualifier == "余":
        return f"{format_number(number)}{scale}余{unit}"
    if qualifier in SUFFIX_QUALIFIERS:
        return f"{body}{qualifier}"
    return body


# An ASCII comma ends a clause unless it groups thousands ("6,512家"): a regex alternative for clause breaks
CLAUSE_COMMA = r"(?<!\d),|,(?!\d)"
# a bracket of an aside, not one around a Latin gloss inside a name ("研究与试验发展（R&D）经费投入", "(GDP)")
ASIDE_MARK = r"[（(](?![A-Za-z&＆]{1,10}[）)])|(?<![A-Za-z&＆])[）)]"
# where a figure's own words start and end: a clause break, a list's 、 or an aside (a regex, shared by all stages)
SEGMENT_BREAK = rf"[，；;。！？!?：:、]|{ASIDE_MARK}|{CLAUSE_COMMA}"

PREFIX_QUALIFIERS = frozenset({"约", "近", "超过", "超", "不少于", "不低于", "逾", "累计"})
SUFFIX_QUALIFIERS = frozenset({"以上", "左右", "余", "多"})
