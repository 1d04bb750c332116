"""The bot as Telegram sees it: updates in, Bot API calls out (in process, no network)."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx
import pytest
from telegram import Update
from tg_harness import (
    ALICE,
    ALLOWED_GROUP,
    BOB,
    BOT_USERNAME,
    MALLORY,
    OTHER_GROUP,
    TOKEN,
    AppFactory,
    BotApi,
    Harness,
    Updates,
    assert_valid_html,
    bad_request,
)

from bot.telegram import render
from bot.telegram.access import refusal_text
from bot.telegram.config import EXAMPLE_QUESTIONS, SEND_ATTEMPTS
from bot.telegram.handlers import APOLOGY_TEXT, MAX_QUESTION_CHARS, STALE_BUTTON_TEXT, STALE_LINK_TEXT
from bot.telegram.links import CALLBACK_DATA_LIMIT, DEEP_LINK_PAYLOAD_LIMIT, INLINE_TAG, STORED_TAG
from bot.telegram.render import MESSAGE_LIMIT, tg_len
from bot.telegram.testing import (
    APPLICATIONS_ANSWER,
    DOC,
    GAP_FORMULA,
    GAZELLE,
    GAZELLE_ANSWER,
    INDEXED_AT,
    LOANS_ANSWER,
    LOANS_FORMULA,
    SENTENCES,
    FakeEngine,
    FakeEngineError,
)

GAZELLE_Q = "2022年遴选瞪羚企业多少家？"
LONG_GAZELLE_Q = "请问一下，苏州市2022年科技创新工作计划里，准备遴选的瞪羚企业一共是多少家？"  # too long to inline


def buttons(params: dict[str, Any]) -> list[dict[str, Any]]:
    return [b for row in params.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


def button(params: dict[str, Any], text: str) -> dict[str, Any]:
    return next(b for b in buttons(params) if b["text"] == text)


def as_bot_message(params: dict[str, Any], harness: Harness, message_id: int = 777) -> dict[str, Any]:
    """The message a user taps a button under (as Telegram would include it in the callback query)."""
    message = harness.updates.bot_message(params["text"], chat_id=int(params["chat_id"]), message_id=message_id)
    message["reply_markup"] = params["reply_markup"]
    return message


async def ask(harness: Harness, question: str, **kwargs: Any) -> dict[str, Any]:
    harness.api.clear()
    await harness.say(question, **kwargs)
    [reply] = harness.api.of("sendMessage")
    return reply


# -- /start, /help, /reports ---------------------------------------------------------------------------


async def test_start_greets_with_example_question_buttons(harness: Harness) -> None:
    await harness.say("/start")
    [reply] = harness.api.of("sendMessage")
    assert "问数" in reply["text"]
    assert_valid_html(reply["text"])
    found = buttons(reply)
    assert 3 <= len(found) <= 4
    assert [b["text"] for b in found] == list(EXAMPLE_QUESTIONS)
    assert all(len(b["callback_data"].encode()) <= CALLBACK_DATA_LIMIT for b in found)


async def test_tapping_an_example_asks_that_question(harness: Harness) -> None:
    await harness.say("/start")
    [greeting] = harness.api.of("sendMessage")
    harness.api.clear()
    await harness.tap(buttons(greeting)[0]["callback_data"], message=as_bot_message(greeting, harness))
    assert harness.engine.questions[-1] == EXAMPLE_QUESTIONS[0]
    [reply] = harness.api.of("sendMessage")
    assert reply["text"].startswith(f"<b>{GAZELLE_ANSWER}</b>")
    [answered] = harness.api.of("answerCallbackQuery")
    assert "text" not in answered


async def test_help_lists_reports_and_how_to_ask(harness: Harness) -> None:
    await harness.say("/help")
    [reply] = harness.api.of("sendMessage")
    assert DOC.title in reply["text"]
    assert "报告中没有" in reply["text"] and "计算式" in reply["text"] and f"@{BOT_USERNAME}" in reply["text"]
    assert_valid_html(reply["text"])


async def test_reports_lists_title_period_and_index_time(harness: Harness) -> None:
    await harness.say("/reports")
    [reply] = harness.api.of("sendMessage")
    for expected in (DOC.title, "2021 年回顾", "2022 年计划", DOC.issuer, INDEXED_AT):
        assert expected in reply["text"]
    assert_valid_html(reply["text"])


# -- answers -------------------------------------------------------------------------------------------


async def test_question_gets_bold_answer_then_the_cited_sentence_with_section(harness: Harness) -> None:
    reply = await ask(harness, GAZELLE_Q)
    text = reply["text"]
    assert reply["parse_mode"] == "HTML"
    assert text.startswith(f"<b>{GAZELLE_ANSWER}</b>")
    sentence = SENTENCES[GAZELLE]
    assert f"<blockquote>{sentence.text}</blockquote>" in text
    assert f"《{DOC.title}》 · {sentence.section}" in text
    assert_valid_html(text)
    assert [b["text"] for b in buttons(reply)] == [render.BUTTON_CONTEXT, render.BUTTON_SHARE]
    assert all(len(b["callback_data"].encode()) <= CALLBACK_DATA_LIMIT for b in buttons(reply))


async def test_calculation_shows_the_formula(harness: Harness) -> None:
    reply = await ask(harness, "科贷通累计贷款比2021年当年多多少？")
    assert reply["text"].startswith(f"<b>{LOANS_ANSWER}</b>\n🧮 计算：<code>{LOANS_FORMULA}</code>")
    assert_valid_html(reply["text"])


async def test_unanswerable_question_gets_the_refusal_without_buttons(harness: Harness) -> None:
    reply = await ask(harness, "火星基地建设进度如何？")
    assert reply["text"].startswith("<b>报告中没有")
    assert "reply_markup" not in reply


async def test_edited_question_is_answered_again(harness: Harness) -> None:
    reply = await ask(harness, "申报数是多少", edited=True)
    assert APPLICATIONS_ANSWER in reply["text"]


async def test_html_in_the_question_is_escaped(harness: Harness) -> None:
    for question in ('<script>alert("x")</script> 瞪羚 & <b>', "<a href='javascript:x'>火星</a> &amp;"):
        reply = await ask(harness, question)
        assert_valid_html(reply["text"])
        assert "<script>" not in reply["text"] and "<a href" not in reply["text"]
        assert "&lt;script&gt;" in reply["text"] or "&lt;a href" in reply["text"]


async def test_5000_character_question_gets_a_valid_short_reply(harness: Harness) -> None:
    reply = await ask(harness, "瞪" * 5000)
    assert_valid_html(reply["text"])
    assert str(MAX_QUESTION_CHARS) in reply["text"]
    assert harness.engine.questions == []


async def test_many_long_citations_are_cut_to_the_message_limit(harness: Harness) -> None:
    reply = await ask(harness, "全部出处<&>" + "长" * 400)
    assert_valid_html(reply["text"])
    assert tg_len(reply["text"]) <= MESSAGE_LIMIT
    assert "另有" in reply["text"]


# -- 原文 and 分享 ----------------------------------------------------------------------------------------


async def test_context_button_shows_the_paragraph_and_folds_back(harness: Harness) -> None:
    reply = await ask(harness, GAZELLE_Q)
    message = as_bot_message(reply, harness)

    harness.api.clear()
    await harness.tap(button(reply, render.BUTTON_CONTEXT)["callback_data"], message=message)
    [edit] = harness.api.of("editMessageText")
    assert (edit["chat_id"], edit["message_id"]) == (str(ALICE), "777")
    assert edit["text"].startswith("<b>📄 原文</b>")
    assert f"<u><b>{SENTENCES[GAZELLE].text}</b></u>" in edit["text"]
    assert SENTENCES["s12-3"].text in edit["text"]  # the sentence before it, same paragraph
    assert_valid_html(edit["text"])
    assert buttons(edit)[0]["text"] == render.BUTTON_FOLD
    assert len(harness.api.of("answerCallbackQuery")) == 1
    assert harness.api.of("sendMessage") == []

    harness.api.clear()
    await harness.tap(button(edit, render.BUTTON_FOLD)["callback_data"], message=message)
    [back] = harness.api.of("editMessageText")
    assert back["text"] == reply["text"]
    assert back["reply_markup"] == reply["reply_markup"]
    assert len(harness.api.of("answerCallbackQuery")) == 1


async def test_context_of_a_calculation_shows_both_paragraphs(harness: Harness) -> None:
    reply = await ask(harness, "有效高企目标和现在差多少")
    assert GAP_FORMULA in reply["text"]
    harness.api.clear()
    await harness.tap(button(reply, render.BUTTON_CONTEXT)["callback_data"], message=as_bot_message(reply, harness))
    [edit] = harness.api.of("editMessageText")
    assert edit["text"].count("<u><b>") == 2
    assert_valid_html(edit["text"])


async def test_share_gives_a_deep_link_and_a_one_line_citation(harness: Harness) -> None:
    reply = await ask(harness, GAZELLE_Q)
    harness.api.clear()
    await harness.tap(button(reply, render.BUTTON_SHARE)["callback_data"], message=as_bot_message(reply, harness))
    [edit] = harness.api.of("editMessageText")
    token = button(reply, render.BUTTON_SHARE)["callback_data"][2:]
    link = f"https://t.me/{BOT_USERNAME}?start={token}"
    assert link in edit["text"]
    line = f"{GAZELLE_ANSWER} — 《{DOC.title}》，{SENTENCES[GAZELLE].section}"
    assert f"<code>{line}</code>" in edit["text"]
    assert button(edit, render.BUTTON_COPY)["copy_text"]["text"] == line
    assert button(edit, render.BUTTON_FORWARD)["url"].startswith(render.SHARE_URL)
    assert_valid_html(edit["text"])


async def test_double_tap_not_modified_is_harmless(harness: Harness) -> None:
    reply = await ask(harness, GAZELLE_Q)
    harness.api.clear()
    harness.api.fail("editMessageText", bad_request("Bad Request: message is not modified"))
    await harness.tap(button(reply, render.BUTTON_CONTEXT)["callback_data"], message=as_bot_message(reply, harness))
    [answered] = harness.api.of("answerCallbackQuery")
    assert "text" not in answered
    assert harness.api.of("sendMessage") == []


async def test_buttons_on_inline_messages_edit_by_inline_message_id(harness: Harness) -> None:
    reply = await ask(harness, GAZELLE_Q)
    harness.api.clear()
    await harness.tap(button(reply, render.BUTTON_CONTEXT)["callback_data"], inline_message_id="IM1")
    [edit] = harness.api.of("editMessageText")
    assert edit["inline_message_id"] == "IM1"


@pytest.mark.parametrize("data", ["garbage", "o:", "o:kAAAAAAAAAAAAAAAAAAAAAA", "z:qYWJj"])
async def test_stale_or_foreign_buttons_get_a_short_alert(harness: Harness, data: str) -> None:
    await harness.tap(data)
    [answered] = harness.api.of("answerCallbackQuery")
    assert answered["text"] == STALE_BUTTON_TEXT
    assert harness.api.of("editMessageText") == []


# -- deep links ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "tag"), [(GAZELLE_Q, INLINE_TAG), (LONG_GAZELLE_Q, STORED_TAG)])
async def test_deep_link_reopens_the_same_answer(harness: Harness, question: str, tag: str) -> None:
    reply = await ask(harness, question)
    token = button(reply, render.BUTTON_SHARE)["callback_data"][2:]
    assert token.startswith(tag) and len(token) <= DEEP_LINK_PAYLOAD_LIMIT
    again = await ask(harness, f"/start {token}")
    assert again["text"] == reply["text"]
    assert again["reply_markup"] == reply["reply_markup"]


async def test_deep_link_survives_a_restart(make_app: AppFactory, api: BotApi, engine: FakeEngine) -> None:
    updates = Updates()
    async with make_app() as first:
        await first.process_update(Update.de_json(updates.message(LONG_GAZELLE_Q), first.bot))
    [reply] = api.of("sendMessage")
    token = button(reply, render.BUTTON_SHARE)["callback_data"][2:]
    assert token.startswith(STORED_TAG)

    api.clear()
    async with make_app() as second:  # a new process: nothing in memory, same state directory
        await second.process_update(Update.de_json(updates.message(f"/start {token}"), second.bot))
        await second.process_update(Update.de_json(updates.message("/start kBBBBBBBBBBBBBBBBBBBBBB"), second.bot))
    again, unknown = api.of("sendMessage")
    assert again["text"] == reply["text"]
    assert unknown["text"] == STALE_LINK_TEXT


async def test_plain_start_payloads_fall_back_to_the_greeting(harness: Harness) -> None:
    reply = await ask(harness, "/start hello")
    assert len(buttons(reply)) == len(EXAMPLE_QUESTIONS)
    reply = await ask(harness, "/start help")
    assert DOC.title in reply["text"]


# -- inline mode ---------------------------------------------------------------------------------------


async def test_inline_query_offers_the_answer_as_an_html_article(harness: Harness) -> None:
    await harness.feed(harness.updates.inline("瞪羚企业目标"))
    [call] = harness.api.of("answerInlineQuery")
    [article] = call["results"]
    assert article["type"] == "article"
    assert article["title"] == GAZELLE_ANSWER
    assert SENTENCES[GAZELLE].text[:20] in article["description"]
    content = article["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert content["message_text"].startswith(f"<b>{GAZELLE_ANSWER}</b>")
    assert_valid_html(content["message_text"])
    assert call["is_personal"] == "true"  # answers depend on who asks (allowlist)
    assert len(article["id"]) <= 64


async def test_empty_inline_query_offers_help(harness: Harness) -> None:
    await harness.feed(harness.updates.inline("  "))
    [call] = harness.api.of("answerInlineQuery")
    assert call["results"] == [] and call["button"]["start_parameter"] == "help"
    assert harness.engine.questions == []


# -- access --------------------------------------------------------------------------------------------


def stranger_update(kind: str, updates: Updates) -> dict[str, Any]:
    if kind == "message":
        return updates.message(GAZELLE_Q, sender=MALLORY)
    if kind == "edited message":
        return updates.message(GAZELLE_Q, sender=MALLORY, edited=True)
    if kind == "command":
        return updates.message("/help", sender=MALLORY)
    if kind == "deep link":
        return updates.message("/start qMjAyMuW5tA", sender=MALLORY)
    if kind == "callback":
        return updates.callback("o:qMjAyMuW5tA", sender=MALLORY)
    if kind == "inline query":
        return updates.inline("瞪羚", sender=MALLORY)
    if kind == "group mention":
        return updates.message(f"@{BOT_USERNAME} 瞪羚", sender=MALLORY, chat_id=OTHER_GROUP)
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind", ["message", "edited message", "command", "deep link", "callback", "inline query", "group mention"]
)
async def test_stranger_gets_one_short_refusal_and_nothing_else(harness: Harness, kind: str) -> None:
    await harness.feed(stranger_update(kind, harness.updates))
    [call] = harness.api.user_calls()
    assert harness.engine.questions == []
    if kind == "callback":
        assert call.method == "answerCallbackQuery"
        assert call.params["text"] == refusal_text(MALLORY) and call.params["show_alert"] == "true"
    elif kind == "inline query":
        assert call.method == "answerInlineQuery"
        assert call.params["results"] == [] and call.params["button"]["start_parameter"] == "denied"
    else:
        assert call.method == "sendMessage"
        assert call.params["text"] == refusal_text(MALLORY)
        assert str(MALLORY) in call.params["text"]


async def test_a_stranger_is_refused_once_not_per_message(harness: Harness) -> None:
    for _ in range(3):
        await harness.say(GAZELLE_Q, sender=MALLORY)
    assert len(harness.api.of("sendMessage")) == 1


async def test_an_allowlisted_group_serves_all_its_members(harness: Harness) -> None:
    reply = await ask(harness, f"@{BOT_USERNAME} {GAZELLE_Q}", sender=MALLORY, chat_id=ALLOWED_GROUP)
    assert GAZELLE_ANSWER in reply["text"]


async def test_empty_allowlist_serves_nobody_unless_allow_all(make_app: AppFactory, api: BotApi) -> None:
    updates = Updates()
    async with make_app(allowed_users=frozenset(), allowed_chats=frozenset()) as closed:
        await closed.process_update(Update.de_json(updates.message(GAZELLE_Q), closed.bot))
    assert api.texts() == [refusal_text(ALICE)]
    api.clear()
    async with make_app(allowed_users=frozenset(), allowed_chats=frozenset(), allow_all=True) as public:
        await public.process_update(Update.de_json(updates.message(GAZELLE_Q, sender=MALLORY), public.bot))
    [reply] = api.texts()
    assert GAZELLE_ANSWER in reply


# -- groups --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["瞪羚企业目标", "@OtherBot 瞪羚企业目标", "/help@OtherBot", "邮件 a@b.com 瞪羚"],
)
async def test_group_ignores_messages_not_meant_for_the_bot(harness: Harness, text: str) -> None:
    for sender in (ALICE, MALLORY):
        await harness.say(text, sender=sender, chat_id=OTHER_GROUP)
    assert harness.api.user_calls() == []
    assert harness.engine.questions == []


async def test_group_answers_mentions_with_the_mention_removed(harness: Harness) -> None:
    reply = await ask(harness, f"@{BOT_USERNAME} 瞪羚企业目标", chat_id=OTHER_GROUP)
    assert harness.engine.questions[-1] == "瞪羚企业目标"
    assert GAZELLE_ANSWER in reply["text"]
    assert reply["reply_parameters"]["message_id"]  # in groups the answer quotes the question


async def test_group_answers_replies_to_the_bot_but_not_to_others(harness: Harness) -> None:
    bot_message = harness.updates.bot_message(chat_id=OTHER_GROUP)
    reply = await ask(harness, "申报数是多少", chat_id=OTHER_GROUP, reply_to=bot_message)
    assert APPLICATIONS_ANSWER in reply["text"]

    harness.api.clear()
    human = harness.updates.message("hi", sender=BOB, chat_id=OTHER_GROUP)["message"]
    await harness.say("申报数是多少", chat_id=OTHER_GROUP, reply_to=human)
    assert harness.api.user_calls() == []


async def test_group_answers_commands(harness: Harness) -> None:
    for command in ("/help", f"/help@{BOT_USERNAME}"):
        reply = await ask(harness, command, chat_id=OTHER_GROUP)
        assert DOC.title in reply["text"]


# -- rate limit ----------------------------------------------------------------------------------------


async def test_rate_limit_answers_a_burst_then_asks_to_slow_down_once(make_app: AppFactory, api: BotApi) -> None:
    updates = Updates()
    async with make_app(rate_limit_burst=2, rate_limit_per_minute=1) as app:
        for _ in range(4):
            await app.process_update(Update.de_json(updates.message(GAZELLE_Q), app.bot))
        await app.process_update(Update.de_json(updates.message(GAZELLE_Q, sender=BOB), app.bot))
    texts = api.texts()
    assert len(texts) == 4  # 2 answers, 1 notice (the 4th message is silently dropped), BOB's answer
    assert GAZELLE_ANSWER in texts[0] and GAZELLE_ANSWER in texts[1]
    assert texts[2].startswith("你问得太快了")
    assert GAZELLE_ANSWER in texts[3]


# -- robustness ----------------------------------------------------------------------------------------


async def test_engine_error_gets_an_apology_and_the_token_never_reaches_the_logs(
    make_app: AppFactory, api: BotApi, engine: FakeEngine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # before the Bot exists: PTB logs its API URL when it is created
    harness = Harness(make_app(), api, Updates(), engine)
    async with harness.app:
        await harness.say(GAZELLE_Q)  # a normal exchange first: request logging would show the URL here
        harness.api.clear()
        await harness.say("爆炸")
    assert harness.api.texts() == [APOLOGY_TEXT]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and errors[0].exc_info and isinstance(errors[0].exc_info[1], FakeEngineError)
    assert caplog.records, "logging was captured"
    assert TOKEN not in caplog.text
    assert TOKEN.split(":")[1] not in caplog.text
    assert not any("/bot" in r.getMessage() for r in caplog.records)  # no Bot API URL at all


async def test_engine_error_under_a_button_answers_the_query_with_an_apology(harness: Harness) -> None:
    reply = await ask(harness, GAZELLE_Q)
    harness.engine.ask = _explode  # type: ignore[method-assign]
    harness.api.clear()
    await harness.tap(button(reply, render.BUTTON_CONTEXT)["callback_data"], message=as_bot_message(reply, harness))
    [answered] = harness.api.of("answerCallbackQuery")
    assert answered["text"] == APOLOGY_TEXT
    assert harness.api.of("sendMessage") == []


def _explode(question: str) -> Any:
    raise FakeEngineError("boom")


async def test_slow_answer_does_not_block_other_users(harness: Harness) -> None:
    slow = asyncio.create_task(harness.say("慢 瞪羚", sender=BOB))
    await asyncio.sleep(0.05)  # BOB's question is now being computed in a worker thread
    started = time.perf_counter()
    await harness.say("申报数是多少")
    assert time.perf_counter() - started < harness.engine.slow_s / 2
    assert not slow.done()
    await asyncio.wait_for(slow, timeout=5)
    first, second = harness.api.texts()
    assert APPLICATIONS_ANSWER in first and GAZELLE_ANSWER in second


async def test_sending_a_reply_retries_on_timeouts(harness: Harness) -> None:
    harness.api.fail("sendMessage", httpx.ReadTimeout("slow network"), httpx.ConnectError("connection reset"))
    await harness.say(GAZELLE_Q)
    texts = harness.api.texts()
    assert len(texts) == 3 and len(set(texts)) == 1 and GAZELLE_ANSWER in texts[-1]


async def test_sending_gives_up_after_bounded_attempts_then_apologizes(harness: Harness) -> None:
    harness.api.fail("sendMessage", *[httpx.ReadTimeout("down") for _ in range(SEND_ATTEMPTS)])
    await harness.say(GAZELLE_Q)
    texts = harness.api.texts()
    assert len(texts) == SEND_ATTEMPTS + 1
    assert texts[-1] == APOLOGY_TEXT


async def test_bad_request_is_not_retried(harness: Harness) -> None:
    harness.api.fail("sendMessage", bad_request("Bad Request: can't parse entities"))
    await harness.say(GAZELLE_Q)
    assert len(harness.api.texts()) == 2  # the failed answer once, then the apology


async def test_private_non_text_and_unknown_commands_get_a_hint(harness: Harness) -> None:
    reply = await ask(harness, "/frobnicate")
    assert "/help" in reply["text"]
    harness.api.clear()
    payload = harness.updates.message("x")
    del payload["message"]["text"]
    payload["message"]["sticker"] = {
        "file_id": "f",
        "file_unique_id": "u",
        "type": "regular",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
    }
    await harness.feed(payload)
    [hint] = harness.api.texts()
    assert "文字" in hint


async def test_share_view_of_an_inline_message_leaves_out_the_copy_button(harness: Harness) -> None:
    reply = await ask(harness, GAZELLE_Q)
    harness.api.clear()
    await harness.tap(button(reply, render.BUTTON_SHARE)["callback_data"], inline_message_id="IM2")
    [edit] = harness.api.of("editMessageText")
    assert [b["text"] for b in buttons(edit)] == [render.BUTTON_BACK, render.BUTTON_CONTEXT, render.BUTTON_FORWARD]


async def test_inline_queries_cost_a_fraction_of_a_message(make_app: AppFactory, api: BotApi) -> None:
    updates = Updates()
    typed = ["瞪", "瞪羚", "瞪羚企", "瞪羚企业", "瞪羚企业目", "瞪羚企业目标", "瞪羚企业目标？", "瞪羚企业目标是"]
    async with make_app(rate_limit_burst=2, rate_limit_per_minute=1) as app:
        for text in [*typed, "one too many"]:
            await app.process_update(Update.de_json(updates.inline(text), app.bot))
    calls = api.of("answerInlineQuery")
    assert len(calls) == len(typed) + 1
    assert all(call["results"] for call in calls[:-1])  # a burst of 2 covers 8 keystrokes
    assert calls[-1]["results"] == []
