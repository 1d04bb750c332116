"""Specification of homophone-typo correction (bot.spelling): pinyin keyboards offer every character of a sound."""

from __future__ import annotations

import pytest

from bot.spelling import HomophoneFixer, sound

REPORT = "高新技术企业申报数首次破万家；科贷通为企业解决贷款；培育初级技术经纪人；合作项目；达成合作意向"
WORDS = ["申报", "科贷通", "经纪人", "技术", "项目", "意向", "合作", "贷款", "企业"]


@pytest.fixture(scope="module")
def fixer() -> HomophoneFixer:
    return HomophoneFixer(WORDS, lambda word: word in REPORT)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("21年高企申保数比认定数多多少家", "21年高企申报数比认定数多多少家"),  # the start of a word jieba does not know
        ("22年技术经济人要培育多少", "22年技术经纪人要培育多少"),  # two words, 经济 + 人, one wrong character
        ("科贷桶累计贷款是多少", "科贷通累计贷款是多少"),
        ("科代通21年贷了多少", "科贷通21年贷了多少"),
    ],
)
def test_a_homophone_typo_reads_as_the_report_word(fixer: HomophoneFixer, typed: str, meant: str) -> None:
    assert fixer.correct(typed) == meant


@pytest.mark.parametrize(
    "question",
    [
        "合作意向目标是多少",  # 向目 sounds like 项目 but runs across two words
        "2021年常住人口是多少",  # a word the reports never use, and no report word sounds like it
        "有效高企有多少家",  # nothing misspelled
        "经济增速是多少",  # 经济 is in no report here, but it sounds like no report word of its length
        "GDP 2021年 12,345 亿元？",  # no Chinese run to correct
    ],
)
def test_everything_else_is_left_as_typed(fixer: HomophoneFixer, question: str) -> None:
    assert fixer.correct(question) == question


def test_two_wrong_characters_are_another_word_not_a_typo() -> None:
    fixer = HomophoneFixer(["申报"], lambda word: word == "申报")
    assert fixer.correct("身保数多少") == "身保数多少"


def test_an_ambiguous_sound_is_left_alone() -> None:
    """Two report words of the same sound: guessing one could answer the wrong question."""
    fixer = HomophoneFixer(["经纪人", "经济人"], lambda word: word in {"经纪人", "经济人"})
    assert fixer.correct("技术经记人多少") == "技术经记人多少"


def test_sound_is_one_toneless_syllable_per_character() -> None:
    assert sound("申报") == sound("申保") == ("shen", "bao")


def test_a_common_word_is_never_a_typo_of_a_rarer_one() -> None:
    """A report that writes 近年 but never 今年 does not turn "今年研发强度目标" into 近年 (a common word is typed
    on purpose; the time words decide the year asked)."""
    fixer = HomophoneFixer(["近年", "研发强度", "目标"], lambda word: word in "近年来研发强度稳步提升；目标")
    for question in ("今年研发强度目标定的多少", "研发经费投入今年目标要比去年增长百分之几", "前年高企有多少家"):
        assert fixer.correct(question) == question
