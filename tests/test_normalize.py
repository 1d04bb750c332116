"""Specification of question normalization (bot.normalize).

Staff type questions on phones: full-width digits from a Chinese IME, traditional
characters, text pasted from chat apps with invisible characters, years written
in Chinese or with two digits, and polite openings. Every variant must reach the
same canonical text, so the rest of the engine only ever sees one form.
"""

from __future__ import annotations

import unicodedata

import pytest

from bot.normalize import MAX_QUESTION_CHARS, chinese_year_to_digits, compact, normalize_question

CANONICAL = "2022年瞪羚企业目标是多少"


# ── character forms ──────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "typed",
    [
        "２０２２年瞪羚企业目标是多少",  # full-width digits from a Chinese IME
        "2022年瞪羚企業目標是多少",  # traditional characters
        "２０２２年瞪羚企業目標是多少",  # both at once
        "二〇二二年瞪羚企业目标是多少",  # year in Chinese numerals
        "二○二二年瞪羚企业目标是多少",  # … with the circle 〇 look-alike
        "二零二二年瞪羚企业目标是多少",  # … with 零
        "22年瞪羚企业目标是多少",  # two-digit year
        "  2022年瞪羚企业目标是多少  ",  # stray spaces around
    ],
)
def test_typing_variants_reach_one_canonical_question(typed: str) -> None:
    """Whatever the keyboard produced, the engine must see the same question."""
    assert normalize_question(typed) == CANONICAL


def test_full_width_letters_and_percent_are_folded() -> None:
    """ＧＤＰ and ５０％ from a full-width IME must match GDP and 50% in the report."""
    assert normalize_question("ＧＤＰ占比５０％") == "GDP占比50%"


def test_traditional_characters_become_simplified() -> None:
    """The reports are in simplified Chinese; a Hong Kong or Taiwan keyboard must still match."""
    assert normalize_question("科貸通貸款金額多少") == "科贷通贷款金额多少"


def test_report_style_decimals_are_untouched() -> None:
    """Normalization must never alter a number the user typed (84.11 stays 84.11)."""
    assert normalize_question("84.11亿元合多少万元") == "84.11亿元合多少万元"


# ── invisible characters ─────────────────────────────────────────────────────


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e"])
def test_zero_width_and_direction_marks_are_removed(invisible: str) -> None:
    """Text pasted from chat apps carries invisible marks; they must not split the indicator words."""
    assert normalize_question(f"瞪{invisible}羚企业目标是多少") == "瞪羚企业目标是多少"


def test_no_control_characters_survive() -> None:
    """Control characters would break tokenization and JSON output; none may reach the engine."""
    out = normalize_question("瞪羚\x00企业\x07目标\x1b是多少\x7f")
    assert not any(unicodedata.category(ch) == "Cc" for ch in out)
    assert "瞪羚" in out and "目标" in out


def test_newlines_and_tabs_become_single_spaces() -> None:
    """A question pasted over several lines is one question."""
    assert normalize_question("2022年\n瞪羚企业\t\t目标") == "2022年 瞪羚企业 目标"


def test_control_character_inside_a_word_does_not_split_it() -> None:
    """An invisible control character between two characters must not cut the word in two."""
    assert normalize_question("瞪\x07羚企业目标是多少") == "瞪羚企业目标是多少"


# ── years ────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("二〇二二年", "2022年"),
        ("二〇二一年", "2021年"),
        ("二零二零年", "2020年"),
        ("22年", "2022年"),
        ("21年高企有多少家", "2021年高企有多少家"),
        ("2022年", "2022年"),  # a four-digit year stays as it is
    ],
)
def test_years_are_written_with_four_digits(text: str, expected: str) -> None:
    """Years are matched against report sections as four-digit numbers."""
    assert chinese_year_to_digits(text) == expected


@pytest.mark.parametrize(
    "duration",
    ["连续15年位列全省第一", "近10年", "15年来", "15年以来", "过去5年", "满3年", "第3年", "共5年"],
)
def test_durations_are_not_mistaken_for_years(duration: str) -> None:
    """连续15年 is fifteen years, not the year 2015: turning it into a year would change the question."""
    assert normalize_question(duration) == duration


def test_decimal_before_nian_is_not_a_year() -> None:
    """1.5年 is a duration; the 5 must not become 2005."""
    assert normalize_question("1.5年") == "1.5年"


# ── polite openings ──────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "opening",
    ["请问", "请问，", "请问一下", "帮我查一下", "帮我查下", "帮我算一下", "麻烦问一下", "我想知道", "你好，", "您好"],
)
def test_filler_openings_are_dropped(opening: str) -> None:
    """Politeness is not part of the indicator; left in, it would be matched against the report."""
    assert normalize_question(opening + CANONICAL) == CANONICAL


def test_traditional_filler_is_dropped_after_conversion() -> None:
    """幫我查一下 is the same opening as 帮我查一下."""
    assert normalize_question("幫我查一下2022年瞪羚企業目標是多少") == CANONICAL


def test_filler_words_inside_the_question_are_kept() -> None:
    """Only an opening is filler: the same words in the middle are left for the analyzer to judge."""
    assert normalize_question("2022年瞪羚企业目标请问是多少") == "2022年瞪羚企业目标请问是多少"


@pytest.mark.parametrize("opening", ["您好，请问", "麻烦帮我查一下", "你好，帮我查一下"])
def test_chained_openings_are_all_dropped(opening: str) -> None:
    """A greeting followed by 请问 is still only politeness."""
    assert normalize_question(opening + CANONICAL) == CANONICAL


# ── length ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("text", ["高" * 5000, "请问" + "瞪羚" * 3000, "\u200b" * 10000 + "瞪羚企业"])
def test_length_is_capped(text: str) -> None:
    """A pasted document must not make one request do unbounded work."""
    assert len(normalize_question(text)) <= MAX_QUESTION_CHARS


def test_a_normal_question_is_not_truncated() -> None:
    """The cap is far above any real question."""
    question = "科贷通2021年为多少家企业解决了贷款 平均每家企业贷款多少万元 累计服务企业多少家" * 3
    assert normalize_question(question) == question


def test_empty_and_blank_input_normalize_to_empty() -> None:
    """Blank input must be recognizable as 'no question', not crash."""
    assert normalize_question("") == ""
    assert normalize_question(" \u3000\u200b\n") == ""


def test_normalization_is_idempotent() -> None:
    """Normalizing twice changes nothing: surfaces may normalize before the engine does."""
    for typed in ("２０２２年瞪羚企業目標是多少？", "请问22年高企申報了多少家", "二〇二一年GDP占比"):
        once = normalize_question(typed)
        assert normalize_question(once) == once


def test_compact_ignores_spacing_between_numbers_and_units() -> None:
    """Reports write '10252 家' and users write '10252家'; comparisons must treat them as equal."""
    assert compact("达 10252 家") == compact("达10252家") == "达10252家"
