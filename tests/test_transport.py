"""The aiohttp request class: what goes over the wire and how failures map onto PTB's errors."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram.transport import AiohttpRequest


@dataclass
class Seen:
    content_type: str = ""
    body: Any = None
    fields: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, Seen]]:
    seen = Seen()

    async def handle(request: web.Request) -> web.Response:
        seen.content_type = request.content_type
        if request.match_info["method"] == "slow":
            await asyncio.sleep(2)
        if request.content_type == "application/json":
            seen.body = await request.json()
        else:
            form = await request.post()
            seen.fields = {k: (v.file.read() if isinstance(v, web.FileField) else v)
                           for k, v in form.items()}
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}/botTOKEN", seen
    finally:
        await runner.cleanup()


def _data(**params: Any) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in params.items()])


async def test_plain_requests_go_as_json_with_nested_objects(server: tuple[str, Seen]) -> None:
    base, seen = server
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Ja 👍", callback_data="a|1|y|x")]])
    request = AiohttpRequest()
    await request.initialize()
    try:
        status, payload = await request.do_request(f"{base}/sendMessage", "POST",
                                                   _data(chat_id=7, text="مرحبا", reply_markup=markup))
    finally:
        await request.shutdown()
    assert status == 200 and json.loads(payload)["ok"] is True
    assert seen.content_type == "application/json"
    assert seen.body == {"chat_id": 7, "text": "مرحبا", "reply_markup": {
        "inline_keyboard": [[{"text": "Ja 👍", "callback_data": "a|1|y|x"}]]}}


async def test_files_go_as_multipart(server: tuple[str, Seen]) -> None:
    base, seen = server
    request = AiohttpRequest()
    await request.initialize()
    try:
        await request.do_request(f"{base}/sendDocument", "POST", _data(
            chat_id=7, document=InputFile(b"kaart", filename="kaart.txt")))
    finally:
        await request.shutdown()
    assert seen.content_type == "multipart/form-data"
    assert seen.fields["chat_id"] == "7"
    assert seen.fields["document"] == b"kaart"


async def test_a_slow_answer_is_timed_out(server: tuple[str, Seen]) -> None:
    base, _ = server
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.do_request(f"{base}/slow", "POST", _data(chat_id=7))
    finally:
        await request.shutdown()


async def test_a_refused_connection_is_a_network_error_without_the_url() -> None:
    request = AiohttpRequest(connect_timeout=1)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.do_request("http://127.0.0.1:9/botSECRET123/getMe", "POST")
    finally:
        await request.shutdown()
    assert "SECRET123" not in str(caught.value)
