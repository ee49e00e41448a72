"""Privacy: what a user types or is called never reaches a log line, a file or callback data."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from telegram.error import NetworkError

from bot.core import Core, build_core
from bot.logs import FORMAT, MaskingStream, SafeFormatter, apply_levels
from bot.lookup.engine import PERSONAL_DATA
from bot.ui import actions as act
from fakebot.client import FakeUser
from fakebot.server import FakeBotApi
from tests.auxil.tg import running_bot
from tests.conftest import ROOT, public_cases
from tests.test_dialog import drive

SKIP_DIRS = {".git", ".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}


def files_written_since(start: float, roots: list[Path]) -> Iterator[Path]:
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
            for name in filenames:
                path = Path(dirpath) / name
                try:
                    if path.stat().st_mtime >= start:
                        yield path
                except OSError:
                    continue


async def test_marker_never_leaves_the_conversation(core: Core, caplog: pytest.LogCaptureFixture,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    marker = f"PRIV{uuid.uuid4().hex[:12]}"
    started = time.time() - 1
    apply_levels(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    try:
        async with FakeBotApi() as api, running_bot(api, core) as bot:
            user = FakeUser(api, 9393, first_name=marker)
            await user.send(f"{marker} woont op de Dorpsstraat 12, tel 0612345678")
            await user.reply()
            result = await bot.consult(user, public_cases()[0]["answers"])
            opened = await user.click(bot.data_for(result, user, act.OPEN("code")))
            assert opened.screen is not None
            code_screen = opened.screen.text
            await user.click(bot.data_for(opened.screen, user, act.BACK))  # the card again
            await user.send(f"/{marker.lower()}")  # an unknown command: a note, then the screen
            await user.reply()
            await user.reply()
            await user.send(f"nog iets over {marker}")
            await user.reply()
            await user.reply()
            await user.send("/zoek")  # a lookup with the marker and a phone number in it
            await user.reply()
            await user.send(f"huisverbod voor {marker}, bel 0612345678")
            found = await user.reply()
            assert bot.core.renderer.message(PERSONAL_DATA, "nl") in found.text  # flagged, and
            assert any("huisverbod" in label.lower() for label in found.labels), found.labels  # found
            api.outage("sendMessage", 2.0)  # errors: the reply fails every retry
            await user.send(f"fout {marker}")
            await api.wait_for(lambda c: c.method == "sendMessage" and not c.ok, timeout=5)
            await bot.service.intake.idle()
            await asyncio.sleep(2.1)
            await user.send("/wis")
            await user.reply(timeout=8)
            sent = api.sent_messages()
            callback_data = [b["callback_data"] for m in sent
                             for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
                             for b in row]
            sessions = list(core.sessions)
            token = api.token
    finally:
        apply_levels(logging.WARNING)
    formatter = logging.Formatter(FORMAT)
    lines = [formatter.format(r) for r in caplog.records]
    assert lines, "the bot logged nothing at all: the check would be empty"
    assert any("failed" in line for line in lines), "the error path was exercised"
    for line in lines:
        assert marker not in line and marker.lower() not in line
        assert token not in line
    out = capsys.readouterr()
    assert marker not in out.out + out.err
    assert callback_data and not any(marker in d or marker.lower() in d for d in callback_data)
    for s in sessions:
        assert marker not in repr({k: getattr(s, k) for k in s.__slots__})
        for m in s.models.values():
            assert marker not in repr({k: getattr(m, k) for k in m.__slots__})
    # The resume code holds the button answers and nothing else: it is the code of the same
    # answers given in a session where nothing at all was typed.
    twin = build_core(core.kb)
    quiet = twin.sessions.open("twin", "nl")
    drive(twin, quiet, public_cases()[0]["answers"])
    snapshot = twin.consultation.snapshot(quiet)
    assert snapshot is not None
    code = twin.codes.encode(snapshot)
    assert code in code_screen and marker not in code_screen
    decoded = twin.codes.decode(code).snapshot
    assert set(decoded.answers) <= set(core.kb.indicators) and decoded.followup == {}
    assert set(decoded.answers.values()) <= {"yes", "no", "unknown"}
    for path in files_written_since(started, [ROOT, Path(tempfile.gettempdir())]):
        try:
            data = path.read_bytes()
        except OSError:
            continue
        assert marker.encode() not in data, path


def test_tracebacks_and_streams_never_show_the_token_or_typed_text() -> None:
    """Issue 13 item 2: the secret filter masked the message but not the exception text,
    and the transport chained aiohttp's exception, whose message holds the URL."""
    token = "987654321:AAsecretTOKENsecretTOKENsecretTOKEN12"
    typed = "PRIVtyped9911"
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(SafeFormatter(FORMAT, [token]))
    logger = logging.getLogger("beschermwijzer.privacy-test")
    logger.addHandler(handler)
    try:
        try:
            try:
                int(typed)  # ValueError: invalid literal for int() with base 10: 'PRIV...'
            except ValueError as exc:
                raise RuntimeError(f"GET https://bot-api.invalid/bot{token}/getUpdates") from exc
        except RuntimeError:
            logger.exception("poll failed")
        try:
            raise NetworkError(f"Bad Gateway at /bot{token}/sendMessage")
        except NetworkError:
            logger.exception("send failed")  # Telegram's own messages are kept, masked
        logging.getLogger("telegram.ext.Updater").critical("Received data was %r", {"text": typed})
    finally:
        logger.removeHandler(handler)
    written = out.getvalue()
    assert "poll failed" in written and "ValueError" in written and "RuntimeError" in written
    assert "Bad Gateway" in written and "<redacted>" in written
    assert token not in written and token.split(":")[1] not in written
    assert typed not in written

    target = io.StringIO()
    stream = MaskingStream(target, [token])
    stream.write(f"uncaught: {token[:10]}")
    stream.write(f"{token[10:]} in a URL\n")
    stream.write(f"and at the end {token}")
    stream.flush()
    assert token not in target.getvalue() and "<redacted>" in target.getvalue()
