"""Logging that never shows the bot token.

The token is part of every Bot API URL (``https://api.telegram.org/bot<TOKEN>/sendMessage``), and
httpx logs each request URL at INFO. So the HTTP loggers are kept at WARNING, and as a second line of
defence :class:`RedactingFilter` replaces the token in any record that reaches our handlers.
"""

from __future__ import annotations

import logging

# These log request URLs (i.e. the token) or every call's parameters at INFO/DEBUG: PTB's Bot logs
# "Set Bot API URL: https://api.telegram.org/bot<TOKEN>" when it is created.
QUIET_LOGGERS = ("httpx", "httpcore", "telegram.request", "telegram.Bot", "telegram.ext.ExtBot")
QUIET_LEVEL = logging.WARNING
REDACTED = "<redacted-token>"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def quiet_http_loggers() -> None:
    """Keep request logging at WARNING even when the root logger is at DEBUG."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(QUIET_LEVEL)


class RedactingFilter(logging.Filter):
    """Replace ``secret`` in the message, arguments and traceback text of every record."""

    def __init__(self, *secrets: str) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if any(s in message for s in self.secrets):
            record.msg, record.args = self._clean(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self._clean(record.stack_info)
        return True


def configure_logging(level: str, *secrets: str) -> None:
    """Set up root logging for ``serve``: a stderr handler if none exists, redaction on every handler."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format=LOG_FORMAT)
    root.setLevel(level.upper())
    quiet_http_loggers()
    redactor = RedactingFilter(*secrets)
    for handler in root.handlers:
        handler.addFilter(redactor)
