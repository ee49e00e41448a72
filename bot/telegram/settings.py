"""Telegram settings from the environment (see README: Running on Telegram)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_API = "https://api.telegram.org/bot"


class SettingsError(ValueError):
    pass


def _float(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from exc


def _at_least_one(env: dict[str, str], name: str, default: int) -> int:
    value = _float(env, name, default)
    if value < 1 or value != int(value):
        raise SettingsError(f"{name} must be a whole number of at least 1, got {env[name]!r}")
    return int(value)


@dataclass(frozen=True)
class TelegramSettings:
    token: str
    api_base_url: str = DEFAULT_API
    webhook_url: str | None = None  # set: webhook mode; unset: long polling
    webhook_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    session_minutes: float = 30.0
    max_sessions: int = 50_000  # beyond it the longest-idle session is forgotten (bot/ui/session.py)
    flood_max_updates: int = 30  # per user and window
    flood_window_seconds: float = 10.0
    flood_pause_seconds: float = 60.0
    rate_limit: bool = True  # Telegram's 30 messages/s; benchmarks lift it
    transient_retries: int = 3
    read_timeout: float = 10.0  # seconds to wait for a Bot API answer before retrying
    # HTTP connections to the Bot API. Telegram accepts about 30 messages/s; at ~100 ms per
    # request 16 connections carry ~160 requests/s. More only cost CPU: httpcore's pool
    # scans every connection on every request (measured: benchmarks/, README).
    connection_pool_size: int = 16
    # Updates handled at once. More is not faster: PTB and httpcore pay per concurrent task
    # and queued request (benchmarks/); raise it when the Bot API is far away.
    concurrent_updates: int = 16

    @property
    def api_file_url(self) -> str:
        return self.api_base_url.rstrip("/").removesuffix("/bot") + "/file/bot"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> TelegramSettings:
        env = dict(os.environ if env is None else env)
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        token_file = env.get("TELEGRAM_BOT_TOKEN_FILE", "").strip()
        if not token and token_file:
            try:
                token = Path(token_file).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise SettingsError(f"TELEGRAM_BOT_TOKEN_FILE cannot be read: {exc.strerror}") from exc
        if not token:
            raise SettingsError("no token: set TELEGRAM_BOT_TOKEN or TELEGRAM_BOT_TOKEN_FILE")
        kwargs: dict[str, object] = {"token": token}
        if env.get("TELEGRAM_API_BASE_URL"):
            kwargs["api_base_url"] = env["TELEGRAM_API_BASE_URL"]
        if env.get("TELEGRAM_WEBHOOK_URL"):
            kwargs["webhook_url"] = env["TELEGRAM_WEBHOOK_URL"]
        if env.get("TELEGRAM_WEBHOOK_SECRET"):
            kwargs["webhook_secret"] = env["TELEGRAM_WEBHOOK_SECRET"]
        if env.get("TELEGRAM_WEBHOOK_LISTEN"):
            kwargs["webhook_listen"] = env["TELEGRAM_WEBHOOK_LISTEN"]
        if env.get("TELEGRAM_WEBHOOK_PORT"):
            kwargs["webhook_port"] = int(_float(env, "TELEGRAM_WEBHOOK_PORT", 8443))
        kwargs["session_minutes"] = _float(env, "BESCHERMWIJZER_SESSION_MINUTES", 30.0)
        kwargs["max_sessions"] = _at_least_one(env, "BESCHERMWIJZER_MAX_SESSIONS", 50_000)
        kwargs["flood_max_updates"] = int(_float(env, "BESCHERMWIJZER_FLOOD_MAX", 30))
        kwargs["flood_window_seconds"] = _float(env, "BESCHERMWIJZER_FLOOD_WINDOW", 10.0)
        kwargs["flood_pause_seconds"] = _float(env, "BESCHERMWIJZER_FLOOD_PAUSE", 60.0)
        # Only benchmarks lift Telegram's 30 messages/s throttle, to measure the bot itself.
        kwargs["rate_limit"] = env.get("BESCHERMWIJZER_RATE_LIMIT", "on").lower() != "off"
        kwargs["connection_pool_size"] = int(_float(env, "BESCHERMWIJZER_CONNECTIONS", 16))
        kwargs["concurrent_updates"] = int(_float(env, "BESCHERMWIJZER_CONCURRENCY", 16))
        return cls(**kwargs)  # type: ignore[arg-type]
