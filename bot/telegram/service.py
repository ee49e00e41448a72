"""Running the Telegram bot: start, serve until a signal, stop within a deadline.

SIGTERM and SIGINT stop taking updates, let the updates in progress finish and
deliver their replies, serve what waits until the deadline (`stop_seconds`, default
8 s, so the process is gone within 10 s), and count the rest as dropped; the exit
code is 0. A refused token ends the process with EXIT_TELEGRAM, a setting that
cannot be used with EXIT_SETTINGS.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import time
from dataclasses import dataclass
from typing import Any

from telegram.error import InvalidToken, TelegramError
from telegram.request import BaseRequest

from bot.core import Core
from bot.logs import configure_logging, describe_exception, format_exception, mask_streams
from bot.ops.health import metrics_server
from bot.ops.http import HttpServer, Limits
from bot.ops.metrics import METRICS
from bot.telegram.app import ALLOWED_UPDATES, WEBHOOK_PATH, build_application, build_intake
from bot.telegram.handlers import Handlers
from bot.telegram.intake import UpdateQueue
from bot.telegram.polling import Poller, TokenRefused
from bot.telegram.settings import SettingsError, TelegramSettings
from bot.telegram.webhook import WebhookServer

log = logging.getLogger("beschermwijzer.telegram")
EXIT_OK, EXIT_FAILED, EXIT_SETTINGS, EXIT_TELEGRAM = 0, 1, 2, 3
SHUTDOWN_RESERVE = 1.5  # seconds of the stop budget kept for confirming and closing
WEBHOOK_HEARTBEAT = 30.0  # webhook mode: a cheap Bot API call this often keeps /healthz honest
TELEGRAM_MAX_CONNECTIONS = 40  # what setWebhook asks Telegram for at most


@dataclass
class StopReport:
    seconds: float
    dropped: int


class BotService:
    def __init__(self, core: Core, settings: TelegramSettings,
                 request: BaseRequest | None = None) -> None:
        self.core = core
        self.settings = settings
        self.app = build_application(core, settings, request)
        handlers: Handlers = self.app.bot_data["handlers"]
        self.handlers = handlers
        self.queue = UpdateQueue(settings.queue_max, settings.queue_per_chat)
        self.intake = build_intake(self.app, self.queue, settings.concurrent_updates)
        self.poller: Poller | None = None
        self.webhook: WebhookServer | None = None
        self.metrics_http: HttpServer | None = None
        self.webhook_port: int | None = None
        self.metrics_port: int | None = None
        self._poll_task: asyncio.Task[None] | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._started = False

    # --- start ------------------------------------------------------------------------------
    async def start(self) -> None:
        """Raises TokenRefused when Telegram refuses the token."""
        try:
            await self.app.initialize()
        except InvalidToken:
            raise TokenRefused("the Bot API refused the token (401 Unauthorized or 404): "
                               "check TELEGRAM_BOT_TOKEN") from None
        self._started = True
        if self.app.post_init:
            await self.app.post_init(self.app)
        self.intake.start()
        bot = self.app.bot
        if self.settings.webhook_url:
            s = self.settings
            limits = Limits(max_body_bytes=s.webhook_max_body, header_timeout=s.webhook_timeout,
                            body_timeout=s.webhook_timeout, max_connections=s.webhook_max_connections)
            self.webhook = WebhookServer(self.intake, s.webhook_secret, WEBHOOK_PATH, limits)
            self.webhook_port = await self.webhook.start(s.webhook_listen, s.webhook_port)
            await bot.set_webhook(s.webhook_url, secret_token=s.webhook_secret,
                                  allowed_updates=ALLOWED_UPDATES,
                                  max_connections=min(TELEGRAM_MAX_CONNECTIONS,
                                                      s.webhook_max_connections))
            self._heartbeat = asyncio.create_task(self._beat(), name="webhook-heartbeat")
            log.info("webhook mode on %s:%d", s.webhook_listen, self.webhook_port)
        else:
            await bot.delete_webhook()
            self.poller = Poller(bot, self.intake, timeout=self.settings.poll_timeout,
                                 allowed_updates=list(ALLOWED_UPDATES))
            self._poll_task = asyncio.create_task(self.poller.run(), name="polling")
            log.info("polling mode")
        METRICS.loop_alive = self.alive
        METRICS.track_sessions(lambda: len(self.core.sessions))
        self.core.consultation.on_result = lambda a: METRICS.result_shown(a.primary, a.phase)
        if self.settings.metrics_port is not None:
            self.metrics_http = metrics_server()
            self.metrics_port = await self.metrics_http.start(self.settings.metrics_listen,
                                                              self.settings.metrics_port)
            log.info("metrics on %s:%d", self.settings.metrics_listen, self.metrics_port)

    def alive(self) -> bool:
        if not self.intake.alive:
            return False
        if self.webhook is not None:
            return self.webhook.accepting
        return self._poll_task is not None and not self._poll_task.done()

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(WEBHOOK_HEARTBEAT)
            with contextlib.suppress(TelegramError):
                await self.app.bot.get_webhook_info()

    # --- run ---------------------------------------------------------------------------------
    async def wait(self, stop: asyncio.Event) -> int:
        """Until `stop` is set (exit 0) or polling ends for good (exit non-zero)."""
        waiter = asyncio.create_task(stop.wait())
        watched: set[asyncio.Task[Any]] = {waiter}
        if self._poll_task is not None:
            watched.add(self._poll_task)
        await asyncio.wait(watched, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        poll = self._poll_task
        if poll is not None and poll.done() and not poll.cancelled():
            error = poll.exception()
            if isinstance(error, TokenRefused):
                log.critical("%s; stopping", error)
                return EXIT_TELEGRAM
            if error is not None:
                log.critical("polling ended: %s", describe_exception(error))
                return EXIT_FAILED
        return EXIT_OK

    # --- stop --------------------------------------------------------------------------------
    async def stop(self) -> StopReport:
        started = time.monotonic()
        deadline = started + max(0.5, self.settings.stop_seconds - SHUTDOWN_RESERVE)
        for task in (self._poll_task, self._heartbeat):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self.webhook is not None:
            await self.webhook.stop()
        dropped = await self.intake.stop(deadline)
        if self.poller is not None:
            await self.poller.confirm()
        if self.metrics_http is not None:
            await self.metrics_http.stop()
        if self._started:
            if self.app.post_shutdown:
                await self.app.post_shutdown(self.app)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.app.shutdown(), 1.0)
        METRICS.loop_alive = lambda: False
        report = StopReport(time.monotonic() - started, dropped)
        log.info("stopped in %.1fs; %d updates dropped", report.seconds, report.dropped)
        return report

    async def __aenter__(self) -> BotService:
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


async def serve(core: Core, settings: TelegramSettings) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    service = BotService(core, settings)
    try:
        await service.start()
    except TokenRefused as exc:
        log.critical("%s; stopping", exc)
        await service.stop()
        return EXIT_TELEGRAM
    except (TelegramError, OSError) as exc:
        log.critical("cannot start: %s", describe_exception(exc))
        await service.stop()
        return EXIT_FAILED
    code = await service.wait(stop)
    await service.stop()
    return code


def run(core: Core) -> int:
    try:
        settings = TelegramSettings.from_env()
    except SettingsError as exc:
        print(f"error: {exc}")
        return EXIT_SETTINGS
    mask_streams([settings.token])
    configure_logging(os.environ.get("BESCHERMWIJZER_LOG_LEVEL", "INFO"), secrets=[settings.token])
    # The knowledge base, catalogs and search index live as long as the process: moving
    # them out of the collector's reach made full collections under load 4x cheaper.
    import gc

    gc.freeze()
    try:
        return asyncio.run(serve(core, settings))
    except Exception as exc:
        log.critical("stopped by an error:\n%s", format_exception(exc))
        return EXIT_FAILED
