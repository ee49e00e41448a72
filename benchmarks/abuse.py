"""Rerun issue 13's attack scenarios on loopback: the unmodified bot (`python -m bot`) as
its own process against the fake Bot API, production defaults. Prints one line per
measurement and writes abuse.json; the README's Reliability section quotes it.

    .venv/bin/python -m benchmarks.abuse [--flood N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from tests.fakebot.client import FakeUser
from tests.fakebot.server import FakeBotApi

ROOT = Path(__file__).resolve().parents[1]
RESULTS: dict[str, Any] = {}


def note(key: str, value: Any, what: str) -> None:
    RESULTS[key] = value
    print(f"{key:34} {value!s:>12}  {what}", flush=True)


class Bot:
    def __init__(self, api: FakeBotApi, **env: str) -> None:
        self.api = api
        self.env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(ROOT),
                    "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
                    "BESCHERMWIJZER_LOG_LEVEL": "INFO", **env}
        self.proc: asyncio.subprocess.Process | None = None
        self.stderr = b""

    async def start(self, wait: bool = True) -> None:
        mark = self.api.mark()
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=ROOT, env=self.env, stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        if wait:
            await self.api.wait_for(lambda c: c.method == "deleteWebhook", timeout=30, since=mark)

    def rss_mb(self) -> float:
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    async def stop(self, timeout: float = 60) -> tuple[int, float]:
        assert self.proc is not None
        started = time.monotonic()
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(self.proc.communicate(), timeout)
        self.stderr += err
        return int(self.proc.returncode or 0), time.monotonic() - started


async def unreadable_update() -> None:
    async with FakeBotApi() as api:
        bot = Bot(api)
        await bot.start()
        polls = api.mark()
        api.push_raw({"message": {"message_id": 1, "text": "typed text",
                                  "chat": {"id": 9, "type": "private"}}})
        user = FakeUser(api, 10)
        started = time.monotonic()
        await user.send("/start")
        await user.reply(timeout=10)
        note("unreadable_then_valid_reply_s", round(time.monotonic() - started, 3),
             "reply to the update batched with an unreadable one")
        await asyncio.sleep(10)
        gets = len([c for c in api.calls[polls:] if c.method == "getUpdates"])
        code, _ = await bot.stop()
        note("unreadable_polls_in_10s", gets, "getUpdates calls in the 10 s after it (was ~4,700)")
        note("unreadable_log_bytes", len(bot.stderr), "bytes of log in those ~11 s (was 20-27 MB)")
        note("unreadable_exit_code", code, "on SIGTERM (was 1)")


async def chat_429() -> None:
    async with FakeBotApi() as api:
        bot = Bot(api)
        await bot.start()
        api.inject("sendMessage", retry_after=30)
        await FakeUser(api, 20).send("/start")
        await api.wait_for(lambda c: c.status == 429, timeout=10)
        started = time.monotonic()
        waits = []
        others = [FakeUser(api, 21 + i) for i in range(3)]
        for user in others:
            await user.send("/start")
        for user in others:
            await user.reply(timeout=40)
            waits.append(time.monotonic() - started)
        note("429_other_users_max_wait_s", round(max(waits), 2),
             "three other users during one chat's retry_after=30 (was 29.6)")
        api.inject("sendMessage", retry_after=300)
        await FakeUser(api, 30).send("/start")
        await api.wait_for(lambda c: c.status == 429, timeout=10, since=api.mark() - 1)
        code, took = await bot.stop()
        note("429_300_stop_s", round(took, 2), f"SIGTERM with a chat told to wait 300 s, exit {code}"
             " (was >40)")


async def backlog(flood: int) -> None:
    async with FakeBotApi() as api:
        bot = Bot(api)
        await bot.start()
        rss_before = bot.rss_mb()
        for chat in range(flood):
            api.send_command(1_000_000 + chat, "/start")
        await asyncio.sleep(0.5)
        urgent = FakeUser(api, 77)
        started = time.monotonic()
        await urgent.send("/nood")
        await urgent.reply(timeout=30)
        nood = time.monotonic() - started
        peak = bot.rss_mb()
        for _ in range(40):
            if not api._updates:
                break
            await asyncio.sleep(0.25)
            peak = max(peak, bot.rss_mb())
        fetched_at = time.monotonic()
        late = FakeUser(api, 78)
        await late.send("/start")
        await late.reply(timeout=60)
        newcomer = time.monotonic() - fetched_at
        peak = max(peak, bot.rss_mb())
        for chat in range(flood):  # a second flood, and the stop right into it
            api.send_command(3_000_000 + chat, "/start")
        await asyncio.sleep(1.0)
        code, took = await bot.stop()
        answered = len({m["chat"]["id"] for m in api.sent_messages()})
        note("flood_updates", flood, "distinct chats sending /start at once")
        note("flood_nood_reply_s", round(nood, 2), "/nood sent during the flood, answered after")
        note("flood_rss_mb", f"{rss_before:.0f}->{peak:.0f}", "bot RSS before -> peak (was 62 -> 344 at 50k)")
        note("flood_newcomer_reply_s", round(newcomer, 2), "a new user's /start after the flood was fetched")
        note("flood_stop_s", round(took, 2), f"SIGTERM to exit (code {code}) with the backlog (was >60)")
        note("flood_chats_answered", answered, f"of {2 * flood + 2} chats answered; the rest shed or dropped")


async def heavy_users() -> None:
    async with FakeBotApi() as api:
        bot = Bot(api)
        await bot.start()
        heavy = [1_500_000 + i for i in range(30)]
        calm = [FakeUser(api, 1_600_000 + i) for i in range(20)]
        stop = asyncio.Event()

        async def hammer() -> None:
            while not stop.is_set():
                for chat in heavy:  # 2.9 updates/s each: just under 30 per 10 s
                    api.send_text(chat, "nog een keer")
                await asyncio.sleep(1 / 2.9)

        task = asyncio.create_task(hammer())
        await asyncio.sleep(3)
        waits = []
        for user in calm:
            started = time.monotonic()
            await user.send("/start")
            await user.reply(timeout=60)
            waits.append(time.monotonic() - started)
            await asyncio.sleep(0.3)
        stop.set()
        await task
        await bot.stop()
        note("heavy_calm_median_s", round(statistics.median(waits), 2),
             "calm users' reply under 30 users just under the flood limit (was 5.8)")
        note("heavy_calm_max_s", round(max(waits), 2), "the slowest of those 20 replies (was 19.6)")


async def refused_token() -> None:
    async with FakeBotApi() as api:
        bot = Bot(api)
        await bot.start()
        api.inject("getUpdates", status=401, description="Unauthorized")
        assert bot.proc is not None
        started = time.monotonic()
        await asyncio.wait_for(bot.proc.wait(), 30)
        note("401_exit_code", bot.proc.returncode,
             f"after {time.monotonic() - started:.1f}s (was: kept running)")


async def outage_and_slow_send() -> None:
    async with FakeBotApi() as api:
        bot = Bot(api)
        await bot.start()
        user = FakeUser(api, 40)
        api.outage("sendMessage", 10.0, status=503)
        started = time.monotonic()
        await user.send("/start")
        await user.reply(timeout=40)
        note("outage_10s_reply_s", round(time.monotonic() - started, 1),
             "reply to an update sent at the start of a 10 s outage (was lost)")
        slow = FakeUser(api, 41)
        api.inject("sendMessage", delay=12.0)
        await slow.send("/start")
        await slow.reply(timeout=40)
        await asyncio.sleep(1)
        copies = len(api.sent_messages(41))
        await bot.stop()
        note("slow_send_12s_copies", copies, "copies of a reply whose send took 12 s (was 2)")


async def webhook_abuse() -> None:
    async with FakeBotApi() as api:
        port = 18_000 + os.getpid() % 1000
        bot = Bot(api, TELEGRAM_WEBHOOK_URL="https://bot.example.invalid/telegram",
                  TELEGRAM_WEBHOOK_SECRET="s3cret", TELEGRAM_WEBHOOK_PORT=str(port))
        mark = api.mark()
        await bot.start(wait=False)
        await api.wait_for(lambda c: c.method == "setWebhook", timeout=30, since=mark)
        base = bot.rss_mb()

        async def big(secret: str, size: int) -> bytes:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            head = (f"POST /telegram HTTP/1.1\r\nHost: x\r\nX-Telegram-Bot-Api-Secret-Token: {secret}\r\n"
                    f"Content-Length: {size}\r\n\r\n").encode()
            writer.write(head)
            chunk = b"x" * 65536
            try:
                sent = 0
                while sent < size:
                    writer.write(chunk)
                    await writer.drain()
                    sent += len(chunk)
            except ConnectionError:
                pass
            try:
                answer = await asyncio.wait_for(reader.read(100), 5)
            except (TimeoutError, ConnectionError):
                answer = b""
            writer.close()
            return answer

        first = await big("wrong", 50_000_000)
        note("webhook_50mb_wrong_secret", first[:12].decode(errors="replace"),
             f"answer; RSS {base:.0f}->{bot.rss_mb():.0f} MB (was 67 -> 161)")
        answers = await asyncio.gather(*(big("s3cret", 90_000_000) for _ in range(6)))
        note("webhook_6x90mb", answers[0][:12].decode(errors="replace"),
             f"answer to each; RSS {bot.rss_mb():.0f} MB (was a 710 MB peak)")
        slow = []
        for _ in range(1100):
            try:
                slow.append(await asyncio.open_connection("127.0.0.1", port))
            except OSError:
                break
        for _, writer in slow:
            writer.write(b"POST /telegram HTTP/1.1\r\n")
        started = time.monotonic()
        status = 0
        for _ in range(30):
            try:
                status = await api.post_update_to(
                    f"http://127.0.0.1:{port}/telegram",
                    {"update_id": 5, "message": {
                        "message_id": 5, "date": 1_700_000_000, "text": "/start",
                        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
                        "chat": {"id": 50, "type": "private"},
                        "from": {"id": 50, "is_bot": False, "first_name": "x"}}},
                    secret_token="s3cret", timeout=2)
                if status == 200:
                    break
            except Exception:
                await asyncio.sleep(0.5)
        note("webhook_1100_slow_real_update_s", round(time.monotonic() - started, 1),
             f"until a real update got in (status {status}) next to 1,100 slow connections")
        for _, writer in slow:
            writer.close()
        await bot.stop()


async def main(flood: int, only: str | None) -> None:
    scenarios = {"unreadable": unreadable_update, "429": chat_429, "backlog": lambda: backlog(flood),
                 "heavy": heavy_users, "401": refused_token, "outage": outage_and_slow_send,
                 "webhook": webhook_abuse}
    for name, scenario in scenarios.items():
        if only is None or name == only:
            await scenario()
    if only is None:
        (ROOT / "abuse.json").write_text(json.dumps(RESULTS, indent=2) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--flood", type=int, default=10_000)
    parser.add_argument("--only", default=None)
    args = parser.parse_args()
    asyncio.run(main(args.flood, args.only))
