"""Telegram's server-side checks, so the fake rejects what the real Bot API rejects.

Descriptions are the ones Telegram sends (seen in bug reports and the tdlib/telegram-bot-api
sources); tests and the bot's error handling can match on them.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from ._model import JsonDict, bad_request

MAX_TEXT = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_COMMANDS = 100
MAX_COMMAND_DESCRIPTION = 256
COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
PARSE_MODES = frozenset({"html", "markdown", "markdownv2"})
INLINE_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)

_HTML_TAG = re.compile(r"<[^>]*>")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_V2_MARK = re.compile(r"(?<!\\)(\|\||[*_~`])")
_MD_V2_ESCAPE = re.compile(r"\\(.)")


def check_parse_mode(parse_mode: Any) -> str | None:
    """The normalized parse mode; Telegram compares it case-insensitively."""
    if parse_mode is None or parse_mode == "":
        return None
    if not isinstance(parse_mode, str) or parse_mode.lower() not in PARSE_MODES:
        raise bad_request("unsupported parse_mode")
    return parse_mode.lower()


def visible_text(text: str, parse_mode: str | None) -> str:
    """The text a user sees after Telegram parsed the markup (approximately).

    Limits apply to this text, and it is what Telegram echoes back in the Message.
    """
    if parse_mode == "html":
        return html.unescape(_HTML_TAG.sub("", text))
    if parse_mode in ("markdown", "markdownv2"):
        unlinked = _MD_LINK.sub(r"\1", text)
        return _MD_V2_ESCAPE.sub(r"\1", _MD_V2_MARK.sub("", unlinked))
    return text


def check_text(raw: Any, parse_mode: str | None) -> str:
    """A message text: 1..4096 characters after entity parsing."""
    if not isinstance(raw, str) or raw == "":
        raise bad_request("message text is empty")
    text = visible_text(raw, parse_mode)
    if not text.strip():
        raise bad_request("message must be non-empty")
    if len(text) > MAX_TEXT:
        raise bad_request("message is too long")
    return text


def formatting(raw: str, visible: str, entities: Any) -> str:
    """A fingerprint of a text's formatting, for Telegram's "message is not modified" check.

    The markup source stands in for the entities Telegram would derive from it; plain text
    has none, whatever the parse mode.
    """
    source = raw if raw != visible else ""
    return json.dumps([source, entities or []], sort_keys=True)


def check_reply_markup(markup: Any) -> JsonDict | None:
    """Validate any reply markup; returns the inline keyboard to show, if there is one.

    Telegram only echoes inline keyboards in the sent Message; reply keyboards, removals and
    force-reply are applied on the client and not part of the Message object.
    """
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("object expected as reply markup")
    if "inline_keyboard" not in markup:
        return None
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    for row in rows:
        for button in row:
            check_inline_button(button)
    return markup if any(rows) else None


def check_inline_button(button: Any) -> None:
    """One inline button: non-empty text and exactly one action; callback data 1..64 bytes."""
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Can't find field \"text\"")
    if button["text"] == "":
        raise bad_request("inline keyboard button text must be non-empty")
    actions = [name for name in INLINE_BUTTON_ACTIONS if name in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        check_callback_data(button["callback_data"])


def check_callback_data(data: Any) -> None:
    """callback_data must be 1..64 bytes of UTF-8."""
    if not isinstance(data, str):
        raise bad_request("BUTTON_DATA_INVALID")
    if not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
        raise bad_request("BUTTON_DATA_INVALID")


def check_commands(commands: Any) -> list[JsonDict]:
    """setMyCommands' list: at most 100 commands with valid names and descriptions."""
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    return [check_command(command) for command in commands]


def check_command(command: Any) -> JsonDict:
    """One BotCommand: ``^[a-z0-9_]{1,32}$`` and a 1..256 character description."""
    if not isinstance(command, dict):
        raise bad_request("BOT_COMMAND_INVALID")
    name, description = command.get("command"), command.get("description")
    if not isinstance(name, str) or not COMMAND_RE.match(name):
        raise bad_request("BOT_COMMAND_INVALID")
    if not isinstance(description, str) or not description.strip():
        raise bad_request("command description must be non-empty")
    if len(description) > MAX_COMMAND_DESCRIPTION:
        raise bad_request(f"command description length must not exceed {MAX_COMMAND_DESCRIPTION}")
    return {"command": name, "description": description}


def scope_key(scope: Any) -> str:
    """A readable key for a BotCommandScope: ``default``, ``chat:42``, ``chat_member:42:7``."""
    if scope is None:
        return "default"
    if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
        raise bad_request("can't parse BotCommandScope JSON object")
    parts = [scope["type"]]
    parts += [str(scope[key]) for key in ("chat_id", "user_id") if key in scope]
    return ":".join(parts)
