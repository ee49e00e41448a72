"""Per-chat sessions in memory, expiring after a period of inactivity.

A session holds only state names, button answers and ids of the bot's own
messages: never text that the user typed. Expired or deleted sessions are
detached from the shared machine so that models do not pile up.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any

from bot.dialog.machine import DialogMachine

AnswerMap = dict[str, Any]  # indicator id -> "yes"/"no"/"unknown"; "safety_score" -> int
MAX_TRACKED_MESSAGES = 200


class Session:
    __slots__ = ("__weakref__", "answers", "extra", "history", "key", "lang", "mode",
                 "sent", "sid", "simple", "state", "step", "ticks", "touched")

    def __init__(self, key: str, lang: str, mode: str, now: float) -> None:
        self.key = key
        self.sid = secrets.token_urlsafe(4)  # short, random; marks buttons of this session
        self.state = ""
        self.answers: AnswerMap = {}
        self.history: list[tuple[str, AnswerMap]] = []
        self.step = 0
        self.lang = lang
        self.mode = mode
        self.simple = False  # simple language (B1) for handouts and lookup
        self.touched = now
        self.ticks: set[str] | None = None
        self.sent: list[int] = []
        self.extra: dict[str, Any] | None = None

    def remember_message(self, message_id: int) -> None:
        self.sent.append(message_id)
        if len(self.sent) > MAX_TRACKED_MESSAGES:
            del self.sent[: len(self.sent) - MAX_TRACKED_MESSAGES]


class SessionStore:
    def __init__(self, machine: DialogMachine, ttl_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.machine = machine
        self.ttl = ttl_seconds
        self.clock = clock
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
        self.machine.attach(session)
        self._sessions[key] = session
        return session

    def drop(self, key: str) -> Session | None:
        session = self._sessions.pop(key, None)
        if session is not None:
            self.machine.detach(session)
        return session

    def sweep(self) -> int:
        """Remove every expired session; returns how many."""
        now = self.clock()
        stale = [k for k, s in self._sessions.items() if now - s.touched > self.ttl]
        for key in stale:
            self.drop(key)
        return len(stale)
