"""Builders for the Bot API objects the fake sends: users, chats, messages, updates.

They produce the minimal field set real Telegram sends, so PTB's ``de_json`` accepts them and
handlers see realistic ``effective_user`` / ``effective_chat`` / ``language_code`` values.
"""

from __future__ import annotations

import time
from typing import Any

from ._model import JsonDict


def now() -> int:
    """Unix time as Telegram puts it in ``date`` fields."""
    return int(time.time())


def bot_user(bot_id: int, first_name: str, username: str) -> JsonDict:
    """The bot's own User object, as in getMe and in ``from`` of its messages."""
    return {"id": bot_id, "is_bot": True, "first_name": first_name, "username": username}


def get_me(bot: JsonDict) -> JsonDict:
    """getMe's result: the bot user plus the bot-only capability flags."""
    return {
        **bot,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def human(user_id: int, first_name: str = "Test", language_code: str | None = "nl") -> JsonDict:
    """A human User as it appears in ``from`` of updates."""
    user: JsonDict = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code:
        user["language_code"] = language_code
    return user


def default_user_id(chat_id: int) -> int:
    """The sender's id when a test gives none: the chat itself for private chats."""
    return chat_id if chat_id > 0 else 100_000 + abs(chat_id) % 900_000


def chat(chat_id: int, chat_type: str, user: JsonDict) -> JsonDict:
    """A Chat object; private chats mirror the user, groups get a title."""
    if chat_type == "private":
        data: JsonDict = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
        if "username" in user:
            data["username"] = user["username"]
        return data
    return {"id": chat_id, "type": chat_type, "title": f"Test {chat_type} {abs(chat_id)}"}


def guess_chat(chat_id: int) -> JsonDict:
    """A Chat for an id no update introduced: positive ids are users, negative are groups."""
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Test"}
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": kind, "title": f"Test {kind} {abs(chat_id)}"}


def message(message_id: int, sender: JsonDict, in_chat: JsonDict, **content: Any) -> JsonDict:
    """A Message; ``content`` holds text/entities/reply_markup/document and so on."""
    body: JsonDict = {"message_id": message_id, "from": sender, "chat": in_chat, "date": now()}
    body.update({key: value for key, value in content.items() if value is not None})
    return body


def command_entities(text: str) -> list[JsonDict]:
    """The bot_command entity Telegram adds for a leading ``/command[@bot]``."""
    if not text.startswith("/"):
        return []
    length = len(text.split(maxsplit=1)[0])
    return [{"type": "bot_command", "offset": 0, "length": length}]


def update_type(update: JsonDict) -> str:
    """The update's kind (``message``, ``callback_query``, ...): its one non-id field."""
    return next((key for key in update if key != "update_id"), "unknown")
