"""Specification of report scope (bot.scope): which reports a question names, and what it then asks.

Read off the question and the reports' metadata only, so the reports here are
metadata: the three of tests/test_multi_report.py plus a Changzhou report that no
rule was written for (another city, later years, 年度 and 暨 in its title, 工作要点
for its plan) — the next report staff drop in looks like that.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.models import DocumentMeta, PeriodKind
from bot.plan import split_compare
from bot.scope import (
    MIN_CITIES_TO_NARROW,
    analyze_in_scope,
    cities_named,
    distribute_cities,
    documents_named,
    localize,
    names_title,
    report_name,
)
from bot.understand import Op, Query, analyze

SZ21 = DocumentMeta("sz-2021", "苏州市科技创新工作 2021 年总结及 2022 年计划", "苏州市科学技术局", "苏州", 2021, 2022)
SZ22 = DocumentMeta("sz-2022", "苏州市科技创新工作 2022 年总结及 2023 年计划", "苏州市科学技术局", "苏州", 2022, 2023)
WX22 = DocumentMeta("wx-2022", "无锡市科技局2022年工作总结和2023年工作思路", "", "无锡", 2022, 2023)
CZ23 = DocumentMeta("cz-2023", "常州市2023年度科技工作总结暨2024年工作要点", "常州市科学技术局", "常州", 2023, 2024)
DOCS = {d.doc_id: d for d in (SZ21, SZ22, WX22, CZ23)}
SUZHOU = frozenset({"sz-2021", "sz-2022"})


# ── a title as a question writes it ──────────────────────────────────────────


@pytest.mark.parametrize(
    ("name", "meta"),
    [
        ("苏州2021年总结及2022年计划", SZ21),
        ("苏州2021年总结和2022年计划", SZ21),  # 和 for 及
        ("苏州市科技创新工作2021年总结及2022年计划", SZ21),
        ("2022年计划", SZ21),  # the plan part of the 2021 report
        ("苏州2022年总结", SZ22),
        ("2022年的总结", SZ22),
        ("无锡市科技局2022年工作总结", WX22),
        ("2022年工作总结", WX22),
        ("无锡2023年工作思路", WX22),
        ("常州2023年科技工作总结", CZ23),  # 年度 written 年
        ("2023年度科技工作总结", CZ23),
        ("2024年工作要点", CZ23),
    ],
)
def test_a_title_is_named_by_its_years_and_some_of_its_words(name: str, meta: DocumentMeta) -> None:
    assert names_title(name, meta.title)


@pytest.mark.parametrize(
    ("name", "meta"),
    [
        ("2022年计划", SZ22),  # 2022 is this report's review year; its plan is for 2023
        ("2022年工作总结", SZ22),  # 工作 comes before the year in this title, not after it
        ("2023年计划", WX22),  # Wuxi's plan part is a 工作思路
        ("苏州2024年总结", SZ22),  # year trap: no 2024 report
        ("无锡2022年总结", SZ22),  # another city's report of the same year
        ("2021年总结及2022年计划", SZ22),
        ("2023年工作要点", CZ23),  # its plan is for 2024
    ],
)
def test_a_title_is_not_named_by_another_year_or_city(name: str, meta: DocumentMeta) -> None:
    assert not names_title(name, meta.title)


# ── which reports a question is about ────────────────────────────────────────


@pytest.mark.parametrize(
    ("question", "docs"),
    [
        ("在苏州2022年总结及2023年计划里，科创板企业累计多少家", {"sz-2022"}),
        ("苏州2021年总结及2022年计划中有效高企目标是多少", {"sz-2021"}),
        ("无锡市科技局2022年工作总结里技术合同成交额是多少", {"wx-2022"}),
        ("根据常州2023年度科技工作总结，高企有多少家", {"cz-2023"}),
        ("2024年工作要点中高企目标是多少", {"cz-2023"}),
        ("２０２２年工作总结里技术合同成交额是多少", {"wx-2022"}),  # full-width digits
        ("無錫2022年技術合同成交額是多少", {"wx-2022"}),  # traditional characters
        ("无锡2022年有效高企有多少家", {"wx-2022"}),
        ("苏州有效高企有多少家", SUZHOU),
        ("苏州市科技局说有效高企有多少家", SUZHOU),  # the issuer, shortened
        ("常州市科学技术局统计的高企有多少家", {"cz-2023"}),
        ("无锡和苏州2022年技术合同成交额差多少", SUZHOU | {"wx-2022"}),
        ("无锡2023年计划里技术合同成交额目标是多少", {"wx-2022"}),  # the city is named; 2023年计划 only sounds Suzhou's
    ],
)
def test_reports_named_by_city_issuer_or_title(question: str, docs: set[str]) -> None:
    assert documents_named(question, DOCS) == docs


@pytest.mark.parametrize(
    "question",
    [
        "有效高企有多少家",
        "南京2022年有效高企有多少家",  # a city with no report: left to the coverage check, which refuses
        "2022年计划遴选瞪羚企业多少家",  # 计划 is the verb here: nothing says "in the plan"
        "2022年有效高企比目标多多少家",
        "工作总结里有效高企有多少家",  # names every report
    ],
)
def test_questions_naming_no_report_search_all(question: str) -> None:
    assert documents_named(question, DOCS) is None


def test_one_city_is_no_narrowing_but_a_title_still_is() -> None:
    suzhou = {d.doc_id: d for d in (SZ21, SZ22)}
    assert len({d.city for d in suzhou.values()}) < MIN_CITIES_TO_NARROW
    assert documents_named("苏州有效高企有多少家", suzhou) is None
    assert documents_named("苏州2021年总结里有效高企有多少家", suzhou) == {"sz-2021"}


def test_cities_are_listed_in_the_order_asked() -> None:
    assert cities_named("无锡和苏州的有效高企", DOCS) == ("无锡", "苏州")
    assert cities_named("南京的有效高企", DOCS) == ()


def test_a_name_that_matches_no_report_is_no_name() -> None:
    """Year trap: "苏州2024年总结" is no indexed report, so its 2024 stays a year asked (and is refused)."""
    assert report_name("苏州2024年总结里有效高企多少家", DOCS) is None


# ── what is asked once the report's name is set aside ───────────────────────


@pytest.mark.parametrize(
    ("question", "years", "want"),
    [
        ("在苏州2022年总结及2023年计划里，科创板企业累计多少家", (), None),  # 计划 of the title is no target word
        ("苏州2021年总结及2022年计划中有效高企目标是多少", (), PeriodKind.TARGET),
        ("无锡市科技局2022年工作总结里技术合同成交额是多少", (), None),
        ("根据常州2023年度科技工作总结，高企有多少家", (), None),
        ("苏州2023年计划中瞪羚企业遴选多少家", (2023,), PeriodKind.TARGET),  # a plan part's year is the year planned
        ("苏州2024年总结里有效高企多少家", (2024,), None),  # year trap: no such report
        ("2022年有效高企目标是多少", (2022,), PeriodKind.TARGET),
    ],
)
def test_years_of_a_report_name_are_not_years_asked(
    question: str, years: tuple[int, ...], want: PeriodKind | None
) -> None:
    query = analyze_in_scope(question, DOCS)
    assert (query.years, query.want) == (years, want)
    assert query.original == question


def test_a_report_name_leaves_only_the_indicator_words() -> None:
    query = analyze_in_scope("在苏州2022年总结及2023年计划里，科创板企业累计多少家", DOCS)
    assert query.terms == analyze("科创板企业累计多少家").terms


# ── two cities, one operand each ─────────────────────────────────────────────


@pytest.mark.parametrize(
    ("question", "rewritten"),
    [
        ("苏州和无锡2022年技术合同成交额差多少亿元", "苏州2022年技术合同成交额比无锡2022年技术合同成交额差多少亿元"),
        ("无锡与苏州2022年有效高企相差多少家", "无锡2022年有效高企比苏州2022年有效高企差多少家"),
        ("苏州和无锡的技术合同成交额差距是多少", "苏州的技术合同成交额比无锡的技术合同成交额差多少"),
        ("常州和无锡有效高企之间差几家", "常州有效高企比无锡有效高企差几家"),
        ("苏州和无锡的科技型中小企业的差距是多少万家", "苏州的科技型中小企业比无锡的科技型中小企业差多少万家"),
    ],
)
def test_a_difference_of_two_cities_is_a_comparison(question: str, rewritten: str) -> None:
    query = analyze(question)
    assert query.op is Op.DIFFERENCE
    distributed = distribute_cities(query, DOCS)
    assert distributed is not None
    assert (distributed.text, distributed.original, distributed.op) == (rewritten, question, Op.DIFFERENCE)
    halves = split_compare(distributed.text)
    assert halves is not None
    assert [cities_named(h, DOCS) for h in halves] == [(c,) for c in cities_named(question, DOCS)]


@pytest.mark.parametrize(
    ("question", "rewritten"),
    [
        ("苏州和无锡2022年新引进外国人才一共多少人", "苏州2022年新引进外国人才和无锡2022年新引进外国人才一共多少人"),
        (
            "2022年苏州、无锡新引进外国人才加起来多少人",
            "2022年苏州新引进外国人才和2022年无锡新引进外国人才加起来多少人",
        ),
        ("苏州市和无锡市技术合同成交额合计多少亿元", "苏州技术合同成交额和无锡技术合同成交额合计多少亿元"),
    ],
)
def test_a_sum_of_two_cities_adds_one_operand_per_city(question: str, rewritten: str) -> None:
    query = analyze(question)
    assert query.op is Op.SUM
    distributed = distribute_cities(query, DOCS)
    assert distributed is not None and distributed.text == rewritten


@pytest.mark.parametrize(
    "question",
    [
        "苏州和无锡的有效高企有多少家",  # no calculation asked
        "苏州2022年有效高企比无锡多多少家",  # already two operands
        "苏州和常熟的有效高企差多少家",  # 常熟 has no report
        "苏州和苏州的有效高企差多少家",
        "科贷通和锡科贷一共贷了多少亿元",  # two indicators, no two cities
    ],
)
def test_only_two_indexed_cities_joined_are_distributed(question: str) -> None:
    assert distribute_cities(analyze(question), DOCS) is None


def test_one_indexed_city_distributes_nothing() -> None:
    assert distribute_cities(analyze("苏州和无锡有效高企差多少家"), {"sz-2021": SZ21}) is None


# ── one operand that names its own city ──────────────────────────────────────


def _side(text: str, inherited: tuple[str, ...]) -> Query:
    """An operand as the planner builds it: its own words plus those elided from the other operand."""
    own = analyze(text)
    weighted = tuple((t, 1.0) for t in inherited) + own.weighted_terms
    return replace(own, terms=tuple(t for t, _ in weighted), weighted_terms=weighted)


def test_an_operand_naming_a_city_drops_the_other_citys_name_and_takes_the_year() -> None:
    question = analyze("苏州2022年新引进外国人才比无锡多多少人")
    side = localize(_side("无锡", ("苏州", "外国人才")), question, DOCS)
    assert side.terms == ("外国人才", "无锡")
    assert side.years == (2022,)


def test_an_operand_keeps_its_own_year() -> None:
    question = analyze("苏州2022年有效高企比无锡2021年多多少家")
    side = localize(_side("无锡2021年", ("苏州", "有效高企")), question, DOCS)
    assert side.years == (2021,)
    assert "苏州" not in side.terms


def test_with_two_years_asked_an_operand_takes_neither() -> None:
    question = analyze("苏州2022年有效高企比无锡2021年多多少家")
    assert question.years == (2022, 2021)
    assert localize(_side("无锡", ("有效高企",)), question, DOCS).years == ()


def test_an_operand_naming_no_city_is_left_alone() -> None:
    question = analyze("苏州2022年有效高企比2021年多多少家")
    side = _side("2021年", ("苏州", "有效高企"))
    assert localize(side, question, DOCS) == side
