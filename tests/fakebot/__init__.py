"""A fake Telegram Bot API for end-to-end tests of the bot.

``server.FakeBotApi`` is the HTTP server the bot talks to, ``client.FakeUser`` plays a user,
``ptb`` wires a python-telegram-bot Application to it and ``fixtures`` offers pytest fixtures.
"""

from ._model import ApiError, Call, Fault, Upload
from .client import ClickResult, FakeUser, Screen
from .server import DEFAULT_TOKEN, FakeBotApi

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "Call",
    "ClickResult",
    "FakeBotApi",
    "FakeUser",
    "Fault",
    "Screen",
    "Upload",
]
