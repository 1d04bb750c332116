"""The same end-to-end path with the real engine over the seed report's index (built once per session).

Assertions compare the bot's messages with the rendering of ``engine.ask`` for the same question, so
they hold whatever the engine answers: they test the Telegram layer, not the engine's accuracy.
"""

from __future__ import annotations

import pytest
from e2e_support import ALICE, LOAD_USERS, RunningBot

from bot.engine import Engine
from bot.telegram import render
from bot.telegram.config import EXAMPLE_QUESTIONS
from bot.telegram.loadtest import FIRST_USER_ID, buttons, run_load

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

QUESTIONS_PER_USER = 5


@pytest.fixture
def engine(real_engine: Engine) -> Engine:
    """Switch the e2e fixtures to the real engine (``real_engine`` is in tests/conftest.py)."""
    return real_engine


async def test_examples_answers_context_and_refusal_with_the_real_engine(
    running_bot: RunningBot, engine: Engine
) -> None:
    client = running_bot.client
    await client.send_text(ALICE, "/start")
    [greeting] = await client.wait_replies(ALICE)
    for button in buttons(greeting):
        await client.tap(ALICE, greeting, button["callback_data"])
        [reply] = await client.wait_replies(ALICE)
        assert reply["message"]["text"] == render.render_answer(engine.ask(button["text"]), button["text"])

    calc_question = EXAMPLE_QUESTIONS[2]
    expected = engine.ask(calc_question)
    assert expected.formula, "the calculation example should compute"
    await client.send_text(ALICE, calc_question)
    [answer] = await client.wait_replies(ALICE)
    assert f"🧮 计算：<code>{render.esc(expected.formula)}</code>" in answer["message"]["text"]

    context = next(b for b in buttons(answer) if b["text"] == render.BUTTON_CONTEXT)
    await client.tap(ALICE, answer, context["callback_data"])
    opened = await client.wait_message(answer["messageId"], lambda m: m["text"].startswith("<b>📄 原文"))
    for citation in expected.citations:
        assert f"<u><b>{render.esc(citation.text)}</b></u>" in opened["message"]["text"]

    await client.send_text(ALICE, "火星基地的建设进度如何？")
    [refusal] = await client.wait_replies(ALICE)
    assert refusal["message"]["text"].startswith("<b>报告中没有")
    assert running_bot.errors == []


async def test_concurrent_users_with_the_real_engine(running_bot: RunningBot, engine: Engine) -> None:
    expected = {q: render.render_answer(engine.ask(q), q) for q in EXAMPLE_QUESTIONS}
    result = await run_load(
        running_bot.client.base_url,
        running_bot.token,
        questions=EXAMPLE_QUESTIONS,
        users=LOAD_USERS,
        questions_per_user=QUESTIONS_PER_USER,
        tag_questions=False,  # a tag would change the real engine's answer
        check=lambda question, reply: reply == expected[question],
        first_user_id=FIRST_USER_ID,
    )
    print(result.summary())
    assert (result.lost, result.extra, result.wrong) == (0, 0, [])
    assert result.answered == LOAD_USERS * QUESTIONS_PER_USER
    assert running_bot.errors == []
