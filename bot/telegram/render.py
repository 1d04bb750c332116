"""Telegram HTML for an :class:`~bot.models.Answer`: the answer view, the 原文 (context) view, the share view.

Rules every function here keeps:

* all report and user text goes through :func:`html.escape` — nothing from outside is ever markup;
* a message never exceeds :data:`MESSAGE_LIMIT`. Lengths are counted on the HTML *source* in UTF-16
  code units, which over-counts what Telegram counts (text after entity parsing), so the limit holds
  with a margin. Text is shortened *before* escaping, so a cut never lands inside a tag or an entity;
* the short answer always survives; citations are dropped from the end, then shortened, with a note.

The same functions build the keyboards, so a view and its buttons cannot disagree.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from telegram import CopyTextButton, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

from bot.models import Answer, Citation, DocumentMeta, Sentence
from bot.telegram.links import callback_data

MESSAGE_LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4096 characters per message
COPY_TEXT_LIMIT = InlineKeyboardButtonLimit.MAX_COPY_TEXT  # 256 characters copied by a CopyTextButton
ANSWER_BUDGET = 1500  # HTML characters for the short answer: it is short by contract, this is a guard
FORMULA_BUDGET = 600  # HTML characters for the formula line
SOURCE_BUDGET = 300  # HTML characters for one "— 《title》 · section" line
ECHO_BUDGET = 300  # HTML characters for the echoed question
CITATION_LINE_MAX = 500  # characters of the one-line citation shown in <code>
RESTATES_LABEL = "同一数字另见："  # above a cited sentence that repeats a figure another citation states
FORWARD_TEXT_CHARS = 120  # characters of the citation put into the t.me/share URL (URL-encoded ×9 for CJK)
MIN_QUOTE_BUDGET = 40  # a shortened quote shorter than this says nothing; show the note instead
MIN_PARAGRAPH_BUDGET = 120  # below this a further paragraph in the 原文 view is not worth starting
ELLIPSIS = "…"

# Callback actions: q asks anew (new message); a/o/s switch the view of an answer message in place.
ACTION_ASK = "q"
ACTION_ANSWER = "a"
ACTION_CONTEXT = "o"
ACTION_SHARE = "s"
VIEW_ACTIONS = frozenset({ACTION_ANSWER, ACTION_CONTEXT, ACTION_SHARE})

BUTTON_CONTEXT = "📄 原文"
BUTTON_FOLD = "↩ 收起原文"
BUTTON_SHARE = "🔗 分享"
BUTTON_BACK = "↩ 返回答案"
BUTTON_COPY = "📋 复制引用"
BUTTON_FORWARD = "↗ 转发"
SHARE_URL = "https://t.me/share/url"

NO_ANSWER_TEXT = "报告中没有找到答案。"


def tg_len(text: str) -> int:
    """Length as Telegram measures it (UTF-16 code units): emoji count twice."""
    return len(text.encode("utf-16-le")) // 2


def esc(text: str) -> str:
    """Escape text for a Telegram HTML text node (quotes need no escaping outside attributes)."""
    return html.escape(text, quote=False)


def fit(raw: str, budget: int) -> str:
    """Escape ``raw``; if that exceeds ``budget``, cut the raw text and end with an ellipsis."""
    full = esc(raw)
    if tg_len(full) <= budget:
        return full
    room = budget - tg_len(ELLIPSIS)
    if room <= 0:
        return ""
    out: list[str] = []
    used = 0
    for char in raw:
        piece = esc(char)
        size = tg_len(piece)
        if used + size > room:
            break
        out.append(piece)
        used += size
    return "".join(out) + ELLIPSIS


def plain(raw: str, limit: int) -> str:
    """Cut plain (non-HTML) text to ``limit`` characters with an ellipsis."""
    raw = " ".join(raw.split())
    return raw if len(raw) <= limit else raw[: max(limit - 1, 0)] + ELLIPSIS


def question_echo(question: str) -> str:
    """The closing line naming the question, so a forwarded answer is self-explanatory."""
    return f"\n\n❓ <i>{fit(question, ECHO_BUDGET)}</i>"


def _head(answer: Answer) -> str:
    head = f"<b>{fit(answer.text or NO_ANSWER_TEXT, ANSWER_BUDGET)}</b>"
    if answer.formula:
        head += f"\n🧮 计算：<code>{fit(answer.formula, FORMULA_BUDGET)}</code>"
    return head


def _source_line(citation: Citation) -> str:
    where = f"《{citation.doc}》"
    if citation.section:
        where += f" · {citation.section}"
    if citation.page is not None:
        where += f" · 第 {citation.page} 页"
    return f"\n— {fit(where, SOURCE_BUDGET)}"


def _citation_block(citation: Citation, text_budget: int = MESSAGE_LIMIT) -> str:
    label = f"\n{RESTATES_LABEL}" if citation.restates else ""
    return f"{label}\n<blockquote>{fit(citation.text, text_budget)}</blockquote>{_source_line(citation)}"


def _more_note(count: int) -> str:
    return f"\n{ELLIPSIS}另有 {count} 条出处未显示，点「原文」查看。"


def _fit_citations(header: str, citations: Sequence[Citation], budget: int) -> str:
    """As many whole citations as fit, the first one shortened if it alone is too long, then a note."""
    out = f"\n\n{header}"
    used = tg_len(out)
    if not citations or used > budget:
        return ""
    shown = 0
    for index, citation in enumerate(citations):
        rest = len(citations) - index - 1
        reserve = tg_len(_more_note(rest)) if rest else 0
        block = _citation_block(citation)
        if used + tg_len(block) + reserve > budget and index == 0:
            text_budget = budget - used - reserve - tg_len(_citation_block(citation, text_budget=0))
            if text_budget >= MIN_QUOTE_BUDGET:
                block = _citation_block(citation, text_budget=text_budget)
        if used + tg_len(block) + reserve > budget:
            break
        out += block
        used += tg_len(block)
        shown += 1
    if shown == 0:
        return ""
    if shown < len(citations):
        out += _more_note(len(citations) - shown)
    return out


def render_answer(answer: Answer, question: str | None = None, *, limit: int = MESSAGE_LIMIT) -> str:
    """The answer view: bold answer, formula, quoted sentences with section and title, the question."""
    head = _head(answer)
    tail = question_echo(question if question is not None else answer.question)
    budget = limit - tg_len(head) - tg_len(tail)
    if answer.citations:
        body = _fit_citations("📌 出处", answer.citations, budget)
    elif answer.nearest:
        body = _fit_citations("🔎 报告中相近的内容（仅供参考，不是答案）", answer.nearest, budget)
    else:
        body = ""
    return head + body + tail


@dataclass(frozen=True)
class ContextParagraph:
    """One paragraph of a report around cited sentences, for the 原文 view."""

    doc: str
    section: str
    sentences: tuple[Sentence, ...]
    highlight: frozenset[str]  # ids of the cited sentences


def context_paragraphs(
    citations: Iterable[Citation], paragraph_of: dict[str, list[Sentence]], titles: dict[str, str]
) -> list[ContextParagraph]:
    """Group citations by paragraph (a calculation may cite two sentences of one paragraph).

    ``paragraph_of`` maps a citation id to its paragraph's sentences (empty when unknown: the citation
    is then shown on its own).
    """
    result: list[ContextParagraph] = []
    index: dict[tuple[str, int], int] = {}
    for citation in citations:
        sentences = paragraph_of.get(citation.id) or []
        cited = next((s for s in sentences if s.id == citation.id), None)
        if cited is None:
            fake = Sentence(
                id=citation.id, doc_id="", section_id="", section_path=(), paragraph=-1, position=0, text=citation.text
            )
            result.append(ContextParagraph(citation.doc, citation.section, (fake,), frozenset({citation.id})))
            continue
        key = (cited.doc_id, cited.paragraph)
        if key in index:
            old = result[index[key]]
            result[index[key]] = ContextParagraph(old.doc, old.section, old.sentences, old.highlight | {citation.id})
            continue
        index[key] = len(result)
        doc = titles.get(cited.doc_id, citation.doc)
        section = cited.section or citation.section
        result.append(ContextParagraph(doc, section, tuple(sentences), frozenset({citation.id})))
    return result


def _sentence_html(sentence: Sentence, highlighted: bool, budget: int = MESSAGE_LIMIT) -> str:
    if highlighted:
        return f"<u><b>{fit(sentence.text, budget)}</b></u>"
    return fit(sentence.text, budget)


def _fit_paragraph(paragraph: ContextParagraph, budget: int) -> str:
    """The cited sentence(s) plus as much surrounding text as fits, growing outwards."""
    sentences = paragraph.sentences
    marks = [i for i, s in enumerate(sentences) if s.id in paragraph.highlight] or [0]
    pieces = [_sentence_html(s, s.id in paragraph.highlight) for s in sentences]

    def span(lo: int, hi: int) -> str:
        before = ELLIPSIS if lo > 0 else ""
        after = ELLIPSIS if hi < len(sentences) - 1 else ""
        return before + "".join(pieces[lo : hi + 1]) + after

    lo, hi = min(marks), max(marks)
    if tg_len(span(lo, hi)) > budget:
        first = sentences[marks[0]]
        overhead = tg_len(ELLIPSIS * 2 + _sentence_html(first, True, budget=0))
        if budget - overhead <= tg_len(ELLIPSIS):
            return ""
        return ELLIPSIS + _sentence_html(first, True, budget - overhead) + ELLIPSIS
    grown = True
    while grown:  # one sentence before, one after, alternately, while they fit
        grown = False
        if lo > 0 and tg_len(span(lo - 1, hi)) <= budget:
            lo, grown = lo - 1, True
        if hi < len(sentences) - 1 and tg_len(span(lo, hi + 1)) <= budget:
            hi, grown = hi + 1, True
    return span(lo, hi)


def render_context(
    answer: Answer, paragraphs: Sequence[ContextParagraph], question: str | None = None, *, limit: int = MESSAGE_LIMIT
) -> str:
    """The 原文 view: the paragraph(s) around the cited sentence(s), which are underlined in bold."""
    head = f"<b>📄 原文</b> · {fit(answer.text or NO_ANSWER_TEXT, ANSWER_BUDGET)}"
    tail = question_echo(question if question is not None else answer.question)
    budget = limit - tg_len(head) - tg_len(tail)
    body = ""
    for number, paragraph in enumerate(paragraphs):
        where = f"《{paragraph.doc}》" + (f" · {paragraph.section}" if paragraph.section else "")
        title = f"\n\n<i>{fit(where, SOURCE_BUDGET)}</i>\n"
        rest = len(paragraphs) - number - 1
        reserve = tg_len(_more_paragraphs(rest)) if rest else 0
        room = budget - tg_len(body) - tg_len(title) - reserve
        text = _fit_paragraph(paragraph, room) if room >= MIN_PARAGRAPH_BUDGET or number == 0 else ""
        if not text:
            body += _more_paragraphs(len(paragraphs) - number) if number else ""
            break
        body += title + text
    if not body:
        body = "\n\n报告原文不可用。"
    return head + body + tail


def _more_paragraphs(count: int) -> str:
    return f"\n\n{ELLIPSIS}另有 {count} 段原文未显示。"


def citation_line(answer: Answer) -> str:
    """One line to paste elsewhere: ``answer — 《title》，section``."""
    text = " ".join((answer.text or NO_ANSWER_TEXT).split())
    if answer.citations:
        first = answer.citations[0]
        text += f" — 《{first.doc}》" + (f"，{first.section}" if first.section else "")
    return plain(text, CITATION_LINE_MAX)


def render_share(answer: Answer, link: str, question: str | None = None, *, limit: int = MESSAGE_LIMIT) -> str:
    """The share view: the answer, a deep link that reopens it, and the one-line citation to copy."""
    head = _head(answer)
    tail = question_echo(question if question is not None else answer.question)
    share = (
        f"\n\n🔗 <b>分享</b>\n链接（打开即重现这条答案）：\n{esc(link)}"
        f"\n引用（点按复制）：\n<code>{fit(citation_line(answer), CITATION_LINE_MAX * 2)}</code>"
    )
    if tg_len(head + share + tail) > limit:
        head = f"<b>{fit(answer.text or NO_ANSWER_TEXT, limit // 4)}</b>"
    return head + share + tail


def share_url(link: str, line: str) -> str:
    """Telegram's share picker, prefilled with the deep link and the citation."""
    return f"{SHARE_URL}?url={quote(link, safe='')}&text={quote(plain(line, FORWARD_TEXT_CHARS), safe='')}"


def _button(text: str, action: str, token: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=callback_data(action, token))


def answer_keyboard(
    answer: Answer, token: str, view: str, *, link: str | None = None, copy_button: bool = True
) -> InlineKeyboardMarkup | None:
    """Buttons under an answer in ``view`` (one of :data:`VIEW_ACTIONS`); None when there is nothing to show.

    ``copy_button=False`` leaves out the CopyTextButton (for messages sent via inline mode, where its
    support is not documented; the citation stays copyable from the <code> line).
    """
    if not answer.found and not answer.citations:
        return None
    has_context = bool(answer.citations)
    if view == ACTION_CONTEXT:
        row = [_button(BUTTON_FOLD, ACTION_ANSWER, token), _button(BUTTON_SHARE, ACTION_SHARE, token)]
        return InlineKeyboardMarkup([row])
    if view == ACTION_SHARE:
        row = [_button(BUTTON_BACK, ACTION_ANSWER, token)]
        if has_context:
            row.append(_button(BUTTON_CONTEXT, ACTION_CONTEXT, token))
        rows = [row]
        if link is not None:
            line = citation_line(answer)
            extra = [InlineKeyboardButton(BUTTON_FORWARD, url=share_url(link, line))]
            if copy_button:
                extra.insert(
                    0, InlineKeyboardButton(BUTTON_COPY, copy_text=CopyTextButton(plain(line, COPY_TEXT_LIMIT)))
                )
            rows.append(extra)
        return InlineKeyboardMarkup(rows)
    row = [_button(BUTTON_CONTEXT, ACTION_CONTEXT, token)] if has_context else []
    row.append(_button(BUTTON_SHARE, ACTION_SHARE, token))
    return InlineKeyboardMarkup([row])


def examples_keyboard(examples: Sequence[tuple[str, str]]) -> InlineKeyboardMarkup:
    """One button per (question, token): tapping asks that question."""
    return InlineKeyboardMarkup([[_button(question, ACTION_ASK, token)] for question, token in examples])


def period_text(doc: DocumentMeta) -> str:
    """``2021 年回顾 · 2022 年计划`` from the front-matter years."""
    parts = []
    if doc.period is not None:
        parts.append(f"{doc.period} 年回顾")
    if doc.plan_year is not None:
        parts.append(f"{doc.plan_year} 年计划")
    return " · ".join(parts) or "未注明"


def fit_lines(lines: Sequence[str], *, limit: int = MESSAGE_LIMIT, more: str = "…另有 {n} 项未显示。") -> str:
    """Join already-escaped lines, dropping trailing ones (with a note) so the result fits ``limit``."""
    out = ""
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        note = "\n" + more.format(n=rest) if rest else ""
        candidate = out + ("\n" if out else "") + line
        if tg_len(candidate) + tg_len(note) > limit:
            return out + "\n" + more.format(n=len(lines) - index)
        out = candidate
    return out
