"""Specification of question analysis (bot.understand.analyze): what a question asks, read off its words.

Staff ask the same thing many ways — 22年 / 二〇二二年 / 今年, 目标 / 计划 / 力争,
多少家 / 几个 / 百分之几 — and the analyzer must land every variant on the same
years, target-or-actual, unit, operation and indicator words. These tests are
phrase tables: add a row when a new phrasing turns up.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.lexicon import add_report_names
from bot.models import PeriodKind
from bot.normalize import normalize_question
from bot.understand import (
    WITHIN_PART_WEIGHT,
    Op,
    Query,
    UnitClass,
    analyze,
    find_givens,
    indicator_terms,
    top_ranked,
    unresolved_reference,
)

# ── years ────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "question",
    [
        "2022年瞪羚企业目标是多少",
        "２０２２年瞪羚企业目标是多少",
        "二〇二二年瞪羚企业目标是多少",
        "22年瞪羚企业目标是多少",
        "瞪羚企业2022年的目标是多少",
        "瞪羚企业目标是多少（2022年）",
    ],
)
def test_explicit_year_in_any_writing(question: str) -> None:
    """However the year is typed, it is one explicit year."""
    query = analyze(question)
    assert query.years == (2022,)
    assert query.base_years == () and query.relative == ()


@pytest.mark.parametrize(
    ("question", "relative"),
    [
        ("今年瞪羚企业目标是多少", (0,)),
        ("去年有效高企有多少家", (-1,)),
        ("上年有效高企有多少家", (-1,)),
        ("前年外国人才引进了多少", (-2,)),
        ("明年瞪羚企业计划多少", (1,)),
        ("财政科技支出占比今年要提高几个百分点", (0,)),  # 占比 then 今年: no comparison with 今年
    ],
)
def test_relative_years_are_kept_relative(question: str, relative: tuple[int, ...]) -> None:
    """今年 means the report's plan year, which only the report knows: the analyzer keeps the offset."""
    query = analyze(question)
    assert query.relative == relative
    assert query.years == ()


@pytest.mark.parametrize(
    ("question", "years", "base_years", "base_relative"),
    [
        ("有效高企比去年多了多少", (), (), (-1,)),
        ("外国人才跟去年比增长了百分之几", (), (), (-1,)),
        ("新引进外国人才较2020年增长了多少", (), (2020,), ()),
        ("2021年减免税收比2020年增长了百分之几", (2021,), (2020,), ()),
        ("与2020年相比减免税收增长了多少", (), (2020,), ()),
    ],
)
def test_comparison_base_is_not_the_year_asked_about(
    question: str, years: tuple[int, ...], base_years: tuple[int, ...], base_relative: tuple[int, ...]
) -> None:
    """比去年 / 较2020年 name what is compared with; answering about 2020 itself would be wrong."""
    query = analyze(question)
    assert (query.years, query.base_years, query.base_relative) == (years, base_years, base_relative)
    assert query.relative == ()


# ── target or actual ─────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "question",
    [
        "2022年瞪羚企业目标是多少",
        "2022年计划遴选多少瞪羚企业",
        "2022年的计划是遴选多少家瞪羚企业",
        "2022年力争加计扣除企业数达到多少",
        "2022年打算引进多少领军人才",
        "2022年争取引进多少外国高端人才",
        "今年计划引进多少外国高端人才",
        "每万人口高价值发明专利要到10件 还差多少",  # 要到: where it is to get
    ],
)
def test_target_words_ask_for_a_target(question: str) -> None:
    """目标/计划/力争/打算/争取 ask for the plan's number, not what was achieved."""
    assert analyze(question).want is PeriodKind.TARGET


@pytest.mark.parametrize(
    "question",
    [
        "2021年实际完成了多少",
        "高企实际有多少家",
        "2021年引进了多少外国人才",
        "去年实际引进外国人才多少人",
        "举办了多少场对接活动",
    ],
)
def test_actual_words_ask_for_what_happened(question: str) -> None:
    """实际/完成了/…了多少 ask for the achieved number."""
    assert analyze(question).want is PeriodKind.ACTUAL


@pytest.mark.parametrize(
    "question",
    [
        "省双创人才计划累计入选多少人",
        "入选省双创人才计划的项目有多少个",
        "姑苏科技创业天使计划拟立项多少个项目",
        "省双创人才计划连续几年全省第一",
    ],
)
def test_programme_names_ending_in_jihua_are_not_target_words(question: str) -> None:
    """省双创人才计划 is a programme's name; its figures are achievements, not plans."""
    assert analyze(question).want is not PeriodKind.TARGET


def test_neutral_question_leaves_target_or_actual_open() -> None:
    """有效高企有多少家 says neither; the resolver decides from what the report has."""
    assert analyze("有效高企有多少家").want is None


# ── the unit asked for ───────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("question", "unit_class", "unit"),
    [
        ("有效高企有多少家", UnitClass.COUNT, "家"),
        ("科创板企业有几家", UnitClass.COUNT, "家"),
        ("外国人才引进了多少人", UnitClass.COUNT, "人"),
        ("授权发明专利多少项", UnitClass.COUNT, "项"),
        ("入选省双创人才计划的项目有多少个", UnitClass.COUNT, "个"),
        ("举办了多少场对接活动", UnitClass.COUNT, "场"),
        ("减免企业所得税多少亿元", UnitClass.MONEY, "亿元"),
        ("技术合同成交额多少亿", UnitClass.MONEY, "亿元"),
        ("国际研发机构支持经费多少万元", UnitClass.MONEY, "万元"),
        ("科贷通2021年贷款额换算成万元是多少", UnitClass.MONEY, "万元"),
        ("研发投入占GDP比重是百分之几", UnitClass.PERCENT, "%"),
        ("高企申报数占全省的几成", UnitClass.PERCENT, "%"),
        ("高新技术产业比重提高了几个百分点", UnitClass.POINTS, "个百分点"),
        ("财政资金放大倍率是几倍", UnitClass.MULTIPLE, "倍"),
        ("高企申报数全省排第几", UnitClass.RANK, "名"),
        ("科创板企业全国排名第几", UnitClass.RANK, "名"),
        ("有效高企数合多少万家", UnitClass.COUNT, "万"),
    ],
)
def test_unit_asked(question: str, unit_class: UnitClass, unit: str) -> None:
    """多少家 wants 家, 多少万元 wants 万元, 百分之几 wants % — the answer is given in that unit."""
    query = analyze(question)
    assert (query.unit_class, query.unit) == (unit_class, unit)


@pytest.mark.parametrize(
    "question", ["科贷通贷了多少钱", "技术合同成交额是多少钱", "减免了多少税", "科技贷去年一共放了多少"]
)
def test_money_without_a_scale(question: str) -> None:
    """多少钱 asks for money without saying 万元 or 亿元; the report's own scale is then kept."""
    query = analyze(question)
    assert (query.unit_class, query.unit) == (UnitClass.MONEY, "")


def test_no_unit_word_means_no_unit_constraint() -> None:
    """2022年瞪羚企业目标是多少 accepts the figure in whatever unit the report used."""
    assert analyze("2022年瞪羚企业目标是多少").unit_class is None


# ── the operation ────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("question", "op"),
    [
        ("有效高企有多少家", Op.LOOKUP),
        ("有效高企比去年多多少", Op.DIFFERENCE),
        ("有效高企比去年多了多少家", Op.DIFFERENCE),
        ("2022年目标比2021年少多少", Op.DIFFERENCE),
        ("两者相差多少", Op.DIFFERENCE),
        ("姑苏实验室引进的人才里非国家级的有几人", Op.DIFFERENCE),
        ("独角兽培育企业里，除去2021年公示的，之前的有几家", Op.DIFFERENCE),  # the part named at length
        ("高企申报数去年是不是破万了？具体多少家", Op.LOOKUP),  # 是不是 asks yes or no, takes nothing out
        ("外国人才增长了百分之几", Op.CHANGE_RATE),
        ("外国人才增幅是多少", Op.CHANGE_RATE),
        ("有效高企数2021年比上年增长了百分之多少", Op.CHANGE_RATE),
        ("万人高价值专利同比涨了多少 百分比", Op.CHANGE_RATE),  # the unit said after the question
        ("科技特派员人数比上年涨了多少 按百分比算", Op.CHANGE_RATE),
        ("高新技术产业比重提高了几个百分点", Op.POINTS),
        ("科贷通平均每家贷了多少", Op.AVERAGE),
        ("23年全省平均研发强度", Op.LOOKUP),  # a wider scope's average level: nothing to divide
        ("研发强度比全国平均水平高多少", Op.DIFFERENCE),
        ("科贷通户均贷款多少万", Op.AVERAGE),
        ("发明专利是PCT专利的几倍", Op.RATIO),
        ("发明专利数是PCT专利数的多少倍", Op.RATIO),
        ("高端人才占外国人才的比例", Op.SHARE),
        ("高端人才占比多少", Op.SHARE),
        ("高企申报数占全省的几成", Op.SHARE),
        ("市本级科技支出占全市财政科技支出多少", Op.SHARE),  # the whole named at length before 多少
        ("技术开发合同占技合额多少", Op.SHARE),  # no unit after 多少: a share of the whole named
        ("新认定高企里首次认定的占多少", Op.SHARE),  # the whole named with 里, then 占多少
        ("科技金融投资的收益率是多少", Op.RETURN),
        ("科技金融的回报率是多少", Op.RETURN),
        ("民营科技企业推荐的完成率是多少", Op.COMPLETION_RATE),
        ("技合额完成率124.6%那目标是多少亿", Op.LOOKUP),  # the rate is stated: its target is asked
        ("衍生孵化企业中高企和科小一共多少家", Op.SUM),
        ("衍生孵化企业中高企和科小加起来多少家", Op.SUM),
        ("2021年以前外国人才累计多少人", Op.PRIOR_CUMULATIVE),
        ("2021年之前累计入选多少人", Op.PRIOR_CUMULATIVE),
        ("22年高端人才目标比21年少了百分之几", Op.CHANGE_RATE),  # 少了 is a fall, not a difference in 人
        ("完成路演的项目里拟立项的比例是多少", Op.SHARE),  # the whole named with 里, no 占; 完成路演 is no 完成率
        ("民营科技企业推荐完成了百分之几", Op.COMPLETION_RATE),
        ("初级和中高级技术经纪人加一块要培育多少人", Op.SUM),
        ("两个平台的合同金额加在一起多少亿", Op.SUM),
        ("研究所22年布局的都建成后总数能到多少家", Op.SUM),  # today's level plus the planned additions
    ],
)
def test_operation_asked(question: str, op: Op) -> None:
    """比…多多少 is a difference, 增长百分之几 a change rate, 平均每家 an average, 是…的几倍 a ratio …"""
    assert analyze(question).op is op


def test_share_asked_as_baifenzhi_duoshao() -> None:
    """占申报数的百分之多少 asks for the same share as 占申报数的比例."""
    assert analyze("高企认定数占申报数的百分之多少").op is Op.SHARE


# ── facts ────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "question",
    [
        "哪些大学签了协议",
        "和哪些大学签了协议",
        "与哪些高校签署了战略合作协议",
        "哪两个国家技术创新中心获批",
        "有哪些国家技术创新中心",
        "和上海举办的比赛叫什么",
        "苏州的高企是哪个部门认定的",
    ],
)
def test_fact_questions_ask_for_names_not_numbers(question: str) -> None:
    """哪些/哪两个/什么 want names or statements; 两个 in 哪两个 is not a number asked for."""
    query = analyze(question)
    assert query.fact
    assert not query.asks_number


@pytest.mark.parametrize("question", ["有效高企有多少家", "高企申报数全省排第几", "科贷通平均每家贷了多少"])
def test_number_questions_are_not_fact_questions(question: str) -> None:
    """A question with 多少/几/第几 must be answered with a figure, or refused."""
    query = analyze(question)
    assert query.asks_number
    assert not query.fact


# ── indicator terms ──────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("高企有多少家", "高企"),
        ("有效高企比去年多了多少", "有效高企"),
        ("科小入库多少家", "科小"),
        ("产研院研究所累计多少家", "产研院"),
        ("科贷通平均每家贷了多少", "科贷通"),
        ("研发投入占GDP比重是百分之几", "gdp"),
        ("发明专利是PCT专利的几倍", "pct专利"),
        ("2022年瞪羚企業目標是多少", "瞪羚企业"),
    ],
)
def test_indicator_terms_keep_abbreviations(question: str, kept: str) -> None:
    """Staff say 高企, 科小, 产研院; the words must survive so the synonym list can map them."""
    assert kept in analyze(question).terms


QUESTION_WORDS = {
    "请问",
    "帮我",
    "查一下",
    "多少",
    "几",
    "是",
    "的",
    "呢",
    "吗",
    "啊",
    "一下",
    "今年",
    "去年",
    "2022",
    "年",
}


@pytest.mark.parametrize(
    "question",
    [
        "请问2022年瞪羚企业目标是多少呢",
        "帮我查一下今年瞪羚企业目标是多少",
        "瞪羚企业的数量是多少啊",
        "去年瞪羚企业有多少吗",
        "去年瞪羚企业的年度目标原本是多少",  # 原本, 定的: how the asker thinks of it, not what is measured
        "今年瞪羚企业目标大概定的多少",
        "瞪羚企业里头国家级的有几家",  # 里头: where to look
    ],
)
def test_indicator_terms_drop_fillers_years_and_question_words(question: str) -> None:
    """Only the words that name the indicator are matched against the report."""
    terms = analyze(question).terms
    assert "瞪羚企业" in terms
    assert not QUESTION_WORDS & set(terms)
    assert not any(t.isdigit() for t in terms)


@pytest.mark.parametrize(
    ("question", "last"),
    [
        ("无锡在国家创新型城市创新能力评价中排第几", "评价"),
        ("无锡在创新能力评价中排名第几", "评价"),
        ("技术合同成交额增速在全省排在第几", "全省"),
    ],
)
def test_rank_question_words_leave_no_fragment(question: str, last: str) -> None:
    """排第几 asks a rank: no "中排" glued from its 排 stays behind to be missed near the figure."""
    terms = analyze(question).terms
    assert terms[-1] == last
    assert not any("排" in t for t in terms)


def essentials(query: Query) -> tuple[object, ...]:
    return (query.years, query.relative, query.want, query.unit_class, query.unit, query.op, query.fact, query.terms)


@pytest.mark.parametrize(
    "variant",
    [
        "２０２２年瞪羚企業目標是多少？",
        "二〇二二年瞪羚企业目标是多少？",
        "请问22年瞪羚企业目标是多少呢",
        "帮我查一下2022年瞪羚企业目标是多少",
        "2022年\u200b瞪羚企业目标是多少",
    ],
)
def test_typing_variants_ask_the_same_thing(variant: str) -> None:
    """Every way of typing the same question must be analyzed identically."""
    assert essentials(analyze(variant)) == essentials(analyze("2022年瞪羚企业目标是多少"))


def test_query_keeps_the_original_and_the_normalized_text() -> None:
    """Answers echo what the user typed; matching uses the canonical text."""
    question = "请问２０２２年瞪羚企業目標是多少？"
    query = analyze(question)
    assert query.original == question
    assert query.text == normalize_question(question)


@pytest.mark.parametrize("question", ["", "   ", "？？？", "……", "\u200b\u200b"])
def test_empty_questions_are_empty(question: str) -> None:
    """Nothing to look up must be recognizable before any retrieval is done."""
    assert analyze(question).empty


# ── givens: numbers the asker already has ────────────────────────────────────


def test_a_clause_stating_a_number_is_a_given_not_the_question() -> None:
    """Its year and change words would otherwise be what is asked; only its subject carries over."""
    query = analyze("外国高端人才21年1020人同比增13.1%，20年引进了多少人")
    assert query.op is Op.LOOKUP
    assert query.years == (2020,)
    assert "外国高端人才" in query.terms and "增" not in "".join(query.terms)
    assert query.given_values == ((Decimal("1020"), "人", "人"), (Decimal("13.1"), "%", "%"))


def test_a_given_keeps_its_year_when_the_question_names_none() -> None:
    query = analyze("2021年有效高企11155家，其中当年认定的有多少家")
    assert query.years == (2021,) and not query.relative  # 当年 is the given's year, not the plan year
    assert "有效高企" in query.terms


@pytest.mark.parametrize(
    "question",
    [
        "去年跟团市委、留学生团体合作，立项团队有几个",  # the first clause states no number: no givens
        "2022年瞪羚企业目标是多少",
        "有效高企11155家",  # nothing asked
    ],
)
def test_no_givens_without_a_stated_number_in_another_clause(question: str) -> None:
    assert find_givens(normalize_question(question)) is None


def test_a_calculation_keeps_its_givens_words_without_their_numbers() -> None:
    """科贷通为2092家企业贷款84.11亿元，平均每家多少万: the report's own figures are the operands."""
    query = analyze("科贷通为2092家企业贷款84.11亿元，平均每家多少万")
    assert query.op is Op.AVERAGE
    assert not any(ch.isdigit() for ch in query.text)
    assert {"科贷通", "贷款"} <= set(query.terms)
    assert (Decimal("8411000000.00"), "元", "亿元") in query.given_values


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("创新券平均每家企业拿到多少万", "创新券"),  # jieba: 创新 + 券
        ("领军人才创新类是创业类的几倍", "创新类"),  # jieba: 创新 + 类
        ("23年R&D占GDP比重是多少", "研发"),  # the & would split R&D into r and d
    ],
)
def test_words_jieba_splits_are_kept_whole(question: str, term: str) -> None:
    assert term in analyze(question).terms


def test_zhanbi_followed_by_a_year_is_no_comparison() -> None:
    """占比23年: the 比 of 占比 compares nothing, so 2023 is the year asked, not a base year."""
    query = analyze("研发投入占比23年是多少")
    assert (query.years, query.base_years) == ((2023,), ())
    assert analyze("有效高企比2020年多多少").base_years == (2020,)


def test_a_given_keeps_its_relative_year() -> None:
    """今年研发投入要是按目标增长8%，得到多少亿: the year asked is 今年, not the latest the report states."""
    query = analyze("今年研发投入要是按目标增长8%，得到多少亿")
    assert query.relative == (0,) and "研发投入" in query.terms


@pytest.mark.parametrize(
    ("question", "pointing_back"),
    [
        ("这三地新认定高企占全市百分之多少", "这三地"),  # the places were in an earlier message
        ("这三个区高企加起来多少", "这三个区"),
        ("那4家国际研发机构平均每家投了多少", None),  # the words after it say what it is
        ("高新区天府新区武侯双流郫都成华这6个区高企加起来多少家", None),  # the places come first
        ("这一年高企多少家", None),
        ("高企排前五的那几个区加起来占全市高企百分之几", None),  # picked by rank, not named before
    ],
)
def test_a_question_pointing_back_at_places_it_never_names(question: str, pointing_back: str | None) -> None:
    add_report_names(
        ["分区域看，高新区、天府新区高企数量分别为4,512家、1,206家，武侯区、双流区、郫都区、成华区分别为1,008家"]
    )
    assert unresolved_reference(question) == pointing_back


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("科小入库前三的区一共多少家", 3),
        ("高企排前五的那几个区加起来占全市高企百分之几", 5),
        ("技合额前3个区加起来多少亿", 3),
        ("新认定高企前两名的区一共几家", 2),
        ("高企最多的两个县一共多少家", 2),
        ("前三季度技合额多少", None),  # quarters, not places
        ("前两年高企增长了多少", None),
    ],
)
def test_places_picked_by_their_rank(question: str, count: int | None) -> None:
    ranked = top_ranked(question)
    assert (ranked[0] if ranked else None) == count


def test_by_the_completion_rate_says_how_the_target_is_found() -> None:
    """ "高企净增按完成率算 去年目标定的多少家": the target is asked; 完成率 says how to get it."""
    query = analyze("高企净增按完成率算 去年目标定的多少家")
    assert query.op is Op.LOOKUP and query.want is PeriodKind.TARGET


def test_a_word_ending_in_ding_keeps_its_meaning() -> None:
    """定了 is a filler only on its own: 认定了 still names what was counted."""
    assert "认定" in analyze("2020年认定了多少家高企").terms


@pytest.mark.parametrize(
    "question",
    [
        "按计划增速 今年技合额至少要到多少亿",
        "今年有效发明专利按目标增速大概要到多少件",
        "按照规划的增速今年能到多少",
        "照今年目标技合额至少要做到多少亿",
    ],
)
def test_the_plans_growth_rate_says_how_not_what(question: str) -> None:
    """ "按计划增速…要到多少" asks a level reached by the planned growth, not the growth rate itself."""
    query = analyze(question)
    assert query.op is Op.LOOKUP and query.prefer is None


@pytest.mark.parametrize("question", ["湖科贷去年多少", "科创贷前年有多少", "知识产权质押融资去年多少"])
def test_a_loan_product_or_financing_names_an_amount(question: str) -> None:
    """A programme named …贷 ("湖科贷") or 融资 lends money: its amount, not the count of borrowers beside it."""
    assert analyze(question).implied_unit_class is UnitClass.MONEY


@pytest.mark.parametrize("question", ["广州规上工业企业研发机构覆盖率到多少了", "研发强度去年多少", "科技成果转化率"])
def test_a_rate_named_by_its_head_noun_asks_a_percentage(question: str) -> None:
    """No unit asked, but 覆盖率/强度/比重 is a rate: never answered by the count beside it."""
    assert analyze(question).implied_unit_class is UnitClass.PERCENT


def test_a_sum_of_places_over_the_city_is_a_share() -> None:
    """ "黄埔天河两个区高企加起来占全市多少": 加起来 sums the parts, 占全市多少 asks their share."""
    assert analyze("黄埔天河两个区高企加起来占全市多少").op is Op.SHARE


@pytest.mark.parametrize("question", ["咱们研发强度比全省平均高几个点", "咱研发强度多少", "我们研发强度多少"])
def test_we_and_ours_name_no_indicator(question: str) -> None:
    assert not {"咱们", "咱", "我们"} & set(analyze(question).terms)


@pytest.mark.parametrize(
    ("question", "meant"),
    [
        ("全区有效高企总数是多少 不是南宁的", "全区有效高企总数是多少"),
        ("每万人口发明专利拥有量多少件 不是高价值的那个", "每万人口发明专利拥有量多少件"),
        ("去年每万人口发明专利拥有量多少件 不是高价值那个", "去年每万人口发明专利拥有量多少件"),  # no 的
        ("外国人才里不是高端人才的有多少", "外国人才里不是高端人才的有多少"),  # a part taken out, kept
    ],
)
def test_a_clause_saying_what_is_not_meant_is_no_part_of_the_question(question: str, meant: str) -> None:
    assert analyze(question).text == meant


@pytest.mark.parametrize(
    ("question", "part"),
    [
        ("国家级孵化器里在孵企业多少家", "孵企业"),  # the enterprises inside, not the incubators
        ("孵化器里头国家级的有几家", "国家级"),
        ("高企里营收超亿元的有多少家", "营收"),
    ],
)
def test_what_follows_li_is_what_is_counted_within(question: str, part: str) -> None:
    plain = dict(indicator_terms(question))
    weights = dict(analyze(question).weighted_terms)
    assert weights[part] == plain[part] * WITHIN_PART_WEIGHT
    container = question[: question.index("里")]
    assert all(weights[t] == plain[t] for t in plain if t in container)


def test_the_li_of_a_place_name_marks_no_part() -> None:
    add_report_names(["从区域分布看，湖里区1,532家、思明区1,318家。"])
    question = "湖里区高企有多少家"
    assert dict(analyze(question).weighted_terms) == dict(indicator_terms(question))


@pytest.mark.parametrize(
    ("question", "rate"),
    [
        ("咱们市规上工业企业研发机构建有率现在多少", "建有率"),
        ("公民科学素质普及率多少", "普及率"),
        ("研发机构覆盖率到多少了", "覆盖率"),
    ],
)
def test_a_rate_word_is_kept_and_asks_a_percentage(question: str, rate: str) -> None:
    query = analyze(question)
    assert rate in query.terms
    assert UnitClass.PERCENT in (query.unit_class, query.implied_unit_class)


def test_a_clause_saying_how_to_compute_is_no_part_of_what_is_asked() -> None:
    """ "…去年净增那个倒推一下": 净增 and 去年 say how to get the 2023 level, not that the change of 2024 is asked."""
    query = analyze("23年底有效高企是多少家 去年净增那个倒推一下")
    assert query.op is Op.LOOKUP and query.prefer is None and query.derive
    assert query.years == (2023,) and query.relative == ()
    assert query.terms == ("有效高企",)
