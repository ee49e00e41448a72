"""Tests of the fake Bot API itself: that it refuses what Telegram refuses, for the methods the
bot uses, and answers the faults and the update semantics the bot's tests rely on.

The rest of the suite (and the benchmarks) trusts this fake to behave like Telegram, so its rules
are pinned here with raw HTTP calls. That python-telegram-bot accepts its answers is proven by
the bot's own tests, which run the production wiring against it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiohttp import web

from fakebot import FakeBotApi, VirtualClock

CHAT = 4242
KEYBOARD = {"inline_keyboard": [[{"text": "Ja", "callback_data": "yes"}]]}


class Raw:
    """Minimal Bot API client for poking the fake the way any HTTP client would."""

    def __init__(self, api: FakeBotApi, client: httpx.AsyncClient) -> None:
        self.api = api
        self.client = client

    async def json(self, method: str, token: str | None = None, **params: Any) -> httpx.Response:
        """POST with a JSON body."""
        return await self.client.post(self._url(method, token), json=params)

    async def form(self, method: str, **params: Any) -> httpx.Response:
        """POST form-encoded with JSON-encoded non-strings, exactly as PTB 22 does."""
        data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
        return await self.client.post(self._url(method, None), data=data)

    async def ok(self, method: str, **params: Any) -> Any:
        """The result of a call that must succeed."""
        response = await self.json(method, **params)
        assert response.status_code == 200, response.text
        return response.json()["result"]

    def _url(self, method: str, token: str | None) -> str:
        return f"{self.api.base_url}{token or self.api.token}/{method}"


@pytest_asyncio.fixture
async def raw(api: FakeBotApi) -> AsyncIterator[Raw]:
    async with httpx.AsyncClient(trust_env=False, timeout=5) as client:
        yield Raw(api, client)


def error_of(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert body["ok"] is False
    assert body["error_code"] == response.status_code
    return response.status_code, body["description"]


# ------------------------------------------------------------------ validation


async def test_wrong_token_is_unauthorized(raw: Raw) -> None:
    response = await raw.json("getMe", token="1:wrong")
    assert error_of(response) == (401, "Unauthorized")
    assert raw.api.calls[-1].status == 401


async def test_get_me_describes_the_bot(raw: Raw) -> None:
    me = await raw.ok("getMe")
    assert me["is_bot"] is True
    assert me["id"] == int(raw.api.token.split(":")[0])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("x" * 4097, "Bad Request: message is too long"),
        ("", "Bad Request: message text is empty"),
        ("   ", "Bad Request: message must be non-empty"),
    ],
)
async def test_text_length_is_validated(raw: Raw, text: str, reason: str) -> None:
    response = await raw.json("sendMessage", chat_id=CHAT, text=text)
    assert error_of(response) == (400, reason)
    assert raw.api.sent_messages() == []


async def test_text_limit_counts_after_html_parsing(raw: Raw) -> None:
    text = "<b>" + "x" * 4096 + "</b>"
    message = await raw.ok("sendMessage", chat_id=CHAT, text=text, parse_mode="HTML")
    assert message["text"] == "x" * 4096


async def test_unknown_parse_mode_is_rejected(raw: Raw) -> None:
    response = await raw.json("sendMessage", chat_id=CHAT, text="hi", parse_mode="Fancy")
    assert error_of(response) == (400, "Bad Request: unsupported parse_mode")


async def test_callback_data_over_64_bytes_is_rejected(raw: Raw) -> None:
    for data in ("x" * 65, "é" * 33):  # 65 and 66 bytes
        markup = {"inline_keyboard": [[{"text": "b", "callback_data": data}]]}
        response = await raw.form("sendMessage", chat_id=CHAT, text="t", reply_markup=markup)
        assert error_of(response) == (400, "Bad Request: BUTTON_DATA_INVALID")
    markup = {"inline_keyboard": [[{"text": "b", "callback_data": "x" * 64}]]}
    response = await raw.form("sendMessage", chat_id=CHAT, text="t", reply_markup=markup)
    assert response.status_code == 200


async def test_empty_button_text_is_rejected(raw: Raw) -> None:
    markup = {"inline_keyboard": [[{"text": "", "callback_data": "a"}]]}
    response = await raw.json("sendMessage", chat_id=CHAT, text="t", reply_markup=markup)
    assert error_of(response)[1] == "Bad Request: inline keyboard button text must be non-empty"


@pytest.mark.parametrize("name", ["Start", "with-dash", "", "x" * 33])
async def test_bad_command_name_is_rejected(raw: Raw, name: str) -> None:
    commands = [{"command": name, "description": "d"}]
    response = await raw.form("setMyCommands", commands=commands)
    assert error_of(response) == (400, "Bad Request: BOT_COMMAND_INVALID")
    assert raw.api.commands == {}


async def test_command_limits(raw: Raw) -> None:
    many = [{"command": f"c{i}", "description": "d"} for i in range(101)]
    response = await raw.json("setMyCommands", commands=many)
    assert error_of(response) == (400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
    long = [{"command": "help", "description": "d" * 257}]
    assert (await raw.json("setMyCommands", commands=long)).status_code == 400


async def test_commands_are_kept_per_scope_and_language(raw: Raw) -> None:
    nl = [{"command": "start", "description": "Begin"}]
    scope = {"type": "chat", "chat_id": CHAT}
    assert await raw.ok("setMyCommands", commands=nl, scope=scope, language_code="nl")
    assert raw.api.commands == {(f"chat:{CHAT}", "nl"): nl}
    assert await raw.ok("setMyCommands", commands=[], scope=scope, language_code="nl")
    assert raw.api.commands == {}


async def test_message_ids_increase_and_deletes_skip_the_missing(raw: Raw) -> None:
    first = await raw.ok("sendMessage", chat_id=CHAT, text="a")
    second = await raw.ok("sendMessage", chat_id=CHAT, text="b")
    assert second["message_id"] > first["message_id"]
    # deleteMessages skips what cannot be found, as documented; an empty list is refused
    assert await raw.ok("deleteMessages", chat_id=CHAT, message_ids=[first["message_id"], 999])
    assert await raw.ok("deleteMessages", chat_id=CHAT, message_ids=[first["message_id"]])
    assert error_of(await raw.json("deleteMessages", chat_id=CHAT, message_ids=[]))[1] == \
        "Bad Request: message_ids is empty"
    assert raw.api.deleted == [(CHAT, first["message_id"])]
    edit = await raw.json("editMessageText", chat_id=CHAT, message_id=first["message_id"], text="c")
    assert error_of(edit)[1] == "Bad Request: message to edit not found"


async def test_edit_with_same_content_is_not_modified(raw: Raw) -> None:
    sent = await raw.ok("sendMessage", chat_id=CHAT, text="a", reply_markup=KEYBOARD)
    where = {"chat_id": CHAT, "message_id": sent["message_id"]}
    same = await raw.json("editMessageText", text="a", reply_markup=KEYBOARD, **where)
    assert error_of(same)[1].startswith("Bad Request: message is not modified")
    edited = await raw.ok("editMessageText", text="a", **where)  # drops the keyboard
    assert "reply_markup" not in edited
    assert "edit_date" in edited
    bold = await raw.ok("editMessageText", text="<b>a</b>", parse_mode="HTML", **where)
    assert bold["text"] == "a"  # same visible text, but the formatting changed
    again = await raw.json("editMessageText", text="<b>a</b>", parse_mode="html", **where)
    assert error_of(again)[0] == 400
    missing = await raw.json("editMessageText", chat_id=CHAT, message_id=99, text="b")
    assert error_of(missing)[1] == "Bad Request: message to edit not found"


async def test_callback_query_can_be_answered_once(raw: Raw) -> None:
    sent = await raw.ok("sendMessage", chat_id=CHAT, text="a", reply_markup=KEYBOARD)
    update = raw.api.press(CHAT, sent, "yes")
    query_id = update["callback_query"]["id"]
    assert await raw.ok("answerCallbackQuery", callback_query_id=query_id, text="ok")
    for bad_id in (query_id, "12345"):
        response = await raw.json("answerCallbackQuery", callback_query_id=bad_id)
        assert error_of(response) == (
            400,
            "Bad Request: query is too old and response timeout expired or query ID is invalid",
        )
    assert raw.api.callback_answers == [{"callback_query_id": query_id, "text": "ok"}]


# ------------------------------------------------------------------ faults


async def test_injected_429_carries_retry_after(raw: Raw) -> None:
    raw.api.inject("sendMessage", retry_after=3)
    response = await raw.json("sendMessage", chat_id=CHAT, text="a")
    body = response.json()
    assert response.status_code == 429
    assert body["description"] == "Too Many Requests: retry after 3"
    assert body["parameters"] == {"retry_after": 3}
    assert raw.api.calls[-1].fault == "429"
    assert raw.api.sent_messages() == []  # a faulted send creates nothing
    assert (await raw.json("sendMessage", chat_id=CHAT, text="a")).status_code == 200


async def test_dropped_connection_and_outage(raw: Raw) -> None:
    raw.api.inject("getMe", drop=True)
    with pytest.raises(httpx.RemoteProtocolError):
        await raw.json("getMe")
    raw.api.outage("*", 0.2)
    assert (await raw.json("getMe")).status_code == 502
    await asyncio.sleep(0.25)
    assert (await raw.json("getMe")).status_code == 200
    assert [c.status for c in raw.api.calls] == [0, 502, 200]


async def test_an_outage_runs_on_the_fakes_clock() -> None:
    clock = VirtualClock()
    api = FakeBotApi(clock=clock.now)
    api.outage("getUpdates", 30.0)
    assert (await api.call("getUpdates", {}))[0] == 502
    await clock.sleep(29.9)
    assert (await api.call("getUpdates", {}))[0] == 502
    await clock.sleep(0.2)
    assert await api.call("getUpdates", {}) == (200, {"ok": True, "result": []})
    assert [c.time for c in api.calls] == [0.0, 29.9, pytest.approx(30.1)]


async def test_lean_mode_answers_alike_but_keeps_nothing() -> None:
    """The load benchmarks' mode: replies reach a waiting user, Telegram's flood limit is
    emulated, and no call or message is kept."""
    api = FakeBotApi(lean=True)
    api.flood_limit(2)
    waiting = api.expect(CHAT)
    markup = {"inline_keyboard": [[{"text": "Ja", "callback_data": "a|1|y|m"}]]}
    status, body = await api.call("sendMessage", {"chat_id": CHAT, "text": "t",
                                                  "reply_markup": markup})
    assert status == 200 and body["result"]["chat"]["id"] == CHAT
    reply = await asyncio.wait_for(waiting, 1)
    assert (reply.text, reply.buttons) == ("t", ["a|1|y|m"])
    assert reply.message_id == body["result"]["message_id"]
    edited = {"chat_id": CHAT, "message_id": reply.message_id, "text": "u"}
    assert (await api.call("editMessageText", edited))[0] == 200
    status, body = await api.call("sendMessage", {"chat_id": CHAT, "text": "v"})
    assert (status, body["parameters"]) == (429, {"retry_after": 1})
    assert api.counts["429"] == 1 and len(api.stamps) == 2
    assert api.calls == [] and api.store.messages == {}


# ------------------------------------------------------------------ updates and requests


async def test_long_poll_wakes_on_push_and_honours_offset(raw: Raw) -> None:
    poll = asyncio.create_task(raw.ok("getUpdates", timeout=10))
    await asyncio.sleep(0.05)  # let the poll start waiting; the push must wake it
    pushed = raw.api.send_text(CHAT, "hallo")
    updates = await asyncio.wait_for(poll, 2)
    assert [u["update_id"] for u in updates] == [pushed["update_id"]]
    assert updates[0]["message"]["from"]["language_code"] == "nl"
    raw.api.send_command(CHAT, "/start")
    both = await raw.ok("getUpdates", limit=1)
    assert len(both) == 1
    assert both[0]["update_id"] == pushed["update_id"]  # not confirmed yet
    rest = await raw.ok("getUpdates", offset=pushed["update_id"] + 1)
    assert rest[0]["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]


async def test_allowed_updates_filters_new_updates(raw: Raw) -> None:
    await raw.ok("getUpdates", allowed_updates=["callback_query"])
    raw.api.send_text(CHAT, "ignored")
    assert await raw.ok("getUpdates") == []
    assert len(raw.api.dropped_updates) == 1


async def test_webhook_is_recorded_and_updates_can_be_posted(raw: Raw) -> None:
    seen: list[tuple[str | None, Any]] = []

    async def receive(request: web.Request) -> web.Response:
        token = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
        seen.append((token, await request.json()))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
        assert await raw.ok("setWebhook", url=url, secret_token="s3cret")
        assert raw.api.webhook["secret_token"] == "s3cret"
        assert error_of(await raw.json("getUpdates"))[0] == 409
        update = {"update_id": 1, "message": {"text": "x"}}
        assert await raw.api.post_update_to(url, update, secret_token="s3cret") == 200
        assert seen == [("s3cret", update)]
    finally:
        await runner.cleanup()
