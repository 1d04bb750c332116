"""End-to-end helpers shared by conftest.py and the tests (a module of its own: two conftest.py
files in one session cannot both be imported as ``conftest``)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from telegram.ext import Application

from bot.telegram.config import Settings
from bot.telegram.loadtest import FIRST_USER_ID, EmulatorClient

EMULATOR_DIR = Path(__file__).parent / "emulator"
LAUNCHER = EMULATOR_DIR / "launcher.js"
POLL_INTERVAL_S = 0.02  # the emulator has no long polling: the bot asks for updates this often
STOP_TIMEOUT_S = 15.0  # bound on stopping the bot (in-flight answers included)
ALICE = 4242  # an allowlisted e2e user
MALLORY = 6666  # not allowlisted
LOAD_USERS = 20  # users of the concurrency test (allowlisted: FIRST_USER_ID …)

NPM_HINT = "run: npm ci --prefix tests/e2e/emulator"


def missing_prerequisite() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed"
    if not (EMULATOR_DIR / "node_modules" / "telegram-test-api").is_dir():
        return f"the Bot API emulator is not installed ({NPM_HINT})"
    return None


@dataclass
class RunningBot:
    app: Application
    token: str
    client: EmulatorClient
    errors: list[BaseException] = field(default_factory=list)


def e2e_settings(token: str, emulator_url: str, state_dir: Path) -> Settings:
    return Settings(
        token=token,
        api_base_url=f"{emulator_url}/bot",
        state_dir=state_dir,
        allowed_users=frozenset({ALICE, *range(FIRST_USER_ID, FIRST_USER_ID + LOAD_USERS)}),
        rate_limit_burst=1000,
        rate_limit_per_minute=60_000,
        send_backoff_s=0.05,
    )
