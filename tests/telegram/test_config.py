"""Settings from arguments, environment and the access file; errors that say how to fix them."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.telegram.config import ConfigError, add_serve_arguments, parse_ids, settings_from

TOKEN = "123:abc"


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    return parser.parse_args(list(argv))


def test_defaults_are_polling_with_a_closed_allowlist() -> None:
    settings = settings_from(parse(), {"TELEGRAM_BOT_TOKEN": TOKEN})
    assert not settings.webhook and settings.api_base_url is None
    assert settings.allowed_users == frozenset() and not settings.allow_all
    assert settings.state_dir == Path(".bot_state")
    assert TOKEN not in repr(settings)


def test_environment_and_arguments_merge_with_arguments_winning(tmp_path: Path) -> None:
    access = tmp_path / "access.toml"
    access.write_text("allowed_users = [5, '6']\nallowed_chats = [-100]\n", encoding="utf-8")
    env = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": "http://env/bot",
        "BOT_ALLOWED_USERS": "1, 2 3",
        "BOT_STATE_DIR": str(tmp_path / "s"),
        "BOT_ACCESS_FILE": str(access),
    }
    settings = settings_from(parse("--api-base-url", "http://127.0.0.1:8081/bot"), env)
    assert settings.api_base_url == "http://127.0.0.1:8081/bot"
    assert settings.allowed_users == {1, 2, 3, 5, 6} and settings.allowed_chats == {-100}
    assert settings.state_dir == tmp_path / "s"
    assert settings_from(parse(), env | {"BOT_ALLOW_ALL": "1"}).allow_all


def test_webhook_mode_needs_https_and_a_secret() -> None:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN}
    args = parse("--webhook-url", "https://bot.example.org/tg/hook", "--port", "8443")
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        settings_from(args, env)
    settings = settings_from(args, env | {"TELEGRAM_WEBHOOK_SECRET": "s3cret_-"})
    assert settings.webhook and settings.url_path == "tg/hook" and settings.port == 8443
    assert "s3cret" not in repr(settings)
    with pytest.raises(ConfigError, match="https"):
        settings_from(parse("--webhook-url", "http://x/y"), env | {"TELEGRAM_WEBHOOK_SECRET": "s"})
    with pytest.raises(ConfigError, match="1-256"):
        settings_from(args, env | {"TELEGRAM_WEBHOOK_SECRET": "bad secret!"})


@pytest.mark.parametrize(
    ("env", "message"),
    [({}, "TELEGRAM_BOT_TOKEN"), ({"TELEGRAM_BOT_TOKEN": TOKEN, "BOT_ALLOWED_USERS": "12,@bob"}, "@bob")],
)
def test_bad_settings_name_the_fix(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings_from(parse(), env)


def test_access_file_errors_are_config_errors(tmp_path: Path) -> None:
    bad = tmp_path / "a.toml"
    bad.write_text("allowed_users = [true]", encoding="utf-8")
    with pytest.raises(ConfigError):
        settings_from(parse("--access-file", str(bad)), {"TELEGRAM_BOT_TOKEN": TOKEN})
    assert parse_ids(" ", source="x") == frozenset()
