"""Plain data types shared by the fake Bot API server and its client helpers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]


class ApiError(Exception):
    """A Bot API failure; the server turns it into ``{"ok": false, ...}`` with this status.

    Handlers raise it instead of building responses so that validation reads like Telegram's
    own rules and every failure is answered and recorded the same way.
    """

    def __init__(self, status: int, description: str, parameters: JsonDict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> JsonDict:
        """The JSON body Telegram sends for this error."""
        body: JsonDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    """Shortcut for the most common failure, a 400 with Telegram's ``Bad Request:`` prefix."""
    return ApiError(400, f"Bad Request: {reason}")


@dataclass
class Call:
    """One request the fake received, recorded when it was answered (or dropped).

    ``time`` is the event-loop clock (monotonic) at arrival, so tests can measure the gaps
    between retries. ``fault`` names the injected fault that answered the call, if any
    (``"429"``, ``"502"``, ``"drop"``, ``"delay"``); a dropped call has status 0. ``seq`` is the
    call's index in :attr:`FakeBotApi.calls`.
    """

    method: str
    params: JsonDict
    time: float
    status: int = 200
    result: Any = None
    description: str | None = None
    fault: str | None = None
    seq: int = -1

    @property
    def ok(self) -> bool:
        """Whether the bot got a successful answer."""
        return self.status == 200


@dataclass
class Fault:
    """An injected failure for one method; see :meth:`FakeBotApi.inject`."""

    status: int | None = None
    retry_after: int | None = None
    delay: float | None = None
    drop: bool = False
    description: str | None = None
    raw_body: bytes | None = None  # answer with exactly these bytes (with ``status`` or 200)
    redirect: bool = False  # answer 302 into an endless loop of redirects

    def label(self) -> str:
        """Short name stored in :attr:`Call.fault`."""
        if self.drop:
            return "drop"
        if self.redirect:
            return "redirect"
        if self.raw_body is not None:
            return "raw"
        if self.status is not None:
            return str(self.status)
        return "delay"

    def error(self) -> ApiError | None:
        """The error to answer with, or None when the fault only delays or drops."""
        if self.status is None:
            return None
        if self.status == 429:
            wait = self.retry_after if self.retry_after is not None else 1
            text = self.description or f"Too Many Requests: retry after {wait}"
            return ApiError(429, text, {"retry_after": wait})
        return ApiError(self.status, self.description or _default_description(self.status))


def _default_description(status: int) -> str:
    """Descriptions Telegram (or its front-end proxy) gives for the common server errors."""
    return {
        500: "Internal Server Error",
        502: "Bad Gateway",
        503: "Service Unavailable",
        504: "Gateway Timeout",
        403: "Forbidden: bot was blocked by the user",
        409: "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running",
    }.get(status, f"Error {status}")


@dataclass
class Outage:
    """A time window during which a method (or ``"*"`` for all) fails with ``status``."""

    method: str
    until: float
    status: int


@dataclass
class Upload:
    """A file the bot uploaded with multipart/form-data; kept so tests can inspect it."""

    filename: str
    content_type: str
    data: bytes

    def __repr__(self) -> str:
        return f"Upload({self.filename!r}, {self.content_type!r}, {len(self.data)} bytes)"


@dataclass
class Signal:
    """A level-triggered wake-up for coroutines waiting on the fake's state.

    ``notify`` is synchronous (unlike ``asyncio.Condition.notify``, which needs the lock), so
    plain functions such as :meth:`FakeBotApi.push_update` can wake long polls and waiters.
    """

    _event: asyncio.Event = field(default_factory=asyncio.Event)

    def notify(self) -> None:
        """Wake everybody currently waiting; later waiters wait for the next notify."""
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(self, ready: Callable[[], bool], timeout: float) -> bool:
        """Wait until ``ready()`` is true; False when ``timeout`` seconds passed first."""
        try:
            async with asyncio.timeout(timeout):
                while not ready():
                    await self._event.wait()
        except TimeoutError:
            return ready()
        return True
