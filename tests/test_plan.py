"""bot/plan.py — how a numeric question is split into the quantities it names (pure text rules).

The end-to-end behaviour of each operation over the seed report is specified in
tests/test_engine.py; here are the text rules underneath, phrase by phrase.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from figure_support import figure, sentence

from bot.lexicon import add_report_names
from bot.models import FigureKind
from bot.plan import (
    adds_several,
    adds_to_a_stock,
    asks_level_after_planned,
    back_compute,
    names_two_quantities,
    rate_part,
    rate_reference,
    split_and,
    split_compare,
    sum_parts,
)
from bot.resolve import Scored


@pytest.mark.parametrize(
    ("question", "left", "right"),
    [
        ("2022年有效高企目标比2021年多多少家", "2022年有效高企目标", "2021年"),
        ("科小入库数量比有效高企多多少家", "科小入库数量", "有效高企"),
        ("21年认定高企数跟净增数差了多少家", "21年认定高企数", "净增数"),  # 跟…差: two named quantities
        ("21年高企申报数比认定数多出多少家", "21年高企申报数", "认定数"),  # 多出
        ("民营科技企业推荐数比年度目标多推荐了多少家", "民营科技企业推荐数", "年度目标"),  # a verb after 多
        ("苏州2022年技术合同成交额比无锡差多少", "苏州2022年技术合同成交额", "无锡"),  # 同 of 合同 is no split
        ("今年研发强度目标跟23年实际比 高几个百分点", "今年研发强度目标", "23年实际"),  # A跟B比
        ("比去年实际多放多少亿", "", "去年实际"),  # 多 + a verb
    ],
)
def test_a_comparison_splits_into_its_two_sides(question: str, left: str, right: str) -> None:
    assert split_compare(question) == (left, right)


@pytest.mark.parametrize(
    "question", ["2021年有效高企数是多少", "万人高价值专利同比涨了多少 百分比", "去年技术合同登记额同比增长多少"]
)
def test_a_question_without_a_comparison_word_does_not_split(question: str) -> None:
    assert split_compare(question) is None  # 比 of 同比 and 百分比 compares nothing


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("今年新建5家概念验证中心后全市一共几家", True),  # the level once the planned ones are built
        ("要是2022年布局的10家都建成，总共有多少家", True),
        ("25年底新型研发机构计划达到多少家", True),
        ("今年计划新建几家概念验证中心", False),  # the addition itself
        ("概念验证中心一共几家", False),
    ],
)
def test_a_level_after_a_planned_addition(question: str, asks: bool) -> None:
    assert asks_level_after_planned(question) is asks


def test_a_share_belongs_to_the_level_its_own_words_name_across_a_semicolon() -> None:
    """ "研发经费支出预计达338.6亿元，同比增长9.8%；研发经费支出占地区生产总值比重达到3.35%": 338.6 亿元."""
    text = "全市全社会研发经费支出预计达338.6亿元，同比增长9.8%；研发经费支出占地区生产总值比重达到3.35%。"
    level = figure(text, "338.6亿元", unit="元", fid="level")
    growth = figure(text, "9.8%", FigureKind.GROWTH, "%", "growth")
    share = figure(text, "3.35%", FigureKind.SHARE, "%", "share")
    assert rate_part(share, [level, growth, share], text) is level
    assert rate_reference(share, sentence(text)) == "地区生产总值"


def test_rd_intensity_is_a_share_of_the_economys_output() -> None:
    """研发投入强度 is R&D spending over GDP by definition; its part is the spending, not a part of it in an aside."""
    text = "研发经费投入188.6亿元（其中企业研发经费投入171.2亿元，占比90.8%），研发投入强度达到3.02%。"
    total = figure(text, "188.6亿元", unit="元", fid="total")
    firms = figure(text, "171.2亿元", unit="元", fid="firms")
    intensity = figure(text, "3.02%", unit="%", fid="intensity")
    assert "地区生产总值" in rate_reference(intensity, sentence(text))
    assert rate_part(intensity, [total, firms, intensity], text) is total


def test_a_level_in_an_aside_owns_no_change_after_it() -> None:
    """ "拥有量达到21.6件（全省为12.9件），较上年增加3.4件": the year before had 21.6 − 3.4, the province aside."""
    text = "每万人发明专利拥有量达到21.6件（全省为12.9件），较上年增加3.4件。"
    level = figure(text, "21.6件", unit="件", fid="level")
    province = figure(text, "12.9件", unit="件", fid="province")
    increase = replace(figure(text, "3.4件", FigureKind.INCREMENT, "件", "inc"), base_period=2020)
    found = back_compute(Scored(level, sentence(text), 1.0, 1.0, ()), [level, province, increase], 2020)
    assert found is not None and [s.figure.id for s in found.operands] == ["level", "inc"]


def test_a_change_in_an_aside_is_of_the_level_before_it() -> None:
    """ "全社会研发投入193.6亿元（较上年增长12.8%）": the aside's own words (较上年增长) name no other subject."""
    text = "2022年全市全社会研发投入193.6亿元（较上年增长12.8%），研发投入强度达到2.06%。"
    level = figure(text, "193.6亿元", unit="元", fid="level")
    growth = replace(figure(text, "12.8%", FigureKind.GROWTH, "%", "growth"), base_period=2020)
    found = back_compute(Scored(level, sentence(text), 1.0, 1.0, ()), [level, growth], 2020)
    assert found is not None and [s.figure.id for s in found.operands] == ["level", "growth"]


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("2022年瞪羚和独角兽培育企业加起来要选多少家", ["2022年瞪羚", "独角兽培育企业"]),
        ("沪苏共建载体平台加校地校企合作项目一共多少个", ["沪苏共建载体平台", "校地校企合作项目"]),
        ("新研机构一共拿到多少项授权专利 发明加PCT", ["新研机构拿到多少项授权专利 发明", "PCT"]),  # parts after 一共
        ("瞪羚+独角兽培育 22年共多少家", ["瞪羚", "独角兽培育 22年"]),
    ],
)
def test_a_sum_names_its_parts(question: str, parts: list[str]) -> None:
    assert sum_parts(question) == parts


@pytest.mark.parametrize("question", ["2021年有效高企一共多少家", "加计扣除企业一共多少家"])
def test_one_quantity_with_a_sum_word_is_no_sum(question: str) -> None:
    """ "一共多少" of one indicator is a lookup, not a calculation."""
    assert len(sum_parts(question)) < 2


def test_a_stated_change_answers_unless_both_sides_are_named() -> None:
    assert names_two_quantities("认定高企数跟净增数差了多少")
    assert not names_two_quantities("有效高企比去年多多少")  # the report's 净增 1402 家 is the answer


# ── what a rate is a rate of ────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "raw", "kind", "unit", "reference"),
    [
        (
            "全市高新技术产业实现产值 2.1 万亿元，占规上工业产值的比重预计达到 52.5%。",
            "52.5%",
            FigureKind.SHARE,
            "%",
            "规上工业产值",
        ),
        ("申报数达 10252 家，占全省的 1/3，较上年增长 35.48%。", "1/3", FigureKind.SHARE, "", "全省"),
        ("募资总额 41.41 亿元，财政资金放大倍率达 7.1 倍。", "7.1 倍", FigureKind.MULTIPLE, "倍", "财政资金"),
        ("立项团队数 58 个，相比去年扩大一倍。", "一倍", FigureKind.MULTIPLE, "倍", ""),  # a change, not leverage
    ],
)
def test_a_rate_names_what_it_is_a_rate_of(text: str, raw: str, kind: FigureKind, unit: str, reference: str) -> None:
    assert rate_reference(figure(text, raw, kind, unit, "f2"), sentence(text)) == reference


def test_the_part_of_a_share_is_the_level_stated_before_it() -> None:
    text = "全市高新技术产业实现产值 2.1 万亿元，占规上工业产值的比重预计达到 52.5%。"
    level = figure(text, "2.1 万亿元", FigureKind.ACTUAL, "元", "f1")
    share = figure(text, "52.5%", FigureKind.SHARE, "%", "f2")
    assert rate_part(share, [level, share], text) is level
    assert rate_part(level, [level, share], text) is None


def test_places_named_one_after_another_are_the_parts_of_a_sum() -> None:
    """ "武侯双流郫都成华高企加起来": no 和 or 、 between the districts, each is a part (once a report listed them)."""
    add_report_names(["武侯区、双流区、郫都区、成华区分别为1,008家、845家、736家、672家。"])
    assert adds_several("武侯双流郫都成华高企加起来多少家")
    assert not adds_several("郫都高企一共多少家")  # one place: a lookup


def test_a_net_increase_belongs_to_the_stock_before_it_not_to_the_whole_of_a_share_after() -> None:
    """ "达到9,286家，净增752家，总量…，约占全省有效高企总数（6.9万家）的八分之一": 752 is the city's change."""
    text = "全市有效高企达到9,286家，净增752家，总量稳居全省第三，约占全省有效高企总数（6.9万家）的八分之一。"
    level = figure(text, "9,286家", fid="level")
    increase = replace(figure(text, "752家", FigureKind.INCREMENT, fid="inc"), base_period=2020)
    rank = figure(text, "全省第三", FigureKind.RANK, unit="名", fid="rank")
    province = figure(text, "6.9万家", fid="province")
    found = back_compute(Scored(level, sentence(text), 1.0, 1.0, ()), [level, increase, rank, province], 2020)
    assert found is not None and [s.figure.id for s in found.operands] == ["level", "inc"]


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        ("省科技奖一等奖二等奖一共几项", ["省科技奖一等奖", "省科技奖二等奖"]),  # kinds typed side by side
        ("国家级省级孵化器一共多少家", ["国家级孵化器", "省级孵化器"]),  # tiers, sharing the noun after them
        ("高企一共多少家", ["高企多少家"]),  # one thing: no parts
    ],
)
def test_kinds_typed_side_by_side_are_the_parts_of_a_sum(question: str, parts: list[str]) -> None:
    assert sum_parts(question) == parts


def test_a_completion_rate_between_the_new_ones_and_the_running_total_is_an_aside() -> None:
    """ "新增省级新型研发机构9家，完成年度目标的112.5%，累计达到42家": the year before had 42 − 9 = 33."""
    text = "全年新增省级新型研发机构9家，完成年度目标的112.5%，累计达到42家；备案市级新型研发机构105家。"
    increase = replace(figure(text, "9家", FigureKind.INCREMENT, fid="inc"), base_period=2020)
    completion = figure(text, "112.5%", FigureKind.COMPLETION, unit="%", fid="done")
    level = figure(text, "42家", FigureKind.CUMULATIVE, fid="level")
    city = figure(text, "105家", fid="city")
    found = back_compute(Scored(level, sentence(text), 1.0, 1.0, ()), [increase, completion, level, city], 2020)
    assert found is not None and [s.figure.id for s in found.operands] == ["level", "inc"]


@pytest.mark.parametrize(
    ("level_text", "raw", "adds"),
    [
        ("截至年底，全市国家级专精特新“小巨人”企业达42家。", "42家", True),  # a level as of a date is a stock
        ("全市有效高新技术企业达到2,210家。", "2,210家", True),
        ("全年新认定高新技术企业1,108家。", "1,108家", False),  # a year's new ones: no stock to add to
    ],
)
def test_a_planned_increase_adds_to_a_stock(level_text: str, raw: str, adds: bool) -> None:
    plan_text = "新增国家级专精特新“小巨人”企业5家以上。"
    increase = Scored(figure(plan_text, "5家", FigureKind.INCREMENT, fid="inc"), sentence(plan_text), 1.0, 1.0, ())
    level = Scored(figure(level_text, raw, fid="level"), sentence(level_text), 1.0, 1.0, ())
    assert adds_to_a_stock(increase, level) is adds


def test_a_place_named_with_he_is_not_split_at_it() -> None:
    """和林格尔新区 holds 和; listed by its report, it is one place, not "和" + 林格尔新区."""
    add_report_names(["金山高新区104家，玉泉区92家，和林格尔新区46家，托克托县27家。"])
    assert split_and("经开区和和林格尔新区高企") == ["经开区", "和林格尔新区高企"]
