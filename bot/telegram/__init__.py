"""The Telegram surface of 问数: renders engine :class:`~bot.models.Answer` objects in Telegram.

``python -m bot serve`` calls :func:`add_serve_arguments` and :func:`run_serve`; see docs/telegram.md.
"""

from bot.telegram.app import build_application, run_serve
from bot.telegram.config import Settings, add_serve_arguments

__all__ = ["Settings", "add_serve_arguments", "build_application", "run_serve"]
