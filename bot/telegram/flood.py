"""Flood control per user: past a limit, one notice, then silence for a while.

Other users are unaffected: the state is kept per chat and bounded in size.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from enum import Enum

from bot.ops.metrics import METRICS


class Verdict(Enum):
    OK = "ok"
    NOTIFY = "notify"  # the first update over the limit: tell the user once
    DROP = "drop"  # muted: ignore


class FloodGuard:
    def __init__(self, max_updates: int, window_seconds: float, pause_seconds: float,
                 clock: Callable[[], float] = time.monotonic, max_tracked: int = 100_000) -> None:
        self.max_updates = max_updates
        self.window = window_seconds
        self.pause = pause_seconds
        self.clock = clock
        self.max_tracked = max_tracked
        self._seen: OrderedDict[int, deque[float]] = OrderedDict()
        self._muted_until: dict[int, float] = {}

    def check(self, key: int) -> Verdict:
        now = self.clock()
        until = self._muted_until.get(key)
        if until is not None:
            if now < until:
                METRICS.flood.labels(Verdict.DROP.value).inc()
                return Verdict.DROP
            del self._muted_until[key]
            self._seen.pop(key, None)
        stamps = self._seen.get(key)
        if stamps is None:
            stamps = deque(maxlen=self.max_updates + 1)
            self._seen[key] = stamps
            if len(self._seen) > self.max_tracked:
                self._seen.popitem(last=False)
        else:
            self._seen.move_to_end(key)
        stamps.append(now)
        while stamps and now - stamps[0] > self.window:
            stamps.popleft()
        if len(stamps) > self.max_updates:
            self._muted_until[key] = now + self.pause
            METRICS.flood.labels(Verdict.NOTIFY.value).inc()
            return Verdict.NOTIFY
        return Verdict.OK

    def sweep(self) -> None:
        now = self.clock()
        for key in [k for k, until in self._muted_until.items() if until <= now]:
            del self._muted_until[key]
        for key in [k for k, stamps in self._seen.items()
                    if not stamps or now - stamps[-1] > self.window]:
            del self._seen[key]
