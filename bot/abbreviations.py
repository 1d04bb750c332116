"""Abbreviations staff type for the reports' indicators: 技合额 → 技术合同成交额, 科贷额 → 科技贷款额.

Chinese shortens a compound by keeping a character or two of each of its words, in order (技术·合同·成交额
→ 技合额). The synonym list holds the common ones; a report brings its own, so every indicator phrase of
the indexed reports (the words before a figure) offers its runs of consecutive words as expansions. A run of
question words that no report contains (one word, or one word with single characters: 技合额, 科贷+额) is read
as the one expansion that abbreviates it — never a report word, a question word, a common word or a name the
lexicon knows, and nothing when two expansions fit. When no report phrase fits, a synonym-list phrase may
(技合额 → 技术合同成交额 where the report says 技术合同登记额: 登记 gives the abbreviation no character), if a
report holds some name of its group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

import jieba

from bot.lexicon import CJK_RUN, cut, ensure_jieba, is_dictionary_word, rewrite_word_windows, synonym_groups, synonyms
from bot.spelling import is_common_word

MIN_ABBREVIATION_CHARS = 2  # "科贷" (characters); one character abbreviates too many things
MIN_INNER_ABBREVIATION_CHARS = 3  # … and inside a glued word, after its first character ("区技合额")
MAX_ABBREVIATION_CHARS = 4  # longest typed abbreviation looked at (characters)
MIN_DROPPED_CHARS = 2  # an expansion is at least this many characters longer than what was typed
MAX_PHRASE_WORDS = 4  # consecutive report words one abbreviation may stand for
MIN_SPLIT_CHARS = 4  # a word this long is matched by its parts (技术合同·成交额), shorter ones whole (characters)
MAX_WINDOW_WORDS = 3  # question words ("技"+"合"+"额") a typed abbreviation may have been cut into

# particles, question words and relative years: a run holding one is the question's own (合 of 技合额 is none)
_NOT_IN_ABBREVIATIONS = frozenset(
    "的了是有吗呢么啊呀吧都也就还在把被让给和与及或其这那该每各较比只多少几哪谁什年月日去今前明后"
)


def pieces(word: str) -> tuple[str, ...]:
    """A long word split into the dictionary words it is made of (技术合同成交额 → 技术合同, 成交额): jieba's own
    best route through the word with the whole word itself left out."""
    if len(word) < MIN_SPLIT_CHARS:
        return (word,)
    ensure_jieba()
    dag = jieba.dt.get_DAG(word)
    dag[0] = [end for end in dag[0] if end != len(word) - 1] or [0]
    route: dict[int, tuple[float, int]] = {}
    jieba.dt.calc(word, dag, route)
    out: list[str] = []
    start = 0
    while start < len(word):
        end = route[start][1] + 1
        out.append(word[start:end])
        start = end
    return tuple(out)


def abbreviates(short: str, words: tuple[str, ...], optional_tail: int = 0) -> bool:
    """Is ``short`` the words' abbreviation: its characters taken in order, the first word's first character
    first, at least one from each word — a word left out is another indicator (引进·外国·人才) — except the last
    ``optional_tail`` words, the rest of the phrase's last word (科技型中小·企业 for 科小)?"""
    if not words or short[0] != words[0][0]:
        return False
    position = 0  # next character of ``short`` to find
    for number, word in enumerate(words):
        taken = 0
        for char in word:
            if position < len(short) and char == short[position]:
                position += 1
                taken += 1
        if not taken and not (position == len(short) and number >= len(words) - optional_tail):
            return False
    return position == len(short)


class AbbreviationExpander:
    """Expands typed abbreviations against the indexed reports' indicator phrases.

    ``indicators``: the phrases the reports' figures measure (repeats count: the commoner expansion wins
    a tie of shapes only when it is strictly commoner); ``contains``: does any report contain this text?
    """

    def __init__(self, indicators: Iterable[str], contains: Callable[[str], bool]) -> None:
        self._contains = contains
        self._known = {w for group in synonym_groups() for w in group}
        runs: Counter[tuple[str, ...]] = Counter()
        for indicator, repeats in Counter(indicators).items():  # many reports share their indicators' wording
            for chunk in CJK_RUN.findall(indicator):
                words = cut(chunk)
                for i in range(len(words)):
                    for j in range(i + 1, min(len(words), i + MAX_PHRASE_WORDS) + 1):
                        runs[tuple(words[i:j])] += repeats
        # each run as the dictionary words it is made of, and how many of them end its last word
        self._by_first: dict[str, list[tuple[str, tuple[str, ...], int, int]]] = {}
        for words, count in runs.items():
            parts = tuple(p for w in words for p in pieces(w))
            entry = ("".join(words), parts, len(pieces(words[-1])) - 1, count)
            self._by_first.setdefault(words[0][0], []).append(entry)

    def expand(self, text: str) -> str:
        """``text`` with each typed abbreviation replaced by the report phrase it stands for."""
        return rewrite_word_windows(text, self._expand_at)

    def _expand_at(self, words: list[str], i: int) -> tuple[str, int] | None:
        """The longest window of whole question words from ``i`` that abbreviates one report phrase."""
        for j in range(min(len(words), i + MAX_WINDOW_WORDS), i, -1):
            window = "".join(words[i:j])
            if not MIN_ABBREVIATION_CHARS <= len(window) <= MAX_ABBREVIATION_CHARS:
                continue
            longer = [w for w in words[i:j] if len(w) > 1]
            if len(longer) > 1 or any(w in self._known or self._contains(w) for w in longer):
                continue  # "高企总数", "企业+贷": words typed side by side, each meant as written
            phrase = self.expansion(window)
            if phrase is not None:
                following = words[j] if j < len(words) else ""
                if following[:1] == phrase[-1] != window[-1]:
                    # "技合|额前三": the abbreviation's last character was cut into the next word — take it along
                    across = self._inside(window + following, across=len(window), reach=len(window) + 1)
                    if across is not None:
                        return across, j - i + 1
                return phrase, j - i
        word = words[i]
        led = self._leading_expansion(words, i)
        if led is not None:
            return led, 1
        if not is_dictionary_word(word):  # "区技合额", "技合额加": jieba glued a made-up word to its neighbours
            found = self._inside(word)
            if found is not None:
                return found, 1
            following = words[i + 1] if i + 1 < len(words) else ""
            if following:
                # "三个区技合额加起来" cut as 区技合|额加: the abbreviation runs across two made-up words; into a
                # real word ("技合|额前三"), by its first character only
                reach = None if not is_dictionary_word(following) else len(word) + 1
                found = self._inside(word + following, across=len(word), reach=reach)
                if found is not None:
                    return found, 2
        return None

    def _inside(self, word: str, across: int = 0, reach: int | None = None) -> str | None:
        """``word`` with an abbreviation found inside it expanded (one that crosses position ``across`` if set, and
        ends at ``reach`` if set)."""
        for start in range(len(word) - MIN_ABBREVIATION_CHARS + 1):
            # inside a word, an abbreviation starts its first character only when it is long enough to
            # be one ("区|技合额"): "技|合额" → 技合同成交额 was a made-up word out of the rest of one
            shortest = MIN_ABBREVIATION_CHARS if start == 0 else MIN_INNER_ABBREVIATION_CHARS
            for end in range(len(word) - (start == 0), start + shortest - 1, -1):
                if (across and not start < across < end) or (reach is not None and end != reach):
                    continue
                phrase = self.expansion(word[start:end])
                if phrase is not None:
                    return word[:start] + phrase + word[end:]
        return None

    def _leading_expansion(self, words: list[str], i: int) -> str | None:
        """ "国重+研发计划": an abbreviation of a phrase's first words, typed before the rest of it as written — the
        one expansion of the phrases that go on with those words (国重 alone fits 国家重点实验室 as well)."""
        short = words[i]
        if not MIN_ABBREVIATION_CHARS <= len(short) <= MAX_ABBREVIATION_CHARS or self._rejected(short, written=False):
            return None
        for k in range(min(MAX_WINDOW_WORDS, len(words) - i - 1), 0, -1):
            rest = "".join(words[i + 1 : i + 1 + k])
            if self._contains(short + rest):
                return None  # written so in a report (国重 is inside 全国重点…, but no report writes 国重研发计划)
            heads = {
                phrase[: -len(rest)]
                for phrase, _, _, _ in self._by_first.get(short[0], ())
                if phrase.endswith(rest) and len(phrase) - len(rest) >= len(short) + MIN_DROPPED_CHARS
            }
            fits = {h for h in heads if abbreviates(short, tuple(p for w in cut(h) for p in pieces(w)))}
            if len(fits) == 1:
                return next(iter(fits))
        return None

    def _rejected(self, short: str, *, written: bool = True) -> bool:
        """Is ``short`` no abbreviation at all: a particle or question word in it, a known or common word, or
        (``written``) found in a report as it is?"""
        return bool(
            _NOT_IN_ABBREVIATIONS.intersection(short)
            or not CJK_RUN.fullmatch(short)
            or short in self._known
            or is_common_word(short)
            or (written and self._contains(short))
        )

    def expansion(self, short: str) -> str | None:
        """The one report phrase ``short`` abbreviates, or None (a real word, a question word, none or two)."""
        if self._rejected(short):
            return None
        counts: Counter[str] = Counter()
        parts_of: dict[str, tuple[str, ...]] = {}
        for phrase, parts, tail, count in self._by_first.get(short[0], ()):
            if len(phrase) >= len(short) + MIN_DROPPED_CHARS and abbreviates(short, parts, tail):
                counts[phrase] += count
                parts_of[phrase] = parts
        # a phrase and its longer run ("技术合同成交" / "技术合同成交额") are one expansion, and so is a report's own
        # short form of another ("综改示范区" of "综合改革示范区"): keep the longest
        distinct = [p for p in counts if not any(p != q and (p in q or abbreviates(p, parts_of[q])) for q in counts)]
        if not distinct:
            return self._listed_expansion(short)
        if len(distinct) != 1:
            return None
        return distinct[0]

    def _listed_expansion(self, short: str) -> str | None:
        """The one synonym-list phrase ``short`` abbreviates that some report names by one of its names, or None."""
        fits = [
            phrase
            for phrase, parts, tail in _listed_phrases().get(short[0], ())
            if len(phrase) >= len(short) + MIN_DROPPED_CHARS
            and abbreviates(short, parts, tail)
            and any(self._contains(name) for name in (phrase, *synonyms(phrase)))
        ]
        if not fits or any(other != fits[0] and other not in synonyms(fits[0]) for other in fits):
            return None  # none, or phrases of two different indicators
        return fits[0]


@lru_cache(maxsize=1)
def _listed_phrases() -> dict[str, list[tuple[str, tuple[str, ...], int]]]:
    """The synonym list's Chinese phrases by first character, each with its dictionary words and the number
    of them that end its last word (as the report phrases are kept)."""
    by_first: dict[str, list[tuple[str, tuple[str, ...], int]]] = {}
    for group in synonym_groups():
        for phrase in group:
            if CJK_RUN.fullmatch(phrase):
                words = cut(phrase)
                parts = tuple(p for w in words for p in pieces(w))
                by_first.setdefault(phrase[0], []).append((phrase, parts, len(pieces(words[-1])) - 1))
    return by_first
