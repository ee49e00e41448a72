"""Tests of the fake Bot API itself: Telegram's validation, faults, long polling, PTB round trip.

The rest of the suite trusts this fake to behave like Telegram, so its rules are pinned here with
raw HTTP calls, and one real python-telegram-bot Application proves PTB accepts its answers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from aiohttp import web
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import RetryAfter
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from tests.fakebot import FakeBotApi, FakeUser
from tests.fakebot.ptb import app_builder, polling

pytest_plugins = ["tests.fakebot.fixtures"]

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
async def raw(fake_api: FakeBotApi) -> AsyncIterator[Raw]:
    async with httpx.AsyncClient(trust_env=False, timeout=5) as client:
        yield Raw(fake_api, client)


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
    assert await raw.ok("getMyCommands", scope=scope, language_code="nl") == nl
    assert await raw.ok("getMyCommands") == []
    assert await raw.ok("deleteMyCommands", scope=scope, language_code="nl")
    assert raw.api.commands == {}


async def test_message_ids_increase_and_deletes_are_checked(raw: Raw) -> None:
    first = await raw.ok("sendMessage", chat_id=CHAT, text="a")
    second = await raw.ok("sendMessage", chat_id=CHAT, text="b")
    assert second["message_id"] > first["message_id"]
    assert await raw.ok("deleteMessage", chat_id=CHAT, message_id=first["message_id"])
    again = await raw.json("deleteMessage", chat_id=CHAT, message_id=first["message_id"])
    assert error_of(again) == (400, "Bad Request: message to delete not found")
    unknown = await raw.json("deleteMessage", chat_id=CHAT, message_id=999)
    assert error_of(unknown)[1] == "Bad Request: message to delete not found"
    assert raw.api.deleted == [(CHAT, first["message_id"])]


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


async def test_waiting_helpers(raw: Raw) -> None:
    later = asyncio.create_task(raw.api.next_message(CHAT))
    since = raw.api.mark()
    await raw.ok("sendMessage", chat_id=CHAT, text="een")
    await raw.ok("sendMessage", chat_id=CHAT, text="twee")
    assert (await later)["text"] == "een"
    assert (await raw.api.next_message(CHAT))["text"] == "twee"
    call = await raw.api.wait_for(lambda c: c.params.get("text") == "twee", since=since)
    assert call.result["text"] == "twee"
    with pytest.raises(TimeoutError):
        await raw.api.next_message(CHAT, timeout=0.05)


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


async def test_delay_fault_slows_the_call(raw: Raw) -> None:
    raw.api.inject("getMe", delay=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await raw.ok("getMe")
    assert loop.time() - started >= 0.2


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


async def test_user_edits_arrive_as_edited_message(raw: Raw) -> None:
    sent = raw.api.send_text(CHAT, "eerst")
    edited = raw.api.edit_text(CHAT, sent["message"]["message_id"], "daarna")
    assert edited["edited_message"]["text"] == "daarna"
    updates = await raw.ok("getUpdates")
    assert [sorted(u) for u in updates] == [
        ["message", "update_id"],
        ["edited_message", "update_id"],
    ]


async def test_allowed_updates_filters_new_updates(raw: Raw) -> None:
    await raw.ok("getUpdates", allowed_updates=["callback_query"])
    raw.api.send_text(CHAT, "ignored")
    assert await raw.ok("getUpdates") == []
    assert len(raw.api.dropped_updates) == 1


async def test_stop_ends_a_waiting_long_poll(raw: Raw) -> None:
    poll = asyncio.create_task(raw.json("getUpdates", timeout=30))
    await asyncio.sleep(0.05)
    await raw.api.stop()
    response = await asyncio.wait_for(poll, 3)
    assert response.json() == {"ok": True, "result": []}


async def test_multipart_document_upload(raw: Raw) -> None:
    response = await raw.client.post(
        raw._url("sendDocument", None),
        data={"chat_id": str(CHAT), "caption": "verslag"},
        files={"document": ("plan.pdf", b"%PDF-1.4", "application/pdf")},
    )
    document = response.json()["result"]["document"]
    assert document["file_name"] == "plan.pdf"
    assert raw.api.calls[-1].params["document"].data == b"%PDF-1.4"
    file = await raw.ok("getFile", file_id=document["file_id"])
    download = await raw.client.get(f"{raw.api.base_file_url}{raw.api.token}/{file['file_path']}")
    assert download.content == b"%PDF-1.4"


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


# ------------------------------------------------------------------ PTB round trip


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    button = InlineKeyboardButton("Ja", callback_data="yes")
    await update.effective_message.reply_text("Doorgaan?", reply_markup=InlineKeyboardMarkup([[button]]))


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Genoteerd")
    await query.edit_message_text(f"Gekozen: {query.data}")


async def test_ptb_application_round_trip(fake_api: FakeBotApi, fake_user: FakeUser) -> None:
    app = app_builder(fake_api).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with polling(app):
        await fake_user.send("/start")
        reply = await fake_user.reply()
        assert reply.text == "Doorgaan?"
        assert reply.buttons == [[("Ja", "yes")]]
        clicked = await fake_user.click("Ja")
        assert clicked.answer is not None
        assert clicked.answer["text"] == "Genoteerd"
        assert clicked.edited
        assert clicked.screen is not None
        assert clicked.screen.text == "Gekozen: yes"
        assert fake_user.screen is not None
        assert fake_user.screen.buttons == []
    methods = {c.method for c in fake_api.calls}
    assert {"getMe", "deleteWebhook", "getUpdates"} <= methods


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    rows = [[InlineKeyboardButton("Meer", callback_data="more")]]
    await context.bot.send_message(
        update.effective_chat.id,
        f"<b>Menu</b> voor {update.effective_chat.type}",
        parse_mode="HTML",
        reply_markup=InlineKeyboardMarkup(rows),
    )


async def more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.message is not None
    await query.answer("Let op", show_alert=True)
    await context.bot.send_message(query.message.chat.id, "Nieuw bericht")


async def test_click_that_sends_a_new_message_in_a_group(fake_api: FakeBotApi) -> None:
    app = app_builder(fake_api).build()
    app.add_handler(CommandHandler("menu", menu))
    app.add_handler(CallbackQueryHandler(more))
    member = FakeUser(fake_api, -1001, user_id=77, chat_type="group")
    async with polling(app):
        await member.send("/menu")
        assert (await member.reply()).text == "Menu voor group"
        with pytest.raises(LookupError):
            await member.click("Minder")
        clicked = await member.click("more")  # by callback data
        assert clicked.answer is not None
        assert clicked.answer["show_alert"] is True
        assert clicked.screen is not None
        assert not clicked.edited
        assert clicked.screen.text == "Nieuw bericht"
        assert member.screen == clicked.screen


async def test_ptb_sees_429_as_retry_after(fake_api: FakeBotApi, monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22.2+ warns on every RetryAfter unless timedelta mode is opted into; with
    # filterwarnings=error that warning would replace the RetryAfter itself.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    app = app_builder(fake_api).build()
    fake_api.inject("sendMessage", status=429, retry_after=1)
    async with app:
        with pytest.raises(RetryAfter) as raised:
            await app.bot.send_message(CHAT, "hallo")
        assert raised.value.retry_after == dt.timedelta(seconds=1)
        await app.bot.send_message(CHAT, "hallo")
    statuses = [c.status for c in fake_api.calls if c.method == "sendMessage"]
    assert statuses == [429, 200]
    assert len(fake_api.sent_messages(CHAT)) == 1
