"""Glue between the fake Bot API and a python-telegram-bot Application under test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from .server import FakeBotApi

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
AnyBuilder = ApplicationBuilder[Any, Any, Any, Any, Any, Any]


def app_builder(api: FakeBotApi) -> AnyBuilder:
    """An ApplicationBuilder already pointed at the fake (token and both base URLs)."""
    return Application.builder().token(api.token).base_url(api.base_url).base_file_url(api.base_file_url)


@asynccontextmanager
async def polling(app: AnyApplication, *, timeout: int = 1, **options: Any) -> AsyncIterator[AnyApplication]:
    """Run ``app`` with long polling for the duration of the block, then shut it down.

    The short long-poll ``timeout`` keeps shutdown fast; the fake answers a poll as soon as an
    update is pushed, so it costs no latency. ``options`` go to ``Updater.start_polling``.
    """
    updater = app.updater
    if updater is None:
        raise ValueError("the application was built without an Updater")
    async with app:
        await app.start()
        await updater.start_polling(poll_interval=0, timeout=timeout, **options)
        try:
            yield app
        finally:
            await updater.stop()
            await app.stop()
