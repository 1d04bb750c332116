"""Who gets answers, how often, and which group messages are meant for the bot.

:class:`AccessGate` runs as a ``TypeHandler(Update, ...)`` in handler group -1, before every other
handler, and raises :class:`~telegram.ext.ApplicationHandlerStop` to end processing of an update. That
single choke point covers messages, edited messages, callback queries, inline queries and deep links
(``/start <payload>`` is a message) alike, so no handler can forget the check.

Access rule: an update is served when its user is allowlisted **or** it comes from an allowlisted chat
(an allowlisted group serves all its members; an allowlisted person may use the bot in any chat).
An empty allowlist serves nobody unless ``allow_all`` is set explicitly — a bot that leaks report
answers to the whole of Telegram because a variable was unset is the failure to avoid.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from telegram import InlineQueryResultsButton, Message, MessageEntity, Update, User
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.telegram.config import Settings

logger = logging.getLogger(__name__)

INLINE_QUERY_COST = 0.25  # tokens per inline query: clients send several while a question is being typed
MAX_TRACKED_USERS = 10_000  # rate-limit/cooldown state kept for at most this many users (LRU)
INLINE_REFUSAL_CACHE_S = 0  # refusals in inline mode are not cached: an operator may allow the user any time
DENIED_START_PAYLOAD = "denied"
HELP_START_PAYLOAD = "help"


def refusal_text(user_id: int | None) -> str:
    """Short and actionable: the person learns their ID to send to the operator."""
    who = f"你的用户 ID 是 {user_id}，" if user_id is not None else ""
    return f"抱歉，这个机器人只为授权用户服务。{who}如需使用，请把它发给管理员。"


def rate_limited_text(wait_s: float) -> str:
    return f"你问得太快了，请 {max(1, round(wait_s))} 秒后再试。"


@dataclass(frozen=True)
class AccessPolicy:
    """The allowlist; see the module docstring for the rule."""

    users: frozenset[int] = frozenset()
    chats: frozenset[int] = frozenset()
    allow_all: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> AccessPolicy:
        return cls(settings.allowed_users, settings.allowed_chats, settings.allow_all)

    @property
    def closed(self) -> bool:
        """True when nobody at all can use the bot."""
        return not (self.allow_all or self.users or self.chats)

    def allows(self, user_id: int | None, chat_id: int | None) -> bool:
        if self.allow_all:
            return True
        return (user_id is not None and user_id in self.users) or (chat_id is not None and chat_id in self.chats)

    def describe(self) -> str:
        """One log line for startup, telling the operator how to open the bot when it is closed."""
        if self.allow_all:
            return "access: everyone (BOT_ALLOW_ALL=1)"
        if self.closed:
            return (
                "access: NOBODY is allowed yet — every user gets a refusal that shows their user ID; "
                "allow yourself with BOT_ALLOWED_USERS=<your id> (or BOT_ALLOWED_CHATS=<group id>, "
                "or BOT_ALLOW_ALL=1 for a public bot) and restart"
            )
        return f"access: {len(self.users)} allowlisted user(s), {len(self.chats)} allowlisted chat(s)"


@dataclass
class _Bucket:
    tokens: float
    updated: float
    notified: bool = False


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after_s: float = 0.0
    notify: bool = False  # tell the user (once per exhausted bucket), or stay quiet


class RateLimiter:
    """A token bucket per user: ``burst`` updates at once, refilled at ``per_minute``/60 per second.

    Thread-safe and bounded (least recently seen users are forgotten — they would have a full bucket
    by then anyway). ``clock`` is injectable for tests.
    """

    def __init__(self, burst: float, per_minute: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        if burst < 1 or per_minute <= 0:
            raise ValueError("rate limit needs burst >= 1 and a positive rate")
        self.burst = float(burst)
        self.rate_per_s = per_minute / 60.0
        self._clock = clock
        self._buckets: OrderedDict[int, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def acquire(self, key: int, cost: float = 1.0) -> RateDecision:
        """Take ``cost`` tokens from ``key``'s bucket if it has them."""
        now = self._clock()
        with self._lock:
            bucket = self._buckets.pop(key, None) or _Bucket(self.burst, now)
            self._buckets[key] = bucket
            while len(self._buckets) > MAX_TRACKED_USERS:
                self._buckets.popitem(last=False)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate_per_s)
            bucket.updated = now
            if bucket.tokens >= cost:
                bucket.tokens -= cost
                bucket.notified = False
                return RateDecision(True)
            notify = not bucket.notified
            bucket.notified = True
            return RateDecision(False, (cost - bucket.tokens) / self.rate_per_s, notify)


class Cooldown:
    """At most one event per key per ``seconds``: one refusal, not one per message."""

    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._last: OrderedDict[tuple[int | None, int | None], float] = OrderedDict()
        self._lock = threading.Lock()

    def ready(self, key: tuple[int | None, int | None]) -> bool:
        now = self._clock()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < self.seconds:
                return False
            self._last.pop(key, None)
            self._last[key] = now
            while len(self._last) > MAX_TRACKED_USERS:
                self._last.popitem(last=False)
            return True


def is_addressed_to_bot(message: Message, bot: User) -> bool:
    """In a private chat everything is; in a group only commands for this bot, @mentions and replies."""
    if message.chat.type == ChatType.PRIVATE:
        return True
    username = (bot.username or "").lower()
    for entity, text in message.parse_entities().items():
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            _, _, target = text.partition("@")
            return not target or target.lower() == username
        if entity.type == MessageEntity.MENTION and text[1:].lower() == username:
            return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None and entity.user.id == bot.id:
            return True
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot.id


def strip_mention(text: str, bot_username: str | None) -> str:
    """``@WenshuBot 瞪羚企业目标`` → ``瞪羚企业目标``."""
    if bot_username:
        text = re.sub(rf"@{re.escape(bot_username)}\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


class AccessGate:
    """The group -1 handler: drop group chatter, refuse strangers, rate-limit everyone else."""

    def __init__(self, policy: AccessPolicy, limiter: RateLimiter, refusals: Cooldown) -> None:
        self.policy = policy
        self.limiter = limiter
        self.refusals = refusals

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message or update.edited_message
        if message is not None and not is_addressed_to_bot(message, context.bot.bot):
            raise ApplicationHandlerStop  # group chatter: not ours, not even worth a refusal
        user = update.effective_user
        chat = update.effective_chat
        user_id = user.id if user else None
        chat_id = chat.id if chat else None
        if not self.policy.allows(user_id, chat_id):
            logger.info("refused update %s from user %s in chat %s", update.update_id, user_id, chat_id)
            await self._refuse(update, user_id, chat_id)
            raise ApplicationHandlerStop
        if user_id is None:
            return
        decision = self.limiter.acquire(user_id, INLINE_QUERY_COST if update.inline_query else 1.0)
        if not decision.allowed:
            logger.info("rate-limited user %s for %.1fs", user_id, decision.retry_after_s)
            await self._slow_down(update, decision)
            raise ApplicationHandlerStop

    async def _refuse(self, update: Update, user_id: int | None, chat_id: int | None) -> None:
        text = refusal_text(user_id)
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(text, show_alert=True)
            elif update.inline_query is not None:
                button = InlineQueryResultsButton(text="无权使用 · 查看说明", start_parameter=DENIED_START_PAYLOAD)
                await update.inline_query.answer([], cache_time=INLINE_REFUSAL_CACHE_S, is_personal=True, button=button)
            elif update.effective_message is not None and self.refusals.ready((user_id, chat_id)):
                await update.effective_message.reply_text(text)
        except TelegramError as exc:  # a refusal that cannot be delivered is not worth an error report
            logger.warning("could not deliver a refusal: %s", exc)

    async def _slow_down(self, update: Update, decision: RateDecision) -> None:
        text = rate_limited_text(decision.retry_after_s)
        try:
            if update.callback_query is not None:
                await update.callback_query.answer(text)
            elif update.inline_query is not None:
                await update.inline_query.answer([], cache_time=0, is_personal=True)
            elif update.effective_message is not None and decision.notify:
                await update.effective_message.reply_text(text)
        except TelegramError as exc:
            logger.warning("could not deliver a rate-limit notice: %s", exc)
