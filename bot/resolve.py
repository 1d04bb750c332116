"""Which figures (or sentences) answer a question — and when none does.

Refusals never rest on one similarity score (e5 cosine separates answerable
from unanswerable questions poorly). A figure answers only when

* every indicator word of the question is found near it (IDF-weighted
  coverage ≥ MIN_COVERAGE: a word the report never uses, like 常住人口 or
  无锡, pulls coverage down),
* its year is the year asked (a 2022 target never answers a 2021 question),
* its kind fits (target vs actual, growth vs level, share, rank), and
* its unit fits the unit asked (多少家 vs 多少亿元 vs 百分之几).

Scores: coverage 0…1 (higher = more of the question found near the figure);
``score`` adds small bonuses from dense similarity and retrieval rank.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from bot.index import Index
from bot.lexicon import (
    CJK_RUN,
    PLACE_SUFFIXES,
    content_terms,
    cut,
    is_modifier,
    is_narrowing_word,
    place_words,
    sub_words,
    synonyms,
    trailing_noun_phrase,
)
from bot.models import CLAUSE_COMMA, SEGMENT_BREAK, DocumentMeta, Figure, FigureKind, PeriodKind, Sentence
from bot.understand import GENERIC_HEAD, Op, Query, UnitClass, head_unit, names_a_level_rate

MIN_COVERAGE = 0.72  # share of the question's indicator weight that must be found near a figure (0…1)
MIN_FACT_COVERAGE = 0.7  # the same for a sentence answering a non-numeric question
MIN_FACT_COVERAGE_TOP_HIT = 0.5  # … when that sentence is also the retriever's best hit (paraphrased questions)
PARTIAL_CHAR_SHARE = 0.6  # a word not found whole counts partly when ≥ this share of its characters is nearby
PARTIAL_CREDIT = 0.4  # … and then counts at most this much of its weight
DECOMPOSED_CREDIT = 0.9  # a compound found as its parts, apart (外国 … 高端人才)
NEAR_MISS_CREDIT = 0.3  # a compound found with a modifier inside (独角兽培育企业 for 独角兽企业): another indicator
FOCUS_WEIGHT = 0.2  # share of the question found in the figure's own segment: 含今年公示数 157 家 for 公示
KIND_BONUS = 0.25  # the figure is the kind the wording asks for (增幅 → growth rate, 排名 → rank)
TARGET_WITHOUT_ASKING_PENALTY = 0.05  # a plan figure for a question that names no year and no target word
DENSE_WEIGHT = 0.25  # weight of the clause cosine (−1…1) in the figure score
RETRIEVAL_WEIGHT = 0.1  # weight of the sentence's retrieval rank (1 for the best, → 0)
CUMULATIVE_PENALTY = 0.08  # a running total answers a plain question only when nothing else fits
# A figure about one district of the city ("新北区有效高企 1490 家") answers a question naming that district;
# for any other question it ranks below the city's own figure (score, higher = better)
SUB_AREA_PENALTY = 0.3
# "观山湖区、贵阳高新区两地高企数量均突破380家": a bound each of several shares ranks below an exact figure
SHARED_BOUND_PENALTY = 0.3
_SHARED = re.compile(r"(?<![人平户])均(?![值衡])|皆")  # not 人均/平均 (a per-head measure), not 都 (成都)
# "国家级孵化器有几家", "高企的几倍": how many there are, so a year's new ones ("新增…5 家", "新认定 2316 家") rank
# below the stock ("总数达到 118 家", "有效…9012 家") unless the question asks for new ones (score, higher = better)
FLOW_PENALTY = 0.1
_LEVEL_ASKED = re.compile(r"(年底|年末)[^，,。？?]{0,12}(达到|能到|会有|有多少)|总数|总量")
_STOCK_NAMED = re.compile(r"有效|现有|存量")  # "前年有效高企多少家": a stock, when nothing else is asked of it
_LEAD_WORDS = re.compile(r"^(?:(?:19|20)\d{2}\s*年|全年|今年|当年|计划|力争|确保|争取|全市)+")
FLOW_PENALTY_STOCK_ASKED = 0.3  # … and more when the question says it wants the stock ("总数", "现有", "一共有")
STOCK_FOR_FLOW_PENALTY = 0.3  # a total or stock when the question asks the year's new ones (score units)
STOCK_BONUS = 0.15  # a figure whose own words state a stock ("总数达", "累计", "有效") when the question asks one
_STOCK_ASKED = re.compile(r"总数|总量|总共|一共|共有|现有|存量|拥有|有效|现在|目前|当前")
STOCK_STATED = re.compile(r"总数|总量|总计|合计|累计|共有|拥有|存量|有效|已为|已有|已达")
# a year's new ones (申报: the year's applications)
FLOW_WORDS = re.compile(r"新增|新认定|通过认定|首次认定|新引进|新建|新设|新获批|新入选|新培育|申报")
# a place's name holds no 全/年/本/该/各 ("全年全市" is no place called 年全市) and starts with no 家/级 (国家高新区);
# …地区 is a region or GDP's 地区生产总值 ("占地区生产总值比重"), no district
_SUB_AREA = re.compile(
    r"(?<![全本该])(?![家级])(?:(?![全年本该各])[\u4e00-\u9fff]){2,3}(?:(?<!地)区|县|市)(?![场长民委政级属财本])"
    r"|(?<![全本该各乡城小])(?:(?![全年本该各乡城小])[\u4e00-\u9fff]){2}(?:镇|街道)(?![街区])"
)
# how much a word found in each place near the figure counts (1 = in the figure's own segment)
W_SEGMENT = 1.0
W_CLAUSE = 0.9
MISSING_MODIFIER_CAP = 0.5  # coverage ceiling when the question's narrowing word (省级) is nowhere near its head
MIN_HEAD_CHARS = 2  # a head noun a modifier can narrow (人才, 新型研发机构); verbs (净增) are not nouns anyway
BORROWING_KINDS = frozenset({FigureKind.GROWTH, FigureKind.COMPLETION, FigureKind.RANK, FigureKind.MULTIPLE})
META_CONTEXTS = 2  # heading path and report names close every figure's context list
W_PREVIOUS = 0.8  # earlier clauses up to the one naming the subject, when the figure borrows it ("净增 1402 家")
W_PREVIOUS_OWN_SUBJECT = 0.55  # earlier clauses when the figure names its own subject ("有效高企数达到 12000 家")
W_DECAY = 0.02  # each clause further back counts this much less while the subject is borrowed
W_MIN = 0.45  # a word found only with less weight than this counts as missing
W_TOPIC = 0.6  # the first clause of the figure's ；-part ("今年以来沪苏合作…，…，合同金额 97.5 亿元")
W_QUOTED_TOPIC = 0.8  # … when it names a programme in quotes ("深化“科技贷”业务，…发放贷款18.47亿元")
W_SECTION = 0.55  # heading path of the sentence
W_DOCUMENT = 0.9  # report title, city, issuer: "苏州" is about every figure of a Suzhou report
W_FOLLOWING = 0.35  # text after the figure's clause
W_PREVIOUS_SENTENCE = 0.7  # the sentence before, for a sentence of places and numbers only ("分区看，思明…分别达到")
W_NEXT_SUBJECT = 0.8  # the next clause, when the figure borrows its subject and that clause names one

# kinds that a question naming them (增速, 排名, 完成…目标的, 占比, 净增) must get, not a neighbour of another kind
STRICT_KINDS = frozenset(
    {FigureKind.GROWTH, FigureKind.RANK, FigureKind.COMPLETION, FigureKind.SHARE, FigureKind.INCREMENT}
)
SAME_INDICATOR_MARGIN = 0.1  # coverage this close to the best: the same indicator, so period and kind decide
CHANGE_KINDS = frozenset({FigureKind.GROWTH, FigureKind.INCREMENT})
UNIT_CLASSES: dict[str, UnitClass] = {"元": UnitClass.MONEY, "美元": UnitClass.MONEY, "%": UnitClass.PERCENT}
UNIT_CLASSES |= {"‰": UnitClass.PERCENT, "个百分点": UnitClass.POINTS, "倍": UnitClass.MULTIPLE, "名": UnitClass.RANK}
# the figure units that answer a question's count unit ("几个" is spoken for anything countable)
COUNT_UNIT_GROUPS: dict[str, frozenset[str]] = {
    "家": frozenset({"家", "个", "所", "户"}),
    "人": frozenset({"人", "名", "位", "人次"}),
    "项": frozenset({"项", "个", "件"}),
    "场": frozenset({"场", "次", "个"}),
    "所": frozenset({"所", "家", "个"}),
    "年": frozenset({"年"}),
}
_BREAKS = re.compile(rf"[，；;。！？!?：:]|{CLAUSE_COMMA}")
# where a figure's clause ends: a break, or an aside naming a part of it ("26 人、其中国家级人才 14 人")
_BREAKS_OR_ASIDE = re.compile(rf"[，；;。！？!?：:（(]|、(?=其中|含|包括)|{CLAUSE_COMMA}")
_SEGMENT_BREAKS = re.compile(SEGMENT_BREAK)


def unit_class(unit: str) -> UnitClass:
    return UNIT_CLASSES.get(unit, UnitClass.COUNT)


Contexts = tuple[tuple[str, float], ...]  # (text near a figure, how much a word found there counts)


@dataclass(frozen=True)
class Scored:
    figure: Figure
    sentence: Sentence
    coverage: float
    score: float
    missing: tuple[str, ...]
    other_area: bool = False  # the figure is a district's the question does not name ("长沙高新区…2,315家")
    narrower: bool = False  # its own words count another noun after the question's ("孵化器毕业企业")
    measures_another: bool = False  # … or an amount of another thing ("研发投入后补助资金", "瞪羚企业…营业收入增速")


@dataclass
class Resolution:
    """The outcome for a lookup: the chosen figure, or why there is none and what is closest."""

    best: Scored | None
    nearest: Scored | None = None
    reason: str = ""  # why nothing answers: "indicator" | "period" | "kind" | "unit" | ""
    candidates: list[Scored] = field(default_factory=list)
    admissible: list[Scored] = field(default_factory=list)  # every figure that passes, best first


def document_frequency(index: Index, term: str) -> int:
    """Sentences holding ``term``, as a jieba token or anywhere in their text (memoized per index)."""
    df = index.token_df.get(term)
    if df is None:
        df = index.substring_df.get(term)
        if df is None:
            df = sum(1 for s in index.sentences if term in s.text)
            index.substring_df[term] = df
    return df


def idf(index: Index, term: str) -> float:
    """Inverse document frequency over sentences; a word the reports never use gets the maximum."""
    n = max(len(index.sentences), 1)
    df = document_frequency(index, term)
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


_SUBSET = re.compile(r"^(其中|含|包括)")
_SUBSET_INSIDE = re.compile(r"其中|含|包括")  # a list of parts ("其中获评高企 87 家、科小 222 家") shares its whole
_QUOTES = re.compile(r"[\s“”\"‘’'《》「」]")
_NOISE = "[数的之类各个]?"  # characters a report may slip inside a name: 有效数高企数 ~ 有效高企
_OWN_SUBJECT_STRIP = re.compile(
    r"(探索|举办|成立|打造|推进|加强|开展|组织|实施|争取|力争|确保|计划|布局|培育|引进|新建|建设|遴选|认定|举办|推荐|立项|入选|提供|解决|设立|开展|征集|摸排|服务|支持"
    r"|投入|获得|承担|授权|集聚|衍生|孵化|签署|达成|完成|实现|募资|出资|投资|落实|减免|享受|登记|上报|全年|今年|当年"
    r"|翻了?[一两二三四]?番"
    r"|首次|已经|已|累计|共|达到|达|为|约|超过|超|了|有|净增|新增|同比|较上年|比上年|比去年|较去年|上一年|上年|去年|同期|增长|增幅"
    r"|增速|提高|提升|下降|减少|增加|扩大|放大|相比|较|比|位列|位居|排名|连续|(19|20)\d{2}\s*年|占(全省|全国|全市)?的?"
    r"|全省|全国|全市)"
)
_GENERIC_NOUNS = re.compile(
    r"^[^\u4e00-\u9fff]*(企业|项目|人才|机构|单位|人员|人|家|个|项|总额|总量|总数|数量|金额|规模|数|额|经费|资金)"
    r"[^\u4e00-\u9fff]*$"
)
# the earlier value a level rose from ("总数由2021年的37家增至46家"): no words of what is measured
_RISES_TO = r"(?:增至|增加到|增加至|增长到|增长至|提高到|提高至|提升到|提升至|上升到|上升至|扩大到|扩大至|达到)"
_PRIOR_VALUE = re.compile(
    rf"由(?:[^，,；;。]{{0,12}}?[\d.,]+[^\d，,；;。]{{0,3}}?{_RISES_TO}|(?:(?:19|20)\d{{2}}\s*年|上年|去年)?[底末]?的?$)"
    r"|在[^，,；;。]{0,20}?的?基础上"  # "在2023年净增506家的基础上再净增412家"
    r"|(?:比|较)(?:(?:19|20)\d{2}\s*年|上年|去年)[底末]的?$"  # "…6,927件，比2023年末的5,812件增加…"
)
MEASURE_OF_BEFORE = re.compile(
    r"^[^\u4e00-\u9fff]*[\u4e00-\u9fff]{0,3}(金额|总额|经费|资金|资助|补助|奖补|规模|额)[^\u4e00-\u9fff]*$"
    # "…计划项目286项，安排市本级财政资金1.26亿元": the funding of what the clause before counts, from whom said
    r"|^[^\u4e00-\u9fff]*(?:安排|下达|拨付|投入|落实)?(?:市本级|本级|市级|省级|区级|县级)?财政(?:科技)?(?:专项)?(?:资金|经费)"
    r"[^\u4e00-\u9fff]*$"
)
_MEASURE_SUFFIX = re.compile(r"(总额|总数|总量|数量|额|量|数)$")  # 贷款额 ~ 贷款: the measure word is often left out
# words between the parts of a compound that make it a predicate, not a narrower name: 产业(预计实现)产值
_PREDICATE_GAP = re.compile(r"预计|实现|达到|完成|累计|共|已|为|有|超过|达|\d")
MAX_MODIFIER_GAP = 3  # characters: a longer gap between a compound's parts is not a modifier


_GLOSS = re.compile(r"[（(]([a-z&＆]{1,10})[）)]")  # "研究与试验发展（r&d）经费": the gloss reads inside the name


# the statistics' full name of R&D, with or without its gloss: "研究与试验发展（R&D）经费投入" is R&D经费投入
_RND_FULL_NAME = re.compile(r"研究与试验发展(?:\s*[（(]\s*r&d\s*[）)])?")


def _clean(text: str) -> str:
    text = _RND_FULL_NAME.sub("r&d", _QUOTES.sub("", text).lower())
    return _GLOSS.sub(r"\1", text) if "（" in text or "(" in text else text


# "…比重达到38.6%，上年这一比重仅为20.1%": the same measure of what was named before
_POINTS_BACK = re.compile(
    r"^\s*(?:上年|上一年|去年|同期)?(?:这一?|该|此|同一)(?:比重|比例|占比|指标|数字|数据|数量|规模|比率)"
)
# "强度达到7.31%，…，连续多年居全省第1位": where the level before ranks
_RANK_OF_BEFORE = re.compile(r"^\s*(?:连续[^，,；;。\d]{0,4})?(?:居|位居|位列|排名|排|稳居|保持)(?:全省|全国|全市|第)")
# "成交额86.45亿元，完成年度目标的108.1%，同比增长42.8%": the 目标 is the amount's own
_COMPLETION_OF_BEFORE = re.compile(r"^\s*(?:超额)?完成了?(?:年度|全年|全年度|省下达|市下达)?(?:目标|任务|计划)")


def has_own_subject(segment_prefix: str, subset_borrows: bool = True) -> bool:
    """Does the segment name what it measures ("有效高企数达到"), or borrow it ("净增", "争取布局")?

    "其中高端人才" names a subset of the clause before: it borrows when it is the figure's own
    segment (``subset_borrows``), and ends the chain of borrowing when it is an earlier clause.
    """
    if re.match(r"^(其中|含|包括)", segment_prefix):
        return not subset_borrows
    if any(lead.match(segment_prefix) for lead in _LEADS_OF_BEFORE):
        return False  # a clause about what was named before: its wider scope's level, share, rank, completion
    # "服务企业" names no indicator: 企业 alone is not a subject
    rest = _GENERIC_NOUNS.sub("", _subject_words(segment_prefix))
    if MEASURE_OF_BEFORE.match(rest):
        return False  # "合同金额 97.5 亿元": the amount of what the clause before names
    return len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 2


_MEASURE_ONLY = re.compile(r"^[^\u4e00-\u9fff]*(总额|总量|总数|数量|金额|规模|经费|资金|数|额)[^\u4e00-\u9fff]*$")


def without_prior_value(segment_prefix: str) -> str:
    """A figure's own words without the earlier value it rose from ("由…增至", "在…的基础上")."""
    return _PRIOR_VALUE.sub("", segment_prefix)


def _subject_words(segment_prefix: str) -> str:
    """A figure's own words without its verbs, time words and the earlier value it rose from: what they name."""
    return _OWN_SUBJECT_STRIP.sub("", _PRIOR_VALUE.sub("", segment_prefix))


def names_only_a_measure(segment_prefix: str) -> bool:
    """Do a figure's own words name a measure and no thing ("总数由2021年的37家增至", "数量达")?"""
    return bool(_MEASURE_ONLY.match(_subject_words(segment_prefix)))


def _prefix_of_first_number(clause: str) -> str:
    match = re.search(r"\d|第[一二三四五六七八九十]|[一二两三四五六七八九十]+倍", clause)
    return clause[: match.start()] if match else clause


# A figure's contexts and how well a word is found in them never change after load: every question
# that retrieves the figure again reuses them (three quarters of a slow question's CPU was recomputing them).
CONTEXT_CACHE_SIZE = 50_000  # figures whose contexts are kept (≈ 2 KB each; the seed has 109)
TERM_WEIGHT_CACHE_SIZE = 50_000  # (word, figure contexts) pairs kept (≈ 150 B each)


_CJK_CHARS = re.compile(r"[\u4e00-\u9fff]")
_RESPECTIVELY = "分别"
_LIST_JOINER = re.compile(r"、|以及|和|及|与")
# an amount a programme drew in or brought about ("带动企业研发投入21.6亿元", "技术转移机构…促成技术交易额23.6亿元")
_INDUCED = re.compile(r"带动|撬动|吸引|拉动|促成")
# a density the report must state (每万人口…拥有量), never a total: the population behind it is not in the report
_DENSITY = re.compile(r"每[万千百]人|万人")
# a per-head figure (a density, or per person) is another indicator than the total
_PER_CAPITA = re.compile(rf"{_DENSITY.pattern}|每人|人均|户均")
_QUOTED = re.compile(r"“[^”]{2,16}”|\"[^\"]{2,16}\"")
_BREAKDOWN_LEAD = re.compile(r"^\s*(?:(?:从|分|按)[\u4e00-\u9fff]{0,6}看|其中|具体来看|分区域)[，,：:]?")
_ASIDE = re.compile(r"（[^（）]*）|\([^()]*\)")
_LIST_LEAD = re.compile(r"^(其中|包括|含|全市|全年|(?:19|20)\d{2}\s*年(?:底|末)?)+")
_DIGIT = re.compile(r"\d")
MIN_SHARED_TAIL_CHARS = 2  # "技术开发、…、技术咨询合同成交额": a shared noun after the last name, at least this long


@lru_cache(maxsize=8192)
def respective_own(text: str, start: int) -> str | None:
    """The i-th name with the i-th number of "A、B、C…分别…x、y和z" for the number at ``start``, or None.

    "新吴区、江阴市分别净增132家和98家" → 98 家 is "江阴市净增98家"; "技术开发、技术转让合同成交额分别为
    612.4亿元、98.1亿元" → 98.1 亿元 is "技术转让合同成交额为98.1亿元": the last name carries the noun the
    names share. None unless the names and the numbers are as many, so a loose 分别 changes nothing.
    """
    left = max((m.end() for m in _BREAKS.finditer(text, 0, start)), default=0)
    right_match = _BREAKS.search(text, start)
    clause = text[left : right_match.start() if right_match else len(text)]
    at, here = clause.find(_RESPECTIVELY), start - left
    if at < 0 or at > here:
        return None
    named = clause[:at]
    if not _LIST_JOINER.search(named) and left > 0:
        # "瑞安、乐清、温州湾新区新认定高企数量居前三位，分别达到268家、255家、172家": the names end the clause before
        before = max((m.end() for m in _BREAKS.finditer(text, 0, left - 1)), default=0)
        previous = text[before : left - 1]
        if "、" in previous and not _DIGIT.search(previous):
            named = previous + named
    # "湘江新区（不含长沙高新区）": an aside says what a name covers, it is no name of the list
    names = [n for n in _LIST_JOINER.split(_LIST_LEAD.sub("", _ASIDE.sub("", named))) if n]
    values_text = clause[at + len(_RESPECTIVELY) :]
    offset = at + len(_RESPECTIVELY)
    first_digit = _DIGIT.search(values_text)
    if first_digit is None:
        return None
    predicate = values_text[: first_digit.start()]
    cuts = [0, *(m.end() for m in _LIST_JOINER.finditer(values_text, first_digit.start()))]
    values = [values_text[a:b] for a, b in itertools.pairwise([*cuts, len(values_text)])]
    if len(names) < 2 or len(names) != len(values) or not all(_DIGIT.search(v) for v in values):
        return None
    position = max(i for i, cut in enumerate(cuts) if offset + cut <= here)
    last, others = names[-1], names[:-1]
    typical = sum(map(len, others)) / len(others)
    if len(last) - typical >= MIN_SHARED_TAIL_CHARS:
        bounds = list(itertools.accumulate(len(word) for word in cut(last)))[:-1]
        if bounds:
            # a place's whole name ("温州湾新区" + 新认定高企…), else the length of the other names
            places = [b for b in bounds if last[:b].endswith(PLACE_SUFFIXES)]
            split = places[0] if places else min(bounds, key=lambda b: abs(b - typical))
            names[-1], tail = last[:split], last[split:]
            return names[position] + tail + predicate + _LIST_JOINER.sub("", values[position]).removeprefix(predicate)
    return names[position] + predicate + _LIST_JOINER.sub("", values[position]).removeprefix(predicate)


def document_names(meta: DocumentMeta | None) -> str:
    """What names a report as a whole: its title, city and issuer."""
    return f"{meta.title} {meta.city} {meta.issuer}" if meta is not None else ""


def figure_contexts(figure: Figure, sentence: Sentence, meta: DocumentMeta | None, before: str = "") -> Contexts:
    """:func:`_contexts` as a tuple (computed once per figure, through :func:`figure_traits`)."""
    return tuple(_contexts(figure, sentence, meta, before))


def sentence_before(index: Index, sentence: Sentence) -> str:
    """The text of the sentence before ``sentence`` in its paragraph ("" for a paragraph's first).

    When a list of figures in ``sentence`` adds up to one figure before it, only that figure's part: "新认定…
    1,086家…；全市有效高新技术企业达到3,215家…。从区域分布看，南岗区862家、…其余区县合计526家" breaks down the
    3,215, not the 新认定.
    """
    before = index.before_text.get(sentence.id)
    if before is None:  # (asked for every candidate figure of every question: worked out once per sentence)
        before = index.before_text[sentence.id] = _sentence_before(index, sentence)
    return before


def _sentence_before(index: Index, sentence: Sentence) -> str:
    row = index.sentence_row[sentence.id]
    if row == 0:
        return ""
    previous = index.sentences[row - 1]
    if previous.doc_id != sentence.doc_id or previous.paragraph != sentence.paragraph:
        return ""
    whole = breakdown_whole(index, sentence)
    if whole:
        return whole
    earlier = index.sentences[row - 2] if row >= 2 else None
    if (
        earlier is not None
        and (earlier.doc_id, earlier.paragraph) == (sentence.doc_id, sentence.paragraph)
        and _PARTS_SENTENCE.match(previous.text)
        and names_nothing_but_places(_prefix_of_first_number(sentence.text))
    ):
        # "…技术合同成交额412.36亿元…。其中，技术开发合同…。从县（市、区）看，温岭市、临海市…分别达到68.5亿元…":
        # the places break down the whole the parts sentence is of, not one of its parts
        return earlier.text + previous.text
    return previous.text


def breakdown_whole(index: Index, sentence: Sentence) -> str:
    """The words of the figure a sentence's list adds up to, stated up to a few sentences before in its paragraph
    ("…达到1,326家…。全省…。从区域分布看，宜昌高新区318家、…，合计1,326家" → "全市有效高新技术企业达到1,326家"),
    or ""."""
    totals = _list_totals(index.figures_by_sentence.get(sentence.id, []), sentence.text)
    row = index.sentence_row.get(sentence.id) if totals else None
    for back in range(1, MAX_BREAKDOWN_REACH + 1) if row is not None else ():
        earlier = index.sentences[row - back] if row - back >= 0 else None
        if earlier is None or earlier.doc_id != sentence.doc_id or earlier.paragraph != sentence.paragraph:
            break
        for figure in index.figures_by_sentence.get(earlier.id, []):
            if (figure.unit, figure.value) in totals:
                start = max((m.end() for m in _PART_BREAK.finditer(earlier.text, 0, figure.start)), default=0)
                return earlier.text[start : figure.end]
    return ""


_PART_BREAK = re.compile(r"[；;。]")
MIN_LISTED_PARTS = 3  # figures in one run of a list before their sum is taken as the whole they break down
MAX_BREAKDOWN_REACH = 3  # sentences back in the paragraph where the whole a list adds up to is looked for
# "…，合计1,326家": the list's own total, no part of it (but "其余区县合计526家" is the rest, a part)
_TOTAL_LEAD = re.compile(r"(?:^|[，,；;、])(?:[^，,；;、其]{0,6})(?:合计|共计|总计)\s*$")


def _list_totals(figures: Sequence[Figure], text: str) -> set[tuple[str, Decimal]]:
    """The sums of each run of same-unit counts or amounts between ；/。 in a sentence (unit, value), and the total
    a run states of itself ("合计1,326家")."""
    runs: dict[tuple[int, str], list[Decimal]] = {}
    stated: set[tuple[str, Decimal]] = set()
    for figure in figures:
        # (the rest summed counts too: "…，其余区县合计526家")
        if figure.unit and figure.unit not in ("%", "倍") and figure.kind in (FigureKind.ACTUAL, FigureKind.CUMULATIVE):
            part = len(_PART_BREAK.findall(text, 0, figure.start))
            if _TOTAL_LEAD.search(text, 0, figure.start) and len(runs.get((part, figure.unit), [])) >= MIN_LISTED_PARTS:
                stated.add((figure.unit, figure.value))
                continue
            runs.setdefault((part, figure.unit), []).append(figure.value)
    sums = {(unit, sum(values)) for (_, unit), values in runs.items() if len(values) >= MIN_LISTED_PARTS}
    return sums | stated


def names_nothing_but_places(head: str) -> bool:
    """Does a sentence's text before a figure name no indicator, only places ("分区看，思明、湖里、集美分别达到")?"""
    rest = _BREAKDOWN_LEAD.sub("", _ASIDE.sub("", head))  # "分县（市）区看，…"
    places = place_words(rest)
    for place in places:
        rest = rest.replace(place, "")
    rest = _LISTED_ZONE.sub("", rest)  # "综改示范区、" no dictionary knows: a zone, for the list it leads
    if not places and not _SUB_AREA.search(rest):
        return False  # "2021 年…" or nothing before the number: no breakdown by place
    rest = "".join(_CJK_CHARS.findall(_OWN_SUBJECT_STRIP.sub("", _SUB_AREA.sub("", rest)).replace("分别", "")))
    # "南昌高新区、红谷滩区…入库数分别达到": a measure of what the sentence before counts names nothing of its own
    return len(rest) < 2 or bool(_LISTED_MEASURE.fullmatch(rest))


_LISTED_ZONE = re.compile(r"(?:^|(?<=[、，,]))[\u4e00-\u9fff]{1,5}?(?:区|县|市|镇)(?=[、和及与])")
_LISTED_MEASURE = re.compile(r"[\u4e00-\u9fff]{0,2}?(?:总额|总量|总数|数量|金额|规模|数|额|量)")


# Scopes wider than a report's own: a city's report states a province's or the country's figure only
# where it names that scope at the figure ("占全省的 1/3"), never by the word elsewhere in the sentence.
# 全区 is the autonomous region's (广西, 内蒙古…) in a city's report, which says 全市 of itself.
CITY_WIDER_SCOPES = ("全省", "全区", "省内", "区内", "全国", "国内", "全球", "世界")
PROVINCE_WIDER_SCOPES = ("全国", "国内", "全球", "世界")
_SHARE_LEAD = re.compile(r"\s*(?:约|仅|已|均|分别)?占")
# a wider scope's level the city's is compared with, written right after the comparison word
_COMPARED_SCOPE = re.compile(
    rf"^\s*(?:但|仍|但仍|还|也|均)?(?:远|明显|略)?(?:高于|低于|超过|超出|领先于?|落后于?|好于|与|同|和|较|比|是)(?:{'|'.join(CITY_WIDER_SCOPES)})(?:平均)?"
    r"(?:水平)?[（(]?\s*$"  # "远高于全省平均水平（2.32%）", "与全省平均水平（2.48%）的差距进一步缩小"
)
# clauses that name no subject of their own but what the clause before named: "…，高于全省2.19%的平均水平",
# "…，上年这一比重仅为20.1%", "…，占全市…的比重达到38.6%", "…，居全省第1位", "…，完成年度目标的108.1%"
_LEADS_OF_BEFORE = (_COMPARED_SCOPE, _POINTS_BACK, _SHARE_LEAD, _RANK_OF_BEFORE, _COMPLETION_OF_BEFORE)
_WIDER = "|".join(CITY_WIDER_SCOPES)
# a scope that leads a 、-list ("同期全省研发经费投入5,082.6亿元、研发投入强度3.58%") is every item's
_LIST_HEAD_SCOPE = re.compile(rf"\s*(?:同期|同年|而|但)?({_WIDER})")
_LIST_LEFT = re.compile(r"[，；;。！？!?：:（(]")
_NAMES_A_SCOPE = re.compile(rf"{_WIDER}|全市|本市|我市")
_PART_BREAKS = re.compile(r"[；;。！？!?]")
_CLAUSE_COMMAS = re.compile(r"[，,]")
# a clause led by a wider scope ("2024年全省高新技术产业…"), not by a rank or first of it (全省第一, 全国首个)
_CLAUSE_LEAD_SCOPE = re.compile(
    rf"\s*(?:(?:19|20)\d{{2}}\s*年(?:底|末)?|截至[^，,]{{0,6}}?[底末]|同期|同年|而|但)*({_WIDER})"
    r"(?!第|排名|排|前列|首|唯一|率先|领先|平均)"
)


def _list_item(text: str, seg_left: int) -> tuple[int | None, str]:
    """Where the 、-list holding the segment at ``seg_left`` starts (None when it is no later item of one), and the
    segment's own text."""
    seg_right = _SEGMENT_BREAKS.search(text, seg_left)
    own = text[seg_left : seg_right.start() if seg_right else len(text)]
    if seg_left == 0 or text[seg_left - 1] != "、":
        return None, own
    return max((m.end() for m in _LIST_LEFT.finditer(text, 0, seg_left)), default=0), own


_OWN_VERB = re.compile(FLOW_WORDS.pattern + r"|达到|达|为|突破|超过|增长|增加|净增|累计|拥有|获批|建成|引进|培育|实现")
_LIST_HEAD_FLOW = re.compile(r"\s*(?:(?:19|20)\d{2}\s*年|全年|今年|当年|年内|共|累计)*(" + FLOW_WORDS.pattern + ")")


def list_flow(text: str, seg_left: int) -> str:
    """The flow word (新增, 新认定…) a 、-list's first item leads with, for a later item that has none ("")."""
    list_left, own = _list_item(text, seg_left)
    head = _LIST_HEAD_FLOW.match(text, list_left) if list_left is not None else None
    return head.group(1) if head and not _OWN_VERB.search(own) else ""


def list_scope(text: str, seg_left: int) -> str:
    """The wider scope a figure's words inherit when they name none of their own ("").

    * a 、-list's first item names it for every item: "（同期全省研发经费投入5,082.6亿元、研发投入强度3.58%）";
    * a clause that leads with it names it for the clauses after it in the ；-part, until one names a scope of
      its own: "2024年全省高新技术产业增加值占…比重达39.8%，规模以上工业企业中有研发活动的企业占比达45.6%，我市…".
    """
    list_left, own = _list_item(text, seg_left)
    if _NAMES_A_SCOPE.search(own):
        return ""
    if list_left is not None and (head := _LIST_HEAD_SCOPE.match(text, list_left)):
        return head.group(1)
    part_left = max((m.end() for m in _PART_BREAKS.finditer(text, 0, seg_left)), default=0)
    starts = [part_left, *(m.end() for m in _CLAUSE_COMMAS.finditer(text, part_left, seg_left))]
    for start in reversed(starts):  # the nearest clause first
        if lead := _CLAUSE_LEAD_SCOPE.match(text, start):
            return lead.group(1)
        if _NAMES_A_SCOPE.search(text[start:seg_left]):
            return ""  # a nearer clause names a scope of its own (我市…)
    return ""


def _contexts(
    figure: Figure, sentence: Sentence, meta: DocumentMeta | None, before: str = ""
) -> list[tuple[str, float]]:
    """Texts around a figure with how much a word found there counts; the figure's own segment first.

    ``before``: the paragraph's previous sentence, which names what a sentence of places alone counts.
    """
    text = sentence.text
    seg_left = max((m.end() for m in _SEGMENT_BREAKS.finditer(text, 0, figure.start)), default=0)
    if seg_left > 0 and text[seg_left - 1] in "（(" and not text[seg_left : figure.start].strip():
        # "占全省有效高企（7.56万家）的": a number alone in an aside is what the words before it name
        seg_left = max((m.end() for m in _SEGMENT_BREAKS.finditer(text, 0, seg_left - 1)), default=0)
    own_head = list_flow(text, seg_left)  # "全年新增省级孵化器5家、省级众创空间11家": 11 are new ones too
    if seg_left > 0 and text[seg_left - 1] in "）)":
        # "闽侯县（含高新区）203家", "全年新认定（含重新认定）高新技术企业1,126家": the words before an aside and after
        # it are one name (the aside's 高新区 is not 203's place)
        opening = max(text.rfind("（", 0, seg_left), text.rfind("(", 0, seg_left))
        head_left = max((m.end() for m in _SEGMENT_BREAKS.finditer(text, 0, opening)), default=0)
        own_head = text[head_left:opening] if opening >= 0 else ""
    clause_left = max((m.end() for m in _BREAKS.finditer(text, 0, figure.start)), default=0)
    right_match = _BREAKS_OR_ASIDE.search(text, figure.end)  # "907 家（其中…87 家）": the aside is not 907's
    clause_right = right_match.start() if right_match else len(text)
    seg_right_match = _SEGMENT_BREAKS.search(text, figure.end)
    seg_right = seg_right_match.start() if seg_right_match else len(text)
    clause = text[clause_left:clause_right]
    if "、" in clause and has_own_subject(text[seg_left : figure.start]) and not _SUBSET_INSIDE.search(clause):
        # "遴选瞪羚企业350家、认定独角兽培育企业150家": each listed figure names its own subject, so
        # the other items' words are not this figure's (150 家 is no answer for 瞪羚企业)
        own = text[seg_left:seg_right]
        clause = "、".join(item for item in clause.split("、") if item == own or not re.search(r"\d", item))
    contexts = [(list_scope(text, seg_left) + own_head + text[seg_left:seg_right], W_SEGMENT), (clause, W_CLAUSE)]
    paired = respective_own(text, figure.start)
    if paired is not None:  # "新吴区、江阴市分别净增132家和98家": 98 家 is 江阴市's, not 新吴区's
        contexts = [(paired, W_SEGMENT), (paired, W_CLAUSE)]
    # Earlier clauses: a figure that does not name its subject ("较上年增长 35.48%") inherits it from
    # the nearest clause that does, through any subject-less clauses between; after that, little.
    # a rate, rank or completion share is always about the level named before it
    # "66 家市级新型研发机构…": a number written first names its subject right after it, borrowing nothing
    after = _prefix_of_first_number(text[figure.end : seg_right])
    names_after = not text[seg_left : figure.start].strip() and has_own_subject(after, subset_borrows=False)
    own_subject = has_own_subject(text[seg_left : figure.start]) or names_after
    # a rate, rank or completion share borrows the level named before it, unless it names its own subject
    # ("科技型中小企业入库突破1.1万家；技术合同成交额增长8%": 8% is 技术合同成交额's)
    own_words = _OWN_SUBJECT_STRIP.sub("", text[seg_left : figure.start])
    for place in (meta.city if meta is not None else "", *place_words(own_words)):
        own_words = own_words.replace(place, "") if place else own_words
    # "贷款规模较2023年翻一番", "无锡位列全国第16位": a measure word or a place names no indicator of its own
    names_no_indicator = bool(MEASURE_OF_BEFORE.match(own_words)) or len(_CJK_CHARS.findall(own_words)) < 2
    always = figure.kind in (FigureKind.COMPLETION, FigureKind.RANK)  # 完成年度目标的…, 位居全国第…: the level's
    # "财政科技支出52.8亿元，…，占一般公共预算支出比重达到5.4%": a share names its whole, the part is before it
    always = always or (figure.kind is FigureKind.SHARE and bool(_SHARE_LEAD.match(text[seg_left : figure.start])))
    borrowing = not own_subject or always or (figure.kind in BORROWING_KINDS and names_no_indicator)
    borrows = borrowing
    bounds = [0, *(m.end() for m in _BREAKS.finditer(text, 0, clause_left))]
    part_start = max((m.end() for m in re.finditer("[；;]", text[:clause_left])), default=0)
    weight = W_PREVIOUS
    named_before = False  # a level before the figure in its ；-part names what it borrows
    for left, right in reversed(list(itertools.pairwise(bounds))):
        clause = text[left:right]
        here = max(weight, W_PREVIOUS_OWN_SUBJECT) if borrowing else W_PREVIOUS_OWN_SUBJECT
        if left == part_start:
            here = max(here, W_TOPIC)  # the first clause of a ；-part sets the topic of what follows
            if _QUOTED.search(clause):  # "深化“科技贷”业务，全年为362家企业发放贷款18.47亿元": the programme's
                here = max(here, W_QUOTED_TOPIC)
        contexts.append((clause, here))
        weight -= W_DECAY
        prefix = _prefix_of_first_number(clause)
        if borrowing and has_own_subject(prefix, subset_borrows=False) and not _SUBSET.match(prefix):
            borrowing = False  # "其中高端人才" names a part of the clause before it: keep borrowing once more
            named_before = left >= part_start and bool(_DIGIT.search(clause))
    if figure.unit and _BASE_YEAR_ASIDE.search(text, 0, figure.start):
        # "全市有效高新技术企业2,386家，净增412家，比2020年（1,085家）翻了一番多": the aside is the same measure in
        # the year compared with, named as the level before it in its unit
        for clause in reversed(_BREAKS.split(text[: figure.start])[:-1]):
            number = re.search(rf"\d[\d,.]*\s*[万亿]?\s*{re.escape(figure.unit)}", clause)
            if number and has_own_subject(clause[: number.start()], subset_borrows=False):
                contexts.append((clause, W_CLAUSE))
                break
    if _COMPARED_SCOPE.match(text[seg_left : figure.start]):
        # "研发投入强度达到3.02%，…，首次突破3%，但仍低于全省3.20%的平均水平": the wider scope's level of the measure
        # named at length a few clauses before, however many clauses come between
        for clause in reversed(_BREAKS.split(text[:seg_left])[:-1]):
            prefix = _prefix_of_first_number(clause)
            if has_own_subject(prefix) and _names_at_length(prefix):
                contexts.append((clause, W_PREVIOUS))
                break
    following = text[clause_right:]
    measure_of_before = bool(MEASURE_OF_BEFORE.match(_OWN_SUBJECT_STRIP.sub("", text[seg_left : figure.start])))
    rate_of_level_before = figure.kind is FigureKind.GROWTH and named_before  # "营业收入4,730亿元，同比增长9.6%"
    if borrows and not measure_of_before and not rate_of_level_before and not following.startswith(("；", ";", "。")):
        # "净增 1402 家，有效数高企数达到 11155 家": a change often names its subject in the next clause
        next_clause = _BREAKS.split(following.lstrip("，,；;"), maxsplit=1)[0]
        # …never a part named next ("同比增长9.6%，其中市级科技专项资金由…增加到…": 9.6% is the whole's)
        part_next = bool(_SUBSET.match(next_clause))
        if not part_next and has_own_subject(_prefix_of_first_number(next_clause), subset_borrows=False):
            contexts.append((next_clause, W_NEXT_SUBJECT))
    only_a_measure = measure_of_before or names_only_a_measure(text[seg_left : figure.start])
    a_level = borrows and figure.kind in (FigureKind.ACTUAL, FigureKind.CUMULATIVE)
    if (only_a_measure or a_level) and 0 < clause_left == seg_left:
        prev_left = max((m.end() for m in _BREAKS.finditer(text, 0, clause_left - 1)), default=0)
        previous = text[prev_left:clause_left]
        named = _prefix_of_first_number(previous)
        if FLOW_WORDS.search(named) and figure.unit and figure.unit in previous[len(named) :]:
            # "新增省级新型研发机构9家，累计达到92家", "新认定…9家，总数由…增至46家": the total of the new ones'
            # noun — its name, without 新增
            contexts[0] = (FLOW_WORDS.sub("", _LEAD_WORDS.sub("", named)) + contexts[0][0], W_SEGMENT)
        elif only_a_measure and has_own_subject(named, subset_borrows=False):
            # "登记技术合同5862项，成交额达到186.35亿元": the measure of what the clause before names, as one word
            contexts.append((named + contexts[0][0], W_SEGMENT))  # found, but not in its own words (focus)

    measure = _OWN_SUBJECT_STRIP.sub("", text[seg_left : figure.start]).strip("的 ")
    if 0 < clause_left == seg_left and MEASURE_OF_BEFORE.match(measure):
        # "技术合同成交额186.42亿元，同比增长…，完成…，成交额较2020年的86.7亿元翻了一番多": the measure named in
        # full by an earlier clause of the sentence
        named_in_full = next(
            (
                prefix
                for prefix in map(_prefix_of_first_number, reversed(_BREAKS.split(text[:clause_left])))
                if prefix.endswith(measure) and len(prefix) > len(measure)
            ),
            "",
        )
        if named_in_full:
            contexts.append((named_in_full, W_SEGMENT))
    if before and names_nothing_but_places(_prefix_of_first_number(text[: figure.start])):
        # "截至年底，全市有效高新技术企业达到5,012家…。从区域分布看，高新区、金水区…分别达到1,286家、868家…"
        contexts.append((before, W_PREVIOUS_SENTENCE))
    contexts.append((following, W_FOLLOWING))
    # the last two contexts are always the heading path and the report's own names (META_CONTEXTS)
    contexts.append((" ".join(sentence.section_path), W_SECTION))
    contexts.append((document_names(meta), W_DOCUMENT))
    return [(_clean(t), w) for t, w in contexts]


@lru_cache(maxsize=8192)
def _form_patterns(term: str) -> tuple[re.Pattern[str], ...]:
    forms = (term, *synonyms(term))
    return tuple(re.compile(_NOISE.join(re.escape(c) for c in _clean(f))) for f in forms if _clean(f))


def _best_weight(term: str, contexts: Sequence[tuple[str, float]]) -> float:
    best = 0.0
    for text, weight in contexts:
        if weight > best and any(p.search(text) for p in _form_patterns(term)):
            best = weight
    return best


def _modifier_inside(text: str, parts: tuple[str, ...]) -> bool:
    """Are the parts of a compound in ``text`` in order with a short modifier between (独角兽[培育]企业)?

    A longer gap, or one holding a verb or number, is a predicate (产业[预计实现]产值), not a narrower name.
    """
    found = [_first_form(text, p) for p in parts]  # a part through its synonyms too: 研发[奖补]资金 for 研发经费
    if any(f is None for f in found):
        return False
    spans = [f for f in found if f is not None]
    if [a for a, _ in spans] != sorted(a for a, _ in spans):
        return False
    gaps = [text[end:start] for (_, end), (start, _) in itertools.pairwise(spans)]
    return any(
        0 < len(g) <= MAX_MODIFIER_GAP and not _PREDICATE_GAP.search(g) and not _PROGRAMME_GAP.fullmatch(g)
        for g in gaps
    )


# "省“双创计划”人才" for 双创人才: the first word names a programme (计划, 工程), whose 人才 they are — no narrower kind
_PROGRAMME_GAP = re.compile(r"计划|工程|行动|专项")


def _first_form(text: str, term: str) -> tuple[int, int] | None:
    """Where ``term`` or a synonym of it first occurs in ``text``: (start, end), or None."""
    matches = [m for p in _form_patterns(term) if (m := p.search(text))]
    return min(((m.start(), m.end()) for m in matches), default=None)


@lru_cache(maxsize=TERM_WEIGHT_CACHE_SIZE)
def term_weight_in(term: str, contexts: Contexts) -> float:
    """How well ``term`` (a synonym, or its parts) is found near a figure: 0…1.

    Whole word (noise characters allowed inside) → the context's weight. A
    compound whose parts are found apart (外国 … 其中高端人才 for 外国高端人才)
    → most of it. Parts found in the figure's own segment with a modifier in
    between (独角兽…培育…企业 for 独角兽企业) name a different indicator → little.
    """
    best = _best_weight(term, contexts)
    if best >= W_SEGMENT:
        return best
    bare = _MEASURE_SUFFIX.sub("", term)
    if bare != term and len(bare) >= 2:
        best = max(best, _best_weight(bare, contexts))
    parts = sub_words(term) if len(term) >= 3 else []
    if len(parts) >= 2:
        inserted = any(_modifier_inside(text, parts) for text, weight in contexts if weight >= W_PREVIOUS_OWN_SUBJECT)
        if not inserted:  # parts found apart, each near the figure (not merely later in the sentence)
            near = [c for c in contexts[:-META_CONTEXTS] if c[1] >= W_PREVIOUS_OWN_SUBJECT]
            weights = [_best_weight(p, near) for p in parts]
            if min(weights) > 0:
                best = max(best, DECOMPOSED_CREDIT * sum(weights) / len(weights))
        else:
            best = max(best, NEAR_MISS_CREDIT)
    if best > 0 or len(term) < 2:
        return best
    chars = [c for c in term if "\u4e00" <= c <= "\u9fff"]
    if chars:
        near = contexts[0][0] + contexts[1][0]
        share = sum(1 for c in chars if c in near) / len(chars)
        if share >= PARTIAL_CHAR_SHARE:
            best = PARTIAL_CREDIT * share
    return best


def subset_clauses(figure: Figure, sentence: Sentence) -> tuple[str, str] | None:
    """(subset clause, the clause before it) when a figure is about a part ("其中高端人才 1020 人，同比增长 13.1%").

    The figure's own segment, or — for a figure that borrows its subject — the clause before it,
    starts with 其中/含/包括: what it measures is that part, not the whole named earlier.
    """
    text = sentence.text
    bounds = [0, *(m.end() for m in _BREAKS.finditer(text, 0, figure.start))]
    own = text[bounds[-1] : figure.start].strip()
    if _SUBSET.match(own):
        before = text[bounds[-2] : bounds[-1]] if len(bounds) > 1 else ""
        return own, before
    borrows = figure.kind in BORROWING_KINDS or not has_own_subject(own)
    if borrows and len(bounds) > 1:
        previous = text[bounds[-2] : bounds[-1]].strip("，,；; ")
        if _SUBSET.match(previous):
            before = text[bounds[-3] : bounds[-2]] if len(bounds) > 2 else ""
            return previous, before
    return None


def _whole_of(text: str, subset: tuple[str, str]) -> str:
    """The clause before a part with, when it borrows its subject ("累计达86家"), the clauses it borrows from."""
    part, whole = subset
    end = text.rfind(part)
    start = text.rfind(whole, 0, end) if whole else -1
    if start < 0:
        return whole
    if whole.rstrip().endswith(("；", ";")):
        # "技术合同登记成交额1,126.4亿元，…，完成年度目标的112.6%；其中技术交易额468.5亿元": after a ； the part
        # is of the whole ；-part before it, whose first clause names it
        part_start = max((m.end() for m in _PART_BREAK.finditer(text, 0, start)), default=0)
        return text[part_start : start + len(whole)]
    bounds = [0, *(m.end() for m in _BREAKS.finditer(text, 0, start))]
    taken = whole
    for left, right in reversed(list(itertools.pairwise([*bounds, start]))):
        # "成交额186.35亿元，同比增长42.7%，完成年度目标的124.2%，其中技术交易额…": a rate of the level names
        # no whole of its own (年度目标 is what it is measured against)
        if not _RATE_OF_LEVEL.match(taken) and has_own_subject(_prefix_of_first_number(taken), subset_borrows=False):
            break
        taken = text[left:right] + taken
    return taken


_RATE_OF_LEVEL = re.compile(r"\s*(?:完成|超额完成|同比|较上年|比上年|较去年|比去年|占)")


@lru_cache(maxsize=CONTEXT_CACHE_SIZE)
def _item_of_whole(whole: str, part: str) -> str:
    """The item of a listed whole a part belongs to: "孵化器68家、众创空间142家，其中国家级孵化器12家" — 12家's whole
    is the 孵化器 item (众创空间 is not its word); the whole list when the part names no noun of one item alone."""
    items = whole.split("、")
    if len(items) < 2:
        return whole
    nouns = [term for term, weight in content_terms(part) if weight >= 1.0 and not is_modifier(term)]
    matching = [item for item in items if any(noun in item for noun in nouns)]
    return matching[0] if len(matching) == 1 else whole


def names_the_subset(terms: tuple[str, ...], subset: str, whole: str) -> bool:
    """Does the question name what sets the part apart (高端 of 其中高端人才), not only the whole?"""
    subset, whole = _clean(subset), _clean(whole)
    for term in terms:
        names = (term, *synonyms(term))
        # 第一次认定 names 其中首次认定 — but a synonym of the whole's own name (技术交易额 where the whole says
        # 技术合同成交额) names the whole
        names_whole = any(name in whole or _written_apart(name, whole) for name in names)
        for part in (*(names if not names_whole else (term,)), *sub_words(term)):
            # "全年登记技术合同8,450项，成交额…428.7亿元，其中输出技术合同成交额312.4亿元": the whole names
            # 技术合同成交额 in its words, so only 输出 sets the part apart
            if part in subset and part not in whole and not _written_apart(part, whole):
                return True
    return False


def _written_apart(term: str, text: str) -> bool:
    """Is a compound written in the text as its words apart ("登记技术合同…，成交额…" for 技术合同成交额)?"""
    words = sub_words(term)
    return len(words) > 1 and all(w in text for w in words)


def parts_told_apart(terms: Sequence[str], traits: FigureTraits) -> tuple[str, ...]:
    """The question's words this figure's report states as a part of a synonym of theirs.

    "技术合同登记成交额1,126.4亿元…；其中技术交易额468.5亿元": most reports use 技术交易额 for the whole, this
    one for a part of it, so here a 技术交易额 question is answered only where 技术交易额 is written.
    """
    if traits.subset is None or traits.sub_areas:
        return ()  # "其中，海宁市技术交易额52.3亿元": a place's share of the whole, no narrower measure
    part, whole = _clean(traits.subset[0]), _clean(traits.whole)
    return tuple(
        term
        for term in terms
        if term in part
        and term not in whole
        # "登记技术合同…，成交额…，其中输出技术合同成交额…": the whole writes the term apart, the part narrows it
        and not _written_apart(term, whole)
        # "全年登记技术合同5,812项，成交额136.8亿元" names 技术合同成交额 in its words
        and any(_clean(other) in whole or _written_apart(other, whole) for other in synonyms(term))
    )


def written_near(term: str, contexts: Contexts) -> bool:
    """Is the word itself (not a synonym) written where the figure's own words are?"""
    return any(term in text for text, weight in contexts[:-META_CONTEXTS] if weight >= W_PREVIOUS_OWN_SUBJECT)


def wider_scope_elsewhere(terms: tuple[str, ...], contexts: Contexts, meta: DocumentMeta | None) -> bool:
    """Does the question ask about a wider scope than the report's that the figure's own clause does not name?"""
    provincial = meta is not None and ("省" in meta.city or ("省" in meta.issuer and "市" not in meta.issuer))
    wider = PROVINCE_WIDER_SCOPES if provincial else CITY_WIDER_SCOPES
    asked = [t for t in terms if t in wider]
    own = "".join(text for text, _ in contexts[:2])
    return any(scope not in own for scope in asked)


def _before_figure(segment: str, figure: Figure) -> str:
    """A figure's own segment (cleaned, as in its contexts) up to the number: the words that name it."""
    raw = _clean(figure.raw)
    return segment[: segment.find(raw)] if raw in segment else segment


NARROWER_GROUP_PENALTY = 0.1  # "在本地转化的技术合同成交额1,182.36亿元" for a question about 技术合同额 itself
_QUALIFIER_WORDS = re.compile(r"[\u4e00-\u9fff]{2,}")


def narrowed_by_a_clause(segment: str, figure: Figure, query: Query) -> bool:
    """Does the figure count a group narrowed by a clause the question lacks ("营业收入超过1亿元的高新技术企业",
    "在本地转化的技术合同成交额")? Then it is a part of what the question asks about, not the whole of it."""
    before = _before_figure(segment, figure)
    for term, weight in query.weighted_terms:
        if weight < 1.0:
            continue
        for pattern in _form_patterns(term):
            found = pattern.search(before)
            if found is None or not before[: found.start()].endswith("的"):
                continue
            qualifier = _OWN_SUBJECT_STRIP.sub("", before[: found.start() - 1])
            words = [w for w in _QUALIFIER_WORDS.findall(qualifier) if w not in query.text]
            return bool(words)
    return False


# "我市14家国家级孵化器获评优秀", "在12家市属科研院所和新型研发机构推开": a count written before its noun and
# followed by what those ones did counts the ones that did it, not all of them
_COUNTED_FOR = re.compile(
    r"^[^，,；;。]{1,16}?(获评|获得|荣获|入选|通过|参加|参与|承担|推开|试点|落地|获批|被评为|被认定为|纳入|列入|入驻|进驻)"
)
_COUNT_LEAD = re.compile(r"^(?:我市|全市|本市|全年|年内|当年|在|有|共|对|为)*$")


_SOME_OF = re.compile(r"(?<![大小绝])部分(?![子])")  # "部分县（市）区": some of them (not 大部分, 部分子…)
# "云南白药、贵研铂业等一批龙头企业": a group named by examples, then the word that names it
_EXAMPLES = re.compile(r"、[^、，,；;。]{1,12}等(?:一批|一大批|多家|数家|[\d一二两三四五六七八九十百]+家)?")


def _group_of_examples(clause: str) -> str:
    """The word right after a list of examples (龙头企业 of "…等一批龙头企业"), or 部分: what the figure is about."""
    if _SOME_OF.search(clause):
        return "部分"  # "部分县（市）区研发投入强度仍低于1%": some of them, not the city
    found = _EXAMPLES.search(clause)
    if found is None:
        return ""
    words = cut(clause[found.end() :])
    return words[0] if words and len(words[0]) >= MIN_HEAD_CHARS else ""  # not 地 of "…等地": places


def _what_the_counted_did(text: str, figure: Figure) -> str:
    """The verb after a count written before its noun ("14家国家级孵化器获评…" → 获评), or ""."""
    left = max((m.end() for m in _BREAKS.finditer(text, 0, figure.start)), default=0)
    if not _COUNT_LEAD.match(text[left : figure.start].strip()):
        return ""
    done = _COUNTED_FOR.match(text[figure.end :])
    return done.group(1) if done else ""


# what a figure counts or measures when its own words go past the question's noun: "孵化器毕业企业312家" counts
# 企业, "研发投入后补助资金1.26亿元" measures 资金
_COUNTED_HEADS = re.compile(
    r"企业|项目|人才|人员|团队|机构|平台|载体|专利|成果|产品|合同|资金|补助|补贴|奖补|奖励|基金|收入"
)
_MEASURED_HEADS = re.compile(r"资金|补助|补贴|奖补|奖励|基金|收入")
_AFTER_HEAD_FILLER = re.compile(r"数量|总数|数|总额|金额|额|规模|总量|量|累计|共|达到|达|为|突破|超过|约|新增|净增")


@lru_cache(maxsize=TERM_WEIGHT_CACHE_SIZE)
def counts_another_head(own: str, head: str) -> bool:
    """Do the figure's own words name the question's noun and then count another one after it ("孵化器毕业企业")?"""
    own = _clean(own)
    # "研发投入后补助资金" for 研发经费 (研发投入 is a synonym)
    head = next((form for form in map(_clean, (head, *synonyms(head))) if form and form in own), "")
    if not head:
        return False
    at = own.rfind(head)
    after = _AFTER_HEAD_FILLER.sub("", own[at + len(head) :])
    found = _COUNTED_HEADS.search(after)
    # (right after it, the noun only completes the question's word: 高端 + 人才 is 高端人才)
    return found is not None and found.start() > 0 and found.group(0) not in head


@lru_cache(maxsize=TERM_WEIGHT_CACHE_SIZE)
def measures_another_head(own: str, head: str, terms: tuple[str, ...], money_asked: bool) -> bool:
    """Do the figure's own words name the question's noun and then an amount of something the question does not
    name: "瞪羚企业平均营业收入增速" measures 收入, "研发投入后补助资金" a subsidy (while "…产品为2,846家科技企业
    提供贷款" lends, and "高企营业收入" asks the 收入)? A question asking an amount (多少万) and naming none of
    its own ("研发奖补平均一家多少万") asks whatever the amount is called."""
    if money_asked and not any(head_unit(t)[0] is UnitClass.MONEY for t in terms):
        return False
    own = _clean(own)
    head = next((form for form in map(_clean, (head, *synonyms(head))) if form and form in own), "")
    if not head:
        return False
    # from the last word of the question's there ("知识产权质押融资金额": 金额 completes 融资, not 知识产权)
    ends = [own.rfind(word) + len(word) for word in (head, *map(_clean, terms)) if word and word in own]
    end = max(ends)
    found = _MEASURED_HEADS.search(own, end)
    if found is None or found.group(0) in head or found.start() == end:
        return False  # (right after it, the word only completes the question's: 后补助 + 资金)
    asked = "".join(form for term in terms for form in (term, *synonyms(term)))
    return found.group(0) not in asked


_GROUP_BEFORE = re.compile(r"(?:企业|机构|高校|院所)的?$")
_NOT_A_GROUP = frozenset({"企业", "机构", "全市", "我市", "本市", "全社会", "各类", "市级", "全年"})


@lru_cache(maxsize=TERM_WEIGHT_CACHE_SIZE)
def narrowed_to_a_group(question: str, terms: tuple[str, ...], own: str) -> bool:
    """Do the figure's own words name a group right before the asked indicator that the question does not?

    "科技小巨人企业研发投入强度平均超过6%" is the 小巨人's, not the city's 研发强度; "全市企业研发投入" names no
    group narrower than the city's firms.
    """
    own = _clean(own)
    for term in terms:
        if head_unit(term)[0] not in (UnitClass.PERCENT, UnitClass.MONEY):
            continue  # a measure of a group (强度, 经费); "科技企业孵化器" names no group of 孵化器
        at = min((m.start() for p in _form_patterns(term) if (m := p.search(own))), default=-1)
        if at <= 0 or not _GROUP_BEFORE.search(own[:at]):
            continue
        group = trailing_noun_phrase(own[:at].rstrip("的"))
        words = [w for w in cut(group) if len(w) >= 2 and w not in _NOT_A_GROUP]
        named = any(w in question for w in (*words, group, *synonyms(group)))
        named = named or any(len(t) >= 2 and t != term and t in group for t in terms)  # 小巨人 of 科技小巨人企业
        if words and not named:
            return True
    return False


def inserts_a_modifier(question: str, terms: Sequence[str], own: str) -> bool:
    """Do the figure's own words put a narrowing word between two words the question writes together?

    "每万人口发明专利拥有量" asks another indicator than "每万人口高价值发明专利拥有量" (a few times larger);
    the words alone are all found, so only their order with the inserted 高价值 tells them apart. A stock word
    (有效, 累计) inside narrows nothing: 有效高企 are the 高企.
    """
    asked = _clean(question)
    for first, second in itertools.permutations(terms, 2):
        if first + second not in asked:
            continue
        at = own.find(first)
        while at >= 0:
            start = at + len(first)
            gap_end = own.find(second, start, start + MAX_MODIFIER_GAP + len(second))
            gap = own[start:gap_end] if gap_end > start else ""
            narrows = CJK_RUN.fullmatch(gap) and not STOCK_STATED.search(gap) and is_narrowing_word(gap)
            if narrows and gap not in asked:
                return True
            at = own.find(first, at + 1)
    return False


_SUM_OF_TWO = re.compile(r"(?:和|与|及|以及)(?P<other>[\u4e00-\u9fff]{2,12}?)(?:合计|共计|总计)\s*$")


def sums_another(own: str, terms: Sequence[str]) -> bool:
    """Do the figure's own words add another thing the question does not ask to what it asks ("在孵企业中高新
    技术企业和科技型中小企业合计405家" for "高企一共多少家")?"""
    found = _SUM_OF_TWO.search(_clean(own))
    if found is None:
        return False
    other = found.group("other")
    return not any(form in other for term in terms for form in (_clean(term), *map(_clean, synonyms(term))))


_FIELD_WORD = "领域"


def prefixes_a_modifier(question: str, weighted_terms: Sequence[tuple[str, float]], own: str) -> bool:
    """Do the figure's own words put a narrowing word the question does not write before a thing it asks, with
    at most words of the question between ("潜在独角兽企业46家" for "独角兽企业几家", "全职引进高层次人才近400人"
    for "引进了多少高层次人才")? Only before the question's nouns: "较2020年同期增长30.1%" narrows nothing."""
    asked = _clean(question)
    for term in (t for t, weight in weighted_terms if weight >= 1.0):
        at = own.find(term)
        words = cut(own[:at]) if at > 0 else []
        while words and words[-1] in asked and len(words[-1]) > 1:  # "全职|引进|高层次人才": 引进 is asked too
            words.pop()
        last = words[-1] if words else ""
        # "农业领域市级科技计划项目41项": a field of them, as 潜在 or 全职 is a kind of them
        narrowing = is_narrowing_word(last) or last == _FIELD_WORD
        if CJK_RUN.fullmatch(last) and last not in asked and not STOCK_STATED.search(last) and narrowing:
            return True
    return False


FLOW_REACH = 32  # characters of a figure's own segment read for 新增/新认定 (the words that name it)


def names_a_flow(contexts: Contexts) -> bool:
    """Does the figure's own segment count a year's new ones ("新认定…4,126家"), not how many there are?"""
    return bool(FLOW_WORDS.search(contexts[0][0][:FLOW_REACH]))


# a district the reports never list is still a place when the question writes it whole ("鄠邑区高企有多少家")
_DISTRICT_ASKED = re.compile(  # not "三个区", "这两县"
    r"(?<![全本各该每])(?![一二两三四五六七八九十几这那每各])[\u4e00-\u9fff]{2}(?:区|县)(?![域级内外])"
)
MIN_SHORT_PLACE_CHARS = 2  # characters of the shortest short form of a place (小蓝 of 小蓝经开区)
_NOT_DISTRICTS = frozenset(
    {
        "园区",
        "城区",
        "市区",
        "辖区",
        "片区",
        "社区",
        "景区",
        "街区",
        "地区",
        "山区",
        "郊区",
        "功能区",
        "开发区",
        "自治区",
    }
)


def asked_places(question: str, meta: DocumentMeta | None) -> tuple[str, ...]:
    """The districts or other places below the report's own city that a question names ("宜兴市", "鄠邑区")."""
    own_city = meta.city if meta is not None else ""
    written = [
        _as_cut(question, m) for m in _DISTRICT_ASKED.finditer(question) if m.group(0)[-2:] not in _NOT_DISTRICTS
    ]
    places = dict.fromkeys([*place_words(question), *(w for w in written if w not in _NOT_DISTRICTS)])
    return tuple(place for place in places if not is_own_city(place, own_city) and not _TIERS.search(place))


def _as_cut(question: str, match: re.Match[str]) -> str:
    """A district written X县/X区, as jieba cuts it when a shorter word ends it: "邳州新沂沛县" names 沛县, not 沂沛县
    (沂 ends 新沂)."""
    at = 0
    for word in cut(question):
        start = question.find(word, at)
        if start < 0:
            continue
        at = start + len(word)
        if at == match.end() and match.start() < start <= at - MIN_SHORT_PLACE_CHARS:
            return word
    return match.group(0)


def _short_form_in(place: str, question: str) -> bool:
    """Does the question name the place by a short form of its own (小蓝 of 小蓝经开区)?"""
    return any(len(word) >= MIN_SHORT_PLACE_CHARS and place.startswith(word) for word in place_words(question))


def is_own_city(place: str, own_city: str) -> bool:
    """Is the place the report's city itself (长沙, 长沙市) — not 长沙县, a county named after it?"""
    return bool(own_city) and place.removesuffix("市") == own_city.removesuffix("市")


def names_the_place(places: tuple[str, ...], contexts: Contexts) -> bool:
    """Is one of the places (or its short form: 江阴 of 江阴市) named where the figure's own words are?"""
    near = "".join(text for text, weight in contexts[:-META_CONTEXTS] if weight >= W_PREVIOUS)
    # the short form only as a word of its own: 高新 of 高新区 is not named by 高新技术企业
    return any(place in near or (len(place) > 2 and place[:-1] in _words_of(near)) for place in places)


@lru_cache(maxsize=CONTEXT_CACHE_SIZE)
def _words_of(text: str) -> frozenset[str]:
    return frozenset(cut(text))


_PART_OF_IT = re.compile(r"中有|其中|之中|中的|里有")
_OF_SCOPE = re.compile(r"(?:占|相当于|为|是|高于|低于|居|列|位居|位列)\s*$")  # "占全省…", "高于全国…": a reference


def _wider_scopes_counted(before: str, meta: DocumentMeta | None, share: bool = False) -> tuple[str, ...]:
    """The wider scopes (全省, 全国…) a figure's own words count ("全省十家…中有八家布局在汉": 八家 is a part of
    the province's ten, counted here, so not 八家's). For a share, "占全省的" is what it is of, not whose it is;
    "全省规上工业企业研发机构覆盖率达到45.1%" is the province's."""
    provincial = meta is not None and ("省" in meta.city or ("省" in meta.issuer and "市" not in meta.issuer))
    wider = PROVINCE_WIDER_SCOPES if provincial else CITY_WIDER_SCOPES
    return tuple(
        scope
        for scope in wider
        if scope in before
        # "全省十家…中有八家布局在汉" counts a part here; "全省规上工业企业中有研发活动的企业占比" is the province's
        and (share or not _PART_OF_IT.search(before[before.rfind(scope) :]))
        and not (share and _OF_SCOPE.search(before[: before.rfind(scope)]))
    )


# 区/县/市/镇 that name no place
_NOT_A_PLACE = re.compile(r"[全本我]市|市级|市本级|市属|市场|城市|全区|全县|[乡城小全各]镇|镇街|镇级")


def _sub_areas(before: str, meta: DocumentMeta | None) -> tuple[str, ...]:
    """The districts or other places below the report's city that a figure's own words name."""
    own_city = meta.city if meta is not None else ""
    if own_city:
        # "武汉经开区" is 经开区, not a place called 汉经开区; 长沙县 is a county of 长沙, named after it
        before = re.sub(re.escape(own_city) + "(?!县)", " ", before)
    stems = [place for place in place_words(before) if not place.endswith(PLACE_SUFFIXES)] if before else []
    if not stems and not any(suffix in _NOT_A_PLACE.sub("", before) for suffix in PLACE_SUFFIXES):
        return ()  # no 区, 县 or 市 of a place: none below the city (and no part-of-speech tagging to find out)
    # the report's listed places whole ("小蓝经开区", not the 蓝经开区 a pattern of 2–3 characters would cut)
    listed = [place for place in place_words(before) if place.endswith(PLACE_SUFFIXES)]
    # a place a report writes without its suffix ("松山湖、长安、塘厦…分别"), not the stem of one written whole
    listed += [stem for stem in stems if not any(stem in place for place in listed)]
    rest = before
    for place in listed:
        rest = rest.replace(place, " ")
    found = [*listed, *_SUB_AREA.findall(rest), *_COUNTED_PLACES.findall(rest)]
    return tuple(place for place in found if not is_own_city(place, own_city) and not _TIERS.search(place))


_TIERS = re.compile(r"(?:省市县|省市|市县|县市)$")  # "(选派)省市县三级科技特派员": tiers of government, no place


# "全年5个县共新认定…入库科技型中小企业168家": a few of the city's places together, a part of it (not 全市12个县区)
_COUNTED_PLACES = re.compile(
    r"(?<![全各共])[\d两二三四五六七八九十]+个(?:县市区|县区|区县|县|城区|区|镇|乡镇)(?![级域])"
)


# "灵武市依托…，研发投入强度达到1.94%": a sentence led by a district, the subject of all it states
_SENTENCE_LEAD = re.compile(r"^(?:[*【\[（(]*[一二三四五六七八九十\d]+[、.是）)】\]]|\*+|【[^】]*】)*")
_CITY_SCOPE = re.compile(r"全市|全区|全省|全国|本市|我市")


def _subject_place(text: str, figure: Figure, own: str, meta: DocumentMeta | None) -> tuple[str, ...]:
    """The district a sentence starts with as its subject, for a figure later in it whose own words name no scope
    of their own (全市, another place) — the first clause only, ending before the figure's."""
    if _CITY_SCOPE.search(own):
        return ()
    lead = _SENTENCE_LEAD.match(text)
    head = _LEAD_WORDS.sub("", text[lead.end() if lead else 0 : figure.start])
    counted = _COUNTED_PLACES.match(head)  # "全年5个县共新认定…15家、入库…168家": those places' figures
    if counted:
        return (counted.group(0),)
    first_clause = re.split(r"[，,；;：:]", head, maxsplit=1)
    if len(first_clause) < 2:
        return ()  # the figure is in the first clause: its own words already say
    # a place jieba or a report's list knows, written first ("加快市产业…" starts with no place called 加快市)
    places = [p for p in place_words(first_clause[0]) if not is_own_city(p, meta.city if meta is not None else "")]
    return (places[0],) if places and first_clause[0].startswith(places[0]) else ()


def coverage(
    index: Index,
    terms: tuple[tuple[str, float], ...],
    contexts: Sequence[tuple[str, float]],
    modifiers: tuple[tuple[str, str], ...] = (),
    everywhere: dict[str, float] | None = None,
) -> tuple[float, float, tuple[str, ...]]:
    """(coverage, focus, missing words): IDF × part-of-speech weighted share of the question found near
    the figure, and the share found in the figure's own segment (a tie-breaker), both 0…1. Words in
    ``everywhere`` count as found with at least their weight (the report's own city)."""
    contexts = tuple(contexts)  # hashable: word weights in them are cached
    if not terms:
        return 0.0, 0.0, ()
    total = found = focus = 0.0
    missing: list[str] = []
    own = contexts[:1]
    everywhere = everywhere or {}
    hits = {term: max(everywhere.get(term, 0.0), term_weight_in(term, contexts)) for term, _ in terms}
    nouns = {term for term, pos_weight in terms if pos_weight >= 1.0 and len(term) >= MIN_HEAD_CHARS}
    heads = nouns | {head for _, head in modifiers if GENERIC_HEAD.match(head)}
    for modifier, head in modifiers:
        # "省级新型研发机构": the head is right at the figure but its modifier only elsewhere → another indicator
        if (
            head in heads
            and hits.get(head, 0.0) >= W_CLAUSE
            and _best_weight(modifier, contexts[:2]) == 0.0
            and hits.get(modifier, 0.0) < W_CLAUSE
        ):
            hits[modifier] = 0.0
    narrowed_away = any(_narrowed_away(modifier, head, hits, contexts) for modifier, head in modifiers if head in heads)
    for term, pos_weight in terms:
        weight = idf(index, term) * pos_weight
        hit = hits[term]
        total += weight
        found += weight * hit
        focus += weight * _best_weight(term, own)
        if hit < W_MIN:
            missing.append(term)
    if not total:
        return 0.0, 0.0, tuple(missing)
    share = found / total
    if narrowed_away:  # "省级人才" next to 高层次人才 26 人: the head fits, the population does not
        share = min(share, MISSING_MODIFIER_CAP)
    return share, focus / total, tuple(missing)


def _narrowed_away(modifier: str, head: str, hits: dict[str, float], contexts: Sequence[tuple[str, float]]) -> bool:
    """The head word is near the figure, its modifier nowhere, not even its stem (省 of 省级 in 省双创人才)."""
    if hits.get(head, 0.0) < W_MIN or hits.get(modifier, 0.0) > 0.0:
        return False
    stem = modifier.rstrip("级")
    return not any(stem in text for text, _ in contexts[:2])


def asked_years(query: Query, meta: DocumentMeta | None) -> tuple[int, ...]:
    """Explicit years, then relative ones (今年 = the report's plan year, else its period)."""
    years = list(query.years)
    if query.relative and meta is not None:
        now = meta.plan_year or meta.period
        if now is not None:
            years.extend(now + offset for offset in query.relative)
    return tuple(years)


def _is_target(scored: Scored) -> bool:
    return scored.figure.kind is FigureKind.TARGET or scored.sentence.period_kind is PeriodKind.TARGET


_RUNNING_TOTAL = re.compile(r"累计|累积|迄今|至今|历年")
_ONE_YEAR = re.compile(r"全年|当年|年内|本年度")


def kind_fits(figure: Figure, sentence: Sentence, query: Query) -> bool:
    """Target vs actual: a 2022 plan figure never answers "完成了多少", an actual never "目标是多少".

    A running total is not one year's flow: "累计解决贷款多少" is never answered by "全年…150 亿元".
    """
    one_year = _ONE_YEAR.search(figure.context) and not _RUNNING_TOTAL.search(figure.context)
    if _RUNNING_TOTAL.search(query.text) and one_year and figure.kind is not FigureKind.CUMULATIVE:
        return False
    if query.prefer is FigureKind.CUMULATIVE and figure.kind is FigureKind.INCREMENT:
        return False  # "科创板公司总共几家" asks the stock (累计 38), never the year's 新增 18
    if query.want_hint and query.want_hint in figure.context and figure.kind is not FigureKind.COMPLETION:
        # the report itself uses the question's word here (拟立项): no contradiction — but "完成年度任务的112.6%"
        # is how much of the 任务 was done, never the 任务
        return True
    # (a plan may set a stock's level as what it adds: "有效高企目标" ← "有效高新技术企业净增340家以上")
    stock_named = query.op is Op.LOOKUP and query.want is not PeriodKind.TARGET and _STOCK_NAMED.search(query.text)
    level_named = _LEVEL_ASKED.search(query.text) or stock_named
    level_asked = level_named and not FLOW_WORDS.search(query.text) and query.prefer not in CHANGE_KINDS
    if level_asked and (figure.kind is FigureKind.INCREMENT or FLOW_WORDS.match(_LEAD_WORDS.sub("", figure.indicator))):
        return False  # "25年底…计划达到多少家" is a level: never the year's 新增 10 家 alone
    is_target = figure.kind is FigureKind.TARGET or sentence.period_kind is PeriodKind.TARGET
    if query.want is PeriodKind.TARGET:
        return is_target
    return not (query.want is PeriodKind.ACTUAL and is_target)


_CHANGE_ASKED = re.compile(r"提高|提升|增长|增幅|增速|上升|下降|降低|变化|涨")
# money asked as money ("增长了多少亿", "多少钱"), not only a money noun named ("成交额增长多少")
_MONEY_ASKED = re.compile(r"(多少|几)(块)?钱|多少元|(多少|几)[万亿]")


def unit_fits(figure: Figure, query: Query) -> bool:
    if figure.unit == "个百分点" and query.unit_class is not UnitClass.POINTS and query.prefer not in CHANGE_KINDS:
        return False  # "研发强度到多少了" asks the 3.35%, never its change of 0.08 个百分点
    if (
        figure.kind is FigureKind.GROWTH
        and query.prefer not in CHANGE_KINDS
        and not _CHANGE_ASKED.search(query.text)
        and any(names_a_level_rate(term) for term in query.terms)
    ):
        return False  # "研发活动覆盖率多少" is never "研发费用支出…增长11.6%"
    if query.unit_class is None:
        if query.implied_unit == "人" and unit_class(figure.unit) is UnitClass.COUNT:
            return figure.unit in COUNT_UNIT_GROUPS["人"]  # "多少技术经理人" is no "培训班6期"
        return figure.kind not in (FigureKind.COUNT,) and figure.unit != "年"
    wanted = query.unit_class
    if (
        wanted is UnitClass.MONEY
        and figure.kind is FigureKind.GROWTH
        and query.prefer in CHANGE_KINDS
        and not _MONEY_ASKED.search(query.text)
    ):
        return True  # "技术合同成交额增长多少": the amount's growth rate; 成交额 names the measure, asks no 亿元
    have = unit_class(figure.unit)
    if have is UnitClass.RANK and figure.kind is not FigureKind.RANK:
        have = UnitClass.COUNT  # "选派科技特派员 382 名": 名 counts people unless it is a place (第 3 名)
    if wanted is UnitClass.PERCENT:
        return have is UnitClass.PERCENT or (figure.kind is FigureKind.SHARE and "/" in figure.raw)
    if wanted is UnitClass.COUNT and query.unit in COUNT_UNIT_GROUPS:
        # 多少人 is not answered by 个 (projects); 几个 is the generic classifier and takes any count
        return have is UnitClass.COUNT and figure.unit in COUNT_UNIT_GROUPS[query.unit]
    return have is wanted


def period_fits(figure: Figure, years: tuple[int, ...], base_years: tuple[int, ...] = ()) -> bool:
    """The figure's year is the year asked; a change's comparison year is the base asked."""
    is_change = figure.kind in (FigureKind.GROWTH, FigureKind.INCREMENT, FigureKind.MULTIPLE)
    if base_years and is_change and figure.base_period is not None and figure.base_period not in base_years:
        return False
    if not years:
        return True
    return figure.period in years


CITY_WIDE_WORDS = ("全市", "本市", "我市")  # a city report's own scope, however a question says it
# how much 全市 counts at a figure whose words do not say it: a figure of a group within the city
# ("66家新型研发机构…科研人员") is not what 全市研发人员 asks, so less than a word found (0…1)
W_CITY_WIDE = 0.55
_GROUP_SENTENCE = re.compile(r"^\s*\d[\d,.\s]*\s*(?:家|个|所|名)(?![，,；;。])")  # a sentence led by "66 家…"
_CITY_ONLY: dict[str, float] = {}


def _city_words(meta: DocumentMeta | None) -> dict[str, float]:
    """The report's own city as a question may write it: "长沙有效高企" is about every figure of the 长沙 report
    alike, so "长沙高新区…2,315家" gains nothing over "全市…8,432家" from holding the word 长沙."""
    city = {meta.city: W_SEGMENT, f"{meta.city}市": W_SEGMENT} if meta is not None and meta.city else {}
    return {**dict.fromkeys(CITY_WIDE_WORDS, W_CITY_WIDE), **city}


@dataclass(frozen=True)
class FigureTraits:
    """What a figure's own words say, whatever the question: computed once per figure (score_figures reads them
    for every candidate of every question, so recomputing was most of its time)."""

    contexts: Contexts
    own: str  # the figure's own words before its number
    named_by: str  # its own words, or with the subject it borrows ("每万人口…拥有量达9.12件，较上年的7.44件")
    subset: tuple[str, str] | None  # "其中国家级36家": (what sets the part apart, the part's own words)
    whole: str  # the clause of the whole a subset belongs to
    per_head: bool  # "每万人口…"
    induced: str  # "带动", "撬动" … before the number, or ""
    counted_did: str  # "获评" of "14家国家级孵化器获评优秀", or ""
    examples_of: str  # 龙头企业 of "云南白药、贵研铂业等一批龙头企业研发投入强度超过5%", 部分, or ""
    wider_scopes: tuple[str, ...]  # 全省, 全国… the figure's own words count
    sub_areas: tuple[str, ...]  # districts the figure's own words name
    flow: bool  # "新增…", "新认定…"
    stock_stated: bool  # "总数达…", "累计…"
    in_group_sentence: bool  # the sentence is led by a counted group ("66 家…已集聚…")
    shared: bool  # "…两地…均突破380家": a bound each of several shares
    part_of_city: str  # "走廊内集聚有效高企1,436家，占全市29.5%": the words that set a part of the city apart
    ranked_scope: str  # 全省 of "全省入库科技型中小企业4.85万家，居全国第3位": whose rank it is, or ""

    def names_another_place(self, question: str, own_city: str = "") -> bool:
        """Do the figure's own words name a district or other place ("新北区…") the question does not?"""
        # 新北 names 新北区; 小蓝 names 小蓝经开区; but 长沙 names the city, not 长沙县, unless 长沙县 is written
        city = own_city.removesuffix("市")
        return any(
            (place not in question and place[:-1] == city)  # 长沙 is the city; only 长沙县 names the county
            or (place[:-1] not in question and not _short_form_in(place, question))
            for place in self.sub_areas
        )

    def counts_a_wider_scope(self, question: str) -> bool:
        """Do the figure's own words count a wider scope than the report's ("全省十家…") the question does not ask?"""
        return any(scope not in question for scope in self.wider_scopes)

    def counts_named_examples(self, question: str) -> bool:
        """Is the figure about a group named by examples ("…等一批龙头企业") the question does not name?"""
        return bool(self.examples_of) and self.examples_of not in question

    def counts_a_part_of_the_city(self, question: str, head: str) -> bool:
        """Is the figure a part of the city's whole (a share of 全市 follows) the question does not name by a
        word of its own besides its head noun ("走廊内…有效高企" for "走廊有效高企多少家")?"""
        if not self.part_of_city:
            return False
        own_words = [w for w in cut(self.part_of_city) if len(w) > 1 and w not in head]
        return not any(word in question for word in own_words)

    def counts_those_that(self, question: str) -> bool:
        """Does the figure count its noun's members that did something the question does not name (获评…)?"""
        return bool(self.counted_did) and self.counted_did not in question


MIN_MEASURE_NAME_CHARS = 3  # a word this long names a measure ("研发投入强度"), not a milestone ("首次突破")


def _names_at_length(prefix: str) -> bool:
    """Do a clause's words before its number name a thing at length (研发投入强度), not only "首次突破"?"""
    return any(len(term) >= MIN_MEASURE_NAME_CHARS for term, _ in content_terms(prefix))


def _named_by(own: str, contexts: Contexts) -> str:
    """The words that name a figure: its own, or the subject it borrows from the clause before with them
    ("每万人口高价值发明专利拥有量达9.12件，较上年的7.44件": 7.44 is named by the clause before)."""
    compared = bool(_COMPARED_SCOPE.match(own))
    if has_own_subject(own) and not compared:
        return own
    earlier = [text for text, weight in contexts[2:-META_CONTEXTS] if weight >= W_PREVIOUS]
    if compared:
        # "拥有量达到13.6件，较2020年…，是全区平均水平（6.85件）": a wider scope's level of the measure compared,
        # named where the city's own level is (the nearest clause before with a subject of its own)
        earlier = [
            text
            for text, weight in contexts[2:-META_CONTEXTS]
            if weight >= W_MIN and has_own_subject(_prefix_of_first_number(text))
        ]
        # a measure's name, not "首次突破3%，但仍低于全省…": the nearest clause naming a thing at length first
        earlier.sort(key=lambda text: not _names_at_length(_prefix_of_first_number(text)))
    borrowed = next(iter(earlier), "")
    return _prefix_of_first_number(borrowed) + own


_PARTS_SENTENCE = re.compile(r"^\s*其中\s*[，,：:]")  # a sentence of parts of the one before
_MEASURE_NAMED = re.compile(r"(?:额|量|数|规模|收入|产值|投入)$")
_BASE_YEAR_ASIDE = re.compile(r"(?:较|比|相比|与)\s*(?:19|20)\d{2}\s*年(?:底|末)?\s*[（(]\s*$")
_STATING_VERB = re.compile(r"(?:达到|达|为|突破|超过|约)$")


def _first_part_end(sentence: Sentence) -> int:
    """Where a sentence's first ；-part ends (the parts a leading 其中 covers)."""
    found = re.search(r"[；;]", sentence.text)
    return found.start() if found else len(sentence.text)


def _ranked_scope(figure: Figure, own: str, contexts: list[tuple[str, float]]) -> str:
    """The wider scope whose rank a rank is: one leading the clause it ranks, when its own words name no subject
    ("全省入库科技型中小企业4.85万家，居全国第3位" ranks the province, not the city)."""
    if figure.kind is not FigureKind.RANK or has_own_subject(own) or len(contexts) < 3:
        return ""
    lead = _CLAUSE_LEAD_SCOPE.match(contexts[2][0])
    return lead.group(1) if lead else ""


@lru_cache(maxsize=CONTEXT_CACHE_SIZE)
def figure_traits(figure: Figure, sentence: Sentence, meta: DocumentMeta | None, before: str = "") -> FigureTraits:
    contexts = figure_contexts(figure, sentence, meta, before)
    subset = subset_clauses(figure, sentence)
    whole = _whole_of(sentence.text, subset) if subset is not None else ""
    own = _before_figure(contexts[0][0], figure)
    if (
        subset is None
        and before
        and _PARTS_SENTENCE.match(sentence.text)
        and figure.start < _first_part_end(sentence)
        and _MEASURE_NAMED.search(_STATING_VERB.sub("", own.strip()))  # "…，技术交易额达到186.54亿元"
    ):
        # "…技术合同成交额达到186.3亿元。其中，向市外输出技术合同成交额112.7亿元，…": a measure of the sentence
        # before, narrowed (a count written before its noun, "其中，…已为285家企业…", names no measure)
        subset, whole = (f"其中{contexts[0][0]}", before), before
    induced = _INDUCED.search(_LEAD_WORDS.sub("", own))  # "生物医药领域专项带动企业研发投入约4.2亿元" too
    return FigureTraits(
        contexts=contexts,
        own=own,
        subset=subset,
        whole=whole,
        named_by=(named_by := _named_by(own, contexts)),
        per_head=bool(_PER_CAPITA.search(named_by)),
        induced=induced.group(0) if induced else "",
        counted_did=_what_the_counted_did(sentence.text, figure),
        examples_of=_group_of_examples(_before_figure(contexts[1][0], figure)),
        wider_scopes=_wider_scopes_counted(own, meta, share=figure.kind is FigureKind.SHARE),
        sub_areas=_sub_areas(own, meta) or _subject_place(sentence.text, figure, own, meta),
        flow=names_a_flow(contexts),
        stock_stated=bool(STOCK_STATED.search(contexts[0][0])) or _breaks_down_a_stock(sentence.text, figure, before),
        in_group_sentence=bool(_GROUP_SENTENCE.match(sentence.text)),
        shared=bool(_SHARED.search(own)),
        part_of_city=_part_of_city(sentence.text, figure, own),
        ranked_scope=_ranked_scope(figure, own, contexts),
    )


def _breaks_down_a_stock(text: str, figure: Figure, before: str) -> bool:
    """Is the figure one place's part of a stock the sentence before states, and no year's new ones ("全市有效
    高新技术企业达到3,215家。从区域分布看，南岗区862家、…")?"""
    if not before or not STOCK_STATED.search(before) or FLOW_WORDS.search(before):
        return False
    return names_nothing_but_places(_prefix_of_first_number(text[: figure.start]))


# the figure's clause is followed by its share of the city's same count ("…1,436家，占全市29.5%"), not of
# another measure ("…3126亿元，占全市规上工业营收的40%" is the whole city's)
_SHARE_OF_CITY_NEXT = re.compile(r"^[，,]\s*(?:约|仅|已)?占(?:全市|我市|本市)(?:总数|总量)?的?(?:约|近|超过|超)?\d")
_PART_FILLER = re.compile(r"集聚|聚集|拥有|共有|达到|累计|新增|已|共|有|达|内|中")


def _part_of_city(text: str, figure: Figure, own: str) -> str:
    """The words of a figure's own clause that set a part of the city apart, when its share of the city follows."""
    if not _SHARE_OF_CITY_NEXT.match(text[figure.end :]):
        return ""
    return _PART_FILLER.sub(" ", _OWN_SUBJECT_STRIP.sub("", own)).strip()


def score_figures(
    index: Index,
    query: Query,
    figures: list[Figure],
    dense: dict[str, float],
    rank_bonus: dict[str, float],
) -> list[Scored]:
    """Every candidate figure with its coverage and score, best first (no filtering)."""
    scored: list[Scored] = []
    asks_stock = bool(_STOCK_ASKED.search(query.text))
    asks_flow = bool(FLOW_WORDS.search(query.text))
    asks_per_head = bool(_PER_CAPITA.search(query.text + " ".join(query.terms)))  # a side borrows its words
    asks_density = bool(_DENSITY.search(query.text))
    head = next(  # what the question counts: its last noun, not a scope (全市) or modifier (省级)
        (t for t, w in reversed(query.weighted_terms) if w >= 1.0 and t not in CITY_WIDE_WORDS and not is_modifier(t)),
        "",
    )
    places_of: dict[str, tuple[str, ...]] = {}  # the districts the question asks, per report (its city is no district)
    own_city: dict[str, dict[str, float]] = {}  # each report's city words: found alike at every one of its figures
    rows: list[tuple[Figure, Sentence, DocumentMeta | None, FigureTraits]] = []  # each candidate, looked up once
    told_apart: dict[str, set[str]] = {}  # per report, the question's words it states as a part of a synonym
    for figure in figures:
        sentence = index.sentences[index.sentence_row[figure.sentence_id]]
        meta = index.documents.get(figure.doc_id)
        traits = figure_traits(figure, sentence, meta, sentence_before(index, sentence))
        rows.append((figure, sentence, meta, traits))
        if parts := parts_told_apart(query.terms, traits):
            told_apart.setdefault(figure.doc_id, set()).update(parts)
    for figure, sentence, meta, traits in rows:
        places = places_of.get(figure.doc_id)
        if places is None:
            places = places_of[figure.doc_id] = tuple(
                # a short form some other report taught ("科创" of 绵阳's 科创区) is no place of this report's
                place
                for place in asked_places(query.text, meta)
                if place.endswith(PLACE_SUFFIXES) or place in index.places_of.get(figure.doc_id, ())
            )
            own_city[figure.doc_id] = _city_words(meta)
        contexts, subset = traits.contexts, traits.subset
        # what sets the part apart is measured against the whole with the subject it borrows: "新增…新型研发机构
        # 11家，累计达86家，其中省备案新型研发机构34家" — 新型研发机构 names the whole too, only 省备案 the part
        named_subset = subset is not None and names_the_subset(query.terms, subset[0], traits.whole)
        if named_subset and subset is not None:
            # "孵化器 98 家，其中国家级 36 家": the part is named by its modifier and the whole's noun together,
            # so "国家级孵化器" finds both words as the figure's own, as it does at "新增国家级孵化器 4 家"
            contexts = ((_item_of_whole(subset[1], contexts[0][0]) + contexts[0][0], W_SEGMENT), *contexts[1:])
        # "66家市级新型研发机构已集聚科研人员4300余人": what a counted group did is no figure of the whole city
        everywhere = _CITY_ONLY if traits.in_group_sentence else own_city[figure.doc_id]
        cov, focus, missing = coverage(index, query.weighted_terms, contexts, query.modifiers, everywhere)
        capped = (
            (subset is not None and not named_subset)  # "外国人才…增长" is not 其中高端人才's 同比增长 13.1%
            or (traits.per_head and not asks_per_head)  # "每万人口高价值发明专利拥有量13.5件" is no 有效发明专利 count
            or (asks_density and not traits.per_head)  # "每万人口发明专利" is no count of 有效发明专利 either
            or bool(traits.induced and traits.induced not in query.text)  # "带动企业研发投入21.6亿元": no total
            or traits.counts_those_that(query.text)  # "14家…获评优秀": not all of them
            or traits.counts_a_part_of_the_city(query.text, head)  # "走廊内…1,436家，占全市29.5%"
            or traits.counts_named_examples(query.text)  # "云南白药、贵研铂业等一批龙头企业…": not the city's
            or wider_scope_elsewhere(query.terms, contexts, meta)  # "全省有效高企" is not the city's 11155 家
            # "全省十家湖北实验室中有八家布局在汉": 十家 is the province's
            or (figure.kind is not FigureKind.RANK and traits.counts_a_wider_scope(query.text))
            or bool(traits.ranked_scope and traits.ranked_scope not in query.text)  # "全省…，居全国第3位"
            # "每万人口发明专利拥有量" is not "每万人口高价值发明专利拥有量"
            or inserts_a_modifier(query.text, query.terms, contexts[0][0])
            # "科技小巨人企业研发投入强度平均超过6%" is not the city's 研发强度
            or narrowed_to_a_group(query.text + " ".join(query.terms), query.terms, traits.own)
            or (traits.named_by != traits.own and inserts_a_modifier(query.text, query.terms, traits.named_by))
            # "技术交易额" where the report states it as 其中技术交易额 of 技术合同成交额: only where it is written
            or any(not written_near(term, contexts) for term in told_apart.get(figure.doc_id, ()))
        )
        other_area = traits.names_another_place(query.text, meta.city if meta is not None else "")
        # "平房区新认定高企几家" is not 平房区's share of the stock ("全市有效…3,215家。从区域分布看，…平房区312家")
        stock_for_flow = asks_flow and not asks_stock and traits.stock_stated and not traits.flow
        capped = capped or (stock_for_flow and figure.kind is not FigureKind.INCREMENT)
        # "研发经费投入多少" is no "兑现企业研发投入后补助资金1.36亿元": an amount of something the question never names
        another = measures_another_head(traits.own, head, query.terms, query.unit_class is UnitClass.MONEY)
        capped = capped or another
        if capped or (places and (other_area or not names_the_place(places, contexts))):
            # "宜兴市…净增" is not 新吴区's 净增 132 家, "鄠邑区高企" not the city's 12,418 家
            cov = min(cov, MISSING_MODIFIER_CAP)
        score = (
            cov
            + FOCUS_WEIGHT * focus
            + DENSE_WEIGHT * dense.get(figure.id, 0.0)
            + RETRIEVAL_WEIGHT * rank_bonus.get(figure.sentence_id, 0.0)
        )
        if figure.kind is FigureKind.CUMULATIVE and not query.cumulative:
            score -= CUMULATIVE_PENALTY
        if other_area:
            score -= SUB_AREA_PENALTY
        if traits.shared:
            score -= SHARED_BOUND_PENALTY
        # "孵化器毕业企业312家" counts no 孵化器, "研发投入后补助资金1.26亿元" is no 研发经费投入
        narrower = (
            counts_another_head(traits.own, head)
            or sums_another(traits.own, query.terms)
            or any(
                # "实施农业领域市级科技计划项目41项，安排资金1,560万元": the subject the amount borrows is narrowed too
                prefixes_a_modifier(query.text, query.weighted_terms, words)
                for words in {traits.own, traits.named_by}
            )
        )
        if narrowed_by_a_clause(contexts[0][0], figure, query) or narrower:
            score -= NARROWER_GROUP_PENALTY
        # a year's new ones (新认定…) or a change (较上年净增261家) is no answer to how many there are
        changes = traits.flow or figure.kind is FigureKind.INCREMENT
        if changes and not asks_flow and query.prefer not in CHANGE_KINDS:
            score -= FLOW_PENALTY_STOCK_ASKED if asks_stock else FLOW_PENALTY
        elif asks_stock and traits.stock_stated:
            score += STOCK_BONUS  # "小巨人总数多少" ← "总数达208家" (which borrows its subject), not "新增…37家"
        elif asks_flow and not changes and (figure.kind is FigureKind.CUMULATIVE or traits.stock_stated):
            # "新引进外国人才…多少人" is the year's 1126, never "新引进外国人才1126人，累计达6735人"'s total
            score -= STOCK_FOR_FLOW_PENALTY
        if query.prefer is not None and figure.kind is query.prefer:
            score += KIND_BONUS
        is_target = figure.kind is FigureKind.TARGET or sentence.period_kind is PeriodKind.TARGET
        if is_target and query.want is None and not query.years and not query.relative:
            score -= TARGET_WITHOUT_ASKING_PENALTY
        scored.append(Scored(figure, sentence, cov, score, missing, other_area, narrower, another))
    scored.sort(key=lambda s: (-s.score, s.sentence.position, s.figure.start))
    return scored


_SAYS_CUMULATIVE = re.compile(r"累计|累积")
# the year's new ones asked: the flow words, or 新 before a verb of arriving ("新上市科创板的公司")
_ASKS_NEW = re.compile(rf"{FLOW_WORDS.pattern}|新(?:上市|签|登记|注册|落地|组建|布局|备案|开工|投产|招引|引育|获)")
UNASKED_PLAN_MARGIN = 0.15  # coverage (0…1) within which an actual outranks a target the question did not ask
OTHER_AREA_MARGIN = 0.15  # coverage (0…1) a district's figure must lead the city's by to answer for it


def lookup(index: Index, query: Query, scored: list[Scored]) -> Resolution:
    """Pick the figure that answers a one-figure question, or explain why none does."""
    indicator_ok = [s for s in scored if s.coverage >= MIN_COVERAGE]
    if not indicator_ok:
        return Resolution(best=None, nearest=scored[0] if scored else None, reason="indicator", candidates=scored)
    years_of = {s.figure.doc_id: asked_years(query, index.documents.get(s.figure.doc_id)) for s in indicator_ok}
    in_period = [s for s in indicator_ok if period_fits(s.figure, years_of[s.figure.doc_id], query.base_years)]
    if any(word in query.text for word in CITY_WIDE_WORDS):  # "24年全市研发强度": never "山区县…普遍低于2%"
        in_period = [s for s in in_period if not s.other_area]
    if not in_period:
        return Resolution(best=None, nearest=indicator_ok[0], reason="period", candidates=scored)
    with_unit = [s for s in in_period if unit_fits(s.figure, query)]
    if not with_unit:
        return Resolution(best=None, nearest=in_period[0], reason="unit", candidates=scored)
    with_kind = [s for s in with_unit if kind_fits(s.figure, s.sentence, query)]
    if not with_kind:
        return Resolution(best=None, nearest=with_unit[0], reason="kind", candidates=scored)
    preferred = [s for s in with_kind if s.figure.kind is query.prefer]  # the wording asked for this kind
    if query.prefer is FigureKind.CUMULATIVE and not _SAYS_CUMULATIVE.search(query.text):
        # "新型研发机构全市一共多少家": 一共 prefers a 累计 figure of what is asked, not "累计孵化企业236家" named
        # worse; "累计多少人了" asks the 累计 one whatever borrows its subject
        top = max(s.coverage for s in with_kind)
        preferred = [s for s in preferred if s.coverage >= top - SAME_INDICATOR_MARGIN]
    if query.prefer in CHANGE_KINDS:
        preferred = [s for s in with_kind if s.figure.kind in CHANGE_KINDS]  # 增长了多少家 ← 净增 or 增长 x%
    strict = query.prefer in CHANGE_KINDS or (
        query.prefer in STRICT_KINDS and query.unit_class not in (UnitClass.COUNT, UnitClass.MONEY)
    )
    if not preferred and strict:
        # "GDP增速" is not answered by a share, "增长了多少" never by the level itself, "排第几" not by a count
        return Resolution(best=None, nearest=with_kind[0], reason="prefer", candidates=scored)
    ranked = preferred + [s for s in with_kind if s.figure.kind is not query.prefer]
    if query.want in (None, PeriodKind.ACTUAL):
        # no 目标/计划: what has happened comes before what is planned; with no year, the latest first
        # ("…目标还差几件": the actual now is 由上年的14.9件提高到17.8件's 17.8, not the 14.9 written first)
        latest_first = not query.years and not query.relative
        top = ranked[0].coverage
        # a plan's number the question does not ask for ("争创国家级孵化器2家") yields to what is, named nearly as well
        margin = UNASKED_PLAN_MARGIN if query.want is None and _is_target(ranked[0]) else SAME_INDICATOR_MARGIN
        close = [s for s in ranked if s.coverage >= top - margin]
        # "全国重点实验室咱们有几家": a level named nearly as well before the change ("新增…2家、总数达到15家")
        unasked_change = query.prefer not in CHANGE_KINDS and not _ASKS_NEW.search(query.text)
        close.sort(
            key=lambda s: (
                _is_target(s),
                s.narrower,
                unasked_change and s.figure.kind is FigureKind.INCREMENT,
                -(s.figure.period or 0) if latest_first else 0,
            )
        )
        ranked = close + [s for s in ranked if s.coverage < top - margin]
    if ranked[0].other_area:
        # "有效高企数分别达到486家…" names 有效高企 word for word, the city's "有效高新技术企业达到2,386家" by a
        # synonym: a district's figure answers a question naming no district only when the city's is far worse
        city = next((s for s in ranked if not s.other_area), None)
        if city is not None and city.coverage >= ranked[0].coverage - OTHER_AREA_MARGIN:
            ranked = [city, *(s for s in ranked if s is not city)]
    return Resolution(best=ranked[0], candidates=scored, admissible=ranked)


def reference_coverage(
    index: Index, query: Query, reference: str, part: Figure, sentence: Sentence
) -> tuple[float, bool]:
    """How well a question names the whole behind a rate ("全省高企申报" ← 申报 10252 家，占全省的 1/3).

    The rate's reference (全省) counts fully, then the words around the part as for any figure.
    Returns (coverage 0…1, whether the reference itself holds a word of the question): a whole
    the question does not name is not what it asks for.
    """
    contexts = [(_clean(reference), W_SEGMENT), *_contexts(part, sentence, index.documents.get(sentence.doc_id))]
    cov, _, _ = coverage(index, query.weighted_terms, contexts, query.modifiers)
    # named by a word of its own: "财政科技支出…占一般公共预算支出比重5.4%" shares 支出 with the part, and
    # "财政科技支出多少" asks for the part, not the budget behind it
    named = any(
        _best_weight(term, contexts[:1]) > 0 and _best_weight(term, contexts[1:2]) == 0
        for term, _ in query.weighted_terms
    )
    return cov, named


def sentence_coverage(index: Index, query: Query, sentence: Sentence) -> tuple[float, tuple[str, ...]]:
    """Coverage of the question's words by a whole sentence (for non-numeric questions)."""
    meta = index.documents.get(sentence.doc_id)
    contexts = [(sentence.text, 1.0), (" ".join(sentence.section_path), W_SECTION)]
    if meta is not None:
        contexts.append((document_names(meta), W_DOCUMENT))
    cov, _, missing = coverage(index, query.weighted_terms, contexts)
    return cov, missing
