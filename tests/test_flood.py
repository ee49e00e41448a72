"""Flood control: one notice past the limit, then silence for a while; others unaffected."""

from __future__ import annotations

from bot.core import Core
from bot.telegram.flood import FloodGuard, Verdict
from tests.auxil.inproc import in_process_bot


def test_guard_counts_per_user_and_forgives_after_the_pause() -> None:
    now = [0.0]
    guard = FloodGuard(max_updates=3, window_seconds=10, pause_seconds=60, clock=lambda: now[0])
    assert [guard.check(1) for _ in range(3)] == [Verdict.OK] * 3
    assert guard.check(1) is Verdict.NOTIFY
    assert guard.check(1) is Verdict.DROP
    assert guard.check(2) is Verdict.OK  # another user is unaffected
    now[0] = 30
    assert guard.check(1) is Verdict.DROP
    now[0] = 61
    assert guard.check(1) is Verdict.OK
    now[0] = 200  # a slow, steady user never trips
    for i in range(20):
        now[0] += 4
        assert guard.check(3) is Verdict.OK, i
    guard.sweep()


async def test_flooding_user_gets_one_notice_then_silence(core: Core) -> None:
    async with in_process_bot(core, flood_max_updates=5, flood_window_seconds=60,
                              flood_pause_seconds=60) as bot:
        api = bot.api
        for _ in range(12):
            await bot.feed(api.send_text(7001, "spam"))
        await bot.feed(api.send_command(7002, "/start"))  # a calm user in the meantime
        to_flooder = [m["text"] for m in api.sent_messages(7001)]
        notices = [t for t in to_flooder if "veel berichten" in t]
        assert len(notices) == 1
        # 5 updates answered (2 messages each: hint + screen) or expired, then one notice
        assert len(to_flooder) <= 5 * 2 + 1
        calm = api.sent_messages(7002)
        assert calm and "direct gevaar" in calm[-1]["text"]
        # Presses within the limit are answered; the one that crosses it is answered and
        # brings the notice; once muted, a press costs no Bot API call at all (issue 13
        # item 9: it used to cost one answerCallbackQuery per press).
        await bot.feed(api.send_command(7003, "/start"))
        first = api.sent_messages(7003)[-1]
        data = first["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        presses = []
        for _ in range(8):
            update = api.press(7003, first, data)
            presses.append(update["callback_query"]["id"])
            await bot.feed(update)
        answered = [c.params.get("callback_query_id") for c in api.calls
                    if c.method == "answerCallbackQuery"]
        assert answered == presses[:5], "the first five (limit 5 with /start: four, then the notice)"
        notices = [m for m in api.sent_messages(7003) if "veel berichten" in m["text"]]
        assert len(notices) == 1
        calls_when_muted = len(api.calls)
        for _ in range(20):
            await bot.feed(api.press(7003, first, data))
        assert len(api.calls) == calls_when_muted, "a muted user costs nothing"


async def test_nood_is_never_muted(core: Core) -> None:
    async with in_process_bot(core, flood_max_updates=3, flood_window_seconds=60,
                              flood_pause_seconds=60) as bot:
        api = bot.api
        for _ in range(6):
            await bot.feed(api.send_text(7101, "help"))
        assert bot.handlers.flood.check(7101).value == "drop"  # muted now
        await bot.feed(api.send_command(7101, "/nood"))
        acute = api.sent_messages(7101)[-1]["text"]
        assert "112" in acute and "0800-2000" in acute
