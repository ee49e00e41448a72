"""The one wiring point: build the core once, then run Telegram or the console."""

from __future__ import annotations

import os
from typing import TextIO

from bot.core import build_core
from bot.kb import Knowledge


def run(kb: Knowledge, *, lang: str | None, mode: str, force_console: bool,
        stdin: TextIO, stdout: TextIO, resume: str = "") -> int:
    core = build_core(kb)
    token = os.environ.get("TELEGRAM_BOT_TOKEN") or os.environ.get("TELEGRAM_BOT_TOKEN_FILE")
    if token and not force_console:
        from bot.telegram.app import run_telegram

        return int(run_telegram(core))
    from bot.console import ConsoleChat

    return ConsoleChat(core, lang or "nl", stdin, stdout, mode, resume).run()
