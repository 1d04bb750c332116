"""bot/answer.py — how an answer, a refusal and a figure's statement are worded (pure functions)."""

from __future__ import annotations

import pytest
from figure_support import figure, sentence

from bot.answer import MAX_SUBJECT_CHARS, describe_subject, figure_statement, tidy, undefined
from bot.models import AnswerKind, FigureKind
from bot.plan import Undefined


def test_a_rate_is_stated_with_the_clause_naming_its_subject_not_a_lead_in() -> None:
    text = "据统计，2021年全市全社会研发经费投入434.21亿元，同比增长16.2%。"
    growth = figure(text, "16.2%", FigureKind.GROWTH, unit="%")
    assert figure_statement(growth, sentence(text)) == "2021年全市全社会研发经费投入434.21亿元，同比增长16.2%"


def test_an_enumerator_is_no_part_of_a_statement() -> None:
    text = "四是新增国家级科技企业孵化器2家以上，推动孵化器向专业化发展。"
    assert (
        figure_statement(figure(text, "2家以上", FigureKind.INCREMENT), sentence(text))
        == "2021年新增国家级科技企业孵化器2家以上"
    )


@pytest.mark.parametrize(
    ("text", "raw", "statement"),
    [
        ("研发投入强度为2.27%，与全省平均水平（2.48%）的差距进一步缩小。", "2.48%", "2021年全省平均水平2.48%"),
        ("研发投入强度为2.08%，高于全省平均水平（全省为1.98%）。", "1.98%", "2021年全省平均水平1.98%"),
    ],
)
def test_a_wider_scopes_level_compared_with_is_said_plainly(text: str, raw: str, statement: str) -> None:
    assert figure_statement(figure(text, raw, unit="%"), sentence(text)) == statement


def test_a_level_alone_in_an_aside_after_its_year_is_said_plainly() -> None:
    text = "全市有效高新技术企业达到1,326家，较2020年（578家）增长1.29倍。"
    assert figure_statement(figure(text, "578家"), sentence(text)) == "2020年为578家"


@pytest.mark.parametrize(
    ("text", "raw", "statement"),
    [
        ("认定高企 3755 家，净增 1402 家，有效高企数达到 11155 家。", "1402 家", "2021年认定高企3755家，净增1402家"),
        ("122 个项目入选省双创人才计划，累计入选 1236 人。", "122 个", "2021年122个项目入选省双创人才计划"),
        (
            "共建科技创新载体平台 99 个，合同金额 97.5 亿元；校地校企达成合作项目 299 个。",
            "97.5 亿元",
            "2021年共建科技创新载体平台99个，合同金额97.5亿元",
        ),
        (
            "衍生孵化企业 907 家（其中获评高新技术企业 87 家、科技型中小企业 222 家）。",
            "87 家",
            "2021年衍生孵化企业907家（其中获评高新技术企业87家）",  # a part with its whole
        ),
    ],
)
def test_a_figure_is_stated_in_the_reports_words_with_its_subject(text: str, raw: str, statement: str) -> None:
    """A bare "净增1402家" or "合同金额97.5亿元" says nothing on its own: the clause naming the subject comes too."""
    assert figure_statement(figure(text, raw), sentence(text)) == statement


def test_a_statement_cut_inside_an_aside_closes_it() -> None:
    text = "衍生孵化企业 907 家（其中获评高新技术企业 87 家、科技型中小企业 222 家）。"
    statement = figure_statement(figure(text, "907 家"), sentence(text))
    assert statement.count("（") == statement.count("）")


def test_tidy_drops_spaces_between_chinese_and_digits_only() -> None:
    assert tidy("达 10252 家，占 GDP 比重 3.4%") == "达10252家，占GDP比重3.4%"


def test_a_refusal_names_what_was_asked() -> None:
    assert describe_subject((2021,), ("瞪羚企业",), True) == "“2021年瞪羚企业目标”"
    assert describe_subject((), (), False) == ""


def test_a_refusal_does_not_echo_a_pasted_paragraph() -> None:
    subject = describe_subject((), ("瞪羚" * 500,), False)
    assert len(subject) <= MAX_SUBJECT_CHARS + 3  # the cut text, an ellipsis and the quotes


def test_division_by_zero_is_said_plainly_without_a_number() -> None:
    answer = undefined("天使子基金平均每个募资多少", Undefined("2021年全市新设立天使子基金"))
    assert not answer.found and answer.kind is AnswerKind.NONE and answer.value is None
    assert answer.text == "无法计算：2021年全市新设立天使子基金为0，不能作除数。"
