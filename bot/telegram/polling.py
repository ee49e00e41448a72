"""Long polling that survives bad batches and stops for a refused token.

python-telegram-bot's Updater parses a whole batch at once: one unreadable update made
it log the batch (typed text included) at CRITICAL and fetch the same batch again, some
470 times a second. Here the raw batch goes to `Intake.accept_batch`, which checks each
update on its own, and the offset always moves past everything fetched.

A refused token (401, or 404 for a malformed one) is fatal: polling ends with
`TokenRefused` and the process exits non-zero, so a supervisor notices. Every other
failure is retried with backoff; the log says what failed, never the URL.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from typing import Any

from telegram import Bot
from telegram.error import InvalidToken, RetryAfter, TelegramError

from bot.telegram.intake import Intake

log = logging.getLogger("beschermwijzer.telegram")
MAX_BACKOFF = 5.0  # a failed poll costs one request; waiting longer only delays users


class TokenRefused(RuntimeError):
    """The Bot API refused the token: nothing will work until an operator fixes it."""


class Poller:
    def __init__(self, bot: Bot, intake: Intake, *, timeout: int = 10, read_margin: float = 5.0,
                 allowed_updates: list[str] | None = None,
                 rng: Callable[[], float] = random.random) -> None:
        self.bot = bot
        self.intake = intake
        self.timeout = timeout
        self.read_margin = read_margin
        self.allowed_updates = allowed_updates
        self.rng = rng
        self.offset = 0
        self.failures = 0
        self.batches = 0

    async def _fetch(self, timeout: int, limit: int = 100) -> Any:
        data: dict[str, Any] = {"timeout": timeout, "limit": limit,
                                "allowed_updates": self.allowed_updates}
        if self.offset:
            data["offset"] = self.offset
        # Bot.get_updates minus its batch parsing (see the module docstring); _post is the
        # call it makes itself, without the rate limiter (ExtBot skips it for getUpdates).
        return await self.bot._post("getUpdates", data,
                                    read_timeout=timeout + self.read_margin)

    async def run(self) -> None:
        """Poll until cancelled; raises TokenRefused when the token is refused."""
        while True:
            try:
                batch = await self._fetch(self.timeout)
            except InvalidToken:
                raise TokenRefused("the Bot API refused the token (401 Unauthorized or 404): "
                                   "check TELEGRAM_BOT_TOKEN") from None
            except RetryAfter as exc:
                await self._back_off(type(exc).__name__, _seconds(exc.retry_after))
                continue
            except TelegramError as exc:
                await self._back_off(type(exc).__name__)
                continue
            if not isinstance(batch, list):
                await self._back_off("a batch that is not a list")
                continue
            self.failures = 0
            self.batches += 1
            before = self.offset
            self.offset = self.intake.accept_batch(batch, self.offset)
            if batch and self.offset == before:
                # not one update_id could be read: the offset cannot move, so slow down
                await self._back_off("a batch without a readable update_id")

    async def _back_off(self, why: str, at_least: float = 0.0) -> None:
        self.failures += 1
        delay = max(at_least, min(MAX_BACKOFF, 0.5 * 2 ** min(self.failures, 6)))
        delay *= 0.75 + self.rng() / 4
        log.warning("getUpdates failed (%s); retrying in %.1fs", why, delay)
        await asyncio.sleep(delay)

    async def confirm(self) -> None:
        """Tell Telegram that everything fetched is done with, so a restart does not
        fetch it again (best effort: a stop must not wait on it)."""
        if not self.offset:
            return
        try:
            await asyncio.wait_for(self._fetch(0, 1), timeout=2.0)
        except (TelegramError, TimeoutError) as exc:
            log.info("could not confirm the last updates (%s)", type(exc).__name__)


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    if callable(total):
        return float(total())
    return float(value) if isinstance(value, (int, float)) else 1.0
