"""``run_serve`` wiring (polling, webhook, exit codes) and the token-redacting log setup."""

from __future__ import annotations

import argparse
import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram.error import InvalidToken
from telegram.ext import Application

from bot.telegram import add_serve_arguments, run_serve
from bot.telegram import app as app_module
from bot.telegram.logs import REDACTED, RedactingFilter, configure_logging
from bot.telegram.testing import FakeEngine

TOKEN = "987654:serve-test-token"


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    return parser.parse_args(list(argv))


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("BOT_STATE_DIR", str(tmp_path / "state"))
    for name in ("TELEGRAM_API_BASE_URL", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET", "BOT_ALLOW_ALL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(app_module, "configure_logging", lambda *args: None)
    return monkeypatch


def capture(monkeypatch: pytest.MonkeyPatch, method: str, error: Exception | None = None) -> dict[str, Any]:
    captured: dict[str, Any] = {}

    def fake(self: Application, **kwargs: Any) -> None:
        captured.update(kwargs, app=self)
        if error is not None:
            raise error

    monkeypatch.setattr(Application, method, fake)
    return captured


def test_polling_is_the_default_and_honours_the_api_base_url(env: pytest.MonkeyPatch) -> None:
    captured = capture(env, "run_polling")
    assert run_serve(parse("--api-base-url", "http://127.0.0.1:8081/bot"), FakeEngine()) == 0
    app: Application = captured["app"]
    assert app.bot.base_url == f"http://127.0.0.1:8081/bot{TOKEN}"
    assert set(captured["allowed_updates"]) == {"message", "edited_message", "callback_query", "inline_query"}
    assert "stop_signals" not in captured  # PTB's default: SIGINT, SIGTERM, SIGABRT


def test_webhook_mode_passes_the_secret_token(env: pytest.MonkeyPatch) -> None:
    env.setenv("TELEGRAM_WEBHOOK_SECRET", "hook-secret_1")
    env.setattr(app_module, "webhook_supported", lambda: True)
    captured = capture(env, "run_webhook")
    args = parse("--webhook-url", "https://bot.example.org/tg/abc", "--listen", "0.0.0.0", "--port", "8443")
    assert run_serve(args, FakeEngine()) == 0
    assert captured["secret_token"] == "hook-secret_1"
    assert (captured["listen"], captured["port"], captured["url_path"]) == ("0.0.0.0", 8443, "tg/abc")
    assert captured["webhook_url"] == "https://bot.example.org/tg/abc"


def test_webhook_mode_without_tornado_fails_with_the_install_hint(
    env: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    env.setenv("TELEGRAM_WEBHOOK_SECRET", "s")
    env.setattr(app_module, "webhook_supported", lambda: False)
    assert run_serve(parse("--webhook-url", "https://x.org/h"), FakeEngine()) == app_module.EXIT_CONFIG_ERROR
    assert "python-telegram-bot[webhooks]" in caplog.text


def test_missing_token_exits_with_a_hint(env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    env.delenv("TELEGRAM_BOT_TOKEN")
    assert run_serve(parse(), FakeEngine()) == app_module.EXIT_CONFIG_ERROR
    assert "BotFather" in capsys.readouterr().err


def test_rejected_token_exits_non_zero(env: pytest.MonkeyPatch) -> None:
    capture(env, "run_polling", InvalidToken("Not Found"))
    assert run_serve(parse(), FakeEngine()) == app_module.EXIT_RUNTIME_ERROR


def test_redacting_filter_scrubs_messages_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter(TOKEN))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("calling https://api.telegram.org/bot%s/getMe", TOKEN)
        try:
            raise RuntimeError(f"failed for url https://api.telegram.org/bot{TOKEN}/x")
        except RuntimeError:
            logger.exception("boom")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert TOKEN not in output
    assert output.count(REDACTED) == 2 and "RuntimeError" in output


@pytest.fixture
def root_logging() -> Iterator[None]:
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    filters = {h: list(h.filters) for h in handlers}
    yield
    root.setLevel(level)
    for handler in handlers:
        handler.filters = filters[handler]


def test_configure_logging_keeps_http_loggers_quiet_and_redacts(root_logging: None) -> None:
    configure_logging("DEBUG", TOKEN)
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("httpcore").getEffectiveLevel() == logging.WARNING
    assert all(any(isinstance(f, RedactingFilter) for f in h.filters) for h in logging.getLogger().handlers)


def test_replies_go_through_a_small_connection_pool(tmp_path: Path) -> None:
    """httpcore checks every pooled connection before each request; a small pool keeps that off the GIL."""
    from bot.telegram.config import CONNECTION_POOL_SIZE, Settings

    app = app_module.build_application(Settings(token=TOKEN, state_dir=tmp_path / "state"), FakeEngine())
    limits = app.bot.request._client_kwargs["limits"]  # PTB's HTTPXRequest keeps what it gives httpx
    assert limits.max_connections == CONNECTION_POOL_SIZE
