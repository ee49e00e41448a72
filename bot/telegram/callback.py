"""Callback data: short, signed, and bound to one chat, session and screen.

Format: "<sid>|<step>|<action>|<mac>", at most 64 bytes. One MAC per keyboard (keyed
BLAKE2s, 72 bits, per-process key) binds the keyboard to the chat, the session and the
step, so a press from another chat, another session or an earlier screen fails here.
The action is not signed: the command layer checks it against the buttons of the
screen it was pressed on, which refuses a forged action as it refuses a stale one.
After a restart the key is new, so every old button reads as expired: the user gets a
clear message, never a guess.
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


@dataclass(frozen=True, slots=True)
class Signed:
    """The signature of one keyboard: each button's data is prefix + action + suffix."""

    prefix: str
    suffix: str

    def data(self, action: str) -> str:
        data = self.prefix + action + self.suffix
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data too long for action {action!r}")
        return data


class CallbackCodec:
    def __init__(self, key: bytes | None = None) -> None:
        self.key = key or os.urandom(32)

    def _mac(self, chat_id: int, sid: str, step: str) -> str:
        digest = hashlib.blake2s(f"{chat_id}{SEP}{sid}{SEP}{step}".encode(), key=self.key,
                                 digest_size=9).digest()
        return base64.urlsafe_b64encode(digest).decode()

    def sign(self, chat_id: int, sid: str, step: int) -> Signed:
        """The signature for a keyboard of this chat, session and step."""
        mac = self._mac(chat_id, sid, str(step))
        return Signed(f"{sid}{SEP}{step}{SEP}", f"{SEP}{mac}")

    def encode(self, chat_id: int, sid: str, step: int, action: str) -> str:
        return self.sign(chat_id, sid, step).data(action)

    def decode(self, chat_id: int, data: str | None) -> Press:
        if not data or len(data.encode()) > MAX_BYTES:
            raise ForgedCallback("no or oversized data")
        sid, sep1, rest = data.partition(SEP)
        step, sep2, rest = rest.partition(SEP)
        action, sep3, mac = rest.rpartition(SEP)
        if not (sep1 and sep2 and sep3) or not step.isdigit() or not step.isascii():
            raise ForgedCallback("malformed")
        # compare bytes: compare_digest refuses non-ASCII str, and forged data may be any text
        if not hmac.compare_digest(mac.encode(), self._mac(chat_id, sid, step).encode()):
            raise ForgedCallback("bad signature")
        return Press(sid, int(step), action)


def action_of(data: str | None) -> str | None:
    """The action in callback data, unverified: only for choosing a queue lane, never for
    acting on it (the handler decodes and checks it)."""
    if not data:
        return None
    parts = data.split(SEP)
    return SEP.join(parts[2:-1]) if len(parts) >= 4 else None
