"""Domain vocabulary: jieba with a science-and-technology user dictionary, synonyms, stopwords.

Near-identical indicator names get confused by pure semantics, so indicator
words are matched lexically first; this module says what a "word" is.
The word lists live in ``bot/data/`` so new domains add lines, not code.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from importlib import resources

import jieba
import jieba.posseg

_DATA = resources.files("bot") / "data"
_LOCK = threading.Lock()
_READY = False

_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _lines(name: str) -> list[str]:
    text = (_DATA / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def ensure_jieba() -> None:
    """Load jieba's dictionary and ours once per process (thread-safe; ~1 s cold)."""
    global _READY
    if _READY:
        return
    with _LOCK:
        if _READY:
            return
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        for line in _lines("domain_dict.txt"):
            parts = line.split()
            jieba.add_word(
                parts[0], freq=int(parts[1]) if len(parts) > 1 else None, tag=parts[2] if len(parts) > 2 else None
            )
        for group in synonym_groups():
            for word in group:
                if len(word) > 1:
                    jieba.add_word(word)
        _READY = True


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(line.split()) for line in _lines("synonyms.txt"))


@lru_cache(maxsize=1)
def _synonym_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for group in synonym_groups():
        for word in group:
            index.setdefault(word, [])
            index[word].extend(w for w in group if w != word and w not in index[word])
    return {word: tuple(others) for word, others in index.items()}


def synonyms(word: str) -> tuple[str, ...]:
    """Other names for ``word`` (not including it); tokens are lowercased, so "gdp" finds GDP's group."""
    index = _synonym_index()
    found = index.get(word)
    if found is None and word.isascii():
        found = index.get(word.upper()) or index.get(word.title())
    return found or ()


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(word for line in _lines("stopwords.txt") for word in line.split())


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens (overlapping sub-words too), lowercased, words only."""
    ensure_jieba()
    return [t.lower() for t in jieba.cut_for_search(text) if _WORD.search(t)]


def cut(text: str) -> list[str]:
    """Precise-mode jieba tokens, words only."""
    ensure_jieba()
    return [t.lower() for t in jieba.lcut(text) if _WORD.search(t)]


CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
WindowFix = Callable[[list[str], int], tuple[str, int] | None]  # (rewritten text, words used) or None


def rewrite_word_windows(text: str, fix_at: WindowFix) -> str:
    """``text`` with each Chinese run cut into jieba words and, from each word on, the window ``fix_at`` rewrites
    ((new text, words used), or None to keep the word): how typos and abbreviations are read, whole words only."""
    out: list[str] = []
    last = 0
    for run in CJK_RUN.finditer(text):
        out.append(text[last : run.start()])
        out.append(_rewrite_run(run.group(0), fix_at))
        last = run.end()
    out.append(text[last:])
    return "".join(out)


def _rewrite_run(run: str, fix_at: WindowFix) -> str:
    words = cut(run)
    if "".join(words) != run:
        return run
    out: list[str] = []
    i = 0
    while i < len(words):
        fixed = fix_at(words, i)
        if fixed is None:
            out.append(words[i])
            i += 1
        else:
            rewritten, used = fixed
            out.append(rewritten)
            i += used
    return "".join(out)


def is_dictionary_word(word: str) -> bool:
    """Does jieba's dictionary (with the domain words) know this word?"""
    return bool(dictionary_frequency(word))


def dictionary_frequency(word: str) -> int:
    """jieba's count for the word (0 for an unknown word or a prefix jieba keeps as a placeholder)."""
    ensure_jieba()
    return int(jieba.dt.FREQ.get(word) or 0)


# A name a report puts in quotes ("科技贷", "龙城英才计划") is one word, whatever jieba's dictionary says
_QUOTED_NAME = re.compile(r"[“\"「『]([\u4e00-\u9fff]{2,8})[”\"」』]")
_NAMES_ADDED: set[str] = set()


# A district or county a report lists with its figure ("新吴区1,799家、江阴市1,128家", "新吴区、江阴市…分别"):
# a place name even where jieba's dictionary lacks it (it cuts 新吴区 into 新/吴/区, losing the place)
_PLACE_SHAPE = re.compile(
    r"[\u4e00-\u9fff]{2,3}(?:经开区|高新区|开发区)(?=[\d、和及与，,])"
    r"|[\u4e00-\u9fff]{2,4}(?:新区|旗)|[\u4e00-\u9fff]{2,3}(?:区|县|市)|[\u4e00-\u9fff]{2}(?:经开区|高新区|开发区|镇|街道)"
)
_LISTED_PLACE = re.compile(
    rf"(?:(?<=[、，：；,:（(])|(?<=其中)|(?<=看)|(?<=集中在)|^)({_PLACE_SHAPE.pattern})"
    r"(?=\s*(?:[\d、和及与]|分别|净增|新增|新认定))"
    # "高新区、天府新区高企…", "浏阳市、宁乡市技术合同…": a place right after a listed place, whatever follows it
    rf"|(?<=[\u4e00-\u9fff][区县市]、)({_PLACE_SHAPE.pattern})"
)
_ZONE_SUFFIX = re.compile(r"(?:经开区|高新区|开发区)$")
_GENERIC_AREAS = re.compile(
    r"[各全本该]?(?:县市区|县市|县区|区县|市区|城区|市县|开发区|园区|镇街|乡镇|街道)"
    r"|(?:国家级|省级|市级|县级)(?:高新区|经开区|开发区|园区|新区)"  # "省级高新区5家": a kind of zone, no place
    r"|自治区|自治州|[\u4e00-\u9fff]{0,4}(?:社区|景区|片区|街区|辖区)"  # the region itself; places of no district
)
# "新吴" of 新吴区, "红谷滩" of 红谷滩区 are words too (staff drop the suffix), when this short (characters)
PLACE_STEM_CHARS = range(2, 4)


def report_names(text: str) -> dict[str, str]:
    """The names a report's sentence teaches (name → jieba tag): quoted names and listed places. Pure."""
    # (an everyday word in quotes, "项目" or "团队" of "“引才”“引智”“项目”“团队”", is no name: jieba knows it commoner
    # than any name a report teaches)
    names = {
        m.group(1): "nz" for m in _QUOTED_NAME.finditer(text) if dictionary_frequency(m.group(1)) <= REPORT_NAME_FREQ
    }
    for name in list(names):
        rest = _without_leading_place(name)  # "烟台科创贷" is 科创贷 to staff, who know which city they are in
        if rest:
            names.setdefault(rest, "nz")
    for match in _LISTED_PLACE.finditer(text):
        written = match.group(1) or match.group(2)
        place = _without_leading_function_word(written)
        if len(place) < len(written) and not _PLACE_SHAPE.fullmatch(place):
            if place in ("全市", "全区", "全县", "市", "区", "县") or len(place) < 2 or _GENERIC_AREAS.fullmatch(place):
                continue  # "对全市", "建立县区", "进园区": a verb or preposition and a kind of area, no place
            place = written  # "经开区": 经 is no preposition here, 开区 no place
        if _GENERIC_AREAS.fullmatch(place):
            continue  # "各县市区、开发区均实现正增长": kinds of area, no place
        names[place] = "ns"
        zone = _ZONE_SUFFIX.search(place)  # "小蓝经开区" is 小蓝 to staff
        stem = place[: zone.start()] if zone else place[: -2 if place.endswith(("新区", "街道")) else -1]
        if len(stem) in PLACE_STEM_CHARS:
            names.setdefault(stem, "ns")
    return names


MIN_NAME_CHARS = 2  # characters of the shortest name left once a leading place is dropped (科创贷 of 烟台科创贷)


def _without_leading_place(name: str) -> str:
    """A quoted name led by a place ("烟台科创贷" → "科创贷"), or "" when no place leads it."""
    ensure_jieba()
    words = jieba.posseg.lcut(name)
    first = words[0] if words else None
    if first is None or len(first.word) < MIN_PLACE_CHARS or len(words) < 2 or len(words[1].word) < 2:
        return ""  # (and the rest must start with a word: "台州湾英才" is no 台州 + 湾英才)
    tags = jieba.posseg.dt.word_tag_tab
    if "ns" not in (first.flag, tags.get(first.word + "市")):  # 烟台 is tagged n, 烟台市 ns
        return ""
    rest = name[len(first.word) :]
    return rest if len(rest) >= MIN_NAME_CHARS else ""


_FUNCTION_FLAGS = ("p", "v", "c", "d", "r", "u")  # jieba tags of a word that starts no place name ("在", "支持")


def _without_leading_function_word(place: str) -> str:
    """ "支持高新区" → "高新区": the regex's left edge can take in the word before the place."""
    ensure_jieba()
    words = jieba.posseg.lcut(place)
    if len(words) > 1 and words[0].flag.startswith(_FUNCTION_FLAGS):
        return place[len(words[0].word) :]
    return place


REPORT_NAME_FREQ = 1000  # jieba count given a name a report teaches (higher = preferred over splits through it)
_PLACES_ADDED: set[str] = set()  # the listed places (and their stems) reports taught jieba
# what a district, county, county-level city, town or subdistrict ends with
PLACE_SUFFIXES = ("区", "县", "市", "镇", "街道")
MIN_PLACE_CHARS = 2  # a place word is longer than this: 市区 / 城区 are no district (characters)


@lru_cache(maxsize=4096)
def place_words(text: str) -> tuple[str, ...]:
    """Places a question names: jieba's place names ending in 区/县/市, or places a report listed ("江阴")."""
    ensure_jieba()
    return tuple(
        pair.word
        for pair in jieba.posseg.lcut(text)
        if pair.word in _PLACES_ADDED
        or (pair.flag == "ns" and len(pair.word) > MIN_PLACE_CHARS and pair.word.endswith(PLACE_SUFFIXES))
    )


def add_report_names(texts: Iterable[str]) -> int:
    """Teach jieba the quoted names and listed places of the reports' sentences; returns how many were new."""
    return learn_names(names_of_report(list(texts)))


_PLACE_USE_AFTER = re.compile(r"[、，,；;和及与分\d\s（(]|$")  # what follows a place's short form in a list


def names_of_report(texts: Sequence[str]) -> dict[str, str]:
    """:func:`report_names` of every sentence of one report, less the short forms its own text uses as words.

    南昌's 新建区 is 新建 to staff, but the same report writes "新建省重点实验室21家": a short form that is a
    common word and that the report uses more often as one than as the place is no place, or every 新建… figure
    would be a district's (and with every report loaded, every other report's too). Pure.
    """
    names: dict[str, str] = {}
    for text in texts:
        names.update(report_names(text))
    places = [name for name, tag in names.items() if tag == "ns"]
    whole = "\n".join(texts)
    for short in places:
        longer = [place[len(short) :] for place in places if place != short and place.startswith(short)]
        if not longer or dictionary_frequency(short) < REPORT_NAME_FREQ:
            continue  # (a rare word or none, 松山湖 or 天元, is the place's short form wherever it is written)
        uses = [whole[m.end() :] for m in re.finditer(re.escape(short), whole)]
        everyday = [r for r in uses if not any(r.startswith(tail) for tail in longer) and not _PLACE_USE_AFTER.match(r)]
        if len(everyday) > len(uses) - len(everyday):
            del names[short]  # "新建省重点实验室", "新建…": mostly the report's everyday word, not 新建区
    return names


def learn_names(found: dict[str, str]) -> int:
    """Teach jieba names already read off reports (name → tag, see :func:`report_names`); returns how many were new."""
    ensure_jieba()
    new = set(found) - _NAMES_ADDED
    with _LOCK:
        for name in sorted(new):
            if dictionary_frequency(name) < REPORT_NAME_FREQ:  # unknown, or as rare as 新密 (3): 新/密/四个
                # as common as an everyday word, so "科技贷放了" is 科技贷/放/了, not 科技/贷放 (jieba's default: 1)
                jieba.add_word(name, freq=REPORT_NAME_FREQ, tag=found[name])
        _NAMES_ADDED.update(new)
        _PLACES_ADDED.update(name for name in new if found[name] == "ns")
    place_words.cache_clear()
    return len(new)


# Function characters that jieba glues to words in typed questions ("数是", "建了", "人里"): stripped from a
# word's ends before it counts as an indicator word.
STOP_CHARS = "的了是有数吗呢么啊呀吧个里中些都也就还在把被让给和与及或其这那该每各较比合只"
LEADING_STOP_CHARS = "的了是在把被让给和与及或"  # not 有 (有效) nor 各 (各类) at a word's start


# How much a question word of each part of speech names the indicator (1 = fully). Verbs and
# pronouns of a typed question ("拿到", "自己") are paraphrase, nouns and place names are not.
POS_WEIGHTS = {"v": 0.5, "vd": 0.5, "a": 0.7, "ad": 0.5, "d": 0.3, "r": 0.2, "p": 0.2, "c": 0.2, "u": 0.1}
DEFAULT_POS_WEIGHT = 1.0


MIN_UNTAGGABLE_RUN = 2  # consecutive characters jieba's tagger has never seen: noise, not a word (characters)


@lru_cache(maxsize=1)
def _untaggable_runs() -> re.Pattern[str]:
    """Runs of CJK characters absent from jieba's part-of-speech model.

    Tagging them costs jieba's tagger a full Viterbi pass over all its states per
    character (~100 ms for 40 random characters, a denial of service for one pasted
    message); no report's indicator is written in them, so they are cut out first.
    """
    known = jieba.posseg.char_state_tab_P
    unknown = "".join(chr(c) for c in range(0x4E00, 0xA000) if chr(c) not in known)
    return re.compile(f"[{re.escape(unknown)}]{{{MIN_UNTAGGABLE_RUN},}}")


def content_terms(text: str) -> list[tuple[str, float]]:
    """The indicator-bearing words of a question with their part-of-speech weight, in order, unique."""
    ensure_jieba()
    seen: dict[str, float] = {}
    stop = stopwords()
    for token, flag in _with_categories(jieba.posseg.lcut(_untaggable_runs().sub(" ", text))):
        token = token.lower()
        if not _WORD.search(token) or token in stop:
            continue
        # a report term or name is whole: 研发占比 keeps its 比, 郫都 its 都
        if len(token) > 1 and token not in _synonym_index() and token not in _NAMES_ADDED:
            stripped = token.rstrip(STOP_CHARS).lstrip(LEADING_STOP_CHARS)
            # 综合, 指数 are nouns, not 综 + 合 or 指 + 数: a particle is cut off a longer token only
            whole = flag in WHOLE_NOUN_FLAGS and dictionary_frequency(token) >= MIN_WHOLE_NOUN_FREQUENCY
            token = stripped if len(stripped) > 1 or not whole else token
        if not token or token in stop or (len(token) == 1 and _CJK.match(token) and token not in _single_char_terms()):
            continue
        weight = POS_WEIGHTS.get(flag, POS_WEIGHTS.get(flag[:1], DEFAULT_POS_WEIGHT))
        seen[token] = max(seen.get(token, 0.0), weight)
    return list(seen.items())


# share (0…1, higher = stricter) of the nouns of one of two phrases the other must name as well (directly,
# by a synonym, or word by word) for both to measure the same thing
MIN_SHARED_NOUNS = 0.75


_UNIT_WORD = re.compile(r"^(?:万亿|亿|万|千)?(?:元|美元|家|项|个|人|名|件|倍|所|支|台|套)?$")


def nouns(text: str) -> list[str]:
    """The nouns of a phrase that name what it counts: no scope (全市) and no unit (亿元)."""
    return [
        t
        for t, weight in content_terms(text)
        if weight >= DEFAULT_POS_WEIGHT and t not in SCOPE_WORDS and not _UNIT_WORD.match(t)
    ]


def _names(text: str, noun: str) -> bool:
    """Does ``text`` name ``noun``: itself, a synonym, or each word of it ("有效高企" in "有效高新技术企业…")?"""
    if any(word in text for word in (noun, *synonyms(noun))):
        return True
    parts = sub_words(noun)
    return bool(parts) and all(any(word in text for word in (part, *synonyms(part))) for part in parts)


def names_same_measure(a: str, b: str) -> bool:
    """Do two phrases name the same thing ("有效高企总数达6,512家" / "有效高新技术企业总数达6,512家")?

    Judged on nouns, the words that name what is counted: verbs ("布局", "力争") are shared by unrelated
    figures. A phrase naming no noun of its own borrows its subject from elsewhere and is never judged the same.
    """
    a, b = a.lower(), b.lower()  # content_terms lowercases: "gdp" is named in "GDP"
    nouns_a, nouns_b = nouns(a), nouns(b)
    if not nouns_a or not nouns_b:
        return False
    # either way round: "成交额" is named inside "技术合同成交额", not the other way
    return any(
        sum(1 for noun in side if _names(other, noun)) / len(side) >= MIN_SHARED_NOUNS
        for side, other in ((nouns_a, b), (nouns_b, a))
    )


WHOLE_NOUN_FLAGS = ("n", "vn")  # jieba tags of a two-character noun kept whole though it ends in a particle …
MIN_WHOLE_NOUN_FREQUENCY = 100  # … when jieba's dictionary counts it this often (higher = fewer kept; 贷给 is 3)


CATEGORY_SUFFIX = "类"  # "创新类", "创业类": a category of what is counted, named as one noun
# one-character nouns that end a compound jieba leaves split ("创新券", "人才贷"); not 平 of "科贷通平 均"
NOUN_SUFFIXES = frozenset("券奖贷款费额金园站库室院器证")


def _with_categories(pairs: list) -> list[tuple[str, str]]:
    """(word, part of speech) with a one-character noun joined to the word before it: jieba splits
    "创新类" into 创新 + 类 and "创新券" into 创新 + 券, and a lone character is no indicator word."""
    out: list[tuple[str, str]] = []
    for pair in pairs:
        suffix = pair.word == CATEGORY_SUFFIX or (pair.word in NOUN_SUFFIXES and pair.flag.startswith("n"))
        before = out[-1][0] if out else ""
        if suffix and len(before) >= 2 and _CJK.fullmatch(before[-1]) and before not in stopwords():
            out[-1] = (before + pair.word, "n")
        else:
            out.append((pair.word, pair.flag))
    return out


_SCOPE_WORD = re.compile(r"^[\u4e00-\u9fff]{1,3}[级属营]$")  # 省级, 市级, 国家级, 市属, 民营


@lru_cache(maxsize=8192)
def is_modifier(word: str) -> bool:
    """A word that narrows a noun to another indicator (省级, 国家级, 新型, 民营), not a noun that owns it (平台).

    jieba tags such distinguishing words ``b``; words of administrative level end in 级/属/营.
    """
    ensure_jieba()
    if _SCOPE_WORD.match(word):
        return True
    pairs = jieba.posseg.lcut(word)
    return len(pairs) == 1 and pairs[0].flag == "b"


@lru_cache(maxsize=8192)
def trailing_noun_phrase(text: str) -> str:
    """The nouns (and their modifiers) that end ``text``: "…累计达1,860家，科技小巨人企业" → "科技小巨人企业";
    a verb ends the phrase ("政策减免企业" → "企业": 减免 acts on the firms, it names none of them)."""
    ensure_jieba()
    words: list[str] = []
    for pair in reversed(jieba.posseg.lcut(text)):
        if not pair.flag.startswith(("n", "a", "b", "j")):
            break
        words.append(pair.word)
    return "".join(reversed(words))


def is_place_name(word: str) -> bool:
    """Is the word one place name to jieba (郑州, 鼓楼区), as a question may name a report's city?"""
    ensure_jieba()
    pairs = jieba.posseg.lcut(word)
    return len(pairs) == 1 and pairs[0].flag == "ns"


@lru_cache(maxsize=8192)
def is_narrowing_word(word: str) -> bool:
    """A word that names a narrower indicator when put inside a compound: a modifier, or one adjective (高价值)."""
    if is_modifier(word):
        return True
    pairs = jieba.posseg.lcut(word)
    return len(pairs) == 1 and pairs[0].flag == "a"


@lru_cache(maxsize=8192)
def sub_words(term: str) -> tuple[str, ...]:
    """A compound split into the words it is made of, longest first ("外国高端人才" → 外国, 高端, 人才)."""
    ensure_jieba()
    pieces = {p for p in jieba.cut_for_search(term) if p != term and len(p) > 1}
    out: list[str] = []
    i = 0
    unknown = ""  # characters no piece covers: 双创 of 双创人才 is a word of its own though jieba lacks it
    while i < len(term):
        match = max((p for p in pieces if term.startswith(p, i)), key=len, default=None)
        if match is None:
            unknown += term[i]
            i += 1
            continue
        if len(unknown) > 1 and out == [] and CJK_RUN.fullmatch(unknown):
            out.append(unknown)
        unknown = ""
        out.append(match)
        i += len(match)
    return tuple(out)


@lru_cache(maxsize=1)
def _single_char_terms() -> frozenset[str]:
    """Single characters that still name something (贷 for 贷款, 钱 for money)."""
    return frozenset(w for group in synonym_groups() for w in group if len(w) == 1)


@lru_cache(maxsize=4096)
def _synonym_tokens(term: str) -> tuple[str, ...]:
    """A term's synonyms and the words each is written with: a report's tokens never hold 研发投入占gdp比重
    whole, only 研发, 投入, 占, gdp, 比重."""
    out: dict[str, None] = {}
    for other in synonyms(term):
        out.setdefault(other.lower(), None)
        for token in tokenize(other):
            if token not in SCOPE_WORDS:  # 国家 of 国家高新技术企业 would rank every 国家… sentence
                out.setdefault(token, None)
    return tuple(out)


# words of scope or level: they say whose or which tier, never what is measured (全区: an autonomous region)
SCOPE_WORDS = frozenset({"国家", "国家级", "省级", "市级", "全国", "全省", "全区", "全市"})


def expand(terms: Iterable[str]) -> list[str]:
    """Terms plus their synonyms and the synonyms' own words, for BM25 queries.

    A name some report taught jieba (“创新券”) comes with its pieces too: a report tokenized before it was learned
    holds 创新|券, and the knowledge base's reports are tokenized in whatever order they were loaded."""
    out: dict[str, None] = {}
    for term in terms:
        out.setdefault(term, None)
        for other in _synonym_tokens(term):
            out.setdefault(other, None)
        if term in _NAMES_ADDED:
            for piece in _pieces(term):
                out.setdefault(piece, None)
    return list(out)


def _pieces(name: str) -> list[str]:
    """The words a name is written with, and any character none of them covers (创新券 → 创新, 券)."""
    words = list(sub_words(name))
    covered = "".join(words)
    return [*words, *(ch for ch in name if ch not in covered and _CJK.match(ch))]
