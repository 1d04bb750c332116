"""Handler callbacks: they translate updates into engine calls and :mod:`render` output, nothing more.

The engine is synchronous CPU work (5–50 ms); every call to it runs in a worker thread via
:func:`asyncio.to_thread`, so one slow answer never stalls the event loop, and the application
processes updates concurrently (see :data:`~bot.telegram.config.CONCURRENT_UPDATES`). The query
embedding, most of a new question's cost, releases the GIL: questions embed on every core at once
(:func:`bot.embed.embed_concurrency`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from telegram import (
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    Update,
    helpers,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.models import Answer, DocumentMeta, Sentence
from bot.telegram import render
from bot.telegram.access import DENIED_START_PAYLOAD, HELP_START_PAYLOAD, strip_mention
from bot.telegram.config import Settings
from bot.telegram.links import LinkStore, parse_callback_data, question_for, token_for
from bot.telegram.retry import with_retries

logger = logging.getLogger(__name__)

T = TypeVar("T")

MAX_QUESTION_CHARS = 500  # the engine cuts longer input (bot.normalize); we say so instead of guessing
INLINE_CACHE_TIME_S = 60  # Telegram may reuse an inline answer this long (per user: is_personal)
INLINE_TITLE_CHARS = 100  # characters of the answer shown as the inline result's title
INLINE_DESCRIPTION_CHARS = 200  # characters of the citation shown under it
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)  # share views contain t.me links; no preview cards

APOLOGY_TEXT = "抱歉，处理这个问题时出错了，请稍后再试。"
STALE_BUTTON_TEXT = "这个按钮已失效，请直接提问。"
STALE_LINK_TEXT = "这个链接已失效（可能来自别的机器人实例），请直接提问。"
EMPTY_QUESTION_TEXT = "请直接发送你的问题，例如：2022年遴选瞪羚企业多少家？"
NON_TEXT_TEXT = "我只能回答文字问题。发送 /help 查看用法。"
UNKNOWN_COMMAND_TEXT = "没有这个命令。可用命令：/start /help /reports"


class EngineLike(Protocol):
    """The part of ``bot.engine.Engine`` the Telegram layer uses (reads only; thread-safe)."""

    def ask(self, question: str) -> Answer: ...

    def sentence(self, sentence_id: str) -> Sentence | None: ...

    def paragraph(self, sentence_id: str) -> list[Sentence]: ...

    def documents(self) -> list[DocumentMeta]: ...


def too_long_text(length: int) -> str:
    return f"问题太长了（{length} 字）。请把问题控制在 {MAX_QUESTION_CHARS} 字以内。"


class BotHandlers:
    """All callbacks, bound to one engine, one link store and the settings."""

    def __init__(self, engine: EngineLike, store: LinkStore, settings: Settings) -> None:
        self.engine = engine
        self.store = store
        self.settings = settings

    # -- helpers -----------------------------------------------------------------------------------

    async def _send(self, call: Callable[[], Awaitable[T]]) -> T:
        return await with_retries(call, attempts=self.settings.send_attempts, backoff_s=self.settings.send_backoff_s)

    def _ask_sync(self, question: str) -> tuple[Answer, str]:
        return self.engine.ask(question), token_for(question, self.store)

    async def _ask(self, question: str) -> tuple[Answer, str]:
        return await asyncio.to_thread(self._ask_sync, question)

    def _context_sync(self, answer: Answer) -> list[render.ContextParagraph]:
        titles = {doc.doc_id: doc.title for doc in self.engine.documents()}
        paragraph_of = {c.id: self.engine.paragraph(c.id) for c in answer.citations}
        return render.context_paragraphs(answer.citations, paragraph_of, titles)

    async def _view(
        self, action: str, question: str, token: str, bot_username: str, *, inline: bool = False
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        """HTML and keyboard of one view (answer, 原文, share) of the answer to ``question``."""
        answer, _ = await self._ask(question)
        if action == render.ACTION_CONTEXT and answer.citations:
            paragraphs = await asyncio.to_thread(self._context_sync, answer)
            return render.render_context(answer, paragraphs, question), render.answer_keyboard(answer, token, action)
        if action == render.ACTION_SHARE:
            link = helpers.create_deep_linked_url(bot_username, token)
            html = render.render_share(answer, link, question)
            return html, render.answer_keyboard(answer, token, action, link=link, copy_button=not inline)
        return render.render_answer(answer, question), render.answer_keyboard(answer, token, render.ACTION_ANSWER)

    async def _reply_answer(self, message: Message, question: str) -> None:
        answer, token = await self._ask(question)
        html = render.render_answer(answer, question)
        keyboard = render.answer_keyboard(answer, token, render.ACTION_ANSWER)
        await self._send(lambda: message.reply_html(html, reply_markup=keyboard, link_preview_options=NO_PREVIEW))

    async def _reply_text(self, message: Message, text: str, **kwargs: Any) -> None:
        await self._send(lambda: message.reply_text(text, **kwargs))

    # -- commands ----------------------------------------------------------------------------------

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start (also /start help and /start denied from inline-mode buttons): greeting + examples."""
        message = update.effective_message
        if message is None:
            return
        if context.args and context.args[0] == HELP_START_PAYLOAD:
            await self.help(update, context)
            return
        if context.args and context.args[0] == DENIED_START_PAYLOAD:  # only reachable when allowed by now
            await self._reply_text(message, "你现在已获授权，可以直接提问。")
            return
        examples = await asyncio.to_thread(lambda: [(q, token_for(q, self.store)) for q in self.settings.examples])
        text = (
            "你好！我是<b>问数</b>，回答关于政府工作报告的问题：先给出准确的简短答案，"
            "再引用报告原句和所在章节；计算题附计算式；报告里没有的，我会直说。\n\n试试这些问题："
        )
        keyboard = render.examples_keyboard(examples)
        await self._send(lambda: message.reply_html(text, reply_markup=keyboard))

    async def start_deep_link(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start <token>: a shared link reopens the answer to the same question."""
        message = update.effective_message
        if message is None or not context.args:
            return
        question = await asyncio.to_thread(question_for, context.args[0], self.store)
        if question is None:
            await self._reply_text(message, STALE_LINK_TEXT)
            return
        await self._reply_answer(message, question)

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        docs = self.engine.documents()
        lines = ["<b>问数</b> 能回答这些报告里的问题："]
        for doc in docs:
            detail = "，".join(x for x in (doc.issuer, render.period_text(doc)) if x)
            lines.append(f"• 《{render.fit(doc.title, render.SOURCE_BUDGET)}》（{render.esc(detail)}）")
        if not docs:
            lines.append("（还没有收录报告）")
        username = render.esc(context.bot.username or "bot")
        lines += [
            "",
            "<b>怎么问</b>",
            "• 问数字：「2022年遴选瞪羚企业多少家？」——先给答案（加粗），再引用报告原句和所在章节。",
            "• 问计算：「……比……多多少？」「增长了百分之几？」——答案附计算式。",
            "• 报告里没有的内容，我会直接回答「报告中没有……」，不会编造。",
            "• 答案下的「原文」显示所在段落，「分享」给出能重新打开答案的链接和一行引用。",
            f"• 在任何聊天里输入 @{username} 加问题，可以把答案发到那里。",
            "• 在群里请 @我 或回复我的消息提问。",
            "",
            "命令：/start 示例问题 · /reports 报告列表 · /help 本说明",
        ]
        html = render.fit_lines(lines)
        await self._send(lambda: message.reply_html(html, link_preview_options=NO_PREVIEW))

    async def reports(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/reports: title, period, publication and index date of every report."""
        message = update.effective_message
        if message is None:
            return
        docs = self.engine.documents()
        lines = [f"<b>已收录的报告</b>（共 {len(docs)} 份）"]
        for number, doc in enumerate(docs, 1):
            entry = f"\n{number}. 《{render.fit(doc.title, render.SOURCE_BUDGET)}》"
            published = " · ".join(x for x in (doc.issuer, doc.date) if x)
            if published:
                entry += f"\n   发布：{render.esc(published)}"
            entry += f"\n   时期：{render.esc(render.period_text(doc))}"
            if indexed_at := self._indexed_at(doc.doc_id):
                entry += f"\n   索引时间：{render.esc(indexed_at)}"
            lines.append(entry)
        html = render.fit_lines(lines, more="…另有 {n} 份报告未显示。")
        await self._send(lambda: message.reply_html(html))

    def _indexed_at(self, doc_id: str) -> str:
        """When the report was indexed: ``Engine.indexed_at(doc_id)``, optional in :class:`EngineLike`."""
        method = getattr(self.engine, "indexed_at", None)
        return str(method(doc_id) or "") if callable(method) else ""

    async def unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None:
            await self._reply_text(update.effective_message, UNKNOWN_COMMAND_TEXT)

    async def non_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None:
            await self._reply_text(update.effective_message, NON_TEXT_TEXT)

    # -- questions ---------------------------------------------------------------------------------

    async def question(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A text message (new or edited) is a question; in groups the @mention is removed first."""
        message = update.effective_message
        if message is None or message.text is None:
            return
        question = strip_mention(message.text, context.bot.username)
        if not question:
            await self._reply_text(message, EMPTY_QUESTION_TEXT)
        elif len(question) > MAX_QUESTION_CHARS:
            await self._reply_text(message, too_long_text(len(question)))
        else:
            await self._reply_answer(message, question)

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Example buttons ask anew; 原文 / 分享 / 返回 switch the view of the answer message in place.

        The query is always answered: with nothing on success, with a short alert otherwise.
        """
        query = update.callback_query
        if query is None:
            return
        alert: str | None = None
        try:
            parsed = parse_callback_data(query.data)
            question = await asyncio.to_thread(question_for, parsed[1], self.store) if parsed else None
            if parsed is None or question is None:
                alert = STALE_BUTTON_TEXT
                return
            action, token = parsed
            if action == render.ACTION_ASK:
                if isinstance(query.message, Message):
                    await self._reply_answer(query.message, question)
                return
            if action not in render.VIEW_ACTIONS:
                alert = STALE_BUTTON_TEXT
                return
            inline = query.inline_message_id is not None
            html, keyboard = await self._view(action, question, token, context.bot.username, inline=inline)
            try:
                await self._send(
                    lambda: query.edit_message_text(
                        html, parse_mode=ParseMode.HTML, reply_markup=keyboard, link_preview_options=NO_PREVIEW
                    )
                )
            except BadRequest as exc:
                if "not modified" not in str(exc).lower():  # a double tap: nothing to change
                    raise
        except Exception:
            alert = APOLOGY_TEXT
            raise
        finally:
            with contextlib.suppress(TelegramError):
                await query.answer(alert, show_alert=alert is not None)

    async def stale_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Callback data this bot does not produce (old versions, forged): answer so the spinner stops."""
        if update.callback_query is not None:
            await self._send(lambda: update.callback_query.answer(STALE_BUTTON_TEXT, show_alert=True))

    async def inline(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``@bot 问题`` in any chat: one article whose message is the rendered answer."""
        query = update.inline_query
        if query is None:
            return
        question = " ".join(query.query.split())
        if not question:
            button = InlineQueryResultsButton(text="怎么提问？", start_parameter=HELP_START_PAYLOAD)
            await self._send(lambda: query.answer([], cache_time=INLINE_CACHE_TIME_S, is_personal=True, button=button))
            return
        answer, token = await self._ask(question)
        first = answer.citations[0] if answer.citations else None
        description = f"《{first.doc}》 {first.section}：{first.text}" if first else "报告中没有相关内容"
        article = InlineQueryResultArticle(
            id=token,
            title=render.plain(answer.text or render.NO_ANSWER_TEXT, INLINE_TITLE_CHARS),
            description=render.plain(description, INLINE_DESCRIPTION_CHARS),
            input_message_content=InputTextMessageContent(
                render.render_answer(answer, question), parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
            ),
            reply_markup=render.answer_keyboard(answer, token, render.ACTION_ANSWER),
        )
        await self._send(lambda: query.answer([article], cache_time=INLINE_CACHE_TIME_S, is_personal=True))

    # -- errors ------------------------------------------------------------------------------------

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the error (never the token: see :mod:`bot.telegram.logs`) and apologize in the chat."""
        where = "no update"
        if isinstance(update, Update):
            user = update.effective_user
            chat = update.effective_chat
            where = f"update {update.update_id} (user {user.id if user else '-'}, chat {chat.id if chat else '-'})"
        logger.error("error while handling %s", where, exc_info=context.error)
        if not isinstance(update, Update) or update.callback_query is not None:
            return  # callbacks apologize in their own query answer
        message = update.effective_message
        if message is not None:
            with contextlib.suppress(TelegramError):
                await self._reply_text(message, APOLOGY_TEXT)
