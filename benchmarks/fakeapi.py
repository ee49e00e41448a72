"""A lean fake Bot API for load tests: just enough methods, per-chat reply events.

The test-suite fake (tests/fakebot) validates and records everything; here the
load generator must not be the bottleneck, so this one does the minimum and
can emulate Telegram's flood limit (429 past 30 messages per second).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT = {"id": 777000, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}
MESSAGE_METHODS = {"sendmessage", "editmessagetext"}


@dataclass
class Reply:
    chat_id: int
    method: str
    text: str
    buttons: list[str]  # callback data of every button
    message_id: int
    at: float


@dataclass
class FakeApi:
    token: str = "123:BENCH"
    emulate_flood_limit: bool = False  # answer 429 past 30 messages in any second, like Telegram
    updates: deque[dict[str, Any]] = field(default_factory=deque)
    next_update_id: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    next_message_id: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    waiters: dict[int, asyncio.Future[Reply]] = field(default_factory=dict)
    pending_poll: asyncio.Event = field(default_factory=asyncio.Event)
    sent_times: deque[float] = field(default_factory=deque)
    counts: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    message_stamps: list[float] = field(default_factory=list)
    runner: web.AppRunner | None = None
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        self.pending_poll.set()
        if self.runner is not None:
            await self.runner.cleanup()

    # --- users ----------------------------------------------------------------------
    def expect(self, chat_id: int) -> asyncio.Future[Reply]:
        future: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        self.waiters[chat_id] = future
        return future

    def push(self, update: dict[str, Any]) -> None:
        update["update_id"] = next(self.next_update_id)
        self.updates.append(update)
        self.pending_poll.set()

    def message(self, chat_id: int, text: str) -> None:
        entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] \
            if text.startswith("/") else []
        self.push({"message": {
            "message_id": next(self.next_message_id), "date": int(time.time()), "text": text,
            "entities": entities, "chat": {"id": chat_id, "type": "private", "first_name": "U"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "U", "language_code": "nl"}}})

    def press(self, chat_id: int, message_id: int, data: str) -> None:
        self.push({"callback_query": {
            "id": str(next(self.next_update_id)), "chat_instance": str(chat_id), "data": data,
            "from": {"id": chat_id, "is_bot": False, "first_name": "U", "language_code": "nl"},
            "message": {"message_id": message_id, "date": int(time.time()), "text": "x",
                        "chat": {"id": chat_id, "type": "private", "first_name": "U"},
                        "from": BOT}}})

    # --- the Bot API ------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"].lower()
        params = await _params(request)
        self.counts[method] += 1
        if method == "getupdates":
            return await self._get_updates(params)
        if method in MESSAGE_METHODS:
            return self._message(method, params)
        if method == "getme":
            return _ok(BOT)
        return _ok(True)

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        offset = int(params.get("offset", 0) or 0)
        while self.updates and self.updates[0]["update_id"] < offset:
            self.updates.popleft()
        if not self.updates:
            self.pending_poll.clear()
            timeout = float(params.get("timeout", 0) or 0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.pending_poll.wait(), timeout)
        limit = int(params.get("limit", 100) or 100)
        return _ok(list(itertools.islice(self.updates, limit)))

    def _message(self, method: str, params: dict[str, Any]) -> web.Response:
        now = time.monotonic()
        if self.emulate_flood_limit:
            while self.sent_times and now - self.sent_times[0] >= 1.0:
                self.sent_times.popleft()
            if len(self.sent_times) >= 30:
                self.counts["429"] += 1
                return web.json_response({"ok": False, "error_code": 429,
                                          "description": "Too Many Requests: retry after 1",
                                          "parameters": {"retry_after": 1}}, status=429)
            self.sent_times.append(now)
        self.message_stamps.append(now)
        chat_id = int(params["chat_id"])
        markup = params.get("reply_markup") or {}
        if isinstance(markup, str):  # a form-encoded body carries it JSON-serialized
            markup = json.loads(markup)
        buttons = [b.get("callback_data", "") for row in markup.get("inline_keyboard", [])
                   for b in row]
        message_id = int(params["message_id"]) if "message_id" in params \
            else next(self.next_message_id)
        reply = Reply(chat_id, method, str(params.get("text", "")), buttons, message_id, now)
        waiter = self.waiters.get(chat_id)
        if waiter is not None and not waiter.done() and buttons:
            waiter.set_result(reply)
        return _ok({"message_id": message_id, "date": int(time.time()), "text": reply.text,
                    "chat": {"id": chat_id, "type": "private", "first_name": "U"}, "from": BOT})


async def _params(request: web.Request) -> dict[str, Any]:
    """Parameters from a JSON or form body, as the real Bot API takes both."""
    if not request.can_read_body:
        return {}
    if request.content_type == "application/json":
        body: dict[str, Any] = await request.json()
        return body
    return dict(await request.post())


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})
