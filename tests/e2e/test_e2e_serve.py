"""``run_serve`` as a real process: SIGTERM during an answer still delivers it, exits 0, logs no token."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from e2e_support import ALICE, STOP_TIMEOUT_S

from bot.telegram.loadtest import EmulatorClient
from bot.telegram.testing import GAZELLE_ANSWER

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 30.0  # interpreter start, imports, initialize, first getUpdates
SLOW_ANSWER_S = 1.5  # how long the fake engine thinks about the question in flight
SERVE = """
import argparse, os, sys
from bot.telegram import add_serve_arguments, run_serve
from bot.telegram.testing import FakeEngine
parser = argparse.ArgumentParser()
add_serve_arguments(parser)
sys.exit(run_serve(parser.parse_args(), FakeEngine(slow_s=float(os.environ["FAKE_SLOW_S"]))))
"""


async def test_sigterm_waits_for_the_answer_in_flight(emulator_url: str, bot_token: str, tmp_path: Path) -> None:
    question = "慢 2022年遴选瞪羚企业多少家？"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": bot_token,
        "BOT_ALLOWED_USERS": str(ALICE),
        "BOT_STATE_DIR": str(tmp_path / "state"),
        "FAKE_SLOW_S": str(SLOW_ANSWER_S),
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
    }
    log_path = tmp_path / "serve.log"
    command = [sys.executable, "-c", SERVE, "--api-base-url", f"{emulator_url}/bot", "--log-level", "DEBUG"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            async with httpx.AsyncClient() as http:
                client = EmulatorClient(emulator_url, bot_token, http)
                await client.send_text(ALICE, question)
                async with asyncio.timeout(START_TIMEOUT_S):  # wait until the bot has fetched the question
                    while not any(
                        item["message"].get("text") == question and item["isRead"] for item in await client.history()
                    ):
                        assert process.poll() is None, log_path.read_text()
                        await asyncio.sleep(0.05)
                await asyncio.sleep(SLOW_ANSWER_S / 3)  # the engine is now busy with it
                assert await client.replies(ALICE) == []
                process.send_signal(signal.SIGTERM)
                exit_code = await asyncio.to_thread(process.wait, STOP_TIMEOUT_S)
                [reply] = await client.replies(ALICE)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    output = log_path.read_text(encoding="utf-8")
    assert exit_code == 0, output
    assert GAZELLE_ANSWER in reply["message"]["text"]
    assert "stopped" in output
    assert bot_token not in output and bot_token.split(":")[1] not in output
