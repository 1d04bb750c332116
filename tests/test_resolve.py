"""Specification of figure matching (bot.resolve), the rules that need no index.

Only :func:`bot.resolve.kind_fits` is pinned here so far: which kind of figure
may answer what the question asks for. The rest of matching is exercised through
the engine (tests/test_engine.py, tests/test_near_miss.py).
"""

from __future__ import annotations

import pytest

from bot.figures import extract_figures
from bot.lexicon import add_report_names
from bot.models import DocumentMeta, Figure, PeriodKind, Sentence
from bot.resolve import (
    FigureTraits,
    counts_another_head,
    figure_traits,
    inserts_a_modifier,
    is_own_city,
    kind_fits,
    list_scope,
    measures_another_head,
    names_nothing_but_places,
    names_only_a_measure,
    names_the_place,
    names_the_subset,
    narrowed_to_a_group,
    parts_told_apart,
    prefixes_a_modifier,
    respective_own,
    sums_another,
    term_weight_in,
    unit_fits,
    wider_scope_elsewhere,
    written_near,
)
from bot.understand import analyze

REVIEW = (2022, PeriodKind.ACTUAL)
PLAN = (2023, PeriodKind.TARGET)


def sentence(text: str, section: tuple[int, PeriodKind]) -> Sentence:
    period, kind = section
    return Sentence("s-test", "test", "test#1", ("section",), 0, 0, text, period, kind)


def traits_of(text: str, raw: str, meta: DocumentMeta | None = None) -> FigureTraits:
    """What the figure written as ``raw`` in a review sentence's ``text`` says of itself."""
    where = sentence(text, REVIEW)
    return figure_traits(next(f for f in extract_figures(where) if f.raw == raw), where, meta)


def fits(question: str, text: str, raw: str, section: tuple[int, PeriodKind] = REVIEW) -> bool:
    """Does the figure written as ``raw`` in ``text`` have the kind ``question`` asks for?"""
    where = sentence(text, section)
    figure: Figure = next(f for f in extract_figures(where) if f.raw == raw)
    return kind_fits(figure, where, analyze(question))


@pytest.mark.parametrize(
    ("question", "text", "raw", "section"),
    [
        ("2023年科贷通累计解决贷款多少亿元", "“科贷通”全年为 2800 家企业解决贷款 150 亿元以上。", "150 亿元以上", PLAN),
        ("科贷通迄今解决贷款多少亿元", "“科贷通”全年为 2536 家企业解决贷款 121.37 亿元。", "121.37 亿元", REVIEW),
        ("锡科贷历年发放贷款多少亿元", "“锡科贷”当年提供贷款 68.5 亿元。", "68.5 亿元", REVIEW),
    ],
)
def test_one_years_flow_never_answers_a_running_total(
    question: str, text: str, raw: str, section: tuple[int, PeriodKind]
) -> None:
    """ "累计…多少" is not answered by what the report marks as one year's (全年, 当年): a refusal, not 150 亿元."""
    assert not fits(question, text, raw, section)


@pytest.mark.parametrize(
    ("question", "text", "raw"),
    [
        ("科贷通累计解决贷款多少亿元", "累计已为 12392 家企业解决贷款 677.72 亿元。", "677.72 亿元"),
        ("锡科贷累计发放贷款多少亿元", "“锡科贷”全年累计发放贷款 300 亿元。", "300 亿元"),  # the report says both
        ("科贷通全年解决贷款多少亿元", "“科贷通”全年为 2536 家企业解决贷款 121.37 亿元。", "121.37 亿元"),
        ("科贷通一共贷款多少亿元", "“科贷通”全年为 2536 家企业解决贷款 121.37 亿元。", "121.37 亿元"),  # 一共 ≠ 累计
    ],
)
def test_running_totals_and_plain_questions_still_fit(question: str, text: str, raw: str) -> None:
    assert fits(question, text, raw)


def test_targets_and_actuals_stay_apart() -> None:
    """A plan figure never answers 实际/完成了, an actual never 目标."""
    plan = "2023 年遴选瞪羚企业 400 家。"
    review = "遴选瞪羚企业 372 家。"
    assert fits("2023年瞪羚企业目标是多少", plan, "400 家", PLAN)
    assert not fits("2023年实际遴选了多少家瞪羚企业", plan, "400 家", PLAN)
    assert not fits("2022年瞪羚企业目标是多少", review, "372 家")
    assert fits("2022年实际遴选了多少家瞪羚企业", review, "372 家")


CITY = DocumentMeta(doc_id="d", title="苏州市科技创新工作总结", issuer="苏州市科学技术局", city="苏州")
PROVINCE = DocumentMeta(doc_id="p", title="江苏省科技工作要点", issuer="江苏省科学技术厅", city="江苏省")


@pytest.mark.parametrize(
    ("terms", "clause", "meta", "elsewhere"),
    [
        (("全省", "有效高企"), "有效数高企数达到11155家", CITY, True),  # "，全省第一" is another clause
        (("高企", "全省"), "占全省的1/3", CITY, False),  # the share names the province itself
        (("有效高企",), "有效数高企数达到11155家", CITY, False),  # the city's own scope needs no word
        (("全省", "有效高企"), "有效高企数达到5万家", PROVINCE, False),  # a province's report is 全省
        (("全国", "有效高企"), "有效高企数达到5万家", PROVINCE, True),
    ],
)
def test_a_wider_scope_must_be_named_at_the_figure(
    terms: tuple[str, ...], clause: str, meta: DocumentMeta, elsewhere: bool
) -> None:
    assert wider_scope_elsewhere(terms, ((clause, 1.0), (clause, 0.8)), meta) is elsewhere


@pytest.mark.parametrize(
    ("text", "item", "scope"),
    [
        # a scope leading a 、-list is every item's that names none of its own
        ("提高0.09个百分点（同期全省研发经费投入5,082.6亿元、研发投入强度3.58%）", "研发投入强度", "全省"),
        ("全国技术合同成交额6.1万亿元、登记合同95万项", "登记合同", "全国"),
        ("全省第一、全国第三", "全国第三", ""),  # the item names its own scope
        ("全省研发投入增长8%，我市有效高企5000家、科小8000家", "科小", ""),  # the list starts after the comma
        ("有效高企5000家、科小8000家", "科小", ""),  # no scope word: the report's own
        # a clause led by a wider scope names it for the clauses after it, until one names its own
        (
            "2024年全省高新技术产业增加值占比重达39.8%，规模以上工业企业研发占比达45.6%，我市贡献度提升",
            "规模以上",
            "全省",
        ),
        ("2024年全省高新产业占比达39.8%，规模以上工业企业研发占比达45.6%，我市贡献度提升", "贡献度", ""),
        ("全省高企7.9万家，我市有效高企9420家，科小8000家", "科小", ""),  # 我市 switched back
        ("有效高企11155家，全省第一，科小8000家", "科小", ""),  # a rank of the province is no scope lead
        ("全省高企7.9万家；科小8000家", "科小", ""),  # not across a ；
    ],
)
def test_a_scope_leading_a_list_is_every_items(text: str, item: str, scope: str) -> None:
    assert list_scope(text, text.index(item)) == scope


@pytest.mark.parametrize(
    ("text", "raw", "own"),
    [
        ("其中新吴区、江阴市分别净增132家和98家，新吴区高企数量居首位。", "98家", "江阴市净增98家"),
        ("其中新吴区、江阴市分别净增132家和98家。", "132家", "新吴区净增132家"),
        ("新吴区、江阴市、滨湖区研发投入占比分别达4.85%、3.62%和3.98%。", "3.62%", "江阴市研发投入占比达3.62%"),
        (
            "2023年技术开发、技术服务、技术转让、技术咨询合同成交额分别为612.4亿元、703.5亿元、98.1亿元、113.3亿元。",
            "98.1亿元",
            "技术转让合同成交额为98.1亿元",
        ),
        ("国家级、省级孵化器分别为36家和62家。", "62家", "省级孵化器为62家"),
        (  # an aside says what a name covers; it is no name of the list
            "长沙高新区、长沙经开区、湘江新区（不含长沙高新区）有效高企分别达到2,315家、1,108家、986家。",
            "1,108家",
            "长沙经开区有效高企达到1,108家",
        ),
        (  # the names end the clause before 分别
            "分地区看，瑞安、乐清、温州湾新区新认定高企数量居前，分别达到268家、255家、172家。",
            "255家",
            "乐清新认定高企数量居前达到255家",
        ),
    ],
)
def test_a_respectively_list_pairs_the_ith_name_with_the_ith_number(text: str, raw: str, own: str) -> None:
    """ "A、B分别…x和y": y is B's; the name the last item carries (合同成交额) is every item's."""
    assert respective_own(text, text.index(raw)) == own


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("投放386.7亿元，惠及5420家，同比分别增长16.4%和12.8%。", "12.8%"),  # no names before 分别: plan pairs these
        ("新吴区、江阴市、滨湖区分别增长12%和8%。", "8%"),  # three names, two numbers: no pairing
    ],
)
def test_no_pairing_when_names_and_numbers_do_not_line_up(text: str, raw: str) -> None:
    assert respective_own(text, text.index(raw)) is None


@pytest.mark.parametrize(
    ("place", "city", "own"),
    [("长沙", "长沙", True), ("长沙市", "长沙", True), ("长沙县", "长沙", False), ("浏阳市", "长沙", False)],
)
def test_a_county_named_after_its_city_is_no_city(place: str, city: str, own: bool) -> None:
    assert is_own_city(place, city) is own


def test_a_figure_of_a_county_named_after_the_city_is_a_sub_area() -> None:
    """ "长沙县…3.92%" is no answer about 长沙 itself; "长沙市…" is."""
    meta = DocumentMeta(doc_id="cs", title="长沙市科技局2024年工作总结", city="长沙", issuer="长沙市科学技术局")
    for text, district in (("长沙县研发投入强度为3.92%", True), ("长沙市研发投入强度为3.25%", False)):
        where = sentence(text, REVIEW)
        traits = figure_traits(extract_figures(where)[0], where, meta)
        assert traits.names_another_place("研发强度多少") is district


def test_a_listed_place_is_read_whole_and_named_by_its_short_form() -> None:
    """ "小蓝经开区52家" is 小蓝's (not a place 蓝经开区 the question lacks); "国家高新区" names no place 家高新区."""
    add_report_names(["分区域看，南昌高新区净增146家、红谷滩区78家、小蓝经开区52家、南昌县41家。"])
    meta = DocumentMeta(doc_id="nc", title="南昌市科学技术局2023年工作总结", city="南昌", issuer="南昌市科学技术局")
    where = sentence("分区域看，南昌高新区净增146家、红谷滩区78家、小蓝经开区52家、南昌县41家。", REVIEW)
    figures = {f.raw: f for f in extract_figures(where)}
    assert not figure_traits(figures["52家"], where, meta).names_another_place("小蓝净增高企多少家")
    assert figure_traits(figures["52家"], where, meta).names_another_place("红谷滩净增高企多少家")
    rank = sentence("沈阳高新区在全国国家高新区综合评价中位列第19位。", REVIEW)
    shenyang = DocumentMeta(doc_id="sy", title="沈阳市科技局2025年工作总结", city="沈阳", issuer="沈阳市科学技术局")
    assert not figure_traits(extract_figures(rank)[0], rank, shenyang).names_another_place("沈阳高新区排第几")


def test_a_short_place_name_is_named_only_as_a_word_of_its_own() -> None:
    """高新 of 高新区 is not named by 高新技术企业; 江阴 of 江阴市 is named by "江阴1,128家"."""
    assert not names_the_place(("高新区",), (("全市有效高新技术企业达到5,012家", 1.0), ("", 0.55), ("", 0.9)))
    assert names_the_place(("江阴市",), (("江阴1,128家", 1.0), ("", 0.55), ("", 0.9)))


@pytest.mark.parametrize(
    ("head", "places_only"),
    [
        ("从区域分布看，高新区、金水区、郑东新区分别达到", True),
        ("分区看，湖里区", True),
        ("分县（市）区看，鼓楼区", True),  # an aside inside the lead
        ("长沙高新区、长沙经开区有效高企分别达到", False),  # names its indicator
        ("", False),  # a sentence that starts with its number ("2021 年…")
        ("全年新认定高新技术企业", False),
    ],
)
def test_a_breakdown_sentence_of_places_borrows_the_sentence_before(head: str, places_only: bool) -> None:
    add_report_names(["从区域分布看，高新区、金水区、郑东新区分别达到1,286家、868家、453家。"])
    assert names_nothing_but_places(head) is places_only


@pytest.mark.parametrize(
    ("text", "raw", "question", "narrowed"),
    [
        ("我市14家国家级孵化器获评优秀（A类）。", "14家", "国家级孵化器有几家", True),
        ("在12家市属科研院所和新型研发机构推开。", "12家", "新型研发机构多少家", True),
        ("我市14家国家级孵化器获评优秀（A类）。", "14家", "几家国家级孵化器获评优秀", False),  # asked as such
        ("孵化器达到118家，其中国家级36家。", "36家", "国家级孵化器有几家", False),
    ],
)
def test_a_count_of_those_that_did_something_is_no_count_of_all(
    text: str, raw: str, question: str, narrowed: bool
) -> None:
    assert traits_of(text, raw).counts_those_that(question) is narrowed


CITY_REPORT = DocumentMeta(doc_id="gz", title="广州市科技局2024年工作总结", city="广州", issuer="广州市科学技术局")


@pytest.mark.parametrize(
    ("text", "raw", "question", "wider"),
    [
        ("全省规模以上工业企业研发机构覆盖率达到45.1%，", "45.1%", "广州研发机构覆盖率多少", True),  # the province's
        ("全市研发经费投入占全省的比重为24.3%。", "24.3%", "研发经费占全省比重", False),  # of the province: ours
        ("约占全省有效高企（7.56万家）的17.6%。", "7.56万家", "有效高企多少家", True),  # an aside's number
        ("约占全省有效高企（7.56万家）的17.6%。", "7.56万家", "全省有效高企多少家", False),  # asked as such
        # 全区: an autonomous region's city (南宁) names the region so, and itself 全市
        ("占全区有效高企总数（5,986家）的36.5%。", "5,986家", "南宁有效高企一共多少家", True),
        ("占全区有效高企总数（5,986家）的36.5%。", "5,986家", "全区有效高企总数是多少", False),
        # the province's share of firms doing R&D ("中有…的企业" defines the share, it is no part counted here)
        ("2024年全省规模以上工业企业中有研发活动的企业占比达45.6%。", "45.6%", "研发活动的企业占比多少", True),
    ],
)
def test_a_figure_of_a_wider_scope_is_no_answer_about_the_city(text: str, raw: str, question: str, wider: bool) -> None:
    assert traits_of(text, raw, CITY_REPORT).counts_a_wider_scope(question) is wider


@pytest.mark.parametrize(
    ("own", "head", "another"),
    [
        ("全年孵化器毕业企业", "孵化器", True),  # counts the graduates, not the incubators
        ("全市共有科技企业孵化器", "孵化器", False),
        ("其中高端人才", "高端", False),  # 人才 only completes 高端人才
        ("有效高企数达到", "高企", False),  # a measure word and a verb
        ("兑现企业研发投入后补助资金", "研发经费", True),  # 研发投入 (a synonym) then 补助资金: a subsidy, no R&D spend
    ],
)
def test_words_past_the_questions_noun_may_count_another_noun(own: str, head: str, another: bool) -> None:
    assert counts_another_head(own, head) is another


@pytest.mark.parametrize(
    ("own", "head", "terms", "another"),
    [
        # 金额 completes 融资, the question's last word there, not its head 知识产权
        ("全年知识产权质押融资金额", "知识产权", ("知识产权", "质押", "融资"), False),
        ("兑现企业研发投入后补助资金", "研发经费", ("研发经费",), True),  # an amount of a subsidy
    ],
)
def test_an_amount_after_the_questions_words_may_measure_another_thing(
    own: str, head: str, terms: tuple[str, ...], another: bool
) -> None:
    assert measures_another_head(own, head, terms, money_asked=True) is another


@pytest.mark.parametrize(
    ("own", "terms", "adds"),
    [
        ("在孵企业中高新技术企业和科技型中小企业合计", ("高企",), True),  # 科小 added to what is asked
        ("在孵企业中高新技术企业和科技型中小企业合计", ("高企", "科小"), False),  # both asked
        ("全市有效高新技术企业达到", ("高企",), False),
    ],
)
def test_a_sum_with_another_thing_is_no_figure_of_one_of_them(own: str, terms: tuple[str, ...], adds: bool) -> None:
    assert sums_another(own, terms) is adds


def test_a_wider_scopes_level_compared_with_is_of_the_measure_compared() -> None:
    """ "每万人口发明专利拥有量达到13.6件，较上年增加2.1件，是全区平均水平（6.85件）的近两倍": 6.85 件 is the
    region's 每万人口发明专利拥有量, named where the city's level is."""
    where = sentence("每万人口发明专利拥有量达到13.6件，较上年增加2.1件，是全区平均水平（6.85件）的近两倍。", REVIEW)
    traits = figure_traits(next(f for f in extract_figures(where) if f.raw == "6.85件"), where, None)
    assert traits.per_head and "全区" in traits.wider_scopes


def test_a_wider_scopes_level_after_other_clauses_is_of_the_measure_named_at_length() -> None:
    """ "研发投入强度达到3.02%，较上年提高0.11个百分点，首次突破3%，但仍低于全省3.20%的平均水平": 3.20% is the
    province's 研发投入强度, though two clauses (one naming no measure) come between."""
    text = "研发投入强度达到3.02%，较上年提高0.11个百分点，首次突破3%，但仍低于全省3.20%的平均水平。"
    where = sentence(text, REVIEW)
    traits = figure_traits(next(f for f in extract_figures(where) if f.raw == "3.20%"), where, None)
    assert term_weight_in("研发投入强度", traits.contexts) >= 0.8 and "全省" in traits.wider_scopes


@pytest.mark.parametrize(
    ("text", "raw", "places"),
    [
        # a sentence led by a county: what it states later is the county's
        ("灵武市依托宁东能源化工基地周边产业基础，培育科技型企业，研发投入强度达到1.94%。", "1.94%", ("灵武市",)),
        ("加快市产业技术研究院建设，加强省市县联动，布局10家专业技术研究所。", "10家", ()),  # 加快市 is no place
        ("灵武市依托产业基础，全市研发投入强度达到1.85%。", "1.85%", ()),  # 全市 names its own scope
        ("全年选派省市县三级科技特派员826名。", "826名", ()),  # tiers of government, no place
        # a few of the city's places counted together: a part of the city
        ("全年5个县共新认定高新技术企业15家、入库科技型中小企业168家。", "168家", ("5个县",)),
    ],
)
def test_a_sentence_led_by_a_district_is_about_it(text: str, raw: str, places: tuple[str, ...]) -> None:
    where = sentence(text, REVIEW)
    traits = figure_traits(next(f for f in extract_figures(where) if f.raw == raw), where, None)
    assert traits.sub_areas == places


@pytest.mark.parametrize(
    ("question", "own", "narrower"),
    [
        ("每万人口发明专利拥有量多少件", "每万人口高价值发明专利拥有量达到36.2件", True),  # 高价值 inside
        ("每万人口高价值发明专利拥有量多少件", "每万人口高价值发明专利拥有量达到36.2件", False),  # asked
        ("孵化器有几家", "国家级孵化器36家", False),  # nothing between two words the question writes together
        ("高新区高企多少家", "长沙高新区有效高企2,315家", False),  # 有效高企 are the 高企: a stock word narrows nothing
        ("发明专利拥有量多少件", "发明专利拥有量达到25,147件", False),
    ],
)
def test_a_narrowing_word_inside_the_questions_compound_names_another_indicator(
    question: str, own: str, narrower: bool
) -> None:
    assert inserts_a_modifier(question, analyze(question).terms, own) is narrower


def test_a_part_a_report_states_of_a_synonym_is_told_apart_from_it() -> None:
    """ "…成交额1,126.4亿元…；其中技术交易额468.5亿元": here 技术交易额 is a part of 技术合同成交额, not its synonym."""
    text = "全年全市技术合同登记成交额1,126.4亿元，同比增长23.7%，完成年度目标的112.6%；其中技术交易额468.5亿元。"
    where = sentence(text, REVIEW)
    figures = {f.raw: f for f in extract_figures(where)}
    part = figure_traits(figures["468.5亿元"], where, None)
    assert "技术合同登记成交额" in part.whole  # the whole ；-part before it, not only its last clause
    assert parts_told_apart(("技术交易额",), part) == ("技术交易额",)
    assert parts_told_apart(("技术合同成交额",), part) == ()
    whole = figure_traits(figures["23.7%"], where, None)
    assert not written_near("技术交易额", whole.contexts)


def test_a_part_narrowing_the_wholes_own_name_tells_nothing_apart() -> None:
    """ "登记技术合同…，成交额…，其中输出技术合同成交额": the whole is 技术合同成交额 written apart, the part 输出's."""
    text = "全年登记技术合同8,450项，成交额由2023年的352.8亿元增至428.7亿元，其中输出技术合同成交额312.4亿元。"
    assert parts_told_apart(("技术合同成交额",), traits_of(text, "312.4亿元")) == ()


@pytest.mark.parametrize(
    ("text", "raw", "group"),
    [
        ("云南白药、贵研铂业等一批龙头企业研发投入强度超过5%。", "超过5%", "龙头企业"),
        ("部分县（市）区研发投入强度仍低于1%。", "1%", "部分"),
        ("全市研发投入强度达到2.58%。", "2.58%", ""),
        ("新吴区、江阴市等地研发投入占比超过4%。", "超过4%", ""),  # 等地: places, each the city's own
    ],
)
def test_a_group_named_by_examples_or_some_of_them_is_no_city_figure(text: str, raw: str, group: str) -> None:
    where = sentence(text, REVIEW)
    traits = figure_traits(next(f for f in extract_figures(where) if f.raw == raw), where, None)
    assert traits.examples_of == group
    assert traits.counts_named_examples("研发强度多少") is bool(group)


@pytest.mark.parametrize(
    ("question", "fits"),
    [
        ("技术合同成交额增长多少", True),  # 成交额 names a money measure; its growth rate is what is asked
        ("技术合同成交额同比增长了多少", True),
        ("技术合同成交额增长了多少亿", False),  # money asked as money: the rate is no answer
        ("技术合同成交额是多少", False),  # no change asked
    ],
)
def test_the_growth_of_a_money_measure_is_a_rate_unless_money_is_asked(question: str, fits: bool) -> None:
    where = sentence("全年技术合同登记额1086.3亿元，同比增长32.7%。", REVIEW)
    growth = next(f for f in extract_figures(where) if f.raw == "32.7%")
    assert unit_fits(growth, analyze(question)) is fits


@pytest.mark.parametrize(
    ("question", "fits"),
    [
        ("规上工业企业研发活动覆盖率多少", False),  # a rate that stands at a level: no growth rate answers it
        ("研发强度是多少", False),
        ("研发费用支出增长了多少", True),
        ("研发活动覆盖率提高了多少", True),  # a change of the rate is asked
    ],
)
def test_a_rate_at_a_level_is_never_answered_by_a_growth_rate(question: str, fits: bool) -> None:
    where = sentence("全市规上工业企业研发费用支出385.4亿元，增长11.6%。", REVIEW)
    growth = next(f for f in extract_figures(where) if f.raw == "11.6%")
    assert unit_fits(growth, analyze(question)) is fits


@pytest.mark.parametrize(
    ("prefix", "measure_only"),
    [
        ("总数由2021年的37家增至", True),  # the earlier value a level rose from names nothing
        ("总数由2021年的", True),
        ("数量达", True),
        ("每万人口高价值发明专利拥有量由上年的14.9件提高到", False),  # names its own indicator
        ("新认定省级新型研发机构", False),
    ],
)
def test_a_measure_alone_names_nothing(prefix: str, measure_only: bool) -> None:
    assert names_only_a_measure(prefix) is measure_only


@pytest.mark.parametrize(
    ("text", "raw", "term"),
    [
        # the measure is of what the clause before names: 技术合同 + 成交额 is the word itself
        ("全年登记技术合同5862项，成交额达到186.35亿元。", "186.35亿元", "技术合同成交额"),
        ("全年新认定省级新型研发机构9家，总数由2021年的37家增至46家。", "46家", "新型研发机构"),
        # the funding of the projects named before ("省财政资助" names who paid, not what)
        ("获批省尖兵领雁研发攻关计划项目38项，争取省财政资助1.92亿元。", "1.92亿元", "尖兵"),
        # a measure alone, named in full by an earlier clause of its sentence
        (
            "技术合同成交额186.42亿元，同比增长52.6%，完成年度目标的124.3%，成交额较2020年的86.7亿元翻了一番多。",
            "86.7亿元",
            "技术合同成交额",
        ),
        # whose funds they are (市本级财政) names no other thing: the projects' funding
        ("全年组织实施市级科技计划项目286项，安排市本级财政资金1.26亿元。", "1.26亿元", "项目"),
    ],
)
def test_a_measure_takes_the_name_the_clause_before_gives(text: str, raw: str, term: str) -> None:
    where = sentence(text, REVIEW)
    found = next(f for f in extract_figures(where) if f.raw == raw)
    assert term_weight_in(term, figure_traits(found, where, None).contexts) == 1.0


@pytest.mark.parametrize(
    ("text", "raw", "induced"),
    [
        ("全市各类技术转移机构达到34家，全年促成技术交易额23.6亿元。", "23.6亿元", "促成"),  # no 技术合同成交额
        ("生物医药领域专项带动企业研发投入约4.2亿元。", "约4.2亿元", "带动"),  # not at the start: no total either
        ("全社会研发经费投入186.52亿元。", "186.52亿元", ""),
    ],
)
def test_an_amount_a_programme_brought_about_is_no_total(text: str, raw: str, induced: str) -> None:
    assert traits_of(text, raw).induced == induced


def test_the_words_before_an_aside_name_the_number_after_it() -> None:
    """ "闽侯县（含高新区）203家" is 闽侯县's — not a city-wide figure, and not 高新区's."""
    traits = traits_of("分县（市）区看，鼓楼区218家、仓山区176家、闽侯县（含高新区）203家。", "203家")
    assert traits.sub_areas == ("闽侯县",)


@pytest.mark.parametrize(
    ("text", "raw", "shared"),
    [
        ("观山湖区412家、贵阳高新区386家，观山湖区、贵阳高新区两地高企数量均突破380家。", "突破380家", True),
        ("观山湖区412家、贵阳高新区386家，观山湖区、贵阳高新区两地高企数量均突破380家。", "386家", False),
        ("人均研发经费达到12.5万元。", "12.5万元", False),  # 人均 is a per-head measure, not "each of"
    ],
)
def test_a_bound_several_places_share_is_no_exact_figure(text: str, raw: str, shared: bool) -> None:
    assert traits_of(text, raw).shared is shared


def test_a_latin_gloss_reads_inside_the_name() -> None:
    """ "研究与试验发展（R&D）经费投入80.62亿元": the gloss neither splits the name nor hides 研发经费 (R&D经费)."""
    where = sentence("2022年全市研究与试验发展（R&D）经费投入80.62亿元，同比增长9.8%。", REVIEW)
    found = next(f for f in extract_figures(where) if f.raw == "80.62亿元")
    assert term_weight_in("研发经费", figure_traits(found, where, None).contexts) == 1.0


def test_a_rate_after_a_level_takes_no_subject_from_the_clause_after_it() -> None:
    """ "营业收入4,730亿元，同比增长9.6%，高企研发投入占…比重超过70%": 9.6% is 营业收入's, never 研发投入's."""
    where = sentence(
        "全市高新技术企业全年实现营业收入4,730亿元，同比增长9.6%，高企研发投入占全市企业研发投入的比重超过70%。", REVIEW
    )
    found = next(f for f in extract_figures(where) if f.raw == "9.6%")
    assert term_weight_in("研发投入", figure_traits(found, where, None).contexts) < 0.5


def test_a_prior_value_is_named_by_the_level_it_borrows() -> None:
    """ "每万人口高价值发明专利拥有量达9.12件，较上年的7.44件": 7.44 is the same density a year before — per head, and
    not the 每万人口发明专利拥有量 a question without 高价值 asks."""
    traits = traits_of("每万人口高价值发明专利拥有量达9.12件，较上年的7.44件明显提高。", "7.44件")
    assert traits.per_head
    assert inserts_a_modifier("每万人口发明专利拥有量多少", ("每万人口", "发明专利", "拥有量"), traits.named_by)


@pytest.mark.parametrize(
    ("text", "raw", "flow"),
    [
        ("全年新增省级孵化器5家、省级众创空间11家。", "11家", True),  # the list's 新增 is every item's
        ("全年新认定（含重新认定）高新技术企业1,126家。", "1,126家", True),  # the words before the aside are its own
        ("全年新增省级新型研发机构9家，累计达到92家。", "92家", False),  # the total of the new ones is no flow
        ("全市累计拥有孵化器68家、众创空间142家。", "142家", False),
        ("全年组织申报高新技术企业1,023家。", "1,023家", True),  # the year's applications, no count of firms
    ],
)
def test_what_a_figure_counts_reads_through_lists_and_asides(text: str, raw: str, flow: bool) -> None:
    assert traits_of(text, raw).flow is flow


def test_the_total_of_the_new_ones_is_named_by_their_noun() -> None:
    """ "新增省级新型研发机构9家，累计达到92家": 92 is the 新型研发机构 there are, in its own words."""
    contexts = traits_of("全年新增省级新型研发机构9家，累计达到92家。", "92家").contexts
    assert term_weight_in("新型研发机构", contexts[:1]) == 1.0


@pytest.mark.parametrize(
    ("question", "terms", "own", "narrowed"),
    [
        ("研发强度多少", ("研发投入强度",), "科技小巨人企业研发投入强度平均超过", True),  # the 小巨人's, not the city's
        ("小巨人研发强度多少", ("小巨人", "研发投入强度"), "科技小巨人企业研发投入强度平均超过", False),
        ("减免企业所得税多少", ("企业", "所得税"), "全市落实重点科技创新政策减免企业所得税", False),  # a verb's object
        ("孵化器多少家", ("孵化器",), "全市科技企业孵化器达到", False),  # 孵化器 are counted, no measure of a group
    ],
)
def test_a_measure_of_a_group_is_not_the_citys(question: str, terms: tuple[str, ...], own: str, narrowed: bool) -> None:
    assert narrowed_to_a_group(question, terms, own) is narrowed


CORRIDOR = "走廊内集聚有效高企1,436家，占全市29.5%，汇聚了全市七成以上的研发平台。"


@pytest.mark.parametrize(
    ("text", "raw", "question", "part"),
    [
        (
            "走廊内集聚有效高企1,436家，占全市29.5%，汇聚了全市七成以上的研发平台。",
            "1,436家",
            "去年有效高企一共多少家",
            True,
        ),
        (
            "走廊内集聚有效高企1,436家，占全市29.5%，汇聚了全市七成以上的研发平台。",
            "1,436家",
            "走廊内有效高企多少家",
            False,
        ),
        # a share of another measure follows: the figure is the whole city's
        ("全市高企实现营业收入3126.5亿元，占全市规上工业营收的40%。", "3126.5亿元", "高企营收多少亿", False),
    ],
)
def test_a_count_followed_by_its_share_of_the_city_is_a_part(text: str, raw: str, question: str, part: bool) -> None:
    assert traits_of(text, raw, CITY_REPORT).counts_a_part_of_the_city(question, analyze(question).terms[-1]) is part


@pytest.mark.parametrize(
    ("text", "raw", "question", "named"),
    [
        # the whole writes 技术合同…成交额 apart: only 输出 sets the part apart
        (
            "全年登记技术合同8,450项，成交额由2023年的352.8亿元增至428.7亿元，其中输出技术合同成交额312.4亿元。",
            "312.4亿元",
            "24年技合额是多少",
            False,
        ),
        (
            "全年登记技术合同8,450项，成交额由2023年的352.8亿元增至428.7亿元，其中输出技术合同成交额312.4亿元。",
            "312.4亿元",
            "输出的技术合同成交额多少",
            True,
        ),
        # the whole is the level before its rates: 技术交易额 (a synonym of its name) does not name the part
        (
            "全年登记技术合同3,856项，成交额186.35亿元，同比增长42.7%，完成年度目标的124.2%，其中技术交易额92.6亿元。",
            "92.6亿元",
            "去年技术合同成交额是多少",
            False,
        ),
        # a synonym of the part's word names it (第一次认定 ← 首次认定)
        (
            "全年新认定（含重新认定）高新技术企业1,108家，完成省下达任务的110.8%，其中首次认定693家。",
            "693家",
            "去年高企里面第一次认定的有多少",
            True,
        ),
    ],
)
def test_what_sets_a_part_apart_is_named_by_the_question(text: str, raw: str, question: str, named: bool) -> None:
    traits = traits_of(text, raw)
    assert traits.subset is not None
    assert names_the_subset(analyze(question).terms, traits.subset[0], traits.whole) is named


def test_the_provinces_level_after_a_comparison_borrows_the_measure_named_before() -> None:
    """ "研发投入强度达到2.78%，较上年提高0.12个百分点，高于全省2.19%的平均水平": 2.19% is the province's 研发强度."""
    text = "2023年全市研发投入强度达到2.78%，较上年提高0.12个百分点，高于全省2.19%的平均水平。"
    traits = traits_of(text, "2.19%", CITY_REPORT)
    assert traits.wider_scopes == ("全省",)
    assert term_weight_in("研发投入强度", traits.contexts) >= 0.7  # borrowed, not a mere earlier clause


def test_a_share_of_a_whole_borrows_its_part_from_before() -> None:
    """ "财政科技支出52.8亿元，同比增长13.6%，占一般公共预算支出比重达到5.4%": 5.4% is 财政科技支出's share."""
    text = "全市财政科技支出52.8亿元，同比增长13.6%，占一般公共预算支出比重达到5.4%。"
    assert term_weight_in("财政科技支出", traits_of(text, "5.4%").contexts) >= 0.7


@pytest.mark.parametrize(
    ("text", "raw", "areas"),
    [
        ("组织实施市级重点研发计划项目186项，安排市财政资金2.36亿元。", "2.36亿元", ()),  # 市财政: the city's money
        ("市本级财政科技支出28.4亿元。", "28.4亿元", ()),
        ("宜兴市净增高企132家。", "132家", ("宜兴市",)),
        ("高新技术产业增加值占地区生产总值比重达到28.1%。", "28.1%", ()),  # 地区生产总值 is GDP
    ],
)
def test_the_citys_own_finance_names_no_district(text: str, raw: str, areas: tuple[str, ...]) -> None:
    assert traits_of(text, raw, CITY_REPORT).sub_areas == areas


def test_a_sentence_led_by_qizhong_states_parts_of_the_one_before() -> None:
    """ "…技术合同成交额达到186.3亿元。其中，向市外输出技术合同成交额112.7亿元": 112.7 is a part, named by 输出."""
    before = "全年登记技术合同4,826项，技术合同成交额达到186.3亿元，同比增长23.5%。"
    where = sentence("其中，向市外输出技术合同成交额112.7亿元，全市吸纳技术合同成交额142.5亿元。", REVIEW)
    part = figure_traits(next(f for f in extract_figures(where) if f.raw == "112.7亿元"), where, None, before)
    assert part.subset is not None
    assert not names_the_subset(("技术合同成交额",), part.subset[0], part.whole)
    assert names_the_subset(("输出", "技术合同成交额"), part.subset[0], part.whole)


@pytest.mark.parametrize(
    ("question", "own", "narrower"),
    [
        ("无锡现在独角兽企业几家", "潜在独角兽企业", True),  # a few of them, not all
        ("去年一共引进了多少高层次人才", "全职引进高层次人才近", True),
        ("孵化器有多少家", "其中国家级孵化器", True),
        ("国家级孵化器有多少家", "其中国家级孵化器", False),  # the question names the modifier itself
        ("高企有多少家", "全市有效高企", False),  # a stock word narrows nothing
        ("去年一共引进了多少高层次人才", "引进各类高层次人才", False),
        ("2021年外国人才同比增长了多少", "较2020年同期增长", False),  # 同期 before a verb narrows nothing
        ("22年技术合同成交额多少亿", "全市企业吸纳技术合同成交额", True),  # one direction of the trade
        ("吸纳技术合同成交额多少亿", "全市企业吸纳技术合同成交额", False),
        ("技术合同成交额多少亿", "向市外输出技术合同成交额", True),
        ("市级科技计划项目资金多少万", "实施农业领域市级科技计划项目", True),  # a field of them
    ],
)
def test_a_modifier_before_the_word_asked_narrows_it(question: str, own: str, narrower: bool) -> None:
    assert prefixes_a_modifier(question, analyze(question).weighted_terms, own) is narrower
