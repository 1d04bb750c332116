"""Specification of the domain vocabulary (bot.lexicon): what BM25 and the coverage rules are fed."""

from __future__ import annotations

import pytest

from bot.lexicon import add_report_names, cut, expand, is_modifier, sub_words, synonyms, tokenize


def test_expansion_adds_synonyms_and_the_words_they_are_written_with() -> None:
    """研发强度 reaches a sentence that writes 研发投入占 GDP 比重: its tokens never hold the phrase whole."""
    expanded = expand(["研发强度"])
    assert expanded[0] == "研发强度"
    assert "研发投入占gdp比重" in expanded
    sentence = set(tokenize("预计全社会研发投入占 GDP 比重达到 3.8%"))
    assert {"研发", "投入", "比重"} <= sentence & set(expanded)


def test_expansion_keeps_order_and_has_no_duplicates() -> None:
    expanded = expand(["高企", "科小", "高企"])
    assert expanded[:1] == ["高企"]
    assert len(expanded) == len(set(expanded))
    assert "高新技术企业" in expanded and "科技型中小企业" in expanded


def test_a_word_without_synonyms_expands_to_itself() -> None:
    assert synonyms("瞪羚") == ()
    assert expand(["瞪羚"]) == ["瞪羚"]


@pytest.mark.parametrize(("word", "modifier"), [("省级", True), ("国家级", True), ("市属", True), ("平台", False)])
def test_modifiers_narrow_a_noun(word: str, modifier: bool) -> None:
    assert is_modifier(word) is modifier


def test_compounds_split_into_their_words() -> None:
    assert sub_words("外国高端人才") == ("外国", "高端", "人才")


def test_a_name_a_report_quotes_is_one_word() -> None:
    assert add_report_names(["全年“科技贷”累计投放386.7亿元，深入实施“龙城英才计划”"]) >= 0
    assert "科技贷" in cut("科技贷去年放了多少") and "龙城英才计划" in cut("龙城英才计划引进多少人")
