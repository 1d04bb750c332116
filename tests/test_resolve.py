"""Specification of figure matching (bot.resolve), the rules that need no index.

Only :func:`bot.resolve.kind_fits` is pinned here so far: which kind of figure
may answer what the question asks for. The rest of matching is exercised through
the engine (tests/test_engine.py, tests/test_near_miss.py).
"""

from __future__ import annotations

import pytest

from bot.figures import extract_figures
from bot.models import DocumentMeta, Figure, PeriodKind, Sentence
from bot.resolve import kind_fits, respective_own, wider_scope_elsewhere
from bot.understand import analyze

REVIEW = (2022, PeriodKind.ACTUAL)
PLAN = (2023, PeriodKind.TARGET)


def sentence(text: str, section: tuple[int, PeriodKind]) -> Sentence:
    period, kind = section
    return Sentence("s-test", "test", "test#1", ("section",), 0, 0, text, period, kind)


def fits(question: str, text: str, raw: str, section: tuple[int, PeriodKind] = REVIEW) -> bool:
    """Does the figure written as ``raw`` in ``text`` have the kind ``question`` asks for?"""
    where = sentence(text, section)
    figure: Figure = next(f for f in extract_figures(where) if f.raw == raw)
    return kind_fits(figure, where, analyze(question))


@pytest.mark.parametrize(
    ("question", "text", "raw", "section"),
    [
        ("2023年科贷通累计解决贷款多少亿元", "“科贷通”全年为 2800 家企业解决贷款 150 亿元以上。", "150 亿元以上", PLAN),
        ("科贷通迄今解决贷款多少亿元", "“科贷通”全年为 2536 家企业解决贷款 121.37 亿元。", "121.37 亿元", REVIEW),
        ("锡科贷历年发放贷款多少亿元", "“锡科贷”当年提供贷款 68.5 亿元。", "68.5 亿元", REVIEW),
    ],
)
def test_one_years_flow_never_answers_a_running_total(
    question: str, text: str, raw: str, section: tuple[int, PeriodKind]
) -> None:
    """ "累计…多少" is not answered by what the report marks as one year's (全年, 当年): a refusal, not 150 亿元."""
    assert not fits(question, text, raw, section)


@pytest.mark.parametrize(
    ("question", "text", "raw"),
    [
        ("科贷通累计解决贷款多少亿元", "累计已为 12392 家企业解决贷款 677.72 亿元。", "677.72 亿元"),
        ("锡科贷累计发放贷款多少亿元", "“锡科贷”全年累计发放贷款 300 亿元。", "300 亿元"),  # the report says both
        ("科贷通全年解决贷款多少亿元", "“科贷通”全年为 2536 家企业解决贷款 121.37 亿元。", "121.37 亿元"),
        ("科贷通一共贷款多少亿元", "“科贷通”全年为 2536 家企业解决贷款 121.37 亿元。", "121.37 亿元"),  # 一共 ≠ 累计
    ],
)
def test_running_totals_and_plain_questions_still_fit(question: str, text: str, raw: str) -> None:
    assert fits(question, text, raw)


def test_targets_and_actuals_stay_apart() -> None:
    """A plan figure never answers 实际/完成了, an actual never 目标."""
    plan = "2023 年遴选瞪羚企业 400 家。"
    review = "遴选瞪羚企业 372 家。"
    assert fits("2023年瞪羚企业目标是多少", plan, "400 家", PLAN)
    assert not fits("2023年实际遴选了多少家瞪羚企业", plan, "400 家", PLAN)
    assert not fits("2022年瞪羚企业目标是多少", review, "372 家")
    assert fits("2022年实际遴选了多少家瞪羚企业", review, "372 家")


CITY = DocumentMeta(doc_id="d", title="苏州市科技创新工作总结", issuer="苏州市科学技术局", city="苏州")
PROVINCE = DocumentMeta(doc_id="p", title="江苏省科技工作要点", issuer="江苏省科学技术厅", city="江苏省")


@pytest.mark.parametrize(
    ("terms", "clause", "meta", "elsewhere"),
    [
        (("全省", "有效高企"), "有效数高企数达到11155家", CITY, True),  # "，全省第一" is another clause
        (("高企", "全省"), "占全省的1/3", CITY, False),  # the share names the province itself
        (("有效高企",), "有效数高企数达到11155家", CITY, False),  # the city's own scope needs no word
        (("全省", "有效高企"), "有效高企数达到5万家", PROVINCE, False),  # a province's report is 全省
        (("全国", "有效高企"), "有效高企数达到5万家", PROVINCE, True),
    ],
)
def test_a_wider_scope_must_be_named_at_the_figure(
    terms: tuple[str, ...], clause: str, meta: DocumentMeta, elsewhere: bool
) -> None:
    assert wider_scope_elsewhere(terms, ((clause, 1.0), (clause, 0.8)), meta) is elsewhere


@pytest.mark.parametrize(
    ("text", "raw", "own"),
    [
        ("其中新吴区、江阴市分别净增132家和98家，新吴区高企数量居首位。", "98家", "江阴市净增98家"),
        ("其中新吴区、江阴市分别净增132家和98家。", "132家", "新吴区净增132家"),
        ("新吴区、江阴市、滨湖区研发投入占比分别达4.85%、3.62%和3.98%。", "3.62%", "江阴市研发投入占比达3.62%"),
        (
            "2023年技术开发、技术服务、技术转让、技术咨询合同成交额分别为612.4亿元、703.5亿元、98.1亿元、113.3亿元。",
            "98.1亿元",
            "技术转让合同成交额为98.1亿元",
        ),
        ("国家级、省级孵化器分别为36家和62家。", "62家", "省级孵化器为62家"),
    ],
)
def test_a_respectively_list_pairs_the_ith_name_with_the_ith_number(text: str, raw: str, own: str) -> None:
    """ "A、B分别…x和y": y is B's; the name the last item carries (合同成交额) is every item's."""
    assert respective_own(text, text.index(raw)) == own


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("投放386.7亿元，惠及5420家，同比分别增长16.4%和12.8%。", "12.8%"),  # no names before 分别: plan pairs these
        ("新吴区、江阴市、滨湖区分别增长12%和8%。", "8%"),  # three names, two numbers: no pairing
    ],
)
def test_no_pairing_when_names_and_numbers_do_not_line_up(text: str, raw: str) -> None:
    assert respective_own(text, text.index(raw)) is None
