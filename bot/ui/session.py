"""Per-chat sessions in memory, expiring after a period of inactivity.

A session holds the interface language, the active mode and one small model per mode
that was used (state names, button answers, positions): never text the user typed.
Modes with a `transitions` machine attach their model to it; when a session expires, is
deleted or is pushed out by the cap the store calls `on_drop`, which lets every mode
detach its model, so models never pile up on the shared machines.

The store is bounded and every operation costs the same with ten sessions or fifty
thousand: sessions are kept least recently used first (every `get` moves one to the
end), so the cap forgets the longest-idle session from the front, and the expiry sweep
pops expired sessions from the front and stops at the first one still in use.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

MAX_TRACKED_MESSAGES = 200
# Sessions kept at most (BESCHERMWIJZER_MAX_SESSIONS). A region has a few hundred
# professionals; 50,000 leaves room for every one of them many times over, and a flood of
# /start from fresh chats then holds about 45 MB of sessions (benchmarks/sessions.py).
DEFAULT_MAX_SESSIONS = 50_000


class Session:
    __slots__ = ("key", "lang", "mode", "models", "overlay", "pending", "pinned", "sent", "sid",
                 "simple", "slots", "step", "touched")

    def __init__(self, key: str, lang: str, mode: str, now: float) -> None:
        self.key = key
        self.sid = secrets.token_urlsafe(4)  # short, random; marks buttons of this session
        self.lang = lang
        self.mode = mode  # the active mode: "consult", "lookup", "learn"
        self.models: dict[str, Any] = {}  # mode -> that mode's model
        self.overlay: str | None = None  # a command-layer screen on top (language, confirm)
        self.pending: Any = None  # a read resume code waiting for "replace my answers?" (not text)
        self.step = 0  # bumped on every new screen: a button of an earlier one is stale
        self.pinned = 0  # the step of the last kept screen: its buttons stay valid too
        self.slots: tuple[int, int] = (0, 0)  # front-end message ids: the kept one, the detail
        self.simple = False  # simple language (B1) for client cards and lookup
        self.touched = now
        self.sent: list[int] = []  # ids of the bot's messages, so that /wis can delete them

    def remember_message(self, message_id: int) -> None:
        self.sent.append(message_id)
        if len(self.sent) > MAX_TRACKED_MESSAGES:
            del self.sent[: len(self.sent) - MAX_TRACKED_MESSAGES]


def _nothing(session: Session) -> None:
    return None


class SessionStore:
    """Live sessions by chat key, least recently used first.

    The order is that of `touched` as long as the clock never runs backwards (monotonic
    in production): `open` appends and `get` moves to the end.
    """

    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic,
                 on_drop: Callable[[Session], None] = _nothing,
                 max_sessions: int = DEFAULT_MAX_SESSIONS) -> None:
        if max_sessions < 1:
            raise ValueError("max_sessions must be at least 1")
        self.ttl = ttl_seconds
        self.clock = clock
        self.on_drop = on_drop
        self.max_sessions = max_sessions
        self.evicted = 0  # sessions forgotten early because the store was full
        self._sessions: OrderedDict[str, Session] = OrderedDict()

    def __len__(self) -> int:
        return len(self._sessions)

    def __iter__(self) -> Iterator[Session]:
        """Every session, least recently used first (a copy: tests and diagnostics only)."""
        return iter(list(self._sessions.values()))

    def get(self, key: str) -> Session | None:
        """The live session for key, or None (never started, deleted, expired or pushed out
        by the cap: the caller tells the user the conversation expired)."""
        session = self._sessions.get(key)
        if session is None:
            return None
        now = self.clock()
        if now - session.touched > self.ttl:
            self.drop(key)
            return None
        session.touched = now
        self._sessions.move_to_end(key)
        return session

    def open(self, key: str, lang: str, mode: str = "consult") -> Session:
        """A fresh session for key, replacing any earlier one. At the cap the longest-idle
        session is forgotten first."""
        self.drop(key)
        while len(self._sessions) >= self.max_sessions:
            _, oldest = self._sessions.popitem(last=False)
            self.evicted += 1
            self.on_drop(oldest)
        session = Session(key, lang, mode, self.clock())
        self._sessions[key] = session
        return session

    def drop(self, key: str) -> Session | None:
        session = self._sessions.pop(key, None)
        if session is not None:
            self.on_drop(session)
        return session

    def sweep(self, budget: int | None = None) -> int:
        """Remove expired sessions, oldest first, at most `budget` of them; returns how many.

        It stops at the first session still in use: every later one was used more recently.
        So a sweep costs the number of expired sessions it removes, never the number alive.
        """
        now = self.clock()
        removed = 0
        sessions = self._sessions
        while sessions and (budget is None or removed < budget):
            key = next(iter(sessions))
            session = sessions[key]
            if now - session.touched <= self.ttl:
                break
            del sessions[key]
            self.on_drop(session)
            removed += 1
        return removed
