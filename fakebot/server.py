"""A fake Telegram Bot API server for the tests and benchmarks of the bot, without network access.

The bot under test talks real HTTP to ``FakeBotApi.base_url`` exactly as it would to
api.telegram.org, so request encoding, long polling, error handling and retries are exercised for
real (``fakebot.inprocess`` calls the same fake without HTTP). Tests drive it from the user's
side (push updates, press buttons), inject faults, and inspect every call the bot made.

``lean=True`` is the mode for load: the same methods and faults, but no validation, no message
store and no record of calls (counts only), so that the fake costs the load generator little;
``expect`` hands the next keyboard a chat receives to a simulated user in either mode. Time is
the event loop's, or a given clock (a virtual one lets a test live through a 30 s outage at once).
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import Counter, defaultdict, deque
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, Self

import httpx
from aiohttp import web

from . import _builders as build
from . import _rules as rules
from ._model import ApiError, Call, Fault, JsonDict, Outage, Reply, Signal, bad_request
from ._params import int_list, read_params, require, require_int
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
MESSAGE_METHODS = frozenset({"sendMessage"})
EDIT_METHODS = frozenset({"editMessageText"})
FLOOD_WINDOW = 1.0  # seconds: Telegram's limit of about 30 messages per second, per bot

Handler = Callable[[JsonDict], Awaitable[Any]]


class FakeBotApi:
    """An in-process Bot API server on 127.0.0.1; use ``async with FakeBotApi() as api``."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "fake_test_bot",
        bot_name: str = "Fake Bot",
        lean: bool = False,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.token = token
        self.lean = lean
        self._clock = clock
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
        self.counts: Counter[str] = Counter()  # calls by method; "429": flood-limit refusals
        self.stamps: list[float] = []  # when each message was sent or edited (successfully)
        self._waiters: dict[int, asyncio.Future[Reply]] = {}
        self._flood_limit: int | None = None
        self._flood_window: deque[float] = deque()
        self._lean_ids = itertools.count(1)
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

    def now(self) -> float:
        """The fake's time: its clock, or the event loop's (monotonic)."""
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()

    # ----------------------------------------------------------------- HTTP layer

    async def _on_request(self, request: web.Request) -> web.StreamResponse:
        """Authenticate, apply the faults only HTTP has (drops, redirects, raw bodies), run."""
        method = self._canonical(request.match_info["method"])
        call = Call(method, {}, self.now())
        try:
            call.params = await read_params(request)
        except ApiError as error:
            return _json(*self._fail(call, error))
        if request.match_info["token"] != self.token:
            return _json(*self._fail(call, ApiError(401, "Unauthorized")))
        fault = self._take_fault(method)
        if fault is not None and fault.delay:
            await self._sleep(fault.delay)
        if fault is not None and fault.drop:
            call.status, call.description, call.fault = 0, "connection dropped", "drop"
            self._record(call)
            return _drop_connection(request)
        if fault is not None and fault.redirect:
            call.status, call.description, call.fault = 302, "redirect", "redirect"
            self._record(call)
            raise web.HTTPFound(location=f"/redirect-loop{request.path}")
        if fault is not None and fault.raw_body is not None:
            call.status, call.description, call.fault = fault.status or 200, "raw body", "raw"
            self._record(call)
            return web.Response(status=fault.status or 200, body=fault.raw_body,
                                content_type="application/json")
        return _json(*await self._run(call, fault))

    async def call(self, method: str, params: JsonDict) -> tuple[int, JsonDict]:
        """One Bot API call without HTTP (fakebot.inprocess): the same validation, store and
        faults, except those that need a connection (a drop, a redirect, a raw body).

        Returns the HTTP status and the Bot API JSON body.
        """
        call = Call(self._canonical(method), params, self.now())
        fault = self._take_fault(call.method)
        if fault is not None and fault.delay:
            await self._sleep(fault.delay)
        return await self._run(call, fault)

    async def _run(self, call: Call, fault: Fault | None) -> tuple[int, JsonDict]:
        """Run the method (or answer with the fault's error) and record the call."""
        error = fault.error() if fault is not None else None
        if fault is not None and error is not None:
            return self._fail(call, error, fault.label())
        if fault is not None:
            call.fault = fault.label()
        handler = self._handlers.get(call.method.lower())
        if handler is None:
            return self._fail(call, ApiError(404, "Not Found"))
        if call.method in MESSAGE_METHODS | EDIT_METHODS and self._over_flood_limit():
            self.counts["429"] += 1
            return self._fail(call, ApiError(429, "Too Many Requests: retry after 1",
                                             {"retry_after": 1}), "flood")
        try:
            call.result = await handler(call.params)
        except ApiError as error:
            return self._fail(call, error, call.fault)
        except Exception as exc:
            # A bug in the fake itself: keep it visible in the record, and let the caller
            # (aiohttp: log the traceback and answer 500) see it.
            call.status, call.description, call.fault = 500, repr(exc), "fake-bug"
            self._record(call)
            raise
        self._record(call)
        return 200, {"ok": True, "result": call.result}

    def _fail(self, call: Call, error: ApiError, fault: str | None = None) -> tuple[int, JsonDict]:
        """Record a failed call; its status and Telegram's error body."""
        call.status, call.description, call.fault = error.status, error.description, fault
        self._record(call)
        return error.status, error.payload()

    def _record(self, call: Call) -> None:
        """Count the call, keep it (unless lean) and wake everybody waiting for one."""
        self.counts[call.method] += 1
        if call.ok and call.method in MESSAGE_METHODS | EDIT_METHODS:
            self.stamps.append(call.time)
            self._hand_over(call)
        if self.lean:
            return
        call.seq = len(self.calls)
        self.calls.append(call)
        if call.ok and call.method in MESSAGE_METHODS:
            self._outbox[call.result["chat"]["id"]].append(call.result)
        self._signal.notify()

    def expect(self, chat_id: int) -> asyncio.Future[Reply]:
        """The next message or edit with an inline keyboard in this chat (a user waiting
        for the bot's answer; the load benchmark's users)."""
        future: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        self._waiters[chat_id] = future
        return future

    def _hand_over(self, call: Call) -> None:
        chat_id = call.result["chat"]["id"]
        waiter = self._waiters.get(chat_id)
        markup = call.params.get("reply_markup")
        if waiter is None or waiter.done() or not isinstance(markup, dict):
            return
        buttons = [b.get("callback_data", "") for row in markup.get("inline_keyboard", [])
                   for b in row]
        if buttons:
            del self._waiters[chat_id]
            waiter.set_result(Reply(chat_id, call.method, str(call.params.get("text", "")),
                                    buttons, int(call.result["message_id"]), call.time))

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
        """Make ``method`` (``"*"``: every method) fail with ``status`` for ``seconds`` (of
        the fake's clock)."""
        self._outages.append(Outage(self._canonical(method), self.now() + seconds, status))

    def flood_limit(self, per_second: int = 30) -> None:
        """Answer 429 (retry after 1 s) to sends and edits past ``per_second`` in any second,
        as Telegram does for one bot."""
        self._flood_limit = per_second

    def _over_flood_limit(self) -> bool:
        if self._flood_limit is None:
            return False
        now = self.now()
        window = self._flood_window
        while window and now - window[0] >= FLOOD_WINDOW:
            window.popleft()
        if len(window) >= self._flood_limit:
            return True
        window.append(now)
        return False

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: sends to this chat get 403 from now on."""
        self._blocked.add(chat_id)

    def _take_fault(self, method: str) -> Fault | None:
        """The fault that applies to this call now, consuming an injected one."""
        if not self._outages and not self._faults:
            return None
        now = self.now()
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
        if self.lean:  # nothing kept: the bot's answer is all a load test looks at
            msg = build.message(next(self._lean_ids), sender, room, text=text,
                                entities=entities or None)
            return self.push_update({"message": msg})
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
        answerCallbackQuery accepts once. (Lean: a message of the bot with only its id.)
        """
        msg_id = message if isinstance(message, int) else int(message["message_id"])
        current = self.store.messages.get((chat_id, msg_id))
        if current is None and self.lean:
            room = build.chat(chat_id, "private", build.human(chat_id))
            current = build.message(msg_id, self.bot, room, text="…")
        if current is None and isinstance(message, int):
            raise LookupError(f"no message {msg_id} in chat {chat_id}")
        sender = user or build.human(build.default_user_id(chat_id), first_name, language_code)
        query_id = str(next(self._query_ids))
        if not self.lean:
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
        table: dict[str, Handler] = {  # the methods the bot uses, and only those
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "deleteMessages": self._delete_messages,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
        }
        self._names = {name.lower(): name for name in table}
        return {name.lower(): handler for name, handler in table.items()}

    def _canonical(self, method: str) -> str:
        """The documented spelling of a method name, so records compare as ``"sendMessage"``."""
        return self._names.get(method.lower(), method)

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
        if self.lean:
            return self._lean_message(params)
        chat = self._target_chat(params)
        mode = rules.check_parse_mode(params.get("parse_mode"))
        text = rules.check_text(params.get("text"), mode)
        markup = rules.check_reply_markup(params.get("reply_markup"))
        entities = params.get("entities") if mode is None else None
        formatting = rules.formatting(params["text"], text, entities)
        return self._new_bot_message(chat, formatting, text=text, entities=entities, reply_markup=markup)

    def _lean_message(self, params: JsonDict) -> JsonDict:
        """A sent or edited message as the lean fake answers it: not checked, not kept."""
        chat_id = int(params["chat_id"])
        message_id = params.get("message_id")
        markup = params.get("reply_markup")
        if isinstance(markup, str):  # a form body carries it JSON-encoded
            params["reply_markup"] = json.loads(markup)
        return {"message_id": int(message_id) if message_id else next(self._lean_ids),
                "date": build.now(), "text": str(params.get("text", "")), "from": self.bot,
                "chat": {"id": chat_id, "type": "private", "first_name": "Test"}}

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
        if self.lean:
            return self._lean_message(params)
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

    async def _delete_messages(self, params: JsonDict) -> bool:
        """Messages that cannot be found are skipped, as documented."""
        chat = self.store.chat(require(params, "chat_id"))
        for message_id in int_list(require(params, "message_ids"), "message_ids"):
            self.store.delete(chat["id"], message_id)
        return True

    async def _answer_callback_query(self, params: JsonDict) -> bool:
        """Each query can be answered once, and only if it exists."""
        query_id = str(require(params, "callback_query_id"))
        if self.lean:
            return True
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


def _json(status: int, body: JsonDict) -> web.Response:
    return web.json_response(body, status=status)
