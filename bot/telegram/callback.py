"""Callback data: short, signed, and bound to one chat, session and screen.

Format: "<sid>|<step>|<action>|<mac>", at most 64 bytes. The MAC (keyed BLAKE2s,
72 bits, per-process key) binds the data to the chat, so a forged or
replayed press from another chat fails; `sid` and `step` tell an expired
session and an earlier screen apart. After a restart the key is new, so every
old button reads as expired: the user gets a clear message, never a guess.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

MAX_BYTES = 64
SEP = "|"


class ForgedCallback(ValueError):
    """The data was not made by this process for this chat."""


@dataclass(frozen=True)
class Press:
    sid: str
    step: int
    action: str


class CallbackCodec:
    def __init__(self, key: bytes | None = None) -> None:
        self.key = key or os.urandom(32)

    def _mac(self, chat_id: int, body: str) -> str:
        # keyed BLAKE2s is a MAC by design, and cheaper than HMAC-SHA256 per button
        digest = hashlib.blake2s(f"{chat_id}{SEP}{body}".encode(), key=self.key,
                                 digest_size=9).digest()
        return base64.urlsafe_b64encode(digest).decode()

    def encode(self, chat_id: int, sid: str, step: int, action: str) -> str:
        body = SEP.join((sid, str(step), action))
        data = f"{body}{SEP}{self._mac(chat_id, body)}"
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data too long for action {action!r}")
        return data

    def decode(self, chat_id: int, data: str | None) -> Press:
        if not data or len(data.encode()) > MAX_BYTES:
            raise ForgedCallback("no or oversized data")
        body, sep, mac = data.rpartition(SEP)
        # compare bytes: compare_digest refuses non-ASCII str, and forged data may be any text
        if not sep or not hmac.compare_digest(mac.encode(), self._mac(chat_id, body).encode()):
            raise ForgedCallback("bad signature")
        sid, step, action = body.split(SEP, 2)
        return Press(sid, int(step), action)
