"""End-to-end fixtures: the Bot API emulator (a node process) and the bot polling it for real.

The emulator is installed with ``npm ci --prefix tests/e2e/emulator``. Without it these tests are
skipped locally but FAIL when ``CI`` is set, so CI can never silently skip them.

The engine is a fixture: override ``engine`` (e.g. in a test module) to run the same tests against
the real engine.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from e2e_support import LAUNCHER, POLL_INTERVAL_S, STOP_TIMEOUT_S, RunningBot, e2e_settings, missing_prerequisite
from telegram.ext import ContextTypes

from bot.telegram.app import ALLOWED_UPDATES, build_application
from bot.telegram.handlers import EngineLike
from bot.telegram.loadtest import EmulatorClient, start_emulator
from bot.telegram.testing import FakeEngine


@pytest.fixture(scope="session")
def emulator_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One emulator for the session; tests isolate themselves with a bot token of their own."""
    missing = missing_prerequisite()
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"e2e tests must run in CI but {missing}", pytrace=False)
        pytest.skip(missing)
    with start_emulator(LAUNCHER, log_path=tmp_path_factory.mktemp("emulator") / "emulator.log") as url:
        yield url


@pytest.fixture
def engine() -> EngineLike:
    """The engine behind the bot; override to run the e2e tests against the real one."""
    return FakeEngine(slow_s=1.5)


@pytest.fixture
def bot_token() -> str:
    """A fresh token per test: the emulator keeps messages per token, so tests cannot see each other."""
    return f"{uuid.uuid4().int % 10**9}:e2e-{uuid.uuid4().hex}"


@pytest.fixture
async def running_bot(
    emulator_url: str, engine: EngineLike, bot_token: str, tmp_path: Path
) -> AsyncIterator[RunningBot]:
    """The real Application, long-polling the emulator, with every handler and polling error collected."""
    app = build_application(e2e_settings(bot_token, emulator_url, tmp_path / "state"), engine)
    async with httpx.AsyncClient() as http:
        running = RunningBot(app, bot_token, EmulatorClient(emulator_url, bot_token, http))

        async def collect(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
            running.errors.append(context.error or RuntimeError("error handler called without an error"))

        app.add_error_handler(collect)
        async with asyncio.timeout(STOP_TIMEOUT_S):
            await app.initialize()
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(
                poll_interval=POLL_INTERVAL_S, allowed_updates=ALLOWED_UPDATES, error_callback=running.errors.append
            )
        try:
            yield running
        finally:
            async with asyncio.timeout(STOP_TIMEOUT_S):
                await app.updater.stop()
                await app.stop()
                await app.shutdown()
