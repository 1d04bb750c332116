"""Specification of figure extraction (bot.figures): every number of a sentence, with what it is.

A lookup answer is only as good as the figure behind it: its value in base units,
its unit, whether the report wrote 余/左右/不少于 around it, its year, and whether
it is a level, a target, a growth rate, a share or a rank. The seed report's
figures were checked by hand (tests/data/seed_figures.jsonl); extraction is
measured against that list, and the hard cases are pinned one by one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bot.corpus import ParsedDocument, load_document
from bot.figures import extract_figures, parse_number, stated_quantities
from bot.models import Figure, FigureKind, PeriodKind, Sentence

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "knowledge" / "suzhou-keji-2021-summary-2022-plan.md"
GOLD = Path(__file__).resolve().parent / "data" / "seed_figures.jsonl"

# The levels reached when these tests were written; raise them as extraction improves.
MIN_PRECISION = 0.99
MIN_RECALL = 0.99
MIN_ATTRIBUTE_ACCURACY = {"kind": 0.97, "period": 0.99, "base_period": 0.99, "qualifier": 0.99}

REVIEW = (2021, PeriodKind.ACTUAL)
PLAN = (2022, PeriodKind.TARGET)


def sentence(text: str, section: tuple[int, PeriodKind] = REVIEW) -> Sentence:
    """A sentence as it would sit in the review (2021, actual) or plan (2022, target) section."""
    period, kind = section
    return Sentence(
        id="s-test",
        doc_id="test",
        section_id="test#1",
        section_path=("section",),
        paragraph=0,
        position=0,
        text=text,
        period=period,
        period_kind=kind,
    )


def figures(text: str, section: tuple[int, PeriodKind] = REVIEW) -> list[Figure]:
    return extract_figures(sentence(text, section))


def figure(text: str, raw: str, section: tuple[int, PeriodKind] = REVIEW) -> Figure:
    """The one figure written as ``raw`` in ``text``."""
    found = [f for f in figures(text, section) if f.raw == raw]
    assert len(found) == 1, f"{raw!r} in {[f.raw for f in figures(text, section)]}"
    return found[0]


# ── against the hand-checked fixture ─────────────────────────────────────────


@dataclass
class Matching:
    pairs: list[tuple[dict[str, Any], Figure]]
    missed: list[dict[str, Any]]
    extra: list[tuple[Sentence, Figure]]
    extracted: int

    @property
    def precision(self) -> float:
        return len(self.pairs) / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return len(self.pairs) / (len(self.pairs) + len(self.missed))


def gold_value(item: dict[str, Any]) -> Decimal:
    return parse_number(item["value"])


@pytest.fixture(scope="module")
def seed() -> ParsedDocument:
    return load_document(SEED)


@pytest.fixture(scope="module")
def matching(seed: ParsedDocument) -> Matching:
    """Gold figures matched one-to-one on sentence (the gold clause's span) + value + unit."""
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    extracted = [(s, f) for s in seed.sentences for f in extract_figures(s)]
    used: set[str] = set()
    pairs: list[tuple[dict[str, Any], Figure]] = []
    missed: list[dict[str, Any]] = []
    for item in gold:
        match = None
        for s, f in extracted:
            at = s.text.find(item["sentence"])
            if (
                f.id not in used
                and at >= 0
                and at <= f.start
                and f.end <= at + len(item["sentence"])
                and f.value == gold_value(item)
                and f.unit == item["unit"]
            ):
                match = f
                break
        if match is None:
            missed.append(item)
        else:
            used.add(match.id)
            pairs.append((item, match))
    extra = [(s, f) for s, f in extracted if f.id not in used]
    return Matching(pairs, missed, extra, len(extracted))


def test_extraction_precision_and_recall(matching: Matching) -> None:
    """Every figure of the report is found, and nothing that is not a figure is."""
    print(f"\nfigures: precision {matching.precision:.3f}  recall {matching.recall:.3f}")
    for item in matching.missed:
        print(f"  missed: {item['raw']!r} in {item['sentence']!r}")
    for s, f in matching.extra:
        print(f"  extra:  {f.raw!r} in {s.text[:40]!r}")
    assert matching.precision >= MIN_PRECISION
    assert matching.recall >= MIN_RECALL


def test_attribute_accuracy(matching: Matching) -> None:
    """Kind, year, comparison year and qualifier decide whether a figure answers a question."""
    accuracy: dict[str, float] = {}
    for attribute in MIN_ATTRIBUTE_ACCURACY:
        wrong = []
        for item, f in matching.pairs:
            got = getattr(f, attribute)
            got = got.value if isinstance(got, FigureKind) else got
            if (item[attribute] or None) != (got or None):
                wrong.append(f"{item['raw']!r}: {got!r}, gold {item[attribute]!r}")
        accuracy[attribute] = 1 - len(wrong) / len(matching.pairs)
        print(f"\n{attribute}: {accuracy[attribute]:.3f}" + "".join(f"\n  {w}" for w in wrong))
    for attribute, minimum in MIN_ATTRIBUTE_ACCURACY.items():
        assert accuracy[attribute] >= minimum, attribute


def test_raw_is_the_literal_mention(seed: ParsedDocument) -> None:
    """``raw`` sits at [start, end) of the sentence, so a surface can highlight it."""
    for s in seed.sentences:
        for f in extract_figures(s):
            assert s.text[f.start : f.end] == f.raw
            assert f.sentence_id == s.id and f.doc_id == s.doc_id


def test_figure_ids_are_unique_and_name_their_sentence(seed: ParsedDocument) -> None:
    """A figure id leads back to the sentence that states it."""
    ids = [f.id for s in seed.sentences for f in extract_figures(s)]
    assert len(set(ids)) == len(ids)
    assert all(i.split(".")[0].startswith("s") for i in ids)


def test_extraction_is_deterministic(seed: ParsedDocument) -> None:
    """Rebuilding the index must give the same figures."""
    for s in seed.sentences:
        assert extract_figures(s) == extract_figures(s)


# ── scale ────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "raw", "number", "scale", "unit", "value"),
    [
        ("研发费用加计扣除企业数达到 1.9 万家。", "1.9 万家", "1.9", "万", "家", "19000"),
        ("全市高新技术产业预计实现产值 2.1 万亿元。", "2.1 万亿元", "2.1", "万亿", "元", "2100000000000"),
        ("解决贷款 84.11 亿元。", "84.11 亿元", "84.11", "亿", "元", "8411000000"),
        ("支持经费 2337 万元。", "2337 万元", "2337", "万", "元", "23370000"),
        ("合同金额 1,234.5 万元。", "1,234.5 万元", "1234.5", "万", "元", "12345000"),
        ("认定高企 3755 家。", "3755 家", "3755", "", "家", "3755"),
        ("加大与 60 亿天使母基金合作。", "60 亿", "60", "亿", "元", "6000000000"),
    ],
)
def test_values_are_in_base_units(text: str, raw: str, number: str, scale: str, unit: str, value: str) -> None:
    """1.9 万家 is 19000 家: arithmetic and unit conversion never have to guess the scale."""
    f = figure(text, raw)
    assert (f.number, f.scale, f.unit, f.value) == (Decimal(number), scale, unit, Decimal(value))


def test_display_keeps_how_the_report_wrote_it() -> None:
    """Answers show 1.9万家 and 84.11亿元, not 19000家 and 8411000000元."""
    assert figure("达到 1.9 万家。", "1.9 万家").display == "1.9万家"
    assert figure("解决贷款 84.11 亿元。", "84.11 亿元").display == "84.11亿元"


# ── qualifiers ───────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit", "qualifier", "display"),
    [
        ("已集聚各类科研人员 4300 余人。", "4300 余人", "4300", "人", "余", "4300余人"),
        ("举办产学研对接活动超 200 场。", "超 200 场", "200", "场", "超", "超200场"),
        ("摸排企业技术需求 450 项左右。", "450 项左右", "450", "项", "左右", "450项左右"),
        ("征集解决方案不少于 330 项。", "不少于 330 项", "330", "项", "不少于", "不少于330项"),
        ("引进创新创业领军人才 1500 人以上。", "1500 人以上", "1500", "人", "以上", "1500人以上"),
        ("力争服务企业超过 1300 家。", "超过 1300 家", "1300", "家", "超过", "超过1300家"),
        ("开展各类科研项目 50 余项。", "50 余项", "50", "项", "余", "50余项"),
    ],
)
def test_qualifiers_are_kept_apart_from_the_value(
    text: str, raw: str, value: str, unit: str, qualifier: str, display: str
) -> None:
    """4300 余人 is 'more than 4300': the value stays 4300 and the answer still says 余."""
    f = figure(text, raw, PLAN)
    assert (f.value, f.unit, f.qualifier, f.display) == (Decimal(value), unit, qualifier, display)


def test_estimates_are_marked() -> None:
    """预计 figures are estimates; the qualifier lets an answer say so."""
    assert figure("全市高新技术产业预计实现产值 2.1 万亿元。", "2.1 万亿元").qualifier == "预计"


def test_running_totals_are_marked_cumulative() -> None:
    """累计达 38 家 is a running total, not this year's number."""
    f = figure("新增科创板企业 18 家、全国第二，累计达 38 家，全国第三。", "38 家")
    assert f.kind is FigureKind.CUMULATIVE and f.qualifier == "累计"


# ── Chinese numerals, fractions, ranks ───────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "raw", "value", "unit", "kind"),
    [
        ("连续第十次入选“魅力中国”十强榜单。", "连续第十次", 10, "次", FigureKind.COUNT),
        ("连续第十次入选“魅力中国”十强榜单。", "十强", 10, "名", FigureKind.RANK),
        ("今年立项团队数 58 个，相比去年扩大一倍。", "一倍", 1, "倍", FigureKind.MULTIPLE),
        ("苏州成为唯一一个拥有两个国家技术创新中心的地级市。", "两个", 2, "个", FigureKind.ACTUAL),
        ("较上年增长 35.48%，位列全省第一。", "全省第一", 1, "名", FigureKind.RANK),
        ("新增科创板企业 18 家、全国第二。", "全国第二", 2, "名", FigureKind.RANK),
        ("累计入选 1236 人，连续 15 年位列全省第一。", "15 年", 15, "年", FigureKind.COUNT),
        ("财政资金放大倍率达 7.1 倍。", "7.1 倍", Decimal("7.1"), "倍", FigureKind.MULTIPLE),
        ("在国家创新型城市创新能力评价中，无锡位列全国第16位。", "全国第16位", 16, "名", FigureKind.RANK),
        ("技术合同成交额排名第 5 名。", "第 5 名", 5, "名", FigureKind.RANK),
        ("举办第 12 届中国苏州国际科技合作交流周。", "第 12 届", 12, "届", FigureKind.COUNT),
        ("瑞安、乐清新认定高企数量居前三位。", "三位", 3, "名", FigureKind.RANK),  # among the first three
    ],
)
def test_chinese_numerals_ranks_and_multiples(
    text: str, raw: str, value: int | Decimal, unit: str, kind: FigureKind
) -> None:
    """第十次, 十强, 一倍 and 两个 are figures too; questions ask 第几次, 排第几, 几倍, 几个.

    An Arabic ordinal is no quantity: 全国第16位 is a rank, never 16 people.
    """
    f = figure(text, raw)
    assert (f.value, f.unit, f.kind) == (Decimal(value), unit, kind)


def test_fraction_is_a_share() -> None:
    """占全省的 1/3 is a share of a whole, kept exact enough to compute with."""
    f = figure("达 10252 家，占全省的 1/3，较上年增长 35.48%。", "1/3")
    assert f.kind is FigureKind.SHARE
    assert f.value == Decimal("0.333333")


def test_fraction_is_displayed_as_written() -> None:
    """A share the report wrote as 1/3 must be shown as 1/3."""
    assert figure("占全省的 1/3。", "1/3").display == "1/3"


def test_ordinal_is_not_a_rank_unless_it_ranks() -> None:
    """第三代半导体 is a name; only 全省第一 / 位列第二 rank something."""
    assert figures("第三代半导体技术创新中心获科技部批复同意成立。") == []


# ── things that are not figures ──────────────────────────────────────────────


@pytest.mark.parametrize(
    "text",
    [
        "积极参与 G60 科创走廊建设。",
        "聚焦企业创新各节点研发投入的“0 到 1”。",
        "构建“1+N”创新创业服务模式。",
        "2021 年，全市科技系统加快完善创新生态环境。",
        "2021年5月成立。",
        "强化“十四五”规划衔接。",
        "二〇二一年工作回顾。",
    ],
)
def test_names_dates_and_slogans_are_not_figures(text: str) -> None:
    """G60, "0 到 1", "1+N" and years are part of names and dates; reading them as quantities gives absurd answers."""
    assert figures(text) == []


def test_a_count_of_places_before_their_figure_is_no_figure() -> None:
    """ "五个县有效高企合计46家": 五个 says whose 46 家 they are; "去年有效高企一共多少家" was answered "五个"."""
    assert [f.raw for f in figures("五个县有效高企合计46家。")] == ["46家"]
    assert [f.raw for f in figures("新增五家市级孵化器。")] == ["五家"]  # 市级 is no place counted


def test_years_are_never_figures(seed: ParsedDocument) -> None:
    """No figure of the seed is a year, though every section names one."""
    for s in seed.sentences:
        for f in extract_figures(s):
            assert not (f.unit == "年" and f.value >= 1950), f.raw
            assert f.kind is not FigureKind.YEAR


def test_a_year_next_to_a_number_is_not_part_of_it() -> None:
    """2022年新建新型研发机构10家: one figure, 10 家 — the year is its period, not a quantity."""
    [f] = figures("2022年新建新型研发机构10家。", PLAN)
    assert (f.raw, f.value, f.unit, f.period) == ("10家", 10, "家", 2022)


@pytest.mark.xfail(
    strict=True,
    reason="defect: recall miss — '首次破万家' (gold: 1 万家 = 10000 家, qualifier 破) is not extracted",
)
def test_break_through_ten_thousand_is_a_figure() -> None:
    """破万家 states a level (over 10000 家) as surely as 达 10252 家 does."""
    f = figure("高新技术企业申报数首次破万家，达 10252 家。", "破万家")
    assert (f.value, f.unit) == (10000, "家")


@pytest.mark.xfail(
    strict=True,
    reason="defect: precision miss — '重点聚焦以下五个方面工作' yields a figure 5 个 (kind target), "
    "though it only announces the list of plan parts (not in the gold fixture)",
)
def test_list_announcement_is_not_a_figure() -> None:
    """以下五个方面 counts the headings that follow; it measures nothing the report reports on."""
    assert figures("重点聚焦以下五个方面工作：", PLAN) == []


# ── period and kind ──────────────────────────────────────────────────────────


def test_review_section_figures_are_2021_actuals() -> None:
    """In 一、2021 年重点工作回顾 a level is what was achieved in 2021."""
    f = figure("认定高企 3755 家，净增 1402 家。", "3755 家")
    assert (f.kind, f.period, f.base_period) == (FigureKind.ACTUAL, 2021, None)


def test_plan_section_figures_are_2022_targets() -> None:
    """In 二、2022 年工作计划 a level is a target for 2022."""
    f = figure("2022年遴选瞪羚企业350家、认定独角兽培育企业150家。", "350家", PLAN)
    assert (f.kind, f.period) == (FigureKind.TARGET, 2022)
    assert figure("有效高企数达到12000家。", "12000家", PLAN).kind is FigureKind.TARGET


def test_target_words_make_a_target_even_in_a_review_section() -> None:
    """力争 marks a plan wherever it is written, and its explicit year wins over the section's."""
    f = figure("2022 年力争达到 100 家。", "100 家")
    assert (f.kind, f.period) == (FigureKind.TARGET, 2022)


def test_funding_secured_in_a_review_is_no_target() -> None:
    """争取 of money in a review says what was secured (争取省财政资助1.92亿元); of a count it is an aim."""
    assert figure("获批项目38项，争取省财政资助1.92亿元。", "1.92亿元").kind is FigureKind.ACTUAL
    assert figure("争取新增国家级孵化器3家。", "3家").kind is FigureKind.TARGET


def test_programme_name_with_jihua_is_not_a_target() -> None:
    """省双创人才计划 is the name of a programme; its figures are actuals."""
    f = figure("122 个项目入选省双创人才计划，累计入选 1236 人。", "122 个")
    assert f.kind is FigureKind.ACTUAL


@pytest.mark.parametrize(
    ("text", "raw", "base"),
    [
        ("减免企业所得税 249.89 亿元，比 2020 年增长 19.28%。", "19.28%", 2020),
        ("新引进外国人才 3251 人，较 2020 年同期增长 30.1%。", "30.1%", 2020),
        ("科技型中小企业入库评价数量 17942 家，同比增长 42.46%。", "42.46%", 2020),
        ("高新技术企业申报数达 10252 家，较上年增长 35.48%。", "35.48%", 2020),
        ("完成推荐 5411 家，比去年增长 69.84%。", "69.84%", 2020),
        ("认定高企 3755 家，净增 1402 家。", "1402 家", 2020),
    ],
)
def test_changes_know_the_year_they_compare_with(text: str, raw: str, base: int) -> None:
    """较 2020 年 / 同比 / 较上年 name the comparison year, which must never become the figure's own year."""
    f = figure(text, raw)
    assert f.kind in (FigureKind.GROWTH, FigureKind.INCREMENT)
    assert (f.period, f.base_period) == (2021, base)


@pytest.mark.parametrize(
    ("text", "raw", "period"),
    [
        # a year in an aside dates the aside only
        ("全市孵化器达到42家（2020年为37家），其中国家级9家；全年新认定省级孵化器3家。", "37家", 2020),
        ("全市孵化器达到42家（2020年为37家），其中国家级9家；全年新认定省级孵化器3家。", "3家", 2021),
        # a year said mid-sentence dates its ；-part only; one that opens the sentence dates all of it
        ("全市有研发活动的企业占比达到52.3%，2020年这一比例为48.6%；覆盖率达到41.7%。", "48.6%", 2020),
        ("全市有研发活动的企业占比达到52.3%，2020年这一比例为48.6%；覆盖率达到41.7%。", "41.7%", 2021),
        ("据2022年公布的数据，2020年研发经费投入138.2亿元；研发投入强度达到2.52%。", "2.52%", 2020),
        # an earlier level written with its year's end: "比2020年末的5,812件"
        ("有效发明专利拥有量达到6,927件，比2020年末的5,812件增加1,115件。", "5,812件", 2020),
        # a clause that starts with the year before dates its number
        ("规上企业中有研发活动的占比达到38.6%，上年这一比重仅为20.1%。", "20.1%", 2020),
    ],
)
def test_a_year_dates_only_what_it_is_written_for(text: str, raw: str, period: int) -> None:
    assert figure(text, raw).period == period


def test_a_list_led_by_xinzeng_adds_in_every_item() -> None:
    """ "新增省级以上创新平台50家、省级新型研发机构5家": the 5 are new ones too; an item with a verb is not."""
    text = "新增省级以上创新平台50家、省级新型研发机构5家；新建平台3家、总数达到46家。"
    assert figure(text, "5家").kind is FigureKind.INCREMENT
    assert figure(text, "46家").kind is not FigureKind.INCREMENT


def test_an_enumerated_plan_item_that_adds_is_an_increase() -> None:
    """ "四是新增国家级科技企业孵化器2家以上": 四是 numbers the item, 新增 says what the 2 is."""
    assert figure("四是新增国家级科技企业孵化器2家以上。", "2家以上", PLAN).kind is FigureKind.INCREMENT


def test_a_change_of_the_year_named_before_its_base_is_that_years() -> None:
    """ "在2020年净增506家的基础上再净增412家": 506 is 2020's; 412 is the review year's, over 2020."""
    text = "全市有效高企总数达4,186家，在2020年净增506家的基础上再净增412家，同比增长10.9%。"
    assert figure(text, "506家").period == 2020
    assert (figure(text, "412家").period, figure(text, "412家").base_period) == (2021, 2020)


def test_comparison_year_does_not_leak_into_later_levels() -> None:
    """After 较 2020 年同期增长 30.1%, 累计达 11099 人 is still a 2021 figure with no base year."""
    f = figure("新引进外国人才 3251 人，较 2020 年同期增长 30.1%，累计达 11099 人。", "11099 人")
    assert (f.kind, f.period, f.base_period) == (FigureKind.CUMULATIVE, 2021, None)


@pytest.mark.parametrize(
    ("text", "raw", "kind"),
    [
        ("科技型中小企业入库评价数量 17942 家，同比增长 42.46%。", "42.46%", FigureKind.GROWTH),
        ("预计全社会研发投入占 GDP 比重达到 3.8%。", "3.8%", FigureKind.SHARE),
        ("完成推荐 5411 家，完成年度目标的 216.44%。", "216.44%", FigureKind.COMPLETION),
        ("认定高企 3755 家，净增 1402 家。", "1402 家", FigureKind.INCREMENT),
        ("新增科创板企业 18 家、全国第二。", "18 家", FigureKind.INCREMENT),
        ("国家级人才工程累计达 291 人。", "291 人", FigureKind.CUMULATIVE),
        ("全市新增省级以上科技创新平台 112 个。", "112 个", FigureKind.INCREMENT),
        ("新增A股上市企业13家，其中科创板企业5家。", "5家", FigureKind.INCREMENT),
        ("全年新引进高层次人才 38 人、其中国家级人才 17 人。", "17 人", FigureKind.ACTUAL),
        ("新增A股上市企业13家；其中科创板企业5家。", "5家", FigureKind.ACTUAL),
        ("新增A股上市企业13家，其中融资额 80 亿元。", "80 亿元", FigureKind.ACTUAL),
        # a part of a running total is counted so far too (the hand-checked fixture's 146 人)
        ("国家级人才工程累计达 291 人，其中创业类人才 146 人。", "146 人", FigureKind.CUMULATIVE),
        ("孵化载体累计达到268家，其中国家级76家，在孵企业超过1.9万家。", "76家", FigureKind.CUMULATIVE),
        # numbers joined only by 、/和 share the predicate before the first
        ("新吴区、江阴市、滨湖区研发投入占比分别达4.85%、3.62%和3.98%。", "3.62%", FigureKind.SHARE),
        ("其中新吴区、江阴市分别净增132家和98家。", "98家", FigureKind.INCREMENT),
        ("新吴区1,799家、江阴市1,128家。", "1,128家", FigureKind.ACTUAL),
        # a gap in points to another scope, stated: a change like 较上年提高
        ("研发投入强度达到2.58%，高于全省平均水平0.62个百分点。", "0.62个百分点", FigureKind.GROWTH),
        # …with the scope's own level in an aside between: the words before the aside name the number after it
        ("研发投入强度为2.57%，高于全省平均水平（1.73%）0.84个百分点。", "0.84个百分点", FigureKind.GROWTH),
        # a list item named by its place alone counts what the first item counts
        ("分区域看，南昌高新区净增146家、红谷滩区78家、南昌县41家。", "78家", FigureKind.INCREMENT),
        ("南昌高新区净增146家、红谷滩区研发投入78亿元。", "78亿元", FigureKind.ACTUAL),  # another unit, own words
    ],
)
def test_kind_comes_from_the_words_before_the_number(text: str, raw: str, kind: FigureKind) -> None:
    """增长 → growth, 占…比重 → share, 完成…目标的 → completion, 净增/新增 → increment, 累计 → cumulative.

    A 其中-part of a net change, in the same ；-part and unit, is new too: 5 of the 13 listed this year.
    """
    assert figure(text, raw).kind is kind


@pytest.mark.xfail(
    strict=True,
    reason="defect: kind differs from the hand-checked fixture — in the plan section a policy rate "
    "(200%研发费加计扣除) "
    "and a fund's size (60 亿天使母基金) become targets, so answers say '2022年计划做好制造业企业200%'",
)
@pytest.mark.parametrize(
    ("text", "raw", "section", "kind"),
    [
        ("做好制造业企业200%研发费加计扣除政策的首次兑现落实。", "200%", PLAN, FigureKind.ACTUAL),
        ("加大与 60 亿天使母基金合作。", "60 亿", PLAN, FigureKind.ACTUAL),
    ],
)
def test_kinds_the_fixture_disagrees_with(
    text: str, raw: str, section: tuple[int, PeriodKind], kind: FigureKind
) -> None:
    """A number that is part of a policy or a name is not a target."""
    assert figure(text, raw, section).kind is kind


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("科技型中小企业评价入库13 560家", "13560", "家"),  # thousands grouped with a space
        ("技术合同登记额1 086.3亿元", "108630000000", "元"),
        ("国家高新技术企业总数突破10\u2009000家", "10000", "家"),  # a thin space
        ("截至 2024 年，全市有效高企 300 家", "300", "家"),  # a year and a count stay apart
    ],
)
def test_numbers_with_thousands_grouped_by_spaces(text: str, value: str, unit: str) -> None:
    found = [(v, u) for v, u, *_ in stated_quantities(text)]
    assert (Decimal(value), unit) in found


def test_a_completion_share_of_the_targets_task_is_a_completion() -> None:
    """ "完成年度目标任务的109.1%" is written like "完成年度目标的216.44%"."""
    assert figure("全年登记技术合同18,426项，成交额1,527.3亿元，完成年度目标任务的109.1%。", "109.1%").kind is (
        FigureKind.COMPLETION
    )


@pytest.mark.parametrize(("written", "value"), [("百", "100"), ("千", "1000"), ("十五", "15"), ("二百", "200")])
def test_a_magnitude_written_without_its_one(written: str, value: str) -> None:
    """ "全球百强": 百 alone is one hundred (cn2an rejects it bare)."""
    assert parse_number(written) == Decimal(value)


def test_an_odd_chinese_numeral_is_no_figure_and_no_failed_build() -> None:
    text = "在世界知识产权组织发布的全球百强“科技集群”排名中，厦门位列第75位，较上年上升5位。"
    assert figure(text, "第75位").kind is FigureKind.RANK  # the sentence is read, 百强 included


@pytest.mark.parametrize(
    ("text", "raw", "year"),
    [
        ("2024年，市本级财政科技投入38.6亿元，比2023年的35.7亿元增加2.9亿元。", "35.7亿元", 2023),
        ("全年PCT国际专利申请612件（上年为503件）。", "503件", 2020),  # the review year is 2021 here
        ("全年发明专利授权6,842件，上年为6,071件。", "6,071件", 2020),
        ("全年PCT国际专利申请612件（上年为503件）。", "612件", 2021),
        ("知识产权质押融资额6.42亿元，较上年（3.16亿元）翻了一番。", "3.16亿元", 2020),  # the year before's, aside
        ("全市省级新型研发机构从34家增加到38家。", "34家", 2020),  # where the year started
        ("全市省级新型研发机构从34家增加到38家。", "38家", 2021),
        ("全市有效高新技术企业达到1,326家，较2020年（578家）增长1.29倍。", "578家", 2020),  # alone in an aside
        ("全市有效高新技术企业达到1,326家，较2020年（578家）增长1.29倍。", "1,326家", 2021),
    ],
)
def test_a_level_dated_in_its_own_words(text: str, raw: str, year: int) -> None:
    """A level written right after its year ("2023年的", "上年为") is that year's, not the sentence's."""
    assert figure(text, raw).period == year


@pytest.mark.parametrize(
    "text",
    [
        "全年为362家科技型企业发放贷款18.47亿元，完成年度计划的123.1%。",
        "全年净增486家，完成年度净增任务的121.5%。",
    ],
)
def test_completion_of_a_plan_or_a_task_is_a_completion(text: str) -> None:
    assert [f.kind for f in figures(text) if f.unit == "%"] == [FigureKind.COMPLETION]


def test_the_year_a_multiple_is_taken_against_is_its_base() -> None:
    """ "是2020年的2.6倍": 2020 is what the multiple compares with; the figures after it stay this year's."""
    text = "技术合同登记额1 086.3亿元，是2020年的2.6倍；其中，技术开发合同成交额612.8亿元。"
    multiple = figure(text, "2.6倍")
    assert (multiple.period, multiple.base_period) == (2021, 2020)
    assert figure(text, "612.8亿元").period == 2021


def test_a_part_larger_than_the_years_increase_is_a_part_of_the_stock() -> None:
    """ "达到118家，较上年增加9家，其中国家级36家": 36 of the 118, not of the 9 new ones."""
    text = "全市科技企业孵化器达到118家，较上年增加9家，其中国家级36家。"
    assert figure(text, "36家").kind is FigureKind.ACTUAL
    text = "新增上市企业13家，其中科创板企业5家。"
    assert figure(text, "5家").kind is FigureKind.INCREMENT


def test_value_added_is_an_indicator_not_an_increase() -> None:
    """增加值 (value added) names what is measured: "…增加值占…比重达42.3%" is a share, not a growth rate."""
    text = "全市规模以上高技术制造业增加值占规上工业增加值比重达42.3%，比上年提高1.8个百分点。"
    assert figure(text, "42.3%").kind is FigureKind.SHARE
    assert figure(text, "1.8个百分点").kind is FigureKind.GROWTH


def test_a_year_written_with_one_number_dates_that_number_only() -> None:
    """ "由2023年的45.3件提高到51.6件": 45.3 is 2023's, 51.6 the sentence's own year."""
    text = "每万人口高价值发明专利拥有量由2023年的45.3件提高到51.6件。"
    assert figure(text, "45.3件").period == 2023
    assert figure(text, "51.6件").period == 2021
    text = "成交额3,518.6亿元，在2019年3,051.7亿元的基础上增长15.3%；其中技术交易额1,862.4亿元。"
    assert figure(text, "3,051.7亿元").period == 2019
    assert figure(text, "15.3%").base_period == 2019  # the change is against the year of the base
    assert figure(text, "1,862.4亿元").period == 2021


def test_a_rate_a_sentence_rises_to_is_a_level_not_a_growth_rate() -> None:
    """ "占全省的比重由上年的43.9%提高到44.7%": 44.7% is where the share stands, 43.9% the year before's."""
    text = "总量继续稳居全省首位，占全省的比重由上年的43.9%提高到44.7%。"
    assert figure(text, "44.7%").kind is FigureKind.SHARE
    assert figure(text, "43.9%").period == 2020
