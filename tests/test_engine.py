"""Specification of the answer engine (bot.engine.Engine) on the seed report.

What a caller can rely on: the examples of the issue are answered (or refused)
as stated; every found answer quotes at least one verbatim sentence of the report
and never shows a number that is neither in a cited sentence nor in the shown
formula; a refusal says "报告中没有…" and offers no number as the answer. The
dev and holdout question sets measure accuracy by question type; the thresholds
are the levels reached when the tests were written, minus 3 points — raise them
as the engine improves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from answer_support import assert_value
from embedder_support import CountingEmbedder

from bot import stages
from bot.engine import (
    LEXICAL_SURE_COVERAGE,
    LEXICAL_SURE_FACT_COVERAGE,
    LEXICAL_SURE_FACT_LEAD,
    LEXICAL_SURE_MARGIN,
    Engine,
    Evidence,
)
from bot.evaluate import QAEvaluator, Report, judge, load_items
from bot.models import Answer, AnswerKind, Citation

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "knowledge" / "suzhou-keji-2021-summary-2022-plan.md"
# dev: written with the engine; holdout: written independently and never read while developing;
# calc_fresh: 70 calculations written later by someone who read only the report (phone style).
QA_FILES = {
    "dev": DATA / "dev_qa.jsonl",
    "holdout": DATA / "holdout_qa.jsonl",
    "calc_fresh": DATA / "calc_fresh.jsonl",
    "calc_fresh2": DATA / "calc_fresh2.jsonl",
    "calc_fresh3": DATA / "calc_fresh3.jsonl",
    "lookup_fresh": DATA / "lookup_fresh.jsonl",
    "calc_fresh4": DATA / "calc_fresh4.jsonl",
    "calc_fresh5": DATA / "calc_fresh5.jsonl",
}

# Accuracy by type measured when these floors were last raised, minus ~3 points (fractions of 1).
# Measured (python -m bot eval FILE): dev lookup 98.9 (92/93), calc 95.8 (92/96), fact 88.6 (31/35),
# refusal 100 (45/45); holdout lookup 85.7 (30/35), calc 88.9 (32/36), fact 100 (12/12), refusal 100 (18/18);
# calc_fresh 97.1 (68/70) — by now a development set: it was used to find the failures fixed since.
# calc_fresh2 (48 calc + 12 refusals, written from the report only): first look calc 58.3 (28/48), refusal 91.7
# (11/12); after fixing what it showed, calc 77.1 (37/48), refusal 100 (12/12). It reads 今年 as the report's
# review year; holdout_qa reads it as the plan year — both readings occur, and the engine keeps the plan year.
# calc_fresh3 (36 calc, 6 lookups in other words, 8 refusals; years always explicit): first look calc 63.9 (23/36),
# lookup 16.7 (1/6), refusal 87.5 (7/8); after fixing what it showed calc 88.9 (32/36), lookup 100, refusal 100.
# lookup_fresh (40 lookups naming the indicator only in other words: 持有高企证书仍在资格期内的企业存量 for 有效高企):
# first look 25.0 (10/40), 29 refused, 1 wrong (挂牌的公司总共几家 → the 18 new, not the 38 in all; now refused);
# 50.0 (20/40), the rest refused, once everyday words for the reports' terms joined the synonyms (少交 → 减免).
# calc_fresh4 (36 calc, 12 lookups, 12 refusals; many restate a figure: "21年1020人同比增13.1%，20年多少"):
# first look calc 63.9 (23/36), lookup 100 (12/12), refusal 91.7 (11/12); after fixing what it showed calc 94.4.
# calc_fresh5 (40 calc, 10 lookups, 10 refusals, 9 restating a figure): first look calc 72.5 (29/40), lookup 70
# (7/10), refusal 90 (9/10); after fixing what it showed calc 95.0 (38/40), lookup 100, refusal 100.
# Homophone typos (申保数, 技术经济人) since raised holdout lookup to 94.3 (33/35).
MIN_ACCURACY: dict[str, dict[str, float]] = {
    "dev": {"lookup": 0.95, "calc": 0.95, "fact": 0.85, "refusal": 0.97},
    "holdout": {"lookup": 0.9, "calc": 0.85, "fact": 0.97, "refusal": 0.97},
    "calc_fresh": {"calc": 0.94},
    "calc_fresh2": {"calc": 0.73, "refusal": 0.97},
    "calc_fresh3": {"calc": 0.94, "lookup": 0.97, "refusal": 0.97},
    "lookup_fresh": {"lookup": 0.47},
    "calc_fresh4": {"calc": 0.91, "lookup": 0.97, "refusal": 0.88},
    "calc_fresh5": {"calc": 0.92, "lookup": 0.97, "refusal": 0.97},
}

GAZELLE = "2022年遴选瞪羚企业350家"
GAZELLE_PATH = ("二、2022 年工作计划", "（二）强化企业扶持，夯实创新主体地位", "一是持续壮大创新型企业规模")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})(?=\s*年)")
MAX_SHOWN_DECIMALS = 6  # no displayed number needs more; more means an unrounded intermediate leaked out


@pytest.fixture(scope="module")
def engine(real_engine: Engine) -> Engine:
    return real_engine


# ── the examples of the issue ────────────────────────────────────────────────


def test_gazelle_target_is_found_with_its_sentence(engine: Engine) -> None:
    """The target question "2022年瞪羚企业目标是多少" → 350 家, quoting the plan sentence under its heading."""
    answer = engine.ask("2022年瞪羚企业目标是多少")
    assert answer.found
    assert answer.kind is AnswerKind.LOOKUP
    assert (answer.value, answer.unit) == (350, "家")
    cited = [c for c in answer.citations if GAZELLE in c.text]
    assert cited, [c.text for c in answer.citations]
    assert cited[0].section == " › ".join(GAZELLE_PATH)
    assert answer.formula is None


def test_answer_text_starts_with_the_answer(engine: Engine) -> None:
    """The first clause a person reads already holds the number, with no preamble before it."""
    text = engine.ask("2022年瞪羚企业目标是多少").text
    assert re.match(r"^[^，。；（]{0,16}350\s*家", text), text


@pytest.mark.parametrize(
    "question",
    [
        "2023年瞪羚企业目标",  # the report has no 2023 plan
        "2021年遴选了多少瞪羚企业",  # it only plans 2022's selection
        "苏州常住人口",  # not in the report at all
        "21年全省有效高企一共多少家",  # 11155 家 is the city's (…，全省第一), not the province's
        "全国的高企申报数是多少",
    ],
)
def test_questions_the_report_does_not_answer_are_refused(engine: Engine, question: str) -> None:
    """The bot says 报告中没有… instead of offering the nearest number."""
    answer = engine.ask(question)
    assert not answer.found
    assert answer.text.startswith("报告中没有")
    assert answer.value is None and answer.unit is None
    assert answer.citations == []
    assert "350" not in answer.text


def test_refusal_may_point_at_the_nearest_passage_without_its_number(engine: Engine) -> None:
    """2023 is not planned, but the 2022 sentence is worth showing — as context, not as the answer."""
    answer = engine.ask("2023年瞪羚企业目标")
    assert all(GAZELLE in c.text for c in answer.nearest)
    assert "2023" in answer.text


def test_which_two_national_centres(engine: Engine) -> None:
    """The question "哪两个国家技术创新中心获批" names both centres, from the sentence that says so."""
    answer = engine.ask("哪两个国家技术创新中心获批")
    assert answer.found and answer.kind is AnswerKind.FACT
    assert "国家生物药技术创新中心" in answer.text
    assert "第三代半导体技术创新中心" in answer.text
    assert any("获科技部批复同意成立" in c.text for c in answer.citations)


def test_which_universities_signed(engine: Engine) -> None:
    """The question "和哪些大学签了协议" is answered with 清华大学 and 河海大学."""
    answer = engine.ask("和哪些大学签了协议")
    assert answer.found
    assert "清华大学" in answer.text and "河海大学" in answer.text
    assert any("签署战略合作协议" in c.text for c in answer.citations)


@pytest.mark.parametrize("question", ["", "   ", "？？？", "@@##!!", "\u200b", "的了吗"])
def test_empty_or_junk_input_is_answered_not_crashed(engine: Engine, question: str) -> None:
    """Every input gets an Answer: found=false with a hint, never an exception."""
    answer = engine.ask(question)
    assert not answer.found
    assert answer.text
    assert answer.value is None and answer.citations == []


def test_new_ones_asked_are_the_years_change_not_the_total(engine: Engine) -> None:
    """ "新增科创板企业18家、全国第二，累计达38家": 新上市 asks the 18; "有几家" alone would ask the level."""
    assert engine.ask("2021年苏州新上市科创板的公司有几家").value == 18


def test_a_number_shared_by_two_things_is_no_restatement(engine: Engine) -> None:
    """ "…研究所…2022年计划布局10家" and "海外离岸创新中心，2022年争取布局10家": the same number, another thing."""
    answer = engine.ask("产研院研究所21年累计加22年布局共几家")
    assert answer.value == 24
    assert not [c for c in answer.citations if c.restates]
    assert not any("离岸创新中心" in c.text for c in answer.citations)


def test_answer_carries_its_timing_and_json_contract(engine: Engine) -> None:
    """Surfaces show and log elapsed time; the JSON form has every contract field."""
    answer = engine.ask("有效高企有多少家")
    assert answer.elapsed_ms > 0
    payload = answer.to_json()
    fields = {"question", "found", "answer", "value", "unit", "formula", "citations", "elapsed_ms"}
    assert payload.keys() >= fields
    assert all(c.keys() >= {"id", "doc", "section", "text"} for c in payload["citations"])


def test_answer_says_where_its_time_went(engine: Engine) -> None:
    """Engine.ask fills ``timings`` on the real path: the stages add up to the elapsed time (bot.stages)."""
    question = "全省高企申报按占三分之一倒推大约多少家"  # a derived whole takes the full path; asked nowhere else
    answer = engine.ask(question)
    timings = answer.timings
    assert list(timings) == list(stages.STAGES)
    assert timings[stages.TOTAL] == pytest.approx(answer.elapsed_ms)
    assert sum(timings[s] for s in stages.STAGES if s != stages.TOTAL) == pytest.approx(timings[stages.TOTAL])
    assert timings[stages.EMBED] > 0 and timings[stages.SEARCH] > 0
    again = engine.ask(question).timings
    assert again[stages.EMBED] < timings[stages.EMBED]  # the vector is cached now
    assert "timings" not in answer.to_json()  # not part of the JSON contract


def test_input_refused_before_searching_is_all_understanding(engine: Engine) -> None:
    timings = engine.ask("？？？").timings
    assert timings[stages.EMBED] == timings[stages.SEARCH] == 0.0
    assert timings[stages.UNDERSTAND] == pytest.approx(timings[stages.TOTAL])


# ── sentences and paragraphs ─────────────────────────────────────────────────


def test_sentence_round_trips_by_id(engine: Engine) -> None:
    """A citation id from any surface (share link, 原文 button) leads back to the same sentence."""
    for sentence in engine.index.sentences:
        assert engine.sentence(sentence.id) == sentence
    assert engine.sentence("s-no-such-id") is None


def test_paragraph_returns_the_whole_paragraph_in_order(engine: Engine) -> None:
    """The 原文 view shows the cited sentence with its neighbours, exactly as the report has them."""
    answer = engine.ask("2022年瞪羚企业目标是多少")
    target = next(c for c in answer.citations if GAZELLE in c.text)
    paragraph = engine.paragraph(target.id)
    assert target.id in [s.id for s in paragraph]
    positions = [s.position for s in paragraph]
    assert positions == sorted(positions) == list(range(positions[0], positions[0] + len(positions)))
    source_line = next(line for line in SEED.read_text(encoding="utf-8").splitlines() if GAZELLE in line)
    assert "".join(s.text for s in paragraph).startswith(source_line.replace("**", "").strip())
    rows = [engine.index.sentence_row[s.id] for s in paragraph]
    before, after = engine.index.sentences[rows[0] - 1], engine.index.sentences[rows[-1] + 1]
    assert before.paragraph != paragraph[0].paragraph and after.paragraph != paragraph[0].paragraph


def test_paragraph_of_an_unknown_id_is_empty(engine: Engine) -> None:
    """A stale link after a rebuild gives nothing, not somebody else's paragraph."""
    assert engine.paragraph("s-no-such-id") == []


def test_documents_and_counts(engine: Engine) -> None:
    """The reports listing agrees with the index."""
    [doc] = engine.documents()
    assert doc.title == "苏州市科技创新工作 2021 年总结及 2022 年计划"
    sentences, figures = engine.document_counts(doc.doc_id)
    assert sentences == len(engine.index.sentences) and figures == len(engine.index.figures)
    assert engine.indexed_at(doc.doc_id)


# ── every dev and holdout question ───────────────────────────────────────────


@dataclass
class Runs:
    reports: dict[str, Report]
    answers: dict[str, Answer]  # question → answer, over both files


@pytest.fixture(scope="module")
def runs(engine: Engine) -> Runs:
    """Ask each dev and holdout question once; the accuracy and invariant tests share the answers."""
    answers: dict[str, Answer] = {}

    def ask(question: str) -> Answer:
        if question not in answers:
            answers[question] = engine.ask(question)
        return answers[question]

    reports = {name: QAEvaluator.from_file(path)(ask) for name, path in QA_FILES.items()}
    return Runs(reports, answers)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(QA_FILES))
def test_accuracy_by_question_type(runs: Runs, name: str) -> None:
    """Lookups, calculations, facts and refusals each stay at or above the level reached."""
    report = runs.reports[name]
    print(f"\n{name}: {report.format(show_failures=True)}")
    for kind, (right, total) in report.by_type().items():
        assert right / total >= MIN_ACCURACY[name][kind], f"{name} {kind}: {right}/{total}"


def _all_answers(runs: Runs) -> list[tuple[dict[str, Any], Answer]]:
    items = [item for path in QA_FILES.values() for item in load_items(path)]
    return [(item, runs.answers[item["question"]]) for item in items]


def _found(runs: Runs) -> list[Answer]:
    return [a for _, a in _all_answers(runs) if a.found]


@pytest.mark.slow
def test_every_found_answer_cites_a_verbatim_sentence(runs: Runs, engine: Engine) -> None:
    """A found answer without its source is unverifiable; a citation must be the report's exact words."""
    titles = {d.title for d in engine.documents()}
    bad: list[str] = []
    for answer in _found(runs):
        if not answer.citations:
            bad.append(f"{answer.question}: no citation")
        for citation in answer.citations:
            sentence = engine.sentence(citation.id)
            if sentence is None or sentence.text != citation.text or citation.section != sentence.section:
                bad.append(f"{answer.question}: citation {citation.id} is not a sentence of the index")
            if citation.doc not in titles:
                bad.append(f"{answer.question}: unknown document {citation.doc!r}")
    assert not bad, "\n".join(bad)


def _report_years(engine: Engine, citations: list[Citation]) -> set[str]:
    """The years a report speaks of: its review year, the year before (compared with), its plan year."""
    years: set[str] = set()
    for citation in citations:
        sentence = engine.sentence(citation.id)
        meta = engine.index.documents.get(sentence.doc_id) if sentence else None
        for year in (meta.period, meta.plan_year) if meta else ():
            if year:
                years |= {str(year), str(year - 1)}
    return years


@pytest.mark.slow
def test_every_number_in_an_answer_comes_from_its_sources(runs: Runs, engine: Engine) -> None:
    """No invented figures: each number shown is in a cited sentence or in the formula.

    A year such as the "2021年" put before a figure comes from the sentence's
    section, not from the sentence; it must be one of the cited report's years.
    """
    bad: list[str] = []
    for answer in _found(runs):
        sources = set(_NUMBER.findall(" ".join(c.text for c in answer.citations) + " " + (answer.formula or "")))
        years = _report_years(engine, answer.citations)
        year_spans = {m.span(1) for m in _YEAR.finditer(answer.text)}
        for m in _NUMBER.finditer(answer.text):
            number = m.group(0)
            if number in sources or (m.span() in year_spans and number in years):
                continue
            bad.append(f"{answer.question}: {number!r} in {answer.text!r} (formula {answer.formula!r})")
    assert not bad, "\n".join(bad)


@pytest.mark.slow
def test_refusals_offer_no_number_and_no_citation(runs: Runs) -> None:
    """A refusal's text may name years and numbers from the question, never a figure of its own."""
    bad: list[str] = []
    for item, answer in _all_answers(runs):
        if answer.found:
            continue
        if answer.value is not None or answer.citations:
            bad.append(f"{answer.question}: refusal with value {answer.value} / {len(answer.citations)} citations")
        asked = set(_NUMBER.findall(item["question"])) | set(_NUMBER.findall(answer.text.split("；")[0]))
        years = {m.group(1) for m in _YEAR.finditer(answer.text)}
        offered = [n for n in _NUMBER.findall(answer.text) if n not in asked and n not in years]
        if offered:
            bad.append(f"{answer.question}: offers {offered} in {answer.text!r}")
    assert not bad, "\n".join(bad)


@pytest.mark.slow
def test_found_numeric_answers_have_a_value_and_unit(runs: Runs) -> None:
    """Scripts read ``value``/``unit``: a found lookup or calculation always fills them."""
    bad = [
        f"{a.question}: {a.value!r} {a.unit!r}"
        for a in _found(runs)
        if a.kind in (AnswerKind.LOOKUP, AnswerKind.CALC) and (a.value is None or a.unit is None)
    ]
    assert not bad, "\n".join(bad)


@pytest.mark.slow
def test_calculations_show_their_formula(runs: Runs) -> None:
    """A computed number is checkable only with its formula."""
    bad = [a.question for a in _found(runs) if a.kind is AnswerKind.CALC and not a.formula]
    assert not bad, "\n".join(bad)


def _long_decimals(text: str) -> list[str]:
    return [n for n in _NUMBER.findall(text) if "." in n and len(n.split(".")[1]) > MAX_SHOWN_DECIMALS]


@pytest.mark.slow
def test_shown_numbers_are_rounded(runs: Runs) -> None:
    """A formula a person reads never shows a 28-digit intermediate."""
    shown = {a.question: _long_decimals(f"{a.text} {a.formula or ''}") for a in _found(runs)}
    bad = [f"{question}: {numbers}" for question, numbers in shown.items() if numbers]
    assert not bad, "\n".join(bad)


# ── questions that once got a wrong number: now right, or refused ─────────────


@pytest.mark.parametrize(
    ("question", "value", "unit"),
    [
        ("２０２１年落实科技创新政策一共给企业减免了多少所得税", 249.89, "亿元"),
        ("2021年减免了多少所得税", 249.89, "亿元"),  # 多少所得税 is not "多少所" (schools)
        ("加计扣除企业数，今年目标比去年增长多少（百分比）", 7.36, "%"),
        ("新型研发机构平均每家承担多少国家级科研项目", 2.52, "项/家"),
        ("材料科学姑苏实验室引进的人里国家级人才几个", 14, "人"),
        ("外国人才累计数21年比上年增长了百分之几", 41.42, "%"),  # not 其中高端人才's 同比增长 13.1%
        ("21年新研机构孵化企业里高企占比", 9.59, "%"),  # 87 ÷ 907, never 87 ÷ 66 家 机构
        ("截至2021年，苏州在科创板挂牌的公司总共几家？", 38, "家"),  # the stock, never the year's 新增 18
        ("科贷通累计下来平均每家企业贷款多少万元", 564.48, "万元/家"),
        ("新建国际研发机构平均每家拿到多少支持经费（万元）", 584.25, "万元/家"),
    ],
)
def test_never_a_wrong_number(engine: Engine, question: str, value: float, unit: str) -> None:
    """Refusing is acceptable; a confident wrong number is not."""
    answer = engine.ask(question)
    gold = {"type": "calc", "value": value, "unit": unit, "tolerance": 0.005, "gold": []}
    assert not answer.found or judge(gold, answer.to_json())[0], answer.text


# ── values the report implies: a whole from its share, a base from its multiple, sums ──


@pytest.mark.parametrize(
    ("question", "value", "unit"),
    [
        ("科小入库数量比有效高企多多少家", 6787, "家"),  # no year: both 2021, not the 2022 target 12000
        ("科小入库增速比高企申报增速高几个百分点", 6.98, "个百分点"),  # each side names its own rate
        ("享受研发费加计扣除的企业22年要到1.9万家 比21年还得多多少家", 1302, "家"),  # 1.9万家 is a value
        ("21年高企申报数比认定数多出多少家", 6497, "家"),
        ("拿21年享受加计扣除的企业数对22年1.9万家目标 完成率多少", 93.15, "%"),  # the later year is the target's
        ("科贷通一行一品牌现有服务企业数只完成了22年目标的百分之几", 21.92, "%"),
        ("22年加计扣除目标算下来平均每家企业扣除额多少万元", 331.58, "万元/家"),
        ("外国人才累计数21年比上年增长了百分之几", 41.42, "%"),  # the total a year before: 11099 − 3251
        ("科贷通累计服务企业家数21年一年增长了百分之几", 26.94, "%"),  # 企业|家数, not 企业家
        ("科贷通累计服务的企业除去21年当年的 之前有多少家", 7764, "家"),
        ("沪苏共建载体平台加校地校企合作项目一共多少个", 398, "个"),
        ("新研机构一共拿到多少项授权专利 发明加PCT", 775, "项"),
        ("按净增数倒推，2020年底有效高企是多少家？", 9753, "家"),  # the method clause names no indicator
        ("科贷通2021年贷款总额平均到每家企业是多少万元", 402.06, "万元/家"),
        ("科技金融累计收益相当于累计出资的百分之几", 33.44, "%"),
        ("瞪羚+独角兽培育 22年共多少家", 500, "家"),
        ("新型研发机构衍生孵化的企业中，高企和科小以外的还有多少家？", 598, "家"),  # the whole minus two parts
        ("研发投入占GDP比重是技术合同成交额占GDP比重的几倍？", 1.12, "倍"),  # two rates, each named as a rate
        ("省民营科技企业推荐超额完成了多少家", 2911, "家"),  # the target implied by 完成年度目标的 216.44%
        ("离2022年有效高企的目标，现在还差多少家？", 845, "家"),  # the target named first
        ("科贷桶累计贷款是21年当年的几倍", 6.61, "倍"),  # 贷款 is money: not 9856 家 ÷ 2092 家 (and a typo)
        ("21年国家级人才里非创业类的有几个", 145, "人"),  # the whole that states the part: 291, not a lab's 14
        ("科创板累计家数21年涨了百分之多少", 90, "%"),  # 累计 38 over the total a year before (38 − 18)
        ("21年新研机构发明专利是PCT的几倍", 31.29, "倍"),  # "66 家市级新型研发机构…" names its own subject
        ("21年有效高企数达到22年目标的百分之几", 92.96, "%"),
        ("21年研发投入占GDP比技术合同额占GDP高几个点", 0.4, "个百分点"),  # 占GDP比 is no comparison
        ("21年认定高企数跟净增数差了多少家", 2353, "家"),  # two quantities named: not the stated 净增 1402
        ("21年高企申报数是认定数的几倍", 2.73, "倍"),  # 认定 replaces 申报, 高企 is kept
        ("独角兽培育企业除去今年公示的还有多少家", 59, "家"),  # the part stated beside its whole
        ("216家独角兽培育企业里，除去2021年公示的，之前的有几家", 59, "家"),
        ("双创大赛路演的项目里没拟立项的有几个", 107, "个"),
        ("科技金融累计收益折成亿元是多少", 1.32, "亿元"),
        ("按占全省三分之一算，全省高企申报大约多少家", 30756, "家"),
        ("高企申报数占全省1/3，倒推全省申报多少家", 30756, "家"),
        ("按高新产业产值和占比推算，规上工业产值大约多少万亿元", 4, "万亿元"),
        ("根据高新技术产业产值占比反推规上工业产值是多少万亿", 4, "万亿元"),
        ("按放大倍率推算，天使子基金里财政资金大约多少亿元", 5.83, "亿元"),
        ("用技术合同成交额和它占GDP的比重倒推，GDP大约多少亿元", 22294.12, "亿元"),
        ("帮我算下沪苏共建平台和校地校企合作合同金额一共多少亿", 129.2, "亿元"),
        ("2022年瞪羚和独角兽培育企业加起来要选多少家", 500, "家"),
        ("初级和中高级技术经纪人加一块要培育多少人", 400, "人"),
        ("沪苏共建平台跟校地校企合作的合同金额加在一起是多少亿元", 129.2, "亿元"),  # 合同 is no 和/同
        ("完成路演的项目里拟立项的比例是多少", 74.22, "%"),  # the whole named first, with 里
        ("2022年外国高端人才目标比2021年少了百分之几", 11.76, "%"),  # shown as 下降约11.76%
        ("高企和科小占衍生孵化企业的比例", 34.07, "%"),  # the parts add up first, each within the whole
        ("科贷通21年以前累计解决的贷款有多少亿？", 472.24, "亿元"),  # words on both sides of 以前
        ("22年沪苏挑战赛精准对接的需求占摸排需求的比例", 22.22, "%"),  # 100 个 of 450 项
        ("22年有效高企要冲到多少，跟21年比还差多少家", 845, "家"),  # 要冲到 is a target's verb
        ("产研院的研究所22年布局的都建成后一共多少家", 24, "家"),  # today's 14 + the 10 planned
    ],
)
def test_calculations_fill_in_what_a_question_leaves_out(
    engine: Engine, question: str, value: float, unit: str
) -> None:
    """What a reader fills in: the same year, the replaced word, the part beside its whole, a derived whole."""
    answer = engine.ask(question)
    assert_value(answer, value, unit)
    assert answer.formula and len(answer.citations) >= 1


@pytest.mark.parametrize(
    ("question", "value", "unit"),
    [
        ("21年高企申保数比认定数多多少家", 6497, "家"),  # 申保 for 申报
        ("22年技术经济人初级加中高级一共至少多少人", 400, "人"),  # 经济人 for 经纪人; 至少多少 is no 少多少
        ("科代通21年贷了多少亿", 84.11, "亿元"),
    ],
)
def test_homophone_typos_of_a_pinyin_keyboard_are_read_as_meant(
    engine: Engine, question: str, value: float, unit: str
) -> None:
    answer = engine.ask(question)
    assert_value(answer, value, unit)
    assert answer.question == question  # the reply quotes what was typed


@pytest.mark.parametrize(
    ("question", "value", "unit"),
    [
        ("2021年苏州新招来的外籍人才有多少人", 3251, "人"),  # 招来 for 引进, 外籍 for 外国
        ("21年靠科技创新政策帮企业少交了多少所得税", 249.89, "亿元"),  # 少交 for 减免
        ("21年沪苏一起建的科创平台签约金额一共多少", 97.5, "亿元"),  # 签约金额 for 合同金额
    ],
)
def test_everyday_words_for_the_reports_terms(engine: Engine, question: str, value: float, unit: str) -> None:
    answer = engine.ask(question)
    assert_value(answer, value, unit)


def test_a_stated_completion_rate_is_read_not_recomputed(engine: Engine) -> None:
    answer = engine.ask("民营科技企业推荐完成了百分之几")
    assert (answer.value, answer.unit, answer.formula) == (Decimal("216.44"), "%", None)


@pytest.mark.parametrize(
    ("question", "value", "unit"),
    [
        ("新引进外国人才3251人，同比增长30.1%，那20年引进了多少", 2499, "人"),
        ("有效高企去年净增1402家 前年底有多少家", 9753, "家"),
        ("减免企业所得税增长了19.28%，2020年是多少亿元", 209.5, "亿元"),
        ("省民营科技企业推荐数完成了年度目标的216.44%，原定目标是几家？", 2500, "家"),
        ("科贷通为2092家企业贷款84.11亿元，平均每家多少万", 402.06, "万元/家"),
        ("科技金融累计出资39477万元，换算成亿元是多少", 3.9477, "亿元"),  # the given, in the unit asked
        ("高新技术产业产值2.1万亿，占规上工业产值52.5%，那规上工业产值是多少万亿？", 4, "万亿元"),  # a rate given
        ("产研院的技术研究所21年累计14家，22年再布局10家，加起来多少家？", 24, "家"),  # each given a part
        ("22年新建10家新型研发机构的话，加上现在66家一共多少家", 76, "家"),  # today's level + the planned ones
    ],
)
def test_numbers_the_asker_states_are_givens(engine: Engine, question: str, value: float, unit: str) -> None:
    """Staff paste what they know and ask for what follows: the given is never the answer as it stands."""
    answer = engine.ask(question)
    assert_value(answer, value, unit)


@pytest.mark.parametrize(
    "question",
    [
        "2021年GDP是多少亿元",  # only implied (758 亿 ÷ 3.4%): not asked to derive, so not stated as if reported
        "按比重推算全社会研发投入多少亿元",  # 研发投入占 GDP 比重 3.8%, but no 研发投入 level beside it
        "按占比推算2022年规上工业产值多少万亿元",  # the share of 2022 is a target with no stated part
        "2021年有效高企完成率是多少",  # no 2021 target: not measured against the 2022 one
        "瞪羚和雏鹰企业一共多少家",  # one part's figure is no answer to a sum of two
        "2022年技术经纪人培育目标里，中高级占总数的比重是多少？",  # the total is not stated: not 中高级 ÷ 初级
    ],
)
def test_an_implied_value_needs_its_operands_and_the_ask(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert not answer.found, answer.text


# ── the lexical pass: a question its words settle needs no query embedding ──


@pytest.fixture(scope="module")
def counting_engine(engine: Engine) -> tuple[Engine, CountingEmbedder]:
    counter = CountingEmbedder(engine.embedder)
    return Engine(engine.index, counter), counter


@pytest.mark.parametrize(
    "question",
    [
        "2021年有效高企数是多少",  # a lookup named word for word
        "2022年瞪羚企业目标是多少",
        "2021年常住人口是多少",  # no figure fits: the vector cannot make one fit
        "2023年有效高企目标比2022年目标多多少家",  # an operand the report lacks: refused without it too
    ],
)
def test_questions_their_words_settle_skip_the_embedding(
    counting_engine: tuple[Engine, CountingEmbedder], question: str
) -> None:
    engine, counter = counting_engine
    before = counter.query_texts
    answer = engine.ask(question)
    assert counter.query_texts == before
    assert answer.timings[stages.EMBED] == 0.0


@pytest.mark.parametrize(
    "question",
    [
        "路演了但没拟立项的项目有几个",  # 拟立项 308 and 立项 460 score alike on words alone
        "按占全省三分之一算，全省高企申报大约多少家",  # a whole derived from a share
        "那308个项目拟立项的是什么计划",  # several sentences hold every word of a fact question
    ],
)
def test_anything_less_plain_takes_the_full_path(
    counting_engine: tuple[Engine, CountingEmbedder], question: str
) -> None:
    engine, counter = counting_engine
    before = counter.query_texts
    engine.ask(question)
    assert counter.query_texts == before + 1


def test_the_value_of_a_close_call_comes_from_the_full_path(engine: Engine) -> None:
    """Words alone rank 姑苏领军人才立项460个 beside 308个项目拟立项; the full path subtracts the right one."""
    answer = engine.ask("路演了但没拟立项的项目有几个")
    assert (answer.value, answer.unit) == (107, "个")


@pytest.mark.slow
def test_the_lexical_pass_changes_no_answer_of_the_full_path(engine: Engine, runs: Runs) -> None:
    """With or without the lexical pass, every question of every set gets the same value; a dev question
    the same answer, citations and formula too (elsewhere a figure the report repeats may be cited instead)."""
    full = Engine(engine.index, engine.embedder, lexical_first=False)
    for name, report in runs.reports.items():
        for outcome in report.outcomes:
            expected = full.ask(outcome.item["question"]).to_json()
            got = dict(outcome.answer)
            expected.pop("elapsed_ms"), got.pop("elapsed_ms")
            if name == "dev":
                assert got == expected, outcome.item["id"]
            same = ("found", "value", "unit")
            assert [got[k] for k in same] == [expected[k] for k in same], outcome.item["id"]


def test_evidence_settles_only_plain_choices() -> None:
    """The rule itself: every choice named well and well ahead; a refusal only when no figure fits."""
    found = Answer(question="q", found=True, text="t", kind=AnswerKind.LOOKUP)
    refused = Answer(question="q", found=False, text="t")
    plain = (LEXICAL_SURE_COVERAGE, LEXICAL_SURE_MARGIN)
    assert Evidence(choices=[plain, (1.0, 1.0)]).settles(found)
    assert not Evidence(choices=[plain, (LEXICAL_SURE_COVERAGE - 0.01, 1.0)]).settles(found)  # a paraphrase
    assert not Evidence(choices=[plain, (1.0, LEXICAL_SURE_MARGIN - 0.01)]).settles(found)  # a close rival
    assert not Evidence().settles(found)  # nothing chosen by a lookup
    assert not Evidence(choices=[(1.0, 1.0)], derived=True).settles(found)  # a whole from its share
    assert Evidence(plain_refusal=True).settles(refused)
    assert not Evidence().settles(refused)  # a calculation that could not finish
    fact = replace(found, kind=AnswerKind.FACT)
    assert not Evidence(choices=[(1.0, LEXICAL_SURE_FACT_LEAD - 0.01)]).settles(fact)
    assert Evidence(choices=[(LEXICAL_SURE_FACT_COVERAGE, LEXICAL_SURE_FACT_LEAD)]).settles(fact)


def test_a_missing_earlier_year_is_named_with_what_was_asked(engine: Engine) -> None:
    """ "报告中没有“2020年苏州GDP”的数据", never "“2020年的数据”的数据"."""
    answer = engine.ask("2021年苏州GDP增速是多少")
    assert not answer.found and "2020年苏州GDP" in answer.text and "的数据”的数据" not in answer.text


def test_a_completion_rate_with_no_target_anywhere_is_refused_not_a_crash(engine: Engine) -> None:
    """Found by the fuzz test: no target resolves at all, and the refusal says which one is missing."""
    answer = engine.ask("1990年一个拥有完成率是多少")
    assert not answer.found and "目标" in answer.text and "出错" not in answer.text
