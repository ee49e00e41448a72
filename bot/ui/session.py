"""Per-chat sessions in memory, expiring after a period of inactivity.

A session holds the interface language, the active mode and one small model per mode
that was used (state names, button answers, positions): never text the user typed.
Modes with a `transitions` machine attach their model to it; when a session expires or is
deleted the store calls `on_drop`, which lets every mode detach its model, so models
never pile up on the shared machines.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any

MAX_TRACKED_MESSAGES = 200


class Session:
    __slots__ = ("key", "lang", "mode", "models", "overlay", "pinned", "sent", "sid", "simple",
                 "slots", "step", "touched")

    def __init__(self, key: str, lang: str, mode: str, now: float) -> None:
        self.key = key
        self.sid = secrets.token_urlsafe(4)  # short, random; marks buttons of this session
        self.lang = lang
        self.mode = mode  # the active mode: "consult", "lookup", "learn"
        self.models: dict[str, Any] = {}  # mode -> that mode's model
        self.overlay: str | None = None  # a command-layer screen on top (language, confirm)
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
    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic,
                 on_drop: Callable[[Session], None] = _nothing) -> None:
        self.ttl = ttl_seconds
        self.clock = clock
        self.on_drop = on_drop
        self._sessions: dict[str, Session] = {}

    def __len__(self) -> int:
        return len(self._sessions)

    def __iter__(self) -> Iterator[Session]:
        return iter(list(self._sessions.values()))

    def get(self, key: str) -> Session | None:
        """The live session for key, or None (never started, deleted or expired)."""
        session = self._sessions.get(key)
        if session is None:
            return None
        now = self.clock()
        if now - session.touched > self.ttl:
            self.drop(key)
            return None
        session.touched = now
        return session

    def open(self, key: str, lang: str, mode: str = "consult") -> Session:
        """A fresh session for key, replacing any earlier one."""
        self.drop(key)
        session = Session(key, lang, mode, self.clock())
        self._sessions[key] = session
        return session

    def drop(self, key: str) -> Session | None:
        session = self._sessions.pop(key, None)
        if session is not None:
            self.on_drop(session)
        return session

    def sweep(self) -> int:
        """Remove every expired session; returns how many."""
        now = self.clock()
        stale = [k for k, s in self._sessions.items() if now - s.touched > self.ttl]
        for key in stale:
            self.drop(key)
        return len(stale)
