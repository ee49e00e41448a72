"""Load through the fake Bot API on loopback: saturation throughput, latency, rate limit.

The bot under test runs as its own process (`python -m bot`, unmodified, or the
baseline), so it has a core of its own; this process plays Telegram and the users.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.fakeapi import FakeApi, Reply

ROOT = Path(__file__).resolve().parents[1]
TAPS_PER_CONSULTATION = 19  # the baseline gets as many updates per user as a consultation


@dataclass
class Run:
    api: FakeApi
    proc: asyncio.subprocess.Process


async def start_bot(api: FakeApi, kind: str, rate_limit: bool) -> Run:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(ROOT),
           "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
           "BESCHERMWIJZER_LOG_LEVEL": "WARNING", "BESCHERMWIJZER_FLOOD_MAX": "1000000",
           # 1,000 users each waiting for their reply: the queue must hold them all, or the
           # shedding meant for a flood would cost replies the load generator waits for
           "BESCHERMWIJZER_QUEUE_MAX": "1000000", "BESCHERMWIJZER_CHAT_BURST": "1000000",
           "BESCHERMWIJZER_RATE_LIMIT": "on" if rate_limit else "off", "PTB_TIMEDELTA": "1",
           **{k: v for k, v in os.environ.items()
              if k.startswith(("BESCHERMWIJZER_C", "BASELINE_PAYLOAD"))}}
    if kind == "baseline":
        env["BASELINE_TRANSPORT"] = "aiohttp"
    elif kind == "baseline_httpx":
        env["BASELINE_TRANSPORT"] = "httpx"
    module = "bot" if kind == "ours" else "benchmarks.baseline_bot"
    env["PYTHONPATH"] = str(ROOT)
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", module, cwd=ROOT, env=env,
                                                stdin=asyncio.subprocess.DEVNULL,
                                                stdout=asyncio.subprocess.DEVNULL,
                                                stderr=asyncio.subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while api.counts["getupdates"] == 0:
        if time.monotonic() > deadline or proc.returncode is not None:
            raise RuntimeError(f"{kind} bot did not start")
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    return Run(api, proc)


async def stop_bot(run: Run) -> None:
    if run.proc.returncode is None:
        run.proc.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(run.proc.wait(), 20)
        except TimeoutError:
            run.proc.kill()
            await run.proc.wait()


def choose(reply: Reply, rng: random.Random, kind: str) -> str | None:
    """A professional's next tap: answers No/Yes, first options, Done; stops at the result."""
    by_action = {}
    for data in reply.buttons:
        parts = data.split("|")
        by_action[parts[2] if len(parts) == 4 else data] = data
    if kind.startswith("baseline"):
        return reply.buttons[0]
    if "m:why" in by_action:
        return None
    for action in ("c", "d", "s:7"):
        if action in by_action:
            return by_action[action]
    if "y" in by_action:
        return by_action["y" if rng.random() < 0.3 else "n"]
    options = [a for a in by_action if a.startswith("o:")]
    if options:
        return by_action[options[0]]
    return None


async def user(api: FakeApi, chat_id: int, kind: str, rng: random.Random, updates: list[int],
               pace: float | None = None, latencies: list[float] | None = None,
               stop_at: float | None = None) -> None:
    """One user doing consultations until stop_at (or once, for the saturation run)."""
    while True:
        waiter = api.expect(chat_id)
        sent = time.monotonic()
        api.message(chat_id, "/start")
        reply = await waiter
        updates[0] += 1
        if latencies is not None:
            latencies.append(reply.at - sent)
        taps = 1
        while True:
            if kind.startswith("baseline") and taps >= TAPS_PER_CONSULTATION:
                break
            data = choose(reply, rng, kind)
            if data is None:
                break
            if pace:
                await asyncio.sleep(pace)
                if stop_at and time.monotonic() > stop_at:
                    return
            waiter = api.expect(chat_id)
            sent = time.monotonic()
            api.press(chat_id, reply.message_id, data)
            reply = await waiter
            updates[0] += 1
            taps += 1
            if latencies is not None:
                latencies.append(reply.at - sent)
        if stop_at is None or time.monotonic() > stop_at:
            return


async def saturation(kind: str, users: int = 1000) -> dict[str, float]:
    api = FakeApi()
    await api.start()
    run = await start_bot(api, kind, rate_limit=False)
    try:
        updates = [0]
        rng = random.Random(1)
        started, cpu_before = time.monotonic(), cpu_seconds(run.proc.pid)
        await asyncio.wait_for(asyncio.gather(*(user(api, 10_000 + i, kind, random.Random(
            rng.random()), updates) for i in range(users))), 600)
        elapsed, cpu_used = time.monotonic() - started, cpu_seconds(run.proc.pid) - cpu_before
    finally:
        await stop_bot(run)
        await api.stop()
    return {"updates": updates[0], "seconds": elapsed, "updates_per_s": updates[0] / elapsed,
            "cpu_ms_per_update": cpu_used * 1000 / updates[0]}


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process so far, from /proc (Linux).

    Throughput on a shared machine varies from run to run; the bot's CPU time per
    update is the steadier figure for comparing two bots.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def latency(rate: float = 100.0, users: int = 1000, seconds: float = 20.0) -> dict[str, float]:
    """Steady offered load: each user taps every users/rate seconds, so `rate` updates/s."""
    api = FakeApi()
    await api.start()
    run = await start_bot(api, "ours", rate_limit=False)
    latencies: list[float] = []
    try:
        pace = users / rate
        stop_at = time.monotonic() + seconds
        rng = random.Random(2)
        tasks = []
        for i in range(users):
            await asyncio.sleep(1 / rate)  # stagger the first taps over one pace period
            tasks.append(asyncio.create_task(user(api, 20_000 + i, "ours", random.Random(
                rng.random()), [0], pace=pace, latencies=latencies, stop_at=stop_at)))
            if time.monotonic() > stop_at:
                break
        await asyncio.wait_for(asyncio.gather(*tasks), seconds + 60)
    finally:
        await stop_bot(run)
        await api.stop()
    ms = sorted(x * 1000 for x in latencies)
    return {"samples": len(ms), "p50_ms": statistics.median(ms),
            "p99_ms": ms[int(len(ms) * 0.99) - 1]}


async def rate_limited(users: int = 300, seconds: float = 10.0) -> dict[str, float]:
    """Limiter on, Telegram's flood limit emulated: outbound stays at or under 30/s, no 429."""
    api = FakeApi(emulate_flood_limit=True)
    await api.start()
    run = await start_bot(api, "ours", rate_limit=True)
    try:
        stop_at = time.monotonic() + seconds
        rng = random.Random(3)
        await asyncio.wait_for(asyncio.gather(*(user(api, 30_000 + i, "ours", random.Random(
            rng.random()), [0], pace=users / 60.0, stop_at=stop_at) for i in range(users))),
            seconds + 120)
    finally:
        await stop_bot(run)
        await api.stop()
    stamps = sorted(api.message_stamps)
    worst, j = 0, 0
    for i, t in enumerate(stamps):
        while t - stamps[j] >= 1.0:
            j += 1
        worst = max(worst, i - j + 1)
    return {"rate_limited_max_per_s": worst, "rate_limited_429s": api.counts["429"],
            "messages": len(stamps)}
