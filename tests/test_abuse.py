"""Under load, on loopback, with Telegram's 30 messages/s: /nood first, fair between chats,
memory bounded (issue 13 item 4). Order is asserted, not time."""

from __future__ import annotations

from bot.core import Core
from tests.auxil.tg import running_bot
from tests.fakebot.client import FakeUser
from tests.fakebot.server import FakeBotApi


def reply_seq(api: FakeBotApi, chat: int) -> int:
    return next(c.seq for c in api.calls if c.method == "sendMessage" and c.ok
                and c.result["chat"]["id"] == chat)


async def test_nood_is_answered_ahead_of_a_backlog(api: FakeBotApi, core: Core) -> None:
    async with running_bot(api, core, queue_max=1000) as bot:
        for chat in range(150):
            api.send_command(200_000 + chat, "/start")
        await api.wait_for(lambda c: c.method == "sendMessage" and c.ok, timeout=10)
        urgent = FakeUser(api, 5555)
        await urgent.send("/nood")
        reply = await urgent.reply(timeout=10)
        assert "112" in reply.text and "0800-2000" in reply.text
        seq = reply_seq(api, 5555)
        waiting_then = 150 - len({c.result["chat"]["id"] for c in api.calls[:seq]
                                  if c.method == "sendMessage" and c.ok})
        assert waiting_then >= 100, "the backlog was still there, and /nood went first"
        assert bot.service.queue.stats.urgent >= 1


async def test_heavy_users_do_not_make_a_calm_one_wait_for_all_of_them(
        api: FakeBotApi, core: Core) -> None:
    async with running_bot(api, core, flood_max_updates=30, flood_window_seconds=10) as bot:
        heavy = [FakeUser(api, 300_000 + i) for i in range(20)]
        for user in heavy:
            await user.send("/start")
        for _ in range(5):  # each just under the flood limit
            for user in heavy:
                api.send_text(user.chat_id, "nog een keer")
        calm = FakeUser(api, 6666)
        await calm.send("/start")
        assert "direct gevaar" in (await calm.reply(timeout=20)).text
        await bot.service.intake.idle()
        seq = reply_seq(api, 6666)
        heavy_ids = {u.chat_id for u in heavy}
        later = [c for c in api.calls[seq:] if c.method == "sendMessage" and c.ok
                 and c.result["chat"]["id"] in heavy_ids]
        total = [c for c in api.calls if c.method == "sendMessage" and c.ok
                 and c.result["chat"]["id"] in heavy_ids]
        assert len(later) >= len(total) // 2, "the calm user was served within the first rounds"


async def test_a_flood_of_new_chats_is_shed_not_hoarded(api: FakeBotApi, core: Core) -> None:
    async with running_bot(api, core, queue_max=100) as bot:
        for chat in range(3000):
            api.send_command(400_000 + chat, "/start")
        await api.wait_for(lambda c: c.method == "getUpdates" and c.ok
                           and not api._updates, timeout=20)
        assert len(bot.service.queue) <= 100
        late = FakeUser(api, 7777)
        await late.send("/start")
        assert "direct gevaar" in (await late.reply(timeout=20)).text
        assert bot.service.queue.stats.shed >= 2800
