"""Settings of the Telegram bot, read once at startup from arguments, environment and an optional file.

Precedence is command line > environment > defaults. The bot token is read from the environment only
(``TELEGRAM_BOT_TOKEN``): a token on the command line would be visible to every user of the machine in
``ps``. The same holds for the webhook secret (``TELEGRAM_WEBHOOK_SECRET``).
"""

from __future__ import annotations

import argparse
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

# Environment variables (documented in docs/telegram.md).
ENV_TOKEN = "TELEGRAM_BOT_TOKEN"
ENV_API_BASE_URL = "TELEGRAM_API_BASE_URL"
ENV_WEBHOOK_URL = "TELEGRAM_WEBHOOK_URL"
ENV_WEBHOOK_SECRET = "TELEGRAM_WEBHOOK_SECRET"
ENV_STATE_DIR = "BOT_STATE_DIR"
ENV_ALLOWED_USERS = "BOT_ALLOWED_USERS"
ENV_ALLOWED_CHATS = "BOT_ALLOWED_CHATS"
ENV_ALLOW_ALL = "BOT_ALLOW_ALL"
ENV_ACCESS_FILE = "BOT_ACCESS_FILE"

DEFAULT_STATE_DIR = Path(".bot_state")
DEFAULT_LISTEN = "127.0.0.1"  # webhooks sit behind a TLS-terminating reverse proxy on the same host
DEFAULT_PORT = 8080

# Per-user token bucket: a burst of questions is fine, a sustained flood is not.
RATE_LIMIT_BURST = 6  # tokens (updates) a user may send at once
RATE_LIMIT_PER_MINUTE = 20  # sustained updates per user per minute
REFUSAL_COOLDOWN_S = 60.0  # a refused user is told at most once per this many seconds per chat

# Updates processed at the same time; engine.ask runs in worker threads, so this bounds queued CPU work.
CONCURRENT_UPDATES = 32
# Open HTTP connections to the Bot API for sending (PTB's default is 256). httpcore checks every pooled
# connection (two syscalls each) before each request, and each syscall hands the GIL to the engine threads:
# with 20 users at once that bookkeeping was a third of the bot's event-loop time. A reply to Telegram takes
# milliseconds, so a few connections carry 50 answers/s.
CONNECTION_POOL_SIZE = 8

# Sending a reply: attempts in total on TimedOut/NetworkError, and the first back-off (doubled each time).
SEND_ATTEMPTS = 3
SEND_BACKOFF_S = 0.5

# Shown by /start as buttons: lookups and a calculation the seed report answers.
EXAMPLE_QUESTIONS: tuple[str, ...] = (
    "2022年遴选瞪羚企业多少家？",
    "2021年高新技术企业申报数多少家？",
    "2022年有效高企目标比2021年多多少家？",
    "科贷通2021年解决贷款多少亿元？",
)

# Telegram's rule for setWebhook's secret_token: 1-256 characters of A-Z, a-z, 0-9, _ and -.
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_TRUE = frozenset({"1", "true", "yes", "on"})


class ConfigError(ValueError):
    """A setting is missing or malformed; the message says how to fix it."""


@dataclass(frozen=True)
class Settings:
    """Everything the Telegram layer needs besides the engine."""

    token: str = field(repr=False)
    api_base_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    listen: str = DEFAULT_LISTEN
    port: int = DEFAULT_PORT
    url_path: str = ""
    state_dir: Path = DEFAULT_STATE_DIR
    allowed_users: frozenset[int] = frozenset()
    allowed_chats: frozenset[int] = frozenset()
    allow_all: bool = False
    rate_limit_burst: float = RATE_LIMIT_BURST
    rate_limit_per_minute: float = RATE_LIMIT_PER_MINUTE
    refusal_cooldown_s: float = REFUSAL_COOLDOWN_S
    concurrent_updates: int = CONCURRENT_UPDATES
    connection_pool_size: int = CONNECTION_POOL_SIZE
    send_attempts: int = SEND_ATTEMPTS
    send_backoff_s: float = SEND_BACKOFF_S
    examples: tuple[str, ...] = EXAMPLE_QUESTIONS
    drop_pending_updates: bool = False

    @property
    def webhook(self) -> bool:
        return self.webhook_url is not None


def parse_ids(text: str | None, *, source: str) -> frozenset[int]:
    """``"123, -100456"`` → {123, -100456}; an empty or missing value is the empty set."""
    if not text:
        return frozenset()
    ids: set[int] = set()
    for part in re.split(r"[,\s]+", text.strip()):
        if not part:
            continue
        try:
            ids.add(int(part))
        except ValueError:
            raise ConfigError(f"{source}: {part!r} is not a numeric Telegram ID") from None
    return frozenset(ids)


def _ids_from(values: Iterable[object], *, source: str) -> frozenset[int]:
    ids: set[int] = set()
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ConfigError(f"{source}: {value!r} is not a numeric Telegram ID")
        ids |= parse_ids(str(value), source=source)
    return frozenset(ids)


def read_access_file(path: Path) -> tuple[frozenset[int], frozenset[int], bool]:
    """Read ``allowed_users``, ``allowed_chats`` and ``allow_all`` from a TOML file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"access file {path}: {exc}") from None
    users = _ids_from(data.get("allowed_users", []), source=f"{path}: allowed_users")
    chats = _ids_from(data.get("allowed_chats", []), source=f"{path}: allowed_chats")
    allow_all = data.get("allow_all", False)
    if not isinstance(allow_all, bool):
        raise ConfigError(f"{path}: allow_all must be true or false")
    return users, chats, allow_all


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m bot serve``; every option also has an environment variable."""
    group = parser.add_argument_group("telegram")
    group.add_argument(
        "--api-base-url",
        help=f"Bot API base URL ending in /bot, e.g. http://127.0.0.1:8081/bot (env {ENV_API_BASE_URL})",
    )
    group.add_argument(
        "--webhook-url",
        help=f"public HTTPS URL Telegram posts updates to; enables webhook mode (env {ENV_WEBHOOK_URL})",
    )
    group.add_argument("--listen", default=None, help=f"webhook mode: address to bind (default {DEFAULT_LISTEN})")
    group.add_argument("--port", type=int, default=None, help=f"webhook mode: port to bind (default {DEFAULT_PORT})")
    group.add_argument(
        "--url-path", default=None, help="webhook mode: local path to serve (default: the path of --webhook-url)"
    )
    group.add_argument("--state-dir", type=Path, help=f"where deep links are kept (env {ENV_STATE_DIR})")
    group.add_argument("--allowed-users", help=f"comma-separated user IDs (env {ENV_ALLOWED_USERS})")
    group.add_argument("--allowed-chats", help=f"comma-separated chat IDs (env {ENV_ALLOWED_CHATS})")
    group.add_argument(
        "--allow-all", action="store_true", default=None, help=f"answer everyone (env {ENV_ALLOW_ALL}=1)"
    )
    group.add_argument("--access-file", type=Path, help=f"TOML file with allowed IDs (env {ENV_ACCESS_FILE})")
    group.add_argument(
        "--drop-pending-updates", action="store_true", help="ignore updates that arrived while the bot was down"
    )
    group.add_argument("--log-level", default="INFO", help="logging level (default INFO)")


def settings_from(args: argparse.Namespace, environ: Mapping[str, str]) -> Settings:
    """Merge arguments and environment into :class:`Settings`; raise :class:`ConfigError` with a fix."""

    def pick(name: str, env: str) -> str | None:
        value = getattr(args, name, None)
        if value is None:
            value = environ.get(env) or None
        return value

    token = (environ.get(ENV_TOKEN) or "").strip()
    if not token:
        raise ConfigError(f"{ENV_TOKEN} is not set: get a token from @BotFather and export {ENV_TOKEN}=...")

    users = parse_ids(pick("allowed_users", ENV_ALLOWED_USERS), source=ENV_ALLOWED_USERS)
    chats = parse_ids(pick("allowed_chats", ENV_ALLOWED_CHATS), source=ENV_ALLOWED_CHATS)
    allow_all = bool(getattr(args, "allow_all", None)) or environ.get(ENV_ALLOW_ALL, "").strip().lower() in _TRUE
    access_file = getattr(args, "access_file", None) or environ.get(ENV_ACCESS_FILE) or None
    if access_file is not None:
        file_users, file_chats, file_all = read_access_file(Path(access_file))
        users, chats, allow_all = users | file_users, chats | file_chats, allow_all or file_all

    webhook_url = pick("webhook_url", ENV_WEBHOOK_URL)
    secret = environ.get(ENV_WEBHOOK_SECRET) or None
    url_path = getattr(args, "url_path", None)
    if webhook_url is not None:
        parts = urlsplit(webhook_url)
        if parts.scheme != "https" or not parts.netloc:
            raise ConfigError(f"--webhook-url must be an https:// URL, got {webhook_url!r}")
        if secret is None:
            raise ConfigError(
                f"webhook mode needs {ENV_WEBHOOK_SECRET} so forged updates are rejected; create one with "
                'python -c "import secrets; print(secrets.token_urlsafe(32))"'
            )
        if not _SECRET_RE.match(secret):
            raise ConfigError(f"{ENV_WEBHOOK_SECRET} must be 1-256 characters of A-Z a-z 0-9 _ -")
        if url_path is None:
            url_path = parts.path.strip("/")

    state_dir = getattr(args, "state_dir", None) or Path(environ.get(ENV_STATE_DIR) or DEFAULT_STATE_DIR)
    return Settings(
        token=token,
        api_base_url=pick("api_base_url", ENV_API_BASE_URL),
        webhook_url=webhook_url,
        webhook_secret=secret,
        listen=getattr(args, "listen", None) or DEFAULT_LISTEN,
        port=getattr(args, "port", None) or DEFAULT_PORT,
        url_path=url_path or "",
        state_dir=Path(state_dir),
        allowed_users=users,
        allowed_chats=chats,
        allow_all=allow_all,
        drop_pending_updates=bool(getattr(args, "drop_pending_updates", False)),
    )
