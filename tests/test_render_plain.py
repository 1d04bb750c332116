"""The plain-text and JSON renderings (bot.render) of one Answer."""

from __future__ import annotations

import json
from decimal import Decimal

from bot.models import Answer, AnswerKind, Citation
from bot.render import to_json, to_text

DOC, SECTION = "某市科技局工作报告", "二、2025年工作要点"
PLAN = Citation("s1", DOC, SECTION, "力争有效高新技术企业达到4,600家。")
SUMMARY = Citation("s2", DOC, SECTION, "主要预期目标是：有效高企总数达到4,600家。", restates=True)
ANSWER = Answer("高企目标", True, "4,600家。", AnswerKind.LOOKUP, Decimal(4600), "家", citations=[PLAN, SUMMARY])


def test_text_shows_each_cited_sentence_with_its_section() -> None:
    text = to_text(ANSWER)
    assert text.splitlines()[0] == "4,600家。"
    assert f"原文：“{PLAN.text}”" in text
    assert "出处：某市科技局工作报告 › 二、2025年工作要点" in text


def test_a_sentence_restating_the_figure_is_marked_as_another_place_not_another_operand() -> None:
    text = to_text(ANSWER)
    assert f"同一数字另见：“{SUMMARY.text}”" in text
    assert f"原文：“{SUMMARY.text}”" not in text


def test_json_marks_only_the_restating_citation() -> None:
    payload = json.loads(to_json(ANSWER))
    assert [c.get("restates", False) for c in payload["citations"]] == [False, True]
    assert payload["value"] == 4600 and payload["unit"] == "家"
