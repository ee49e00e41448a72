"""pytest fixtures for the fake Bot API.

Enable them with ``pytest_plugins = ["tests.fakebot.fixtures"]`` (in a test module or the root
conftest.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from .client import FakeUser
from .server import FakeBotApi

USER_CHAT_ID = 4242


@pytest_asyncio.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    """A running fake Bot API, stopped after the test."""
    async with FakeBotApi() as api:
        yield api


@pytest_asyncio.fixture
async def fake_user(fake_api: FakeBotApi) -> FakeUser:
    """A Dutch-speaking user in a private chat with the bot."""
    return FakeUser(fake_api, USER_CHAT_ID)
