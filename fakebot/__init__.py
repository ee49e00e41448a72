"""A fake Telegram Bot API for the tests and the benchmarks of the bot.

One fake for both (issue 10): ``server.FakeBotApi`` is the HTTP server the bot talks to (with
``lean=True`` for load), ``inprocess.InProcessRequest`` a python-telegram-bot request class that
calls it without HTTP, ``client.FakeUser`` plays a user, ``clock.VirtualClock`` lets a test skip
waiting. It lives beside ``tests/`` and ``benchmarks/`` rather than in either, because both use
it and neither should import the other; it is part of the repository, not of the wheel.
"""

from ._model import ApiError, Call, Fault, Reply
from .client import ClickResult, FakeUser, Screen
from .clock import VirtualClock
from .server import DEFAULT_TOKEN, FakeBotApi

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "Call",
    "ClickResult",
    "FakeBotApi",
    "FakeUser",
    "Fault",
    "Reply",
    "Screen",
    "VirtualClock",
]
