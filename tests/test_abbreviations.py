"""Specification of typed abbreviations (bot.abbreviations): 技合额 is the report's 技术合同成交额."""

from __future__ import annotations

import pytest

from bot.abbreviations import AbbreviationExpander, abbreviates, pieces

REPORT = (
    "全年登记技术合同9,836项，技术合同成交额286.45亿元；全市高新技术企业实现营业收入1.18万亿元；"
    "新引进外国人才320人；研发投入强度3.62%；科技型中小企业评价入库3,105家"
)
INDICATORS = ["登记技术合同", "技术合同成交额", "高新技术企业实现营业收入", "新引进外国人才", "研发投入强度"]


@pytest.fixture(scope="module")
def expander() -> AbbreviationExpander:
    return AbbreviationExpander(INDICATORS, lambda text: text in REPORT)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("去年技合额多少亿", "去年技术合同成交额多少亿"),
        ("长沙县 浏阳 宁乡三个地方技合额加起来多少", "长沙县 浏阳 宁乡三个地方技术合同成交额加起来多少"),  # 技合额加
        ("思明湖里集美三个区技合额一共多少亿", "思明湖里集美三个区技术合同成交额一共多少亿"),  # 区技合额
        # cut 区技合|额加: the abbreviation runs across two made-up words
        ("高新区经开区净月三个区技合额加起来多少亿", "高新区经开区净月三个区技术合同成交额加起来多少亿"),
        # cut 技合|额前: into a real word (额前) by its first character only
        ("技合额前三的区加一起多少亿", "技术合同成交额前三的区加一起多少亿"),
        ("高企营收今年按目标要到多少亿元", "高企营业收入今年按目标要到多少亿元"),
    ],
)
def test_an_abbreviation_reads_as_the_report_phrase(expander: AbbreviationExpander, typed: str, meant: str) -> None:
    assert expander.expand(typed) == meant


@pytest.mark.parametrize(
    "question",
    [
        "引进人才里国家级占比多少",  # 引进·外国·人才 leaves a word out: another group, not a shorter name
        "高企总数多少家",  # two words typed side by side, each meant as written
        "研发强度是多少",  # a synonym the lexicon knows already
        "技术合同成交额多少",  # the report's own words
        "去年比前年多多少",  # question words and years only
    ],
)
def test_nothing_else_is_touched(expander: AbbreviationExpander, question: str) -> None:
    assert expander.expand(question) == question


def test_two_phrases_that_fit_are_no_expansion() -> None:
    expander = AbbreviationExpander(["技术合同成交额", "技术合作金额"], lambda text: False)
    assert expander.expansion("技合额") is None


@pytest.mark.parametrize(
    ("short", "words", "fits"),
    [
        ("技合额", ("技术合同", "成交额"), True),
        ("营收", ("营业", "收入"), True),
        ("引进人才", ("引进", "外国", "人才"), False),  # 外国 gives no character
        ("合额", ("技术合同", "成交额"), False),  # the first word's first character comes first
    ],
)
def test_what_an_abbreviation_is(short: str, words: tuple[str, ...], fits: bool) -> None:
    assert abbreviates(short, words) is fits


def test_a_long_word_is_matched_by_its_parts() -> None:
    assert pieces("技术合同成交额") == ("技术合同", "成交额")
    assert pieces("营收") == ("营收",)


def test_a_reports_short_form_of_a_phrase_is_the_same_expansion() -> None:
    """ "综改区": the report writes both 综合改革示范区 and its own short 综改示范区 — one place, the longer name."""
    expander = AbbreviationExpander(["山西转型综合改革示范区", "综改示范区"], lambda text: False)
    assert expander.expansion("综改区") == "综合改革示范区"


def test_no_expansion_from_the_rest_of_a_glued_word() -> None:
    """ "技合额" with no phrase it abbreviates is not 技 + an expansion of 合额 (技合同成交额, a made-up word)."""
    expander = AbbreviationExpander(["技术开发合同成交额"], lambda text: False)
    assert "合同成交额" not in expander.expand("技合额多少亿")


def test_an_abbreviation_of_a_listed_name_finds_the_reports_other_name() -> None:
    """ "技合额" where the report says only 技术合同登记额 (登记 gives it no character): the synonym list's
    技术合同成交额 is the same indicator, and the report names it — so that is what was typed."""
    report = "全年登记技术合同2.36万项，技术合同登记额1086.3亿元；其中，技术开发合同成交额612.8亿元"
    expander = AbbreviationExpander(["技术合同登记额", "技术开发合同成交额"], lambda text: text in report)
    assert expander.expand("去年技合额多少亿") == "去年技术合同成交额多少亿"


def test_a_listed_name_no_report_holds_is_no_expansion() -> None:
    expander = AbbreviationExpander(["技术开发合同成交额"], lambda text: text in "技术开发合同成交额612.8亿元")
    assert expander.expansion("技合额") is None


def test_an_abbreviation_may_lead_the_rest_of_its_phrase_as_written() -> None:
    """国重 alone fits 国家重点研发计划 and 国家重点实验室; before 研发计划 it is the one that goes on so."""
    report = "承担国家重点研发计划项目37项；新建国家重点实验室2家；全国重点实验室重组"
    expander = AbbreviationExpander(["承担国家重点研发计划项目", "新建国家重点实验室"], lambda text: text in report)
    assert expander.expand("国重研发计划国拨经费多少") == "国家重点研发计划国拨经费多少"
    assert expander.expand("国重多少家") == "国重多少家"  # two phrases fit 国重 alone
