"""Run the real Telegram wiring against the fake Bot API and talk to it as users do."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

from telegram.ext import Application

from bot.core import Core
from bot.dialog.spec import Node
from bot.telegram.callback import CallbackCodec
from bot.telegram.handlers import Handlers
from bot.telegram.service import BotService
from bot.telegram.settings import TelegramSettings
from bot.ui import actions as act
from fakebot.client import FakeUser, Screen
from fakebot.server import FakeBotApi
from tests.auxil.autopilot import choose

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class BotUnderTest:
    api: FakeBotApi
    app: AnyApplication
    core: Core
    service: BotService

    @property
    def handlers(self) -> Handlers:
        handlers: Handlers = self.app.bot_data["handlers"]
        return handlers

    @property
    def codec(self) -> CallbackCodec:
        return self.handlers.codec

    def action(self, user: FakeUser, data: str | None) -> str:
        return self.codec.decode(user.chat_id, data).action

    def keyboard(self, user: FakeUser, screen: Screen) -> list[list[tuple[str, str]]]:
        return [[(self.action(user, data), label) for label, data in row] for row in screen.buttons]

    def data_for(self, screen: Screen, user: FakeUser, action: str) -> str:
        for row in screen.buttons:
            for _, data in row:
                if data is not None and self.action(user, data) == action:
                    return data
        raise LookupError(f"no button for action {action!r}")

    def node_of(self, screen: Screen, lang: str, user: FakeUser) -> Node:
        """The dialog node a message shows, recognised by its translated question text."""
        actions = {a for row in self.keyboard(user, screen) for a, _ in row}
        if any(act.OPEN.arg(a) is not None for a in actions):  # the result card's menu
            return self.core.dialog.node(self.core.dialog.result)
        render = self.core.renderer.message_id
        for node in self.core.dialog.nodes:
            asking = node.kind in ("question", "choice", "checklist", "scale")
            if asking and node.text and render(node.text, lang).lstrip("\u200f") in screen.text:
                return node
        if act.CONTINUE in actions:  # the acute-help screen the safety question led to
            return self.core.dialog.node(self.core.dialog.acute)
        raise LookupError(f"unrecognised screen: {screen.text[:200]!r}")

    async def screen_after(self, user: FakeUser, first: Screen | None) -> Screen:
        """The screen to act on next: the message that carries the keyboard."""
        screen = first if first is not None else await user.next_event()
        while not screen.buttons:
            screen = await user.next_event()
        return screen

    async def consult(self, user: FakeUser, wanted: dict[str, Any], lang: str = "nl",
                      limit: int = 60) -> Screen:
        """/start and answer every question like `wanted`; returns the result screen."""
        await user.send("/start")
        screen = await self.screen_after(user, await user.reply())
        for _ in range(limit):
            node = self.node_of(screen, lang, user)
            action = choose(node, self.keyboard(user, screen), wanted)
            if action is None:
                return screen
            clicked = await user.click(self.data_for(screen, user, action))
            assert clicked.answer is not None, "every press is answered"
            screen = await self.screen_after(user, clicked.screen)
        raise AssertionError("no result within the tap limit")


@asynccontextmanager
async def running_bot(api: FakeBotApi, core: Core, *,
                      poll_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                      **overrides: Any) -> AsyncIterator[BotUnderTest]:
    """The production service with long polling (a short poll timeout: quick stops).

    Tests tap one chat faster than any person, so the per-chat pace (a burst of 20, then
    one message a second) and flood control are lifted here for every test, unless a test
    sets them itself (test_ratelimit, test_flood, test_abuse, test_metrics do).
    `poll_sleep`: the poller's wait after a failed poll (a virtual clock's, say)."""
    settings = TelegramSettings(token=api.token, api_base_url=api.base_url, poll_timeout=1,
                                chat_burst=10_000, flood_max_updates=10_000)
    settings = replace(settings, **overrides)
    async with BotService(core, settings, poll_sleep=poll_sleep) as service:
        yield BotUnderTest(api, service.app, core, service)
