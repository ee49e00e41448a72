"""Property-based fuzzing of the Telegram front-end (hypothesis).

Random sequences of commands, button presses (current, stale, forged, doubled),
free text (overlong, right-to-left, emoji, control characters), edited messages,
group messages, malformed updates (a required field missing or of the wrong type, an
optional one of the wrong type) and Bot API faults (429, 5xx before a reply) go
through the production intake check and handlers. After every step the invariants
must hold. CI runs a small number of sequences with a
fixed seed; `make fuzz` runs 10,000 with random seeds and prints the counts.
"""

from __future__ import annotations

import asyncio
import copy
import os
import traceback
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import Core, build_core
from bot.kb import Knowledge
from bot.telegram.ratelimit import ChatRateLimiter
from tests.auxil.inproc import InProcessBot, in_process_bot

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "80"))
CHATS = (101, 102, 103)
GROUP = -500
COMMANDS = ("/start", "/nood", "/opnieuw", "/help", "/over", "/taal", "/wis", "/zoek", "/leer",
            "/onbekend", "/start@fake_test_bot", "/NOOD", "/sos")
LONG = "<5000 characters>"  # expanded when sent: keeps hypothesis' reports small
ODD_TEXT = (LONG, "مرحبا، أحتاج مساعدة", "\u202eevil\u202c", "🙂" * 300, "\x00\x01\x1b[31m",
            "<b>bold</b> & <script>", "1", "99", "/", " ", "huisverbod", "Mevrouw Jansen 0612345678")
COUNTS: Counter[str] = Counter()
# Ways to break an update: unreadable ones are skipped; "lang"/"text"/"data" only break an
# optional field, which the intake drops before the update is served.
MALFORMED = ("no date", "string date", "no chat type", "chat id text", "no query id",
             "no query from", "lang", "text", "data")
REPAIRABLE = ("lang", "text", "data")
FAULTS = (("sendMessage", 502), ("sendMessage", 503), ("sendMessage", 500), ("sendMessage", 429),
          ("editMessageText", 502), ("editMessageText", 429), ("answerCallbackQuery", 502))

text = st.one_of(st.text(min_size=1, max_size=300), st.sampled_from(ODD_TEXT))
step = st.one_of(
    st.tuples(st.just("cmd"), st.sampled_from(CHATS), st.sampled_from(COMMANDS)),
    st.tuples(st.just("text"), st.sampled_from(CHATS), text),
    st.tuples(st.just("press"), st.sampled_from(CHATS), st.integers(0, 40), st.integers(0, 3)),
    st.tuples(st.just("press"), st.sampled_from(CHATS), st.integers(0, 40), st.just(0)),
    st.tuples(st.just("press"), st.sampled_from(CHATS), st.integers(0, 40), st.just(0)),
    st.tuples(st.just("double"), st.sampled_from(CHATS), st.integers(0, 40), st.just(0)),
    st.tuples(st.just("forged"), st.sampled_from(CHATS),
              st.text(min_size=1, max_size=60).filter(lambda t: len(t.encode()) <= 64)),
    st.tuples(st.just("edit"), st.sampled_from(CHATS), text),
    st.tuples(st.just("group"), st.just(GROUP), st.sampled_from((*COMMANDS, "hallo"))),
    st.tuples(st.just("malformed"), st.sampled_from(CHATS), st.sampled_from(MALFORMED),
              st.sampled_from(("/start", "/nood", "hallo", "press"))),
    st.tuples(st.just("fault"), st.sampled_from(CHATS), st.sampled_from(FAULTS),
              st.sampled_from(("/start", "/nood", "/help", "press"))),
)


async def no_wait(seconds: float) -> None:
    await asyncio.sleep(0)


class Shared:
    """The core shared by all examples; a short repr keeps hypothesis' reports readable."""

    def __init__(self, core: Core) -> None:
        self.core = core

    def __repr__(self) -> str:
        return "<shared core>"


@pytest.fixture(scope="module")
def shared(kb: Knowledge) -> Iterator[Shared]:
    yield Shared(build_core(kb))
    if COUNTS:
        print("\nfuzz counts:", dict(sorted(COUNTS.items())))


def bot_messages_with_buttons(bot: InProcessBot, chat: int) -> list[dict[str, Any]]:
    mine = [m for m in bot.api.store.in_chat(chat) if m.get("from", {}).get("id") == bot.api.bot["id"]]
    return [m for m in mine if (m.get("reply_markup") or {}).get("inline_keyboard")]


async def run_step(bot: InProcessBot, action: tuple[Any, ...]) -> None:
    api = bot.api
    kind, chat = action[0], action[1]
    mark = api.mark()
    queries: list[str] = []
    if kind == "cmd":
        await bot.feed(api.send_command(chat, action[2]))
    elif kind in ("text", "group"):
        chat_type = "group" if kind == "group" else "private"
        sent = "x" * 5000 if action[2] == LONG else action[2]
        update = (api.send_command(chat, sent, chat_type=chat_type) if sent.startswith("/")
                  else api.send_text(chat, sent, chat_type=chat_type))
        await bot.feed(update)
    elif kind in ("press", "double", "forged"):
        messages = bot_messages_with_buttons(bot, chat)
        if not messages:
            COUNTS["skipped_presses"] += 1
            return
        if kind == "forged":
            message, data = messages[-1], action[2]
        else:
            message = messages[-1 - min(action[3], len(messages) - 1)]
            buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
            data = buttons[action[2] % len(buttons)]["callback_data"]
        for _ in range(2 if kind == "double" else 1):
            update = api.press(chat, message, data)
            queries.append(update["callback_query"]["id"])
            await bot.feed(update)
    elif kind in ("malformed", "fault"):
        fresh = await next_update(bot, chat, action[3])
        if fresh is None:
            COUNTS["skipped_presses"] += 1
            return
        if kind == "malformed":
            fresh = copy.deepcopy(fresh)  # the fake's store holds the same objects
            corrupt(fresh, action[2])
        else:
            method, status = action[2]
            api.inject(method, status=status, retry_after=0 if status == 429 else None)
        if "callback_query" in fresh:
            queries.append(str(fresh["callback_query"].get("id")))
        await bot.feed(fresh)
        if kind == "malformed" and action[2] not in REPAIRABLE:
            queries.clear()  # an unreadable press cannot be answered: it has no readable id
    elif kind == "edit":
        action = (*action[:2], "x" * 5000 if action[2] == LONG else action[2])
        mine = [m for m in api.store.in_chat(chat) if m.get("from", {}).get("id") != api.bot["id"]]
        if not mine:
            COUNTS["skipped_edits"] += 1
            return
        await bot.feed(api.edit_text(chat, mine[-1]["message_id"], action[2]))
    check(bot, kind, chat, action, mark, queries)


async def next_update(bot: InProcessBot, chat: int, what: str) -> dict[str, Any] | None:
    """A fresh update from `chat`: a press on its newest keyboard, or a message."""
    api = bot.api
    if what != "press":
        return api.send_command(chat, what) if what.startswith("/") else api.send_text(chat, what)
    messages = bot_messages_with_buttons(bot, chat)
    if not messages:
        return None
    message = messages[-1]
    data = message["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    return api.press(chat, message, data)


def corrupt(update: dict[str, Any], how: str) -> None:
    query = update.get("callback_query")
    message = update.get("message") or (query or {}).get("message") or {}
    sender = (query or update.get("message") or {}).get("from", {})
    if how == "no date":
        message.pop("date", None)
    elif how == "string date":
        message["date"] = "gisteren"
    elif how == "no chat type":
        message.get("chat", {}).pop("type", None)
    elif how == "chat id text":
        message.get("chat", {})["id"] = "een chat"
    elif how == "no query id":
        if query is None:
            message.pop("date", None)
        else:
            query.pop("id", None)
    elif how == "no query from":
        if query is None:
            message.get("chat", {}).pop("type", None)
        else:
            query.pop("from", None)
    elif how == "lang":
        sender["language_code"] = 31
    elif how == "text":
        if "text" in message and query is None:
            message["text"] = {"b": 1}
        else:
            sender["language_code"] = ["nl"]
    elif how == "data":
        if query is not None:
            query["data"] = 12345
        else:
            sender["language_code"] = 0.5


def check(bot: InProcessBot, kind: str, chat: int, action: tuple[Any, ...], mark: int,
          queries: list[str]) -> None:
    api, core = bot.api, bot.core
    calls = api.calls[mark:]
    COUNTS["updates"] += 1 + (kind == "double")
    COUNTS[f"step_{kind}"] += 1
    if bot.handlers.errors:
        error = bot.handlers.last_error
        trace = "".join(traceback.format_exception(error)) if error else ""
        raise AssertionError(f"an update ended in the error handler: {action!r:.200}\n{trace}")
    failed = [c for c in calls if not c.ok and "not modified" not in (c.description or "")
              and c.method not in ("deleteMessages", "deleteMessage") and not c.fault]
    assert failed == [], [(c.method, c.description) for c in failed]
    replies = [c for c in calls if c.method in ("sendMessage", "editMessageText")
               and c.result and c.result["chat"]["id"] == chat]
    answered = {str(c.params.get("callback_query_id")) for c in calls
                if c.method == "answerCallbackQuery"}
    for query in queries:
        assert query in answered, "every callback is answered"
        COUNTS["callbacks_answered"] += 1
    if kind in ("cmd", "text"):
        assert replies, f"private message without an answer: {action!r}"
        COUNTS["messages_answered"] += 1
    if kind == "malformed":
        if action[2] in REPAIRABLE:
            if action[3] != "press":
                assert replies, f"a repaired update is answered: {action!r}"
            COUNTS["malformed_repaired"] += 1
        else:
            assert calls == [], f"an unreadable update costs no Bot API call: {action!r}"
            COUNTS["malformed_skipped"] += 1
    if kind == "fault":
        injected = [c for c in calls if c.fault]
        COUNTS["faults_hit"] += len(injected)
        if action[3] != "press":
            assert replies, f"a reply survives one Bot API fault: {action!r}"
    sent_command = action[2] if kind == "cmd" else action[3] if kind in ("malformed", "fault") else ""
    # a text of the wrong type is dropped, and with it the command it held
    readable = kind != "malformed" or action[2] in ("lang", "data")
    if readable and isinstance(sent_command, str) and \
            sent_command.lower().lstrip("/").split("@")[0] in ("nood", "sos"):
        text = " ".join(c.result.get("text", "") for c in replies)
        assert "112" in text and "0800-2000" in text
    if kind == "edit":
        assert replies == [], "edited messages are deliberately ignored"
        COUNTS["edits_ignored"] += 1
    if kind == "group":
        assert all(not (c.params.get("reply_markup")) for c in replies)
    for s in core.sessions:
        assert s.mode in core.engines
        for mode, m in s.models.items():  # every model sits in a state of its mode's machine
            assert m.state in core.engines[mode].machine.machine.states
        assert len(s.sent) <= 200
    for mode, engine in core.engines.items():  # and no model outlives its session
        assert engine.machine.model_count == sum(mode in s.models for s in core.sessions)


@settings(max_examples=EXAMPLES, deadline=None, derandomize="FUZZ_EXAMPLES" not in os.environ,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(st.lists(step, min_size=1, max_size=30))
def test_fuzz_the_telegram_front_end(shared: Shared, sequence: list[tuple[Any, ...]]) -> None:
    """One fresh application per sequence (the knowledge and machine are shared)."""
    shared_core = shared.core
    for key in [s.key for s in shared_core.sessions]:
        shared_core.sessions.drop(key)
    COUNTS["sequences"] += 1

    async def run() -> None:
        # The limiter's pacing (30 messages/s) is real waiting, not logic under test: it
        # is tested in test_faults and measured in the benchmarks; lifted here for speed.
        async with in_process_bot(shared_core, flood_max_updates=10**6, rate_limit=False) as bot:
            limiter = bot.app.bot.rate_limiter
            assert isinstance(limiter, ChatRateLimiter)
            limiter.sleep = no_wait  # backoff and 429 waits are tested in test_ratelimit
            for chat in CHATS:  # every chat starts with a screen of buttons to press
                await bot.feed(bot.api.send_command(chat, "/start"))
            for action in sequence:
                await run_step(bot, action)
            group_notices = [c for c in bot.api.calls if c.method == "sendMessage" and c.ok
                             and c.result["chat"]["id"] == GROUP]
            assert len(group_notices) <= 1, "a group hears the notice once, then silence"

    asyncio.run(run())
