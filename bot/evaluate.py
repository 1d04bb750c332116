"""Dev-set evaluation as a reusable class (in the spirit of sentence-transformers' evaluators).

A question counts as right when:

* refusal — ``found`` is false;
* lookup / calc — ``found``, the value equals the gold value within its
  tolerance once both are in base units (84.11 亿元 = 841100 万元), the unit
  family matches, and every gold sentence is among the citations;
* fact — ``found``, every gold entity appears in the answer, and the gold
  sentence is cited.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from bot.models import Answer
from bot.normalize import compact

ABS_TOLERANCE = Decimal("1e-9")  # values closer than this are equal whatever the relative tolerance

_MONEY = {"元": 1, "万元": 10**4, "亿元": 10**8, "万亿元": 10**12, "千元": 10**3}
_SPECIAL = {"%": "percent", "个百分点": "points", "倍": "multiple", "名": "rank", "位": "rank"}


def to_base(value: float | int | Decimal, unit: str | None) -> tuple[Decimal, str]:
    """(value in base units, unit family): 84.11 亿元 → (8411000000, money); 1.9 万家 → (19000, count)."""
    unit = (unit or "").split("/")[0]  # 万元/家: a per-unit value is compared in its numerator's unit
    amount = Decimal(str(value))
    if unit in _MONEY:
        return amount * _MONEY[unit], "money"
    if unit in _SPECIAL:
        return amount, _SPECIAL[unit]
    if unit.startswith("万") and len(unit) > 1:
        return amount * 10**4, "count"
    return amount, "count"


@dataclass
class Outcome:
    item: dict[str, Any]
    answer: dict[str, Any]
    correct: bool
    why: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def accuracy(self) -> float:
        return sum(o.correct for o in self.outcomes) / len(self.outcomes) if self.outcomes else 0.0

    def by_type(self) -> dict[str, tuple[int, int]]:
        totals: Counter[str] = Counter()
        right: Counter[str] = Counter()
        for o in self.outcomes:
            totals[o.item["type"]] += 1
            right[o.item["type"]] += o.correct
        return {t: (right[t], totals[t]) for t in sorted(totals)}

    def latencies(self) -> list[float]:
        return sorted(float(o.answer.get("elapsed_ms", 0.0)) for o in self.outcomes)

    def format(self, show_failures: bool = True) -> str:
        lines = [f"accuracy {self.accuracy:.1%} ({sum(o.correct for o in self.outcomes)}/{len(self.outcomes)})"]
        for kind, (right, total) in self.by_type().items():
            lines.append(f"  {kind:<8} {right / total:6.1%}  ({right}/{total})")
        lat = self.latencies()
        if lat:
            p50 = lat[len(lat) // 2]
            p95 = lat[min(len(lat) - 1, int(len(lat) * 0.95))]
            lines.append(f"  latency ms: p50 {p50:.1f}  p95 {p95:.1f}  max {lat[-1]:.1f}")
        if show_failures:
            for o in self.outcomes:
                if not o.correct:
                    item = o.item
                    lines.append(f"✗ {item['id']} [{item['type']}] {item['question']}")
                    lines.append(f"    want: {item.get('value')} {item.get('unit') or ''} {item.get('entities') or ''}")
                    lines.append(
                        f"    got:  {o.answer.get('answer')}  value={o.answer.get('value')} {o.answer.get('unit')}"
                    )
                    lines.append(f"    why:  {o.why}")
        return "\n".join(lines)


def judge(item: dict[str, Any], answer: dict[str, Any]) -> tuple[bool, str]:
    """Is one JSON answer right for one gold item? Returns (correct, reason when wrong)."""
    kind = item["type"]
    if kind == "refusal":
        return (not answer["found"], "answered a question the report does not answer")
    if not answer["found"]:
        return False, "refused"
    cited = [compact(c["text"]) for c in answer.get("citations", [])]
    missing = [g for g in item.get("gold", []) if not any(compact(g) in c for c in cited)]
    if kind == "fact":
        text = compact(answer["answer"])
        absent = [e for e in item.get("entities", []) if compact(e) not in text]
        if absent:
            return False, f"entities missing: {absent}"
        return (not missing, f"gold sentence not cited: {missing}")
    if answer.get("value") is None:
        return False, "no value"
    gold_value, gold_family = to_base(item["value"], item.get("unit"))
    got_value, got_family = to_base(answer["value"], answer.get("unit"))
    if gold_family != got_family and not _people_named(item.get("unit"), answer.get("unit")):
        return False, f"unit family {got_family} ≠ {gold_family}"
    tolerance = max(abs(gold_value) * Decimal(str(item.get("tolerance") or 0)), ABS_TOLERANCE)
    if abs(got_value - gold_value) > tolerance:
        return False, f"value {got_value} ≠ {gold_value}"
    return (not missing, f"gold sentence not cited: {missing}")


def _people_named(a: str | None, b: str | None) -> bool:
    """名 counts people as well as ranks places: "遴选…专家312名" is 312 人."""
    return {a, b} == {"名", "人"}


def load_items(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class QAEvaluator:
    """Runs a set of gold questions through an ``ask`` function and scores the answers."""

    def __init__(self, items: Iterable[dict[str, Any]], name: str = "dev") -> None:
        self.items = list(items)
        self.name = name

    @classmethod
    def from_file(cls, path: Path) -> QAEvaluator:
        return cls(load_items(path), name=path.stem)

    def __call__(self, ask: Callable[[str], Answer]) -> Report:
        started = time.perf_counter()
        report = Report()
        for item in self.items:
            answer = ask(item["question"]).to_json()
            correct, why = judge(item, answer)
            report.outcomes.append(Outcome(item, answer, correct, "" if correct else why))
        report.seconds = time.perf_counter() - started
        return report

    def failures_by_tag(self, report: Report) -> dict[str, int]:
        tags: defaultdict[str, int] = defaultdict(int)
        for o in report.outcomes:
            if not o.correct:
                for tag in o.item.get("tags", []):
                    tags[tag] += 1
        return dict(tags)
