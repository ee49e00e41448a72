"""Sending that survives one bad answer: RetryAfter, transient network errors and 5xx."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter

log = logging.getLogger("beschermwijzer.telegram")
JSON = bool | dict[str, Any] | list[dict[str, Any]]


class ResilientRateLimiter(AIORateLimiter):
    """AIORateLimiter (under 30 msg/s overall, RetryAfter honoured) plus a bounded retry.

    PTB raises NetworkError for 5xx answers, timeouts and dropped connections;
    one such failure should not cost the user their reply. BadRequest is a
    subclass of NetworkError but means our request was wrong: never retried.
    """

    def __init__(self, *, throttle: bool = True, transient_retries: int = 3,
                 backoff: float = 0.2) -> None:
        if throttle:
            # One message per 1/29 s instead of 30 per second: the same average, but no
            # bursts, so no one-second window ever holds more than Telegram's 30 (a leaky
            # bucket of 30 lets 30 through at once and 30 more within that second).
            super().__init__(overall_max_rate=1, overall_time_period=1 / 29, max_retries=5)
        else:  # benchmarks measure the bot itself: no throttle, RetryAfter still honoured
            super().__init__(overall_max_rate=0, group_max_rate=0, max_retries=5)
        self.transient_retries = transient_retries
        self.backoff = backoff
        self.retried = 0

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        for attempt in range(self.transient_retries + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data,
                                                     rate_limit_args)
            except BadRequest:
                raise
            except NetworkError as exc:
                if attempt == self.transient_retries:
                    raise
                self.retried += 1
                log.warning("%s failed (%s); retry %d", endpoint, type(exc).__name__, attempt + 1)
                await asyncio.sleep(self.backoff * (2 ** attempt))
        raise AssertionError("unreachable")
