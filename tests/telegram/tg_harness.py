"""In-process harness (helpers; fixtures are in conftest.py): a real PTB ``Application`` whose Bot API
calls go to an ``httpx.MockTransport``.

Updates are built as Bot API JSON, parsed with ``Update.de_json`` and fed to ``Application.process_update``
— the same path polling and webhooks take — and every outgoing call is recorded with its decoded
parameters, so tests assert on exactly what Telegram would receive.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl

import httpx
from telegram import Update
from telegram.ext import Application

from bot.telegram.render import MESSAGE_LIMIT, tg_len
from bot.telegram.testing import FakeEngine

TOKEN = "123456789:AAE-test-token-that-must-never-be-logged"
BOT_ID = 123456789
BOT_USERNAME = "WenshuTestBot"
ALICE = 1001  # allowlisted user
BOB = 1002  # allowlisted user
MALLORY = 6666  # not allowlisted
ALLOWED_GROUP = -100111
OTHER_GROUP = -100222
NOW = 1_700_000_000  # a fixed Unix time for message dates

JSON_PARAMS = frozenset(
    {"reply_markup", "results", "reply_parameters", "link_preview_options", "entities", "commands", "button"}
)
TELEGRAM_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote", "tg-spoiler"}
)


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class BotApi:
    """Records every Bot API call and answers like Telegram would (``getMe`` says ``is_bot: true``)."""

    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[Exception | httpx.Response]] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(5000))

    def handler(self, request: httpx.Request) -> httpx.Response:
        match = re.fullmatch(r"/bot(?P<token>[^/]+)/(?P<method>\w+)", request.url.path)
        assert match is not None and match["token"] == TOKEN, request.url.path
        method = match["method"]
        params: dict[str, Any] = dict(parse_qsl(request.content.decode("utf-8"), keep_blank_values=True))
        for key in JSON_PARAMS & params.keys():
            params[key] = json.loads(params[key])
        self.calls.append(Call(method, params))
        pending = self.failures.get(method)
        if pending:
            failure = pending.pop(0)
            if isinstance(failure, httpx.Response):
                return failure
            raise failure
        return httpx.Response(200, json={"ok": True, "result": self._result(method, params)})

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "问数",
                "username": BOT_USERNAME,
                "supports_inline_queries": True,
            }
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            message = {
                "message_id": next(self._ids),
                "date": NOW,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "问数", "username": BOT_USERNAME},
                "text": params["text"],
            }
            if "reply_markup" in params:
                message["reply_markup"] = params["reply_markup"]
            return message
        if method == "editMessageText" and "chat_id" in params:
            chat_id = int(params["chat_id"])
            return {
                "message_id": int(params["message_id"]),
                "date": NOW,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "text": params["text"],
            }
        return True

    def fail(self, method: str, *failures: Exception | httpx.Response) -> None:
        """Make the next calls of ``method`` fail (an httpx exception or an error response)."""
        self.failures.setdefault(method, []).extend(failures)

    def of(self, method: str) -> list[dict[str, Any]]:
        return [c.params for c in self.calls if c.method == method]

    def texts(self) -> list[str]:
        return [p["text"] for p in self.of("sendMessage")]

    def user_calls(self) -> list[Call]:
        """Everything except the bot's own bookkeeping (getMe)."""
        return [c for c in self.calls if c.method != "getMe"]

    def clear(self) -> None:
        self.calls.clear()


def bad_request(description: str) -> httpx.Response:
    return httpx.Response(400, json={"ok": False, "error_code": 400, "description": description})


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _entities(text: str) -> list[dict[str, Any]]:
    """Bot API entities a Telegram client would attach: a leading command and @mentions."""
    entities = []
    command = re.match(r"/\w+(@\w+)?", text)
    if command:
        entities.append({"type": "bot_command", "offset": 0, "length": _utf16(command.group())})
    for mention in re.finditer(r"@\w+", text):
        if command and mention.start() < command.end():
            continue
        entities.append(
            {"type": "mention", "offset": _utf16(text[: mention.start()]), "length": _utf16(mention.group())}
        )
    return entities


def user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"user{user_id}", "language_code": "zh-hans"}


def chat(chat_id: int, user_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"user{user_id}"}
    return {"id": chat_id, "type": "supergroup", "title": f"group {chat_id}"}


class Updates:
    """Builds Bot API update payloads with increasing ids."""

    def __init__(self) -> None:
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)

    def message(
        self,
        text: str,
        *,
        sender: int = ALICE,
        chat_id: int | None = None,
        reply_to: dict[str, Any] | None = None,
        edited: bool = False,
    ) -> dict[str, Any]:
        chat_id = sender if chat_id is None else chat_id
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": NOW,
            "chat": chat(chat_id, sender),
            "from": user(sender),
            "text": text,
        }
        if entities := _entities(text):
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if edited:
            message["edit_date"] = NOW + 5
        return {"update_id": next(self._update_ids), "edited_message" if edited else "message": message}

    def bot_message(self, text: str = "…", *, chat_id: int = ALICE, message_id: int = 777) -> dict[str, Any]:
        """A message the bot sent earlier (what a reply or a button tap refers to)."""
        return {
            "message_id": message_id,
            "date": NOW,
            "chat": chat(chat_id, chat_id),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "问数", "username": BOT_USERNAME},
            "text": text,
        }

    def callback(
        self,
        data: str,
        *,
        sender: int = ALICE,
        message: dict[str, Any] | None = None,
        inline_message_id: str | None = None,
    ) -> dict[str, Any]:
        query: dict[str, Any] = {
            "id": f"cb{next(self._update_ids)}",
            "from": user(sender),
            "chat_instance": "ci1",
            "data": data,
        }
        if inline_message_id is not None:
            query["inline_message_id"] = inline_message_id
        else:
            query["message"] = message if message is not None else self.bot_message(chat_id=sender)
        return {"update_id": next(self._update_ids), "callback_query": query}

    def inline(self, query: str, *, sender: int = ALICE) -> dict[str, Any]:
        return {
            "update_id": next(self._update_ids),
            "inline_query": {"id": f"iq{next(self._update_ids)}", "from": user(sender), "query": query, "offset": ""},
        }


class TagChecker(HTMLParser):
    """Fails on tags Telegram does not know and on unbalanced tags; unescaped '<' from text shows up here."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TELEGRAM_TAGS:
            self.errors.append(f"unsupported tag <{tag}>")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unbalanced </{tag}>")


def assert_valid_html(text: str) -> None:
    """What Telegram requires of a parse_mode=HTML message, checked offline."""
    assert 0 < tg_len(text) <= MESSAGE_LIMIT, tg_len(text)
    checker = TagChecker()
    checker.feed(text)
    checker.close()
    assert not checker.errors, checker.errors
    assert not checker.stack, f"unclosed {checker.stack}"
    assert re.search(r"&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", text) is None, "bare & in HTML"


AppFactory = Callable[..., Application]


@dataclass
class Harness:
    """One running Application plus its fake Bot API."""

    app: Application
    api: BotApi
    updates: Updates
    engine: FakeEngine

    async def feed(self, payload: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(payload, self.app.bot))

    async def say(self, text: str, **kwargs: Any) -> None:
        await self.feed(self.updates.message(text, **kwargs))

    async def tap(self, data: str, **kwargs: Any) -> None:
        await self.feed(self.updates.callback(data, **kwargs))
