"""Question → what is asked: years, target or actual, the unit wanted, the operation, indicator words.

Pure and fast (no index needed): everything here is read off the question
text, so it can be tested phrase by phrase.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property, lru_cache

from bot.figures import parse_number, stated_quantities
from bot.lexicon import DEFAULT_POS_WEIGHT, content_terms, is_narrowing_word, place_words
from bot.models import FigureKind, PeriodKind
from bot.normalize import normalize_question


class UnitClass(StrEnum):
    COUNT = "count"
    MONEY = "money"
    PERCENT = "percent"
    POINTS = "points"  # 个百分点
    MULTIPLE = "multiple"
    RANK = "rank"


class Op(StrEnum):
    """Calculations a question can ask for; LOOKUP means read one figure."""

    LOOKUP = "lookup"
    DIFFERENCE = "difference"  # 比…多/少多少, 差距, 还差
    CHANGE_RATE = "change_rate"  # 增长了百分之几 (computed when the report does not state it)
    POINTS = "points"  # 提高了几个百分点
    RATIO = "ratio"  # 是…的几倍
    SHARE = "share"  # 占…的百分之几
    AVERAGE = "average"  # 平均每家, 人均
    RETURN = "return"  # 收益率 = 收益 / 出资
    COMPLETION_TARGET = "completion_target"  # the target behind 完成年度目标的 x%
    COMPLETION_RATE = "completion_rate"  # 完成率 = actual / target
    SUM = "sum"  # 一共/合计 of several figures
    PRIOR_CUMULATIVE = "prior_cumulative"  # 2021年以前累计 = 累计 − 当年


RELATIVE_YEARS = {"今年": 0, "本年": 0, "当年": 0, "本年度": 0, "去年": -1, "上年": -1, "上一年": -1, "前年": -2}
RELATIVE_YEARS |= {"大前年": -3, "明年": 1, "下一年": 1, "后年": 2}  # longest first: 大前年 is not 前年
_RELATIVE = re.compile("|".join(sorted(RELATIVE_YEARS, key=len, reverse=True)))
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)(?:\s*年(?:度)?)?")
# 计划 is a target word only where it is not the tail of a programme's name (省双创人才计划, 天使计划)
_TARGET_HINT = re.compile(
    r"目标|力争|争取|打算|预期|准备|拟(?!立项)|要(?=[到达做完实引培遴认新建布举办征摸选评冲])|规划|任务|要求"
    r"|(?:^|(?<=[\d年的是按照]))计划|计划(?=[要将遴选引培新建达完举办布征摸认招是多数中里总])"
)
_ACTUAL_HINT = re.compile(r"实际|完成了|实现了|达到了|做到了|已经|取得了|共有|了多少|了几|多少了|[了过][吗？?]?$")
_BASE_YEAR = re.compile(r"(较|(?<![占分])比|跟|和|与|相比|对比|同|相较|相对)\s*((?:19|20)\d{2})\s*年?")
# question words that ask for one kind of figure (checked in order; the first match wins)
_KIND_HINTS: tuple[tuple[re.Pattern[str], FigureKind], ...] = (
    (
        re.compile(r"完成.{0,8}目标(任务)?的|完成率|完成了?(年度)?目标|完成了?(百分之|多少%|几成)"),
        FigureKind.COMPLETION,
    ),
    (re.compile(r"第几|排名|排第|排几|名次|位列|位居|排在|排行"), FigureKind.RANK),
    (re.compile(r"占.{0,20}(比重|比例|百分之|百分比|多少|几)|占比|比重"), FigureKind.SHARE),
    (re.compile(r"增长率|增幅|增速|涨幅|(增长|提高|涨)了?(百分之|多少%|几%)|%"), FigureKind.GROWTH),
    (re.compile(r"净增|新增|(?<!多)多了|(?<!多)少了|增加了?(多少|几)|多(多少|几)"), FigureKind.INCREMENT),
    (re.compile(r"同比|增长(了)?(多少|几)|涨了|较上年|比上年|比去年|较去年|增长"), FigureKind.GROWTH),
    (re.compile(r"累计|累积|迄今|至今|总共|一共"), FigureKind.CUMULATIVE),
    (re.compile(r"倍率|放大"), FigureKind.MULTIPLE),
)
_FACT = re.compile(
    r"哪些|哪个|哪几|哪两|哪三|哪一|哪家|哪所|什么|谁|何处|哪里|哪儿|名称|叫什么|是否|有没有|有无|怎么|如何|内容"
)
_NUMBER_ASK = re.compile(r"多少|几|百分之|比例|比重|占比|倍|金额|规模|排名|第几|名次|增幅|增速|增长率|率")
_CONVERT = r"(换算|折合|折算|折|换|转|合)成?"  # "折成亿元", "换算成万元": the unit to answer in
# The unit a question asks for. Explicit asks ("多少亿元", "几个百分点", "第几") are tried before words
# that only describe the measure ("比重", "倍率", "金额"): "按放大倍率推算…多少亿元" asks for money.
_UNIT_PATTERNS: tuple[tuple[re.Pattern[str], UnitClass, str], ...] = (
    (re.compile(r"百分点|(?:几|多少)个点"), UnitClass.POINTS, "个百分点"),
    (re.compile(r"第几|排第|排几|名次|排名"), UnitClass.RANK, "名"),
    (re.compile(r"(多少|几)倍|翻了几番"), UnitClass.MULTIPLE, "倍"),
    (re.compile(rf"{_CONVERT}万亿元|[(（]\s*万亿元\s*[)）]|(多少|几)万亿元?"), UnitClass.MONEY, "万亿元"),
    (re.compile(rf"{_CONVERT}亿元|[(（]\s*亿元\s*[)）]|(多少|几)亿元?"), UnitClass.MONEY, "亿元"),
    (
        # "平均每个项目给了多少万": 万 with no counter after it is money
        re.compile(
            rf"{_CONVERT}万元|[(（]\s*万元\s*[)）]|(多少|几)万元|(多少|几)万块|(多少|几)万(?=$|[？?。,，!！呢啊])"
        ),
        UnitClass.MONEY,
        "万元",
    ),
    (re.compile(rf"{_CONVERT}万(?=家|人|个|项)|(多少|几)万(?=家|人|个|项|名)"), UnitClass.COUNT, "万"),
    (re.compile(r"百分之|百分比|多少%|几%"), UnitClass.PERCENT, "%"),
    (re.compile(r"(多少|几)(块)?钱|多少元"), UnitClass.MONEY, ""),
    # "成交项数多少", "企业家数是多少": the count written after the noun, then asked for
    (re.compile(r"(多少|几)(家|户)|(家|户|企业)数(是|有)?(多少|几)"), UnitClass.COUNT, "家"),
    (re.compile(r"(项|件)数(是|有)?(多少|几)"), UnitClass.COUNT, "项"),
    (re.compile(r"人(次)?数(是|有)?(多少|几)"), UnitClass.COUNT, "人"),
    (re.compile(r"(多少|几)(个)?(人|名|位)"), UnitClass.COUNT, "人"),
    (re.compile(r"(多少|几)(项|件)"), UnitClass.COUNT, "项"),
    (re.compile(r"(多少|几)(场|次)"), UnitClass.COUNT, "场"),
    (re.compile(r"(多少|几)所(?!得)"), UnitClass.COUNT, "所"),
    (re.compile(r"(多少|几)年"), UnitClass.COUNT, "年"),
    (re.compile(r"(多少|几)(个)"), UnitClass.COUNT, "个"),
    (
        re.compile(r"%|比重|占比|比例|增长率|增幅|增速|收益率|回报率|完成率|(?<!倍)率是|(?<!倍)率多少|几成"),
        UnitClass.PERCENT,
        "%",
    ),
    (re.compile(r"倍数|倍率"), UnitClass.MULTIPLE, "倍"),
    (
        re.compile(
            r"金额|总额|资金|经费|贷款额|收益额|投资额|成交额|产值|税额|扣除额|总投资|投资总额"
            r"|多少(贷款|资金|经费|投资|收益|产值|税|补贴|奖励|出资)|多少[\u4e00-\u9fff]{0,3}税|(贷|投|放|赚|收益|出资|减免|募资|募|投入)了?多少(?![家人个项])"
        ),
        UnitClass.MONEY,
        "",
    ),
    (re.compile(r"位列|位居|排在|排行"), UnitClass.RANK, "名"),
)
# words that take a part out of a whole ("除了…", "不在本地转化的", "非国家级的"); plan finds the part by them too
EXCEPT_WORDS = (
    r"除去|除了|减去|去掉|(?<!是)不是|不属于|不在(?=[\u4e00-\u9fff]{1,8}的)|没有?(?=[\u4e00-\u9fff]{1,6}的)"
    r"|(?<![加计])扣除(?!额)|(?<![是并无])非(?!常)"
)
# words that ask for a sum ("一共", "加起来"): an operation, never indicator words (plan splits on them too)
SUM_WORDS = "一共|合计|总共|总计|加起来|加一块|加一起|加在一起|合起来"
# "25年底新型研发机构计划达到多少家": a plan year's level, which a report may set only as what it adds
YEAR_END_PLAN = re.compile(r"(年底|年末)[^，,。？?]{0,12}计划(达到|能到|会有|有)多少")
_OP_PATTERNS: tuple[tuple[re.Pattern[str], Op], ...] = (
    (re.compile(r"(以前|之前|此前|往年|以往).{0,10}累计|累计.{0,24}(以前|之前|此前)"), Op.PRIOR_CUMULATIVE),
    (
        re.compile(
            r"百分点|(高|低|快|慢|提高|下降|差|多|少)了?(?:几|多少)个点"
            # "…占比 去年比前年提高了多少": a rate's change between two years is in points
            r"|(占比|比重|比例|覆盖率|强度)[^，,。？?]{0,12}年比(上年|去年|前年|大前年|(?:19|20)?\d{2}年)"
            r"[^，,。？?]{0,6}(提高|增加|上升|下降|降低|高|低)了?(多少|几)"
        ),
        Op.POINTS,
    ),
    (re.compile(r"收益率|回报率|收益.{0,8}(出资|投资|投入)|(出资|投资|投入).{0,8}收益.{0,4}(比|率)"), Op.RETURN),
    (
        re.compile(
            # (a 完成率 the question states, "完成率124.6%那目标是多少", asks what it was a rate of)
            r"完成率(?!\s*(?:为|是|达到?|了)?\s*\d)|完成(了|的)?(.{0,10}(目标|任务|计划)的?)?(百分之几|百分之多少|多少%|比例|几成)"
            r"|(达到|实现)了?.{0,12}目标的(百分之几|百分之多少|多少%|几成)"
        ),
        Op.COMPLETION_RATE,
    ),
    # 平均 asks to divide, except a wider scope's average level ("全省平均研发强度", "全国平均水平")
    (
        re.compile(
            r"(?<!全省)(?<!全国)(?<!全区)(?<!省内)(?<!国内)平均(?!水平)"
            r"|每家|每个|每人|人均|户均|单个|每项|每场|每所|每笔|家均|摊到|分摊|平摊"
        ),
        Op.AVERAGE,
    ),
    (re.compile(r"(是|为|相当于).{0,24}(几倍|多少倍)|(几倍|多少倍)"), Op.RATIO),
    (
        re.compile(
            r"占.{0,24}(百分之几|百分之多少|百分比|多少%|比例|比重|几成|多少比例|份额)|占比"
            # "两个区高企加起来占全市多少", "市本级科技支出占全市财政科技支出多少"
            r"|占(全市|全省|全国|全部|全区|总数|总量)[^，,。？?]{0,12}多少"
            r"|占[^，,。？?]{1,16}多少\s*$"  # "技术开发合同占技合额多少": no unit after 多少, a share
            r"|(里面|当中|之中|里)[^，,。？?]{1,24}的(比例|比重|百分比|份额)"
            r"|(里面|当中|之中|里)[^，,。？?]{1,24}占(多少|几成)\s*$"  # "新认定高企里首次认定的占多少"
            r"|(相当于|是|为).{0,24}的?(百分之几|百分之多少|多少%|百分比)"
        ),
        Op.SHARE,
    ),
    (
        re.compile(
            r"(增长|下降|减少|降低|提高|上升|增加|增|涨|降|跌|升|多|少)(了)?(百分之几|百分之多少|多少%|几%|多少百分比)"
            # "同比涨了多少 百分比", "涨了多少 按百分比算": the unit said after the question
            r"|(增长|下降|减少|降低|提高|上升|增加|涨|降|跌)了?多少[\s，,、]{0,2}(按|用|以)?(百分比|百分数)"
            r"|增长率|增幅|增速|涨幅|降幅"
        ),
        Op.CHANGE_RATE,
    ),
    (
        re.compile(
            r"比.{0,30}(多|少|高|低|增加|减少|增长|提高|下降|差)(出|[\u4e00-\u9fff]{1,3}(?=了))?(了)?(多少|几)"
            r"|比.{0,30}(多|少)[\u4e00-\u9fff]{1,2}?(多少|几)"  # "比去年实际多放多少亿": 多 + the verb
            r"|差距|还差|相差|差(了)?多少|差几|超额(完成)?(了)?(多少|几)"
            r"|(?<![至最])(多|少|增加|减少)(了)?(多少|几)|缺口|净增(了)?多少|增量|超出.{0,8}(多少|几)|超过.{0,8}(多少|几)|离.{1,20}(差|还有)"
        ),
        Op.DIFFERENCE,
    ),
    (
        re.compile(
            rf"({EXCEPT_WORDS})"
            r".{0,16}(多少|几)|(以外|之外).{0,12}(多少|几)"
        ),
        Op.DIFFERENCE,
    ),
    # "除了新北，其他辖区一共多少": the rest of a whole, before any 一共
    (
        re.compile(
            rf"{SUM_WORDS}|共计|总和|(?<![总一公])共(?=多少|几|有多少|要|能)"
            # today's level + what is planned
            r"|(的话|建成后|建完|都建成|落地后).{0,12}(总数|能到|达到|会有|有多少|累计)"
            rf"|{YEAR_END_PLAN.pattern}"
        ),
        Op.SUM,
    ),
)
# "按净增数倒推，…" / "用成交额和比重推算，…": how to compute, before what — not indicator words
_METHOD = re.compile(
    r"(按照?|根据|依据|用|拿|通过)[^，,。？?]{0,24}?(倒推|推算|反推|估算)(一下)?[，, ]?"
    # "按计划增速 今年…要到多少": the plan's growth rate says how the level is reached, not what is asked
    r"|(按照?|照|根据|依据)(今年|明年)?(?:(计划|目标|规划)的?(增速|增幅|增长率|速度|增长)?|(增速|增幅|增长率|速度))"
    r"(的话)?(来)?(算|计算)?[，, ]?"  # "按目标增长的话"
    r"|(按照?|照|根据|依据)完成率(来)?(算|计算|推)[，, ]?"  # "高企净增按完成率算 去年目标定的多少家"
)
_BY_COMPLETION = re.compile(r"(按照?|照|根据|依据)完成率(来)?(算|计算|推)")  # how, not whether it was done
# "23年底有效高企是多少家 去年净增那个倒推一下": a clause after the question saying how to get there; its
# words and years (去年 is the change's year) are no part of what is asked
_TRAILING_METHOD = re.compile(r"[\s，,]+[^，,。？?\s]{1,16}?(倒推|推算|反推|估算)(一下)?[？?。]*$")
# a quantity the question itself states ("要到1.9万家") is a value, not indicator words
_STATED_QUANTITY = re.compile(r"\d+(?:\.\d+)?\s*(?:%|(?:万亿|亿|万|千)?(?:元|家|人|个|项|倍|名|所|场)?)")
# numbers written in words are values, not indicator words: 三分之一, 百分之五十三, 一半
_SPOKEN_NUMBER = re.compile(
    r"[一二两三四五六七八九十百千]+分之[一二三四五六七八九十百零点]+|一半|翻一番|翻番"
    r"|[一二两三四五六七八九十百千]+(?:万亿|亿|万)(?:元|家|人|件|项|个)?"  # "过百亿", "突破两千亿元"
)
# asks for a value to be derived from stated ones ("按占比倒推全省总数"), not for a stated figure
_DERIVE = re.compile(r"推算|倒推|反推|估算|推出|按.{0,16}(算|计算|折算)|算出|大概|大约|估计|约(?=多少|几|有多少)")
# words that describe the question, not the indicator; removed before indicator matching
_QUESTION_WORDS = re.compile(
    r"平均(到|下来|分到)?一(家|个|项|人|所|场|名|位|户|笔)|(换算|折合|折算|折|换|转|合)成?(万亿元|亿元|万元|万家|万人|万个|万项)|[(（]\s*(万亿元|亿元|万元|元)\s*[)）]|(多少|几)个人|(多少|几)(万亿|亿|万|千)?(元|块钱|块|钱|家(?!庭)|人(?![才员次口])|个(?![税人])|项(?!目)|场(?![地所])|次(?!数)|所(?!得)|名(?![单称])|位(?![列居])|年(?![度底末初])|倍(?![率数]))?|多少|几|百分之|百分比|百分点|平均|每家|每个|每人|人均|户均|单个|倍数|倍|占比|比例|比重|差距|还差|相差|"
    rf"{SUM_WORDS}"
    r"|增长率|增幅|增速|收益率|回报率|完成率|排(?:在|名)?第几|排名|第几|名次|哪些|哪个|什么|是否|有没有|比去年|比上年|较去年|较上年|同比|相比"
    r"|摊到|分摊|平摊|推算|倒推|反推|估算|算出|根据|依据|按照|按|相当于|大概|大约|估计"
    # "年度目标原本是多少", "目标大概定的多少": how, not what (认定了, 评定的 are words of their own)
    r"|原本|原定|原来|本来|当初|(?<![认评鉴核确制设决规约审])定(?:的|了|为)|(?<=预计|实际)(?:值|数)"
    r"|里面|里头|当中"  # "孵化器里头国家级的有几家": where to look, not what
    r"|(?:要|能|可以|得)?(?:做到|干到|冲到)"  # "今年技合额要做到多少亿": a level reached, the verb names nothing
    r"|(?:要|能|可以|得)?(?:发放|投放|放)(?:了|到)?(?=多少|几)"  # "科技贷…至少要放(到)多少万元": lent
)


# "外国高端人才21年1020人同比增13.1%，20年引进了多少人": a clause stating a number the asker already has is
# a given, not the question; its change words and year would otherwise be read as what is asked
_CLAUSE = re.compile(r"[，,；;！!。\s]+")
_ASKS = re.compile(r"多少|几|百分之|比例|比重|占比")
_SAME_YEAR = re.compile(r"当年|同年|当期")
# where a given clause's subject ends: its verb of change or statement, or its number
_GIVEN_PREDICATE = re.compile(
    r"\d|净增|新增|增长|增加|增了|同比|环比|比(?![重例率])|较|完成|达到|达|突破|超过|要到|是|为|翻|扩大|减少|下降|说|占"
)


@dataclass(frozen=True)
class Givens:
    """A question in clauses: the one asking, and the others when they state numbers the asker has."""

    clauses: tuple[str, ...]
    ask: int  # index of the clause asking (the last one with 多少/几/…)

    @property
    def given(self) -> tuple[str, ...]:
        return tuple(c for i, c in enumerate(self.clauses) if i != self.ask)

    @cached_property
    def values(self) -> tuple[tuple[Decimal, str, str], ...]:
        """The quantities the givens state, as (value × scale, unit, unit as written: 万元)."""
        return tuple((v, unit, scale + unit) for c in self.given for v, unit, scale, _, _ in stated_quantities(c))

    def subjects(self) -> str | None:
        """The question with each given cut to its subject: "外国高端人才2020年引进了多少人".

        The givens' years are kept only when the clause asked has none ("2021年有效高企11155家，其中当年
        认定的有多少家" asks about 2021). None when no given names anything.
        """
        ask = self.clauses[self.ask]
        # the givens' years, explicit or relative ("今年研发投入要是增长8%，得到多少亿" asks 今年)
        years = "".join(m.group(0) for c in self.given for m in (*_YEAR.finditer(c), *_RELATIVE.finditer(c)))
        if years and _SAME_YEAR.search(ask):
            ask = _SAME_YEAR.sub("", ask)
        subjects = []
        for clause in self.given:
            body = _RELATIVE.sub(" ", _YEAR.sub(" ", clause)).strip()
            cut = _GIVEN_PREDICATE.search(body)
            subjects.append((body[: cut.start()] if cut else body).strip())
        if not any(subjects):
            return None
        own_year = _YEAR.search(ask) or _RELATIVE.search(ask)
        return ("" if own_year else years) + "".join(subjects) + ask

    def without_numbers(self) -> str:
        """The question with the givens' numbers taken out: "科贷通为企业贷款，平均每家多少万"."""
        out = []
        for i, clause in enumerate(self.clauses):
            if i != self.ask:
                for *_, start, end in reversed(stated_quantities(clause)):
                    clause = clause[:start] + clause[end:]
            out.append(clause)
        return ",".join(out)


def find_givens(text: str) -> Givens | None:
    """The question's givens, or None when it is one clause or no other clause states a number."""
    clauses = tuple(c for c in _CLAUSE.split(text) if c)
    asked = [i for i, c in enumerate(clauses) if _ASKS.search(c)]
    if len(clauses) < 2 or not asked:
        return None
    if len(asked) > 1:  # "…平均每家投了多少，合多少万元": every other clause asks too, none is a given
        return None
    givens = Givens(clauses, asked[-1])
    return givens if givens.values else None


@dataclass(frozen=True)
class Query:
    """What a question asks, before looking anything up."""

    original: str
    text: str  # normalized
    years: tuple[int, ...] = ()  # explicit years asked about, in order
    base_years: tuple[int, ...] = ()  # years compared with: "较2020年增长多少" → 2020
    relative: tuple[int, ...] = ()  # 今年 0, 去年 −1, … resolved against each report's plan year
    base_relative: tuple[int, ...] = ()  # "比去年" → −1
    want: PeriodKind | None = None
    unit_class: UnitClass | None = None
    unit: str = ""  # the unit asked for ("万元", "家", "%"); "" when only the class is known
    # no unit asked, but the head noun says what is measured: 研发人员 → 人, 企业 → 家, 贷款 → money
    implied_unit_class: UnitClass | None = None
    implied_unit: str = ""
    op: Op = Op.LOOKUP
    fact: bool = False  # asks for names or statements, not a number
    asks_number: bool = False  # 多少/几/百分之… : a sentence without the figure is no answer
    cumulative: bool = False
    derive: bool = False  # 推算/倒推/按…算: a whole behind a stated share or multiple may answer
    prefer: FigureKind | None = None  # the kind of figure the wording asks for (growth rate, rank, …)
    want_hint: str = ""  # the word that made ``want`` (e.g. 拟): no contradiction when the figure's clause has it
    terms: tuple[str, ...] = field(default_factory=tuple)
    weighted_terms: tuple[tuple[str, float], ...] = field(default_factory=tuple)  # (word, part-of-speech weight)
    modifiers: tuple[tuple[str, str], ...] = ()  # (modifier, head) written together: 省级|新型研发机构
    # quantities the question's other clauses state (value × scale, unit, unit as written): what the asker
    # has, so never the answer — unless asked in another unit ("39477万元，合多少亿元")
    given_values: tuple[tuple[Decimal, str, str], ...] = ()

    @property
    def empty(self) -> bool:
        return not self.terms and not self.years


def detect_unit(text: str) -> tuple[UnitClass | None, str]:
    for pattern, unit_class, unit in _UNIT_PATTERNS:
        if pattern.search(text):
            return unit_class, unit
    return None, ""


# what a plain "…是多少" counts, read off the indicator's head noun: 研发人员总数 is people, not 66 家 机构
_HEAD_UNITS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(人员|人才|人数|工程师|经纪人|经理人|带头人|负责人|专家|学者|特派员|研究员|院士|博士)$"), "人"),
    (re.compile(r"(企业|机构|公司|高企|单位|院所|高校)$"), "家"),
)
# money heads; any …额 too (技合额), but 名额 and 份额 are no amounts
_MONEY_HEAD = re.compile(r"(贷款|资金|经费|金额|总额|投资|投入|收益|产值|成交额|税|募资|出资|融资|贷|(?<![名份])额)$")


@lru_cache(maxsize=8192)
def head_unit(term: str) -> tuple[UnitClass | None, str]:
    """The unit an indicator's head noun implies, when the question names no unit."""
    for pattern, unit in _HEAD_UNITS:
        if pattern.search(term):
            return UnitClass.COUNT, unit
    if _MONEY_HEAD.search(term):
        return UnitClass.MONEY, ""
    if _RATE_HEAD.search(term):  # "研发机构覆盖率到多少了": a rate, never the count beside it
        return UnitClass.PERCENT, "%"
    return None, ""


# any 率 (覆盖率, 建有率, 转化率, 普及率 …) but 效率, which is no percentage
_RATE_HEAD = re.compile(r"(?:(?<!效)率|占比|比重|比例|强度)$")


def names_a_level_rate(term: str) -> bool:
    """Does the word name a rate that stands at a level (覆盖率, 强度, 占比), not a change (增长率)?"""
    return bool(_RATE_HEAD.search(term)) and not term.endswith("增长率")


def detect_op(text: str) -> Op:
    for pattern, op in _OP_PATTERNS:
        if pattern.search(text):
            return op
    return Op.LOOKUP


def detect_want(text: str) -> tuple[PeriodKind | None, str]:
    """Target (目标/计划/力争…) or actual (实际/完成了…), and the word that said so."""
    target = _TARGET_HINT.search(text)
    actual = _ACTUAL_HINT.search(text)
    if target and not re.search(r"完成.{0,8}目标", text):
        return PeriodKind.TARGET, target.group(0)
    if actual:
        return PeriodKind.ACTUAL, actual.group(0)
    return None, ""


def detect_kind(text: str) -> FigureKind | None:
    for pattern, kind in _KIND_HINTS:
        if pattern.search(text):
            return kind
    return None


# a rate named by the word before 率 ("研发机构建有率"): jieba cuts 建有|率 and both pieces are dropped
_RATE_WORD = re.compile(r"[\u4e00-\u9fff]{2}(?<!效)率")


def indicator_terms(text: str) -> tuple[tuple[str, float], ...]:
    """Indicator words with weights: the question minus years, relative years, question and operation words."""
    stripped = _METHOD.sub(" ", text) if _METHOD.sub("", text).strip() else text
    stripped = _YEAR.sub(" ", stripped)
    stripped = _RELATIVE.sub(" ", stripped)
    stripped = _QUESTION_WORDS.sub(" ", stripped)
    stripped = _STATED_QUANTITY.sub(" ", stripped)
    stripped = _SPOKEN_NUMBER.sub(" ", stripped)
    terms = content_terms(stripped)
    for rate in _RATE_WORD.findall(stripped):
        if not any(rate in term or rate[:2] in term for term, _ in terms):  # 覆盖率 is a word jieba keeps
            terms.append((rate, DEFAULT_POS_WEIGHT))
    return tuple(terms)


# "国家级孵化器里在孵企业多少家": what follows 里 is what is counted within what precedes it; a figure
# missing it counts the container (21 家 国家级孵化器), so its words weigh this many times more (≥ 1)
WITHIN_PART_WEIGHT = 2.0
_WITHIN_MARK = re.compile(r"里面|里头|当中|之中|(?<![哪这那])里(?!程)")


def weigh_part_within(text: str, weighted: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float], ...]:
    """The words after "A里…" weighted up: the part asked for, not the whole it is looked for in."""
    places = [m.span() for place in place_words(text) for m in re.finditer(re.escape(place), text)]
    # not the 里 of a place's name (湖里区, "湖里 思明 集美三个区")
    marks = (m for m in _WITHIN_MARK.finditer(text) if not any(a <= m.start() < b for a, b in places))
    mark = next(marks, None)
    if mark is None:
        return weighted
    before, after = text[: mark.start()], text[mark.end() :]
    if not before.strip():
        return weighted
    return tuple(
        (term, weight * WITHIN_PART_WEIGHT if term in after and term not in before else weight)
        for term, weight in weighted
    )


# "全区有效高企总数是多少 不是南宁的": a clause after the question saying what is *not* meant; its words are
# no part of what is asked (a 不是 inside the question, "…里不是高端人才的有多少", takes a part out instead)
_NOT_MEANT = re.compile(r"(?<=\S)[\s，,]+(?:我问的)?不是[^，,。？?\s]{1,12}?的?(?:那个|那一个|那项|那些)?[？?。!！]*$")


def analyze(question: str) -> Query:
    text = _NOT_MEANT.sub("", normalize_question(question))
    method = _TRAILING_METHOD.search(text) if _TRAILING_METHOD.sub("", text).strip() else None
    text = text[: method.start()] if method else text
    givens = find_givens(text)
    derive_given = False
    if givens is not None:
        restated = givens.subjects()
        # one value asked: the givens only say which indicator; a calculation: their numbers are the report's
        asks_one = restated is not None and detect_op(restated) is Op.LOOKUP
        text = restated if restated is not None and asks_one else givens.without_numbers()
        # "产值2.1万亿，占规上工业产值52.5%，规上工业产值是多少": given a rate, one value asked is derived
        derive_given = asks_one and any(unit in ("%", "倍") for _, unit, _ in givens.values)
    base_spans = [m.span(2) for m in _BASE_YEAR.finditer(text)]
    base_years = tuple(int(text[a:b]) for a, b in base_spans)
    years = tuple(int(m.group(1)) for m in _YEAR.finditer(text) if m.span(1) not in base_spans)
    relative_all = [
        # 比今年 compares with that year; 占比今年 (a share, then the year it is asked of) does not
        (m, bool(re.search(r"(较|(?<![占分])比|跟|与|相比|同|对比)$", text[max(0, m.start() - 2) : m.start()])))
        for m in _RELATIVE.finditer(text)
    ]
    relative = tuple(RELATIVE_YEARS[m.group(0)] for m, is_base in relative_all if not is_base)
    base_relative = tuple(RELATIVE_YEARS[m.group(0)] for m, is_base in relative_all if is_base)
    unit_class, unit = detect_unit(text)
    op = detect_op(_METHOD.sub(" ", text))  # "按增速倒推22年…多少": 增速 says how, not what is asked
    weighted = indicator_terms(text)
    if op is Op.LOOKUP:
        weighted = weigh_part_within(text, weighted)
    prefer = detect_kind(_METHOD.sub(" ", text))
    fact = bool(_FACT.search(text)) and not _NUMBER_ASK.search(re.sub(r"哪[两几一三四五]个", "", text))
    want, want_hint = detect_want(_BY_COMPLETION.sub(" ", text))
    return Query(
        original=question,
        text=text,
        years=years,
        base_years=base_years,
        relative=relative,
        base_relative=base_relative,
        want=want,
        want_hint=want_hint,
        prefer=prefer,
        unit_class=unit_class,
        unit=unit,
        implied_unit_class=(implied := head_unit(weighted[-1][0]) if weighted and unit_class is None else (None, ""))[
            0
        ],
        implied_unit=implied[1],
        op=op,
        fact=fact,
        asks_number=bool(_NUMBER_ASK.search(text)),
        cumulative=bool(re.search(r"累计|累积|总共|一共|迄今|至今|历年", text)),
        derive=bool(_DERIVE.search(text)) or derive_given or method is not None,
        weighted_terms=weighted,
        terms=tuple(term for term, _ in weighted),
        modifiers=modifier_pairs(text, tuple(term for term, _ in weighted)),
        given_values=givens.values if givens is not None else (),
    )


MAX_MODIFIER_CHARS = 3  # 省级, 国家级, 市级, 民营: short words written right before the indicator they narrow


# heads that say only *what kind* of amount or body; the word written before them says which one
GENERIC_HEAD = re.compile(r"^(经费|资金|金额|总额|投入|收益|产值|基金)$")  # not 企业: 服务企业 is a verb phrase


def modifier_pairs(text: str, terms: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Adjacent indicator words where the first narrows the second.

    "省级新型研发机构" (a distinguishing word) and "建设经费" (a generic head: 建设经费 ≠ 支持经费),
    but not "平台合同金额", where 平台 owns the amount rather than naming a kind of it.
    """
    pairs = []
    for first, second in itertools.pairwise(terms):
        at = text.find(first)
        adjacent = at >= 0 and text.startswith(second, at + len(first))
        # 省级 (a distinguishing word), 高价值 (one adjective: 高价值发明专利 are a few of the 发明专利)
        narrows = is_narrowing_word(first) or bool(GENERIC_HEAD.match(second))
        if adjacent and len(first) <= MAX_MODIFIER_CHARS and narrows:
            pairs.append((first, second))
    return tuple(pairs)


# "科小入库前三的区一共多少家", "高企最多的两个县": places picked by their rank in the figure asked, not named
_RANKED_COUNT = r"[两二三四五六七八九十\d]+"
_RANKED_AREA = r"(?:县市区|区县|县区|城区|地区|地方|园区|开发区|区|县|市)"
TOP_RANKED = re.compile(
    rf"(?:排名?|排在|位居|位列)?前(?P<first>{_RANKED_COUNT})(?:名|位)?(?:的|个|那几个|这几个|几个|那些)*{_RANKED_AREA}"
    rf"|最(?:多|高|大)的(?:那|这)?(?P<most>{_RANKED_COUNT})个?{_RANKED_AREA}"
)


def top_ranked(text: str) -> tuple[int, re.Match[str]] | None:
    """How many first-ranked places a question picks ("前三的区" → 3), with where it says so; None if it names none."""
    match = TOP_RANKED.search(text)
    if match is None:
        return None
    count = int(parse_number(match.group("first") or match.group("most")))
    return (count, match) if count >= 1 else None


# "这三地新认定高企占全市百分之多少": a phrase pointing back at places the question never names
# (they were in an earlier message the bot does not keep) — no number can be computed for an unknown "这三地"
_POINTING_BACK = re.compile(r"(?:这|那|上述|以上)[几两\d一二三四五六七八九十]+个?(?:地|区县|区|县|市)")


def unresolved_reference(text: str) -> str | None:
    """The pointing-back phrase of a question when nothing before it in the question names what it points at."""
    match = _POINTING_BACK.search(text)
    if match is None or place_words(text[: match.start()]) or top_ranked(text):  # "排前五的那几个区": picked by rank
        return None
    return match.group(0)
