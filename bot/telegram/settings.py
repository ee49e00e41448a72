"""Telegram settings from the environment (see README: Running on Telegram, Reliability)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_API = "https://api.telegram.org/bot"


class SettingsError(ValueError):
    pass


def _float(env: dict[str, str], name: str, default: float, minimum: float = 0.0) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if not value >= minimum:  # also refuses NaN
        raise SettingsError(f"{name} must be at least {minimum:g}, got {raw!r}")
    return value


def _int(env: dict[str, str], name: str, default: int, minimum: int = 0,
         maximum: int | None = None) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum or (maximum is not None and value > maximum):
        top = f" and at most {maximum}" if maximum is not None else ""
        raise SettingsError(f"{name} must be at least {minimum}{top}, got {raw!r}")
    return value


def _port(env: dict[str, str], name: str, default: int | None) -> int | None:
    if not env.get(name, "").strip():
        return default
    return _int(env, name, 0, 0, 65535)  # 0: any free port (tests)


def check_api_url(url: str) -> str:
    """A Bot API base URL that aiohttp can use; its error would quote the URL with the token."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError:
        raise SettingsError("TELEGRAM_API_BASE_URL is not a valid URL (check its port)") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError("TELEGRAM_API_BASE_URL must be an http(s) URL with a host")
    return url


@dataclass(frozen=True)
class TelegramSettings:
    token: str
    api_base_url: str = DEFAULT_API
    webhook_url: str | None = None  # set: webhook mode; unset: long polling
    webhook_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    # Telegram's largest update is far below this (a 4,096-character text with entities and
    # the message it replies to); the limit keeps an unauthenticated sender's 90 MB out.
    webhook_max_body: int = 1024 * 1024
    webhook_timeout: float = 10.0  # seconds for the headers, and again for the body
    webhook_max_connections: int = 100  # at once; Telegram itself opens at most 40
    session_minutes: float = 30.0
    max_sessions: int = 50_000  # beyond it the longest-idle session is forgotten (bot/ui/session.py)
    flood_max_updates: int = 30  # per user and window
    flood_window_seconds: float = 10.0
    flood_pause_seconds: float = 60.0
    rate_limit: bool = True  # Telegram's 30 messages/s; benchmarks lift it
    chat_rate: float = 1.0  # messages per second to one chat, after a burst of chat_burst
    chat_burst: int = 20
    retry_budget: float = 30.0  # seconds a reply may spend on retries and 429 waits
    # Seconds to wait for a Bot API answer. Sends wait long: a send that times out may still
    # arrive, and its retry would then show the user the message twice.
    send_timeout: float = 20.0
    poll_timeout: int = 10  # long-poll seconds (the read timeout adds 5)
    # HTTP connections to the Bot API. Telegram accepts about 30 messages/s; at ~100 ms per
    # request 16 connections carry ~160 requests/s (benchmarks/, README).
    connection_pool_size: int = 16
    # Updates handled at once (each chat one at a time). More is not faster: PTB pays per
    # concurrent task (benchmarks/); raise it when the Bot API is far away.
    concurrent_updates: int = 16
    queue_max: int = 200  # updates waiting: ~7 s of replies at Telegram's 30/s
    queue_per_chat: int = 5  # updates waiting per chat; a chat's oldest goes first
    stop_seconds: float = 8.0  # SIGTERM to exit, backlog or not (systemd waits 90 s, k8s 30 s)
    metrics_port: int | None = None  # set: serve /healthz and /metrics
    metrics_listen: str = "127.0.0.1"

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
                raise SettingsError(f"TELEGRAM_BOT_TOKEN_FILE cannot be read: {exc.strerror}") from None
        if not token:
            raise SettingsError("no token: set TELEGRAM_BOT_TOKEN or TELEGRAM_BOT_TOKEN_FILE")
        kwargs: dict[str, object] = {"token": token}
        if env.get("TELEGRAM_API_BASE_URL"):
            kwargs["api_base_url"] = check_api_url(env["TELEGRAM_API_BASE_URL"])
        if env.get("TELEGRAM_WEBHOOK_URL"):
            kwargs["webhook_url"] = env["TELEGRAM_WEBHOOK_URL"]
        if env.get("TELEGRAM_WEBHOOK_SECRET"):
            kwargs["webhook_secret"] = env["TELEGRAM_WEBHOOK_SECRET"]
        if env.get("TELEGRAM_WEBHOOK_LISTEN"):
            kwargs["webhook_listen"] = env["TELEGRAM_WEBHOOK_LISTEN"]
        kwargs["webhook_port"] = _port(env, "TELEGRAM_WEBHOOK_PORT", 8443)
        kwargs["webhook_max_body"] = _int(env, "TELEGRAM_WEBHOOK_MAX_BODY", 1024 * 1024, 1024)
        kwargs["webhook_timeout"] = _float(env, "TELEGRAM_WEBHOOK_TIMEOUT", 10.0, 0.1)
        kwargs["webhook_max_connections"] = _int(env, "TELEGRAM_WEBHOOK_MAX_CONNECTIONS", 100, 1)
        kwargs["session_minutes"] = _float(env, "BESCHERMWIJZER_SESSION_MINUTES", 30.0, 0.1)
        kwargs["max_sessions"] = _int(env, "BESCHERMWIJZER_MAX_SESSIONS", 50_000, 1)
        kwargs["flood_max_updates"] = _int(env, "BESCHERMWIJZER_FLOOD_MAX", 30, 1)
        kwargs["flood_window_seconds"] = _float(env, "BESCHERMWIJZER_FLOOD_WINDOW", 10.0, 0.1)
        kwargs["flood_pause_seconds"] = _float(env, "BESCHERMWIJZER_FLOOD_PAUSE", 60.0)
        # Only benchmarks lift Telegram's 30 messages/s throttle, to measure the bot itself.
        kwargs["rate_limit"] = env.get("BESCHERMWIJZER_RATE_LIMIT", "on").lower() != "off"
        kwargs["chat_rate"] = _float(env, "BESCHERMWIJZER_CHAT_RATE", 1.0, 0.01)
        kwargs["chat_burst"] = _int(env, "BESCHERMWIJZER_CHAT_BURST", 20, 1)
        kwargs["retry_budget"] = _float(env, "BESCHERMWIJZER_RETRY_BUDGET", 30.0)
        kwargs["send_timeout"] = _float(env, "BESCHERMWIJZER_SEND_TIMEOUT", 20.0, 0.1)
        kwargs["poll_timeout"] = _int(env, "TELEGRAM_POLL_TIMEOUT", 10, 0, 50)
        kwargs["connection_pool_size"] = _int(env, "BESCHERMWIJZER_CONNECTIONS", 16, 1)
        kwargs["concurrent_updates"] = _int(env, "BESCHERMWIJZER_CONCURRENCY", 16, 1)
        kwargs["queue_max"] = _int(env, "BESCHERMWIJZER_QUEUE_MAX", 200, 1)
        kwargs["queue_per_chat"] = _int(env, "BESCHERMWIJZER_QUEUE_PER_CHAT", 5, 1)
        kwargs["stop_seconds"] = _float(env, "BESCHERMWIJZER_STOP_SECONDS", 8.0, 0.5)
        kwargs["metrics_port"] = _port(env, "BESCHERMWIJZER_METRICS_PORT", None)
        if env.get("BESCHERMWIJZER_METRICS_LISTEN"):
            kwargs["metrics_listen"] = env["BESCHERMWIJZER_METRICS_LISTEN"]
        return cls(**kwargs)  # type: ignore[arg-type]
