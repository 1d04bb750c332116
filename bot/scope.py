"""Which reports a question names — by city, issuer or title — and what it asks once they are set aside.

With one report every year in a question is a year asked about. With several,
a question can name a report: "在苏州2022年总结及2023年计划里，科创板企业累计多少家"
asks about the latest cumulative count *in that report*; its 2022 and 2023 are the
report's name, and its 计划 is no target word. Cities narrow the same way
("无锡…" → Wuxi's reports), and a comparison of two cities ("苏州和无锡的有效高企差多少")
is two operands, each from its own city's reports.

Everything here is read off the question and the reports' metadata (title, city,
issuer), never off report text, so a new report with another city or year is
covered by its metadata alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.models import DocumentMeta
from bot.normalize import normalize_question
from bot.understand import Op, Query, analyze

MAX_REPORT_NAME_CHARS = 32  # longest span read as a report's name (characters before its 总结/计划 word)
MIN_REPORT_NAME_CHARS = 4  # shorter spans ("总结") name no report (characters, noise removed)
MIN_CITIES_TO_NARROW = 2  # with fewer indexed cities, naming the one city narrows nothing

_YEAR = re.compile(r"(?:19|20)\d{2}")
_REPORT_WORD = re.compile(r"总结|计划|思路|要点|报告|规划|安排|回顾|打算")
# a name for the whole report (its review part is in it), not only for its plan part ("2023年计划里")
_WHOLE_REPORT = re.compile(r"总结|回顾|报告")
# what follows a report's name in a question: "…总结里", "…计划中的", "…思路，", "…总结（报告）中"
_AFTER_NAME = re.compile(
    r"(?:报告|文件|材料|原文|全文|文中)?(?:里面|里头|里|当中|之中|中的|中|上面|上|内|提到的?|提出的?|显示|说的?|的|[，,:：])"
)
_BEFORE_NAME = re.compile(r"(?:在|据|根据|按照|按|从|依据|对照|看)\s*$")
# characters a question may add to or drop from a title without naming another report
_NAME_NOISE = re.compile(r"[\s的“”\"《》、和及与]|(?<=年)度")
_LEADING_PUNCTUATION = re.compile(r"^[\s，,:：；;]+")
# "苏州和无锡…": two cities joined, each with an optional 市
_JOIN = r"(?:市)?(?:和|与|跟|同|及|、)"
# the operation words that end the shared part of "苏州和无锡<shared part><operation>"
_DIFFERENCE_TAIL = re.compile(r"(?:之间)?的?(?:差距|差额|差值|之差|相差|差)")
_SUM_TAIL = re.compile(r"的?(?:一共|合计|总共|加起来|共计|总和|之和|合起来|加在一起)")


@dataclass(frozen=True)
class ReportName:
    """A span of a question that names one or more reports by title."""

    start: int  # where the removable words start ("在" included)
    end: int  # where they end (the locative "里" included)
    docs: frozenset[str]
    whole: bool  # names the whole report: its years are the report's name, not years asked


def _name_key(text: str) -> str:
    return _NAME_NOISE.sub("", text)


def _is_subsequence(needle: str, haystack: str) -> bool:
    chars = iter(haystack)
    return all(c in chars for c in needle)


def _chunks(key: str) -> tuple[str, list[str]]:
    """ "苏州2021年总结及2022年计划" → ("苏州", ["2021年总结及", "2022年计划"]): text before the first year,
    then one chunk per year."""
    parts = re.split(r"(?=(?:19|20)\d{2})", key)
    return parts[0], [p for p in parts[1:] if p]


def names_title(name: str, title: str) -> bool:
    """Does ``name`` (as a question writes it) name a report titled ``title``?

    Each year of the name must be a year of the title, in order, and the words after it
    must be read after that year in the title ("2022年计划" names "…2021年总结及2022年计划",
    not "…2022年总结及2023年计划"); the words before the first year (city, issuer) must be
    read in the title's opening, characters may be skipped ("苏州" in "苏州市科技创新工作").
    """
    lead, chunks = _chunks(_name_key(name))
    title_lead, title_chunks = _chunks(_name_key(title))
    if not chunks:
        return bool(lead) and _is_subsequence(lead, _name_key(title))
    if not _is_subsequence(lead, title_lead):
        return False
    at = 0
    for chunk in chunks:
        year = chunk[:4]
        while at < len(title_chunks) and not (
            title_chunks[at].startswith(year) and _is_subsequence(chunk[4:], title_chunks[at][4:])
        ):
            at += 1
        if at == len(title_chunks):
            return False
        at += 1
    return True


# A loaded index's documents never change, yet every question asks for its cities several times
# (scoping, each operand, two-city checks): ~7 ms a question at 1,000 reports when rebuilt each time; the
# issuers likewise (~3.5 ms).
_GROUPS_MEMO: dict[tuple[int, str], tuple[Mapping[str, DocumentMeta], int, dict[str, frozenset[str]]]] = {}
MAX_GROUPS_MEMO = 16  # (document collection, grouping) pairs remembered (one collection per loaded index)


def _grouped(
    documents: Mapping[str, DocumentMeta], name: str, key: Callable[[DocumentMeta], str]
) -> dict[str, frozenset[str]]:
    """key(meta) → the reports with it, computed once per document collection and grouping ``name``."""
    memo = _GROUPS_MEMO.get((id(documents), name))
    if memo is not None and memo[0] is documents and memo[1] == len(documents):
        return memo[2]
    groups: dict[str, set[str]] = {}
    for meta in documents.values():
        if value := key(meta):
            groups.setdefault(value, set()).add(meta.doc_id)
    result = {value: frozenset(docs) for value, docs in groups.items()}
    if len(_GROUPS_MEMO) >= MAX_GROUPS_MEMO:
        _GROUPS_MEMO.clear()
    _GROUPS_MEMO[(id(documents), name)] = (documents, len(documents), result)
    return result


def indexed_cities(documents: Mapping[str, DocumentMeta]) -> dict[str, frozenset[str]]:
    """City → the reports about it (computed once per document collection)."""
    return _grouped(documents, "city", lambda meta: meta.city)


def indexed_issuers(documents: Mapping[str, DocumentMeta]) -> dict[str, frozenset[str]]:
    """Issuer (苏州市科学技术局) → the reports it issued (computed once per document collection)."""
    return _grouped(documents, "issuer", lambda meta: meta.issuer)


def cities_named(text: str, documents: Mapping[str, DocumentMeta]) -> tuple[str, ...]:
    """Indexed cities the text names, in the order it names them."""
    found = [(text.find(city), city) for city in indexed_cities(documents) if city in text]
    return tuple(city for _, city in sorted(found))


def report_name(text: str, documents: Mapping[str, DocumentMeta]) -> ReportName | None:
    """The first span naming reports by title ("无锡市科技局2022年工作总结里"), if any names an indexed one.

    A name ends in a report word (总结, 计划, 思路 …) followed by where-in words (里, 中, 的 …);
    the longest span before it that names at least one title wins. A name that matches no
    report is left alone: its years stay years asked, and the period check refuses.
    """
    cities = indexed_cities(documents)
    for word in _REPORT_WORD.finditer(text):
        after = _AFTER_NAME.match(text, word.end())
        if after is None:
            continue
        for start in range(max(0, word.start() - MAX_REPORT_NAME_CHARS), word.start()):
            name = text[start : word.end()]
            if not re.match(r"[\u4e00-\u9fff\d]", name) or len(_name_key(name)) < MIN_REPORT_NAME_CHARS:
                continue
            if not _YEAR.search(name) and not any(city in name for city in cities):
                continue  # "工作总结" alone names every report
            docs = frozenset(d for d, meta in documents.items() if names_title(name, meta.title))
            if docs:
                before = _BEFORE_NAME.search(text[:start])
                whole = bool(_WHOLE_REPORT.search(name)) or len(_YEAR.findall(name)) > 1
                return ReportName(before.start() if before else start, after.end(), docs, whole)
    return None


@lru_cache(maxsize=4096)
def issuer_forms(issuer: str) -> tuple[str, ...]:
    """How a question writes an issuer: in full, or with 科学技术 shortened to 科技 (苏州市科技局)."""
    return tuple(dict.fromkeys((issuer, issuer.replace("科学技术", "科技"))))


def documents_named(question: str, documents: Mapping[str, DocumentMeta]) -> frozenset[str] | None:
    """The reports a question (or one side of a calculation) is about; None when it names none.

    City, issuer and title narrow together; when they disagree the plainer one wins (a city is
    named by its name, a title only by some of its words).
    """
    text = normalize_question(question)
    cities = indexed_cities(documents)
    in_cities: frozenset[str] | None = None
    if len(cities) >= MIN_CITIES_TO_NARROW:
        asked = cities_named(text, documents)
        if asked:
            in_cities = frozenset(doc for city in asked for doc in cities[city])
    by_issuer = frozenset(
        doc
        for issuer, docs in indexed_issuers(documents).items()
        if any(form in text for form in issuer_forms(issuer))
        for doc in docs
    )
    named = report_name(text, documents)
    narrowing = [docs for docs in (in_cities, by_issuer or None, named.docs if named else None) if docs is not None]
    if not narrowing:
        return None
    scope = narrowing[0]
    for docs in narrowing[1:]:
        scope = (scope & docs) or scope
    return scope


def analyze_in_scope(question: str, documents: Mapping[str, DocumentMeta]) -> Query:
    """:func:`bot.understand.analyze` of the question without the name of the report it names.

    "苏州2021年总结及2022年计划中有效高企目标是多少" is analyzed as "有效高企目标是多少"
    (the report is kept by :func:`documents_named`, which reads the original question).
    A name of the plan part only ("2023年计划里") stays: its year is the year the plan is for.
    """
    text = normalize_question(question)
    named = report_name(text, documents)
    if named is None or not named.whole:
        return analyze(question)
    rest = (text[: named.start] + _LEADING_PUNCTUATION.sub("", text[named.end :])).strip()
    if not rest:
        return analyze(question)
    return replace(analyze(rest), original=question)


def distribute_cities(query: Query, documents: Mapping[str, DocumentMeta]) -> Query | None:
    """ "苏州和无锡2022年新引进外国人才一共多少人" → the same question with one operand per city.

    Shared words are repeated for each city ("苏州2022年新引进外国人才和无锡2022年新引进外国人才一共…";
    "…差多少" becomes "A…比B…差多少"), so the calculation planner sees two operands, each of
    which then names its own city. None when the question joins no two indexed cities or asks
    neither a difference nor a sum.
    """
    cities = indexed_cities(documents)
    if len(cities) < MIN_CITIES_TO_NARROW or query.op not in (Op.DIFFERENCE, Op.SUM):
        return None
    names = "|".join(re.escape(c) for c in sorted(cities, key=len, reverse=True))
    text = query.text
    joined = re.search(rf"({names}){_JOIN}({names})(?:市)?(?:两市|两地|之间)?", text)
    if joined is None or joined.group(1) == joined.group(2):
        return None
    first, second = joined.group(1), joined.group(2)
    prefix, rest = text[: joined.start()], text[joined.end() :]
    tail = (_DIFFERENCE_TAIL if query.op is Op.DIFFERENCE else _SUM_TAIL).search(rest)
    if tail is None:
        return None
    shared = rest[: tail.start()]
    if query.op is Op.DIFFERENCE:
        how_much = re.search(r"多少|几", rest[tail.end() :])  # "差距是多少万家" → "差多少万家"
        asked = f"差{rest[tail.end() + how_much.start() :]}" if how_much else f"差多少{query.unit}"
        rewritten = f"{prefix}{first}{shared}比{prefix}{second}{shared}{asked}"
    else:
        rewritten = f"{prefix}{first}{shared}和{prefix}{second}{shared}{rest[tail.start() :]}"
    return replace(analyze(rewritten), original=query.original)


def localize(side: Query, question: Query, documents: Mapping[str, DocumentMeta]) -> Query:
    """One operand that names its own city ("…比无锡多多少" → "无锡") is about that city only.

    Words of the other operand it shares by ellipsis may include the other city's name: those
    are dropped. With no year of its own it is about the question's year (one year only: with
    two, each side names its own).
    """
    own = cities_named(normalize_question(side.original), documents)
    if not own:
        return side
    others = [city for city in indexed_cities(documents) if city not in own]
    weighted = tuple((t, w) for t, w in side.weighted_terms if not any(city in t for city in others))
    side = replace(
        side,
        terms=tuple(t for t, _ in weighted),
        weighted_terms=weighted,
        modifiers=tuple(pair for pair in side.modifiers if not any(c in w for c in others for w in pair)),
    )
    years = tuple(dict.fromkeys(question.years))
    if not side.years and not side.relative and len(years) == 1:
        side = replace(side, years=years)
    return side
