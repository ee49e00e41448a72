"""What the fake Telegram remembers about chats and their messages.

Telegram numbers messages per chat (for private chats: per user) and only lets bots edit or
delete messages that exist; keeping that state lets the fake answer "message to edit/delete not
found" and "message is not modified" the way the real server does.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from . import _builders as build
from ._model import JsonDict, bad_request

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


class ChatStore:
    """Chats seen so far and the current state of every message in them."""

    def __init__(self) -> None:
        self.chats: dict[int, JsonDict] = {}
        self.messages: dict[tuple[int, int], JsonDict] = {}
        self.deleted: list[tuple[int, int]] = []
        self._formatting: dict[tuple[int, int], str] = {}
        self._last_id: defaultdict[int, int] = defaultdict(int)

    def remember_chat(self, data: JsonDict) -> None:
        """Keep the chat an update introduced so replies carry its real type and title."""
        self.chats[data["id"]] = data

    def chat(self, chat_id: Any) -> JsonDict:
        """The Chat for a chat_id parameter; usernames of unknown chats are not found."""
        if isinstance(chat_id, bool) or not isinstance(chat_id, int):
            raise bad_request("chat not found")
        return self.chats.get(chat_id) or build.guess_chat(chat_id)

    def next_id(self, chat_id: int) -> int:
        """A fresh message id, increasing per chat for user and bot messages alike."""
        self._last_id[chat_id] += 1
        return self._last_id[chat_id]

    def add(self, msg: JsonDict, formatting: str = "") -> JsonDict:
        """Store a message (new or edited); ``formatting`` fingerprints its text's markup."""
        key = (msg["chat"]["id"], msg["message_id"])
        self.messages[key] = msg
        self._formatting[key] = formatting
        return msg

    def get(self, chat_id: int, message_id: int, missing: str) -> JsonDict:
        """An existing message, or 400 with ``missing`` as the reason."""
        msg = self.messages.get((chat_id, message_id))
        if msg is None:
            raise bad_request(missing)
        return msg

    def edit(
        self, msg: JsonDict, text: str | None, markup: JsonDict | None, formatting: str = ""
    ) -> JsonDict:
        """Replace text (None: keep it) and inline keyboard; refuse no-op edits.

        Telegram compares the text with its formatting, so ``<b>Hi</b>`` after ``<i>Hi</i>``
        is a change although the visible text is the same.
        """
        key = (msg["chat"]["id"], msg["message_id"])
        if text is None:
            formatting = self._formatting.get(key, "")
        same_text = text in (None, msg.get("text")) and formatting == self._formatting.get(key)
        if same_text and markup == msg.get("reply_markup"):
            raise bad_request(NOT_MODIFIED)
        stale = {"reply_markup"} if text is None else {"reply_markup", "entities"}
        edited = {key: value for key, value in msg.items() if key not in stale}
        edited["edit_date"] = build.now()
        if text is not None:
            edited["text"] = text
        if markup is not None:
            edited["reply_markup"] = markup
        return self.add(edited, formatting)

    def delete(self, chat_id: int, message_id: int) -> bool:
        """Delete one message; False if it does not exist (any more)."""
        if self.messages.pop((chat_id, message_id), None) is None:
            return False
        self.deleted.append((chat_id, message_id))
        return True

    def in_chat(self, chat_id: int) -> list[JsonDict]:
        """Current messages of a chat, oldest first, as a user would scroll through them."""
        found = [msg for (cid, _), msg in self.messages.items() if cid == chat_id]
        return sorted(found, key=lambda msg: int(msg["message_id"]))
