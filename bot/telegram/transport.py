"""A python-telegram-bot request class on aiohttp instead of httpx.

Why: under load PTB's default transport spends most of the bot's CPU in httpx and
httpcore (connection-pool bookkeeping per request, socket checks on every idle
connection); measured in benchmarks/ and the README. aiohttp's connector does the
same job for a fraction of the CPU. Errors map onto PTB's own: timeouts become
TimedOut, every other transport failure NetworkError, so the retry logic in
ratelimit.py behaves exactly as with httpx.

Bodies without files go out as application/json (the Bot API accepts it): encoding
them as a form runs urllib's per-character quoting over every text and keyboard,
which profiling showed to be one of the largest costs per reply.

What the Bot API answers is checked here, where it enters the process: redirects are
not followed (Telegram never redirects; a loop ended in an exception quoting the URL,
and the URL holds the token), a failing answer that is not Bot API JSON becomes a plain
error, and no exception raised here quotes a URL or a body.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from http import HTTPStatus
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.ops.metrics import METRICS

USER_AGENT = "Beschermwijzer (python-telegram-bot, aiohttp)"
JSON_HEADERS = {"Content-Type": "application/json"}
INVALID_ANSWER = "Invalid server response (not Bot API JSON)"
# The outcome of the latest call in this task ("200", "502", "timeout", "network"), for
# the retry metrics of ratelimit.py: PTB's exceptions do not carry the HTTP status.
LAST_STATUS: ContextVar[str] = ContextVar("LAST_STATUS", default="network")


class AiohttpRequest(BaseRequest):
    def __init__(self, connection_pool_size: int = 16, read_timeout: float = 10.0,
                 connect_timeout: float = 5.0) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(connector=connector,
                                                  headers={"User-Agent": USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """PTB's parser logs the whole payload at ERROR when it is not JSON; this one never
        quotes it, and treats an answer without a result like a bad gateway (retried)."""
        try:
            data = json.loads(payload.decode("utf-8", "replace"))
        except ValueError:
            raise NetworkError(INVALID_ANSWER) from None
        if not isinstance(data, dict) or ("result" not in data and data.get("ok") is not False):
            raise NetworkError(INVALID_ANSWER)
        return data

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: object = BaseRequest.DEFAULT_NONE,
                         write_timeout: object = BaseRequest.DEFAULT_NONE,
                         connect_timeout: object = BaseRequest.DEFAULT_NONE,
                         pool_timeout: object = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        endpoint = url.rsplit("/", 1)[-1]
        read = _seconds(read_timeout, self._read_timeout)
        connect = _seconds(connect_timeout, self._connect_timeout)
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=connect, sock_read=read)
        data: aiohttp.FormData | bytes | None = None
        headers: dict[str, str] | None = None
        if request_data is not None:
            if request_data.contains_files:
                form = aiohttp.FormData()
                for name, value in request_data.json_parameters.items():
                    form.add_field(name, value)
                for name, part in request_data.multipart_data.items():
                    filename, content, mime = part if len(part) == 3 else (*part, None)
                    form.add_field(name, content, filename=filename, content_type=mime)
                data = form
            else:
                data = json.dumps(request_data.parameters, ensure_ascii=False).encode()
                headers = JSON_HEADERS
        # Exceptions are raised `from None`: aiohttp's messages and chained exceptions
        # carry the URL, and the URL carries the token.
        try:
            async with self._session.request(method, url, data=data, headers=headers,
                                             timeout=timeout, allow_redirects=False) as resp:
                status, body = resp.status, await resp.read()
        except (TimeoutError, aiohttp.ServerTimeoutError):
            LAST_STATUS.set("timeout")
            METRICS.api_error(endpoint, "timeout")
            raise TimedOut(f"{endpoint}: no answer in time") from None
        except aiohttp.ClientError as exc:
            LAST_STATUS.set("network")
            METRICS.api_error(endpoint, "network")
            raise NetworkError(f"{endpoint}: aiohttp.{type(exc).__name__}") from None
        LAST_STATUS.set(str(status))
        if 200 <= status < 300:
            METRICS.api_ok()
            return status, body
        METRICS.api_error(endpoint, str(status))
        return status, _error_body(status, body)


def _error_body(status: int, body: bytes) -> bytes:
    """The body of a failed call as Bot API JSON (a proxy's HTML page is not quoted on)."""
    try:
        data = json.loads(body.decode("utf-8", "replace"))
        if isinstance(data, dict) and data.get("ok") is False:
            return body
    except ValueError:
        pass
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "HTTP error"
    return json.dumps({"ok": False, "error_code": status,
                       "description": f"{phrase} ({status}), not a Bot API answer"}).encode()


def _seconds(value: object, default: float) -> float | None:
    if isinstance(value, (int, float)):
        return float(value)
    if value is None:
        return None
    return default  # PTB's DEFAULT_NONE: use ours
