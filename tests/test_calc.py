"""Specification of the deterministic calculator (bot.calc).

Numbers are taken from, or shaped like, municipal government work reports:
高新技术企业 counts, 研发投入 in 亿元, 外籍人才 growth rates, 比重 in %.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.calc import (
    COUNT_PLACES,
    MONEY_PLACES,
    PERCENT_PLACES,
    CalcError,
    Const,
    Multiple,
    Op,
    Operand,
    Program,
    Ref,
    Step,
    average,
    back_from_growth,
    back_from_increment,
    back_from_multiple,
    back_from_points,
    change_rate,
    convert,
    difference,
    evaluate,
    execute,
    forward_from_growth,
    forward_from_increment,
    forward_from_multiple,
    percentage_points,
    ratio,
    return_rate,
    share,
    target_from_completion,
    whole_from_rate,
)
from bot.models import Figure, FigureKind

D = Decimal
of = Operand.of

FAST = settings(max_examples=100, deadline=None, database=None)

TARGET_2022 = of("2022年有效高企目标", 12000, "家")
ACTUAL_2021 = of("2021年有效高企", 11155, "家")
FOREIGN_TALENT_2021 = of("2021年外籍人才", 3251, "人")
FOREIGN_TALENT_GROWTH = of("外籍人才增长率", "30.1", "%")
RD_SPEND = of("高企研发投入", "84.11", "亿元")
HIGH_TECH_FIRMS = of("高企数量", 2092, "家")


# ── each operation ───────────────────────────────────────────────────────────


def test_difference_is_the_gap_with_its_direction() -> None:
    r = difference(TARGET_2022, ACTUAL_2021)
    assert (r.value, r.unit, r.direction, r.approximate) == (D(845), "家", "多", False)
    assert r.formula == "12000 − 11155 = 845（家）"
    assert r.operands == (TARGET_2022, ACTUAL_2021)


def test_difference_the_other_way_round_says_less_and_keeps_the_sign_in_the_formula() -> None:
    r = difference(ACTUAL_2021, TARGET_2022)
    assert (r.value, r.direction, r.signed) == (D(845), "少", D(-845))
    assert r.formula == "11155 − 12000 = −845（家）"


def test_difference_of_equal_figures_has_no_direction() -> None:
    assert difference(TARGET_2022, TARGET_2022).direction == ""


def test_money_difference_picks_a_readable_scale_or_the_asked_one() -> None:
    other = of("上年研发投入", "83.5", "亿元")
    assert difference(RD_SPEND, other).formula == "84.11亿元 − 83.5亿元 = 6100万元"
    assert difference(RD_SPEND, of("x", 80, "亿元")).formula == "84.11 − 80 = 4.11（亿元）"
    assert difference(RD_SPEND, other, target_unit="亿元").display == "0.61亿元"
    assert difference(RD_SPEND, other, target_unit="元").value == D(61_000_000)


def test_counts_stay_in_base_units_even_when_written_in_wan() -> None:
    r = difference(of("a", "1.9", "万家"), of("b", "1.5", "万家"))
    assert (r.value, r.unit) == (D(4000), "家")
    assert r.formula == "1.9万家 − 1.5万家 = 4000家"
    assert difference(of("a", "1.9", "万家"), of("b", "1.5", "万家"), target_unit="万家").formula == (
        "1.9 − 1.5 = 0.4（万家）"
    )


def test_change_rate_is_relative_and_says_rise_or_fall() -> None:
    up = change_rate(TARGET_2022, ACTUAL_2021)
    assert (up.value, up.unit, up.direction, up.approximate) == (D("7.58"), "%", "增长", True)
    assert up.formula == "(12000家 − 11155家) ÷ 11155家 ≈ 7.58%"
    down = change_rate(ACTUAL_2021, TARGET_2022)
    assert (down.value, down.direction) == (D("7.04"), "下降")
    assert down.signed < 0


def test_back_from_growth_gives_the_earlier_year_rounded_to_whole_people() -> None:
    r = back_from_growth(FOREIGN_TALENT_2021, FOREIGN_TALENT_GROWTH)
    assert (r.value, r.unit, r.approximate) == (D(2499), "人", True)
    assert r.formula == "3251 ÷ (1 + 30.1%) ≈ 2499（人）"
    assert r.display == "约2499人"
    assert abs(r.exact - D("2498.847")) < D("0.001")
    assert r.operands == (FOREIGN_TALENT_2021, FOREIGN_TALENT_GROWTH)


def test_back_from_growth_accepts_a_bare_rate_in_percent_and_a_decline() -> None:
    assert back_from_growth(FOREIGN_TALENT_2021, "30.1").value == D(2499)
    r = back_from_growth(of("工业投资", 90, "亿元"), -10)
    assert (r.value, r.unit, r.approximate) == (D(100), "亿元", False)
    assert r.formula == "90 ÷ (1 + (−10%)) = 100（亿元）"


def test_back_from_increment() -> None:
    r = back_from_increment(of("有效高企", 10252, "家"), of("净增", 1402, "家"))
    assert (r.value, r.unit, r.formula) == (D(8850), "家", "10252 − 1402 = 8850（家）")


def test_forward_from_increment() -> None:
    """A plan's level set only as a net increase: last year's stock plus it (以上 stays in the formula)."""
    r = forward_from_increment(of("有效高企", 2210, "家"), of("净增", 340, "家", "以上"))
    assert (r.value, r.unit, r.formula) == (D(2550), "家", "2210 + 340以上 ≈ 2550（家）")
    assert back_from_increment(of("目标", r.value, "家"), of("净增", 340, "家")).value == D(2210)


@pytest.mark.parametrize(
    ("phrasing", "factor", "expected", "formula"),
    [
        (Multiple.MORE, 1, D(1500), "3000 ÷ (1 + 1) = 1500（亿元）"),  # 扩大一倍
        (Multiple.DOUBLINGS, 1, D(1500), "3000 ÷ 2 = 1500（亿元）"),  # 翻番
        (Multiple.DOUBLINGS, 2, D(750), "3000 ÷ 4 = 750（亿元）"),  # 翻两番
        (Multiple.MORE, 2, D(1000), "3000 ÷ (1 + 2) = 1000（亿元）"),  # 增长 2 倍
        (Multiple.TIMES, D("2.5"), D(1200), "3000 ÷ 2.5 = 1200（亿元）"),  # 是 2.5 倍
    ],
)
def test_back_from_multiple_reads_the_phrasing(
    phrasing: Multiple, factor: Decimal, expected: Decimal, formula: str
) -> None:
    r = back_from_multiple(of("基金规模", 3000, "亿元"), factor, phrasing=phrasing)
    assert (r.value, r.unit, r.formula) == (expected, "亿元", formula)


def test_back_from_multiple_takes_a_figure_in_bei() -> None:
    r = back_from_multiple(of("规模", 71, "亿元"), of("放大倍率", "7.1", "倍"))
    assert (r.value, r.formula) == (D(10), "71 ÷ 7.1 = 10（亿元）")
    with pytest.raises(CalcError, match="whole number"):
        back_from_multiple(of("规模", 71, "亿元"), "1.5", phrasing=Multiple.DOUBLINGS)


def test_ratio_share_and_return_rate() -> None:
    assert ratio(of("撬动资金", 71, "亿元"), of("引导基金", 10, "亿元")).display == "7.1倍"
    assert ratio(RD_SPEND, of("x", 20, "亿元")).formula == "84.11亿元 ÷ 20亿元 ≈ 4.21倍"
    s = share(of("独角兽", 38, "家"), of("全省", 120, "家"))
    assert (s.value, s.unit, s.formula) == (D("31.67"), "%", "38家 ÷ 120家 ≈ 31.67%")
    assert return_rate(of("收益", "1.2", "亿元"), of("投资", 10, "亿元")).display == "12%"
    assert return_rate(of("收益", "-0.5", "亿元"), of("投资", 10, "亿元")).value == D(-5)


def test_a_plans_level_from_a_growth_rate_or_a_multiple() -> None:
    """46.8 亿元，增长 8% → 50.544 亿元; 58.4 亿元，翻一番 → 116.8 亿元; and back again."""
    grown = forward_from_growth(of("财政科技支出", "46.8", "亿元"), of("增速", 8, "%"))
    assert (grown.value, grown.unit) == (D("50.54"), "亿元")
    assert forward_from_multiple(of("贷款", "58.4", "亿元"), 1, phrasing=Multiple.DOUBLINGS).value == D("116.8")
    assert forward_from_multiple(of("平台", 30, "个"), 2, phrasing=Multiple.MORE).value == D(90)  # 增长 2 倍
    again = back_from_multiple(of("贷款", "116.8", "亿元"), 1, phrasing=Multiple.DOUBLINGS)
    assert again.value == D("58.4")


def test_an_earlier_share_from_a_change_in_points() -> None:
    """比重 50.2%，较上年提高 1.6 个百分点 → 48.6%; 下降 adds the points back."""
    assert back_from_points(of("比重", "50.2", "%"), of("变化", "1.6", "个百分点")).display == "48.6%"
    assert back_from_points(of("比重", "50.2", "%"), of("变化", "1.6", "个百分点"), fell=True).value == D("51.8")
    with pytest.raises(CalcError):
        back_from_points(of("比重", "50.2", "%"), of("增速", "1.6", "%"))


def test_generic_counters_divide_but_never_add() -> None:
    """100 个 of 450 项 (both 需求) is a share; 个 + 项 and 家 ÷ 人 stay errors."""
    assert share(of("精准对接", 100, "个"), of("摸排需求", 450, "项")).formula == "100个 ÷ 450项 ≈ 22.22%"
    assert ratio(of("发明专利", 751, "项"), of("项目", 24, "个")).value == D("31.29")
    with pytest.raises(CalcError):
        share(of("企业", 10, "家"), of("人才", 40, "人"))
    with pytest.raises(CalcError):
        evaluate(Program.of(("add", of("平台", 99, "个"), of("项目", 299, "项"))))


def test_average_of_money_per_firm_reads_in_wan_yuan() -> None:
    r = average(RD_SPEND, HIGH_TECH_FIRMS)
    assert (r.value, r.unit, r.approximate) == (D("402.06"), "万元/家", True)
    assert r.formula == "84.11亿元 ÷ 2092家 ≈ 402.06万元/家"
    assert average(RD_SPEND, HIGH_TECH_FIRMS, target_unit="万元").unit == "万元/家"  # "平均每家多少万元"
    assert average(RD_SPEND, HIGH_TECH_FIRMS, target_unit="元/家").value == D("4020554.49")
    assert average(of("补贴", 500, "万元"), HIGH_TECH_FIRMS).display == "约2390.06元/家"


def test_average_of_counts_keeps_decimals() -> None:
    assert average(of("从业人员", 3251, "人"), of("企业", 20, "家")).display == "162.55人/家"


def test_target_from_completion() -> None:
    r = target_from_completion(RD_SPEND, of("完成率", "216.44", "%"))
    assert (r.value, r.unit) == (D("38.86"), "亿元")
    assert r.formula == "84.11 ÷ 216.44% ≈ 38.86（亿元）"
    assert target_from_completion(of("签约项目", 150, "个"), 125).value == D(120)


def test_whole_from_a_share_a_fraction_or_a_leverage_multiple() -> None:
    """占规上工业产值的比重 52.5% → 产值 ÷ 52.5%; 占全省的 1/3 → 申报数 ÷ 1/3; 放大倍率 7.1 倍 → 总额 ÷ 7.1."""
    r = whole_from_rate(of("高新技术产业产值", "2.1", "万亿元"), of("比重", "52.5", "%"), target_unit="万亿元")
    assert (r.value, r.unit, r.approximate) == (D(4), "万亿元", False)
    assert whole_from_rate(of("申报数", 10252, "家"), of("占全省", D(1) / 3, "")).value == D(30756)
    r = whole_from_rate(of("募资总额", "41.41", "亿元"), of("放大倍率", "7.1", "倍"), target_unit="亿元")
    assert (r.value, r.unit, r.approximate) == (D("5.83"), "亿元", True)
    assert "41.41" in r.formula and "7.1" in r.formula


def test_whole_from_rate_refuses_a_level_as_the_rate_and_a_zero_rate() -> None:
    with pytest.raises(CalcError):
        whole_from_rate(of("募资总额", "41.41", "亿元"), of("子基金", 30, "个"))
    with pytest.raises(CalcError):
        whole_from_rate(of("募资总额", "41.41", "亿元"), of("放大倍率", 0, "倍"))


# ── percentage points are not relative change ────────────────────────────────


def test_percentage_points_of_two_shares() -> None:
    r = percentage_points(of("2022比重", 53, "%"), of("2021比重", "52.5", "%"))
    assert (r.value, r.unit, r.direction, r.approximate) == (D("0.5"), "个百分点", "提高", False)
    assert r.formula == "53% − 52.5% = 0.5（个百分点）"
    assert percentage_points("52.5", 53).direction == "下降"


def test_difference_of_two_percentages_is_in_points_and_relative_change_is_not() -> None:
    now, before = of("2022比重", 53, "%"), of("2021比重", "52.5", "%")
    assert difference(now, before).display == "0.5个百分点"
    relative = change_rate(now, before)
    assert (relative.value, relative.unit) == (D("0.95"), "%")


def test_points_are_never_shown_as_percent() -> None:
    with pytest.raises(CalcError, match="个百分点"):
        percentage_points(53, "52.5", target_unit="%")
    with pytest.raises(CalcError):
        change_rate(of("a", 2, "家"), of("b", 1, "家"), target_unit="个百分点")
    with pytest.raises(CalcError):
        convert(of("比重", 53, "%"), "个百分点")
    with pytest.raises(CalcError, match="expected %"):
        percentage_points(of("a", 53, "家"), 1)


# ── errors ───────────────────────────────────────────────────────────────────


def test_division_by_zero_raises() -> None:
    with pytest.raises(CalcError, match="division by zero"):
        share(of("a", 1, "家"), of("b", 0, "家"))
    with pytest.raises(CalcError, match="division by zero"):
        change_rate(of("a", 5, "家"), of("b", 0, "家"))
    with pytest.raises(CalcError, match="division by zero"):
        back_from_growth(FOREIGN_TALENT_2021, -100)
    with pytest.raises(CalcError, match="division by zero"):
        execute(Program.of(("subtract", 1, 1), ("divide", 5, "#0")))


def test_unit_mismatch_raises() -> None:
    with pytest.raises(CalcError, match="cannot subtract 元 from 家"):
        difference(HIGH_TECH_FIRMS, RD_SPEND)
    with pytest.raises(CalcError, match="unit mismatch"):
        execute(Program.of(("add", RD_SPEND, 1)))
    with pytest.raises(CalcError, match="same unit"):
        share(RD_SPEND, HIGH_TECH_FIRMS)
    with pytest.raises(CalcError, match="cannot express"):
        difference(TARGET_2022, ACTUAL_2021, target_unit="万元")


def test_malformed_programs_and_operands_raise() -> None:
    with pytest.raises(CalcError, match="empty"):
        Program(())
    with pytest.raises(CalcError, match="earlier step"):
        Program((Step(Op.ADD, Const(D(1)), Ref(0)),))
    with pytest.raises(CalcError, match="unknown operation"):
        Program.of(("power", 2, 3))
    with pytest.raises(CalcError, match="scale"):
        Operand("x", D(1), "万元")
    with pytest.raises(CalcError, match="finite"):
        Operand("x", D("NaN"), "元")


# ── the executor ─────────────────────────────────────────────────────────────


def test_program_runs_finqa_style_with_unit_algebra() -> None:
    program = Program.of(
        ("divide", RD_SPEND, HIGH_TECH_FIRMS), ("multiply", "#0", HIGH_TECH_FIRMS), ("add", "#1", Const(D(1), "元"))
    )
    value, unit = evaluate(program)
    assert (value, unit) == (D(8411000001), "元")
    assert str(program) == "divide(84.11亿元, 2092家), multiply(#0, 2092家), add(#1, const_1元)"
    assert evaluate(Program.of(("divide", RD_SPEND, HIGH_TECH_FIRMS)))[1] == "元/家"


def test_percentages_enter_as_fractions_and_decimal_is_exact() -> None:
    assert execute(Program.of(("add", 1, FOREIGN_TALENT_GROWTH))) == D("1.301")
    assert execute(Program.of(("add", D("0.1"), D("0.2")))) == D("0.3")  # float says 0.30000000000000004


def test_formula_parenthesises_only_where_needed() -> None:
    a, b, c = (Const(D(n)) for n in (8, 4, 2))
    assert Program.of(("subtract", a, b), ("subtract", c, "#0")).render() == "2 − (8 − 4)"
    assert Program.of(("subtract", a, b), ("subtract", "#0", c)).render() == "8 − 4 − 2"
    assert Program.of(("multiply", a, b), ("add", "#0", c)).render() == "8 × 4 + 2"
    assert Program.of(("divide", a, b), ("divide", c, "#0")).render() == "2 ÷ (8 ÷ 4)"


# ── rounding, qualifiers and "约" ─────────────────────────────────────────────


def test_rounding_constants() -> None:
    assert (PERCENT_PLACES, MONEY_PLACES, COUNT_PLACES) == (2, 2, 0)


def test_exact_results_are_not_approximate_and_rounding_is_half_up() -> None:
    assert share(of("a", 1, "家"), of("b", 8, "家")).formula == "1家 ÷ 8家 = 12.5%"
    r = share(of("a", 1, "家"), of("b", 800, "家"))
    assert (r.value, r.exact, r.approximate) == (D("0.13"), D("0.125"), True)  # 四舍五入, not banker's 0.12


def test_qualifiers_make_results_approximate_and_stay_in_the_formula() -> None:
    r = back_from_growth(of("外籍人才", 3251, "人", "约"), FOREIGN_TALENT_GROWTH)
    assert r.formula == "约3251 ÷ (1 + 30.1%) ≈ 2499（人）"
    r = difference(of("企业", 2, "万家", "余"), of("上年", "1.5", "万家"))
    assert (r.approximate, r.formula) == (True, "2万余家 − 1.5万家 ≈ 5000家")
    r = back_from_increment(of("企业", 300, "家", "预计"), of("新增", 50, "家"))
    assert (r.approximate, r.formula) == (True, "预计300 − 50 ≈ 250（家）")
    assert convert(of("投资", 5, "亿元", "以上"), "万元").formula == "5亿元以上 ≈ 50000万元"


def test_money_scale_thresholds() -> None:
    assert difference(of("a", 19999, "元"), of("b", 10000, "元")).unit == "元"
    assert difference(of("a", 20000, "元"), of("b", 10000, "元")).unit == "万元"
    assert difference(of("a", 3, "亿元"), of("b", 2, "亿元")).unit == "亿元"
    assert difference(of("a", "2.5", "万亿元"), of("b", 1, "万亿元")).display == "1.5万亿元"


# ── unit conversion ──────────────────────────────────────────────────────────


def test_convert() -> None:
    assert convert(of("企业", "1.9", "万家"), "家").value == D(19000)
    r = convert(RD_SPEND, "万元")
    assert (r.value, r.unit, r.formula, r.approximate) == (D(841100), "万元", "84.11亿元 = 841100万元", False)
    assert convert(of("x", 841100, "万元"), "亿元").value == D("84.11")
    assert convert(of("x", 12345, "元"), "亿元").value == D("0.00012345")  # scales are exact, never rounded
    with pytest.raises(CalcError):
        convert(RD_SPEND, "万家")


def test_operand_from_figure_keeps_how_the_report_wrote_it() -> None:
    figure = Figure(
        id="f1",
        sentence_id="s1",
        doc_id="d1",
        raw="84.11亿元",
        start=0,
        end=7,
        number=D("84.11"),
        scale="亿",
        unit="元",
        value=D(8411000000),
        qualifier="",
        indicator="研发投入",
        context="",
        period=2022,
        kind=FigureKind.ACTUAL,
    )
    op = Operand.from_figure(figure)
    assert (op.label, op.value, op.display, op.figure_id) == ("2022年研发投入", D(8411000000), "84.11亿元", "f1")
    assert average(figure, HIGH_TECH_FIRMS).value == D("402.06")


# ── properties ───────────────────────────────────────────────────────────────

MONEY_UNITS = ["元", "万元", "亿元", "万亿元"]
COUNT_UNITS_WRITTEN = ["家", "万家", "人", "万人", "项"]
amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def same_unit_pairs(draw: st.DrawFn) -> tuple[Operand, Operand]:
    money = draw(st.booleans())
    units = MONEY_UNITS if money else COUNT_UNITS_WRITTEN
    base = "元" if money else draw(st.sampled_from(["家", "人", "项"]))
    pick = [u for u in units if u.endswith(base)]
    return (
        of("a", draw(amounts), draw(st.sampled_from(pick))),
        of("b", draw(amounts), draw(st.sampled_from(pick))),
    )


def _base(number: Decimal, display_unit: str) -> Decimal:
    """A displayed number back in base units (万元/家 → 元/家)."""
    return of("", number, display_unit).value


def _half_ulp(result_value: Decimal, display_unit: str) -> Decimal:
    """Half a unit in the last displayed place, in base units: the most rounding can move."""
    return _base(D(5).scaleb(result_value.as_tuple().exponent - 1), display_unit)


@FAST
@given(same_unit_pairs())
def test_difference_then_addition_restores_the_operand(pair: tuple[Operand, Operand]) -> None:
    a, b = pair
    r = difference(a, b)
    assert b.value + _base(r.signed, r.unit) == a.value


@FAST
@given(
    st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False),
    st.sampled_from([(MONEY_UNITS, MONEY_UNITS), (["家", "万家"], ["家", "万家"]), (["人", "万人"], ["人", "万人"])]),
    st.data(),
)
def test_conversions_round_trip(number: Decimal, family: tuple[list[str], list[str]], data: st.DataObject) -> None:
    original = of("x", number, data.draw(st.sampled_from(family[0])))
    there = convert(original, data.draw(st.sampled_from(family[1])))
    back = convert(of("x", there.value, there.unit), original.display_unit)
    assert back.value == original.number
    assert _base(there.value, there.unit) == original.value


@FAST
@given(
    st.integers(min_value=1, max_value=10**7),
    st.sampled_from(["人", "家", "元", "万元", "亿元"]),
    st.decimals(min_value=-90, max_value=500, places=2, allow_nan=False, allow_infinity=False),
)
def test_back_computed_base_grown_again_gives_the_figure(number: int, unit: str, rate: Decimal) -> None:
    figure = of("x", number, unit)
    base = back_from_growth(figure, rate)
    growth = 1 + rate / 100
    regrown = _base(base.value, base.unit) * growth
    assert abs(regrown - figure.value) <= _half_ulp(base.value, base.unit) * growth


@FAST
@given(
    st.decimals(min_value=0, max_value=10**4, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["万元", "亿元", "元"]),
    st.integers(min_value=1, max_value=10**5),
)
def test_average_times_count_gives_the_total(total_number: Decimal, unit: str, count: int) -> None:
    total = of("投入", total_number, unit)
    r = average(total, of("企业", count, "家"))
    assert abs(_base(r.value, r.unit) * count - total.value) <= _half_ulp(r.value, r.unit) * count


# ── parity with a plain float implementation ─────────────────────────────────

FLOAT_EPS = 2.0**-52


class IllConditioned(Exception):
    """The float reference cannot tell its divisor from zero, so it has no answer to compare."""


def float_reference(program: Program) -> tuple[float, float]:
    """The straightforward float evaluation, plus a bound on its own rounding error."""
    results: list[tuple[float, float]] = []

    def arg(a: Operand | Const | Ref) -> tuple[float, float]:
        if isinstance(a, Ref):
            return results[a.index]
        x = float(a.value) * (0.01 if a.unit == "%" else 1.0)
        return x, 2 * FLOAT_EPS * abs(x)

    for step in program.steps:
        (a, ea), (b, eb) = arg(step.left), arg(step.right)
        if step.op is Op.ADD:
            v, e = a + b, ea + eb
        elif step.op is Op.SUBTRACT:
            v, e = a - b, ea + eb
        elif step.op is Op.MULTIPLY:
            v, e = a * b, abs(a) * eb + abs(b) * ea + ea * eb
        else:
            if b == 0 and eb == 0:
                raise ZeroDivisionError
            if abs(b) <= eb:
                raise IllConditioned
            v = a / b
            e = (ea + abs(v) * eb) / (abs(b) - eb)
        results.append((v, e + FLOAT_EPS * abs(v)))
    return results[-1]


leaf_numbers = st.decimals(min_value=-(10**4), max_value=10**4, places=2, allow_nan=False, allow_infinity=False)
leaves = st.one_of(
    st.builds(lambda n, u: Operand("x", n, u), leaf_numbers, st.sampled_from(["", "%"])),
    st.builds(Const, leaf_numbers),
)


@st.composite
def programs(draw: st.DrawFn) -> Program:
    steps: list[Step] = []
    for index in range(draw(st.integers(min_value=1, max_value=5))):

        def arg(index: int = index) -> Operand | Const | Ref:
            if index and draw(st.booleans()):
                return Ref(draw(st.integers(min_value=0, max_value=index - 1)))
            return draw(leaves)

        steps.append(Step(draw(st.sampled_from(list(Op))), arg(), arg()))
    return Program(tuple(steps))


@settings(max_examples=200, deadline=None, database=None)
@given(programs())
def test_executor_agrees_with_a_float_reference(program: Program) -> None:
    try:
        reference, error_bound = float_reference(program)
    except ZeroDivisionError:
        with pytest.raises(CalcError, match="division by zero"):
            execute(program)
        return
    except IllConditioned:
        assume(False)
        raise
    exact = float(execute(program))
    assert abs(exact - reference) <= 1e-9 * abs(reference) + error_bound
