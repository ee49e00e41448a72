"""Logging and output that cannot leak: no user text, no names, no token.

Our own loggers write event kinds and hashed chat ids only. Three guards stand behind
that promise, because the data that must not leak reaches the process in places we do
not write ourselves:

- Library records (python-telegram-bot, aiohttp, asyncio ...) keep their message template
  but never their arguments: PTB passes whole updates as arguments ("Received data was
  %r"), so an argument is withheld at every level.
- Exceptions are logged as a traceback of code locations and exception types; their
  messages are withheld (a ValueError from int() quotes its input, which may be typed
  text). Bot API errors keep theirs: Telegram writes them, not the user.
- The token is masked in the finished line, traceback included, and in everything the
  process writes to stdout and stderr (`mask_streams`).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import sys
import traceback
from types import TracebackType
from typing import TextIO

_SALT = os.urandom(16)  # per process: hashes correlate log lines, never identify a chat later
OWN_LOGGER = "beschermwijzer"
REDACTED = "<redacted>"
# The shape of any bot token ("123456:AA..."): masked even when it is not our own, e.g.
# in a URL a proxy echoes back.
TOKEN_SHAPE = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
Secrets = list[str]
CAUSE = "The above exception was the direct cause of the following exception:"
CONTEXT = "During handling of the above exception, another exception occurred:"


def chat_ref(chat_id: int | str | None) -> str:
    if chat_id is None:
        return "-"
    return hashlib.blake2s(str(chat_id).encode(), key=_SALT, digest_size=6).hexdigest()


def mask(text: str, secrets: Secrets) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return TOKEN_SHAPE.sub(REDACTED, text)


def _message_is_safe(exc: BaseException) -> bool:
    """Exception messages we may show: Telegram's own error descriptions."""
    from telegram.error import TelegramError

    return isinstance(exc, TelegramError)


def describe_exception(exc: BaseException) -> str:
    """`Type` or `Type: message` when the message cannot carry user data."""
    name = type(exc).__qualname__
    if _message_is_safe(exc) and str(exc):
        return f"{name}: {exc}"
    return name


def format_exception(exc: BaseException | None, tb: TracebackType | None = None) -> str:
    """A traceback with every frame but without exception messages (except Telegram's)."""
    if exc is None:
        return ""
    # newest first: each exception with the words that link it to the older one it came from
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        older = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
        link = CAUSE if current.__cause__ is not None else CONTEXT
        chain.append((current, link))
        current = older
    parts: list[str] = []
    for index, (item, link) in enumerate(chain):
        frames = traceback.extract_tb(tb if item is exc and tb is not None else item.__traceback__)
        block = ("Traceback (most recent call last):\n" + "".join(traceback.format_list(frames))
                 + describe_exception(item) + "\n")
        parts.insert(0, block)
        if index + 1 < len(chain):
            parts.insert(0, f"\n{link}\n\n")
    return "".join(parts).rstrip("\n")


class SafeFormatter(logging.Formatter):
    """Formats a record under the rules of the module docstring."""

    def __init__(self, fmt: str, secrets: Secrets | None = None) -> None:
        super().__init__(fmt)
        self.secrets = [s for s in (secrets or []) if s]

    def format(self, record: logging.LogRecord) -> str:
        if record.name == OWN_LOGGER or record.name.startswith(OWN_LOGGER + "."):
            message = record.getMessage()
        else:
            message = str(record.msg)
            if record.args:
                message += " [arguments withheld]"
        clone = logging.makeLogRecord(record.__dict__)
        clone.message = message
        if self.usesTime():
            clone.asctime = self.formatTime(clone, self.datefmt)
        line = self.formatMessage(clone)
        if record.exc_info and record.exc_info[1] is not None:
            line += "\n" + format_exception(record.exc_info[1], record.exc_info[2])
        if record.stack_info:
            line += "\n" + record.stack_info
        return mask(line, self.secrets)


class MaskingStream(io.TextIOBase):
    """A text stream that masks secrets before writing to the stream it wraps.

    Writes are line-buffered so that a token split over two writes is still masked.
    """

    def __init__(self, target: TextIO, secrets: Secrets) -> None:
        super().__init__()
        self.target = target
        self.secrets = [s for s in secrets if s]
        self._pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in self._pending:
            done, _, self._pending = self._pending.rpartition("\n")
            self.target.write(mask(done + "\n", self.secrets))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self.target.write(mask(self._pending, self.secrets))
            self._pending = ""
        self.target.flush()

    def fileno(self) -> int:
        return self.target.fileno()

    def isatty(self) -> bool:
        return self.target.isatty()


def mask_streams(secrets: Secrets) -> None:
    """Mask `secrets` in everything later written to sys.stdout and sys.stderr.

    Python's own last-resort output (an uncaught traceback, "Exception ignored in ...",
    warnings) goes through sys.stderr, so it is covered too.
    """
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if isinstance(stream, MaskingStream):
            stream.secrets = sorted({*stream.secrets, *secrets})
        elif stream is not None:
            setattr(sys, name, MaskingStream(stream, secrets))
    sys.excepthook = _safe_excepthook


def _safe_excepthook(kind: type[BaseException], exc: BaseException,
                     tb: TracebackType | None) -> None:
    print(format_exception(exc, tb), file=sys.stderr, flush=True)


class SecretFilter(logging.Filter):
    """Kept for handlers that do not use SafeFormatter: masks the formatted message."""

    def __init__(self, secrets: Secrets) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message, self.secrets)
        if masked != message:
            record.msg, record.args = masked, None
        return True


FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Libraries speak at WARNING and above only; SafeFormatter keeps even those free of data.
QUIET_LIBRARIES = ("httpx", "httpcore", "telegram", "apscheduler", "tornado", "hpack", "aiohttp",
                   "asyncio")


def apply_levels(level: str | int) -> None:
    logging.getLogger().setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)


def configure_logging(level: str = "INFO", secrets: Secrets | None = None) -> None:
    secrets = [s for s in (secrets or []) if s]
    if secrets:
        mask_streams(secrets)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(SafeFormatter(FORMAT, secrets))
    logging.getLogger().handlers[:] = [handler]
    apply_levels(level)
