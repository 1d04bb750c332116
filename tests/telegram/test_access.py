"""Allowlist rule, token bucket and refusal cooldown (pure logic; the gate itself is tested in test_bot)."""

from __future__ import annotations

import pytest

from bot.telegram.access import AccessPolicy, Cooldown, RateLimiter, strip_mention


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_policy_allows_listed_users_anywhere_and_everyone_in_listed_chats() -> None:
    policy = AccessPolicy(users=frozenset({1}), chats=frozenset({-100}))
    assert policy.allows(1, None) and policy.allows(1, -999)
    assert policy.allows(2, -100)
    assert not policy.allows(2, -999) and not policy.allows(None, None)


def test_empty_policy_is_closed_and_says_how_to_open_it() -> None:
    policy = AccessPolicy()
    assert policy.closed and not policy.allows(1, 1)
    assert "BOT_ALLOWED_USERS" in policy.describe() and "BOT_ALLOW_ALL" in policy.describe()
    assert AccessPolicy(allow_all=True).allows(42, None)


def test_token_bucket_allows_a_burst_then_refills_at_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(burst=3, per_minute=6, clock=clock)  # one token per 10 s
    assert all(limiter.acquire(7).allowed for _ in range(3))
    denied = limiter.acquire(7)
    assert not denied.allowed and denied.notify and denied.retry_after_s == pytest.approx(10)
    assert not limiter.acquire(7).notify  # told once, then quiet
    assert limiter.acquire(8).allowed  # buckets are per user
    clock.now += 10
    assert limiter.acquire(7).allowed
    assert not limiter.acquire(7).allowed


def test_cooldown_lets_one_event_through_per_period() -> None:
    clock = Clock()
    cooldown = Cooldown(60, clock=clock)
    assert cooldown.ready((1, 1)) and not cooldown.ready((1, 1)) and cooldown.ready((1, 2))
    clock.now += 61
    assert cooldown.ready((1, 1))


def test_strip_mention_removes_only_this_bot() -> None:
    assert strip_mention("@WenshuBot  瞪羚企业目标 ", "WenshuBot") == "瞪羚企业目标"
    assert strip_mention("@wenshubot 瞪羚 @Other", "WenshuBot") == "瞪羚 @Other"


def test_cheaper_updates_take_fractions_of_a_token() -> None:
    limiter = RateLimiter(burst=1, per_minute=1, clock=Clock())
    assert all(limiter.acquire(1, cost=0.25).allowed for _ in range(4))
    assert not limiter.acquire(1, cost=0.25).allowed
