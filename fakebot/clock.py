"""Virtual time for tests: waits that pass at once.

A test gives the same clock to the fake (``FakeBotApi(clock=clock.now)``) and to the code that
waits (``sleep=clock.sleep``): each sleep moves the time on by its length and yields to the
event loop once, so a 30-second outage is lived through in milliseconds, in the same order of
events as in real time.
"""

from __future__ import annotations

import asyncio


class VirtualClock:
    def __init__(self, start: float = 0.0) -> None:
        self.time = start

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:
        self.time += max(0.0, seconds)
        await asyncio.sleep(0)
