"""The Telegram surface of 问数: renders engine :class:`~bot.models.Answer` objects in Telegram.

``python -m bot serve`` calls :func:`add_serve_arguments` and :func:`run_serve`; see docs/telegram.md.
python-telegram-bot and httpx (~0.5 s of imports) load only when the bot is built, not for ``ask``.
"""

from typing import Any

from bot.telegram.config import Settings, add_serve_arguments

__all__ = ["Settings", "add_serve_arguments", "build_application", "run_serve"]


def __getattr__(name: str) -> Any:
    """``build_application`` / ``run_serve`` on first use (PEP 562), so the CLI's other commands start fast."""
    if name in ("build_application", "run_serve"):
        from bot.telegram import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
