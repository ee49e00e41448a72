"""The Telegram wiring point: every handler is registered here, in order.

Group -1 keeps the bot out of group chats. Group 0 holds the commands, the
button handler and the answers to typed text. Edited messages are ignored on
purpose: an edit is not a new choice and its text is not ours to read.

Updates do not come through python-telegram-bot's Updater: our own intake
(bot/telegram/intake.py, polling.py, webhook.py) checks, queues and hands them to
`Application.process_update`; bot/telegram/service.py runs it all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable

os.environ.setdefault("PTB_TIMEDELTA", "1")  # opt in to timedelta; avoids a deprecation path

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.check import describe_region
from bot.core import Core
from bot.ops.metrics import METRICS
from bot.telegram.callback import CallbackCodec, ForgedCallback, action_of
from bot.telegram.flood import FloodGuard
from bot.telegram.handlers import Handlers
from bot.telegram.intake import Facts, Intake, UpdateQueue
from bot.telegram.ratelimit import ChatRateLimiter
from bot.telegram.settings import TelegramSettings
from bot.telegram.transport import AiohttpRequest
from bot.ui import actions as act
from bot.ui.commands import COMMANDS, resolve

log = logging.getLogger("beschermwijzer.telegram")
SWEEP_SECONDS = 60.0
SWEEP_BATCH = 1_000  # expired sessions per step; the loop yields between steps
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
WEBHOOK_PATH = "telegram"
POLL_READ_MARGIN = 5.0  # a long poll's read timeout is its timeout plus this


def build_application(core: Core, settings: TelegramSettings,
                      request: BaseRequest | None = None) -> Application:  # type: ignore[type-arg]
    """The bot. `request` replaces the HTTP transport (in-process fuzzing and benchmarks)."""
    core.sessions.ttl = settings.session_minutes * 60
    core.sessions.max_sessions = settings.max_sessions
    log.info("%s", describe_region(core.kb))
    builder = Application.builder().updater(None)
    if request is None:
        request = AiohttpRequest(settings.connection_pool_size, settings.send_timeout)
        # long polling holds its own connection, so it never waits behind a send
        builder = builder.get_updates_request(
            AiohttpRequest(1, settings.poll_timeout + POLL_READ_MARGIN))
    else:
        builder = builder.get_updates_request(request)
    builder = builder.request(request)
    app = (
        builder
        .token(settings.token)
        .base_url(settings.api_base_url)
        .base_file_url(settings.api_file_url)
        .rate_limiter(ChatRateLimiter(throttle=settings.rate_limit,
                                      chat_per_second=settings.chat_rate,
                                      chat_burst=settings.chat_burst,
                                      retry_budget=settings.retry_budget))
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
    app.add_error_handler(_count_error)
    return app


async def _count_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    METRICS.update_errors.inc()


def build_intake(app: Application, queue: UpdateQueue, workers: int = 16) -> Intake:  # type: ignore[type-arg]
    """The intake in front of `app`: urgency, flood control and the flood notice wired."""
    handlers: Handlers = app.bot_data["handlers"]
    bot = app.bot

    async def too_fast(update: Update) -> None:
        await handlers.too_fast(update, bot)

    return Intake(bot, app.process_update, queue, workers=workers,
                  is_urgent=urgent_classifier(handlers.codec), flood=handlers.flood,
                  on_flood=too_fast)


def urgent_classifier(codec: CallbackCodec) -> Callable[[Facts], bool]:
    """Which updates jump the queue: /nood (and its aliases) and the acute-help button."""

    def is_urgent(facts: Facts) -> bool:
        if facts.command is not None:
            return resolve(facts.command) == "nood"
        if facts.chat_id is not None and action_of(facts.data) == act.ACUTE:
            try:  # checked only for the acute-help button: forged data never jumps the queue
                return codec.decode(facts.chat_id, facts.data).action == act.ACUTE
            except (ForgedCallback, ValueError):
                return False
        return False

    return is_urgent


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    core: Core = app.bot_data["core"]
    renderer = core.renderer
    try:
        for lang in core.catalogs.available:
            commands = [BotCommand(c.name, renderer.message_id(c.description, lang)) for c in COMMANDS]
            await app.bot.set_my_commands(commands, language_code=lang)
        default = [BotCommand(c.name, c.description) for c in COMMANDS]
        await app.bot.set_my_commands(default)
    except TelegramError as exc:  # the menu is a convenience; the bot works without it
        log.warning("command menu not set (%s)", type(exc).__name__)
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


def run_telegram(core: Core) -> int:
    from bot.telegram.service import run

    return run(core)
