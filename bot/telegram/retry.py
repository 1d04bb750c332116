"""Bounded retries for outgoing Bot API calls.

PTB's updater already retries *polling* on network errors; a reply, however, is sent once and a
transient TimedOut/NetworkError would lose it. Retrying may, rarely, deliver a message twice (the
first attempt reached Telegram but its response did not reach us) — a duplicate answer is better than
a lost one. BadRequest is a NetworkError subclass in PTB but is never transient, so it is not retried.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import warnings
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.telegram.config import SEND_ATTEMPTS, SEND_BACKOFF_S

logger = logging.getLogger(__name__)

T = TypeVar("T")

MAX_RETRY_AFTER_S = 30.0  # flood-control waits longer than this are not worth holding a reply for


def retry_after_seconds(exc: RetryAfter) -> float:
    """``RetryAfter.retry_after`` as seconds, without PTB 22's int-vs-timedelta deprecation warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


async def with_retries(
    call: Callable[[], Awaitable[T]], *, attempts: int = SEND_ATTEMPTS, backoff_s: float = SEND_BACKOFF_S
) -> T:
    """Await ``call()``, retrying up to ``attempts`` times in total on transient Bot API errors."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except BadRequest:
            raise
        except RetryAfter as exc:
            if attempt == attempts or retry_after_seconds(exc) > MAX_RETRY_AFTER_S:
                raise
            delay = retry_after_seconds(exc)
        except NetworkError as exc:  # includes TimedOut
            if attempt == attempts:
                raise
            delay = backoff_s * 2 ** (attempt - 1)
            logger.warning("Bot API call failed (%s), attempt %d/%d; retrying in %.2fs", exc, attempt, attempts, delay)
        await asyncio.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover
