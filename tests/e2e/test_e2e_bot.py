"""A user talks to the bot through the Bot API emulator; the bot long-polls it like Telegram."""

from __future__ import annotations

import pytest
from e2e_support import ALICE, LOAD_USERS, MALLORY, RunningBot

from bot.telegram import render
from bot.telegram.access import refusal_text
from bot.telegram.config import EXAMPLE_QUESTIONS
from bot.telegram.loadtest import FIRST_USER_ID, buttons, run_load
from bot.telegram.testing import APPLICATIONS_ANSWER, GAZELLE, GAZELLE_ANSWER, LOANS_ANSWER, SENTENCES

pytestmark = pytest.mark.e2e

QUESTIONS_PER_USER = 10
LOAD_QUESTIONS = (
    "2022年遴选瞪羚企业多少家？",
    "2021年高新技术企业申报数是多少？",
    "科贷通累计贷款比当年多多少？",
    "火星基地",
)
EXPECTED = {"瞪羚": GAZELLE_ANSWER, "申报数": APPLICATIONS_ANSWER, "科贷通": LOANS_ANSWER, "火星": "报告中没有"}


def expected_answer(question: str, reply: str) -> bool:
    """The fake engine's answer for the question's keyword is the bold first line of the reply."""
    keyword = next(k for k in EXPECTED if k in question)
    return reply.startswith("<b>") and EXPECTED[keyword] in reply.split("\n", 1)[0]


async def test_user_asks_taps_an_example_and_toggles_the_context(running_bot: RunningBot) -> None:
    client = running_bot.client

    await client.send_text(ALICE, "/start")
    [greeting] = await client.wait_replies(ALICE)
    assert [b["text"] for b in buttons(greeting)] == list(EXAMPLE_QUESTIONS)

    await client.tap(ALICE, greeting, buttons(greeting)[1]["callback_data"])
    [example] = await client.wait_replies(ALICE)
    assert example["message"]["text"].startswith(f"<b>{APPLICATIONS_ANSWER}</b>")

    await client.send_text(ALICE, "2022年遴选瞪羚企业多少家？")
    [answer] = await client.wait_replies(ALICE)
    original = answer["message"]["text"]
    assert original.startswith(f"<b>{GAZELLE_ANSWER}</b>")
    assert SENTENCES[GAZELLE].text in original

    context_button = next(b for b in buttons(answer) if b["text"] == render.BUTTON_CONTEXT)
    await client.tap(ALICE, answer, context_button["callback_data"])
    opened = await client.wait_message(answer["messageId"], lambda m: m["text"].startswith("<b>📄 原文"))
    assert f"<u><b>{SENTENCES[GAZELLE].text}</b></u>" in opened["message"]["text"]
    fold = next(b for b in buttons(opened) if b["text"] == render.BUTTON_FOLD)

    await client.tap(ALICE, opened, fold["callback_data"])
    folded = await client.wait_message(answer["messageId"], lambda m: m["text"] == original)
    assert [b["text"] for b in buttons(folded)] == [render.BUTTON_CONTEXT, render.BUTTON_SHARE]

    assert running_bot.errors == []


async def test_deep_link_reopens_the_answer(running_bot: RunningBot) -> None:
    client = running_bot.client
    await client.send_text(ALICE, "科贷通累计贷款比2021年当年多多少？")
    [answer] = await client.wait_replies(ALICE)
    token = next(b for b in buttons(answer) if b["text"] == render.BUTTON_SHARE)["callback_data"][2:]
    await client.send_text(ALICE, f"/start {token}")
    [again] = await client.wait_replies(ALICE)
    assert again["message"]["text"] == answer["message"]["text"]
    assert running_bot.errors == []


async def test_stranger_is_refused(running_bot: RunningBot) -> None:
    await running_bot.client.send_text(MALLORY, "2022年遴选瞪羚企业多少家？")
    [reply] = await running_bot.client.wait_replies(MALLORY)
    assert reply["message"]["text"] == refusal_text(MALLORY)
    assert running_bot.errors == []


async def test_twenty_users_ten_questions_each_get_their_own_answers(running_bot: RunningBot) -> None:
    result = await run_load(
        running_bot.client.base_url,
        running_bot.token,
        questions=LOAD_QUESTIONS,
        users=LOAD_USERS,
        questions_per_user=QUESTIONS_PER_USER,
        check=expected_answer,
        first_user_id=FIRST_USER_ID,
    )
    print(result.summary())
    assert result.lost == 0 and result.extra == 0
    assert result.wrong == []
    assert result.answered == LOAD_USERS * QUESTIONS_PER_USER
    assert running_bot.errors == []


async def test_a_slow_answer_does_not_hold_up_other_users(running_bot: RunningBot) -> None:
    client = running_bot.client
    await client.send_text(ALICE, "慢 2022年遴选瞪羚企业多少家？")  # the fake engine sleeps 1.5 s
    await client.send_text(FIRST_USER_ID, "2021年高新技术企业申报数是多少？")
    [fast] = await client.wait_replies(FIRST_USER_ID, timeout_s=1.2)
    assert APPLICATIONS_ANSWER in fast["message"]["text"]
    assert await client.replies(ALICE) == []  # still thinking
    [slow] = await client.wait_replies(ALICE, timeout_s=5)
    assert GAZELLE_ANSWER in slow["message"]["text"]
    assert running_bot.errors == []
