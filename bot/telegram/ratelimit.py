"""Sending within Telegram's limits, where Telegram keeps them, and through its faults.

- Overall: one message every 1/29 s (Telegram allows about 30 per second). A steady pace
  instead of a bucket of 30, so no one-second window ever holds more than 30.
- Per chat: a token bucket (default a burst of 20, then one per second), Telegram's
  advice for one chat. A user who taps as fast as the flood guard allows slows down
  their own chat only.
- A 429 for a chat (retry_after) makes only that chat wait; a 429 without a chat makes
  every request wait. python-telegram-bot's AIORateLimiter paused every request for
  any 429, so one flooded chat stalled all users.
- Transient failures (5xx, timeouts, dropped connections) are retried with exponential
  backoff and jitter within a budget of tens of seconds, so a reply survives a Bot API
  outage of that length. A wait that would end beyond the budget is not waited for: the
  request fails at once and the update ends in the error handler.
- BadRequest, Forbidden and InvalidToken mean the request itself is wrong: never retried.

Clock, sleep and randomness are injectable so the tests run without waiting.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, ChatMigrated, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

from bot.ops.metrics import METRICS
from bot.telegram.transport import LAST_STATUS

log = logging.getLogger("beschermwijzer.telegram")
JSON = bool | dict[str, Any] | list[dict[str, Any]]
NO_RETRY = (BadRequest, ChatMigrated)  # NetworkError subclasses that are not transient
MAX_TRACKED_CHATS = 100_000


class Pace:
    """A generic cell rate: requests spaced `interval` apart after a burst of `burst`.

    `reserve` books the next slot at once (so concurrent callers get consecutive slots,
    in order) and returns how long the caller must wait for it.
    """

    __slots__ = ("burst", "interval", "tat")

    def __init__(self, per_second: float, burst: int = 1) -> None:
        self.interval = 1.0 / per_second
        self.burst = max(burst, 1)
        self.tat = 0.0  # theoretical arrival time of the next request

    def reserve(self, now: float) -> float:
        tolerance = (self.burst - 1) * self.interval
        start = max(self.tat, now)
        wait = max(0.0, start - tolerance - now)
        self.tat = start + self.interval
        return wait


class ChatRateLimiter(BaseRateLimiter[int]):
    def __init__(self, *, overall_per_second: float = 29.0, chat_per_second: float = 1.0,
                 chat_burst: int = 20, retry_budget: float = 30.0, backoff: float = 0.5,
                 max_backoff: float = 4.0, throttle: bool = True,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 rng: Callable[[], float] = random.random) -> None:
        self.throttle = throttle
        self.overall = Pace(overall_per_second)
        self.chat_per_second = chat_per_second
        self.chat_burst = chat_burst
        self.retry_budget = retry_budget
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.clock = clock
        self.sleep = sleep
        self.rng = rng
        self._chats: OrderedDict[int | str, Pace] = OrderedDict()
        self._blocked: dict[int | str, float] = {}  # chat -> monotonic time its 429 ends
        self._all_blocked_until = 0.0
        self.retried = 0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    # --- pacing --------------------------------------------------------------------------
    def _chat_pace(self, chat: int | str) -> Pace:
        pace = self._chats.get(chat)
        if pace is None:
            pace = self._chats[chat] = Pace(self.chat_per_second, self.chat_burst)
            if len(self._chats) > MAX_TRACKED_CHATS:
                self._chats.popitem(last=False)  # the longest-idle chat starts afresh
        else:
            self._chats.move_to_end(chat)
        return pace

    async def _wait_turn(self, chat: int | str | None, deadline: float) -> None:
        now = self.clock()
        blocked = max(self._all_blocked_until, self._blocked.get(chat, 0.0) if chat is not None else 0.0)
        if blocked > now:
            if blocked > deadline:
                raise RetryAfter(timedelta(seconds=max(1, round(blocked - now))))
            await self.sleep(blocked - now)
            now = self.clock()
        if chat is not None:
            self._blocked.pop(chat, None)
        if not self.throttle or chat is None:
            return
        wait = self._chat_pace(chat).reserve(now)
        if wait > 0:
            await self.sleep(wait)
            now = self.clock()
        wait = self.overall.reserve(now)
        if wait > 0:
            await self.sleep(wait)

    # --- one request -----------------------------------------------------------------------
    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        chat = _chat_key(data.get("chat_id"))
        deadline = self.clock() + self.retry_budget
        attempt = 0
        while True:
            await self._wait_turn(chat, deadline)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = _seconds(exc.retry_after)
                until = self.clock() + wait
                if chat is None:
                    self._all_blocked_until = max(self._all_blocked_until, until)
                else:
                    self._blocked[chat] = max(self._blocked.get(chat, 0.0), until)
                if until > deadline:
                    log.warning("%s: told to wait %.0fs, beyond the retry budget; giving up",
                                endpoint, wait)
                    raise
                self._retried(endpoint, "429")
            except NO_RETRY:
                raise
            except NetworkError as exc:
                delay = min(self.max_backoff, self.backoff * 2 ** attempt) * (0.5 + self.rng() / 2)
                attempt += 1
                if self.clock() + delay > deadline:
                    raise
                self._retried(endpoint, _status(exc))
                log.warning("%s failed (%s); retry %d in %.1fs", endpoint, type(exc).__name__,
                            attempt, delay)
                await self.sleep(delay)

    def _retried(self, endpoint: str, status: str) -> None:
        self.retried += 1
        METRICS.api_retry(endpoint, status)


def _chat_key(chat_id: object) -> int | str | None:
    if isinstance(chat_id, (int, str)) and not isinstance(chat_id, bool):
        return chat_id
    return None


def _seconds(value: object) -> float:
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, (int, float)):
        return float(value)
    return 1.0


def _status(exc: NetworkError) -> str:
    """The HTTP status (or "timeout", "network") of the call that just failed."""
    return LAST_STATUS.get()
