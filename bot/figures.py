"""Every numeric mention of a sentence → a :class:`Figure` with what it measures.

The period and kind of a figure decide whether it can answer a question, so
they are read carefully: an explicit year before the number wins (unless it is
a comparison base: 较 2020 年), otherwise the section's year; the words right
before the number say whether it is a growth rate, a share, a rank, a net
increase, a running total, or a plain level — and in a plan section a level
is a target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from bot.models import ASIDE_MARK, CLAUSE_COMMA, SEGMENT_BREAK, Figure, FigureKind, PeriodKind, Sentence

SCALES: dict[str, Decimal] = {"": Decimal(1), "千": Decimal(10) ** 3, "万": Decimal(10) ** 4}
SCALES |= {"亿": Decimal(10) ** 8, "万亿": Decimal(10) ** 12}
MONEY_UNITS = ("万亿元", "亿元", "万元", "千元", "元", "亿美元", "万美元", "美元")
COUNT_UNITS = (
    "个百分点", "百分点", "人次", "平方公里", "平方米", "公里", "家", "人", "项", "个", "场", "次", "年", "名",
    "位", "所", "件", "篇", "台", "套", "条", "户", "亩", "吨", "座", "支", "批", "届", "期", "款", "部", "倍",
    "%", "‰",
)  # fmt: skip
FRACTION_DIGITS = 6  # decimal places kept for a fraction such as 1/3 (display keeps "1/3")
YEAR_RANGE = range(1950, 2101)  # a 4-digit number in this range followed by 年 is a date, not a quantity

_UNIT_ALT = "|".join(re.escape(u) for u in sorted((*MONEY_UNITS, *COUNT_UNITS), key=len, reverse=True))
_PRE_QUALIFIERS = ("不少于", "不低于", "不超过", "超过", "突破", "约", "近", "超", "逾")
_PRE_ALT = "|".join(_PRE_QUALIFIERS)
_ARABIC = re.compile(
    rf"(?P<pre>{_PRE_ALT})?\s*"
    # "13 560 家", "1 086.3 亿元": official documents group thousands with a space as well as a comma
    r"(?<![A-Za-z\d.+/])(?P<num>\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d])(?:\.\d+)?"
    r"|\d+(?:,\d{3})*(?:\.\d+)?(?:/\d+)?)"
    r"(?![\d+]|\s*[A-Za-z])\s*"
    r"(?P<scale>万亿|亿|万|千)?\s*(?P<yu>余|多)?\s*"
    rf"(?P<unit>{_UNIT_ALT})?\s*(?P<post>以上|左右|以下|以内)?"
)
_CN = "零一二两三四五六七八九十百千"
_CN_RANK = re.compile(
    rf"(?P<scope>全省|全国|全市|全球|世界|全区|全球|省内|国内|市内)?第(?P<num>[{_CN}]+|\s*\d+\s*)(?P<unit>名|位)?"
)
_CN_TOPN = re.compile(rf"(?P<num>[{_CN}]+)强")
_CN_ORDINAL = re.compile(rf"第(?P<num>[{_CN}]+|\s*\d+\s*)(?P<unit>次|届|批|年)")
_NAMED_TARGET = re.compile(r"\s*的?(年度|全年|既定)?(目标|任务数|计划数)")  # right after a number
_CN_MULTIPLE = re.compile(rf"(?P<num>[{_CN}]+)倍|翻了?(?P<fan>一)?番")  # 翻一番, 翻了一番
_CN_COUNT = re.compile(rf"(?<![第{_CN}])(?P<num>[两二三四五六七八九十][{_CN}]*)(?P<unit>个|家|项|所|名|位|人)")

_CLAUSE_BREAK = re.compile(rf"[，；;。！？!?：:]|{ASIDE_MARK}|{CLAUSE_COMMA}")
_SEGMENT_BREAK = re.compile(SEGMENT_BREAK)
_YEAR_MENTION = re.compile(r"((?:19|20)\d{2})\s*年")
# a level's own year written right before its number: "比2023年的35.7亿元", "上年为503件", "去年同期为…"
_DATED_JUST_BEFORE = re.compile(
    r"(?:(?P<year>(?:19|20)\d{2})\s*年(?:底|末)?(?:同期)?的|(?:上年|上一年|去年)(?:底|末)?(?:同期)?(?:的|为|是)?)\s*$"
    # "…比重达到38.6%，上年这一比重仅为20.1%": a clause that starts with the year before dates its number
    r"|^\s*(?:上年|上一年|去年)(?:同期)?[^，,；;。\d]{0,8}?(?:为|是|的|达)\s*$"
)
_BASE_MARK = re.compile(r"(较|比|与|同比|相比|相较|对比)\s*$")
_FROM = re.compile(r"(?:由|从)\s*$")  # "从34家增加到38家": a level the year rose from
_RISES_AFTER = re.compile(r"\s*(?:(?:增加|增长|提高|提升|上升|扩大|跃升)(?:到|至)|增至)")
_MULTIPLE_OF_YEAR = re.compile(r"(?:同期)?的\s*[\d.]+\s*倍")
_REACHES = re.compile(r"(?:提高|提升|增长|增加|上升)(?:到|至)\s*$")  # "由上年的43.9%提高到44.7%": a level
# "由2023年的45.3件", "在2023年3,051.7亿元的基础上": the year dates that one number, not what follows it
# ("在2023年净增506家的基础上再净增412家": a change of that year may stand before its number)
_PART_END = re.compile(r"[；;]")
_DIGIT = re.compile(r"\d")
_YEAR_OF_ONE_NUMBER = re.compile(
    r"(?:同期)?的\s*[\d.,]+|\s*(?:净增|新增|增长|增加)?[\d.,]+\s*[万亿]?[^\d，,。；;]{0,3}的基础上"
)
# a number alone at the start of an aside right after a year: "较2020年（578家）增长1.29倍" — that year's level
_YEAR_THEN_ASIDE = re.compile(r"((?:19|20)\d{2})\s*年(?:底|末)?\s*[（(]\s*$")
_PRIOR_YEAR_THEN_ASIDE = re.compile(r"(?:上年|上一年|去年)(?:底|末|同期)?\s*[（(]\s*$")
_AHEAD_OF = re.compile(r"(?:高于|低于|超过|超出|领先|落后于?)[^，。；]{0,12}$")
_GROWTH_WORDS = ("增长", "增幅", "增速", "提高", "提升", "下降", "减少", "降低", "上升", "增加", "回落")
_SHARE_WORDS = ("占", "比重", "占比", "比例", "覆盖率", "贡献率", "率")
_INCREMENT_WORDS = ("净增", "新增", "增加", "净增加", "多了", "扩大")
_CUMULATIVE_WORDS = ("累计", "总计", "合计", "累积", "总额")
# Words that make a level a target even in a review section; "计划" alone is not one (省双创人才计划 is a name),
# and 争取 only when it secured no money (below).
_TARGET_WORDS = ("力争", "目标为", "目标是", "计划到", "确保", "预期", "拟", "将要", "打算")
# 争取 of money or support in a review says what was secured, not what is aimed at
_SECURED = re.compile(r"争取(?:到|[^，,；;。]{0,8}(?:资金|资助|经费|补助|支持|奖补|专项))")
_RANK_LEAD = ("位列", "位居", "排名", "排", "居", "列")
_LEAD_CONNECTORS = re.compile(
    r"^(其中|并且|并|且|同时|目前|已经|已|共|今年|全年|另外|此外|以及|还|和|及|[一二三四五六七八九十]是)+"
)
_LEAD_SCOPE = re.compile(r"^(全市|全省|全区|全县)")  # "全市新增…平台 112 个" is a 新增 like "全年新增…"
_TRAIL_VERBS = re.compile(
    r"(达到|达|为|约|超过|超|共|累计|实现|完成|至|是|突破|逾|近|不少于|不低于|了|已|有|均|分别)+$"
)


@dataclass(frozen=True)
class _Mention:
    raw: str
    start: int
    end: int
    number: Decimal
    scale: str
    unit: str
    qualifier: str
    forced_kind: FigureKind | None = None


_BARE_MAGNITUDES = ("百", "千", "万", "亿")


def parse_number(text: str) -> Decimal:
    """Arabic or Chinese numerals → exact Decimal ("1,234.5" → 1234.5, "十" → 10, "1/3" → 0.333333)."""
    text = re.sub(r"[,\s\u00a0\u2009\u202f]", "", text)
    if "/" in text:
        num, den = text.split("/", 1)
        return (Decimal(num) / Decimal(den)).quantize(Decimal(10) ** -FRACTION_DIGITS)
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return Decimal(text)
    import cn2an  # here, not at the top: its import is 0.25 s of every start, and questions never need it

    if text[:1] in _BARE_MAGNITUDES:
        text = "一" + text  # "百强", "千亿级": a magnitude with its 一 left out, which cn2an rejects
    return Decimal(str(cn2an.cn2an(text, "smart")))


def split_unit(unit: str) -> tuple[str, str]:
    """A unit with a built-in scale → (scale, base unit): 亿元 → (亿, 元), 家 → ('', 家)."""
    for scale in ("万亿", "亿", "万", "千"):
        if unit.startswith(scale) and len(unit) > len(scale):
            return scale, unit[len(scale) :]
    return "", unit


def _arabic_mentions(text: str) -> list[_Mention]:
    out: list[_Mention] = []
    for m in _ARABIC.finditer(text):
        num, scale, unit = m.group("num"), m.group("scale") or "", m.group("unit") or ""
        is_fraction = "/" in num
        if not (unit or scale or is_fraction):
            continue  # a bare number is a name part (G60, "0 到 1"), not a quantity
        if not m.group("pre") and text[: m.start("num")].rstrip().endswith("第"):
            continue  # "位列全国第16位" is a rank, "第3届" an ordinal (read as such below), never 16 people
        if unit == "年" and not scale and num.isdigit() and int(num) in YEAR_RANGE:
            continue  # a date
        if unit_scale := split_unit(unit)[0]:
            if scale:
                continue  # "万亿元" after "万": malformed, skip rather than guess
            scale, unit = unit_scale, split_unit(unit)[1]
        if unit == "百分点":
            unit = "个百分点"
        if scale and not unit:
            if not _scale_alone_is_quantity(text, m.end()):
                continue
            unit = "元"  # "60 亿天使母基金": a bare scale before a fund word is money
        qualifier = m.group("pre") or m.group("yu") or m.group("post") or ""
        start = m.start("pre") if m.group("pre") else m.start("num")
        end = m.end()
        raw = text[start:end].rstrip()
        out.append(
            _Mention(
                raw=raw,
                start=start,
                end=start + len(raw),
                number=parse_number(num),
                scale=scale,
                unit=unit,
                qualifier=qualifier,
            )
        )
    return out


def stated_quantities(text: str) -> list[tuple[Decimal, str, str, int, int]]:
    """Quantities written in a question ("同比增13.1%", "1.9万家"): (value × scale, unit, scale, start, end)."""
    return [(m.number * SCALES[m.scale], m.unit, m.scale, m.start, m.end) for m in _arabic_mentions(text)]


def _scale_alone_is_quantity(text: str, end: int) -> bool:
    """ "60 亿天使母基金": a scale without unit is money when a fund/capital word follows."""
    return bool(re.match(r"\s*[\u4e00-\u9fff]{0,6}(基金|资金|资本|投资|规模|元)", text[end:]))


def _numeral(text: str) -> Decimal | None:
    """A Chinese numeral the report wrote, or None: an odd one ("百千") is no figure rather than a failed build."""
    try:
        return parse_number(text)
    except (ValueError, ArithmeticError):
        return None


def _chinese_mentions(text: str, taken: list[tuple[int, int]]) -> list[_Mention]:
    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    out: list[_Mention] = []
    for m in _CN_ORDINAL.finditer(text):
        if free(m.start(), m.end()) and (ordinal := _numeral(m.group("num"))) is not None:
            lead = text[max(0, m.start() - 2) : m.start()]
            out.append(
                _Mention(
                    raw=(lead if lead == "连续" else "") + m.group(0),
                    start=m.start() - (2 if lead == "连续" else 0),
                    end=m.end(),
                    number=ordinal,
                    scale="",
                    unit=m.group("unit"),
                    qualifier="",
                    forced_kind=FigureKind.COUNT,
                )
            )
    taken = taken + [(m.start, m.end) for m in out]
    for m in _CN_RANK.finditer(text):
        lead = text[max(0, m.start() - 2) : m.start()]
        if not free(m.start(), m.end()) or not (m.group("scope") or lead.endswith(_RANK_LEAD)):
            continue
        if text[m.end() : m.end() + 1] in ("次", "届", "批", "代", "是", "站"):
            continue
        if (rank := _numeral(m.group("num"))) is not None:
            out.append(_Mention(m.group(0), m.start(), m.end(), rank, "", "名", "", FigureKind.RANK))
    for m in _CN_TOPN.finditer(text):
        if free(m.start(), m.end()) and (rank := _numeral(m.group("num"))) is not None:
            out.append(_Mention(m.group(0), m.start(), m.end(), rank, "", "名", "", FigureKind.RANK))
    for m in _CN_MULTIPLE.finditer(text):
        number = Decimal(1) if m.group(0).startswith("翻") else _numeral(m.group("num") or "")
        if free(m.start(), m.end()) and number is not None:
            out.append(_Mention(m.group(0), m.start(), m.end(), number, "", "倍", "", FigureKind.MULTIPLE))
    taken = taken + [(m.start, m.end) for m in out]
    for m in _CN_COUNT.finditer(text):
        count = _numeral(m.group("num"))
        if m.group("unit") == "个" and _PLACES_AFTER.match(text, m.end()):
            continue  # "五个县有效高企合计46家": which places the figure after is of, no quantity asked about
        if free(m.start(), m.end()) and text[m.end() : m.end() + 1] not in ("是", "大", "五") and count is not None:
            if text[m.start() - 1 : m.start()] == "前" and m.group("unit") in ("位", "名"):
                # "居前三位": a place among the first three, no count of three things
                out.append(_Mention(m.group(0), m.start(), m.end(), count, "", "名", "", FigureKind.RANK))
                continue
            out.append(_Mention(m.group(0), m.start(), m.end(), count, "", m.group("unit"), ""))
    return out


_PLACES_AFTER = re.compile(r"(?:县|区|市|镇|乡|街道|城区|园区|开发区|地区)(?!级)")  # after a count of places: 五个县


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause (between ，；。 etc.) that holds text[start:end]."""
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    right_match = _CLAUSE_BREAK.search(text, end)
    right = right_match.start() if right_match else len(text)
    return left, right


def year_of_aside(text: str, start: int) -> int | None:
    """The year whose level a number alone in an aside states ("较2020年（578家）" → 2020), if it is one."""
    aside = _YEAR_THEN_ASIDE.search(text, 0, start)
    return int(aside.group(1)) if aside else None


def in_prior_year_aside(text: str, start: int) -> bool:
    """Does a number alone in an aside state the year before's level ("较上年（3.16亿元）翻了一番")?"""
    return bool(_PRIOR_YEAR_THEN_ASIDE.search(text, 0, start))


def dated_just_before(prefix: str) -> re.Match[str] | None:
    """The year a level's own words give it right before its number ("比2023年的", "上年为"), if any."""
    return _DATED_JUST_BEFORE.search(prefix)


def _segment_prefix(text: str, start: int) -> str:
    """Text from the last 、/clause break before ``start`` up to it: what the number is about."""
    left = max((m.end() for m in _SEGMENT_BREAK.finditer(text, 0, start)), default=0)
    opening = text.rfind("（", 0, left)
    if left > 0 and text[left - 1] == "）" and not text[left:start].strip() and opening >= 0:
        # "高于全省平均水平（1.73%）0.84个百分点": the words before the aside name the number after it
        return _segment_prefix(text, opening)
    return text[left:start]


def figure_period(sentence: Sentence, start: int) -> tuple[int | None, int | None]:
    """(period, base_period): the nearest year before the figure that is not a comparison base."""
    period = sentence.period
    base: int | None = None
    clause_left, _ = clause_bounds(sentence.text, start, start)
    for m in _YEAR_MENTION.finditer(sentence.text, 0, start):
        year = int(m.group(1))
        closing = sentence.text.find("）", m.end(), start)
        if closing >= 0 and sentence.text.rfind("（", 0, m.start()) > sentence.text.rfind("）", 0, m.start()):
            continue  # "孵化器达到42家（2024年为37家），其中…": a year in an aside closed before dates the aside only
        before = sentence.text[: m.start()]
        opening = not _PART_END.search(before) and not _DIGIT.search(_YEAR_MENTION.sub("", before))
        if not opening and _PART_END.search(sentence.text, m.end(), start):
            continue  # "…占比达到52.3%，2024年这一比例为48.6%；新建…": a year said mid-sentence dates its ；-part only
        multiple_of = _MULTIPLE_OF_YEAR.match(sentence.text, m.end())  # "是2020年的2.6倍": 2020 is the base
        # "由2023年的45.3件提高到51.6件": 2023 dates the 45.3 only, not what the sentence reaches after it
        own_number = _YEAR_OF_ONE_NUMBER.match(sentence.text, m.end())
        if own_number and own_number.end() <= start:
            if own_number.group(0).endswith("基础上") and _same_clause_chain(sentence.text, m.end(), start):
                base = year  # "在2023年3,051.7亿元的基础上增长15.3%": the change is against 2023
            continue
        if _BASE_MARK.search(sentence.text[max(0, m.start() - 3) : m.start()]) or multiple_of:
            if m.start() >= clause_left or _same_clause_chain(sentence.text, m.end(), start):
                base = year
            continue
        period = year
    return period, base


def _same_clause_chain(text: str, a: int, b: int) -> bool:
    return not re.search(r"[；;。]", text[a:b])


def classify(mention: _Mention, prefix: str, clause: str, sentence: Sentence) -> FigureKind:
    """What the number is, from the words right before it; a plan section makes levels targets."""
    if mention.forced_kind is not None:
        return mention.forced_kind
    unit = mention.unit
    if unit in ("%", "个百分点", "‰") and re.search(r"完成[^，。；]{0,8}(?:目标|计划|任务)(?:任务)?的?\s*$", prefix):
        return FigureKind.COMPLETION
    if unit == "年" and "连续" in prefix[-4:]:
        return FigureKind.COUNT
    # (增加值, value added, is an indicator: "…增加值占…比重达42.3%" is a share; "提高到44.7%" reaches a level)
    growth_words = _REACHES.sub("", prefix.replace("增加值", ""))
    if unit in ("%", "个百分点", "‰") and any(w in growth_words for w in _GROWTH_WORDS):
        return FigureKind.GROWTH
    if unit == "个百分点" and _AHEAD_OF.search(prefix):
        return FigureKind.GROWTH  # "高于全省平均水平0.62个百分点": a stated gap, in points, to another scope
    if unit == "倍":
        return FigureKind.MULTIPLE
    if (unit in ("%", "‰") or "/" in mention.raw) and any(w in prefix for w in _SHARE_WORDS):
        return FigureKind.SHARE
    if "/" in mention.raw and not unit:
        return FigureKind.SHARE
    lead = _LEAD_CONNECTORS.sub("", _LEAD_SCOPE.sub("", _LEAD_CONNECTORS.sub("", prefix.strip())))
    if unit not in ("%", "‰") and any(lead.startswith(w) or lead.endswith(w) for w in _INCREMENT_WORDS):
        return FigureKind.INCREMENT
    if any(w in prefix for w in _CUMULATIVE_WORDS) or mention.qualifier == "累计":
        return FigureKind.CUMULATIVE
    if sentence.period_kind is PeriodKind.TARGET or any(w in prefix for w in _TARGET_WORDS):
        return FigureKind.TARGET
    if "争取" in prefix and not _SECURED.search(prefix):  # "争取省财政资助1.92亿元" in a review was secured
        return FigureKind.TARGET
    if _NAMED_TARGET.match(sentence.text, mention.end):  # "超额完成 250 亿元的年度目标": a target in a review
        return FigureKind.TARGET
    return FigureKind.ACTUAL


_LIST_JOINER_ONLY = re.compile(r"\s*(、|和|及|与|以及)\s*")
_NEW_LEAD = re.compile(r"\s*(?:全年|力争)?(?:新增|新认定|新建|新引进|净增)")
# a list item naming only what it counts: no verb or level word of its own ("省级新型研发机构", not "总数达到")
_NOUN_ONLY = re.compile(r"(?![^、，]*(?:达到|达|累计|总数|总量|突破|超过|增长|完成|共))[\u4e00-\u9fff]{2,16}")
_PLACE_ONLY = re.compile(r"[\u4e00-\u9fff]{1,8}(?:区|县|市|镇|园)")  # a list item named by its place alone
_WHOLE_KINDS_PASSED_TO_PARTS = (FigureKind.INCREMENT, FigureKind.CUMULATIVE)


def _is_part_of_whole(text: str, before: Figure, prefix: str, mention: _Mention) -> bool:
    """ "其中…N" right after a change or a running total of the same unit names a part of it, of its kind."""
    between = text[before.end : mention.start]
    return (
        before.kind in _WHOLE_KINDS_PASSED_TO_PARTS
        and before.unit == mention.unit
        and prefix.lstrip().startswith("其中")
        and not re.search(r"[；;。]", between)
        # "达到118家，较上年增加9家，其中国家级36家": 36 is no part of the 9 new ones but of the 118
        and (before.kind is not FigureKind.INCREMENT or mention.number * SCALES[mention.scale] <= before.value)
    )


def indicator_phrase(text: str, mention: _Mention) -> str:
    """The words naming what is measured: the segment before the number, or the noun after it."""
    prefix = _segment_prefix(text, mention.start)
    phrase = _TRAIL_VERBS.sub("", _LEAD_CONNECTORS.sub("", prefix.strip())).strip()
    phrase = re.sub(r"^(?:19|20)\d{2}\s*年\s*", "", phrase)
    if len(re.findall(r"[\u4e00-\u9fff]", phrase)) < 2 or phrase.endswith("为"):
        after = re.match(r"[\u4e00-\u9fff“”\"A-Za-z]{1,12}", text[mention.end :])
        phrase = (phrase + (after.group(0) if after else "")).strip()
    return phrase


def extract_figures(sentence: Sentence) -> list[Figure]:
    """All figures of one sentence, in order of appearance. Pure."""
    text = sentence.text
    mentions = _arabic_mentions(text)
    mentions += _chinese_mentions(text, [(m.start, m.end) for m in mentions])
    mentions.sort(key=lambda m: m.start)
    figures: list[Figure] = []
    for index, mention in enumerate(mentions):
        prefix = _segment_prefix(text, mention.start)
        left, right = clause_bounds(text, mention.start, mention.end)
        clause = text[left:right]
        kind = classify(mention, prefix, clause, sentence)
        if kind is FigureKind.ACTUAL and figures and _is_part_of_whole(text, figures[-1], prefix, mention):
            # "新增上市企业13家，其中科创板企业5家": 5 of the new ones; "累计达到268家，其中国家级76家": so far
            kind = figures[-1].kind
        elif (
            figures
            and figures[-1].unit == mention.unit
            and _LIST_JOINER_ONLY.fullmatch(text[figures[-1].end : mention.start])
        ):
            kind = figures[-1].kind  # "占比分别达4.85%、3.62%和3.98%": one predicate for the listed numbers
        elif (
            kind is FigureKind.ACTUAL
            and figures
            and figures[-1].unit == mention.unit
            and text[figures[-1].end : mention.start] == "、" + prefix
            and _PLACE_ONLY.fullmatch(prefix)
        ):
            kind = figures[-1].kind  # "南昌高新区净增146家、红谷滩区78家": each place of the list 净增 as the first
        elif (
            kind in (FigureKind.ACTUAL, FigureKind.TARGET)
            and figures
            and figures[-1].kind is FigureKind.INCREMENT
            and figures[-1].unit == mention.unit
            and text[figures[-1].end : mention.start] == "、" + prefix
            and _NEW_LEAD.match(_segment_prefix(text, figures[-1].start))
            and _NOUN_ONLY.fullmatch(prefix)
        ):
            kind = FigureKind.INCREMENT  # "新增省级以上创新平台50家、省级新型研发机构5家": 新增 leads every item
        period, base = figure_period(sentence, mention.start)
        if kind not in (FigureKind.GROWTH, FigureKind.INCREMENT, FigureKind.MULTIPLE):
            base = None  # only a change has a comparison year
            dated = dated_just_before(prefix)
            aside = year_of_aside(text, mention.start)
            if dated and dated.group("year"):  # "比2023年的35.7亿元增加2.9亿元": 35.7 is 2023's
                period = int(dated.group("year"))
            elif aside is not None:  # "比2020年（1,085家）翻了一番多": the aside states that year's level
                period = aside
            elif (dated or in_prior_year_aside(text, mention.start)) and period is not None:
                period -= 1  # "（上年为503件）", "较上年（3.16亿元）": the year before the sentence's
            elif period is not None and _FROM.search(prefix) and _RISES_AFTER.match(text, mention.end):
                period -= 1  # "从34家增加到38家": where the year started, the year before's level
        elif (
            base is None
            and period is not None
            and (
                kind is FigureKind.INCREMENT or re.search(r"同比|较上年|比上年|比去年|较去年|相比去年|上年同期", clause)
            )
        ):
            base = period - 1  # a yearly report's change is against the previous year
        qualifier = mention.qualifier
        if not qualifier and kind is FigureKind.CUMULATIVE and "累计" in prefix:
            qualifier = "累计"
        if not qualifier and re.search(r"预计[^，。；]{0,24}$", prefix):
            qualifier = "预计"
        figures.append(
            Figure(
                id=f"{sentence.id}.{index}",
                sentence_id=sentence.id,
                doc_id=sentence.doc_id,
                raw=mention.raw,
                start=mention.start,
                end=mention.end,
                number=mention.number,
                scale=mention.scale,
                unit=mention.unit,
                value=mention.number * SCALES[mention.scale],
                qualifier=qualifier,
                indicator=indicator_phrase(text, mention),
                context=clause,
                period=period,
                kind=kind,
                base_period=base,
            )
        )
    return figures
