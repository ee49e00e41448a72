"""Webhook mode: only POSTs carrying the secret token are processed."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import AsyncIterator

import pytest

from bot.core import Core
from bot.logs import FORMAT, SafeFormatter, apply_levels
from bot.ops.metrics import METRICS
from bot.telegram.app import WEBHOOK_PATH
from bot.telegram.service import BotService
from bot.telegram.settings import TelegramSettings
from tests.fakebot.server import FakeBotApi

SECRET = "s3cret-token_for-tests"


def update(update_id: int, chat_id: int) -> dict[str, object]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1_700_000_000, "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        "chat": {"id": chat_id, "type": "private", "first_name": "T"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "T", "language_code": "nl"}}}


def webhook_settings(api: FakeBotApi, **extra: object) -> TelegramSettings:
    return TelegramSettings(token=api.token, api_base_url=api.base_url,
                            webhook_url=f"https://bot.example.invalid/{WEBHOOK_PATH}",
                            webhook_secret=SECRET, webhook_port=0, **extra)  # type: ignore[arg-type]


async def test_webhook_refuses_posts_without_the_secret(core: Core) -> None:
    async with FakeBotApi() as api, BotService(core, webhook_settings(api)) as service:
        hook = await api.wait_for(lambda c: c.method == "setWebhook", since=0)
        assert hook.params["secret_token"] == SECRET
        url = f"http://127.0.0.1:{service.webhook_port}/{WEBHOOK_PATH}"
        assert await api.post_update_to(url, update(1, 11)) == 403
        assert await api.post_update_to(url, update(2, 12), secret_token="wrong") == 403
        assert await api.post_update_to(url, update(3, 13), secret_token=SECRET) == 200
        reply = await api.next_message(13)
        assert "direct gevaar" in reply["text"]
        assert api.sent_messages(11) == [] and api.sent_messages(12) == []


async def raw_exchange(port: int, head: bytes, body: bytes = b"", wait: float = 3.0) -> bytes:
    """Send bytes as they are; return what the server answered before closing or `wait`."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head + body)
        await writer.drain()
        async with asyncio.timeout(wait):
            return await reader.read(65536)
    except TimeoutError:
        return b"<no answer>"
    finally:
        writer.close()


def post_head(secret: str, length: int, path: str = f"/{WEBHOOK_PATH}") -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
            f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\nContent-Length: {length}\r\n\r\n").encode()


@pytest.fixture
async def hooked(core: Core) -> AsyncIterator[tuple[FakeBotApi, BotService]]:
    async with FakeBotApi() as api, BotService(core, webhook_settings(
            api, webhook_timeout=0.5, webhook_max_connections=5, webhook_max_body=64 * 1024)) as service:
        yield api, service


async def test_a_wrong_secret_is_refused_before_the_body_is_read(
        hooked: tuple[FakeBotApi, BotService]) -> None:
    """Issue 13 item 6: a 50 MB body with a wrong secret was read in full (RSS +94 MB)."""
    _, service = hooked
    assert service.webhook_port is not None
    answer = await raw_exchange(service.webhook_port, post_head("wrong", 50_000_000), b"{")
    assert answer.startswith(b"HTTP/1.1 403")


async def test_a_body_larger_than_telegram_sends_is_refused_unread(
        hooked: tuple[FakeBotApi, BotService]) -> None:
    _, service = hooked
    assert service.webhook_port is not None
    answer = await raw_exchange(service.webhook_port, post_head(SECRET, 90_000_000), b"{")
    assert answer.startswith(b"HTTP/1.1 413")


async def test_slow_headers_and_slow_bodies_are_cut_off(hooked: tuple[FakeBotApi, BotService]) -> None:
    """1,100 slow connections used up the file descriptors: every connection has deadlines."""
    _, service = hooked
    port = service.webhook_port
    assert port is not None
    slow_head = await raw_exchange(port, b"POST /telegram HTTP/1.1\r\nHost: b", wait=3.0)
    assert slow_head == b"", "closed after the header timeout, without an answer"
    slow_body = await raw_exchange(port, post_head(SECRET, 500), b'{"update_id": 1', wait=3.0)
    assert slow_body.startswith(b"HTTP/1.1 408")
    refused = METRICS.value("beschermwijzer_webhook_refused_total", {"reason": "body_timeout"})
    assert refused >= 1


async def test_slow_connections_cannot_keep_a_real_update_out(
        hooked: tuple[FakeBotApi, BotService]) -> None:
    """1,100 slow connections used up the file descriptors and real updates timed out.
    Connections are capped; at the cap a new one pushes out the oldest still in its headers."""
    api, service = hooked
    port = service.webhook_port
    assert port is not None
    slow = [await asyncio.open_connection("127.0.0.1", port) for _ in range(5)]  # the cap
    try:
        for _, writer in slow:
            writer.write(b"POST /telegram HTTP/1.1\r\n")
        await asyncio.sleep(0.1)
        url = f"http://127.0.0.1:{port}/{WEBHOOK_PATH}"
        assert await api.post_update_to(url, update(40, 41), secret_token=SECRET, timeout=0.4) == 200
        assert "direct gevaar" in (await api.next_message(41))["text"]
        oldest_reader = slow[0][0]
        async with asyncio.timeout(0.2):
            assert await oldest_reader.read() == b"", "the oldest slow connection was pushed out"
    finally:
        for _, writer in slow:
            writer.close()
    pushed = METRICS.value("beschermwijzer_webhook_refused_total", {"reason": "too_many_connections"})
    assert pushed >= 1


async def test_the_secret_is_compared_in_constant_time(
        hooked: tuple[FakeBotApi, BotService], monkeypatch: pytest.MonkeyPatch) -> None:
    api, service = hooked
    compared: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr("bot.telegram.webhook.hmac.compare_digest", spy)
    url = f"http://127.0.0.1:{service.webhook_port}/{WEBHOOK_PATH}"
    assert await api.post_update_to(url, update(50, 51), secret_token="nearly-" + SECRET) == 403
    assert compared == [(("nearly-" + SECRET).encode(), SECRET.encode())]


async def test_unreadable_updates_on_the_webhook_are_acknowledged_and_never_logged(
        hooked: tuple[FakeBotApi, BotService], caplog: pytest.LogCaptureFixture) -> None:
    """Issue 13 item 1: PTB logged a malformed webhook update, typed text included, at ERROR."""
    api, service = hooked
    marker = "PRIVhook2323"
    apply_levels(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    before = METRICS.value("beschermwijzer_updates_total", {"outcome": "unparsable"})
    try:
        port = service.webhook_port
        assert port is not None
        bad = update(60, 61)
        del bad["message"]["date"]  # type: ignore[attr-defined]
        bad["message"]["text"] = marker  # type: ignore[index]
        url = f"http://127.0.0.1:{port}/{WEBHOOK_PATH}"
        assert await api.post_update_to(url, bad, secret_token=SECRET) == 200
        body = f'{{"update_id": 62, "message": "{marker}'.encode()
        assert (await raw_exchange(port, post_head(SECRET, len(body)), body)).startswith(b"HTTP/1.1 200")
        assert await api.post_update_to(url, update(63, 64), secret_token=SECRET) == 200
        assert "direct gevaar" in (await api.next_message(64))["text"]
    finally:
        apply_levels(logging.WARNING)
    assert METRICS.value("beschermwijzer_updates_total", {"outcome": "unparsable"}) == before + 2
    assert api.sent_messages(61) == []
    for record in caplog.records:
        assert marker not in SafeFormatter(FORMAT).format(record)
        assert marker not in record.getMessage()
