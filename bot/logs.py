"""Logging that cannot leak: no user text, no names, no token.

Handlers log event kinds and hashed chat ids only. As a second line of defence
a filter masks the bot token wherever it appears (httpx logs request URLs, and
Telegram URLs contain the token).
"""

from __future__ import annotations

import hashlib
import logging
import os

_SALT = os.urandom(16)  # per process: hashes correlate log lines, never identify a chat later


def chat_ref(chat_id: int | str | None) -> str:
    if chat_id is None:
        return "-"
    return hashlib.blake2s(str(chat_id).encode(), key=_SALT, digest_size=6).hexdigest()


class SecretFilter(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = message
        for secret in self.secrets:
            masked = masked.replace(secret, "<redacted>")
        if masked != message:
            record.msg, record.args = masked, None
        return True


FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# httpx logs every request URL, which contains the token; telegram logs payloads at DEBUG.
QUIET_LIBRARIES = ("httpx", "httpcore", "telegram", "apscheduler", "tornado", "hpack")


def apply_levels(level: str | int) -> None:
    logging.getLogger().setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)


def configure_logging(level: str = "INFO", secrets: list[str] | None = None) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(SecretFilter(secrets or []))
    logging.getLogger().handlers[:] = [handler]
    apply_levels(level)
