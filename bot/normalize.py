"""Question normalization: what staff type on phones → one canonical form.

Only questions are normalized; report text stays verbatim so citations can be
quoted exactly.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

MAX_FILLERS = 3  # polite openings removed from the start of a question, at most
MAX_QUESTION_CHARS = 500  # longer input is cut: no real question is longer, and it bounds work per request

_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_RND = re.compile(r"R\s*&\s*D", re.IGNORECASE)
_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2", "三": "3", "四": "4"}
_CN_DIGITS |= {"五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
_CN_YEAR = re.compile(r"([〇零○一二三四五六七八九]{4})(?=年)")
# "22年" → 2022年, but not durations such as "连续15年" or "近10年".
_SHORT_YEAR = re.compile(r"(?<![\d.])(?<!连续)(?<!近)(?<!过去)(?<!满)(?<!第)(?<!共)([12]\d)(?=年(?!来|以来|间|内))")
_FILLERS = re.compile(
    r"^(帮我算一下|帮我算下|帮我算算|帮忙算一下|算一下|请问一下|请问|麻烦问一下|麻烦|帮我查一下|帮我查下|帮我查查|帮我看一下|帮我看看|帮忙查一下|查一下|问一下|想问一下|想问下|想知道|我想知道|我想问一下|我想问|想了解一下|想了解|能不能告诉我|能否告诉我|可不可以告诉我|可以告诉我|能告诉我|告诉我|你知道|你好|您好|老师好)[,，:：]?"
)
# polite closings: "…多少？谢谢" is the same question
_CLOSINGS = re.compile(
    r"[,，。.!！~～\s]*(谢谢(你|您|啦|了)?|多谢|谢啦|感谢|辛苦(了|啦)?|麻烦(你|您)?了|急|在线等)[。.!！~～\s]*$"
)


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def chinese_year_to_digits(text: str) -> str:
    """二〇二二年 → 2022年; 22年 → 2022年 (two-digit years are read as 20xx)."""
    text = _CN_YEAR.sub(lambda m: "".join(_CN_DIGITS[c] for c in m.group(1)), text)
    return _SHORT_YEAR.sub(lambda m: "20" + m.group(1), text)


def normalize_question(text: str) -> str:
    """Canonical form of a question: simplified, half-width digits, no invisible characters.

    NFKC folds full-width digits and letters (２０２２ → 2022, ％ → %); OpenCC
    converts traditional to simplified characters; filler openings are dropped.
    """
    text = text[: MAX_QUESTION_CHARS * 2]
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub("", text)  # "瞪\x07羚" is 瞪羚: a stray control character is not a word break
    text = unicodedata.normalize("NFKC", text)
    text = _t2s().convert(text)
    text = chinese_year_to_digits(text)
    if _CJK.search(_RND.sub("", text)):  # "R&D占GDP比重": the & would split it into r and d (English stays English)
        text = _RND.sub("研发", text)
    text = _SPACES.sub(" ", text).strip()
    for _ in range(MAX_FILLERS):  # "您好，请问…": several openings in a row
        stripped = _FILLERS.sub("", text).strip()
        if stripped == text:
            break
        text = stripped
    for _ in range(MAX_FILLERS):  # "…？谢谢！辛苦了"
        stripped = _CLOSINGS.sub("", text).strip()
        if stripped == text or not stripped:
            break
        text = stripped
    return text[:MAX_QUESTION_CHARS]


def compact(text: str) -> str:
    """Text without spaces, so '10252 家' and '10252家' compare equal."""
    return _SPACES.sub("", text)
