"""The production Telegram wiring on an in-process transport, driven by process_update.

Fast enough for thousands of updates: fuzzing, flood and benchmark harnesses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

from bot.core import Core
from bot.telegram.app import build_application, build_intake
from bot.telegram.handlers import Handlers
from bot.telegram.intake import Intake, UpdateQueue
from bot.telegram.settings import TelegramSettings
from tests.fakebot.inprocess import InProcessRequest
from tests.fakebot.ptb import AnyApplication
from tests.fakebot.server import FakeBotApi


@dataclass
class InProcessBot:
    api: FakeBotApi
    app: AnyApplication
    core: Core
    intake: Intake

    @property
    def handlers(self) -> Handlers:
        handlers: Handlers = self.app.bot_data["handlers"]
        return handlers

    async def feed(self, update: dict[str, Any]) -> bool:
        """Handle one raw update the way the intake does (checked, flood-guarded), at once;
        False when it was not handled (unreadable, or its chat muted)."""
        item = self.intake.admit(update)
        return item is not None and await self.intake.handle(item)


@asynccontextmanager
async def in_process_bot(core: Core, **overrides: Any) -> AsyncIterator[InProcessBot]:
    api = FakeBotApi()
    settings = replace(TelegramSettings(token=api.token), **overrides)
    app = build_application(core, settings, request=InProcessRequest(api))
    async with app:
        if app.post_init:
            await app.post_init(app)
        try:
            yield InProcessBot(api, app, core, build_intake(app, UpdateQueue()))
        finally:
            if app.post_shutdown:
                await app.post_shutdown(app)
