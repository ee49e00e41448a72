"""The Telegram wiring point: every handler is registered here, in order.

Group -1 keeps the bot out of group chats. Group 0 holds the commands, the
button handler and the answers to typed text. Edited messages are ignored on
purpose: an edit is not a new choice and its text is not ours to read.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os

os.environ.setdefault("PTB_TIMEDELTA", "1")  # opt in to timedelta; avoids a deprecation path

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.check import describe_region
from bot.core import Core
from bot.logs import configure_logging
from bot.telegram.callback import CallbackCodec
from bot.telegram.flood import FloodGuard
from bot.telegram.handlers import Handlers
from bot.telegram.ratelimit import ResilientRateLimiter
from bot.telegram.settings import SettingsError, TelegramSettings
from bot.telegram.transport import AiohttpRequest
from bot.ui.commands import COMMANDS

log = logging.getLogger("beschermwijzer.telegram")
SWEEP_SECONDS = 60.0
SWEEP_BATCH = 1_000  # expired sessions per step; the loop yields between steps
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]


def build_application(core: Core, settings: TelegramSettings,
                      request: BaseRequest | None = None) -> Application:  # type: ignore[type-arg]
    """The bot. `request` replaces the HTTP transport (in-process fuzzing and benchmarks)."""
    core.sessions.ttl = settings.session_minutes * 60
    core.sessions.max_sessions = settings.max_sessions
    log.info("%s", describe_region(core.kb))
    builder = Application.builder()
    if request is None:
        request = AiohttpRequest(settings.connection_pool_size, settings.read_timeout)
        # long polling holds its own connection, so it never waits behind a send
        builder = builder.get_updates_request(AiohttpRequest(1, settings.read_timeout))
    else:
        builder = builder.get_updates_request(request)
    builder = builder.request(request)
    app = (
        builder
        .token(settings.token)
        .base_url(settings.api_base_url)
        .base_file_url(settings.api_file_url)
        .rate_limiter(ResilientRateLimiter(throttle=settings.rate_limit,
                                           transient_retries=settings.transient_retries))
        .concurrent_updates(settings.concurrent_updates)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    flood = FloodGuard(settings.flood_max_updates, settings.flood_window_seconds,
                       settings.flood_pause_seconds)
    handlers = Handlers(core, CallbackCodec(), flood)
    app.bot_data["core"] = core
    app.bot_data["handlers"] = handlers

    app.add_handler(TypeHandler(Update, handlers.gate), group=-1)

    # Every command, known or not, goes to the one command layer (bot/ui/chat.py).
    app.add_handler(MessageHandler(filters.COMMAND & ~filters.UpdateType.EDITED, handlers.command))
    app.add_handler(CallbackQueryHandler(handlers.button))
    app.add_handler(MessageHandler(~filters.COMMAND & ~filters.UpdateType.EDITED, handlers.free_text))
    app.add_error_handler(handlers.on_error)
    return app


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    core: Core = app.bot_data["core"]
    renderer = core.renderer
    for lang in core.catalogs.available:
        commands = [BotCommand(c.name, renderer.message_id(c.description, lang)) for c in COMMANDS]
        await app.bot.set_my_commands(commands, language_code=lang)
    default = [BotCommand(c.name, c.description) for c in COMMANDS]
    await app.bot.set_my_commands(default)
    handlers: Handlers = app.bot_data["handlers"]
    app.bot_data["sweeper"] = asyncio.create_task(_sweep(core, handlers.flood))


async def _post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    task: asyncio.Task[None] | None = app.bot_data.pop("sweeper", None)
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _sweep(core: Core, flood: FloodGuard | None = None) -> None:
    """Expire idle sessions even when their users never come back."""
    evicted = core.sessions.evicted
    while True:
        await asyncio.sleep(SWEEP_SECONDS)
        removed = step = core.sessions.sweep(SWEEP_BATCH)
        while step == SWEEP_BATCH:  # many expired at once: let updates in between steps
            await asyncio.sleep(0)
            step = core.sessions.sweep(SWEEP_BATCH)
            removed += step
        if flood is not None:
            flood.sweep()
        if removed:
            log.info("expired %d idle sessions", removed)
        if core.sessions.evicted > evicted:
            log.warning("session cap (%d) reached: %d longest-idle sessions forgotten early",
                        core.sessions.max_sessions, core.sessions.evicted - evicted)
            evicted = core.sessions.evicted


WEBHOOK_PATH = "telegram"


def webhook_options(settings: TelegramSettings) -> dict[str, object]:
    """Options for Updater.start_webhook / Application.run_webhook.

    PTB's webhook server refuses (403) every POST whose X-Telegram-Bot-Api-Secret-Token
    header differs from `secret_token`, which setWebhook registers with Telegram.
    """
    return {"listen": settings.webhook_listen, "port": settings.webhook_port,
            "url_path": WEBHOOK_PATH, "webhook_url": settings.webhook_url,
            "secret_token": settings.webhook_secret, "allowed_updates": ALLOWED_UPDATES}


def run_telegram(core: Core) -> int:
    try:
        settings = TelegramSettings.from_env()
    except SettingsError as exc:
        print(f"error: {exc}")
        return 2
    configure_logging(os.environ.get("BESCHERMWIJZER_LOG_LEVEL", "INFO"), secrets=[settings.token])
    app = build_application(core, settings)
    # The knowledge base, catalogs and search index live as long as the process: moving
    # them out of the collector's reach made full collections under load 4x cheaper.
    gc.freeze()
    if settings.webhook_url:
        log.info("starting in webhook mode on %s:%d", settings.webhook_listen, settings.webhook_port)
        app.run_webhook(**webhook_options(settings))  # type: ignore[arg-type]
    else:
        log.info("starting in polling mode")
        app.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0
