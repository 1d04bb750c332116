"""One check shared by the test modules: an answer states the expected value in the expected unit."""

from __future__ import annotations

from bot.evaluate import judge
from bot.models import Answer

TOLERANCE = 0.005  # relative, as in the question files


def assert_value(answer: Answer, value: float, unit: str) -> None:
    """``answer`` is found and its value equals ``value`` in ``unit`` (base units compared, within TOLERANCE)."""
    gold = {"type": "calc", "value": value, "unit": unit, "tolerance": TOLERANCE, "gold": []}
    assert answer.found and judge(gold, answer.to_json())[0], answer.text
