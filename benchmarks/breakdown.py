"""Where the bot's time goes, without HTTP: `python -m benchmarks.breakdown [--profile]`.

Ours and the baseline run the same simulated consultations through
`Application.process_update` on the in-process transport of the project's fake Bot API
(lean mode: it answers at once, checks and keeps nothing), so the CPU per update is the
bot's own (PTB plus our code) and the fake's small share, the same for both, free of
sockets and of the load generator. With --profile the difference is split by package
with cProfile (profiling inflates every figure two- to threefold; compare the shares,
not the ms).
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import pstats
import random
import sys
import time
from collections import Counter
from dataclasses import replace
from typing import Any

os.environ.setdefault("PTB_TIMEDELTA", "1")

from telegram import Update
from telegram.ext import AIORateLimiter, Application, CallbackQueryHandler, MessageHandler, filters
from telegram.request import BaseRequest

from benchmarks import load
from fakebot import FakeBotApi, Reply
from fakebot.inprocess import InProcessRequest

USERS = 300


def build(kind: str, stub: BaseRequest) -> Any:
    if kind == "ours":
        from bot.core import build_core
        from bot.telegram.app import build_application
        from bot.telegram.settings import TelegramSettings

        settings = replace(TelegramSettings(token="1:stub"), rate_limit=False,
                           flood_max_updates=10**9)
        return build_application(build_core(), settings, request=stub)
    from benchmarks import baseline_bot

    app = (Application.builder().token("1:stub").request(stub).get_updates_request(stub)
           .rate_limiter(AIORateLimiter(overall_max_rate=0, group_max_rate=0)).build())
    app.add_handler(MessageHandler(filters.ALL, baseline_bot.on_message))
    app.add_handler(CallbackQueryHandler(baseline_bot.on_press))
    return app


async def measure(kind: str, profiler: cProfile.Profile | None = None) -> dict[str, float]:
    """CPU seconds per update inside process_update, for USERS consultations."""
    api = FakeBotApi(lean=True)
    app = build(kind, InProcessRequest(api))
    updates, cpu = 0, 0.0
    async with app:
        if app.post_init:
            await app.post_init(app)
        for index in range(USERS):
            chat, rng, taps = 10_000 + index, random.Random(index), 0
            data: dict[str, Any] | None = api.send_command(chat, "/start")
            last = 0
            while data is not None:
                last = int(data["update_id"])
                update = Update.de_json(data, app.bot)
                waiter = api.expect(chat)
                started = time.process_time()
                if profiler:
                    profiler.enable()
                await app.process_update(update)
                if profiler:
                    profiler.disable()
                cpu += time.process_time() - started
                updates, taps = updates + 1, taps + 1
                reply: Reply = waiter.result()
                if kind == "baseline" and taps >= load.TAPS_PER_CONSULTATION:
                    break
                choice = load.choose(reply, rng, kind)
                data = api.press(chat, reply.message_id, choice) if choice else None
            # confirm what was pushed, as a poll would (nobody polls here)
            await api.call("getUpdates", {"offset": last + 1})
        if app.post_shutdown:
            await app.post_shutdown(app)
    return {"updates": updates, "ms_per_update": cpu * 1000 / updates}


def by_package(stats: pstats.Stats, updates: int) -> Counter[str]:
    shares: Counter[str] = Counter()
    for (path, _line, _func), row in stats.stats.items():  # type: ignore[attr-defined]
        own = row[2]
        if "/fakebot/" in path:
            key = "the fake Bot API, in process (both bots alike)"
        elif "/bot/" in path and "site-packages" not in path:
            key = "our code: bot/" + path.split("/bot/", 1)[1].split("/")[0].removesuffix(".py")
        elif "/telegram/_" in path or "/telegram/request" in path:
            key = "PTB Telegram objects and requests"
        elif "/telegram/ext/" in path:
            key = "PTB dispatch (Application, handlers, limiter)"
        elif "/transitions/" in path:
            key = "our code: transitions (dialog machine)"
        elif "/babel/" in path:
            key = "our code: babel (formatting)"
        else:
            key = "Python runtime, asyncio, json, builtins"
        shares[key] += own * 1000 / updates
    return shares


def main() -> int:
    profile = "--profile" in sys.argv
    results: dict[str, dict[str, float]] = {}
    shares: dict[str, Counter[str]] = {}
    for kind in ("ours", "baseline"):
        profiler = cProfile.Profile() if profile else None
        results[kind] = asyncio.run(measure(kind, profiler))
        print(f"{kind:9} {results[kind]['updates']:6.0f} updates  "
              f"{results[kind]['ms_per_update']:.3f} ms CPU per update", flush=True)
        if profiler:
            shares[kind] = by_package(pstats.Stats(profiler), int(results[kind]["updates"]))
    print(f"ratio     {results['ours']['ms_per_update'] / results['baseline']['ms_per_update']:.2f}")
    if profile:
        gap = sum(shares["ours"].values()) - sum(shares["baseline"].values())
        print("\nthe difference, by package (profiled ms per update; share of the gap):")
        keys = sorted(set(shares["ours"]) | set(shares["baseline"]),
                      key=lambda k: shares["baseline"][k] - shares["ours"][k])
        for key in keys:
            diff = shares["ours"][key] - shares["baseline"][key]
            print(f"  {key:48} {shares['ours'][key]:6.3f} vs {shares['baseline'][key]:6.3f}"
                  f"  {diff:+.3f}  {100 * diff / gap:4.0f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
