"""Tokens: deterministic, within Telegram's alphabet and limits, and resolvable after a restart."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.telegram import links
from bot.telegram.links import LinkStore, callback_data, parse_callback_data, question_for, token_for


@pytest.fixture
def store(tmp_path: Path) -> LinkStore:
    return LinkStore(tmp_path / "state")


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=st.text(min_size=1, max_size=300).filter(lambda q: q.strip()))
def test_every_question_round_trips_through_a_valid_token(store: LinkStore, question: str) -> None:
    token = token_for(question, store)
    assert links.TOKEN_RE.match(token)
    assert len(token) <= links.TOKEN_MAX_CHARS
    assert len(callback_data("o", token).encode()) <= links.CALLBACK_DATA_LIMIT
    assert question_for(token, store) == question.strip()
    assert token_for(question, store) == token  # deterministic


def test_short_questions_need_no_state_long_ones_are_stored(store: LinkStore) -> None:
    short, long = "瞪羚企业目标", "请问苏州市2022年科技创新工作计划中准备遴选多少家瞪羚企业？"
    assert token_for(short, store).startswith(links.INLINE_TAG)
    assert token_for(long, store).startswith(links.STORED_TAG)
    other = LinkStore(store.path.parent.parent / "elsewhere")
    assert question_for(token_for(short, store), other) == short  # inline tokens work anywhere
    assert question_for(token_for(long, store), other) is None


def test_stored_questions_survive_a_new_store_instance(store: LinkStore) -> None:
    question = "一个很长很长的问题，" * 10
    token = token_for(question, store)
    assert question_for(token, LinkStore(store.path.parent)) == question


@pytest.mark.parametrize("token", ["", "x", "q", "q!!", "k" + "A" * 5, "q" + "A" * 70, "q_w", "q" + "/" * 8])
def test_malformed_tokens_resolve_to_nothing(store: LinkStore, token: str) -> None:
    assert question_for(token, store) is None


def test_callback_data_is_checked_and_parsed() -> None:
    assert parse_callback_data("o:qYWJj") == ("o", "qYWJj")
    assert parse_callback_data("oo:qYWJj") is None
    assert parse_callback_data(None) is None
    with pytest.raises(ValueError):
        callback_data("o", "q" + "A" * 63)
