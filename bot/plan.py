"""Numeric questions → calculations over cited figures (the program-executor half of the engine).

A question is split into the quantities it names ("2022年有效高企目标" | "比" |
"2021年"), each side is resolved to a figure exactly as a lookup is (same
coverage, year, kind and unit checks) — or to a value the report implies
(an earlier year from a stated growth rate) — and only then does
:mod:`bot.calc` run. When an operand cannot be resolved nothing is computed
and the answer says which operand the report lacks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache, reduce

from bot import calc
from bot.figures import parse_number, stated_quantities
from bot.lexicon import SCOPE_WORDS, content_terms, cut, is_modifier, is_place_name, place_words, sub_words
from bot.models import CLAUSE_COMMA, Figure, FigureKind, PeriodKind, Sentence
from bot.resolve import (
    CHANGE_KINDS,
    CITY_WIDER_SCOPES,
    FLOW_WORDS,
    STOCK_STATED,
    Scored,
    asked_places,
    has_own_subject,
    unit_class,
    without_prior_value,
)
from bot.understand import (
    EXCEPT_WORDS,
    SUM_WORDS,
    YEAR_END_PLAN,
    Op,
    Query,
    UnitClass,
    analyze,
    head_unit,
    top_ranked,
)

THINGS_CACHE_SIZE = 4096  # comparison sides whose named things are kept (a side's text, a few hundred bytes)
LEVEL_KINDS = frozenset({FigureKind.ACTUAL, FigureKind.TARGET, FigureKind.CUMULATIVE, FigureKind.INCREMENT})
RATE_KINDS = frozenset({FigureKind.GROWTH, FigureKind.SHARE})
TARGET_KINDS = frozenset({FigureKind.TARGET, FigureKind.ACTUAL, FigureKind.CUMULATIVE})  # a plan level, by want
ACTUAL_KINDS = frozenset({FigureKind.ACTUAL, FigureKind.CUMULATIVE})
MONEY_TARGET_UNITS = ("万亿元", "亿元", "万元", "元")
MAX_PAIR_SENTENCES = 6  # sentences searched for a total and its count (平均每家)

_COMPARE = re.compile(
    r"(相比于|相比|相较于|相较|对比|比起|(?<![同占分])比|较|超出|距离|离)(?![重例率较如方开])"
    r"|(跟|和|与|(?<![合共协])同)(?=[^，,。？?]{1,20}(相差|差距|差了?多少|差几))"  # "认定数跟净增数差了多少"
)
_TIMES = re.compile(r"(?:是|为|相当于)(?P<right>.+?)的?(几倍|多少倍)")
_SHARE_OF = re.compile(
    r"(?:占|是|相当于|为)(?P<right>.*?)的?(百分之几|百分之多少|百分比|多少%|几%|比例|比重|几成|多少比例|份额|多大比例|多少|比)"
)
_PART_IN_WHOLE = re.compile(
    r"^(?P<part>[^，,在]+?)在(?P<whole>[^，,]+?)(?:里面|里头|里|当中|中)的?(?:占比|比例|比重|占)"
)
_WITHIN_SHARE = re.compile(r"的?(比例|比重|百分比|份额)")  # after a whole named with 里/当中
_WITHIN = re.compile(r"(里面|当中|之中|里|(?<!高)中(?!国(?!家)|小|心|高|级|新|德|日))")
_PER = re.compile(
    r"(?:平均(?:到|下来|分到)?(?:每|一)|每|人均|户均|家均|单)(?P<unit>家|个|人|项|所|场|名|位|户|笔|只|支)?"
    r"(?P<noun>[\u4e00-\u9fff]{0,12})"
)
_AND = re.compile(r"和|与|及|以及|加上|还有|跟|、|\+|(?<![增追参附施外叠])加(?![计强快大入速一在起])")
_GAIN = re.compile(r"收益|回报|获利")
_COST = re.compile(r"出资|投资|投入")
_EXCEPT = re.compile(EXCEPT_WORDS)
_CHANGE_ASKED = re.compile(
    r"(比上年|较上年|比去年|较去年|同比)?(增长|提高|下降|减少|增加|上升|增|涨|降|跌|升)了?(百分之几|百分之多少|多少|几).*$"
    r"|(增幅|增速|涨幅)(是|为|有)?(多少|几).*$"
)  # what a change-rate question asks, cut before its operand is looked up
_CLAUSE_BREAK = re.compile(r"[,，;；]")
_THIS_YEAR = re.compile(r"今年|本年")
_CALENDAR_YEAR = re.compile(r"去年|前年|明年|后年")  # counted from today (上年, 当年: from the year just named)
_CLAUSE_GROUP_BREAK = re.compile(r"[;；。]")
_RESPECTIVELY = re.compile(r"分别")
MAX_RESPECTIVE_REACH = 12  # characters between 分别 and the first change it distributes
_TARGET_FIRST = re.compile(r"^[^，,。？?]{0,12}?(距离|离)")  # "离24年高企6000家目标还差多少"
_GAP_TO_TARGET = re.compile(r"还差|还要|还缺|还得|还需|差距")  # "…目标1200家，还差多少家": the gap to a named target
_TOWARD_TARGET = re.compile(r"离[^，,。？?]*目标")  # "离今年550亿目标差多少": how far from the target
_NOW = "现在"  # the side a 离…目标 question leaves unsaid: where things stand
# a target said before a gap: 目标, or a plan's verb with the number ("今年要到45件", "要破5100", "力争突破25亿")
_TARGET_SAID = re.compile(r"目标|(?:要|力争|争取|计划|预计)[^，,。？?]{0,6}?(?:到|达到|突破|破|超过|过)")
_TARGET_ONLY = re.compile(r"\s*(?:这个|那个|该)?(?:年度)?目标(?:\s*还?(?:差|有|要|缺)[^，,。]*)?")
_BEFORE = re.compile(r"((?:19|20)\d{2}\s*年(?:底|末)?)?(以前|之前|此前|以往|往年)")
_BEFORE_OR_EXCEPT = re.compile(r"除去|除了|减去|去掉|扣除|以前|之前|此前|以往|往年")
WHOLE_SCOPE_WORDS = frozenset({"全市", "本市", "全部", "所有", "全体"})  # the whole of a share, not a word to find
_TOTAL_ONLY = re.compile(r"(总数|总量|总额|合计|总和|全部|整体|总共)")  # a side naming only "the total"
_OVER_TARGET = re.compile(r"超额完成|超出目标|超过目标|比(年度)?目标多(完成)?")  # actual − its target
_OUTSIDE = re.compile(r"(?P<parts>[^，,。？?]{1,30}?)(以外|之外)")  # "高企和科小以外的": the parts come first
_SHARED_MEASURE = re.compile(r"(合同金额|金额|总额|经费|资金|产值|投资额|贷款额|成交额|收益)$")
_STOCK = re.compile(r"达到|达|累计|总数|总量|有效|共|合计|总额")  # words of a level that is a running stock

UNIT_PER = {"只": "个", "支": "个", "笔": "项"}
# the count units 每<unit> may be spread over: 每家 over 家/个/所 (never 项), 每个 over anything countable
PER_UNIT_COUNTS: dict[str, tuple[str, ...]] = {
    "家": ("家", "个", "所"),
    "个": ("个", "家", "项", "所"),
    "所": ("所", "家"),
}


@dataclass(frozen=True)
class Calculation:
    """A computed answer with the figures it used (each one cited)."""

    result: calc.Result
    operands: tuple[Scored, ...]  # every report figure used, through derived steps too
    lead: str  # what the number is, e.g. "多", "2020年约"
    statements: tuple[str, ...]  # the operands as the report states them
    steps: tuple[str, ...] = ()  # formulas of derived operands, shown before the final one

    @property
    def formula(self) -> str:
        return "；".join((*self.steps, self.result.formula))


@dataclass(frozen=True)
class Missing:
    """An operand the report does not contain: nothing is computed."""

    what: str
    found: tuple[Scored, ...] = ()
    implausible: bool = False  # operands were found but cannot belong together (a part above its whole)


@dataclass(frozen=True)
class Undefined:
    """A calculation whose operands exist but whose value does not (÷ 0): say so, compute nothing."""

    divisor: str


Resolved = Scored | Calculation
Resolve = Callable[[Query, frozenset[FigureKind] | None, frozenset[str]], Resolved | None]
FiguresOf = Callable[[str], list[Figure]]
Rank = Callable[[Query, frozenset[FigureKind] | None], list[Scored]]
Following = Callable[[Sentence], list[Sentence]]  # the sentences after one in its paragraph, nearest first


def side_query(text: str, parent: Query, *, keep_unit: bool) -> Query:
    """One operand's question: its own words, or the other side's where it names none."""
    sub = analyze(text) if text.strip() else replace(parent, terms=(), weighted_terms=(), years=(), relative=())
    terms, weighted = sub.terms, sub.weighted_terms
    if not terms:
        terms, weighted = parent.terms, parent.weighted_terms
        # "科贷通累计贷款里21年一年占百分之几": a share's side borrowing 贷款 measures money, as 贷款 does
        levels = parent.op in (Op.SHARE, Op.RATIO)  # (the sides of 高几个百分点 are rates)
        if levels and sub.unit_class is None and terms and head_unit(terms[-1])[0] is UnitClass.MONEY:
            sub = replace(sub, unit_class=UnitClass.MONEY, unit="")
    level_unit = parent.unit_class in (UnitClass.COUNT, UnitClass.MONEY)
    if sub.unit_class is None and sub.implied_unit_class is UnitClass.MONEY:  # "累计贷款是当年的几倍": money
        sub = replace(sub, unit_class=UnitClass.MONEY, unit="")
    own_level_unit = sub.unit_class in (UnitClass.COUNT, UnitClass.MONEY)  # "贷款额" names money by itself
    return replace(
        sub,
        original=text,
        terms=terms,
        weighted_terms=weighted,
        unit_class=parent.unit_class if keep_unit and level_unit else (sub.unit_class if own_level_unit else None),
        unit=parent.unit if keep_unit and level_unit else (sub.unit if own_level_unit else ""),
        op=Op.LOOKUP,
        # "净增数", "高企申报增速": the side names its own kind; "增加值占GDP 今年目标" is a share too
        prefer=sub.prefer or (FigureKind.SHARE if parent.prefer is FigureKind.SHARE and "占" in text else None),
        fact=False,
        base_years=(),
        base_relative=(),
    )


# "今年研发强度目标跟23年实际比 高几个百分点": the other side between 跟/和/与 and 比
_WITH_COMPARE = re.compile(
    r"(?:跟|和|与|(?<![合共协相])同)(?P<other>[^，,。？?\s同]{1,20}?)(?:相)?比(?:较|起来|的话)?(?=[\s，,]|[高低多少增提下差涨]|$)"
)


def split_compare(text: str) -> tuple[str, str] | None:
    paired = _WITH_COMPARE.search(text)
    if paired and paired.start() > 0:
        return text[: paired.start()], paired.group("other")
    match = _COMPARE.search(text)
    if not match:
        return None
    right = re.sub(
        r"(多|少|高|低|快|慢|增加|减少|增长|提高|下降|差|涨|还差|还有)([出]|[\u4e00-\u9fff]{1,3}(?=了))?了?(多少|几|百分之).*$"
        r"|(多|少)[\u4e00-\u9fff]{1,2}?(多少|几).*$",  # "比去年实际多放多少亿"
        "",
        text[match.end() :],
    )
    return text[: match.start()], right


def quantity(resolved: Resolved) -> Figure | calc.Operand:
    """A figure, or a derived value as an operand labelled with how it was derived."""
    if isinstance(resolved, Scored):
        return resolved.figure
    result = resolved.result
    # a derived value enters the next step as shown (rounded, marked 约), so the formula reads as it computes
    return calc.Operand.of(resolved.lead.rstrip("约"), result.value, result.unit, "约" if result.approximate else "")


def leaves(resolved: Resolved) -> tuple[Scored, ...]:
    return (resolved,) if isinstance(resolved, Scored) else resolved.operands


def statements(resolved: Resolved) -> tuple[str, ...]:
    return (_statement(resolved),) if isinstance(resolved, Scored) else resolved.statements


def steps(resolved: Resolved) -> tuple[str, ...]:
    return () if isinstance(resolved, Scored) else (*resolved.steps, resolved.result.formula)


def period_of(resolved: Resolved) -> int | None:
    """A figure's year; a calculation's is the year its lead names ("2020年约…", back-computed), else its operands'."""
    if isinstance(resolved, Scored):
        return resolved.figure.period
    dated = re.match(r"((?:19|20)\d{2})年", resolved.lead)
    return int(dated.group(1)) if dated else resolved.operands[0].figure.period


def unit_of(resolved: Resolved) -> str:
    return resolved.figure.unit if isinstance(resolved, Scored) else calc.split_scale(resolved.result.unit)[1]


def combine(result: calc.Result, parts: tuple[Resolved, ...], lead: str) -> Calculation:
    return Calculation(
        result=result,
        operands=tuple(leaf for part in parts for leaf in leaves(part)),
        lead=lead,
        statements=tuple(s for part in parts for s in statements(part)),
        steps=tuple(s for part in parts for s in steps(part)),
    )


def plan(
    query: Query, resolve: Resolve, figures_of: FiguresOf, rank: Rank, following: Following | None = None
) -> Calculation | Missing | Undefined | Scored | None:
    """Compute what a numeric question asks; None when the question is not a calculation we know.

    A :class:`Scored` is a figure the report states that answers the comparison as asked ("高于全省平均水平
    0.62个百分点"): read, not computed.
    """
    resolve = _within_kinds(resolve)
    try:
        planned = None
        if asks_level_after_planned(query.text):
            planned = _when_planned(query, resolve)
            if isinstance(planned, Calculation):
                return planned
        # not a planned addition after all ("…累计14家，22年再布局10家，加起来"): the operation as asked
        return _by_operation(query, resolve, figures_of, rank, following) or planned
    except calc.ZeroDivisor as error:
        return Undefined(error.divisor)
    except calc.CalcError:  # operands that do not fit together (元 − 家): not the calculation asked
        return None


def _by_operation(
    query: Query, resolve: Resolve, figures_of: FiguresOf, rank: Rank, following: Following | None
) -> Calculation | Missing | Undefined | Scored | None:
    if query.op is Op.PRIOR_CUMULATIVE:
        return _prior_cumulative(query, resolve, figures_of)
    if query.op is Op.AVERAGE:
        return _average(query, rank, figures_of, resolve)
    if query.op is Op.RETURN:
        return _return(query, resolve, figures_of)
    if query.op is Op.RATIO:
        return _binary(query, resolve, _TIMES, calc.ratio, "")
    if query.op is Op.SHARE:
        if placed := _PART_IN_WHOLE.search(query.text):  # "国家级孵化器在孵化器里占比多少": 占 the whole
            query = replace(query, text=f"{placed.group('part')}占{placed.group('whole')}的比例")
        return _binary(query, resolve, _SHARE_OF, calc.share, "占", lists=_ListSources(rank, figures_of, following))
    if query.op is Op.SUM:
        return _parts_total(query, resolve, _ListSources(rank, figures_of, following))
    if query.op is Op.COMPLETION_RATE:
        return _completion_rate(query, resolve)
    if query.op in (Op.DIFFERENCE, Op.CHANGE_RATE, Op.POINTS):
        if _EXCEPT.search(query.text) or _OUTSIDE.search(query.text):
            return _except(query, resolve)
        return _compare(query, resolve, figures_of)
    return None


def _within_kinds(resolve: Resolve) -> Resolve:
    """An operand's own kind word counts only among the kinds the operation takes.

    "高企申报增速" asks a growth rate among rates; the "增幅" of "比21年增幅多少" names the operation,
    not a kind of level, so among levels it is dropped.
    """

    def resolve_within(side: Query, kinds: frozenset[FigureKind] | None, exclude: frozenset[str]) -> Resolved | None:
        if kinds is not None and side.prefer is not None and side.prefer not in kinds:
            side = replace(side, prefer=None)
        return resolve(side, kinds, exclude)

    return resolve_within


def _statement(scored: Scored) -> str:
    from bot.answer import figure_statement  # composition owns the wording

    return figure_statement(scored.figure, scored.sentence)


MAX_ELIDED_OWN_TERMS = 1  # "比已服务的多多少": a second side naming at most this many words shares the first's


def _elided(right_q: Query, right_text: str, left_q: Query, whole: bool = False) -> Query:
    """The second side of a comparison usually leaves out what the first named ("比2020年", "比已服务的").

    The whole of a share borrows the part's nouns but never what narrows the part to it: "新吴区高企占全市"
    is 全市's 高企, not 新吴区's; "国家级孵化器占全部孵化器" is every 孵化器.
    """
    own = analyze(right_text).weighted_terms if right_text.strip() else ()
    if len(own) > MAX_ELIDED_OWN_TERMS:
        return right_q
    if not whole and any(_names_a_thing(term, weight) for term, weight in own):
        return right_q  # "众创空间是孵化器的几倍": 孵化器 is a thing of its own, not 众创空间's 孵化器
    narrowing: set[str] = set()
    if whole:
        # (a place however the question writes it: 高新区 is one though no report taught it as a word)
        places = {*place_words(left_q.text), *asked_places(left_q.text, None)}
        narrowing = places | {t for t, _ in left_q.weighted_terms if is_modifier(t)}
    elif right_text.strip() and asked_places(right_text, None):
        narrowing = set(asked_places(left_q.text, None))  # "思明比湖里多多少": 湖里 replaces 思明, not joins it
    # shared: the first side's nouns; its verbs (认定 vs 申报) are what the second side replaces
    # a side naming nothing ("比去年") borrows the verbs too only when the first names no noun ("引进了多少");
    # the whole of a share borrows them ("新引进外国人才中高端人才占比": 新引进 names the whole as well)
    nouns = not whole and any(w >= 1.0 for t, w in left_q.weighted_terms if t not in narrowing)
    # a whole naming only its scope ("占全市") is the whole of the same thing: "松山湖新认定高企占全市" is 全市's 新认定
    names = [t for t, _ in own if t not in SCOPE_WORDS and not is_place_name(t)] if whole else own
    merged = {t: w for t, w in left_q.weighted_terms if (w >= 1.0 or not (names or nouns)) and t not in narrowing}
    # a side naming only a place ("铜山新认定高企比经开区多几家") counts the same year's new ones: 经开区's 新认定
    new_ones = FLOW_WORDS.findall(left_q.text) if narrowing and not whole else []
    merged |= {t: w for t, w in left_q.weighted_terms if any(t in flow for flow in new_ones)}
    merged.update(own)
    cumulative = right_q.cumulative or (left_q.cumulative and not own)  # "累计数是2021年底的几倍": both running totals
    text = right_q.text + "".join(new_ones)
    if whole and not names:  # the words read off the text (新认定 counts the year's new ones) are the part's too
        text += reduce(lambda rest, word: rest.replace(word, ""), sorted(narrowing, key=len, reverse=True), left_q.text)
    return replace(right_q, text=text, terms=tuple(merged), weighted_terms=tuple(merged.items()), cumulative=cumulative)


_MEASURE_WORD = re.compile(r"^(数量|总数|总量|数|金额|总额|额|规模|数目|个数|家数|人数)$")


def _names_a_thing(term: str, weight: float) -> bool:
    """Is a side's word a noun naming a thing of its own (孵化器), not a measure (数量), place, modifier or verb?"""
    return (
        weight >= 1.0
        and len(term) >= 2
        and not _MEASURE_WORD.match(term)
        and not is_modifier(term)
        and term not in SCOPE_WORDS
        and not is_place_name(term)
        and head_unit(term)[0] not in (UnitClass.PERCENT, UnitClass.MONEY)
        and "财政" not in term  # "是市财政投的几倍": the money of the first side's programme, paid by 财政
    )


def _resolve_other(
    right_q: Query,
    right_text: str,
    left: Resolved,
    resolve: Resolve,
    kinds: frozenset[FigureKind] | None,
    exclude: frozenset[str],
) -> Resolved | None:
    """The second operand of a comparison, resolved the way a reader fills in what it leaves out.

    * A side naming no year is in the first operand's year first ("比目标多多少": the same year's
      target; "科小比有效高企多多少": both 2021, not the 2022 target), any year only after that.
    * "申报数是认定数的几倍": when the words borrowed from the first side (高企, 申报) find nothing
      together, each is left out in turn (认定 replaces 申报, not 高企).
    """
    own = {t for t, _ in analyze(right_text).weighted_terms} if right_text.strip() else set()
    borrowed = [t for t in right_q.weighted_terms if t[0] not in own]
    attempts = [right_q]
    for drop in reversed(borrowed) if own else ():
        kept = tuple(t for t in right_q.weighted_terms if t != drop)
        # still names a thing (not 省级, not 全省 alone: "比全省平均高几个点" is never 占全省获奖总数的62.3%)
        if any(weight >= 1.0 and not is_modifier(term) and term not in SCOPE_WORDS for term, weight in kept):
            attempts.append(replace(right_q, weighted_terms=kept, terms=tuple(t for t, _ in kept)))
    year = period_of(left)
    left_is_target = any(s.figure.kind is FigureKind.TARGET for s in leaves(left))
    same_kind = PeriodKind.TARGET if left_is_target else PeriodKind.ACTUAL
    # with no year, like is compared with like ("苏州比无锡多多少": an actual with an actual, not Wuxi's plan)
    undated = [
        replace(a, years=(year,), want=a.want or same_kind) for a in attempts if year and not a.years and not a.relative
    ]
    if stated_quantities(right_text):
        undated = []  # "离7000家的目标": the number says which figure, whatever its year
    elif undated and right_q.want is PeriodKind.TARGET and not left_is_target:
        attempts = []  # "2023年…比目标少多少": that year's target or none, never the next year's plan
    for attempt in (*undated, *attempts):
        got = resolve(attempt, kinds, exclude)
        if got is not None:
            return _own_thing(got, right_q, right_text, resolve, kinds, exclude)
    return None


@lru_cache(maxsize=THINGS_CACHE_SIZE)
def _things_named(text: str) -> tuple[str, ...]:
    """The words of a side that name a thing ("孵化器的几倍"), not a modifier (省级), scope (全省) or place (郑州)."""
    places = (*asked_places(text, None), *place_words(text))
    return tuple(
        term
        for term, weight in (analyze(text).weighted_terms if text.strip() else ())
        if weight >= 1.0
        and not is_modifier(term)
        and not is_place_name(term)
        and term not in SCOPE_WORDS
        and not any(term in place for place in places)
    )


def _side_alone(right_q: Query, right_text: str) -> Query | None:
    """A side naming a thing of its own, asked with its own words only ("国家级孵化器"); None when it names none."""
    if not _things_named(right_text):
        return None
    own = analyze(right_text).weighted_terms
    return replace(right_q, terms=tuple(t for t, _ in own), weighted_terms=own)


def _written_in(term: str, text: str) -> bool:
    """The word, or each of its parts ("市级财政科技资金" for 财政资金), in ``text``."""
    parts = sub_words(term)
    return term in text or (len(parts) > 1 and all(part in text for part in parts))


def _own_thing(
    got: Resolved,
    right_q: Query,
    right_text: str,
    resolve: Resolve,
    kinds: frozenset[FigureKind] | None,
    exclude: frozenset[str],
) -> Resolved:
    """A side naming a thing of its own is that thing, whatever the first side's words borrowed found.

    "众创空间数量是孵化器的几倍": 众创空间 and 孵化器 together find "新增…省级众创空间11家" in a sentence about both;
    a figure whose own words do not name 孵化器 gives way to what 孵化器 alone finds (孵化器68家). Borrowing stays
    when the figure names the side's thing ("带动企业研发投入…，市财政支持3.2亿元" for 市财政投的).
    """
    things = _things_named(right_text)
    if not things or not isinstance(got, Scored):
        return got
    own_words = _prefix(got.sentence, got.figure)
    if any(_written_in(term, own_words) for term in things):
        return got
    alone = _side_alone(right_q, right_text)
    return (resolve(alone, kinds, exclude) if alone is not None else None) or got


# "高于全省平均水平0.62个百分点", "比全国高出…": a stated gap between the level before it and a wider scope's
_GAP_TO_SCOPE = re.compile(rf"(?:高于|低于|超过|超出|高出|领先于?|落后于?|多于|少于|比)({'|'.join(CITY_WIDER_SCOPES)})")


def _stated_gap(left: Resolved, other_text: str, op: Op, figures_of: FiguresOf) -> Scored | None:
    """The gap to a wider scope the report states right after the level compared (read, never recomputed).

    Only the level's own change clauses may stand between them ("2.58%，较2020年提高0.13个百分点，高于全省
    平均水平0.62个百分点"); a level of something else between would be what the gap is about.
    """
    scopes = [scope for scope in CITY_WIDER_SCOPES if scope in other_text]
    if not scopes or not isinstance(left, Scored) or op not in (Op.POINTS, Op.DIFFERENCE):
        return None
    text = left.sentence.text
    for figure in sorted(figures_of(left.sentence.id), key=lambda f: f.start):
        if figure.start <= left.figure.start:
            continue
        clause_left = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, figure.start)), default=0)
        said = _GAP_TO_SCOPE.search(text, clause_left, figure.start)
        if figure.kind not in CHANGE_KINDS:
            if said:
                continue  # "高于全省平均水平（1.73%）0.84个百分点": the scope's own level, in an aside
            return None  # another level: what follows is about it
        fits = (figure.unit == calc.POINTS) is (op is Op.POINTS or left.figure.unit == "%")
        if said and said.group(1) in scopes and fits:
            return Scored(figure, left.sentence, left.coverage, left.score, ())
    return None


def names_two_quantities(text: str) -> bool:
    """认定数跟净增数差了多少: both sides name what they are, so a stated change is not the answer."""
    halves = split_compare(text)
    return halves is not None and all(analyze(half).terms for half in halves)


def _relative_to(side: Query, anchor: Resolved | None, first: Query | None = None) -> Query:
    """ "比上年": a relative year on the second side counts from the first side's year.

    When the first side (``first``) is dated by a word of today's calendar too ("去年比前年"), both count
    from the report's plan year: 前年 is two years before it, not two before 去年.
    """
    offsets = side.relative or ()
    if side.years or not offsets or anchor is None or (0 in offsets and _THIS_YEAR.search(side.original)):
        return side  # "离今年目标": 今年 is the report's plan year; 当年 (that year) is the other side's
    if first is not None and _CALENDAR_YEAR.search(side.original) and (first.relative or not first.years):
        # "去年比前年", "高新区比涪城区去年多认定…": today's calendar, when the first side names no year of its own
        return side
    year = period_of(anchor)
    return replace(side, years=tuple(year + o for o in offsets), relative=()) if year else side


def _prior_total(total: Resolved, figures_of: FiguresOf) -> Calculation | None:
    """A running total a year earlier: "累计 11099 人" minus the year's own "新引进 3251 人" stated before it."""
    if not isinstance(total, Scored) or total.figure.kind is not FigureKind.CUMULATIVE:
        return None
    yearly = [
        f
        for f in figures_of(total.sentence.id)
        if f.start < total.figure.start
        and f.unit == total.figure.unit
        and f.kind in (FigureKind.ACTUAL, FigureKind.INCREMENT)
        and f.period == total.figure.period
    ]
    if not yearly:
        return None
    this_year = Scored(yearly[-1], total.sentence, total.coverage, total.score, ())
    year = total.figure.period
    return combine(
        calc.back_from_increment(total.figure, this_year.figure),
        (total, this_year),
        f"{year - 1}年底累计" if year else "此前累计",
    )


def _over_target(query: Query, resolve: Resolve, figures_of: FiguresOf) -> Calculation | Missing | None:
    """超额完成了多少: the actual minus its target — stated, or implied by "完成年度目标的 216.44%"."""
    named = _OVER_TARGET.split(query.text, maxsplit=1)[0] or query.text
    base = replace(side_query(named, query, keep_unit=True), prefer=None)
    actual = resolve(replace(base, want=PeriodKind.ACTUAL), ACTUAL_KINDS, frozenset())
    if not isinstance(actual, Scored):
        return Missing(named)
    year = actual.figure.period
    target = resolve(replace(base, want=PeriodKind.TARGET, years=(year,) if year else ()), TARGET_KINDS, frozenset())
    if target is None:
        target = completion_target(actual, figures_of(actual.sentence.id))
    if target is None:
        return Missing(f"{named}（年度目标）", (actual,))
    return combine(calc.difference(quantity(actual), quantity(target)), (actual, target), "超额")


_GIVEN_CLAUSES = re.compile(r"[\s，,；;。？?！!]+|(?:但是?|而|可是)(?=[\u4e00-\u9fff])")


_PART_LEAD = re.compile(r"\s*(?:其中|含|包括)")
_WHOLE_MEASURE_LEAD = re.compile(r"\s*(?:数量|总数|总量|规模)")
_COMPARATIVE_LEAD = re.compile(r"^\s*(?:多|少|高|低|快|慢|增加|减少)(?:出|了)?")
_YEAR_WORD = r"(?:19|20)\d{2}年|大前年|前年|去年|今年|明年"
_FROM_TO = re.compile(rf"从(?P<old>{_YEAR_WORD})[底末]?(?:到|至)(?P<new>{_YEAR_WORD})")


def _compare(query: Query, resolve: Resolve, figures_of: FiguresOf) -> Calculation | Missing | Scored | None:
    """比…多/少多少, 增长百分之几, 提高几个百分点: two quantities of the same kind."""
    if _OVER_TARGET.search(query.text):
        return _over_target(query, resolve, figures_of)
    halves = split_compare(query.text)
    if (
        halves is not None
        and not halves[0].strip(" ,，")
        and ("," in halves[1].replace("，", ",") or _TARGET_FIRST.match(query.text))
    ):
        # "离2022年有效高企的目标，现在还差多少": the target first, then where things stand (now, if unsaid)
        target_text, _, now_text = halves[1].replace("，", ",").partition(",")
        halves = (target_text, now_text or _NOW)
        query = replace(query, text=f"{target_text}比{halves[1]}")
    if halves is not None and _TARGET_ONLY.fullmatch(halves[1]) and _TARGET_SAID.search(halves[0]):
        # "高企今年要破5100 离目标还差多少家": the target said first, 离目标 points back at it
        halves = None
        query = replace(query, text=query.text[: query.text.rfind("离")] + "还差多少")
    gap = _GAP_TO_TARGET.search(query.text) if halves is None and query.op is Op.DIFFERENCE else None
    if gap and _TARGET_SAID.search(query.text[: gap.start()]):
        # "瞪羚企业今年目标1200家 还差多少家": the target named first, then the gap from where things stand
        target_text = query.text[: gap.start()]
        halves = (target_text, _NOW)
        query = replace(query, text=f"{target_text}比{_NOW}")
    if halves is None and query.op is Op.DIFFERENCE and query.given_values:
        # "去年新认定高企712家 但净增才268 中间差了多少家": the asker states both sides; each is the report's figure
        stated = [c for c in _GIVEN_CLAUSES.split(query.original) if re.search(r"\d", c)]
        if len(stated) == 2:
            halves = (stated[0], stated[1])
    years = query.years + query.base_years
    span = _FROM_TO.search(query.text) if halves is None else None
    if span:  # "从23年到今年目标…要提高多少个百分点": from the first year's level to the second's
        halves = (query.text[: span.start()] + span.group("new") + query.text[span.end() :], span.group("old"))
        query = replace(query, text=f"{halves[0]}比{halves[1]}")
    if halves is None and len(years) < 2 and query.op in (Op.CHANGE_RATE, Op.POINTS):
        # "科创板企业累计数2021年增长了百分之几", "占全省比重去年提高了几个点": against the year before, implied
        points = query.op is Op.POINTS
        left_q = side_query(_CHANGE_ASKED.sub("", query.text) or query.text, query, keep_unit=True)
        if points:  # a rate against the same rate a year before ("由上年的43.9%提高到44.7%")
            left_q = replace(left_q, unit_class=UnitClass.PERCENT, unit="%")
        kinds = RATE_KINDS | TARGET_KINDS if points else LEVEL_KINDS
        left = resolve(left_q, kinds, frozenset())
        if left is None:
            return Missing(query.text)
        # the year before as it turned out: "科小今年要到15000家得涨百分之几" grows from last year's actual
        right_q = _relative_to(replace(left_q, years=(), relative=(-1,), want=None, want_hint=""), left)
        right = resolve(right_q, kinds, frozenset(s.figure.id for s in leaves(left))) or _prior_total(left, figures_of)
        if right is None:
            # "报告中没有“2023年新研机构”的数据": the year before of what was asked
            asked = re.sub(r"[a-z&]+", lambda m: m.group(0).upper(), "".join(left_q.terms)) or left_q.text  # GDP
            return Missing(f"{(period_of(left) or 0) - 1}年{asked}", leaves(left))
        left = _level_changed(left, right)
        if points:
            result = calc.difference(quantity(left), quantity(right), target_unit=_target(query, left))
        else:
            result = calc.change_rate(quantity(left), quantity(right))
        return combine(result, (left, right), result.direction)
    if halves is None:
        # "科技特派员23年到24年涨了百分之多少": with no 比 to say which side is which, the later year is the new one
        years = tuple(sorted(set(years), reverse=True))
        if len(years) < 2:
            return None
        left_q = replace(
            side_query(f"{years[0]}年", query, keep_unit=True), terms=query.terms, weighted_terms=query.weighted_terms
        )
        right_q = replace(
            side_query(f"{years[1]}年", query, keep_unit=True), terms=query.terms, weighted_terms=query.weighted_terms
        )
    else:
        # "高新区比涪城区去年多认定了几家高企": what follows the comparison names what both places count
        tail = query.text[query.text.rfind(halves[1]) + len(halves[1]) :] if halves[1] else ""
        tail = _COMPARATIVE_LEAD.sub("", tail)
        tail = tail if analyze(tail).terms else ""
        left_text, right_text = (h + tail if tail and _names_only_places(h) else h for h in halves)
        left_q = side_query(left_text, query, keep_unit=True)
        right_q = side_query(right_text, query, keep_unit=True)
        if query.base_relative and not right_q.relative and not right_q.years:
            right_q = replace(right_q, relative=query.base_relative)
        if query.base_years and not right_q.years:
            right_q = replace(right_q, years=query.base_years)
    # 个百分点 between two rates: stated shares and growth rates, or a percentage level ("研发投入强度达到3.25%",
    # its target "力争达到3.35%"); the unit check keeps counts out
    kinds = RATE_KINDS | TARGET_KINDS if query.op is Op.POINTS else LEVEL_KINDS
    if query.op is Op.POINTS:  # both sides are rates in %, never the money or count beside them
        left_q = replace(left_q, unit_class=UnitClass.PERCENT, unit="%")
        right_q = replace(right_q, unit_class=UnitClass.PERCENT, unit="%")
    left = resolve(left_q, kinds, frozenset())
    if left is None:
        return Missing(left_q.original)
    if halves is not None:
        right_q = _elided(right_q, halves[1], left_q)
        if right_q.prefer is None and left_q.prefer is FigureKind.SHARE and not analyze(halves[1]).terms:
            right_q = replace(right_q, prefer=left_q.prefer)  # "…占GDP 今年目标比去年": last year's share too
    right_q = _relative_to(right_q, left, left_q)
    if halves is not None and halves[1] == _NOW and isinstance(left, Scored):
        # "离…目标还差多少": the latest actual of the target's own indicator (有效高新技术企业), whatever its year
        named = analyze(left.figure.indicator)
        right_q = replace(right_q, want=PeriodKind.ACTUAL, want_hint="", years=(), relative=())
        if named.terms:
            right_q = replace(right_q, terms=named.terms, weighted_terms=named.weighted_terms, modifiers=())
    left_class = unit_class(unit_of(left))
    if right_q.unit_class is None and left_class in (UnitClass.COUNT, UnitClass.MONEY):
        right_q = replace(right_q, unit_class=left_class, unit="")  # "贷款金额比2021年…": the same measure
    if halves is not None and (gap := _stated_gap(left, halves[1], query.op, figures_of)) is not None:
        return gap  # "研发强度比全省平均高几个点" ← "…2.58%，…，高于全省平均水平0.62个百分点": the report says it
    exclude = frozenset(s.figure.id for s in leaves(left))
    if halves is not None:
        right = _resolve_other(right_q, halves[1], left, resolve, kinds, exclude)
    else:
        right = resolve(right_q, kinds, exclude)
    own = _side_alone(right_q, halves[1]) if halves is not None else None
    rival_q = own or right_q  # "众创空间比孵化器多几家": a stock rival of 孵化器 alone, not of both words
    right = _like_for_like(left, right, rival_q, resolve, kinds, exclude)
    if right is not None:  # …either way round: "新型研发机构22年比21年增长" is 总数46 over 37, not the year's 新认定9
        right_ids = frozenset(s.figure.id for s in leaves(right))
        left = _like_for_like(right, left, left_q, resolve, kinds, right_ids) or left
    year = period_of(left)
    if right is None and year and right_q.years == (year - 1,):  # "累计数比上年增长": the total a year before
        right = _prior_total(left, figures_of)
    if right is None:
        return Missing(right_q.original or "比较对象", leaves(left))
    if unit_class(unit_of(left)) is not unit_class(unit_of(right)):
        return Missing(right_q.original or "比较对象", leaves(left))
    left = _level_changed(left, right)
    levels_in_percent = query.unit_class is UnitClass.PERCENT and unit_class(unit_of(left)) is not UnitClass.PERCENT
    if query.op is Op.CHANGE_RATE or levels_in_percent:  # "增长多少（百分比）" of two levels: a change rate
        if not FLOW_WORDS.search(query.text) and "净增" not in query.text:
            left = _planned_level(left, right) or left  # "今年有效高企目标比去年增长百分之几"
        result = calc.change_rate(quantity(left), quantity(right))
    else:
        target = _target(query, left)
        result = calc.difference(quantity(left), quantity(right), target_unit=target)
        asks_gap = _GAP_TO_TARGET.search(query.original) or _TOWARD_TARGET.search(query.original)
        to_target = halves is not None and (halves[1] == _NOW or bool(asks_gap))
        if to_target and _is_plan(right) and not _is_plan(left):  # "高企离今年目标还差多少": the target first
            left, right = right, left
            result = calc.difference(quantity(left), quantity(right), target_unit=_target(query, left))
        if to_target and _is_plan(left):  # a target minus where things stand: 还差 or 已超出
            return combine(result, (left, right), _GAP_LEADS.get(result.direction, result.direction))
        if period_of(left) is not None and period_of(left) == period_of(right):
            # "研发强度跟全省比差几个点": two rates of one year differ (高/低); nothing rose or fell
            return combine(result, (left, right), _SAME_TIME_LEADS.get(result.direction, result.direction))
    return combine(result, (left, right), result.direction)


def _like_for_like(
    left: Resolved,
    right: Resolved | None,
    right_q: Query,
    resolve: Resolve,
    kinds: frozenset[FigureKind] | None,
    exclude: frozenset[str],
) -> Resolved | None:
    """A stock is compared with a stock: "众创空间比孵化器多几家" is 105 against the 68 孵化器, not against the
    year's "新增国家级科技企业孵化器2家" that happened to match the words as well; "高企离今年目标还差多少" is the
    target against the 有效高企 1,862, not against "较上年净增261家"."""
    if not isinstance(left, Scored) or not isinstance(right, Scored):
        return right

    def a_flow(other: Scored) -> bool:  # the year's new ones ("新引进外国人才1126人")
        return bool(FLOW_WORDS.search(_prefix(other.sentence, other.figure)))

    def a_stock(other: Scored) -> bool:  # not a year's new ones (新增, 新认定), nor a change (较上年净增261家)
        return other.figure.kind is not FigureKind.INCREMENT and not a_flow(other)

    tried = exclude | {right.figure.id}
    if left.figure.kind is not FigureKind.CUMULATIVE and right.figure.kind is FigureKind.CUMULATIVE:
        # "科技贷今年要突破15亿 跟去年比还差多少": a year's amount against last year's, not "累计放款规模超过50亿元"
        yearly = _close_rival(
            right, right_q, resolve, kinds, tried, lambda s: s.figure.kind is not FigureKind.CUMULATIVE
        )
        if yearly is not None:
            return yearly
    if a_flow(left) and right.figure.kind is FigureKind.CUMULATIVE:
        # …and new ones with new ones: "苏州新引进外国人才比无锡多多少" is against 无锡's 1126, not "累计达6735人"
        return _close_rival(right, right_q, resolve, kinds, tried, a_flow) or right
    if not a_stock(left) or a_stock(right):
        return right
    return _close_rival(right, right_q, resolve, kinds, tried, a_stock) or right


def _close_rival(
    first: Scored,
    query: Query,
    resolve: Resolve,
    kinds: frozenset[FigureKind] | None,
    tried: frozenset[str],
    fits: Callable[[Scored], bool],
) -> Scored | None:
    """Of the next few figures the words find about as well as ``first`` (coverage within PART_COVERAGE_MARGIN),
    the first that ``fits``; None when the words find nothing close enough that does."""
    for _ in range(MAX_WHOLE_TRIES):
        candidate = resolve(query, kinds, tried)
        if not isinstance(candidate, Scored) or candidate.coverage < first.coverage - PART_COVERAGE_MARGIN:
            return None
        if fits(candidate):
            return candidate
        tried = tried | {candidate.figure.id}
    return None


def _level_changed(left: Resolved, right: Resolved) -> Resolved:
    """The level an earlier year was back-computed from, as the later side of the comparison.

    "新型研发机构去年比前年增长了多少": 前年 is 总数98家 − 新增17家, so 去年 is those 98 — not the 12 of another
    clause, nor the 新增 17 — whichever the first side's words happened to find first.
    """
    if not isinstance(left, Scored) or not isinstance(right, Calculation):
        return left
    level = right.operands[0]
    year = period_of(right)  # back_compute leads with the earlier year it derived
    earlier = year is not None and level.figure.period is not None and year < level.figure.period
    same = level.figure.period == left.figure.period and level.figure.unit == left.figure.unit
    # the change the earlier year was taken back by ("新增12家，累计达到158家"): 去年 is the 158, not the 12
    if earlier and same and left is not level and level.figure.kind is not FigureKind.INCREMENT:
        return level
    return left


def _planned_level(planned: Resolved, level: Resolved) -> Calculation | None:
    """A plan's level set only as a net increase ("有效高新技术企业净增340家以上"), on top of the stock of the
    year before it is compared with (2,210 家): 2,550, not the 340 itself as a level."""
    if not isinstance(planned, Scored) or not isinstance(level, Scored) or not _is_plan(planned):
        return None
    year = planned.figure.period
    if year is None or level.figure.period != year - 1 or not adds_to_a_stock(planned, level):
        return None
    return forward_compute(level, planned, year)


def adds_to_a_stock(increase: Scored, level: Scored) -> bool:
    """Is a planned increase a net change of the stock ``level`` states: "净增340家" on "有效…达到2,210家", not the
    year's "新增科技贷贷款12亿元" beside last year's "发放…贷款9.3亿元" (a flow of its own)?"""
    level_words, increase_words = _prefix(level.sentence, level.figure), _prefix(increase.sentence, increase.figure)
    return (
        increase.figure.kind is FigureKind.INCREMENT
        and level.figure.kind in (FigureKind.ACTUAL, FigureKind.CUMULATIVE)
        and level.figure.unit == increase.figure.unit
        and not FLOW_WORDS.search(level_words)
        and (
            "净增" in increase_words
            or bool(STOCK_STATED.search(level_words))
            # "截至年底，全市国家级专精特新“小巨人”企业达42家": a level as of a date is a stock
            or bool(_AS_OF.search(level.sentence.text, 0, level.figure.start))
        )
    )


_AS_OF = re.compile(r"截至|截止|到(?:(?:19|20)\d{2}\s*年)?(?:年底|年末|底)")


def _is_plan(resolved: Resolved) -> bool:
    """Is the operand a plan's figure (a target, or the year after a report's review)?"""
    return isinstance(resolved, Scored) and (
        resolved.figure.kind is FigureKind.TARGET or resolved.sentence.period_kind is PeriodKind.TARGET
    )


_SAME_TIME_LEADS = {"提高": "高", "下降": "低"}  # a difference in points between two rates of the same year
# the difference's direction, said of a target not yet reached (or passed)
_GAP_LEADS = {"多": "还差", "少": "已超出", "提高": "还差", "下降": "已超出"}


def _except(query: Query, resolve: Resolve) -> Calculation | Missing | None:
    """The whole minus the named parts: "姑苏实验室引进人才里非国家级的有几人", "…中，高企和科小以外的有多少家"."""
    outside = _OUTSIDE.search(query.text)
    if outside is not None:
        named, before = outside.group("parts"), query.text[: outside.start("parts")]
        inside = _WITHIN.split(named)
        whole_text = inside[0] if len(inside) > 1 else (_WITHIN.split(before)[0] or before)
        part_texts = [p for p in split_and(inside[-1]) if p.strip(" ,，")]
    else:
        match = _EXCEPT.search(query.text)
        if match is None:
            return None
        whole_text = _WITHIN.split(query.text[: match.start()])[0] or query.text[: match.start()]
        part_texts = [query.text[match.end() :]]
    whole_text = whole_text.strip(" ,，")
    whole_q = side_query(whole_text, query, keep_unit=True)
    first_part_q = side_query(part_texts[0], query, keep_unit=True) if part_texts else None
    whole = _whole_holding(whole_q, first_part_q, resolve)
    if whole is None:
        return Missing(whole_text)
    remaining: Resolved = whole
    used = {s.figure.id for s in leaves(whole)}
    for part_text in part_texts:
        part = _part_beside(whole, side_query(part_text, query, keep_unit=True), resolve, frozenset(used))
        if part is None:
            return Missing(part_text, leaves(whole))
        used |= {s.figure.id for s in leaves(part)}
        remaining = combine(calc.difference(quantity(remaining), quantity(part)), (remaining, part), "")
    return remaining if remaining is not whole else None


HOLDER_COVERAGE_MARGIN = 0.05  # a whole stating the part replaces a better match only if this close (coverage)
MAX_WHOLE_TRIES = 3  # candidate wholes tried for one whose sentence also states the named part


def _whole_holding(whole_q: Query, part_q: Query | None, resolve: Resolve) -> Resolved | None:
    """The whole a part belongs to: of the best few matches, the first whose sentence states the part too.

    "国家级人才里非创业类的" is 国家级人才工程 291 人 (其中创业类人才 146 人), not the 国家级人才 14 人 of a
    laboratory, although both match the words; with no such whole, the best match.
    """
    best = resolve(whole_q, LEVEL_KINDS, frozenset())
    if part_q is None or not isinstance(best, Scored):
        return best
    tried: set[str] = set()
    candidate: Resolved | None = best
    for _ in range(MAX_WHOLE_TRIES):
        if not isinstance(candidate, Scored):
            break
        tried.add(candidate.figure.id)
        part = resolve(replace(part_q, years=(), relative=()), LEVEL_KINDS, frozenset(tried))
        if isinstance(part, Scored) and _states_part(candidate, part):
            return candidate
        candidate = resolve(whole_q, LEVEL_KINDS, frozenset(tried))
    return best


PART_COVERAGE_MARGIN = 0.1  # a part stated with its whole replaces a better match only if this close (coverage)


def _part_stated_with(
    whole: Scored, part: Scored, part_q: Query, resolve: Resolve, kinds: frozenset[FigureKind]
) -> Scored:
    """The part of a share as its whole's sentence states it: "孵化器68家（其中国家级19家）…当年新增国家级孵化器2家"
    — 国家级孵化器占全市孵化器 is 19 of the 68, not the year's 2 new ones, though 2 matches the words as well."""
    if _states_part(whole, part):
        return part

    def stated_with_whole(candidate: Scored) -> bool:
        return _states_part(whole, candidate) and candidate.figure.kind is part.figure.kind  # 累计 stays 累计

    tried = frozenset({part.figure.id, whole.figure.id})
    return _close_rival(part, part_q, resolve, kinds, tried, stated_with_whole) or part


def _states_part(whole: Scored, part: Scored) -> bool:
    """The part follows its whole in one sentence with no other figure of the whole's unit between them."""
    if part.sentence.id != whole.sentence.id or part.figure.start < whole.figure.end:
        return False
    between = whole.sentence.text[whole.figure.end : part.figure.start]
    return not re.search(rf"\d\s*{re.escape(whole.figure.unit)}", between) if whole.figure.unit else True


def _part_beside(whole: Resolved, part_q: Query, resolve: Resolve, exclude: frozenset[str]) -> Resolved | None:
    """A part is usually stated beside its whole ("216 家（含今年公示数 157 家）"), whatever year words say."""
    beside = resolve(replace(part_q, years=(), relative=()), LEVEL_KINDS, exclude)
    if isinstance(beside, Scored) and isinstance(whole, Scored) and beside.sentence.id == whole.sentence.id:
        return beside
    return resolve(part_q, LEVEL_KINDS, exclude)


def _binary(
    query: Query,
    resolve: Resolve,
    pattern: re.Pattern[str],
    op: Callable[..., calc.Result],
    lead: str,
    *,
    lists: _ListSources | None = None,
) -> Calculation | Missing | None:
    """A 是 B 的几倍 / A 占 B 的百分之几 (and "B 里 A 占比": the whole named first)."""
    match = pattern.search(query.text)
    within = _WITHIN_SHARE.search(query.text) if pattern is _SHARE_OF and not match else None
    if within:  # "路演的项目里拟立项的比例": the whole named first, the share word with no 占
        left_text, right_text = query.text[: within.start()], ""
    elif match:
        left_text, right_text = query.text[: match.start()], match.group("right")
    else:
        halves = split_compare(query.text)
        if halves is None:
            return None
        left_text, right_text = halves
    if _TOTAL_ONLY.fullmatch(right_text.strip(" 的,，")):
        return Missing(right_text)  # "中高级占总数的比重": a total the report does not state, not a sibling
    whole_first = not analyze(right_text).terms and bool(_WITHIN.search(left_text))
    if whole_first:
        whole_text, part_text = _WITHIN.split(left_text, maxsplit=1)[0], _WITHIN.split(left_text, maxsplit=1)[-1]
        left_text, right_text = part_text, whole_text
    left_q = side_query(left_text, query, keep_unit=False)
    if left_q.unit_class is None and left_q.implied_unit_class is not None:
        # "高企占全省比重": 高企 are counted (家), never their 营业收入约2,350亿元
        left_q = replace(left_q, unit_class=left_q.implied_unit_class, unit=left_q.implied_unit)
    # "研发投入占GDP比重是技术合同成交额占GDP比重的几倍": two rates compared, each named as a rate
    kinds = RATE_KINDS if left_q.prefer in RATE_KINDS else LEVEL_KINDS
    left: Resolved | Missing | None
    listed = _places_listed(left_text) or []
    several = len([p for p in split_and(left_text) if p.strip()]) > 1 or len(listed) > 1
    if pattern is _SHARE_OF and (several or top_ranked(left_text)):
        # "衍生孵化企业里高企加科小一共占几成", "黄埔天河两个区高企加起来占全市多少": the parts add up first
        # the whole named as a scope (全市) adds nothing to find the parts by, and "全市中南海…" reads 中南海
        within = "" if right_text.strip(" 的,，") in SCOPE_WORDS | WHOLE_SCOPE_WORDS else f"{right_text}中"
        summed = _parts_total(replace(query, text=f"{within}{left_text}", op=Op.SUM), resolve, lists)
        if not isinstance(summed, Calculation):
            return summed or Missing(left_text)
        left = summed
    else:
        left = resolve(left_q, kinds, frozenset())
    if left is None:
        return Missing(left_text)
    right_side = side_query(right_text, query, keep_unit=False)
    right_q = _relative_to(_elided(right_side, right_text, left_q, whole=pattern is _SHARE_OF), left, left_q)
    if pattern is _SHARE_OF:  # "占全市的比重", "占全部孵化器": the whole is everything, a report rarely says 全市
        kept = tuple((t, w) for t, w in right_q.weighted_terms if t not in WHOLE_SCOPE_WORDS)
        if kept:
            right_q = replace(right_q, weighted_terms=kept, terms=tuple(t for t, _ in kept))
        part_year = period_of(left)
        if part_year and not right_q.years and not right_q.relative:  # a part of 2022 is no part of 2023's whole
            right_q = replace(right_q, years=(part_year,))
    left_class = unit_class(unit_of(left))
    if left_class in (UnitClass.MONEY, UnitClass.COUNT):  # 贷款额 占 累计贷款额: both sides in money
        right_q = replace(right_q, unit_class=left_class, unit="")
    exclude = frozenset(s.figure.id for s in leaves(left))
    right = _resolve_other(right_q, right_text, left, resolve, kinds, exclude)
    if whole_first and isinstance(left, Scored):  # "孵化企业里高企占比": the whole that states this part
        holder = _whole_holding(replace(right_q, years=()), replace(left_q, years=()), resolve)
        fits = isinstance(holder, Scored) and holder.figure.id != left.figure.id and _states_part(holder, left)
        as_good = not isinstance(right, Scored) or (
            isinstance(holder, Scored) and holder.coverage >= right.coverage - HOLDER_COVERAGE_MARGIN
        )
        if fits and as_good:
            right = holder
    if pattern is _SHARE_OF and not whole_first and isinstance(left, Scored) and isinstance(right, Scored):
        left = _part_stated_with(right, left, left_q, resolve, kinds)
        # a stock's part is a stock: "高企占全省比重" is 1,862 of 2,896, not "较上年净增261家" beside the 2,896
        left = _like_for_like(right, left, left_q, resolve, kinds, frozenset({right.figure.id})) or left
    for tried in range(MAX_WHOLES_TRIED):
        if right is None:  # after a rejected whole, the operands found do not belong together: not a plain gap
            return Missing(right_text, leaves(left), implausible=tried > 0)
        if _same_number(left, right):  # "R&D占GDP比重": one figure found for both sides is no share of anything
            return Missing(right_text, leaves(left), implausible=True)
        if _same_quantity(left, right):  # the report states it twice ("…入库18,523家" in summary and detail)
            exclude = exclude | {s.figure.id for s in leaves(right)}
            right = _resolve_other(right_q, right_text, left, resolve, kinds, exclude)
            continue
        share = lead == "占" and "占" in query.text
        # like is compared with like: one unit, or generic counters only (个/项/件); 家 ÷ 个 (两个区域) is no 倍 or 占
        units = {unit_of(left), unit_of(right)}
        result = op(quantity(left), quantity(right)) if len(units) == 1 or units <= calc.GENERIC_COUNTERS else None
        if result is not None and not (share and result.value > MAX_PART_OF_WHOLE_PERCENT):
            return combine(result, (left, right), lead)
        # a part above its whole, or counted in another unit: this figure is no whole of the part ("全市高企
        # …过百亿元的企业21家" for 高新区's 4,512 家; "两个区域") — the next one that fits the whole's words
        exclude = exclude | {s.figure.id for s in leaves(right)}
        right = _resolve_other(right_q, right_text, left, resolve, kinds, exclude)
    return Missing(right_text, leaves(left), implausible=True)


MAX_PART_OF_WHOLE_PERCENT = 100  # a 占…百分之几 above this (in %) means the two figures are not part and whole
MAX_WHOLES_TRIED = 3  # figures tried as the whole of a share before it is refused as implausible


def _same_quantity(a: Resolved, b: Resolved) -> bool:
    """Do both sides state the same number in the same unit (the one quantity written in two sentences)?"""
    return (
        isinstance(a, Scored)
        and isinstance(b, Scored)
        and (a.figure.value, a.figure.unit) == (b.figure.value, b.figure.unit)
    )


def _same_number(a: Resolved, b: Resolved) -> bool:
    """Are both sides the very same number: one figure (or one derivation) found for both?"""
    if isinstance(a, Scored) and isinstance(b, Scored):
        return a.sentence.id == b.sentence.id and _same_quantity(a, b)
    return {s.figure.id for s in leaves(a)} == {s.figure.id for s in leaves(b)}


_SUM_WORDS = re.compile(rf"{SUM_WORDS}|共计|总和|(?<![总一公])共(?=多少|几|有|要|能|是)")


def adds_several(text: str) -> bool:
    """Does a 一共 question name two or more parts ("A和B一共", "武侯双流郫都成华…加起来", "前三的区一共")? Else it
    is a lookup."""
    listed = _places_listed(_SUM_WORDS.split(text)[0]) is not None
    return len(sum_parts(text)) >= 2 or listed or top_ranked(text) is not None


def split_and(text: str) -> list[str]:
    """``text`` cut at its 和/与/加… — never inside a place's name that holds one ("和林格尔新区", "和平区")."""
    names = sorted((p for p in place_words(text) if _AND.search(p)), key=len, reverse=True)
    masked = text
    for i, name in enumerate(names):
        masked = masked.replace(name, f"\x00{i}\x00")
    parts = _AND.split(masked)
    for i, name in enumerate(names):
        parts = [part.replace(f"\x00{i}\x00", name) for part in parts]
    return parts


def sum_parts(text: str) -> list[str]:
    """The quantities a 一共 question adds: before the sum word ("A和B一共"), or anywhere ("一共…发明加PCT")."""
    body = _SUM_WORDS.split(text)[0]
    parts = [p for p in split_and(body) if p.strip()]
    if len(parts) < 2:
        parts = [p for p in split_and(_SUM_WORDS.sub("", text)) if p.strip()]
    if len(parts) < 2:
        parts = _typed_side_by_side(body) or parts
    return parts


def _typed_side_by_side(body: str) -> list[str]:
    """Kinds of one thing typed one after another with nothing between ("省科技奖一等奖二等奖", "国家级省级孵化器"):
    each with the words before and after the run; [] when there is no such run."""
    words = cut(body)
    for i in range(len(words) - 1):
        run = [words[i]]
        for word in words[i + 1 :]:
            if _same_kind(run[0], word):
                run.append(word)
            else:
                break
        if len(run) >= 2:
            before, after = "".join(words[:i]), "".join(words[i + len(run) :])
            return [before + word + after for word in run]
    return []


_TIERED = re.compile(r"[\u4e00-\u9fff]{1,3}级")  # 国家级, 省级, 市级: tiers typed side by side


def _same_kind(first: str, word: str) -> bool:
    """Are two words typed side by side kinds of one thing: 一等奖/二等奖 (one length, one two-character tail),
    国家级/省级 (tiers)?"""
    tail = len(word) == len(first) >= 3 and word[-2:] == first[-2:]
    return tail or bool(_TIERED.fullmatch(word) and _TIERED.fullmatch(first))


# "要是2022年布局的10家都建成，总共有多少家", "22年再新建的话，总数能到多少": today's level plus what is planned
_IF_PLANNED = re.compile(
    r"要是|如果|假如|若是|的话|建成后|建完|完成后|都建成|落地后|再(?=新建|建|布局|新增)"
    r"|(?<=[\u4e00-\u9fff])后(?=[^，,。？?]{0,4}(?:一共|总共|共有|总数|能到|会有))"  # "新建5家…中心后全市一共几家"
)
_PLANNED_ADDITION = re.compile(r"新建|新增|布局|再建|建成|新设")
_TOTAL_ASKED = re.compile(
    r"总共|一共|总数|共有|共计|合计|加起来|加上|能到|达到多少|会有多少|有多少|累计到|累计有|累计达"
)
_LEVEL_WORDS = re.compile(r"年底|年末|达到|能到|会有|有多少|总数|总量")
_ADDITION_WORDS = re.compile(rf"(?:{_IF_PLANNED.pattern})|(?:{_PLANNED_ADDITION.pattern})|现在|目前|现有")


def asks_level_after_planned(text: str) -> bool:
    """Does a question ask the level once a planned addition is made ("新建5家…后全市一共几家", "25年底…计划达到")?"""
    hypothetical = _IF_PLANNED.search(text) and _PLANNED_ADDITION.search(text)
    return bool((hypothetical and _TOTAL_ASKED.search(text)) or YEAR_END_PLAN.search(text))


def _when_planned(query: Query, resolve: Resolve) -> Calculation | Missing:
    """The level after a planned addition: the latest stated level plus the planned new ones.

    The planned figure must be an addition (新建/布局 … 10 家, not a target level like 有效高企 12000 家),
    of the same indicator and unit; the level is the latest actual or running total.
    """
    words = _ADDITION_WORDS.sub(" ", query.text)
    base = replace(side_query(words, query, keep_unit=True), prefer=None, want_hint="")
    # the planned addition itself, asked without the words that ask for a level (which no 新增 answers)
    addition = replace(base, want=PeriodKind.TARGET, text=_LEVEL_WORDS.sub(" ", base.text))
    planned = resolve(addition, TARGET_KINDS | {FigureKind.INCREMENT}, frozenset())  # 新建…10家 / 新增…10家
    if not isinstance(planned, Scored) or not _PLANNED_ADDITION.search(_clause_of(planned)):
        return Missing(f"{query.text}（计划新增数）")
    # the stock it adds to, a running total first ("累计达86家", not "…机构衍生孵化企业127家")
    level_q = replace(base, want=PeriodKind.ACTUAL, years=(), relative=(), prefer=FigureKind.CUMULATIVE)
    level = resolve(level_q, ACTUAL_KINDS, frozenset({planned.figure.id}))
    if not isinstance(level, Scored):
        return Missing(f"{query.text}（现有数）", (planned,))
    year_end = YEAR_END_PLAN.search(query.text) and planned.figure.period
    lead = f"{planned.figure.period}年底共" if year_end else "建成后共"
    return _total([level, planned], lead) or Missing(f"{query.text}（同口径的现有数）", (planned,))


_CLAUSE_MARK = re.compile(rf"[，；;。]|{CLAUSE_COMMA}")  # not the comma of 6,512


def _clause_of(scored: Scored) -> str:
    """The clause a figure is written in, up to the figure itself ("2022年新建新型研发机构10家")."""
    text = scored.sentence.text
    start = max((m.end() for m in _CLAUSE_MARK.finditer(text, 0, scored.figure.start)), default=0)
    return text[start : scored.figure.end]


@dataclass(frozen=True)
class _ListSources:
    """Where a place-by-place list is looked for: the best matches of what is asked, and the sentences after them."""

    rank: Rank
    figures_of: FiguresOf
    following: Following | None


def _parts_total(query: Query, resolve: Resolve, lists: _ListSources | None) -> Calculation | Missing | None:
    """The parts a 一共 question adds, named ("A和B一共") or picked by rank ("前三的区一共")."""
    ranked = top_ranked(query.text)
    if ranked is not None and lists is not None:
        return _top_ranked(query, ranked, lists)
    return _sum(query, resolve)


MAX_LIST_SENTENCES = 6  # best-matching sentences searched for the place list a 前三的区 question ranks
MAX_BREAKDOWN_SENTENCES = 3  # sentences after a city's figure, in its paragraph, searched for its place list
_REST_OF_LIST = re.compile(r"其余|其他|其它|合计|共计|总计|全市|全区|全县|平均")  # no place of a list's own


def _top_ranked(query: Query, ranked: tuple[int, re.Match[str]], lists: _ListSources) -> Calculation | Missing:
    """The sum of the first places of a place-by-place list of what is asked ("科小入库前三的区一共多少家").

    The list is in the best-matching sentence, or in one of the few after the city's figure in its paragraph ("…入库
    4873家…。其中，综改示范区、小店区、万柏林区入库数分别达到…"), with at least as many places as asked, each with a
    figure of one unit in one clause group; the places are ranked by their figures, the top ones added.
    """
    count, match = ranked
    words = _SUM_WORDS.sub(" ", query.text[: match.start()] + " " + query.text[match.end() :])
    measure_q = side_query(words, query, keep_unit=True)
    ranked_all = lists.rank(measure_q, LEVEL_KINDS)
    # a district's figure first: the list is of places, whatever the city's total scores
    candidates = [c for c in ranked_all if c.other_area][:MAX_LIST_SENTENCES]
    candidates += [c for c in ranked_all if not c.other_area][:MAX_LIST_SENTENCES]
    for candidate in candidates:
        anchors = [(candidate.sentence, candidate.figure)]
        if not candidate.other_area and lists.following is not None:
            anchors += [
                (after, f)
                for after in lists.following(candidate.sentence)[:MAX_BREAKDOWN_SENTENCES]
                for f in lists.figures_of(after.id)
                if f.unit == candidate.figure.unit
            ]
        for sentence, anchor in anchors:
            listed = _place_figures(sentence, anchor, lists.figures_of(sentence.id))
            if len(listed) < count:
                continue
            top = sorted(listed, key=lambda f: f.value, reverse=True)[:count]
            parts: list[Resolved] = [
                Scored(f, sentence, candidate.coverage, candidate.score, ()) for f in sorted(top, key=lambda f: f.start)
            ]
            if total := _total(parts, "共"):
                return total
    return Missing(f"{query.text[: match.end()]}（分地区的数据）")


def _place_figures(sentence: Sentence, anchor: Figure, figures: list[Figure]) -> list[Figure]:
    """The figures of the anchor's clause group (between ；/。) that each belong to a place: "A区86家、B区64家"
    (the place in the figure's own segment), or "A、B、C分别达到x、y、z" (places before 分别, as many as figures)."""
    text = sentence.text
    start = max((m.end() for m in _CLAUSE_GROUP_BREAK.finditer(text, 0, anchor.start)), default=0)
    end_mark = _CLAUSE_GROUP_BREAK.search(text, anchor.end)
    end = end_mark.start() if end_mark else len(text)
    same = [f for f in figures if start <= f.start < end and f.unit == anchor.unit and f.kind is anchor.kind]
    respectively = _RESPECTIVELY.search(text, start, end)
    if respectively is not None:
        after = [f for f in same if f.start > respectively.end()]
        named = text[start : respectively.start()]
        found = list(dict.fromkeys(asked_places(named, None)))
        places = [p for p in found if _named_apart(p, found, named)]
        return after if len(places) == len(after) else []
    # (a figure's own segment never reaches back past the ；/。 that starts the group)
    segments = [(f, _prefix_text(text, f)) for f in same]
    return [f for f, segment in segments if asked_places(segment, None) and not _REST_OF_LIST.search(segment)]


def _sum(query: Query, resolve: Resolve) -> Calculation | Missing | None:
    """A 和 B 一共/加起来: add two figures of the same unit."""
    parts = sum_parts(query.text)
    given_parts = len(parts) < 2 and bool(query.given_values)
    if given_parts:  # "…累计14家，22年再布局10家，加起来": each given is a part
        parts = [p for p in _CLAUSE_BREAK.split(_SUM_WORDS.split(query.text)[0]) if p.strip()]
    said = _SUM_WORDS.search(query.text)
    before = query.text[: said.start()] if said else query.text
    listed = _places_listed(before)
    if len(parts) < 2:
        if listed is None:
            return None
        if not listed:  # "这6个区" counts more places than the question names that we know
            return Missing(query.text)
        parts = listed
    elif listed and len(listed) == len(parts) and all(_only_a_place(p) for p in parts[:-1]):
        parts = listed  # "南岗和松北科小入库": places joined by 和 share the words of the last
    shared = _WITHIN.split(parts[0])
    prefix = shared[0] if len(shared) > 1 else ""
    if prefix.strip() in SCOPE_WORDS:  # "全市中经开区和高新区…": every place is within the city; 全市 narrows nothing
        parts = [shared[-1], *parts[1:]]
        prefix = ""
    # "高新区加涪城区 去年一共认定多少家高企": what follows the sum word names what every part counts (unless
    # the parts were read after it: "一共有多少发明加PCT")
    after = query.text[said.end() :] if said and all(p in before for p in sum_parts(query.text)) else ""
    # "沪苏共建平台和校地校企合作合同金额": the measure written once at the end belongs to every part
    measure = _SHARED_MEASURE.search(parts[-1])
    suffix = measure.group(0) if measure else ""
    resolved: list[Resolved] = []
    for i, text in enumerate(parts):
        if suffix and i < len(parts) - 1 and suffix not in text:
            text = text + suffix
        asked = (prefix + text) if i and prefix else text
        side = side_query(asked + after if after and _names_only_places(asked) else asked, query, keep_unit=True)
        if not side.years and not side.relative:  # "2022年瞪羚和独角兽": the year is every part's
            side = replace(side, years=query.years, relative=query.relative)
        if side.want is None:  # "…加起来要选多少家": 要选 asks for the targets of every part
            side = replace(side, want=query.want, want_hint=query.want_hint)
        if given_parts and i:  # "22年再布局10家": a later given names only its verb, the first its subject
            side = _elided(side, text, side_query(parts[0], query, keep_unit=True))
        got = resolve(side, LEVEL_KINDS, frozenset(s.figure.id for r in resolved for s in leaves(r)))
        if got is None:
            return Missing(text, tuple(s for r in resolved for s in leaves(r)))
        resolved.append(got)
    return _total(resolved, "共") or Missing(parts[-1], tuple(s for r in resolved for s in leaves(r)))


_PLACES_COUNTED = re.compile(
    r"^(?:这|那)?(?P<count>[两\d一二三四五六七八九十]+)"
    r"(?:个?(?:地方|地区|城区|市区|开发区|园区|地|区县|区|县|市)|个(?=\s*$))"
)


_NAME_BEFORE_COUNT = re.compile(
    r"[\s、，,和及与]*[\u4e00-\u9fff]{2,4}?(?=(?:这|那)?[两\d一二三四五六七八九十]+"
    r"(?:个?(?:地方|地区|城区|市区|开发区|园区|地|区县|区|县|市)|个))"
)
_WHOLE_BEFORE = re.compile(r"^.*(?:当中|中|里)")  # "全市中…": the whole the listed places are within
_TYPED_APART = re.compile(r"[\s、，,和及与]+")
_ZONE_SUFFIX = re.compile(r"[区县市镇乡园城]$")


def _places_listed(body: str) -> list[str] | None:
    """ "高新区天府新区武侯…这6个区高企": each place with the words after the list, or None when it is no list.

    When the question counts them (这6个区), a list of another length is none we can read: [] (refused).
    """
    # jieba's and the reports' places, and districts written whole ("高新区 经开区" of 长沙高新区…), in order
    found = list(dict.fromkeys(asked_places(body, None)))
    places = sorted((p for p in found if _named_apart(p, found, body)), key=body.find)
    if len(places) < 2:
        return None
    tail = body[body.rfind(places[-1]) + len(places[-1]) :].lstrip()  # "…和林格尔新区 这三个园区高企"
    counted = _PLACES_COUNTED.match(tail)
    unknown = None if counted else _NAME_BEFORE_COUNT.match(tail)
    if unknown:  # "洛龙 涧西 高新三个区": a name no dictionary knows between the last known one and the count
        tail = tail[unknown.end() :]
        counted = _PLACES_COUNTED.match(tail)
    if counted:
        count = parse_number(counted.group("count"))
        if count != len(places):
            # "高新 金普 甘井子三个区": as many names typed apart as counted are the places (高新 is 高新区)
            typed = [t for t in _TYPED_APART.split(_WHOLE_BEFORE.sub("", body[: len(body) - len(tail)])) if t]
            if count != len(typed):
                return []
            places = typed
        tail = tail[counted.end() :]
    # "新认定高企 高新区长安裕华三个": what is counted may come first — not the whole they are within (全市中)
    head = _WHOLE_BEFORE.sub("", body[: body.find(places[0])])
    counted_first = _PLACES_COUNTED.match(head.strip())  # "四个城区 新城 回民 玉泉 赛罕 高企…": counted first
    if counted_first:
        if parse_number(counted_first.group("count")) != len(places):
            return []
        head = head.strip()[counted_first.end() :]
    # a counted name no dictionary knows is a zone's short form (高新 of 高新区, 经开 of 经开区)
    return [head + (p if p in found or _ZONE_SUFFIX.search(p) else p + "区") + tail for p in places]


def _named_apart(place: str, found: list[str], body: str) -> bool:
    """Is the place named on its own, not only inside a longer one ("经开区" of "高新区经开区东盟经开区" is)?"""
    for longer in sorted((q for q in found if q != place and place in q), key=len, reverse=True):
        body = body.replace(longer, " ")
    return place in body


def _names_only_places(part: str) -> bool:
    """Does a part name places and nothing else but years ("涪城区 去年")? It counts what the question says after."""
    places = asked_places(part, None)
    return bool(places) and all(any(term in place for place in places) for term in analyze(part).terms)


def _only_a_place(part: str) -> bool:
    """Is a part of a 和-list nothing but a place's name ("南岗", "高新区")?"""
    return any(place == part.strip() for place in asked_places(part, None))


def _total(resolved: list[Resolved], lead: str) -> Calculation | None:
    """The sum of two or more resolved quantities, shown as "a + b = c"; None when their units differ."""
    quantities = [quantity(r) for r in resolved]
    operands = [q if isinstance(q, calc.Operand) else calc.Operand.from_figure(q) for q in quantities]
    if len({o.unit for o in operands}) != 1:
        return None
    program = calc.Program.of(
        ("add", operands[0], operands[1]), *(("add", f"#{i}", o) for i, o in enumerate(operands[2:]))
    )
    value, _ = calc.evaluate(program)
    total = calc.Operand("合计", value, operands[0].unit, operands[0].scale)
    approximate = any(calc.is_approximate_qualifier(o.qualifier) for o in operands)
    formula = f"{' + '.join(o.display for o in operands)} {'≈' if approximate else '='} {total.display}"
    result = calc.Result(total.number, total.number, total.display_unit, formula, approximate, tuple(operands))
    return combine(result, tuple(resolved), lead)


def _completion_rate(query: Query, resolve: Resolve) -> Calculation | Missing | None:
    """完成率 = an actual ÷ the target of the same indicator.

    With two years the later is the target's ("21年…对22年目标"); one year is the target's
    ("2021年…完成率" with no 2021 target is refused, not measured against 2022's), and the actual
    is that year's or else the latest one.
    """
    years = tuple(sorted(query.years))
    base = replace(side_query(query.text, query, keep_unit=False), prefer=None, relative=(), want_hint="")
    # "去年…完成年度目标的百分之几": a relative year is the target's too
    relative = () if years else tuple(sorted(query.relative))[-1:]
    target_q = replace(base, want=PeriodKind.TARGET, years=years[-1:], relative=relative)
    actual_q = replace(base, want=PeriodKind.ACTUAL)
    if not years and not relative and "完成率" in query.text:  # "高企年度目标完成率": the latest year with both
        latest = resolve(actual_q, ACTUAL_KINDS, frozenset())
        year = period_of(latest) if latest is not None else None
        same_year = resolve(replace(target_q, years=(year,)), TARGET_KINDS, frozenset()) if year else None
        # both stated: a target derived from a stated completion rate would only compute that rate again
        if isinstance(latest, Scored) and isinstance(same_year, Scored) and _same_class(latest, same_year):
            return combine(calc.share(quantity(latest), quantity(same_year)), (latest, same_year), "完成率")
    target = resolve(target_q, TARGET_KINDS, frozenset())
    # a target is stated, or implied by a stated completion rate: never an earlier year's level back-computed
    if target is None or (
        not isinstance(target, Scored) and not any(s.figure.kind is FigureKind.COMPLETION for s in leaves(target))
    ):
        return Missing(f"{query.text}（目标）")
    actuals = [years[:1], ()] if years else [()]
    exclude = frozenset(s.figure.id for s in leaves(target))
    actual = next(
        (a for y in actuals if (a := resolve(replace(actual_q, years=y, relative=relative), ACTUAL_KINDS, exclude))),
        None,
    )
    if actual is None or _same_number(actual, target):
        return Missing(f"{query.text}（实际完成数）", leaves(target))
    if unit_class(unit_of(actual)) is not unit_class(unit_of(target)):
        return Missing(f"{query.text}（同口径的目标）", leaves(target))
    return combine(calc.share(quantity(actual), quantity(target)), (actual, target), "完成率")


def _same_class(a: Resolved, b: Resolved) -> bool:
    return unit_class(unit_of(a)) is unit_class(unit_of(b))


def _target(query: Query, anchor: Resolved) -> str | None:
    if query.unit_class is UnitClass.MONEY and query.unit in MONEY_TARGET_UNITS:
        return query.unit
    if query.unit_class is UnitClass.MONEY and isinstance(anchor, Scored) and anchor.figure.scale:
        return f"{anchor.figure.scale}{anchor.figure.unit}"
    return None


def _prior_cumulative(query: Query, resolve: Resolve, figures_of: FiguresOf) -> Calculation | Missing | None:
    """ "2021年以前累计": the running total minus the year's own figure stated beside it."""
    before = None if _EXCEPT.search(query.text) else _BEFORE.search(query.text)
    if before:  # "科贷通21年以前累计解决的贷款": the words on both sides name the total
        named = (query.text[: before.start()] + query.text[before.end() :]).strip(" ,，")
    else:  # "累计服务的企业除去21年当年的": what follows 除去 is the year's own figure
        named = _BEFORE_OR_EXCEPT.split(query.text, maxsplit=1)[0] or query.text
    side = replace(side_query(named, query, keep_unit=True), years=(), relative=())
    total = resolve(side, frozenset({FigureKind.CUMULATIVE}), frozenset())
    if not isinstance(total, Scored):
        return Missing(query.text)
    same = figures_of(total.sentence.id)
    yearly = [
        f
        for f in same
        if f.start < total.figure.start
        and f.unit == total.figure.unit
        and f.kind in (FigureKind.ACTUAL, FigureKind.INCREMENT)
    ]
    if not yearly:
        return Missing("当年新增数", (total,))
    this_year = Scored(yearly[-1], total.sentence, total.coverage, total.score, ())
    result = calc.back_from_increment(total.figure, this_year.figure, target_unit=_target(query, total))
    year = total.figure.period
    return combine(result, (total, this_year), f"{year}年以前累计" if year else "此前累计")


def _average(query: Query, rank: Rank, figures_of: FiguresOf, resolve: Resolve) -> Calculation | Missing | None:
    """平均每家/人均: a total and the count it is spread over, stated in the same sentence.

    Every admissible total is paired with the counts of its sentence; the pair whose count is
    named by the words after 每 (每家市级新型研发机构) or before 平均 wins.
    """
    per = _PER.search(query.text)
    per_unit = UNIT_PER.get(per.group("unit") or "", per.group("unit") or "") if per else ""
    # the nouns after 每 name what is counted ("每家市级新型研发机构"); a verb there ("平均一项成交多少") does not
    noun = analyze(per.group("noun")) if per and per.group("noun") else None
    per_words = tuple(t for t, weight in noun.weighted_terms if weight >= 1.0) if noun else ()
    subject_words = analyze(query.text[: per.start()]).terms if per else ()
    text_wo_per = query.text[: per.start()] + query.text[per.end() :] if per else query.text
    total_q = side_query(text_wo_per or query.text, query, keep_unit=True)
    whole_q = replace(
        total_q,
        terms=query.terms,
        weighted_terms=query.weighted_terms,
        modifiers=query.modifiers,
        prefer=FigureKind.CUMULATIVE if query.cumulative else None,  # "累计下来平均每家": the running totals
    )
    totals = rank(whole_q, LEVEL_KINDS)
    best: tuple[float, Scored, Figure] | None = None
    for order, total in enumerate(totals[:MAX_PAIR_SENTENCES]):
        for f in figures_of(total.sentence.id):
            if f.id == total.figure.id or f.kind not in LEVEL_KINDS or unit_class(f.unit) is not UnitClass.COUNT:
                continue
            if per_unit and f.unit not in PER_UNIT_COUNTS.get(per_unit, (per_unit,)):
                continue
            if total.figure.unit == f.unit and not per_words:
                continue  # 907 家 ÷ 66 家 only when the question names what is counted per
            if _CLAUSE_GROUP_BREAK.search(
                total.sentence.text[min(f.end, total.figure.end) : max(f.start, total.figure.start)]
            ):
                continue  # "科创飞地 18 个；…创新券兑付 1680 万元": a count across a ；is another indicator's
            named = sum(len(w) for w in (*per_words, *subject_words) if w in _prefix(total.sentence, f) + f.context)
            score = total.score - 0.05 * order + 0.1 * named - 0.002 * abs(total.figure.start - f.start)
            if f.start > total.figure.start:
                score -= 0.05  # "为 2092 家企业解决贷款 84.11 亿元": the count comes first
            if f.kind is not total.figure.kind:
                score -= 0.3
            if best is None or score > best[0]:
                best = (score, total, f)
    if best is None and whole_q.unit_class is not UnitClass.COUNT:
        best = _total_beside_count(whole_q, rank, figures_of)
    if best is not None:
        _, total, count_figure = best
        count: Scored | None = Scored(count_figure, total.sentence, total.coverage, total.score, ())
    elif totals:
        # "高企平均每家营收多少万元": the 营业总收入 and the 有效高企 count are stated in different sentences
        total = totals[0]
        count = _count_elsewhere(total, (*per_words, *subject_words), per_unit, query, resolve)
    else:
        return Missing(text_wo_per or query.text)
    if count is None:
        return Missing(f"每{per_unit or '单位'}的数量")
    target = query.unit if query.unit_class is UnitClass.MONEY and query.unit in MONEY_TARGET_UNITS else None
    result = calc.average(total.figure, count.figure, target_unit=target)
    return combine(result, (total, count), "平均")


def _total_beside_count(whole_q: Query, rank: Rank, figures_of: FiguresOf) -> tuple[float, Scored, Figure] | None:
    """ "统筹实施市级科技计划项目423项，安排财政资金28,600万元": the count named as asked, and the amount its
    sentence spreads over it, nearest in its clause group (an amount naming a funder of its own, or whose count
    the question names, is found here, by its count)."""
    counts = rank(replace(whole_q, unit_class=UnitClass.COUNT, unit=""), LEVEL_KINDS)
    for count in counts[:MAX_PAIR_SENTENCES]:
        text = count.sentence.text
        amounts = [
            f
            for f in figures_of(count.sentence.id)
            if f.kind in LEVEL_KINDS
            and unit_class(f.unit) is whole_q.unit_class
            and not _CLAUSE_GROUP_BREAK.search(text[min(f.end, count.figure.end) : max(f.start, count.figure.start)])
        ]
        if amounts:  # the nearest ("发放科技创新券3,260万元，支持412家中小企业" too)
            nearest = min(amounts, key=lambda f: abs(f.start - count.figure.start))
            total = Scored(nearest, count.sentence, count.coverage, count.score, ())
            return count.score, total, count.figure
    return None


def _count_elsewhere(
    total: Scored, words: tuple[str, ...], per_unit: str, query: Query, resolve: Resolve
) -> Scored | None:
    """The count a total is spread over, stated on its own: the question's counted noun (高企 → 家), the
    same year as the total, how many there are (not the year's new ones)."""
    counted = [w for w in words if head_unit(w)[0] is UnitClass.COUNT]
    if not counted or total.figure.period is None:
        return None
    unit = per_unit or head_unit(counted[0])[1]
    base = side_query(" ".join(counted), query, keep_unit=False)
    count_q = replace(
        base,
        unit_class=UnitClass.COUNT,
        unit=unit,
        years=(total.figure.period,),
        relative=(),
        want=None,
        want_hint="",
        prefer=None,
    )
    count = resolve(count_q, LEVEL_KINDS, frozenset({total.figure.id}))
    if not isinstance(count, Scored) or count.figure.period != total.figure.period or count.figure.unit != unit:
        return None
    if count.figure.kind is FigureKind.INCREMENT or FLOW_WORDS.search(_prefix(count.sentence, count.figure)):
        return None  # "新认定712家" is no count of the firms the 营业总收入 is of
    return count


def _return(query: Query, resolve: Resolve, figures_of: FiguresOf) -> Calculation | Missing | None:
    """收益率 = 收益 ÷ 出资, both money, from the sentence that states them."""
    gain_text = _COST.split(query.text, maxsplit=1)[0] or query.text  # "收益相当于累计出资的…": 收益 side
    gain_q = replace(side_query(gain_text, query, keep_unit=False), unit_class=UnitClass.MONEY)
    gain = resolve(gain_q, LEVEL_KINDS, frozenset())
    if not isinstance(gain, Scored):
        return Missing("收益")
    money = [f for f in figures_of(gain.sentence.id) if unit_class(f.unit) is UnitClass.MONEY]
    gains = [f for f in money if _GAIN.search(_prefix(gain.sentence, f))]
    costs = [f for f in money if _COST.search(_prefix(gain.sentence, f))]
    if not gains or not costs:
        return Missing("收益或出资")
    g = Scored(gains[0], gain.sentence, gain.coverage, gain.score, ())
    c = Scored(costs[0], gain.sentence, gain.coverage, gain.score, ())
    return combine(calc.return_rate(g.figure, c.figure), (g, c), "收益率")


_SEGMENT_MARK = re.compile(rf"[，；;。、]|{CLAUSE_COMMA}")


def _prefix(sentence: Sentence, figure: Figure) -> str:
    return _prefix_text(sentence.text, figure)


def _prefix_text(text: str, figure: Figure) -> str:
    """The words of the figure's own segment before it."""
    left = max((m.end() for m in _SEGMENT_MARK.finditer(text, 0, figure.start)), default=0)
    return text[left : figure.start]


def back_compute(level: Scored, sentence_figures: list[Figure], year: int) -> Calculation | None:
    """An earlier year's level from a later one and the change stated beside it.

    3251 人 + 较 2020 年增长 30.1% → 2020 ≈ 2499 人; 11155 家 + 净增 1402 家 → 9753 家;
    58 个 + 相比去年扩大一倍 → 29 个.
    """
    after = [f for f in sentence_figures if f.start > level.figure.start]
    next_level = next(  # (not a part of it: "达到32家，其中省级12家，数量较2022年翻一番")
        (
            f
            for f in after
            if f.kind in LEVEL_KINDS - {FigureKind.INCREMENT}
            and f.unit == level.figure.unit
            and not _PART_LEAD.match(_prefix(level.sentence, f))
            and not _in_aside(level.sentence.text, f.start)  # "21.6件（全省为12.9件），较上年增加3.4件"
        ),
        None,
    )
    limit = next_level.start if next_level else len(level.sentence.text)
    before = [f for f in sentence_figures if f.start < level.figure.start]
    for change in [f for f in after if f.start < limit] + before[::-1]:
        if change.base_period not in (year, None) or change.period != level.figure.period:
            continue
        if _owner(change, sentence_figures, level.sentence.text) is not level.figure:
            continue  # "认定 3755 家，净增 1402 家，达到 11155 家": the net increase is the total's, not 认定's
        prefix = _prefix(level.sentence, change)
        if _in_aside(level.sentence.text, change.start):  # "193.6亿元（较上年增长12.8%）": the aside's own words
            prefix = re.split(r"[（(]", prefix)[-1]
        if _names_another_subject(change, level, prefix):
            continue  # "国家级孵化器累计 23 家；新增国家级众创空间 4 家": another indicator's change
        if change.kind is FigureKind.GROWTH and change.unit == "%":
            result = calc.back_from_growth(level.figure, change)
        elif change.kind is FigureKind.INCREMENT and change.unit == level.figure.unit and change.base_period == year:
            result = calc.back_from_increment(level.figure, change)
        elif change.unit == calc.POINTS and level.figure.unit == "%":  # 比重 50.2%，较上年提高 1.6 个百分点
            fell = bool(re.search(r"下降|降低|减少|回落|收窄", _prefix(level.sentence, change)))
            result = calc.back_from_points(level.figure, change, fell=fell)
        elif change.kind is FigureKind.MULTIPLE and (
            change.base_period == year
            # "成交额8.65亿元，增长1.2倍": a growth in multiples with no year named is on the year before, as x %
            or (
                change.base_period is None
                and year == (level.figure.period or 0) - 1
                and _phrasing(level.sentence, change) is calc.Multiple.MORE
            )
        ):
            result = calc.back_from_multiple(level.figure, change.number, phrasing=_phrasing(level.sentence, change))
        else:
            continue
        change_scored = Scored(change, level.sentence, level.coverage, level.score, ())
        lead = f"{year}年约" if result.approximate else f"{year}年"
        return Calculation(result, (level, change_scored), lead, (_statement(level), _statement(change_scored)))
    return None


def _in_aside(text: str, at: int) -> bool:
    """Is position ``at`` inside parentheses (an aside: "（全省为12.9件）")?"""
    before = text[:at]
    return before.count("（") + before.count("(") > before.count("）") + before.count(")")


def _not_an_aside_apart(text: str, level: Figure, reader: Figure) -> bool:
    """May ``reader`` (a change, a rate) read ``level``: not when the level is in an aside the reader is outside of."""
    return _in_aside(text, reader.start) or not _in_aside(text, level.start)


def _phrasing(sentence: Sentence, multiple: Figure) -> calc.Multiple:
    """How a report states a multiple: 翻 n 番, 扩大/增长 x 倍 (× 1 + x), or 是 x 倍 (× x)."""
    if multiple.raw.startswith("翻"):
        return calc.Multiple.DOUBLINGS
    said = _prefix(sentence, multiple) + multiple.raw
    return calc.Multiple.MORE if re.search(r"扩大|增长|增加|提高", said) else calc.Multiple.TIMES


def forward_compute(level: Scored, change: Scored, year: int, target_unit: str | None = None) -> Calculation | None:
    """A plan's level for ``year`` from today's and the change the plan sets against it.

    46.8 亿元 + 2024年增长不低于 8% → 约 50.54 亿元; 58.4 亿元 + 力争较 2023 年翻一番 → 116.8 亿元;
    2,210 家 + 净增 340 家以上 → 2,550 家.
    """
    if change.figure.kind is FigureKind.INCREMENT:
        result = calc.forward_from_increment(level.figure, change.figure, target_unit=target_unit)
        exact_level = not calc.is_approximate_qualifier(level.figure.qualifier)
        if exact_level and any(q in change.figure.qualifier for q in calc.LOWER_BOUND_QUALIFIERS):
            lead = f"{year}年目标至少"  # 2,210 + 净增340家以上: at least 2,550, not "about" it
            return Calculation(result, (level, change), lead, (_statement(level), _statement(change)))
    elif change.figure.kind is FigureKind.GROWTH and change.figure.unit == "%":
        result = calc.forward_from_growth(level.figure, change.figure, target_unit=target_unit)
    elif change.figure.kind is FigureKind.MULTIPLE:
        phrasing = _phrasing(change.sentence, change.figure)
        result = calc.forward_from_multiple(
            level.figure, change.figure.number, phrasing=phrasing, target_unit=target_unit
        )
    else:
        return None
    lead = f"{year}年约" if result.approximate else f"{year}年"
    return Calculation(result, (level, change), lead, (_statement(level), _statement(change)))


def _names_another_subject(change: Figure, level: Scored, prefix: str) -> bool:
    """Does a change name its own subject, a noun the level's clause does not have ("新增国家级众创空间 4 家"
    beside "国家级孵化器累计 23 家")? "较上年增长", "净增", "相比去年扩大" name none."""
    if not has_own_subject(prefix, subset_borrows=False):
        return False
    own = level.sentence.text[: level.figure.start]  # the level's subject, or the clause it borrows it from
    words = without_prior_value(prefix)  # "在2023年净增506家的基础上再净增": no 基础 named
    nouns = [t for t, weight in content_terms(words) if weight >= 1.0 and len(t) > 1 and not is_modifier(t)]
    return any(noun not in own for noun in nouns)


def counts_what_changed(change: Figure, sentence_figures: list[Figure], text: str) -> bool:
    """Is a stated change a change of a count (家, 项, 人 …), as "技术合同项数增长多少" asks — not of the amount
    it belongs to ("技术合同成交额186.45亿元，同比增长15.3%")?"""
    level = _owner(change, sentence_figures, text)
    return level is None or unit_class(level.unit) is not UnitClass.MONEY


def _owner(change: Figure, sentence_figures: list[Figure], text: str) -> Figure | None:
    """The level a stated change belongs to.

    A net increase followed at once by a level of its unit ("净增 1402 家，有效高企达到 11155 家")
    belongs to that level; otherwise a change belongs to the nearest level before it.
    """
    levels = [  # (a level in an aside is another's, or another year's: "21.6件（全省为12.9件），较上年增加3.4件")
        f
        for f in sentence_figures
        if f.kind in LEVEL_KINDS - {FigureKind.INCREMENT} and _not_an_aside_apart(text, f, change)
    ]
    respective = _RESPECTIVELY.search(text, max(0, change.start - MAX_RESPECTIVE_REACH), change.start)
    if respective:  # "投放 386.7 亿元，惠及 5 420 家，同比分别增长 16.4% 和 12.8%": the i-th change, the i-th level
        end = _CLAUSE_GROUP_BREAK.search(text, respective.end())
        group = [
            f
            for f in sentence_figures
            if respective.end() <= f.start < (end.start() if end else len(text)) and f.kind is change.kind
        ]
        owners = [f for f in levels if f.start < respective.start()][-len(group) :]
        return owners[group.index(change)] if len(owners) == len(group) and change in group else None
    if change.kind is FigureKind.INCREMENT:
        # a net increase changes a stock ("有效高企数达到 11155 家"), not a flow stated before it ("认定 3755 家")
        following = [f for f in levels if f.start > change.start and f.unit == change.unit]
        between = text[change.end : following[0].start] if following else ""
        # …but only the level right after it: "净增1,052家，完成…105.2%，约占全省有效高企（7.56万家）" is not the
        # province's change
        asides = (FigureKind.RANK, FigureKind.COMPLETION)
        next_figure = next(
            (f for f in sentence_figures if f.start >= change.end and f.kind not in asides), None
        )  # ("新增科创板企业18家、全国第二，累计达38家", "新增…9家，完成年度目标的112.5%，累计达到42家": asides)
        # (…nor a part named after it: "净增118家，总量居全省第2位，其中年营业收入超亿元的高企213家")
        # (…nor the whole of a share after it: "净增752家，总量…，约占全省有效高企总数（6.9万家）的八分之一")
        apart = re.search(r"[；;。]|其中|包括|含|占", between)
        if following and next_figure is following[0] and not apart and _STOCK.search(between):
            return following[0]
    if change.unit == calc.POINTS:  # "比重达 50.2%，较上年提高 1.6 个百分点": a share's change
        shares = [f for f in sentence_figures if f.start < change.start and f.unit == "%"]
        return shares[-1] if shares else None
    before = [f for f in levels if f.start < change.start and (change.unit in ("%", "倍") or f.unit == change.unit)]
    if _WHOLE_MEASURE_LEAD.match(_prefix_text(text, change)):
        # "达到32家，其中省级12家，数量较2022年翻一番": the 数量 of the whole, not of the part named between
        wholes = [f for f in before if not _PART_LEAD.match(_prefix_text(text, f))]
        before = wholes or before
    return before[-1] if before else None


# what a rate is a rate *of*: "占规上工业产值的比重 52.5%" → 规上工业产值; "财政资金放大倍率达 7.1 倍" → 财政资金
_SHARE_REFERENCE = re.compile(
    r"占(?P<ref>[^，,；;。、]{1,24}?)的?(比重|比例|份额|比)?(预计|将|已)?(达到|达|为|约|超过|超)?\s*$"
)
_LEVERAGE_REFERENCE = re.compile(
    r"(?P<ref>[\u4e00-\u9fffA-Za-z]{2,12}?)(放大|撬动|带动)(倍率|倍数|效应|了)?(预计|将|已)?(达到|达|为|约|超过|超)?\s*$"
)


def rate_reference(rate: Figure, sentence: Sentence) -> str:
    """The quantity a share is of, or the base a leverage multiple multiplies; "" for other figures."""
    if _is_intensity(rate, sentence.text):
        return _INTENSITY_REFERENCE  # 研发投入强度 is R&D spending over the economy's output
    pattern = {FigureKind.SHARE: _SHARE_REFERENCE, FigureKind.MULTIPLE: _LEVERAGE_REFERENCE}.get(rate.kind)
    match = pattern.search(_prefix(sentence, rate)) if pattern else None
    return match.group("ref").strip() if match else ""


# "研发投入强度达到3.02%": a share of 地区生产总值 by definition, though the report never says 占GDP
_INTENSITY = re.compile(
    r"(?:研发|R&D|研究与试验发展)(?:经费)?(?:投入)?强度(?:预计)?(?:达到|达|为|约)?\s*$", re.IGNORECASE
)
_INTENSITY_REFERENCE = "地区生产总值（GDP）"


def _is_intensity(rate: Figure, text: str) -> bool:
    return rate.unit == "%" and bool(_INTENSITY.search(_prefix_text(text, rate)))


def rate_part(rate: Figure, sentence_figures: list[Figure], text: str) -> Figure | None:
    """The stated level a share or leverage multiple belongs to (the part, or the amplified total)."""
    part_start = max((m.end() for m in re.finditer("[；;]", text[: rate.start])), default=0)
    levels = [
        f
        for f in sentence_figures
        if part_start <= f.start < rate.start
        and f.kind in LEVEL_KINDS - {FigureKind.INCREMENT}
        # (not a part in an aside: "研发经费投入188.6亿元（其中企业…171.2亿元），研发投入强度达到3.02%")
        and _not_an_aside_apart(text, f, rate)
    ]
    if _is_intensity(rate, text):
        levels = [f for f in levels if unit_class(f.unit) is UnitClass.MONEY]  # the R&D spending, an amount
    if not levels:
        # "研发经费支出预计达338.6亿元，…；研发经费支出占地区生产总值比重达到3.35%": the level the share's own
        # words name, stated earlier in the sentence
        subject = _prefix_text(text, rate).split("占")[0].strip()
        levels = [
            f
            for f in sentence_figures
            if f.start < rate.start
            and f.kind in LEVEL_KINDS - {FigureKind.INCREMENT}
            and len(subject) >= 2
            and subject in _prefix_text(text, f)
        ]
    return levels[-1] if levels else None


def whole_from_rate(rate: Scored, part: Scored, target_unit: str | None) -> Calculation:
    """规上工业产值 from 2.1 万亿元 and 占其比重 52.5%; 财政资金 from 41.41 亿元 and 放大倍率 7.1 倍."""
    result = calc.whole_from_rate(part.figure, rate.figure, target_unit=target_unit or None)
    reference = rate_reference(rate.figure, rate.sentence)
    lead = f"推算{reference}约" if result.approximate else f"推算{reference}"
    return Calculation(result, (part, rate), lead, (_statement(part), _statement(rate)))


def completion_target(actual: Scored, sentence_figures: list[Figure]) -> Calculation | None:
    """The target behind "完成年度目标的 216.44%": actual ÷ 216.44%."""
    for figure in sentence_figures:
        if figure.kind is FigureKind.COMPLETION and figure.start > actual.figure.start:
            result = calc.target_from_completion(actual.figure, figure)
            pct = Scored(figure, actual.sentence, actual.coverage, actual.score, ())
            lead = "年度目标约" if result.approximate else "年度目标"
            return Calculation(result, (actual, pct), lead, (_statement(actual), _statement(pct)))
    return None
