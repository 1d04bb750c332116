"""Issue 7 — hostile and odd input: every message gets a short, clear reply in the stable JSON contract.

Staff paste whatever their phone produced: empty lines, whole documents, emoji,
invisible characters, HTML or Markdown copied from a web page, English,
traditional characters, full-width digits, years written in Chinese numerals,
polite openings and typos. None of it may crash the engine (``Engine.ask``
hides exceptions behind an apology, so a logged engine error counts as a
crash here), and none of it may make the bot state a number the report does
not support.

The property tests at the end fuzz the engine with random unicode, random CJK
and questions assembled from the report's own words. Budget:

* every run (CI too): 10,000 generated inputs, split 20 % unicode / 20 % CJK / 60 %
  templates. The first 2,000 go through the real engine (query embedding by the
  model, ≈ 30 ms each); the other 8,000 through the same index and engine with an
  instant hashing query embedder — retrieval still runs BM25 and FAISS, and every
  later stage (understanding, resolution, calculation, composition, the JSON
  contract) is the real code, at a tenth of the time;
* ``WENSHU_FUZZ_EXAMPLES=50000`` (or any total) for a longer run.

Examples are derandomized (the same inputs every run), so a failure always
reproduces; hypothesis prints the failing question.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import opencc
import pytest
from embedder_support import HashEmbedder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import Engine
from bot.index import build_index
from bot.models import Answer
from bot.understand import analyze

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"

MAX_REPLY_CHARS = 300  # a reply a person reads on a phone; fact answers are capped well below this
JSON_KEYS = {"question", "found", "answer", "value", "unit", "formula", "citations", "elapsed_ms"}
CITATION_KEYS = {"id", "doc", "section", "text"}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_YEAR_LABEL = re.compile(r"((?:19|20)\d{2})\s*年")
_INVISIBLE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")

FUZZ_TOTAL = int(os.environ.get("WENSHU_FUZZ_EXAMPLES", "10000"))  # generated inputs per run, all strategies
FUZZ_MODEL_MAX = 2000  # of them, at most this many through the real query embedder (≈ 30 ms each)
FUZZ_BUDGET = {"model": min(FUZZ_TOTAL, FUZZ_MODEL_MAX), "hashed": max(0, FUZZ_TOTAL - FUZZ_MODEL_MAX)}
FUZZ_SHARE = {"unicode": 0.2, "cjk": 0.2, "templates": 0.6}  # of each budget, per input strategy


# ── helpers ─────────────────────────────────────────────────────────────────


class _ErrorLog(logging.Handler):
    """Collects ERROR records of ``bot.engine``: ``Engine.ask`` logs every exception it swallows."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def engine_errors() -> Iterator[_ErrorLog]:
    handler = _ErrorLog()
    logger = logging.getLogger("bot.engine")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def ask(engine: Engine, errors: _ErrorLog, question: str) -> tuple[Answer, dict[str, Any]]:
    """Ask, and fail when the engine had to swallow an exception (a crash the user only sees as an apology)."""
    errors.records.clear()
    answer = engine.ask(question)
    crashed = [r.getMessage() + (f" ({r.exc_info[1]!r})" if r.exc_info else "") for r in errors.records]
    assert not crashed, f"engine crashed on {question!r}: {crashed}"
    return answer, answer.to_json()


def assert_contract(payload: dict[str, Any], question: str) -> None:
    """The JSON contract of ``python -m bot ask --json``, field by field."""
    assert set(payload) >= JSON_KEYS, f"missing keys: {JSON_KEYS - set(payload)}"
    assert payload["question"] == question
    assert type(payload["found"]) is bool
    assert isinstance(payload["answer"], str) and payload["answer"].strip(), "the reply must not be empty"
    value = payload["value"]
    assert value is None or (type(value) in (int, float) and math.isfinite(value)), f"value {value!r}"
    assert payload["unit"] is None or isinstance(payload["unit"], str)
    assert payload["formula"] is None or isinstance(payload["formula"], str)
    assert isinstance(payload["citations"], list)
    for cited in payload["citations"]:
        assert set(cited) >= CITATION_KEYS, f"citation keys {set(cited)}"
        assert all(isinstance(cited[k], str) for k in CITATION_KEYS)
        assert cited["text"].strip()
    elapsed = payload["elapsed_ms"]
    assert type(elapsed) in (int, float) and math.isfinite(elapsed) and elapsed >= 0
    if payload["found"]:
        assert payload["citations"], "a found answer must cite the report"
    else:
        assert payload["value"] is None, "a refusal must not carry a number"
    json.loads(json.dumps(payload, ensure_ascii=False, allow_nan=False))  # serializable, no NaN/Infinity


def assert_clear_reply(payload: dict[str, Any]) -> None:
    """Short, readable Chinese; no invisible characters and no markup smuggled in from the question."""
    text = payload["answer"]
    assert len(text) <= MAX_REPLY_CHARS, f"reply of {len(text)} characters: {text[:80]}…"
    assert not _INVISIBLE.search(text), f"invisible characters in the reply: {text!r}"
    assert _CJK.search(text), f"the reply should be a Chinese sentence: {text!r}"
    assert "<" not in text and ">" not in text, f"markup in the reply: {text!r}"


def outcome(answer: Answer) -> tuple[bool, Decimal | None, str | None, tuple[str, ...]]:
    """What must not change between two spellings of one question: found, value, unit, cited sentences."""
    return answer.found, answer.value, answer.unit, tuple(c.id for c in answer.citations)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _numbers(text: str) -> set[Decimal]:
    return {Decimal(n) for n in _NUMBER.findall(unicodedata.normalize("NFKC", text))}


def _flat(markdown: str) -> str:
    """A report without markup or whitespace, so a cleaned sentence can be found in it verbatim."""
    return _compact(markdown.replace("**", ""))


# doc id (file stem) → the report's flat text; the zero-report fixture registers its own report
REPORT_TEXTS: dict[str, str] = {p.stem: _flat(p.read_text(encoding="utf-8")) for p in sorted(KNOWLEDGE.glob("*.md"))}


def _asked_years(engine: Engine, question: str, citations: list[dict[str, Any]]) -> set[int]:
    """Years the question names: explicit ones, and 今年/去年/前年… counted from each cited report's plan year."""
    query = analyze(question)
    years = set(query.years)
    for cited in citations:
        sentence = engine.sentence(cited["id"])
        meta = engine.index.documents.get(sentence.doc_id) if sentence else None
        now = (meta.plan_year or meta.period) if meta else None
        if now is not None:
            years.update(now + offset for offset in query.relative)
    return years


def assert_grounded(engine: Engine, answer: Answer, payload: dict[str, Any]) -> None:
    """A found answer quotes ≥ 1 verbatim sentence, and every number it states comes from the citations.

    Numbers may come from a cited sentence, its heading (the year of a section,
    e.g. "一、2021 年重点工作回顾"), or the formula of a computed answer. A year
    label ("2020年…") may also be the year the question asked about ("2020年", or "前年" in a 2022 plan).
    """
    if not payload["found"]:
        return
    for cited in payload["citations"]:
        sentence = engine.sentence(cited["id"])
        assert sentence is not None, f"citation {cited['id']} is not a sentence of the index"
        assert cited["text"] == sentence.text, "the cited text differs from the indexed sentence"
        report = REPORT_TEXTS.get(sentence.doc_id, "")
        assert _compact(cited["text"]) in report, f"not a verbatim sentence of {sentence.doc_id}: {cited['text']}"
    sources = " ".join([*(c["text"] for c in payload["citations"]), *(c["section"] for c in payload["citations"])])
    allowed = _numbers(sources) | _numbers(payload["formula"] or "")
    asked_years = {Decimal(y) for y in _asked_years(engine, answer.question, payload["citations"])}
    year_labels = {Decimal(y) for y in _YEAR_LABEL.findall(payload["answer"])}
    unsupported = _numbers(payload["answer"]) - allowed - (year_labels & asked_years)
    assert not unsupported, (
        f"{sorted(unsupported)} in {payload['answer']!r} appear in no cited sentence and not in the formula "
        f"{payload['formula']!r}; cited: {[c['text'] for c in payload['citations']]}"
    )


def check(engine: Engine, errors: _ErrorLog, question: str) -> tuple[Answer, dict[str, Any]]:
    """All invariants every reply must satisfy, whatever the input."""
    answer, payload = ask(engine, errors, question)
    assert_contract(payload, question)
    assert_clear_reply(payload)
    assert_grounded(engine, answer, payload)
    return answer, payload


# ── hostile input: explicit cases ───────────────────────────────────────────

CLEAN = "2022年瞪羚企业目标是多少"  # → 350 家, one figure, one sentence

EMPTYISH = {
    "empty": "",
    "spaces": "   ",
    "newlines-tabs": "\n\t\r\n",
    "full-width-space": "\u3000\u3000",
    "zero-width-only": "\u200b\u200c\u200d\ufeff",
    "control-only": "\x00\x01\x02\x1b[31m",
    "punctuation-only": "？？？！！。。",
    "emoji-only": "🦄🚀😀",
    "question-word-only": "多少",
    "digits-only": "12345678901234567890",
    "minus-one": "-1",
}

HOSTILE = {
    "10k-cjk-repeat": "瞪" * 10_000,
    "10k-latin": "a" * 10_000,
    "10k-question-repeated": CLEAN * 700,
    "10k-report-words": "高新技术企业申报数科技型中小企业入库评价" * 500,
    "10k-emoji": "😀" * 10_000,
    "10k-mixed": ("科贷通 <b>x</b> 😀 \u200b 1e309 " * 400)[:10_000],
    "emoji-in-indicator": "独角兽🦄培育企业有多少家",
    "astral-cjk": "𠀀𠀁𠀂𠮷野家有多少",
    "max-codepoint": "\U0010ffff",
    "nul-inside": "2022年\x00瞪羚企业目标是多少",
    "bell-and-escape": "2022年瞪羚企业目标是多少\x07\x1b",
    "rtl-override": "2022年瞪羚\u202e企业目标是多少",
    "html-script": "<script>alert(1)</script>2022年瞪羚企业目标是多少",
    "html-tags": "<b>2022年瞪羚企业目标</b>是多少",
    "html-img-onerror": '<img src=x onerror="alert(1)">有效高企有多少家',
    "html-entities": "2022年瞪羚企业目标&lt;是多少&gt;&amp;",
    "markdown-bold": "**2022年瞪羚企业目标**是多少",
    "markdown-link": "[2022年瞪羚企业目标](http://evil.example)是多少",
    "markdown-code": "`2022年瞪羚企业目标是多少`",
    "markdown-heading": "# 2022年瞪羚企业目标是多少",
    "telegram-command": "/start 2022年瞪羚企业目标是多少",
    "sql-drop": "'; DROP TABLE answers; --",
    "sql-suffix": "2022年瞪羚企业目标是多少'; DROP TABLE x;--",
    "sql-or": "1 OR 1=1",
    "sql-select": "SELECT * FROM figures WHERE year=2022",
    "format-string": "{0} %s %d {__class__} 2022年瞪羚企业目标是多少",
    "regex-metachars": ".*+?[](){}|^$\\ 有效高企多少家",
    "path-traversal": "../../etc/passwd 有效高企多少家",
    "huge-number": "1e309",
    "nan": "NaN",
    "json-payload": '{"question": "x", "found": true}',
}

ENGLISH = {
    "gazelle-target": "What is the 2022 target for gazelle companies?",
    "high-tech-count": "How many high-tech enterprises were there in 2021?",
    "rd-share": "What share of GDP was R&D in 2021?",
    "loan": "How much did Kedaitong lend on average per company?",
    "hello": "hello",
    "acronym-apec": "APEC",
    "acronym-rd": "R&D",
}


@pytest.mark.parametrize("question", EMPTYISH.values(), ids=EMPTYISH.keys())
def test_input_without_a_question_asks_for_one(real_engine: Engine, engine_errors: _ErrorLog, question: str) -> None:
    """Nothing to look up: the bot says what to type (with an example), not "no data for ''"."""
    _, payload = check(real_engine, engine_errors, question)
    assert not payload["found"]
    assert "请输入" in payload["answer"] or "报告中没有" in payload["answer"]


@pytest.mark.parametrize("question", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_gets_a_short_clear_reply(real_engine: Engine, engine_errors: _ErrorLog, question: str) -> None:
    """Long, binary-looking or injected text is answered like any question: contract kept, reply short and plain."""
    check(real_engine, engine_errors, question)


def test_a_real_question_wrapped_in_hostile_text_gets_its_answer_or_a_refusal(
    real_engine: Engine, engine_errors: _ErrorLog
) -> None:
    """Markup or SQL around a real question may confuse matching, but must never produce a different figure."""
    clean, _ = check(real_engine, engine_errors, CLEAN)
    for name, question in HOSTILE.items():
        if CLEAN not in question and "瞪羚企业目标" not in question:
            continue
        answer, _ = check(real_engine, engine_errors, question)
        assert not answer.found or outcome(answer) == outcome(clean), f"{name}: {answer.text}"


@pytest.mark.parametrize("question", ENGLISH.values(), ids=ENGLISH.keys())
def test_english_questions_are_refused_in_chinese(real_engine: Engine, engine_errors: _ErrorLog, question: str) -> None:
    """The reports are Chinese; an English question cannot be matched reliably, so no figure is guessed."""
    _, payload = check(real_engine, engine_errors, question)
    assert not payload["found"], payload["answer"]


# ── spellings of the same question give the same answer ─────────────────────

BASE_QUESTIONS = (
    "2022年瞪羚企业目标是多少",
    "2021年有效高企数是多少",
    "2021年认定高企多少家",
    "科贷通平均每家贷了多少",
    "有效高企比去年多了多少",
    "2021年新引进外国人才多少人",
    "2021年技术合同成交额多少亿元",
    "2022年加计扣除额目标是多少亿元",
    "国家级人才工程累计多少人",
    "2021年全社会研发投入占GDP比重是多少",
    "2022年培育初级技术经纪人多少人",
    "2021年独角兽培育企业多少家",
)

HAND_WRITTEN_TRADITIONAL = {
    "2022年瞪羚企业目标是多少": "2022年瞪羚企業目標是多少",
    "2021年有效高企数是多少": "2021年有效高企數是多少",
    "科贷通平均每家贷了多少": "科貸通平均每家貸了多少",
    "有效高企比去年多了多少": "有效高企比去年多了多少？",
    "2021年新引进外国人才多少人": "2021年新引進外國人才多少人",
    "2021年技术合同成交额多少亿元": "2021年技術合同成交額多少億元",
    "2022年加计扣除额目标是多少亿元": "2022年加計扣除額目標是多少億元",
    "2022年培育初级技术经纪人多少人": "2022年培育初級技術經紀人多少人",
}

_CN_DIGIT = dict(zip("0123456789", "〇一二三四五六七八九", strict=True))
_CN_DIGIT_LING = dict(zip("0123456789", "零一二三四五六七八九", strict=True))


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def _chinese_year(text: str, digits: dict[str, str] = _CN_DIGIT) -> str:
    return re.sub(r"(?:19|20)\d{2}(?=年)", lambda m: "".join(digits[c] for c in m.group(0)), text)


@dataclass(frozen=True)
class Variant:
    name: str
    rewrite: Any  # Callable[[str], str]


_S2T = {name: opencc.OpenCC(name) for name in ("s2t", "s2tw", "s2hk", "s2twp")}

VARIANTS = (
    *(Variant(f"traditional-{name}", conv.convert) for name, conv in _S2T.items()),
    Variant("full-width-digits", _full_width),
    Variant("chinese-numeral-year-〇", _chinese_year),
    Variant("chinese-numeral-year-零", lambda q: _chinese_year(q, _CN_DIGIT_LING)),
    Variant("filler-请问", lambda q: f"请问{q}"),
    Variant("filler-请问一下-comma", lambda q: f"请问一下，{q}？"),
    Variant("filler-帮我查一下", lambda q: f"帮我查一下{q}"),
    Variant("filler-麻烦问一下", lambda q: f"麻烦问一下{q}"),
    Variant("filler-你好", lambda q: f"你好，{q}"),
    Variant("filler-我想知道", lambda q: f"我想知道{q}"),
    Variant("zero-width-inside", lambda q: "\u200b".join(q)),
    Variant("control-inside", lambda q: q[:3] + "\x00\x1f" + q[3:] + "\x7f"),
    Variant("emoji-around", lambda q: f"🙏{q}😀"),
    Variant("spaces-and-newlines", lambda q: f"\n  {q[:4]} {q[4:]}  \n"),
    Variant("question-mark", lambda q: f"{q}？"),
    Variant("markdown-bold", lambda q: f"**{q}**"),
)

# spellings people use that the normalizer does not yet fold (see the report at the end of the session)
EXTRA_VARIANTS = (
    Variant("filler-谢谢", lambda q: f"{q}？谢谢"),
    Variant("filler-能不能告诉我", lambda q: f"能不能告诉我{q}"),
)


@pytest.mark.parametrize("variant", [pytest.param(v, id=v.name) for v in (*VARIANTS, *EXTRA_VARIANTS)])
def test_spelling_variants_get_the_same_answer(real_engine: Engine, engine_errors: _ErrorLog, variant: Variant) -> None:
    """Traditional characters, full-width or Chinese-numeral years and fillers are the same question."""
    changed = 0
    for question in BASE_QUESTIONS:
        spelled = variant.rewrite(question)
        if spelled == question:
            continue
        changed += 1
        expected, _ = check(real_engine, engine_errors, question)
        assert expected.found, f"base question no longer answered: {question}"
        got, _ = check(real_engine, engine_errors, spelled)
        assert outcome(got) == outcome(expected), f"{spelled!r}: {got.text} ≠ {expected.text}"
    assert changed, f"variant {variant.name} changed none of the base questions"


@pytest.mark.parametrize("simplified", HAND_WRITTEN_TRADITIONAL.keys())
def test_hand_written_traditional_questions(real_engine: Engine, engine_errors: _ErrorLog, simplified: str) -> None:
    """Traditional as a Taiwan/Hong Kong colleague would type it, not only as OpenCC produces it."""
    expected, _ = check(real_engine, engine_errors, simplified)
    got, _ = check(real_engine, engine_errors, HAND_WRITTEN_TRADITIONAL[simplified])
    assert outcome(got) == outcome(expected), f"{got.text} ≠ {expected.text}"


# one character of the indicator name replaced by a look-alike or same-sound character
TYPOS = (
    ("2022年瞪羚企业目标是多少", "2022年瞪铃企业目标是多少"),
    ("2022年瞪羚企业目标是多少", "2022年蹬羚企业目标是多少"),
    ("2021年独角兽培育企业多少家", "2021年独脚兽培育企业多少家"),
    ("2021年独角兽培育企业多少家", "2021年独角兽陪育企业多少家"),
    ("科贷通累计解决贷款多少亿元", "科代通累计解决贷款多少亿元"),
    ("2022年培育初级技术经纪人多少人", "2022年培育初级技术经济人多少人"),
    ("2022年加计扣除额目标是多少亿元", "2022年加记扣除额目标是多少亿元"),
    ("2021年新增科创板企业多少家", "2021年新增科创版企业多少家"),
    ("2021年新引进外国人才多少人", "2021年新引进外国人材多少人"),
    ("财政资金放大倍率是多少", "财政资金放大陪率是多少"),
    ("姑苏领军人才立项多少个项目", "姑苏岭军人才立项多少个项目"),
    ("2021年技术合同成交额多少亿元", "2021年技术合桶成交额多少亿元"),
    ("2021年减免企业所得税多少亿元", "2021年减免企业所的税多少亿元"),
    ("国家级人才工程累计多少人", "国家级人材工程累计多少人"),
    ("2021年有效高企数是多少", "2021年有校高企数是多少"),
    ("2021年认定高企多少家", "2021年认定高起多少家"),
    ("科技金融累计获得收益多少万元", "科技金融累计获得收意多少万元"),
    ("2022年新建新型研发机构多少家", "2022年新建新形研发机构多少家"),
    ("2021年高新技术产业产值是多少万亿元", "2021年高新技木产业产值是多少万亿元"),
    ("2021年全社会研发投入占GDP比重是多少", "2021年全社会研发头入占GDP比重是多少"),
)


@pytest.mark.parametrize(
    ("correct", "typo"),
    [pytest.param(correct, typo, id=typo) for correct, typo in TYPOS],
)
def test_one_character_typo_is_answered_right_or_refused(
    real_engine: Engine, engine_errors: _ErrorLog, correct: str, typo: str
) -> None:
    """A typo may cost the answer, never its correctness: refused, or the very figure the right spelling gets."""
    expected, _ = check(real_engine, engine_errors, correct)
    assert expected.found, f"correctly spelled question not answered: {correct}"
    got, _ = check(real_engine, engine_errors, typo)
    assert not got.found or outcome(got)[:3] == outcome(expected)[:3], f"{typo}: {got.text} (right: {expected.text})"


# ── a calculation that would divide by zero ─────────────────────────────────

ZERO_REPORT = """---
title: 示例市科技创新工作 2021 年总结
issuer: 示例市科学技术局
city: 示例
period: 2021
plan_year: 2022
---

# 示例市科技创新工作 2021 年总结

## 一、2021 年重点工作回顾

2021 年，“科贷通”为 0 家企业解决贷款 5 亿元。全市新设立天使子基金 0 个，募资总额 0 亿元。\
全市有效高新技术企业达 120 家，较上年增长 20%。
"""

DIVIDE_BY_ZERO = {
    "average-money-per-zero-firms": "科贷通平均每家贷了多少万元",
    "average-per-zero-firms": "科贷通平均每家企业贷款多少",
    "average-zero-over-zero": "天使子基金平均每个募资多少",
    "ratio-over-zero": "有效高新技术企业是天使子基金的几倍",
}


@pytest.fixture(scope="module")
def zero_engine(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Engine:
    """A one-paragraph report whose counts are 0, so averages and ratios over them divide by zero."""
    knowledge = tmp_path_factory.mktemp("zero-knowledge")
    (knowledge / "zero-report.md").write_text(ZERO_REPORT, encoding="utf-8")
    REPORT_TEXTS["zero-report"] = _flat(ZERO_REPORT)
    index = tmp_path_factory.mktemp("zero-index")
    build_index(knowledge, index, embedder, progress=False)
    return Engine.load(index, embedder)


@pytest.mark.parametrize("question", DIVIDE_BY_ZERO.values(), ids=DIVIDE_BY_ZERO.keys())
def test_division_by_zero_does_not_crash(zero_engine: Engine, engine_errors: _ErrorLog, question: str) -> None:
    """The calculator raises on ÷0; the engine must turn that into a reply, not an exception or NaN/Infinity."""
    check(zero_engine, engine_errors, question)


@pytest.mark.parametrize(
    "question",
    [
        pytest.param(DIVIDE_BY_ZERO[k], id=k)
        for k in ("average-money-per-zero-firms", "average-per-zero-firms", "average-zero-over-zero", "ratio-over-zero")
    ],
)
def test_division_by_zero_is_refused_not_replaced_by_a_lookup(
    zero_engine: Engine, engine_errors: _ErrorLog, question: str
) -> None:
    """An average over 0 firms has no value: the reply says it cannot be computed instead of showing another figure."""
    _, payload = check(zero_engine, engine_errors, question)
    assert not payload["found"], f"stated {payload['value']} {payload['unit']}: {payload['answer']}"


# ── property tests: 10,000 generated inputs per run ──


def _report_phrases() -> list[str]:
    """Runs of 2–12 CJK characters from the report: the words a staff member would type."""
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(KNOWLEDGE.glob("*.md"))).replace("**", "")
    text = re.sub(r"\A---.*?---", "", text, flags=re.S)
    phrases: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]{2,}", text):
        phrases.add(run[:12])
        if len(run) > 6:
            phrases.update(run[i : i + 4] for i in range(0, len(run) - 3, 3))
    return sorted(phrases)


PHRASES = _report_phrases()
UNITS = ("", "家", "人", "个", "项", "场", "万元", "亿元", "万亿元", "%", "倍", "个百分点", "万家", "名")
FILLERS = ("", "", "请问", "帮我查一下", "麻烦问一下", "你好，", "想知道")
SUFFIXES = ("", "", "？", "?", "呢", "。", "啊")
RELATIVE = ("今年", "去年", "明年", "上年", "前年")


@st.composite
def years(draw: st.DrawFn) -> str:
    year = draw(st.integers(1990, 2035))
    form = draw(st.sampled_from(("digits", "full-width", "chinese", "short", "none", "relative", "度")))
    if form == "digits":
        return f"{year}年"
    if form == "full-width":
        return f"{_full_width(str(year))}年"
    if form == "chinese":
        return f"{''.join(_CN_DIGIT[c] for c in str(year))}年"
    if form == "short":
        return f"{year % 100:02d}年"
    if form == "relative":
        return draw(st.sampled_from(RELATIVE))
    if form == "度":
        return f"{year}年度"
    return ""


@st.composite
def templated_questions(draw: st.DrawFn) -> str:
    """A question built from the report's words with a random year, unit and operation."""
    a = draw(st.sampled_from(PHRASES))
    b = draw(st.sampled_from(PHRASES))
    year, year2 = draw(years()), draw(years())
    unit = draw(st.sampled_from(UNITS))
    number = draw(st.one_of(st.integers(0, 100_000).map(str), st.decimals(0, 1000, places=2).map(str)))
    asks = (
        f"{year}{a}是多少{unit}",
        f"{year}{a}有多少{unit}",
        f"{year}{a}目标是多少{unit}",
        f"{year}{a}实际完成了多少{unit}",
        f"{a}比{year2}多了多少{unit}",
        f"{year}{a}比{year2}增长了百分之几",
        f"{year}{a}较上年提高了几个百分点",
        f"{a}是{b}的几倍",
        f"{year}{a}占{b}的百分之几",
        f"{a}平均每家多少{unit}",
        f"{a}和{b}一共多少{unit}",
        f"{year}{a}完成率是多少",
        f"{a}的收益率是多少",
        f"{year}以前{a}累计多少{unit}",
        f"{year}{a}排第几",
        f"{a}有哪些",
        f"{a}除以0是多少",
        f"{a}{number}{unit}是{year}的吗",
        f"{year}{a}{b}多少{unit}",
        f"{a}{b}",
    )
    body = draw(st.sampled_from(asks))
    return f"{draw(st.sampled_from(FILLERS))}{body}{draw(st.sampled_from(SUFFIXES))}"


cjk_text = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.sampled_from(list("0123456789年多少几是的比较增长万亿元家人个%？，。 ")),
    ),
    max_size=40,
)


def _fuzz_settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


@pytest.fixture(scope="module")
def hashed_engine(real_engine: Engine) -> Engine:
    """The seed index and engine code, with the hashing query embedder."""
    return Engine(
        real_engine.index, HashEmbedder("test/hashing-query", dim=real_engine.index.sentence_vectors.shape[1])
    )


STRATEGIES: dict[str, st.SearchStrategy[str]] = {
    "unicode": st.text(max_size=80),  # controls, astral planes, combining marks
    "cjk": cjk_text,  # random Chinese with question words: retrieval finds *something*
    "templates": templated_questions(),  # the report's own words: most likely to get a confident wrong number
}


@pytest.mark.parametrize("engine_name", FUZZ_BUDGET)
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_fuzz(request: pytest.FixtureRequest, engine_errors: _ErrorLog, engine_name: str, strategy: str) -> None:
    """Generated input: JSON contract, a short clear reply, and every stated number grounded in a cited sentence."""
    examples = round(FUZZ_BUDGET[engine_name] * FUZZ_SHARE[strategy])
    if examples == 0:
        pytest.skip(f"WENSHU_FUZZ_EXAMPLES={FUZZ_TOTAL} leaves nothing for the {engine_name} engine")
    engine = request.getfixturevalue(f"{'real' if engine_name == 'model' else 'hashed'}_engine")

    @_fuzz_settings(examples)
    @given(question=STRATEGIES[strategy])
    def holds(question: str) -> None:
        check(engine, engine_errors, question)

    holds()


def test_fuzz_budget_is_at_least_the_requested_total() -> None:
    """The property tests together run WENSHU_FUZZ_EXAMPLES inputs (10,000 unless set)."""
    total = sum(round(budget * share) for budget in FUZZ_BUDGET.values() for share in FUZZ_SHARE.values())
    assert total >= FUZZ_TOTAL
    assert len(PHRASES) > 200, "the template vocabulary should cover the report"


# ── memory: 2,000 questions later, nothing has grown past its bounds ──

MEMORY_QUESTIONS = 2000  # distinct questions asked for the memory check
MEMORY_WARM_UP = 300  # questions first, so caches and lazily built tables exist before measuring
MAX_GROWTH_MB = 16.0  # traced Python memory allowed to grow over the 2,000 (bounded caches fill: MB, lower = stricter)


def test_memory_stays_flat_over_2000_questions(hashed_engine: Engine) -> None:
    """A long-running bot must not leak: per-question state is dropped, caches are bounded."""
    import tracemalloc

    questions = [f"{year}年{phrase}是多少" for year in range(2015, 2025) for phrase in PHRASES]
    questions = questions[: MEMORY_WARM_UP + MEMORY_QUESTIONS]
    assert len(questions) == MEMORY_WARM_UP + MEMORY_QUESTIONS
    for question in questions[:MEMORY_WARM_UP]:
        hashed_engine.ask(question)
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        for question in questions[MEMORY_WARM_UP:]:
            hashed_engine.ask(question)
        end, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    growth_mb = (end - start) / 2**20
    print(f"traced memory growth over {MEMORY_QUESTIONS} questions: {growth_mb:.2f} MB")
    assert growth_mb < MAX_GROWTH_MB
