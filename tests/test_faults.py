"""Fault injection on the fake Bot API: the bot recovers by itself and loses no reply.

Each test prints what was injected and what it took (run with -s to see the counts).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from bot.core import Core
from bot.ui import actions as act
from tests.auxil.tg import BotUnderTest, running_bot
from tests.fakebot.client import FakeUser
from tests.fakebot.server import QUERY_TOO_OLD, FakeBotApi

QUESTION = "Is er nu iemand in direct gevaar"


@pytest_asyncio.fixture
async def bot(api: FakeBotApi, core: Core) -> AsyncIterator[BotUnderTest]:
    async with running_bot(api, core, send_timeout=1.0) as running:
        yield running


def report(api: FakeBotApi, label: str, started: float) -> None:
    failed = sum(1 for c in api.calls if not c.ok)
    print(f"\n{label}: {failed} failed calls survived, reply after {time.monotonic() - started:.2f}s")


@pytest.mark.parametrize(("method", "fault"), [
    ("sendMessage", {"retry_after": 1, "times": 2}),
    ("sendMessage", {"status": 502, "times": 3}),
    ("sendMessage", {"status": 500}),
    ("sendMessage", {"status": 503}),
    ("sendMessage", {"drop": True, "times": 2}),
    ("answerCallbackQuery", {"status": 502}),
    ("editMessageText", {"status": 502}),
    ("editMessageText", {"retry_after": 1}),
])
async def test_transient_faults_lose_no_reply(bot: BotUnderTest, api: FakeBotApi,
                                              method: str, fault: dict[str, Any]) -> None:
    user = FakeUser(api, 4321)
    started = time.monotonic()
    api.inject(method, **fault)
    await user.send("/start")
    first = await user.reply(timeout=10)
    assert QUESTION in first.text
    clicked = await user.click(bot.data_for(first, user, act.NO), timeout=10)
    assert clicked.screen is not None and "kinderen" in clicked.screen.text
    assert clicked.answer is not None
    injected = [c for c in api.calls if c.method == method and c.fault]
    assert len(injected) == fault.get("times", 1)
    report(api, f"{method} {fault}", started)


async def test_timeout_then_retry(bot: BotUnderTest, api: FakeBotApi) -> None:
    """A slow answer (longer than the read timeout) is retried; the reply arrives."""
    user = FakeUser(api, 4322)
    started = time.monotonic()
    api.inject("sendMessage", delay=1.6)
    await user.send("/start")
    reply = await user.reply(timeout=10)
    assert QUESTION in reply.text
    await api.wait_for(lambda c: c.fault == "delay", timeout=5, since=0)
    # the slow call may still have landed: then the user saw the question twice, never zero
    copies = [m for m in api.sent_messages(4322) if QUESTION in m.get("text", "")]
    assert 1 <= len(copies) <= 2
    report(api, "sendMessage slower than the timeout", started)


async def test_persistent_failure_ends_in_the_error_handler_not_a_crash(
        api: FakeBotApi, core: Core) -> None:
    async with running_bot(api, core, retry_budget=1.0) as bot:
        user = FakeUser(api, 4323)
        api.outage("sendMessage", 3.0)
        await user.send("/start")
        await api.wait_for(lambda c: c.method == "sendMessage" and not c.ok, timeout=5)
        await asyncio.sleep(3.5)
        assert bot.handlers.errors >= 1
        await user.send("/start")  # after the outage the bot works as before
        assert QUESTION in (await user.reply(timeout=10)).text


async def test_an_outage_shorter_than_the_retry_budget_loses_no_reply(
        api: FakeBotApi, core: Core) -> None:
    """Issue 13 item 8: retries used to span 1.6 s, so a reply during an outage was lost."""
    async with running_bot(api, core) as bot:
        user = FakeUser(api, 4325)
        started = time.monotonic()
        api.outage("sendMessage", 4.0, status=503)
        await user.send("/start")
        reply = await user.reply(timeout=20)
        assert QUESTION in reply.text
        failed = [c for c in api.calls if c.method == "sendMessage" and not c.ok]
        assert len(failed) >= 2, "the outage was hit and retried through"
        assert bot.handlers.errors == 0
        assert len([m for m in api.sent_messages(4325) if QUESTION in m["text"]]) == 1
        report(api, "sendMessage outage 4 s", started)


async def test_a_slow_send_is_waited_for_not_sent_twice(api: FakeBotApi, core: Core) -> None:
    """Issue 13 item 8: a send slower than the (poll-sized) 10 s read timeout was retried
    while the first copy still landed. Sends now wait longer than polls do."""
    async with running_bot(api, core) as bot:
        assert bot.service.settings.send_timeout > 10 + 1
        user = FakeUser(api, 4326)
        api.inject("sendMessage", delay=10.5)
        await user.send("/start")
        reply = await user.reply(timeout=20)
        assert QUESTION in reply.text
        await api.wait_for(lambda c: c.fault == "delay", timeout=15, since=0)  # the slow one landed
        await asyncio.sleep(0.5)  # and a retry, had there been one, too
        copies = [m for m in api.sent_messages(4326) if QUESTION in m.get("text", "")]
        assert len(copies) == 1


async def test_a_429_for_one_chat_delays_only_that_chat(api: FakeBotApi, core: Core) -> None:
    """Issue 13 item 3: AIORateLimiter paused every request for any retry_after."""
    async with running_bot(api, core) as bot:
        flooded, others = FakeUser(api, 4401), [FakeUser(api, 4402 + i) for i in range(3)]
        api.inject("sendMessage", retry_after=20)
        await flooded.send("/start")
        await api.wait_for(lambda c: c.method == "sendMessage" and c.status == 429, timeout=5)
        started = time.monotonic()
        for user in others:
            await user.send("/start")
        for user in others:
            assert QUESTION in (await user.reply(timeout=5)).text
        waited = time.monotonic() - started
        # the flooded chat is not asked again before Telegram's 20 s are over
        retried = [c for c in api.calls if c.method == "sendMessage" and c.ok
                   and c.result["chat"]["id"] == 4401]
        assert retried == []
        print(f"\nthree other users answered {waited:.2f}s after a 20 s 429 on one chat")
        assert bot.service.alive()


async def test_a_429_longer_than_the_budget_is_not_waited_for(api: FakeBotApi, core: Core) -> None:
    """retry_after=300 used to hold the update (and a stop) for five minutes."""
    async with running_bot(api, core) as bot:
        user = FakeUser(api, 4410)
        api.inject("sendMessage", retry_after=300)
        await user.send("/start")
        await api.wait_for(lambda c: c.method == "sendMessage" and c.status == 429, timeout=5)
        await bot.service.intake.idle()  # ended in the error handler, not waiting
        assert bot.handlers.errors == 1
        calls = [c for c in api.calls if c.method == "sendMessage"]
        assert len(calls) == 1, "nothing more is sent to that chat while it is blocked"


async def test_get_updates_outage_of_30_seconds(bot: BotUnderTest, api: FakeBotApi) -> None:
    user = FakeUser(api, 4324)
    started = time.monotonic()
    api.outage("getUpdates", 30.0)
    await asyncio.sleep(0.5)
    await user.send("/start")  # waits at Telegram until polling works again
    reply = await user.reply(timeout=50)
    waited = time.monotonic() - started
    assert QUESTION in reply.text
    assert waited >= 29
    failed_polls = sum(1 for c in api.calls if c.method == "getUpdates" and not c.ok)
    assert failed_polls >= 3
    print(f"\ngetUpdates outage 30s: {failed_polls} failed polls, reply after {waited:.1f}s")


async def test_a_failed_callback_answer_still_shows_the_screen_of_the_session(
        bot: BotUnderTest, api: FakeBotApi) -> None:
    """Issue 13 item 7: the press was applied, the answer failed ("query is too old") and
    the new screen was never shown: the session ran ahead of what the user saw."""
    user = FakeUser(api, 4601)
    await user.send("/start")
    first = await user.reply(timeout=10)
    api.inject("answerCallbackQuery", status=400, description="Bad Request: " + QUERY_TOO_OLD)
    clicked = await user.click(bot.data_for(first, user, "n"), timeout=2)
    assert clicked.screen is not None and "kinderen" in clicked.screen.text
    assert [c for c in api.calls if c.method == "answerCallbackQuery" and not c.ok], "it failed"
    session = bot.core.sessions.get("4601")
    assert session is not None
    shown = {bot.codec.decode(4601, data).step for row in clicked.screen.buttons
             for _, data in row if data}
    assert shown == {session.step}, "the buttons on screen belong to the session's step"


async def test_a_press_without_a_message_is_answered(bot: BotUnderTest, api: FakeBotApi) -> None:
    """Issue 13 item 9: a press on an inline-mode message (no `message`) was never answered."""
    update = api.push_raw({"callback_query": {
        "id": "777001", "chat_instance": "1", "inline_message_id": "AAAA", "data": "x|1|y|z",
        "from": {"id": 4602, "is_bot": False, "first_name": "T", "language_code": "nl"}}})
    api._pending_queries.add("777001")
    call = await api.wait_for(lambda c: c.method == "answerCallbackQuery", timeout=5, since=0)
    assert call.ok and call.params["callback_query_id"] == update["callback_query"]["id"]


async def test_a_numeric_language_code_is_ignored_not_fatal(bot: BotUnderTest, api: FakeBotApi) -> None:
    """Issue 13 item 9: a non-string language_code crashed the handler and the error handler."""
    api.push_raw({"message": {
        "message_id": 1, "date": 1_700_000_000, "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        "chat": {"id": 4603, "type": "private", "first_name": "T"},
        "from": {"id": 4603, "is_bot": False, "first_name": "T", "language_code": 31}}})
    reply = await api.next_message(4603, timeout=10)
    assert QUESTION in reply["text"]
    assert bot.handlers.errors == 0
