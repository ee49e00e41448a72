"""Where the bot's time goes, without HTTP: `python -m benchmarks.breakdown [--profile]`.

Ours and the baseline run the same simulated consultations through
`Application.process_update` on a stub transport that answers at once, so the CPU
per update is the bot's own (PTB plus our code), free of sockets and of the load
generator. With --profile the difference is split by package with cProfile
(profiling inflates every figure two- to threefold; compare the shares, not the ms).
"""

from __future__ import annotations

import asyncio
import cProfile
import itertools
import json
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
from telegram.request import BaseRequest, RequestData

from benchmarks import load
from benchmarks.fakeapi import BOT, Reply

USERS = 300


class StubRequest(BaseRequest):
    """Answers every Bot API call at once and remembers each chat's last keyboard."""

    def __init__(self) -> None:
        self.keyboards: dict[int, tuple[int, list[str]]] = {}
        self.ids = itertools.count(1000)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 10.0

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data is not None else {}
        result: Any = True
        if name == "getMe":
            result = BOT
        elif name in ("sendMessage", "editMessageText"):
            chat = int(params["chat_id"])  # type: ignore[arg-type]
            markup: Any = params.get("reply_markup") or {}
            buttons = [b.get("callback_data", "") for row in markup.get("inline_keyboard", [])
                       for b in row]
            message_id = int(params.get("message_id") or next(self.ids))  # type: ignore[arg-type]
            if buttons:
                self.keyboards[chat] = (message_id, buttons)
            result = {"message_id": message_id, "date": 0, "text": "x", "from": BOT,
                      "chat": {"id": chat, "type": "private", "first_name": "U"}}
        return 200, json.dumps({"ok": True, "result": result}).encode()


def _user(chat: int) -> dict[str, Any]:
    return {"id": chat, "is_bot": False, "first_name": "U", "language_code": "nl"}


def _chat(chat: int) -> dict[str, Any]:
    return {"id": chat, "type": "private", "first_name": "U"}


def start_update(chat: int, n: int) -> dict[str, Any]:
    return {"update_id": n, "message": {
        "message_id": n, "date": 0, "text": "/start", "from": _user(chat), "chat": _chat(chat),
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}


def press_update(chat: int, message_id: int, data: str, n: int) -> dict[str, Any]:
    return {"update_id": n, "callback_query": {
        "id": str(n), "chat_instance": str(chat), "data": data, "from": _user(chat),
        "message": {"message_id": message_id, "date": 1, "text": "x", "chat": _chat(chat),
                    "from": BOT}}}


def build(kind: str, stub: StubRequest) -> Any:
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
    stub = StubRequest()
    app = build(kind, stub)
    counter = itertools.count(1)
    updates, cpu = 0, 0.0
    async with app:
        if app.post_init:
            await app.post_init(app)
        for index in range(USERS):
            chat, rng, taps = 10_000 + index, random.Random(index), 0
            data: dict[str, Any] | None = start_update(chat, next(counter))
            while data is not None:
                update = Update.de_json(data, app.bot)
                started = time.process_time()
                if profiler:
                    profiler.enable()
                await app.process_update(update)
                if profiler:
                    profiler.disable()
                cpu += time.process_time() - started
                updates, taps = updates + 1, taps + 1
                message_id, buttons = stub.keyboards[chat]
                if kind == "baseline" and taps >= load.TAPS_PER_CONSULTATION:
                    break
                choice = load.choose(Reply(chat, "", "", buttons, message_id, 0.0), rng, kind)
                data = press_update(chat, message_id, choice, next(counter)) if choice else None
        if app.post_shutdown:
            await app.post_shutdown(app)
    return {"updates": updates, "ms_per_update": cpu * 1000 / updates}


def by_package(stats: pstats.Stats, updates: int) -> Counter[str]:
    shares: Counter[str] = Counter()
    for (path, _line, _func), row in stats.stats.items():  # type: ignore[attr-defined]
        own = row[2]
        if "/bot/" in path and "site-packages" not in path:
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
