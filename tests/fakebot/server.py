"""A fake Telegram Bot API server for end-to-end tests of the bot without network access.

The bot under test talks real HTTP to ``FakeBotApi.base_url`` exactly as it would to
api.telegram.org, so request encoding, long polling, error handling and retries are exercised for
real. Tests drive it from the user's side (push updates, press buttons), inject faults, and
inspect every call the bot made.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import httpx
from aiohttp import web

from . import _builders as build
from . import _rules as rules
from ._model import ApiError, Call, Fault, JsonDict, Outage, Signal, Upload, bad_request
from ._params import error_response, int_list, read_params, require, require_int
from ._store import ChatStore

DEFAULT_TOKEN = "123456789:AAFakeTokenForTests-0123456789abcdef"
# Update types Telegram only delivers when they are asked for explicitly in allowed_updates.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
POLL_TERMINATED = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
MESSAGE_METHODS = frozenset({"sendMessage", "sendDocument"})
EDIT_METHODS = frozenset({"editMessageText", "editMessageReplyMarkup"})

Handler = Callable[[JsonDict], Awaitable[Any]]


@dataclass
class _StoredFile:
    """An uploaded file, served again by getFile and the file download URL."""

    upload: Upload
    info: JsonDict
    path: str


class FakeBotApi:
    """An in-process Bot API server on 127.0.0.1; use ``async with FakeBotApi() as api``."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "fake_test_bot",
        bot_name: str = "Fake Bot",
    ) -> None:
        self.token = token
        self.bot = build.bot_user(_bot_id(token), bot_name, bot_username)
        self.calls: list[Call] = []
        self.store = ChatStore()
        self.webhook: JsonDict = {"url": "", "secret_token": None}
        self.dropped_updates: list[JsonDict] = []
        self._updates: list[JsonDict] = []
        self._update_ids = itertools.count(10_000)
        self._query_ids = itertools.count(4_242_000_000_000_000_001)
        self._allowed: frozenset[str] | None = None
        self._pending_queries: set[str] = set()
        self._commands: dict[tuple[str, str], list[JsonDict]] = {}
        self._faults: defaultdict[str, deque[Fault]] = defaultdict(deque)
        self._outages: list[Outage] = []
        self._blocked: set[int] = set()
        self._files: dict[str, _StoredFile] = {}
        self._outbox: defaultdict[int, list[JsonDict]] = defaultdict(list)
        self._read: defaultdict[int, int] = defaultdict(int)
        self._poll_generation = 0
        self._closing = False
        self._signal = Signal()
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._names: dict[str, str] = {}
        self._handlers = self._method_table()

    # ----------------------------------------------------------------- lifecycle

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._on_request)
        app.router.add_get("/file/bot{token}/{path:.+}", self._on_file)
        app.router.add_route("*", "/redirect-loop/{tail:.*}", _redirect_loop)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Stop serving; pending long polls and delayed calls return at once."""
        self._closing = True
        self._signal.notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        """What to give PTB as ``base_url`` (it appends the token and ``/method``)."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """What to give PTB as ``base_file_url`` for downloading files."""
        return f"http://127.0.0.1:{self._port}/file/bot"

    # ----------------------------------------------------------------- HTTP layer

    async def _on_request(self, request: web.Request) -> web.StreamResponse:
        """Authenticate, apply injected faults, dispatch, and record the call."""
        method = self._canonical(request.match_info["method"])
        call = Call(method, {}, asyncio.get_running_loop().time())
        try:
            call.params = await read_params(request)
        except ApiError as error:
            return self._fail(call, error)
        if request.match_info["token"] != self.token:
            return self._fail(call, ApiError(401, "Unauthorized"))
        fault = self._take_fault(method)
        if fault is not None:
            return await self._apply_fault(request, call, fault)
        return await self._answer(call)

    async def _answer(self, call: Call) -> web.Response:
        """Run the method and answer with Telegram's ``{"ok": true, "result": ...}``."""
        handler = self._handlers.get(call.method.lower())
        if handler is None:
            return self._fail(call, ApiError(404, "Not Found"))
        try:
            call.result = await handler(call.params)
        except ApiError as error:
            return self._fail(call, error, call.fault)
        except Exception as exc:
            # A bug in the fake itself: keep it visible in the record, and let aiohttp log the
            # traceback and answer 500.
            call.status, call.description, call.fault = 500, repr(exc), "fake-bug"
            self._record(call)
            raise
        self._record(call)
        return web.json_response({"ok": True, "result": call.result})

    def _fail(self, call: Call, error: ApiError, fault: str | None = None) -> web.Response:
        """Answer and record a failed call."""
        call.status, call.description, call.fault = error.status, error.description, fault
        self._record(call)
        return error_response(error)

    async def _apply_fault(self, request: web.Request, call: Call, fault: Fault) -> web.Response:
        """Delay, drop or fail a call; only a delay-only fault lets the method run afterwards."""
        if fault.delay:
            await self._sleep(fault.delay)
        if fault.drop:
            call.status, call.description, call.fault = 0, "connection dropped", "drop"
            self._record(call)
            return _drop_connection(request)
        if fault.redirect:
            call.status, call.description, call.fault = 302, "redirect", "redirect"
            self._record(call)
            raise web.HTTPFound(location=f"/redirect-loop{request.path}")
        if fault.raw_body is not None:
            call.status, call.description, call.fault = fault.status or 200, "raw body", "raw"
            self._record(call)
            return web.Response(status=fault.status or 200, body=fault.raw_body,
                                content_type="application/json")
        error = fault.error()
        if error is not None:
            return self._fail(call, error, fault.label())
        call.fault = fault.label()
        return await self._answer(call)

    async def _on_file(self, request: web.Request) -> web.Response:
        """Serve an uploaded file the way api.telegram.org/file/bot<token>/<path> does."""
        path = request.match_info["path"]
        stored = next((f for f in self._files.values() if f.path == path), None)
        if request.match_info["token"] != self.token or stored is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=stored.upload.data, content_type=stored.upload.content_type)

    def _record(self, call: Call) -> None:
        """Keep the call and wake everybody waiting for one."""
        call.seq = len(self.calls)
        self.calls.append(call)
        if call.ok and call.method in MESSAGE_METHODS:
            self._outbox[call.result["chat"]["id"]].append(call.result)
        self._signal.notify()

    async def _sleep(self, seconds: float) -> None:
        """Sleep that ends early when the server stops, so shutdown never waits on it."""
        await self._signal.wait_until(lambda: self._closing, seconds)

    # ----------------------------------------------------------------- faults

    def inject(
        self,
        method: str,
        *,
        status: int | None = None,
        retry_after: int | None = None,
        times: int = 1,
        delay: float | None = None,
        drop: bool = False,
        description: str | None = None,
        raw_body: bytes | None = None,
        redirect: bool = False,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail, stall or lose their connection.

        ``retry_after`` alone implies status 429. A delay combines with a status or a drop
        (it happens first); a delay alone only slows the call down. ``raw_body`` answers
        with those bytes (not Bot API JSON, say) and ``status`` (default 200); ``redirect``
        answers 302 into a loop of redirects (a client that follows them never arrives).
        """
        if retry_after is not None and status is None:
            status = 429
        if status is None and delay is None and not drop and raw_body is None and not redirect:
            raise ValueError("inject needs a status, retry_after, delay, drop, raw_body or redirect")
        fault = Fault(status, retry_after, delay, drop, description, raw_body, redirect)
        self._faults[self._canonical(method)].extend(fault for _ in range(times))

    def outage(self, method: str, seconds: float, *, status: int = 502) -> None:
        """Make ``method`` (``"*"``: every method) fail with ``status`` for ``seconds``."""
        until = asyncio.get_running_loop().time() + seconds
        self._outages.append(Outage(self._canonical(method), until, status))

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: sends to this chat get 403 from now on."""
        self._blocked.add(chat_id)

    def _take_fault(self, method: str) -> Fault | None:
        """The fault that applies to this call now, consuming an injected one."""
        now = asyncio.get_running_loop().time()
        self._outages = [o for o in self._outages if o.until > now]
        for outage in self._outages:
            if outage.method in (method, "*"):
                return Fault(status=outage.status)
        queue = self._faults.get(method)
        return queue.popleft() if queue else None

    # ----------------------------------------------------------------- recording

    def sent_messages(self, chat_id: int | None = None) -> list[JsonDict]:
        """Messages created by successful sendMessage calls, with the reply_markup sent."""
        found = []
        for call in self.calls:
            if call.method != "sendMessage" or not call.ok:
                continue
            if chat_id is None or call.result["chat"]["id"] == chat_id:
                message = dict(call.result)
                if "reply_markup" in call.params:
                    message["reply_markup"] = call.params["reply_markup"]
                found.append(message)
        return found

    @property
    def callback_answers(self) -> list[JsonDict]:
        """Parameters of every successful answerCallbackQuery."""
        return [c.params for c in self.calls if c.method == "answerCallbackQuery" and c.ok]

    @property
    def deleted(self) -> list[tuple[int, int]]:
        """(chat_id, message_id) of every message the bot deleted."""
        return list(self.store.deleted)

    @property
    def commands(self) -> dict[tuple[str, str], list[JsonDict]]:
        """Current command lists by (scope key, language code); see ``_rules.scope_key``.

        The default list is ``api.commands[("default", "")]``; a chat scope is ``"chat:<id>"``.
        """
        return {key: list(value) for key, value in self._commands.items()}

    def mark(self) -> int:
        """A cursor into :attr:`calls` for ``wait_for(..., since=mark)``."""
        return len(self.calls)

    async def wait_for(
        self,
        predicate: Callable[[Call], bool],
        timeout: float = 5.0,
        *,
        since: int | None = None,
    ) -> Call:
        """The first call from ``since`` on (default: from now) that matches ``predicate``.

        Raises TimeoutError (listing recent calls) if none arrives within ``timeout``.
        """
        start = len(self.calls) if since is None else since

        def match() -> Call | None:
            return next((c for c in self.calls[start:] if predicate(c)), None)

        if await self._signal.wait_until(lambda: match() is not None, timeout):
            found = match()
            assert found is not None
            return found
        recent = [(c.method, c.status) for c in self.calls[-10:]]
        raise TimeoutError(f"no matching call within {timeout}s; recent calls: {recent}")

    async def next_message(self, chat_id: int, timeout: float = 5.0) -> JsonDict:
        """The next bot message in this chat not yet returned by ``next_message``."""
        index = self._read[chat_id]
        inbox = self._outbox[chat_id]
        if not await self._signal.wait_until(lambda: len(inbox) > index, timeout):
            raise TimeoutError(f"the bot sent no new message to chat {chat_id} in {timeout}s")
        self._read[chat_id] = index + 1
        return inbox[index]

    # ----------------------------------------------------------------- update injection

    def push_update(self, update: JsonDict) -> JsonDict:
        """Queue an update for getUpdates; assigns (and returns it with) a fresh update_id.

        Like Telegram, updates of kinds excluded by the current allowed_updates are not
        created at all; they end up in :attr:`dropped_updates` instead.
        """
        update["update_id"] = next(self._update_ids)
        if self._wanted(build.update_type(update)):
            self._updates.append(update)
        else:
            self.dropped_updates.append(update)
        self._signal.notify()
        return update

    def push_raw(self, update: JsonDict) -> JsonDict:
        """Queue an update exactly as given (malformed ones too); assigns an update_id
        unless the update brings its own key ``update_id`` (even a wrong one)."""
        if "update_id" not in update:
            update["update_id"] = next(self._update_ids)
        self._updates.append(update)
        self._signal.notify()
        return update

    def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        user: JsonDict | None = None,
        chat_type: str = "private",
        language_code: str = "nl",
        first_name: str = "Test",
        entities: list[JsonDict] | None = None,
    ) -> JsonDict:
        """The user writes ``text`` in the chat; returns the pushed ``message`` update."""
        sender = user or build.human(build.default_user_id(chat_id), first_name, language_code)
        room = build.chat(chat_id, chat_type, sender)
        self.store.remember_chat(room)
        msg_id = self.store.next_id(chat_id)
        msg = build.message(msg_id, sender, room, text=text, entities=entities or None)
        return self.push_update({"message": self.store.add(msg)})

    def send_command(self, chat_id: int, command: str, **options: Any) -> JsonDict:
        """Like :meth:`send_text` with the bot_command entity Telegram adds for ``/cmd``."""
        text = command if command.startswith("/") else f"/{command}"
        return self.send_text(chat_id, text, entities=build.command_entities(text), **options)

    def press(
        self,
        chat_id: int,
        message: JsonDict | int,
        data: str,
        *,
        user: JsonDict | None = None,
        language_code: str = "nl",
        first_name: str = "Test",
    ) -> JsonDict:
        """The user presses a callback button of a bot message; returns the update.

        The update carries the message as it is now (after edits) and a fresh query id that
        answerCallbackQuery accepts once.
        """
        msg_id = message if isinstance(message, int) else int(message["message_id"])
        current = self.store.messages.get((chat_id, msg_id))
        if current is None and isinstance(message, int):
            raise LookupError(f"no message {msg_id} in chat {chat_id}")
        sender = user or build.human(build.default_user_id(chat_id), first_name, language_code)
        query_id = str(next(self._query_ids))
        self._pending_queries.add(query_id)
        query = {
            "id": query_id,
            "from": sender,
            "message": current or message,
            "chat_instance": str(7_000_000_000_000_000_000 + abs(chat_id)),
            "data": data,
        }
        return self.push_update({"callback_query": query})

    def edit_text(self, chat_id: int, message_id: int, text: str) -> JsonDict:
        """The user edits one of their own messages; returns the ``edited_message`` update."""
        original = self.store.messages.get((chat_id, message_id))
        if original is None or original["from"].get("is_bot"):
            raise LookupError(f"no user message {message_id} in chat {chat_id}")
        edited = {k: v for k, v in original.items() if k != "entities"}
        edited.update(text=text, edit_date=build.now())
        if entities := build.command_entities(text):
            edited["entities"] = entities
        return self.push_update({"edited_message": self.store.add(edited)})

    @staticmethod
    async def post_update_to(
        url: str, update: JsonDict, secret_token: str | None = None, timeout: float = 5.0
    ) -> int:
        """Deliver an update to a webhook like Telegram does; returns the HTTP status."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret_token} if secret_token else {}
        async with httpx.AsyncClient(trust_env=False, timeout=timeout) as client:
            response = await client.post(url, json=update, headers=headers)
        return response.status_code

    def _wanted(self, kind: str) -> bool:
        """Whether the current allowed_updates setting lets this kind of update exist."""
        if self._allowed is None:
            return kind not in OPT_IN_UPDATES
        return kind in self._allowed

    # ----------------------------------------------------------------- methods

    def _method_table(self) -> dict[str, Handler]:
        """Bot API methods by lower-cased name (Telegram matches names case-insensitively)."""
        table: dict[str, Handler] = {
            "getMe": self._get_me,
            "logOut": self._true,
            "close": self._true,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendDocument": self._send_document,
            "sendChatAction": self._send_chat_action,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "deleteMessages": self._delete_messages,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getFile": self._get_file,
        }
        self._names = {name.lower(): name for name in table}
        return {name.lower(): handler for name, handler in table.items()}

    def _canonical(self, method: str) -> str:
        """The documented spelling of a method name, so records compare as ``"sendMessage"``."""
        return self._names.get(method.lower(), method)

    async def _true(self, params: JsonDict) -> bool:
        return True

    async def _get_me(self, params: JsonDict) -> JsonDict:
        return build.get_me(self.bot)

    async def _get_updates(self, params: JsonDict) -> list[JsonDict]:
        """Long polling: confirm below ``offset``, wait up to ``timeout`` for updates."""
        if self.webhook["url"]:
            raise ApiError(409, WEBHOOK_ACTIVE)
        self._confirm(params.get("offset"))
        if "allowed_updates" in params:
            self._set_allowed(params["allowed_updates"])
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        self._poll_generation += 1
        generation = self._poll_generation
        self._signal.notify()  # an older poll still waiting is terminated, as on Telegram

        def done() -> bool:
            return self._closing or generation != self._poll_generation or bool(self._updates)

        if timeout > 0:
            await self._signal.wait_until(done, timeout)
        if generation != self._poll_generation:
            raise ApiError(409, POLL_TERMINATED)
        return self._updates[:limit]

    def _confirm(self, offset: Any) -> None:
        """Forget updates below ``offset``; a negative offset keeps only the last -offset."""
        if not isinstance(offset, int) or offset == 0:
            return
        if offset < 0:
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates
                             if not isinstance(u.get("update_id"), int) or u["update_id"] >= offset]

    def _set_allowed(self, allowed: Any) -> None:
        """An empty list restores the default set; a list of kinds restricts new updates."""
        if not isinstance(allowed, list):
            raise bad_request("can't parse allowed_updates JSON object")
        self._allowed = frozenset(str(kind) for kind in allowed) if allowed else None

    async def _set_webhook(self, params: JsonDict) -> bool:
        """Only records the webhook; tests deliver updates with :meth:`post_update_to`."""
        url = str(params.get("url") or "")
        if url and not url.startswith(("https://", "http://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = {
            "url": url,
            "secret_token": params.get("secret_token"),
            "max_connections": params.get("max_connections", 40),
        }
        self._after_webhook_change(params)
        return True

    async def _delete_webhook(self, params: JsonDict) -> bool:
        self.webhook = {"url": "", "secret_token": None}
        self._after_webhook_change(params)
        return True

    def _after_webhook_change(self, params: JsonDict) -> None:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        if "allowed_updates" in params:
            self._set_allowed(params["allowed_updates"])
        self._signal.notify()

    async def _get_webhook_info(self, params: JsonDict) -> JsonDict:
        info: JsonDict = {
            "url": self.webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook["url"]:
            info["max_connections"] = self.webhook["max_connections"]
        if self._allowed is not None:
            info["allowed_updates"] = sorted(self._allowed)
        return info

    def _target_chat(self, params: JsonDict) -> JsonDict:
        """The chat a send goes to; 403 when the user blocked the bot."""
        chat = self.store.chat(require(params, "chat_id"))
        if chat["id"] in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _new_bot_message(self, chat: JsonDict, formatting: str = "", **content: Any) -> JsonDict:
        msg_id = self.store.next_id(chat["id"])
        return self.store.add(build.message(msg_id, self.bot, chat, **content), formatting)

    async def _send_message(self, params: JsonDict) -> JsonDict:
        chat = self._target_chat(params)
        mode = rules.check_parse_mode(params.get("parse_mode"))
        text = rules.check_text(params.get("text"), mode)
        markup = rules.check_reply_markup(params.get("reply_markup"))
        entities = params.get("entities") if mode is None else None
        formatting = rules.formatting(params["text"], text, entities)
        return self._new_bot_message(chat, formatting, text=text, entities=entities, reply_markup=markup)

    async def _send_document(self, params: JsonDict) -> JsonDict:
        chat = self._target_chat(params)
        document = self._store_document(require(params, "document"))
        mode = rules.check_parse_mode(params.get("parse_mode"))
        caption = rules.check_caption(params.get("caption"), mode)
        markup = rules.check_reply_markup(params.get("reply_markup"))
        return self._new_bot_message(chat, document=document, caption=caption, reply_markup=markup)

    def _store_document(self, document: Any) -> JsonDict:
        """Document info for an upload, a known file_id, or (unfetched) an HTTP URL."""
        if isinstance(document, Upload):
            return self._keep_upload(document)
        name = str(document)
        if name in self._files:
            return self._files[name].info
        if name.startswith(("http://", "https://")):
            return {"file_id": name, "file_unique_id": name, "file_name": name.rsplit("/")[-1]}
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _keep_upload(self, upload: Upload) -> JsonDict:
        number = len(self._files) + 1
        info: JsonDict = {
            "file_id": f"BQACAgQAAxkDAAI{number:08d}",
            "file_unique_id": f"AgAD{number:08d}",
            "file_name": upload.filename,
            "mime_type": upload.content_type,
            "file_size": len(upload.data),
        }
        self._files[info["file_id"]] = _StoredFile(upload, info, f"documents/file_{number}")
        return info

    async def _get_file(self, params: JsonDict) -> JsonDict:
        stored = self._files.get(str(require(params, "file_id")))
        if stored is None:
            raise bad_request("invalid file_id")
        keys = ("file_id", "file_unique_id", "file_size")
        return {**{k: stored.info[k] for k in keys}, "file_path": stored.path}

    async def _send_chat_action(self, params: JsonDict) -> bool:
        self._target_chat(params)
        rules.check_chat_action(params.get("action"))
        return True

    def _editable(self, params: JsonDict) -> JsonDict:
        """The bot message an edit refers to."""
        if "inline_message_id" in params:
            raise bad_request("inline messages are not supported by the fake Bot API")
        chat = self.store.chat(require(params, "chat_id"))
        message_id = require_int(params, "message_id")
        msg = self.store.get(chat["id"], message_id, "message to edit not found")
        if msg["from"]["id"] != self.bot["id"]:
            raise bad_request("message can't be edited")
        return msg

    async def _edit_message_text(self, params: JsonDict) -> JsonDict:
        """Like Telegram, leaving out reply_markup removes the inline keyboard."""
        msg = self._editable(params)
        if "text" not in msg:
            raise bad_request("there is no text in the message to edit")
        mode = rules.check_parse_mode(params.get("parse_mode"))
        text = rules.check_text(params.get("text"), mode)
        markup = rules.check_reply_markup(params.get("reply_markup"))
        entities = params.get("entities") if mode is None else None
        formatting = rules.formatting(params["text"], text, entities)
        edited = self.store.edit(msg, text, markup, formatting)
        if entities:
            edited["entities"] = entities
        return edited

    async def _edit_message_reply_markup(self, params: JsonDict) -> JsonDict:
        msg = self._editable(params)
        markup = rules.check_reply_markup(params.get("reply_markup"))
        return self.store.edit(msg, None, markup)

    async def _delete_message(self, params: JsonDict) -> bool:
        chat = self.store.chat(require(params, "chat_id"))
        if not self.store.delete(chat["id"], require_int(params, "message_id")):
            raise bad_request("message to delete not found")
        return True

    async def _delete_messages(self, params: JsonDict) -> bool:
        """Messages that cannot be found are skipped, as documented."""
        chat = self.store.chat(require(params, "chat_id"))
        for message_id in int_list(require(params, "message_ids"), "message_ids"):
            self.store.delete(chat["id"], message_id)
        return True

    async def _answer_callback_query(self, params: JsonDict) -> bool:
        """Each query can be answered once, and only if it exists."""
        query_id = str(require(params, "callback_query_id"))
        if query_id not in self._pending_queries:
            raise bad_request(QUERY_TOO_OLD)
        self._pending_queries.discard(query_id)
        return True

    def _commands_key(self, params: JsonDict) -> tuple[str, str]:
        return rules.scope_key(params.get("scope")), str(params.get("language_code") or "")

    async def _set_my_commands(self, params: JsonDict) -> bool:
        commands = rules.check_commands(params.get("commands", []))
        key = self._commands_key(params)
        if commands:
            self._commands[key] = commands
        else:
            self._commands.pop(key, None)
        return True

    async def _get_my_commands(self, params: JsonDict) -> list[JsonDict]:
        return list(self._commands.get(self._commands_key(params), []))

    async def _delete_my_commands(self, params: JsonDict) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True


def _bot_id(token: str) -> int:
    """Telegram tokens start with the bot's user id."""
    prefix = token.split(":", 1)[0]
    return int(prefix) if prefix.isdigit() else 1


async def _redirect_loop(request: web.Request) -> web.Response:
    """Where an injected redirect points: it redirects to itself, forever."""
    raise web.HTTPFound(location=request.path)


def _drop_connection(request: web.Request) -> web.Response:
    """Close the TCP connection without answering, as a crashing proxy would."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=499)


async def call_in_process(api: FakeBotApi, method: str, params: JsonDict) -> tuple[int, JsonDict]:
    """Run one Bot API method without HTTP: same validation, store and faults (drop aside).

    Used by the in-process transport of the fuzz tests and benchmarks; returns the HTTP
    status and the Bot API JSON body.
    """
    call = Call(api._canonical(method), params, asyncio.get_running_loop().time())
    fault = api._take_fault(call.method)
    if fault is not None and fault.delay:
        await api._sleep(fault.delay)
    error = fault.error() if fault is not None else None
    if fault is not None and error is not None:
        call.status, call.description, call.fault = error.status, error.description, fault.label()
        api._record(call)
        return error.status, error.payload()
    handler = api._handlers.get(call.method.lower())
    if handler is None:
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
    try:
        call.result = await handler(call.params)
    except ApiError as exc:
        call.status, call.description = exc.status, exc.description
        api._record(call)
        return exc.status, exc.payload()
    api._record(call)
    return 200, {"ok": True, "result": call.result}
