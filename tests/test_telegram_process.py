"""The unmodified `python -m bot` process: token never printed, restarts never silent."""

from __future__ import annotations

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
