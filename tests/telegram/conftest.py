"""Fixtures of the in-process Telegram tests; the harness itself is in tg_harness.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram.ext import Application
from telegram.request import HTTPXRequest
from tg_harness import ALICE, ALLOWED_GROUP, BOB, TOKEN, AppFactory, BotApi, Harness, Updates

from bot.telegram.app import build_application
from bot.telegram.config import Settings
from bot.telegram.testing import FakeEngine


@pytest.fixture
def engine() -> FakeEngine:
    return FakeEngine(slow_s=0.4)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        token=TOKEN,
        state_dir=tmp_path / "state",
        allowed_users=frozenset({ALICE, BOB}),
        allowed_chats=frozenset({ALLOWED_GROUP}),
        rate_limit_burst=100,
        rate_limit_per_minute=6000,
        send_backoff_s=0.0,
    )


@pytest.fixture
def api() -> BotApi:
    return BotApi()


@pytest.fixture
def make_app(api: BotApi, engine: FakeEngine, settings: Settings) -> AppFactory:
    """Build an Application wired to ``api``; keyword arguments override settings fields."""

    def make(**overrides: Any) -> Application:
        request = HTTPXRequest(httpx_kwargs={"transport": httpx.MockTransport(api.handler)})
        updates_request = HTTPXRequest(httpx_kwargs={"transport": httpx.MockTransport(api.handler)})
        return build_application(
            replace(settings, **overrides), engine, request=request, get_updates_request=updates_request
        )

    return make


@pytest.fixture
async def harness(make_app: AppFactory, api: BotApi, engine: FakeEngine) -> AsyncIterator[Harness]:
    app = make_app()
    async with app:
        yield Harness(app, api, Updates(), engine)
