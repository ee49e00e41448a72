"""Where updates enter the bot: checked, queued fairly, and handled by a few workers.

Both sources (long polling and the webhook) hand raw JSON to `Intake.accept`. Each
update is checked here, once:

- An update that cannot be read (a required field missing or of the wrong type) is
  skipped and counted; the log says which field by name, never what it held. The rest
  of its batch is served, and polling moves its offset past it.
- An optional field of the wrong type (say a numeric language_code) is removed, and the
  update is served as if Telegram had left it out.

Accepted updates wait in an `UpdateQueue`: bounded, fair between chats (round robin,
one update per chat in progress at a time, a few waiting per chat at most), with a
lane for urgent updates (`/nood` and the acute-help button) served before all others.
When it is full the oldest waiting update is shed and counted. A stop finishes what is
in progress, serves what it can until its deadline and counts the rest as dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Update
from telegram.constants import ChatType

from bot.ops.metrics import DROPPED_AT_STOP, FAILED, HANDLED, METRICS, SHED, UNPARSABLE, Metrics
from bot.telegram.flood import FloodGuard, Verdict

log = logging.getLogger("beschermwijzer.intake")
JsonDict = dict[str, Any]

# Message-like objects inside an update, and their fields the bot relies on.
MESSAGE_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post",
                 "business_message", "edited_business_message")
OPTIONAL_STRINGS_USER = ("language_code", "username", "first_name", "last_name")
OPTIONAL_STRINGS_MESSAGE = ("text", "caption")


class Unreadable(ValueError):
    """An update the bot cannot read; the message names the field, never its value."""


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _require(obj: JsonDict, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = obj.get(key)
    if kind is int:
        if not _is_int(value):
            raise Unreadable(f"{where}.{key}")
    elif not isinstance(value, kind):
        raise Unreadable(f"{where}.{key}")
    return value


def _drop_bad_optionals(obj: JsonDict, keys: tuple[str, ...]) -> int:
    bad = [k for k in keys if k in obj and obj[k] is not None and not isinstance(obj[k], str)]
    for key in bad:
        del obj[key]
    return len(bad)


def _check_user(user: object, where: str) -> int:
    if not isinstance(user, dict):
        raise Unreadable(where)
    _require(user, "id", int, where)
    return _drop_bad_optionals(user, OPTIONAL_STRINGS_USER)


def _check_message(msg: object, where: str, depth: int = 0) -> int:
    if not isinstance(msg, dict):
        raise Unreadable(where)
    _require(msg, "message_id", int, where)
    _require(msg, "date", int, where)
    chat = _require(msg, "chat", dict, where)
    _require(chat, "id", int, f"{where}.chat")
    _require(chat, "type", str, f"{where}.chat")
    repaired = _drop_bad_optionals(msg, OPTIONAL_STRINGS_MESSAGE)
    for text, entities in (("text", "entities"), ("caption", "caption_entities")):
        if text not in msg:
            msg.pop(entities, None)  # they describe the text: a command without its text
    if msg.get("from") is not None:
        repaired += _check_user(msg["from"], f"{where}.from")
    reply = msg.get("reply_to_message")
    if reply is not None and depth < 2:
        repaired += _check_message(reply, f"{where}.reply_to_message", depth + 1)
    return repaired


def check_update(raw: object) -> int:
    """Raise Unreadable for an update the bot cannot serve; repair what it can.

    Returns the number of optional fields removed.
    """
    if not isinstance(raw, dict):
        raise Unreadable("update")
    _require(raw, "update_id", int, "update")
    repaired = 0
    for kind in MESSAGE_KINDS:
        if raw.get(kind) is not None:
            repaired += _check_message(raw[kind], kind)
    query = raw.get("callback_query")
    if query is not None:
        if not isinstance(query, dict):
            raise Unreadable("callback_query")
        _require(query, "id", str, "callback_query")
        repaired += _check_user(query.get("from"), "callback_query.from")
        if query.get("data") is not None and not isinstance(query["data"], str):
            del query["data"]
            repaired += 1
        message = query.get("message")
        if message is not None:
            # an inaccessible message has date 0 and may lack the rest; it needs a chat
            if isinstance(message, dict) and message.get("date") == 0:
                chat = _require(message, "chat", dict, "callback_query.message")
                _require(chat, "id", int, "callback_query.message.chat")
                _require(chat, "type", str, "callback_query.message.chat")
            else:
                repaired += _check_message(message, "callback_query.message")
    return repaired


def _unreadable(shown_id: object, why: str, metrics: Metrics) -> None:
    metrics.updates.labels(UNPARSABLE).inc()
    log.warning("unreadable update %s skipped: %s", shown_id, why)


def _shown_id(raw: object) -> object:
    update_id = raw.get("update_id") if isinstance(raw, dict) else None
    return update_id if _is_int(update_id) else "?"


def checked(raw: object, metrics: Metrics = METRICS) -> JsonDict | None:
    """`raw` checked and repaired (see check_update), or None, counted and logged."""
    try:
        repaired = check_update(raw)
    except Unreadable as exc:
        _unreadable(_shown_id(raw), f"{exc} missing or of the wrong type", metrics)
        return None
    if repaired:
        log.info("update %s: %d optional fields of the wrong type ignored", _shown_id(raw), repaired)
    assert isinstance(raw, dict)
    return raw


def to_update(raw: JsonDict, bot: Bot, metrics: Metrics = METRICS) -> Update | None:
    """python-telegram-bot's Update for a checked update (None, counted, if it still fails).

    Done when the update's turn comes, not when it arrives: it is the costly step
    (~0.1 ms), and under a flood most arrivals are shed before their turn."""
    try:
        return Update.de_json(raw, bot)
    except Exception as exc:  # PTB's own parsing: its messages may quote the update
        _unreadable(_shown_id(raw), type(exc).__name__, metrics)
        return None


def parse_update(raw: object, bot: Bot, metrics: Metrics = METRICS) -> Update | None:
    """The Update for `raw`, or None (counted and logged without content) if unreadable."""
    good = checked(raw, metrics)
    return to_update(good, bot, metrics) if good is not None else None


@dataclass(frozen=True)
class Facts:
    """What the intake needs to know of a checked update, read from its JSON."""

    update_id: int
    chat_id: int | None = None
    chat_type: str | None = None
    user_id: int | None = None
    command: str | None = None  # the first word of a new message's text, when it is "/..."
    data: str | None = None  # a button's callback data

    @property
    def key(self) -> Hashable:
        """Updates with the same key are handled one at a time, in order."""
        if self.chat_id is not None:
            return self.chat_id
        if self.user_id is not None:
            return ("user", self.user_id)
        return ("update", self.update_id)


def facts_of(raw: JsonDict) -> Facts:
    update_id = raw["update_id"]
    for kind in MESSAGE_KINDS:
        msg = raw.get(kind)
        if isinstance(msg, dict):
            text = msg.get("text") if kind == "message" else None
            command = text.split(maxsplit=1)[0] if isinstance(text, str) and text.startswith("/") else None
            sender = msg.get("from")
            return Facts(update_id, msg["chat"]["id"], msg["chat"]["type"],
                         sender["id"] if isinstance(sender, dict) else None, command)
    query = raw.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message")
        chat = message["chat"] if isinstance(message, dict) else None
        return Facts(update_id, chat["id"] if chat else None, chat["type"] if chat else None,
                     query["from"]["id"], data=query.get("data"))
    for value in raw.values():  # inline queries and the like: only who sent it
        sender = value.get("from") if isinstance(value, dict) else None
        if isinstance(sender, dict) and _is_int(sender.get("id")):
            return Facts(update_id, user_id=sender["id"])
    return Facts(update_id)


Action = Callable[[Update], Awaitable[Any]]


@dataclass
class Item:
    raw: JsonDict
    facts: Facts
    urgent: bool
    arrived: float
    action: Action | None = None  # instead of the handlers (the flood notice)

    @property
    def key(self) -> Hashable:
        return self.facts.key


@dataclass
class QueueStats:
    accepted: int = 0
    shed: int = 0
    urgent: int = 0


class UpdateQueue:
    """Bounded and fair; see the module docstring. Not thread-safe (one event loop)."""

    def __init__(self, max_size: int = 300, per_chat: int = 5, max_urgent: int = 100,
                 clock: Callable[[], float] = time.monotonic, metrics: Metrics = METRICS) -> None:
        self.max_size = max_size
        self.per_chat = per_chat
        self.max_urgent = max_urgent
        self.clock = clock
        self.metrics = metrics
        self.stats = QueueStats()
        self._chats: dict[Hashable, deque[Item]] = {}
        self._ready: OrderedDict[Hashable, None] = OrderedDict()  # round-robin order
        self._busy: set[Hashable] = set()
        self._urgent: deque[Item] = deque()
        self._size = 0  # items in _chats
        self._wakeup = asyncio.Event()
        self.closed = False

    def __len__(self) -> int:
        return self._size + len(self._urgent)

    @property
    def in_progress(self) -> int:
        return len(self._busy)

    def put(self, item: Item) -> bool:
        """Queue an update; False when it was not queued (closed, or an urgent duplicate)."""
        if self.closed:
            self._count_shed(1, DROPPED_AT_STOP)
            return False
        urgent = item.urgent
        self.stats.accepted += 1
        if urgent:
            self.stats.urgent += 1
            if any(u.key == item.key for u in self._urgent):
                self._count_shed(1)  # one acute-help screen per chat is enough
                return False
            if len(self._urgent) >= self.max_urgent:
                self._urgent.popleft()
                self._count_shed(1)
            self._urgent.append(item)
        else:
            waiting = self._chats.setdefault(item.key, deque())
            if len(waiting) >= self.per_chat:
                waiting.popleft()  # this chat's oldest: its user has tapped on since
                self._size -= 1
                self._count_shed(1)
            elif self._size >= self.max_size:
                self._shed_oldest(item.key)
            waiting.append(item)
            self._size += 1
            if item.key not in self._busy:
                self._ready.setdefault(item.key, None)
        self._publish()
        return True

    def _shed_oldest(self, arriving: Hashable) -> None:
        """Make room: the update at the head of the round robin has waited longest."""
        victim = next(iter(self._ready), None)
        if victim is None:  # every waiting chat is in progress: take from the longest queue
            victim = max(self._chats, key=lambda k: len(self._chats[k]))
        waiting = self._chats[victim]
        if waiting:
            waiting.popleft()
            self._size -= 1
            self._count_shed(1)
        if not waiting and victim != arriving:
            del self._chats[victim]
            self._ready.pop(victim, None)

    def _count_shed(self, n: int, outcome: str = SHED) -> None:
        self.stats.shed += n
        self.metrics.updates.labels(outcome).inc(n)

    def _publish(self) -> None:
        self.metrics.queue_depth.set(len(self))
        self._wakeup.set()

    def _take(self) -> Item | None:
        for index, item in enumerate(self._urgent):
            if item.key not in self._busy:
                del self._urgent[index]
                self._busy.add(item.key)
                return item
        while self._ready:
            key, _ = self._ready.popitem(last=False)
            waiting = self._chats.get(key)
            if not waiting:
                self._chats.pop(key, None)
                continue
            item = waiting.popleft()
            self._size -= 1
            if not waiting:
                del self._chats[key]
            self._busy.add(key)
            return item
        return None

    async def get(self) -> Item:
        while True:
            item = self._take()
            if item is not None:
                self.metrics.queue_depth.set(len(self))
                self.metrics.queue_wait.observe(max(0.0, self.clock() - item.arrived))
                return item
            self._wakeup.clear()
            await self._wakeup.wait()

    def done(self, item: Item) -> None:
        """The chat's update is handled: its next one may go."""
        self._busy.discard(item.key)
        if self._chats.get(item.key):
            self._ready.setdefault(item.key, None)
        self._wakeup.set()

    def drain(self) -> int:
        """Forget everything waiting (a stop past its deadline); returns how many."""
        dropped = len(self)
        self._chats.clear()
        self._ready.clear()
        self._urgent.clear()
        self._size = 0
        if dropped:
            self._count_shed(dropped, DROPPED_AT_STOP)
        self._publish()
        return dropped


Process = Callable[[Update], Any]


@dataclass
class Intake:
    """Parses, classifies and queues updates; runs the workers that handle them.

    The flood guard is applied here, before an update takes a place in the queue: a
    muted chat's updates are dropped without a Bot API call, and the update that crosses
    the limit is replaced by the notice (`on_flood`). Urgent updates are never muted:
    someone in danger who taps frantically must still reach the acute-help screen; the
    urgent lane holds one per chat.
    """

    bot: Bot
    process: Process  # Application.process_update
    queue: UpdateQueue
    workers: int = 16
    is_urgent: Callable[[Facts], bool] = lambda facts: False
    flood: FloodGuard | None = None
    on_flood: Action | None = None  # tells the user once that they go too fast
    metrics: Metrics = METRICS
    clock: Callable[[], float] = time.monotonic
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _current: dict[int, Item] = field(default_factory=dict)

    def admit(self, raw: object) -> Item | None:
        """Check one raw update: the item to handle, or None (unreadable, or muted)."""
        good = checked(raw, self.metrics)
        if good is None:
            return None
        facts = facts_of(good)
        try:
            urgent = self.is_urgent(facts)
        except Exception:  # a classifier bug must not cost the update
            urgent = False
        item = Item(good, facts, urgent, self.clock())
        if (self.flood is not None and not urgent and facts.chat_id is not None
                and facts.chat_type == ChatType.PRIVATE):
            verdict = self.flood.check(facts.chat_id)
            if verdict is Verdict.DROP:
                return None
            if verdict is Verdict.NOTIFY:
                item.action = self.on_flood
                if item.action is None:
                    return None
        return item

    def accept(self, raw: object) -> bool:
        """Check and queue one raw update; False when unreadable or muted."""
        item = self.admit(raw)
        return item is not None and self.queue.put(item)

    async def handle(self, item: Item) -> bool:
        """Handle one item now; False when python-telegram-bot could not read it."""
        update = to_update(item.raw, self.bot, self.metrics)
        if update is None:
            return False
        await (item.action or self.process)(update)
        return True

    def accept_batch(self, batch: list[object], offset: int) -> int:
        """Accept a getUpdates batch; returns the offset that confirms all of it."""
        for raw in batch:
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            if _is_int(update_id):
                offset = max(offset, update_id + 1)  # type: ignore[operator]
            self.accept(raw)
        return offset

    # --- workers ------------------------------------------------------------------------
    def start(self) -> None:
        for index in range(self.workers):
            self._tasks.append(asyncio.create_task(self._work(index), name=f"intake-worker-{index}"))

    @property
    def alive(self) -> bool:
        return bool(self._tasks) and all(not t.done() for t in self._tasks)

    async def _work(self, index: int) -> None:
        while True:
            item = await self.queue.get()
            self._current[index] = item
            started = self.clock()
            try:
                handled = await self.handle(item)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # PTB hands handler errors to the error handler; this is a bug
                self.metrics.updates.labels(FAILED).inc()
                log.error("update %s not handled: %s", item.facts.update_id, type(exc).__name__)
            else:
                if handled:
                    self.metrics.updates.labels(HANDLED).inc()
            finally:
                self.metrics.update_seconds.observe(max(0.0, self.clock() - started))
                self._current.pop(index, None)
                self.queue.done(item)

    async def idle(self) -> None:
        """Wait until nothing waits and nothing is in progress."""
        while len(self.queue) or self._current:
            await asyncio.sleep(0.02)

    async def stop(self, deadline: float) -> int:
        """Stop taking updates; serve until `deadline` (monotonic); returns the number dropped."""
        self.queue.closed = True
        remaining = deadline - self.clock()
        if remaining > 0:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await self.idle()
        dropped = self.queue.drain()
        in_progress = len(self._current)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        if in_progress:
            self.metrics.updates.labels(DROPPED_AT_STOP).inc(in_progress)
        return dropped + in_progress
