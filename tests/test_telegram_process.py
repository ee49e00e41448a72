"""The unmodified `python -m bot` process: token never printed, restarts never silent."""

from __future__ import annotations

import asyncio
import signal

from tests.auxil.process import BotProcess
from tests.fakebot.client import FakeUser
from tests.fakebot.server import FakeBotApi


async def test_process_answers_and_never_prints_the_token(api: FakeBotApi) -> None:
    bot = BotProcess(api)
    await bot.start()
    try:
        user = FakeUser(api, 5151)
        await user.send("/start")
        first = await user.reply(timeout=10)
        assert "direct gevaar" in first.text
        api.inject("sendMessage", status=502)
        await user.send("/nood")
        acute = await user.reply(timeout=10)
        assert "0800-2000" in acute.text
    finally:
        code = await bot.stop()
    assert code == 0
    output = bot.stdout + bot.stderr
    assert "polling" in output  # it did log, at DEBUG level...
    assert api.token not in output  # ...but never the token
    assert api.token.split(":")[1] not in output


async def test_restart_mid_dialog_gives_a_clear_message(api: FakeBotApi) -> None:
    user = FakeUser(api, 6262)
    first_run = BotProcess(api)
    await first_run.start()
    await user.send("/start")
    first = await user.reply(timeout=10)
    no = next(data for row in first.buttons for label, data in row if label == "Nee")
    moved = await user.click(no or "")
    assert moved.screen is not None and "kinderen" in moved.screen.text
    await first_run.stop(signal.SIGKILL)  # killed mid-dialog, no clean shutdown

    second_run = BotProcess(api)
    await second_run.start()
    try:
        screen = user.screen
        assert screen is not None and screen.buttons
        press = await user.click(screen.buttons[0][0][1] or "", expect_message=False, timeout=10)
        assert press.answer is not None, "an old button is answered, not ignored"
        assert "/start" in press.answer["text"]
        await user.send("ja")
        reply = await user.reply(timeout=10)
        assert "/start" in reply.text
        await user.send("/start")
        assert "direct gevaar" in (await user.reply(timeout=10)).text
    finally:
        await second_run.stop()


def assert_no_token(bot: BotProcess, api: FakeBotApi) -> None:
    output = bot.stdout + bot.stderr
    assert api.token not in output
    assert api.token.split(":")[1] not in output


async def test_a_refused_token_ends_the_process_non_zero(api: FakeBotApi) -> None:
    """Issue 13 item 5: one 401 on getUpdates ended polling silently; the process lived on."""
    bot = BotProcess(api)
    await bot.start()
    api.inject("getUpdates", status=401, description="Unauthorized")
    code = await bot.exited(timeout=20)
    assert code == 3
    assert "refused the token" in bot.stderr
    assert_no_token(bot, api)


async def test_a_redirect_loop_never_prints_the_token(api: FakeBotApi) -> None:
    """Issue 13 item 2: aiohttp's TooManyRedirects quoted the URL (with the token) in a
    chained exception, which the log printed in its traceback."""
    bot = BotProcess(api)
    api.inject("getMe", redirect=True)  # at start-up: the traceback went straight to stderr
    await bot.start()
    try:
        api.inject("getUpdates", redirect=True)
        api.inject("sendMessage", redirect=True)
        user = FakeUser(api, 5252)
        await user.send("/start")
        assert "direct gevaar" in (await user.reply(timeout=20)).text
        assert [c for c in api.calls if c.fault == "redirect"]
    finally:
        code = await bot.stop()
    assert_no_token(bot, api)
    assert code == 0
    assert "getUpdates failed" in bot.stderr


async def test_a_bad_port_in_the_api_url_is_a_clear_error_without_the_token(api: FakeBotApi) -> None:
    bot = BotProcess(api, {"TELEGRAM_API_BASE_URL": "http://127.0.0.1:99999/bot"})
    await bot.spawn()
    code = await bot.exited()
    assert code == 2
    assert "TELEGRAM_API_BASE_URL" in bot.stdout + bot.stderr
    assert_no_token(bot, api)


async def test_an_unreachable_api_at_start_is_an_error_without_the_token(api: FakeBotApi) -> None:
    bot = BotProcess(api, {"TELEGRAM_API_BASE_URL": "http://127.0.0.1:9/bot",
                           "BESCHERMWIJZER_RETRY_BUDGET": "1"})
    await bot.spawn()
    code = await bot.exited()
    assert code == 1
    assert "cannot start" in bot.stderr
    assert_no_token(bot, api)


async def test_unreadable_updates_and_bad_json_leave_no_trace_in_the_output(api: FakeBotApi) -> None:
    """Issue 13 item 1: PTB logged whole batches (typed text included) at CRITICAL and
    fetched the same batch again ~470 times a second; invalid JSON was logged at ERROR."""
    marker = "PRIVbatch0815"
    bot = BotProcess(api)
    await bot.start()
    try:
        api.inject("getUpdates", raw_body=b'{"ok": true, "result": [{"update_id": 1, "text": "'
                   + marker.encode())
        bad = api.push_raw({"message": {"message_id": 1, "text": f"{marker} typed this",
                                        "chat": {"id": 5353, "type": "private"},
                                        "from": {"id": 5353, "is_bot": False, "first_name": marker}}})
        user = FakeUser(api, 5354)
        await user.send("/start")
        assert "direct gevaar" in (await user.reply(timeout=20)).text
        polls_before = len([c for c in api.calls if c.method == "getUpdates"])
        await asyncio.sleep(1.0)
        polls_after = len([c for c in api.calls if c.method == "getUpdates"])
        assert polls_after - polls_before <= 3, "no hot loop over a bad batch"
        assert all(u["update_id"] != bad["update_id"] for u in api._updates), "offset moved on"
    finally:
        code = await bot.stop()
    assert code == 0
    output = bot.stdout + bot.stderr
    assert "unreadable update" in output
    assert marker not in output
    assert_no_token(bot, api)


async def test_sigterm_with_a_backlog_stops_within_ten_seconds(api: FakeBotApi) -> None:
    """Issue 17: stop taking updates, finish those in flight, exit 0 within 10 s even
    with a backlog (issue 13 item 4: SIGTERM had not finished after 60 s)."""
    bot = BotProcess(api, {"BESCHERMWIJZER_METRICS_PORT": "0"})
    await bot.start()
    for chat in range(400):  # at Telegram's 30 replies/s: more than 10 s of work
        api.send_command(100_000 + chat, "/start")
    await api.wait_for(lambda c: c.method == "sendMessage" and c.ok, timeout=10)
    urgent = FakeUser(api, 5455)
    mark = api.mark()
    await urgent.send("/nood")
    await api.wait_for(lambda c: c.method == "getUpdates" and any(
        u.get("message", {}).get("chat", {}).get("id") == 5455 for u in (c.result or [])),
        timeout=10, since=mark)
    assert bot.proc is not None
    started = asyncio.get_running_loop().time()
    code = await bot.stop(signal.SIGTERM)
    took = asyncio.get_running_loop().time() - started
    assert code == 0
    assert took < 10, f"stop took {took:.1f}s"
    assert "0800-2000" in (await urgent.reply(timeout=1)).text, "the update in flight was answered"
    answered = {m["chat"]["id"] for m in api.sent_messages()}
    assert len(answered) < 401, "there was a backlog to drop"
    assert "updates dropped" in bot.stderr
    print(f"\nSIGTERM with a backlog: exit 0 after {took:.1f}s; {len(answered)} of 401 chats answered")
    assert_no_token(bot, api)
