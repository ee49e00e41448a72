"""A small HTTP/1.1 server with hard limits, for the webhook and the metrics port.

Why our own: the webhook is reachable by anyone who finds its URL, and the server
python-telegram-bot uses (tornado) read unauthenticated bodies in full (50 MB with a
wrong secret) and held slow connections without a deadline (1,100 of them used up the
process's file descriptors). Here every limit is explicit:

- headers must arrive within `header_timeout` and fit in `max_header_bytes`;
- a request may be refused after its headers (`authorize`), before its body is read;
- the body needs a Content-Length no larger than `max_body_bytes` (no chunked bodies:
  Telegram and reverse proxies send a length) and must arrive within `body_timeout`;
- at most `max_connections` connections at once. At the limit a new connection
  pushes out the oldest one still sending its headers (a slow client cannot hold its
  place against a quick one); when every connection is past its headers, the new one
  is closed at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus

log = logging.getLogger("beschermwijzer.http")


@dataclass(frozen=True)
class Limits:
    max_header_bytes: int = 8 * 1024
    max_body_bytes: int = 1024 * 1024
    header_timeout: float = 10.0
    body_timeout: float = 10.0
    max_connections: int = 200


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes = b""


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    close: bool = False


Handler = Callable[[Request], Awaitable[Response]]
Authorize = Callable[[Request], Response | None]  # sees the request without its body
Refused = Callable[[str], None]  # told why a request was refused (for metrics)


@dataclass
class HttpServer:
    handler: Handler
    limits: Limits = field(default_factory=Limits)
    authorize: Authorize = lambda request: None
    on_refused: Refused = lambda reason: None
    _server: asyncio.Server | None = None
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)
    # connections waiting for (more of) their headers, oldest first
    _waiting: OrderedDict[asyncio.StreamWriter, None] = field(default_factory=OrderedDict)

    async def start(self, host: str, port: int) -> int:
        """Listen; returns the port (useful with port 0)."""
        self._server = await asyncio.start_server(self._serve, host, port,
                                                  limit=self.limits.max_header_bytes)
        sockets = self._server.sockets
        return int(sockets[0].getsockname()[1]) if sockets else port

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 1.0)
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if len(self._writers) >= self.limits.max_connections:
            self.on_refused("too_many_connections")
            if not self._waiting:
                writer.close()
                return
            oldest, _ = self._waiting.popitem(last=False)
            self._writers.discard(oldest)
            oldest.close()
        self._writers.add(writer)
        try:
            while await self._one_request(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._writers.discard(writer)
            self._waiting.pop(writer, None)
            writer.close()

    async def _one_request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Serve one request; True to keep the connection for another."""
        self._waiting[writer] = None
        try:
            async with asyncio.timeout(self.limits.header_timeout):
                head = await reader.readuntil(b"\r\n\r\n")
        except TimeoutError:
            self.on_refused("header_timeout")
            return False
        except asyncio.LimitOverrunError:
            self.on_refused("headers_too_large")
            await _respond(writer, Response(431, close=True))
            return False
        except asyncio.IncompleteReadError:
            return False  # the client went away between requests
        finally:
            self._waiting.pop(writer, None)
        request = _parse_head(head)
        if request is None:
            self.on_refused("malformed")
            await _respond(writer, Response(400, close=True))
            return False
        refusal = self.authorize(request)
        if refusal is not None:
            refusal.close = True  # its body was never read: the connection cannot go on
            await _respond(writer, refusal)
            return False
        if "transfer-encoding" in request.headers:
            self.on_refused("chunked")
            await _respond(writer, Response(411, close=True))
            return False
        length_text = request.headers.get("content-length", "0")
        if not length_text.isdigit():
            self.on_refused("malformed")
            await _respond(writer, Response(400, close=True))
            return False
        length = int(length_text)
        if length > self.limits.max_body_bytes:
            self.on_refused("body_too_large")
            await _respond(writer, Response(413, close=True))
            return False
        try:
            async with asyncio.timeout(self.limits.body_timeout):
                request.body = await reader.readexactly(length) if length else b""
        except TimeoutError:
            self.on_refused("body_timeout")
            await _respond(writer, Response(408, close=True))
            return False
        try:
            response = await self.handler(request)
        except Exception as exc:  # a handler bug answers 500 and is logged without data
            log.error("HTTP handler failed: %s", type(exc).__name__)
            response = Response(500, close=True)
        keep = not response.close and request.headers.get("connection", "").lower() != "close"
        response.close = not keep
        await _respond(writer, response)
        return keep


def _parse_head(head: bytes) -> Request | None:
    try:
        text = head.decode("latin-1")
        request_line, *lines = text.split("\r\n")
        method, target, version = request_line.split(" ")
    except ValueError:
        return None
    if not version.startswith("HTTP/1."):
        return None
    headers: dict[str, str] = {}
    for line in lines:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            return None
        headers[name.lower()] = value.strip()
    path = target.split("?", 1)[0]
    return Request(method.upper(), path, headers)


async def _respond(writer: asyncio.StreamWriter, response: Response) -> None:
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = "Status"
    head = (f"HTTP/1.1 {response.status} {phrase}\r\n"
            f"Content-Type: {response.content_type}\r\n"
            f"Content-Length: {len(response.body)}\r\n"
            f"Connection: {'close' if response.close else 'keep-alive'}\r\n\r\n")
    writer.write(head.encode("latin-1") + response.body)
    with contextlib.suppress(ConnectionError, TimeoutError):
        async with asyncio.timeout(5.0):
            await writer.drain()
