"""Homophone typos of pinyin input: 申保数 → 申报数, 技术经济人 → 技术经纪人, 科贷桶 → 科贷通.

Staff type on phones with a pinyin keyboard, which offers every character of the same sound; picking
the wrong one leaves a word the reports never use, and the coverage rules then (rightly) refuse it. A
run of characters that no report contains, written with exactly the sounds of a word the reports do use
(tones ignored) and differing from it in one character, is read as that word. Nothing else is touched:
a word the reports contain, a question word, a name the lexicon knows.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from bot.lexicon import STOP_CHARS, dictionary_frequency, is_dictionary_word, rewrite_word_windows, synonym_groups

MIN_WORD_CHARS = 2  # shorter words have too many homophones to correct safely (characters)
MAX_WORD_CHARS = 5  # longest report word a typo is matched against (characters)
MAX_CHANGED_CHARS = 1  # a typo is one wrong character; two would be another word
MAX_WINDOW_WORDS = 3  # jieba words a typo may have been split into ("经济"+"人" of 经济人)
# characters of question words and particles: a window holding one is no misspelled report word
# A window that is itself a common word (今年, 前年, 明年) was typed on purpose: a report that never writes
# 今年 does not make it a typo of 近年. jieba's dictionary counts; typos are rare or absent there.
COMMON_WORD_MIN_FREQ = 300  # jieba count from which a word is never "corrected" (higher = commoner)


def is_common_word(word: str) -> bool:
    return len(word) > 1 and dictionary_frequency(word) >= COMMON_WORD_MIN_FREQ


_NOT_IN_WORDS = frozenset(STOP_CHARS + "多少几吗呢么啊吧呀哪谁什")
_CJK_WORD = re.compile(rf"[\u4e00-\u9fff]{{{MIN_WORD_CHARS},{MAX_WORD_CHARS}}}")


@lru_cache(maxsize=1)
def _readings() -> dict[int, str]:
    """pypinyin's table of character readings (code point → "zhòng,chóng,tóng").

    Read from its module file: importing the package loads its phrase dictionaries too, 0.34 s of
    every start for nothing a character-by-character comparison needs (the table alone: 0.06 s).
    """
    spec = importlib.util.find_spec("pypinyin")
    locations = spec.submodule_search_locations if spec is not None else None
    if locations:
        path = Path(next(iter(locations))) / "pinyin_dict.py"
        table_spec = importlib.util.spec_from_file_location("_wenshu_pinyin_dict", path)
        if table_spec is not None and table_spec.loader is not None:
            module = importlib.util.module_from_spec(table_spec)
            table_spec.loader.exec_module(module)
            return module.pinyin_dict
    from pypinyin.pinyin_dict import pinyin_dict  # the package's own import, if its layout ever changes

    return pinyin_dict


@lru_cache(maxsize=8192)
def _syllable(char: str) -> str:
    """A character's first reading without its tone mark ("重" → "zhong"); the character itself if unknown."""
    reading = _readings().get(ord(char))
    if reading is None:
        return char
    first = reading.split(",")[0]
    return "".join(c for c in unicodedata.normalize("NFD", first) if not unicodedata.combining(c))


def sound(text: str) -> tuple[str, ...]:
    """Toneless pinyin syllables, one per character (each character's first reading, the same for every word)."""
    return tuple(_syllable(c) for c in text)


class HomophoneFixer:
    """Corrects homophone typos against the words of the indexed reports.

    ``words``: the reports' words (jieba tokens); ``contains``: does any report contain this text?
    """

    def __init__(self, words: Iterable[str], contains: Callable[[str], bool]) -> None:
        self._contains = contains
        known = {w for group in synonym_groups() for w in group}
        self._known = known
        self._by_sound: dict[tuple[str, ...], set[str]] = {}
        for word in set(words) | known:
            if _CJK_WORD.fullmatch(word):
                self._by_sound.setdefault(sound(word), set()).add(word)

    def correct(self, text: str) -> str:
        """``text`` with each homophone typo replaced by the report word it sounds like; longest first.

        Windows on the run's word boundaries: a few whole words ("经济"+"人"), or the start of a word jieba does
        not know ("申保" of 申保数) — never a window across a word's inside ("意向目标" ≠ 项目).
        """
        return rewrite_word_windows(text, self._fix_at)

    def _fix_at(self, words: list[str], i: int) -> tuple[str, int] | None:
        """The longest fixable window starting at word ``i``: (corrected text, words used).

        A window ends at a word's end, or inside a last word jieba made up ("人要" of 经济人要培育).
        """
        for j in range(min(len(words), i + MAX_WINDOW_WORDS), i, -1):
            text = "".join(words[i:j])
            head = len(text) - len(words[j - 1])  # characters before the last word
            last_unknown = len(words[j - 1]) > 1 and not is_dictionary_word(words[j - 1])
            shortest = head + 1 if last_unknown else len(text)
            for size in range(min(len(text), MAX_WORD_CHARS), max(shortest, MIN_WORD_CHARS) - 1, -1):
                fix = self._fix(text[:size])
                if fix is not None:
                    return fix + text[size:], j - i
        return None

    def _fix(self, window: str) -> str | None:
        if _NOT_IN_WORDS.intersection(window) or window in self._known or is_common_word(window):
            return None
        syllables = sound(window)
        candidates = [
            w
            for w in self._by_sound.get(syllables, ())
            if sum(a != b for a, b in zip(w, window, strict=True)) <= MAX_CHANGED_CHARS
        ]
        if len(candidates) != 1 or self._contains(window):  # none, or ambiguous, or a real report word
            return None
        return candidates[0]
