"""Bounded retries of outgoing calls: transient errors retried, BadRequest and long flood waits not."""

from __future__ import annotations

import warnings

import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning

from bot.telegram import retry
from bot.telegram.retry import MAX_RETRY_AFTER_S, retry_after_seconds, with_retries


def flood(seconds: int) -> RetryAfter:
    """RetryAfter as PTB raises it (its constructor itself trips PTB 22's int-vs-timedelta warning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        return RetryAfter(seconds)


class Flaky:
    """Fails with the given errors, then returns "ok"; counts calls."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(retry.asyncio, "sleep", fake_sleep)
    return slept


async def test_transient_errors_are_retried_with_doubling_backoff(sleeps: list[float]) -> None:
    call = Flaky(TimedOut(), NetworkError("reset"))
    assert await with_retries(call, attempts=3, backoff_s=0.5) == "ok"
    assert call.calls == 3 and sleeps == [0.5, 1.0]


async def test_attempts_are_bounded(sleeps: list[float]) -> None:
    call = Flaky(*[TimedOut() for _ in range(5)])
    with pytest.raises(TimedOut):
        await with_retries(call, attempts=3, backoff_s=0)
    assert call.calls == 3


async def test_bad_request_is_never_retried(sleeps: list[float]) -> None:
    call = Flaky(BadRequest("can't parse entities"))
    with pytest.raises(BadRequest):
        await with_retries(call)
    assert call.calls == 1 and sleeps == []


async def test_flood_control_waits_as_told_unless_too_long(sleeps: list[float]) -> None:
    assert await with_retries(Flaky(flood(3))) == "ok"
    assert sleeps == [3.0]
    with pytest.raises(RetryAfter):
        await with_retries(Flaky(flood(int(MAX_RETRY_AFTER_S) + 1)))


def test_retry_after_seconds_reads_without_deprecation_warnings() -> None:
    assert retry_after_seconds(flood(7)) == 7.0
