"""The python-telegram-bot ``Application``: builder, handler table, and the blocking ``serve`` entry point."""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import sys

from telegram import BotCommand, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.telegram.access import AccessGate, AccessPolicy, Cooldown, RateLimiter
from bot.telegram.config import ConfigError, Settings, settings_from
from bot.telegram.handlers import BotHandlers, EngineLike
from bot.telegram.links import TOKEN_PATTERN, LinkStore
from bot.telegram.logs import configure_logging, quiet_http_loggers

logger = logging.getLogger(__name__)

# Only the update types we handle: Telegram then does not even send the rest.
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
BOOTSTRAP_RETRIES = 5  # initialize/deleteWebhook attempts at startup before giving up (network blips)
ACCESS_GATE_GROUP = -1  # handler group of the access gate: runs before every other handler
COMMANDS = (
    BotCommand("start", "示例问题"),
    BotCommand("help", "用法与收录的报告"),
    BotCommand("reports", "报告列表：标题、时期、索引时间"),
)
# ``/start <token>`` from a shared link; ``/start``, ``/start help`` etc. go to the plain start handler.
DEEP_LINK_FILTER = filters.Regex(rf"^/start(?:@\w+)?\s+{TOKEN_PATTERN}\s*$")
EXIT_OK, EXIT_RUNTIME_ERROR, EXIT_CONFIG_ERROR = 0, 1, 2


def build_application(
    settings: Settings,
    engine: EngineLike,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> Application:
    """An Application with every handler registered; ``request`` lets tests capture Bot API calls."""
    quiet_http_loggers()
    builder = (
        ApplicationBuilder().token(settings.token).concurrent_updates(settings.concurrent_updates).post_init(_post_init)
    )
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url)
        if settings.api_base_url.endswith("/bot"):  # a local Bot API server serves files next to it
            builder = builder.base_file_url(settings.api_base_url.removesuffix("/bot") + "/file/bot")
    if request is not None:
        builder = builder.request(request)
    else:  # PTB refuses pool settings next to a custom request object
        builder = builder.connection_pool_size(settings.connection_pool_size)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    app = builder.build()

    policy = AccessPolicy.from_settings(settings)
    gate = AccessGate(
        policy,
        RateLimiter(settings.rate_limit_burst, settings.rate_limit_per_minute),
        Cooldown(settings.refusal_cooldown_s),
    )
    handlers = BotHandlers(engine, LinkStore(settings.state_dir), settings)

    app.add_handler(TypeHandler(Update, gate), group=ACCESS_GATE_GROUP)
    app.add_handlers(
        [
            CommandHandler("start", handlers.start_deep_link, DEEP_LINK_FILTER),
            CommandHandler("start", handlers.start),
            CommandHandler("help", handlers.help),
            CommandHandler("reports", handlers.reports),
            MessageHandler(filters.TEXT & ~filters.COMMAND, handlers.question),
            MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, handlers.unknown_command),
            MessageHandler(filters.ChatType.PRIVATE & ~filters.TEXT, handlers.non_text),
            CallbackQueryHandler(handlers.button, pattern=r"^[a-z]:"),
            CallbackQueryHandler(handlers.stale_button),
            InlineQueryHandler(handlers.inline),
        ]
    )
    app.add_error_handler(handlers.error)
    return app


async def _post_init(app: Application) -> None:
    """Say who we are; register the command menu (best effort)."""
    logger.info("serving as @%s", app.bot.username)
    try:
        await app.bot.set_my_commands(list(COMMANDS))
    except TelegramError as exc:  # some Bot API servers (and emulators) lack it; the bot works without
        logger.warning("could not set the command menu: %s", exc)


def webhook_supported() -> bool:
    """PTB's webhook server needs tornado (``pip install "python-telegram-bot[webhooks]"``)."""
    return importlib.util.find_spec("tornado") is not None


def run_serve(args: argparse.Namespace, engine: EngineLike) -> int:
    """``python -m bot serve``: run until SIGINT/SIGTERM; return the process exit code.

    PTB's ``run_polling``/``run_webhook`` install the stop-signal handlers. On a signal they stop
    fetching updates, then ``Application.stop`` waits until every update already taken from the queue
    has been processed — an answer in flight is still sent before the process exits.
    """
    try:
        settings = settings_from(args, os.environ)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG_ERROR
    configure_logging(getattr(args, "log_level", "INFO") or "INFO", settings.token, settings.webhook_secret or "")
    base = settings.api_base_url
    if base and not (base.rstrip("/").endswith("/bot") or "{token}" in base):
        logger.warning("--api-base-url usually ends in /bot (the token is appended to it): %s", base)
    if settings.webhook and not webhook_supported():
        logger.error('webhook mode needs tornado: pip install "python-telegram-bot[webhooks]"')
        return EXIT_CONFIG_ERROR

    app = build_application(settings, engine)
    policy = AccessPolicy.from_settings(settings)
    logger.log(logging.WARNING if policy.closed else logging.INFO, "%s", policy.describe())
    try:
        if settings.webhook:
            logger.info("webhook mode: listening on %s:%d/%s", settings.listen, settings.port, settings.url_path)
            app.run_webhook(
                listen=settings.listen,
                port=settings.port,
                url_path=settings.url_path,
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=settings.drop_pending_updates,
                bootstrap_retries=BOOTSTRAP_RETRIES,
            )
        else:
            logger.info("long-polling mode")
            app.run_polling(
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=settings.drop_pending_updates,
                bootstrap_retries=BOOTSTRAP_RETRIES,
            )
    except InvalidToken:
        logger.error("Telegram rejected the token: check TELEGRAM_BOT_TOKEN (from @BotFather)")
        return EXIT_RUNTIME_ERROR
    logger.info("stopped")
    return EXIT_OK
