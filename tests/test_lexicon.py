"""Specification of the domain vocabulary (bot.lexicon): what BM25 and the coverage rules are fed."""

from __future__ import annotations

import pytest

from bot.lexicon import (
    add_report_names,
    content_terms,
    cut,
    expand,
    is_modifier,
    is_place_name,
    names_of_report,
    names_same_measure,
    place_words,
    report_names,
    sub_words,
    synonyms,
    tokenize,
    trailing_noun_phrase,
)


def test_expansion_adds_synonyms_and_the_words_they_are_written_with() -> None:
    """研发强度 reaches a sentence that writes 研发投入占 GDP 比重: its tokens never hold the phrase whole."""
    expanded = expand(["研发强度"])
    assert expanded[0] == "研发强度"
    assert "研发投入占gdp比重" in expanded
    sentence = set(tokenize("预计全社会研发投入占 GDP 比重达到 3.8%"))
    assert {"研发", "投入", "比重"} <= sentence & set(expanded)


def test_expansion_keeps_order_and_has_no_duplicates() -> None:
    expanded = expand(["高企", "科小", "高企"])
    assert expanded[:1] == ["高企"]
    assert len(expanded) == len(set(expanded))
    assert "高新技术企业" in expanded and "科技型中小企业" in expanded


def test_a_word_without_synonyms_expands_to_itself() -> None:
    assert synonyms("瞪羚") == ()
    assert expand(["瞪羚"]) == ["瞪羚"]


@pytest.mark.parametrize(("word", "modifier"), [("省级", True), ("国家级", True), ("市属", True), ("平台", False)])
def test_modifiers_narrow_a_noun(word: str, modifier: bool) -> None:
    assert is_modifier(word) is modifier


@pytest.mark.parametrize(("word", "place"), [("郑州", True), ("苏州", True), ("孵化器", False), ("全省", False)])
def test_a_city_is_a_place_name_not_a_thing_compared(word: str, place: bool) -> None:
    """ "去年全省技合额比郑州多多少": 郑州 names whose 技合额, not another indicator."""
    assert is_place_name(word) is place


def test_compounds_split_into_their_words() -> None:
    assert sub_words("外国高端人才") == ("外国", "高端", "人才")


def test_a_name_a_report_quotes_is_one_word() -> None:
    assert add_report_names(["全年“科技贷”累计投放386.7亿元，深入实施“龙城英才计划”"]) >= 0
    assert "科技贷" in cut("科技贷去年放了多少") and "龙城英才计划" in cut("龙城英才计划引进多少人")


def test_a_short_form_the_report_mostly_uses_as_a_common_word_is_no_place() -> None:
    """南昌's 新建区 would make 新建 a place, and "新建省重点实验室21家" a district's figure."""
    texts = ["新建区、进贤县分别新认定高企12家和9家", "新建省重点实验室21家", "新建新型研发机构5家"]
    found = names_of_report(texts)
    assert found["新建区"] == "ns" and "新建" not in found and found["进贤"] == "ns"
    dongguan = ["集中在松山湖高新区326家、长安镇281家", "长安、塘厦分别净增40家和32家"]
    assert {"长安", "松山湖"} <= set(names_of_report(dongguan))  # used as the places they are


def test_jiangbu_is_one_word() -> None:
    """奖补 (奖励和补助): "研发奖补资金" was cut 研发奖|补|资金 and found nothing."""
    assert "奖补资金" in cut("研发奖补资金平均每家企业拿了多少万")


def test_a_quoted_name_led_by_its_city_is_a_name_without_it_too() -> None:
    """Staff type 科创贷 for the report's "烟台科创贷": they know which city they are in."""
    found = report_names("全年“烟台科创贷”为368家企业发放贷款28.6亿元，“人才贷”惠及企业1,200家。")
    assert {"烟台科创贷", "科创贷", "人才贷"} <= set(found)
    assert "贷通" not in found  # a name no place leads is kept whole
    assert "湾英才" not in report_names("实施“台州湾英才”计划")  # the rest must start with a word
    assert "项目" not in report_names("坚持“引才”“引智”“项目”“团队”一体推进")  # everyday words are no names


def test_a_district_a_report_lists_is_one_place_word_with_its_short_form() -> None:
    """jieba cuts 新吴区 into 新/吴/区; listed with its figure, it is a place, and so is 新吴 (staff drop 区)."""
    found = report_names("从区域分布看，新吴区1,799家、江阴市1,128家，其中新吴区、江阴市分别净增132家和98家。")
    assert found["新吴区"] == "ns" and found["江阴市"] == "ns" and found["新吴"] == "ns"


def test_a_new_area_or_banner_of_four_characters_is_a_place() -> None:
    found = report_names("回民区83家，和林格尔新区46家，土默特左旗39家，托克托县27家。")
    assert {"和林格尔新区", "土默特左旗", "托克托县"} <= {n for n, tag in found.items() if tag == "ns"}


def test_towns_and_subdistricts_a_report_lists_are_places_with_their_short_forms() -> None:
    """Dongguan writes 镇 and 街道, and a zone named in three characters: "集中在松山湖高新区326家、长安镇281家…"."""
    found = report_names("新认定高企主要集中在松山湖高新区326家、长安镇281家、东城街道178家。")
    assert {"松山湖高新区", "松山湖", "长安镇", "长安", "东城街道", "东城"} <= set(found)


@pytest.mark.parametrize(
    "text",
    [
        "对全市1,536家企业开展评价",
        "支持在高1家",
        "全市12家、各区3家",
        "上述九个园区镇街合计1,710家",
        "获自治区科学技术奖12项、自治区级创新平台5家",  # the region itself
        "建立县区、开发区科技型中小企业入库工作责任清单",  # a verb and a kind of area
        "建设智慧社区3个、进园区服务企业120家",
    ],
)
def test_no_place_is_made_of_a_preposition_or_a_whole_city(text: str) -> None:
    assert not [name for name, tag in report_names(text).items() if tag == "ns"]


def test_a_question_names_places_below_the_city_only_by_place_words() -> None:
    add_report_names(["其中梁溪区、锡山区分别净增12家和9家。"])
    assert place_words("梁溪高企净增多少") == ("梁溪",)
    assert place_words("锡山区高企有多少家") == ("锡山区",)
    assert place_words("外籍人才最具吸引力城市十强") == ()  # 力城市 is no place


def test_an_abbreviation_finds_its_group_whatever_its_case() -> None:
    """Question tokens are lowercased; "gdp" is GDP, and a city's GDP is its 地区生产总值."""
    assert "地区生产总值" in synonyms("gdp") and "地区生产总值" in synonyms("GDP")


def test_a_place_right_after_a_listed_place_is_a_place_too() -> None:
    found = report_names("分区域看，高新区、天府新区高企数量分别为4,512家、1,206家。")
    assert found.get("天府新区") == "ns" and found.get("天府") == "ns"
    found = report_names("2024年，长沙县、浏阳市、宁乡市技术合同成交额分别达到68.3亿元、41.7亿元、35.2亿元。")
    assert found.get("宁乡市") == "ns" and found.get("宁乡") == "ns"  # after a 市 as after a 区
    found = report_names("分区域看，南昌高新区净增146家、红谷滩区78家、小蓝经开区52家、南昌县41家。")
    assert found.get("红谷滩") == "ns" and found.get("小蓝") == "ns"  # three characters without 区 as well as two


def test_a_place_whose_first_character_is_also_a_preposition_stays_whole() -> None:
    """ "经开区512家": jieba reads 经 as a preposition, but 开区 is no place, so the name is 经开区."""
    assert report_names("从区域分布看，郑东新区453家，经开区512家、中原区338家。").get("经开区") == "ns"


def test_a_quoted_name_wins_over_a_dictionary_word_through_it() -> None:
    """jieba knows 贷放; once a report quotes “科技贷”, "科技贷放了" is 科技贷 + 放 (科技贷款 stays 科技 + 贷款)."""
    add_report_names(["深化“科技贷”业务，全年为362家科技型企业发放贷款18.47亿元。"])
    assert "科技贷" in cut("去年科技贷放了多少亿")
    assert cut("科技贷款多少")[:2] == ["科技", "贷款"]


def test_a_zone_named_after_its_town_is_learned_with_its_short_form() -> None:
    """ "小蓝经开区52家": staff write 小蓝; a place followed by 净增 is listed too."""
    found = report_names("分区域看，南昌高新区净增146家、青山湖区59家、小蓝经开区52家、南昌县41家。")
    assert found.get("小蓝经开区") == "ns" and found.get("小蓝") == "ns" and found.get("南昌高新区") == "ns"


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("累计达1,860家，科技小巨人企业", "科技小巨人企业"),
        ("全市落实重点科技创新政策减免企业", "企业"),  # a verb ends the phrase: 减免 names no firms
    ],
)
def test_the_nouns_that_end_a_text(text: str, phrase: str) -> None:
    assert trailing_noun_phrase(text) == phrase


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("有效高企总数达6,512家", "有效高新技术企业总数达6,512家"),  # an abbreviation, word by word
        ("登记技术合同13 245项，成交额684.5亿元", "技术合同成交额684.5亿元"),  # a measure inside a longer name
        ("力争高企突破7000家", "高新技术企业力争突破7000家"),  # a synonym
        ("技术合同成交额增长15%以上", "推动技术合同成交额增长15%以上"),
    ],
)
def test_two_phrases_naming_one_measure(a: str, b: str) -> None:
    assert names_same_measure(a, b) and names_same_measure(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("新建未来产业创新中心3家", "新建海外离岸创新中心3家"),  # one word shared is not the same thing
        ("规上工业企业研发费用增长10%以上", "市本级财政科技支出增长10%以上"),
        ("2022 年争取布局 10 家", "新建新型研发机构10家"),
        ("净增412家", "有效高新技术企业总数达4,186家"),  # no noun of its own: says of what elsewhere
    ],
)
def test_phrases_sharing_a_number_but_not_what_it_counts(a: str, b: str) -> None:
    assert not names_same_measure(a, b)


def test_a_noun_ending_in_a_particle_character_stays_whole() -> None:
    """综合 and 指数 end in 合 and 数 (stripped off "高企数"), yet are words: never 综 or 指, never dropped."""
    terms = [t for t, _ in content_terms("综合科技创新水平指数")]
    assert "综合" in terms and "指数" in terms
    assert [t for t, _ in content_terms("高企数")] == ["高企"]  # a particle is still cut off a longer token


def test_a_level_of_zone_is_no_place() -> None:
    """ "国家级高新区1家、省级高新区5家": kinds of zone; learned as places, 省级 became a place word."""
    assert not [n for n, tag in report_names("全市现有国家级高新区1家、省级高新区5家。").items() if tag == "ns"]


def test_kinds_of_area_are_no_places() -> None:
    """ "…南陵县32家，各县市区、开发区均实现正增长": 南陵县 is a place, 县市区 and 开发区 are kinds of area."""
    assert {n for n, tag in report_names("南陵县32家，各县市区、开发区均实现正增长").items() if tag == "ns"} == {
        "南陵县",
        "南陵",
    }


def test_a_name_a_report_taught_is_searched_by_its_pieces_too() -> None:
    """A report tokenized before another one quoted “创新券” holds 创新|券: the search looks for both forms."""
    add_report_names(["全年发放“创新券”3,000万元。"])
    searched = expand(["创新券"])
    assert searched[0] == "创新券" and {"创新", "券"} <= set(searched)
