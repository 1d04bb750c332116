"""Drive the bot through the local Bot API emulator (npm ``telegram-test-api``): tests and benchmarks.

The emulator is a separate process speaking the Bot API to the bot (which polls it exactly as it polls
Telegram) and a small JSON API to "users": POST /sendMessage, /sendCommand, /sendCallback to act, and
/getUpdates {token, chatId} (unread bot messages of a chat) or /getUpdatesHistory {token} to observe.
Install it with ``npm ci --prefix tests/e2e/emulator``; ``tests/e2e/emulator/launcher.js`` starts it.

:func:`run_load` is the reusable benchmark: N simulated users each ask M questions one after another,
all users at once, and every reply is checked against its question. A benchmark script can do::

    with start_emulator(LAUNCHER) as url:
        ...start the bot polling f"{url}/bot"...
        result = await run_load(url, token, users=20, questions_per_user=10, questions=[...])
        print(result.answers_per_s, result.p95_ms)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import select
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bot.telegram.render import question_echo

EMULATOR_START_TIMEOUT_S = 15.0  # node start-up plus express; measured ≈ 0.3 s
EMULATOR_STOP_TIMEOUT_S = 5.0
CLIENT_POLL_INTERVAL_S = 0.01  # how often a simulated user looks for the bot's reply
REPLY_TIMEOUT_S = 15.0  # a reply slower than this counts as lost
HTTP_TIMEOUT_S = 10.0
SETTLE_S = 0.2  # after the run, wait this long for stray (duplicate) replies before counting them
FIRST_USER_ID = 10_000  # simulated users are FIRST_USER_ID, FIRST_USER_ID + 1, ...


@contextlib.contextmanager
def start_emulator(launcher: Path, *, log_path: Path | None = None) -> Iterator[str]:
    """Run the emulator launcher; yield its base URL (``http://127.0.0.1:PORT``); stop it afterwards."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not on PATH")
    launcher = launcher.resolve()
    log = open(log_path, "wb") if log_path is not None else subprocess.DEVNULL  # noqa: SIM115 — closed below
    process = subprocess.Popen(
        [node, str(launcher)], cwd=launcher.parent, stdout=subprocess.PIPE, stderr=log, start_new_session=True
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], EMULATOR_START_TIMEOUT_S)
        line = process.stdout.readline() if ready else b""
        if not line:
            where = f"; see {log_path}" if log_path is not None else ""
            raise RuntimeError(f"the emulator did not start within {EMULATOR_START_TIMEOUT_S}s{where}")
        yield f"http://127.0.0.1:{json.loads(line)['port']}"
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=EMULATOR_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=EMULATOR_STOP_TIMEOUT_S)
        if process.stdout is not None:
            process.stdout.close()
        if log is not subprocess.DEVNULL:
            log.close()


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class EmulatorClient:
    """Acts as Telegram users against the emulator, for one bot token."""

    base_url: str
    token: str
    http: httpx.AsyncClient

    def _user(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"user{user_id}", "username": f"user{user_id}"}

    def _message(self, user_id: int, text: str) -> dict[str, Any]:
        return {
            "botToken": self.token,
            "from": self._user(user_id),
            "chat": {"id": user_id, "type": "private", "first_name": f"user{user_id}"},
            "date": int(time.time()),
            "text": text,
        }

    async def _post(self, path: str, body: dict[str, Any]) -> Any:
        response = await self.http.post(f"{self.base_url}{path}", json=body, timeout=HTTP_TIMEOUT_S)
        response.raise_for_status()
        return response.json().get("result")

    async def send_text(self, user_id: int, text: str) -> None:
        """A private message; a leading /command gets the bot_command entity a real client adds."""
        message = self._message(user_id, text)
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16(command)}]
            await self._post("/sendCommand", message)
        else:
            await self._post("/sendMessage", message)

    async def tap(self, user_id: int, bot_message: dict[str, Any], data: str) -> None:
        """Press an inline button with ``data`` under ``bot_message`` (an item of :meth:`replies`)."""
        message = {
            "message_id": bot_message["messageId"],
            "chat": {"id": user_id, "type": "private", "first_name": f"user{user_id}"},
            "date": int(time.time()),
            "text": bot_message["message"].get("text", ""),
        }
        await self._post(
            "/sendCallback", {"botToken": self.token, "from": self._user(user_id), "message": message, "data": data}
        )

    async def replies(self, user_id: int) -> list[dict[str, Any]]:
        """Unread bot messages in the user's chat (each is returned once)."""
        return await self._post("/getUpdates", {"token": self.token, "chatId": user_id}) or []

    async def unread(self) -> list[dict[str, Any]]:
        """Unread bot messages of all chats (an addition of our launcher, for load tests)."""
        return await self._post("/getUnreadBotMessages", {"token": self.token}) or []

    async def history(self) -> list[dict[str, Any]]:
        """Every stored message of this bot, in order, with edits applied."""
        return await self._post("/getUpdatesHistory", {"token": self.token}) or []

    async def wait_replies(
        self,
        user_id: int,
        count: int = 1,
        *,
        timeout_s: float = REPLY_TIMEOUT_S,
        poll_s: float = CLIENT_POLL_INTERVAL_S,
    ) -> list[dict[str, Any]]:
        """The next ``count`` replies in the user's chat; TimeoutError if they do not all arrive."""
        got: list[dict[str, Any]] = []
        async with asyncio.timeout(timeout_s):
            while len(got) < count:
                got += await self.replies(user_id)
                if len(got) < count:
                    await asyncio.sleep(poll_s)
        return got

    async def wait_message(
        self,
        message_id: int,
        predicate: Callable[[dict[str, Any]], bool],
        *,
        timeout_s: float = REPLY_TIMEOUT_S,
        poll_s: float = CLIENT_POLL_INTERVAL_S,
    ) -> dict[str, Any]:
        """Wait until the bot message ``message_id`` satisfies ``predicate`` (e.g. after an edit)."""
        async with asyncio.timeout(timeout_s):
            while True:
                for item in await self.history():
                    if item.get("messageId") == message_id and "message" in item and predicate(item["message"]):
                        return item
                await asyncio.sleep(poll_s)


def buttons(bot_message: dict[str, Any]) -> list[dict[str, Any]]:
    markup = bot_message["message"].get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


@dataclass
class LoadResult:
    users: int
    questions_per_user: int
    answered: int
    lost: int
    extra: int  # replies nobody asked for (e.g. duplicates), found after the last question
    wrong: list[tuple[str, str]] = field(repr=False)  # (question, reply text) pairs that do not match
    seconds: float
    latencies_ms: list[float] = field(repr=False)

    @property
    def answers_per_s(self) -> float:
        return self.answered / self.seconds if self.seconds > 0 else 0.0

    def percentile_ms(self, q: float) -> float:
        """Nearest-rank percentile of the reply latencies (0 when nothing was answered)."""
        if not self.latencies_ms:
            return 0.0
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]

    @property
    def p50_ms(self) -> float:
        return self.percentile_ms(50)

    @property
    def p95_ms(self) -> float:
        return self.percentile_ms(95)

    def summary(self) -> str:
        return (
            f"{self.users} users × {self.questions_per_user} questions: {self.answered} answered, {self.lost} lost, "
            f"{len(self.wrong)} wrong, {self.extra} extra in {self.seconds:.2f}s — {self.answers_per_s:.1f} answers/s, "
            f"p50 {self.p50_ms:.0f} ms, p95 {self.p95_ms:.0f} ms"
        )


async def run_load(
    base_url: str,
    token: str,
    *,
    questions: Sequence[str],
    users: int = 20,
    questions_per_user: int = 10,
    tag_questions: bool = True,
    check: Callable[[str, str], bool] | None = None,
    first_user_id: int = FIRST_USER_ID,
    reply_timeout_s: float = REPLY_TIMEOUT_S,
) -> LoadResult:
    """All ``users`` at once, each asking ``questions_per_user`` questions in turn (waiting for each reply).

    A reply is *right* when it echoes its own question (see :func:`render.question_echo`) and
    ``check(question, reply_html)`` holds; ``tag_questions`` appends a unique ``#u<user>q<n>`` so a reply
    meant for anybody else cannot pass. The bot must allow ``first_user_id`` … ``+ users - 1``.
    """
    latencies: list[float] = []
    wrong: list[tuple[str, str]] = []
    lost = 0
    inboxes: dict[int, asyncio.Queue[dict[str, Any]]] = {first_user_id + i: asyncio.Queue() for i in range(users)}
    extra = 0

    async with httpx.AsyncClient() as http:
        client = EmulatorClient(base_url, token, http)

        async def deliver() -> None:
            """One poller for everybody: route each new bot message to its chat's inbox."""
            nonlocal extra
            while True:
                for item in await client.unread():
                    inbox = inboxes.get(int(item["message"]["chat_id"]))
                    if inbox is None:
                        extra += 1
                    else:
                        inbox.put_nowait(item)
                await asyncio.sleep(CLIENT_POLL_INTERVAL_S)

        async def user(index: int) -> None:
            nonlocal lost
            user_id = first_user_id + index
            for number in range(questions_per_user):
                question = questions[(index + number) % len(questions)]
                if tag_questions:
                    question = f"{question} #u{index}q{number}"
                sent = time.perf_counter()
                await client.send_text(user_id, question)
                try:
                    async with asyncio.timeout(reply_timeout_s):
                        reply = await inboxes[user_id].get()
                except TimeoutError:
                    lost += 1
                    continue
                latencies.append((time.perf_counter() - sent) * 1000)
                text = reply["message"].get("text", "")
                if question_echo(question) not in text or (check is not None and not check(question, text)):
                    wrong.append((question, text))

        poller = asyncio.create_task(deliver())
        try:
            started = time.perf_counter()
            await asyncio.gather(*(user(i) for i in range(users)))
            seconds = time.perf_counter() - started
            await asyncio.sleep(SETTLE_S)
        finally:
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller
    extra += sum(inbox.qsize() for inbox in inboxes.values())
    return LoadResult(users, questions_per_user, len(latencies), lost, extra, wrong, seconds, latencies)
