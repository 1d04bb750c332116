"""Specification of the evaluator's judging rules (bot.evaluate).

The accuracy numbers the engine is tuned against are only meaningful if the
judge is right: the same amount written in another unit is correct, a number
without its source sentence is not, a refusal is judged by ``found`` alone, and
a fact answer must name what was asked. These tests use hand-made answers, so
they need no index.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.evaluate import QAEvaluator, judge, load_items, to_base
from bot.models import Answer, AnswerKind, Citation

GAZELLE = "2022年遴选瞪羚企业350家、认定独角兽培育企业150家，科技型中小企业入库继续保持全国前列。"
LOANS = "深化科技金融融合，“科贷通”为 2092 家企业解决贷款 84.11 亿元，累计已为 9856 家企业解决贷款 556.35 亿元。"
UNIVERSITIES = "深化大院大所合作，与清华大学、河海大学签署战略合作协议。"


def item(kind: str = "lookup", **fields: Any) -> dict[str, Any]:
    """A gold item as tests/data/dev_qa.jsonl writes it."""
    base: dict[str, Any] = {
        "id": "T1",
        "type": kind,
        "question": "q",
        "value": None,
        "unit": None,
        "entities": [],
        "gold": [],
        "formula": None,
        "tolerance": 0,
        "tags": [],
    }
    return base | fields


def answer(
    found: bool = True, value: float | None = None, unit: str | None = None, text: str = "", cites: tuple[str, ...] = ()
) -> dict[str, Any]:
    """An engine answer in its JSON contract form."""
    return {
        "question": "q",
        "found": found,
        "answer": text,
        "value": value,
        "unit": unit,
        "formula": None,
        "citations": [{"id": f"s{i}", "doc": "d", "section": "", "text": t} for i, t in enumerate(cites)],
        "elapsed_ms": 1.0,
    }


# ── units ────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("value", "unit", "base", "family"),
    [
        (84.11, "亿元", Decimal("8411000000"), "money"),
        (841100, "万元", Decimal("8411000000"), "money"),
        (2.1, "万亿元", Decimal("2100000000000"), "money"),
        (1.9, "万家", Decimal("19000"), "count"),
        (19000, "家", Decimal("19000"), "count"),
        (402.06, "万元/家", Decimal("4020600"), "money"),
        (35.48, "%", Decimal("35.48"), "percent"),
        (0.5, "个百分点", Decimal("0.5"), "points"),
        (7.1, "倍", Decimal("7.1"), "multiple"),
        (1, "名", Decimal("1"), "rank"),
        (350, None, Decimal("350"), "count"),
    ],
)
def test_to_base_puts_every_value_in_base_units(value: float, unit: str | None, base: Decimal, family: str) -> None:
    """84.11 亿元 and 841100 万元 are the same money; 1.9 万家 is 19000 家."""
    got, got_family = to_base(value, unit)
    assert (got, got_family) == (base, family)


@pytest.mark.parametrize(
    ("gold", "got"),
    [
        ((84.11, "亿元"), (841100, "万元")),
        ((841100, "万元"), (84.11, "亿元")),
        ((1.9, "万家"), (19000, "家")),
        ((402.06, "万元/家"), (0.040206, "亿元/家")),
        ((402.06, "万元"), (402.06, "万元/家")),  # a per-unit value is compared in its numerator's unit
        ((2.1, "万亿元"), (21000, "亿元")),
        ((56, "位"), (56, "名")),  # 第56位 and 第56名 are one rank
        ((312, "名"), (312, "人")),  # "遴选…专家312名" counts people
    ],
)
def test_the_same_amount_in_another_unit_is_correct(gold: tuple[float, str], got: tuple[float, str]) -> None:
    """Asking 多少万元 of a figure written in 亿元 must not be marked wrong for the conversion."""
    ok, why = judge(item(value=gold[0], unit=gold[1], gold=[LOANS]), answer(value=got[0], unit=got[1], cites=(LOANS,)))
    assert ok, why


@pytest.mark.parametrize(
    ("gold", "got"),
    [
        ((350, "家"), (350, "%")),
        ((35.48, "%"), (35.48, "个百分点")),
        ((84.11, "亿元"), (84.11, "家")),
        ((7.1, "倍"), (7.1, "%")),
        ((3, "位"), (3, "家")),  # a rank is no count
    ],
)
def test_a_different_kind_of_quantity_is_wrong_even_with_the_same_number(
    gold: tuple[float, str], got: tuple[float, str]
) -> None:
    """35.48% and 35.48 个百分点 are different answers; the number alone proves nothing."""
    ok, why = judge(item(value=gold[0], unit=gold[1]), answer(value=got[0], unit=got[1]))
    assert not ok
    assert "unit family" in why


def test_a_scale_error_is_wrong() -> None:
    """84.11 万元 is not 84.11 亿元: a dropped scale is the classic wrong answer."""
    ok, why = judge(item(value=84.11, unit="亿元"), answer(value=84.11, unit="万元"))
    assert not ok and "≠" in why


# ── tolerance ────────────────────────────────────────────────────────────────


def test_exact_values_need_no_tolerance() -> None:
    """Tolerance 0 still accepts the value itself, whatever float noise JSON adds."""
    assert judge(item(value=0.1 + 0.2, unit="%"), answer(value=0.3, unit="%"))[0]


def test_tolerance_is_relative() -> None:
    """A computed 402.06 万元 against a gold 402.0554 passes with tolerance 0.001, and fails without."""
    gold = item("calc", value=402.0554, unit="万元", tolerance=0.001)
    assert judge(gold, answer(value=402.06, unit="万元"))[0]
    assert not judge(gold | {"tolerance": 0}, answer(value=402.06, unit="万元"))[0]


def test_outside_the_tolerance_is_wrong() -> None:
    """A 1% tolerance does not accept an answer 2% off."""
    gold = item("calc", value=100, unit="家", tolerance=0.01)
    assert judge(gold, answer(value=101, unit="家"))[0]
    assert not judge(gold, answer(value=102, unit="家"))[0]


def test_a_missing_value_is_wrong() -> None:
    """A numeric question answered in words only has not been answered."""
    ok, why = judge(item(value=350, unit="家"), answer(value=None, text="2022年遴选瞪羚企业350家。"))
    assert not ok and why == "no value"


# ── refusals ─────────────────────────────────────────────────────────────────


def test_refusal_is_correct_when_nothing_is_found() -> None:
    """'报告中没有…' is the right answer to a question the report cannot answer."""
    assert judge(item("refusal"), answer(found=False, text="报告中没有“苏州常住人口”的数据。"))[0]


def test_answering_a_refusal_question_is_wrong_whatever_it_says() -> None:
    """Offering a nearby number instead of refusing is the failure the bot must avoid."""
    ok, why = judge(
        item("refusal"), answer(found=True, value=350, unit="家", text="报告中没有…但有350家", cites=(GAZELLE,))
    )
    assert not ok and "does not answer" in why


def test_refusing_an_answerable_question_is_wrong() -> None:
    """A refusal of a lookup question is a miss, not a safe default."""
    ok, why = judge(item(value=350, unit="家", gold=[GAZELLE]), answer(found=False))
    assert not ok and why == "refused"


# ── citations ────────────────────────────────────────────────────────────────


def test_the_gold_sentence_must_be_cited() -> None:
    """The right number from the wrong sentence is not a verified answer."""
    gold = item(value=350, unit="家", gold=[GAZELLE])
    ok, why = judge(gold, answer(value=350, unit="家", cites=(LOANS,)))
    assert not ok and "not cited" in why
    assert judge(gold, answer(value=350, unit="家", cites=(LOANS, GAZELLE)))[0]


def test_gold_may_be_a_clause_of_the_cited_sentence_and_spacing_is_ignored() -> None:
    """Gold lists the clause that matters; reports put spaces around numbers that gold may not."""
    gold = item(value=84.11, unit="亿元", gold=["“科贷通”为2092家企业解决贷款84.11亿元"])
    assert judge(gold, answer(value=84.11, unit="亿元", cites=(LOANS,)))[0]


def test_every_gold_sentence_must_be_cited() -> None:
    """A calculation from two sentences must cite both."""
    gold = item("calc", value=402.06, unit="万元/家", tolerance=0.001, gold=[LOANS, GAZELLE])
    assert not judge(gold, answer(value=402.06, unit="万元/家", cites=(LOANS,)))[0]
    assert judge(gold, answer(value=402.06, unit="万元/家", cites=(GAZELLE, LOANS)))[0]


# ── facts ────────────────────────────────────────────────────────────────────


def test_fact_needs_every_entity_in_the_answer() -> None:
    """和哪些大学签了协议 is answered only when both universities are named."""
    gold = item("fact", entities=["清华大学", "河海大学"], gold=[UNIVERSITIES])
    assert judge(gold, answer(text="与清华大学、河海大学签署战略合作协议。", cites=(UNIVERSITIES,)))[0]
    ok, why = judge(gold, answer(text="与清华大学签署战略合作协议。", cites=(UNIVERSITIES,)))
    assert not ok and "河海大学" in why


def test_fact_entities_in_the_citation_only_are_not_enough() -> None:
    """The user reads the answer; names hidden in the quoted source do not count."""
    gold = item("fact", entities=["河海大学"], gold=[UNIVERSITIES])
    assert not judge(gold, answer(text="深化大院大所合作。", cites=(UNIVERSITIES,)))[0]


def test_fact_needs_the_gold_sentence_cited() -> None:
    """A fact answer is verified by its source like a number is."""
    gold = item("fact", entities=["清华大学"], gold=[UNIVERSITIES])
    assert not judge(gold, answer(text="与清华大学合作。", cites=(GAZELLE,)))[0]


def test_fact_entity_spacing_is_ignored() -> None:
    """'G60 科创走廊' in the report and 'G60科创走廊' in gold are the same name."""
    gold = item("fact", entities=["G60科创走廊"])
    assert judge(gold, answer(text="积极参与 G60 科创走廊建设。"))[0]


# ── the evaluator ────────────────────────────────────────────────────────────


def fake_answer(question: str) -> Answer:
    """A stand-in engine: knows the gazelle target, refuses everything else."""
    if "瞪羚" in question and "2022" in question:
        citation = Citation(id="s1", doc="d", section="二、2022 年工作计划", text=GAZELLE)
        return Answer(
            question, True, "2022年遴选瞪羚企业350家。", AnswerKind.LOOKUP, Decimal(350), "家", citations=[citation]
        )
    return Answer(question, False, "报告中没有这个问题的数据。")


def test_evaluator_scores_by_type_and_lists_failures(tmp_path: Path) -> None:
    """The report a tuner reads: accuracy per type, and each failure with its reason."""
    items = [
        item(id="L1", question="2022年瞪羚企业目标是多少", value=350, unit="家", gold=[GAZELLE]),
        item(id="L2", question="2021年认定高企多少家", value=3755, unit="家", gold=["认定高企 3755 家"]),
        item("refusal", id="R1", question="苏州常住人口"),
        item("fact", id="F1", question="和哪些大学签了协议", entities=["清华大学"], gold=[UNIVERSITIES]),
    ]
    path = tmp_path / "qa.jsonl"
    path.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n\n", "utf-8")
    assert load_items(path) == items  # blank lines are skipped

    evaluator = QAEvaluator.from_file(path)
    report = evaluator(fake_answer)
    assert evaluator.name == "qa"
    assert report.by_type() == {"fact": (0, 1), "lookup": (1, 2), "refusal": (1, 1)}
    assert report.accuracy == pytest.approx(0.5)
    text = report.format()
    assert "accuracy 50.0% (2/4)" in text
    assert "✗ L2" in text and "✗ F1" in text and "✗ L1" not in text
    assert "refused" in text
    assert "✗" not in report.format(show_failures=False)
    assert len(report.latencies()) == 4


def test_failures_are_counted_by_tag() -> None:
    """Tags (traditional, abbrev, filler…) show which phrasing the engine still misses."""
    items = [
        item(id="L1", question="2022年瞪羚企业目标是多少", value=350, unit="家", gold=[GAZELLE], tags=["abbrev"]),
        item(id="L2", question="認定高企多少家", value=3755, unit="家", tags=["traditional", "abbrev"]),
    ]
    evaluator = QAEvaluator(items)
    assert evaluator.failures_by_tag(evaluator(fake_answer)) == {"traditional": 1, "abbrev": 1}
