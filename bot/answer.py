"""Compose the short Chinese answer: the figure first, then where it comes from — or a clear refusal.

Answer texts reuse the report's own words around the figure ("2022年计划遴选瞪羚企业350家。"),
so the indicator a user reads is exactly the one the report names.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING

from bot import calc
from bot.figures import dated_just_before, in_prior_year_aside, year_of_aside
from bot.models import (
    CLAUSE_COMMA,
    Answer,
    AnswerKind,
    Citation,
    DocumentMeta,
    Figure,
    FigureKind,
    Sentence,
    format_number,
)
from bot.resolve import MEASURE_OF_BEFORE, Scored

if TYPE_CHECKING:
    from bot.plan import Calculation, Missing, Undefined

SUBJECT_BORROWING_KINDS = (FigureKind.RANK, FigureKind.GROWTH, FigureKind.COMPLETION, FigureKind.MULTIPLE)
MIN_SUBJECT_CHARS = 2  # a segment naming fewer CJK characters than this borrows the clause before it ("净增 1402 家")
MAX_FACT_CHARS = 90
# a refusal shows the closest passage only when this much of the question is in it (0…1)
NEAREST_MIN_COVERAGE = 0.45

_SEGMENT_BREAKS = re.compile(rf"[，；;。！？!?：:、]|{CLAUSE_COMMA}")
_CLAUSE_BREAKS = re.compile(rf"[，；;。！？!?：:]|{CLAUSE_COMMA}")
_LEAD = re.compile(r"^(其中|同时|此外|另外|并且|并|且|目前|今年|全年|[一二三四五六七八九十]是)[，,]?")  # "四是新增…"
_VERBS_ONLY = re.compile(r"(首次|已经|已|累计|共|达到|达|为|约|超过|超|实现|完成|了|有|净增|新增|增长|同比|较上年)")
_TARGET_WORDS = re.compile(r"计划|力争|争取|目标|确保|预期|拟|要")
_SPACE = re.compile(r"\s+")
# "远高于全省平均水平（2.32%", "与全省平均水平（2.48%": a wider scope's level in an aside after a comparison word
_WIDER_LEVEL_IN_ASIDE = re.compile(
    r"(?:远|明显|略)?(?:高于|低于|超过|超出|与|同|和|较|比)?(?P<level>(?:全省|全国|全区|国内)(?:平均)?(?:水平)?)"
    r"[（(](?P<value>[^（()）]+)[）)]?"
)
_DATED = re.compile(r"(?:19|20)\d{2}\s*年(?:底|末)?")  # a year a clause is dated by, no subject of its own

NO_INPUT_TEXT = "请输入要查询的问题，例如：“2022年瞪羚企业目标是多少”。"


def with_restatements(answer: Answer, again: list[Scored], metas: dict[str, DocumentMeta]) -> Answer:
    """The answer citing, after its own sentences, other places where the report states the same figures."""
    cited = {c.id for c in answer.citations}
    extra = [s for s in again if s.sentence.id not in cited]
    if not extra:
        return answer
    more = {s.sentence.id: citation(s.sentence, metas.get(s.sentence.doc_id), restates=True) for s in extra}
    return replace(answer, citations=[*answer.citations, *more.values()])


def tidy(text: str) -> str:
    """Report text for an answer line: no spaces between Chinese and digits ("达 10252 家" → "达10252家")."""
    text = _SPACE.sub(" ", text).strip()
    return re.sub(r"(?<=[^\sA-Za-z])\s+|\s+(?=[^\sA-Za-z])", "", text)


def citation(sentence: Sentence, meta: DocumentMeta | None, *, restates: bool = False) -> Citation:
    return Citation(
        id=sentence.id,
        doc=meta.title if meta else sentence.doc_id,
        section=sentence.section,
        text=sentence.text,
        page=sentence.page,
        restates=restates,
    )


def _subject_clause(text: str, before: int) -> str:
    """The nearest clause before ``before`` that names what it measures ("享受…政策企业 17698 家")."""
    from bot.resolve import has_own_subject  # the same notion of "names a subject" as matching uses

    bounds = [0, *(m.end() for m in _CLAUSE_BREAKS.finditer(text, 0, max(before - 1, 0)))]
    for left, right in reversed(list(itertools.pairwise([*bounds, before]))):
        clause = text[left:right].strip("，,；; ")
        number = re.search(r"\d(?![\d,.]*\s*年)", clause)  # a figure, not the year it is dated ("2021年全市…")
        words = _DATED.sub("", clause[: number.start()] if number else clause)
        if clause and has_own_subject(words, subset_borrows=False):
            return clause
    return ""


def _cjk_count(text: str) -> int:
    return len(re.findall(r"[\u4e00-\u9fff]", text))


def figure_statement(figure: Figure, sentence: Sentence) -> str:
    """The report's words that state the figure, with its year: "2022年计划遴选瞪羚企业350家"."""
    from bot.resolve import list_scope, names_only_a_measure, respective_own  # the same readings as matching uses

    text = sentence.text
    aside_year = year_of_aside(text, figure.start)
    if aside_year is None and in_prior_year_aside(text, figure.start):
        aside_year = figure.period  # "较上年（3.16亿元）": the year before's level, dated so at extraction
    if aside_year is not None and figure.kind in (FigureKind.ACTUAL, FigureKind.CUMULATIVE):
        return f"{aside_year}年为{tidy(figure.raw)}"  # "较2020年（578家）": that year's level, said plainly
    left = max((m.end() for m in _SEGMENT_BREAKS.finditer(text, 0, figure.start)), default=0)
    phrase = text[left : figure.end]
    scope = list_scope(text, left)  # "（同期全省研发经费投入…、研发投入强度3.58%）": say whose 3.58% it is
    if respective_own(text, figure.start) is not None:
        # "新吴区、江阴市分别净增132家和98家": 98 家 is read with its name, so the whole list is quoted
        left = max((m.end() for m in _CLAUSE_BREAKS.finditer(text, 0, figure.start)), default=0)
        right = next((m.start() for m in _CLAUSE_BREAKS.finditer(text, figure.end)), len(text))
        return _with_year(figure, tidy(_LEAD.sub("", text[left:right].strip("，,、 "))))
    subject = _VERBS_ONLY.sub("", _LEAD.sub("", phrase[: figure.start - left]))
    right = next((m.start() for m in _SEGMENT_BREAKS.finditer(text, figure.end)), len(text))
    tail = text[figure.end : right]  # "122 个项目入选省双创人才计划": the number comes first
    short = _cjk_count(subject) < MIN_SUBJECT_CHARS
    if short and _cjk_count(tail) >= MIN_SUBJECT_CHARS:
        phrase = text[left:right]
    elif (short or MEASURE_OF_BEFORE.match(subject) or names_only_a_measure(text[left : figure.start])) and left > 0:
        # "净增 1402 家" / "合同金额 97.5 亿元" / "总数由2021年的37家增至46家": the clause before says of what
        prev_left = max((m.end() for m in _CLAUSE_BREAKS.finditer(text, 0, left - 1)), default=0)
        phrase = text[prev_left : figure.end]
    of_before = text[left : figure.start].lstrip("，,、 ").startswith("占")  # "占地区生产总值比重达到29%": of what
    if (figure.kind in SUBJECT_BORROWING_KINDS or of_before) and left > 0:
        # "位列全省第一" / "较上年增长 35.48%": name what it is about — the nearest clause naming a subject
        subject = _subject_clause(text, left)
        if subject and subject not in phrase:
            phrase = f"{subject}……{text[left : figure.end]}"
    phrase = tidy(_LEAD.sub("", phrase.strip("，,、 ")))
    if scope and scope not in phrase:
        phrase = scope + phrase
    compared = _WIDER_LEVEL_IN_ASIDE.fullmatch(phrase)
    if compared:  # "与全省平均水平（2.48%": the wider scope's level itself, said plainly
        phrase = compared.group("level") + re.sub(r"^(?:全省|全国|全区|国内)(?:为|是)", "", compared.group("value"))
    if phrase.count("（") > phrase.count("）"):  # "衍生孵化企业907家（其中获评高企87家": close the aside
        phrase += "）"
    if dated_just_before(text[left : figure.start]):
        return re.sub(r"^(?:比|较|相比)", "", phrase)  # "2023年的35.7亿元", "（上年为503件）": dated in place
    return _with_year(figure, phrase)


def _with_year(figure: Figure, phrase: str) -> str:
    """The statement led by the figure's year ("2022年计划…"), unless the report's words already say it."""
    phrase = re.sub(r"^今年", "", phrase)
    # "预计2025年全市R&D经费投入强度达3.7%左右", "据统计部门公布数据，2024年全市…": the year is said already
    said = figure.period is not None and re.search(rf"(?<!\d){figure.period}\s*年", phrase)
    if figure.period is not None and not re.match(r"^(19|20)\d{2}\s*年", phrase) and not said:
        plan = "计划" if figure.kind is FigureKind.TARGET and not _TARGET_WORDS.search(phrase) else ""
        phrase = f"{figure.period}年{plan}{phrase}"
    return phrase


def _years(text: str) -> set[str]:
    return set(re.findall(r"((?:19|20)\d{2})\s*年", text))


def answer_value(figure: Figure) -> tuple[Decimal, str]:
    """The value and unit a figure answers with: money keeps its scale (84.11 亿元), counts are in base units."""
    if figure.unit in ("元", "美元") and figure.scale:
        return figure.number, f"{figure.scale}{figure.unit}"
    if figure.unit == "名" and figure.kind is not FigureKind.RANK:
        return figure.value, "人"  # "选派科技特派员 382 名" counts people; 名 alone reads as a place (第 3 名)
    return figure.value, figure.unit


def lookup_answer(question: str, scored: Scored, meta: DocumentMeta | None) -> Answer:
    value, unit = answer_value(scored.figure)
    statement = figure_statement(scored.figure, scored.sentence)
    # the figure first when the report's words around it state other numbers too ("认定3755家，净增1402家")
    own = format_number(scored.figure.number)
    others = {n for n in re.findall(r"\d+(?:\.\d+)?", statement) if n not in _years(statement) and n != own}
    lead = tidy(scored.figure.raw)  # as the report writes it ("43.40%", "4300 余人")
    text = f"{statement}。" if not others else f"{lead}（{statement}）。"
    return Answer(
        question=question,
        found=True,
        text=text,
        kind=AnswerKind.LOOKUP,
        value=value,
        unit=unit,
        citations=[citation(scored.sentence, meta)],
        figures=(scored.figure.id,),
    )


def fact_answer(question: str, sentence: Sentence, terms: tuple[str, ...], meta: DocumentMeta | None) -> Answer:
    """The clauses of the best sentence that hold the question's words (the named entities)."""
    text = sentence.text.rstrip("。")
    if len(text) > MAX_FACT_CHARS:
        clauses = [c for c in _CLAUSE_BREAKS.split(text) if c]
        hits = [i for i, c in enumerate(clauses) if any(t in c for t in terms)]
        if hits:
            text = "，".join(clauses[min(hits) : max(hits) + 1])
            if len(text) > MAX_FACT_CHARS * 2:
                text = clauses[hits[0]]
    return Answer(
        question=question,
        found=True,
        text=f"{tidy(text)}。",
        kind=AnswerKind.FACT,
        citations=[citation(sentence, meta)],
    )


def unclear_reference(question: str, phrase: str) -> Answer:
    """A question pointing back at something it does not name ("这三地"): ask for the names, compute nothing."""
    text = f"问题里的“{phrase}”指哪些？我不记得之前的对话，请把名称写进问题里，例如“A区和B区新认定高企占全市多少”。"
    return Answer(question=question, found=False, text=text)


def refusal(question: str, subject: str, reason: str, nearest: Scored | None, meta: DocumentMeta | None) -> Answer:
    """ "报告中没有…": says what is missing, points at the closest passage without offering its number."""
    subject = subject or "这个问题"
    text = f"报告中没有{subject}的数据。"
    if nearest is not None:
        figure = nearest.figure
        kind_word = "计划数" if figure.kind is FigureKind.TARGET else "数据"
        if reason == "period" and figure.period:
            text = f"报告中没有{subject}的数据；报告只给出了{figure.period}年的{kind_word}，见相关原文。"
        elif reason == "kind":
            other = "实际完成数" if figure.kind is not FigureKind.TARGET else "计划目标数"
            text = f"报告中没有{subject}的数据；报告给出的是{other}，见相关原文。"
        elif reason == "prefer":
            text = f"报告中没有{subject}的这项数据（如增速、排名、占比等），见相关原文。"
        elif reason == "unit":
            text = f"报告中没有{subject}的这一口径数据，见相关原文。"
    return Answer(
        question=question,
        found=False,
        text=text,
        kind=AnswerKind.NONE,
        nearest=[citation(nearest.sentence, meta)]
        if nearest is not None and (reason != "indicator" or nearest.coverage >= NEAREST_MIN_COVERAGE)
        else [],
    )


MAX_SUBJECT_CHARS = 24  # a refusal names what was asked; a pasted paragraph is cut, not echoed back (characters)


def describe_subject(years: tuple[int, ...], terms: tuple[str, ...], want_target: bool) -> str:
    """ "2021年瞪羚企业" — how a refusal names what was asked."""
    year = f"{years[0]}年" if years else ""
    body = "".join(terms) if terms else ""
    if len(body) > MAX_SUBJECT_CHARS:
        body = body[:MAX_SUBJECT_CHARS] + "…"
    if want_target and body and "目标" not in body:
        body += "目标"
    return f"“{year}{body}”" if (year or body) else ""


def calc_answer(question: str, calculation: Calculation, metas: dict[str, DocumentMeta]) -> Answer:
    """The computed value first, then the figures it came from; every operand's sentence is cited."""
    result = calculation.result
    lead = calculation.lead
    display = result.display
    if lead.endswith(("约", "至少")) and display.startswith("约"):
        display = display[1:]
    statements = list(dict.fromkeys(calculation.statements))
    # "为2092家" is already inside "为2092家企业解决贷款84.11亿元": say each thing once
    statements = [s for s in statements if not any(s != other and s in other for other in statements)]
    basis = "；".join(statements)
    citations: dict[str, Citation] = {}
    for scored in calculation.operands:
        citations.setdefault(scored.sentence.id, citation(scored.sentence, metas.get(scored.sentence.doc_id)))
    return Answer(
        question=question,
        found=True,
        text=f"{lead}{display}（{basis}）。",
        kind=AnswerKind.CALC,
        value=result.value,
        unit=result.unit,
        formula=calculation.formula,
        citations=list(citations.values()),
        figures=tuple(scored.figure.id for scored in calculation.operands),
    )


def missing_operand(question: str, missing: Missing, metas: dict[str, DocumentMeta]) -> Answer:
    """An operand the report lacks: say which one, compute nothing."""
    what = tidy(missing.what).strip("，,？?。") or "所需的数据"
    return Answer(
        question=question,
        found=False,
        text=f"无法计算：报告中没有“{what}”的数据。",
        kind=AnswerKind.NONE,
        nearest=[citation(s.sentence, metas.get(s.sentence.doc_id)) for s in missing.found],
    )


def undefined(question: str, outcome: Undefined) -> Answer:
    """÷ 0: the operands exist, the value does not; never a neighbouring figure instead."""
    divisor = tidy(outcome.divisor).strip("，,？?。") or "除数"
    return Answer(question=question, found=False, text=f"无法计算：{divisor}为0，不能作除数。", kind=AnswerKind.NONE)


def converted_answer(question: str, scored: Scored, result: calc.Result, meta: DocumentMeta | None) -> Answer:
    """A looked-up figure in the unit the question asked for (84.11亿元 → 841100万元)."""
    statement = figure_statement(scored.figure, scored.sentence)
    return Answer(
        question=question,
        found=True,
        text=f"{result.display}（{statement}）。",
        kind=AnswerKind.CALC,
        value=result.value,
        unit=result.unit,
        formula=result.formula,
        citations=[citation(scored.sentence, meta)],
        figures=(scored.figure.id,),
    )
