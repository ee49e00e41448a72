"""Turning an HTTP request into typed Bot API parameters, the way Telegram reads them.

The bot sends JSON bodies (bot/telegram/transport.py). PTB 22's own transport
(``HTTPXRequest.do_request``, used by the httpx baseline of the benchmarks) sends every call as
a form whose fields are ``RequestData.json_parameters``: strings as they are, everything else
JSON-encoded (``chat_id=42``, ``reply_markup={"inline_keyboard": ...}``). Both are accepted, and
query strings too. Because form values are all strings, the type of each field has to come from
its name, as it does on Telegram's side: a message text ``"42"`` must stay a string while
``chat_id=42`` becomes an int. The bot uploads no files, so the fake takes none.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from ._model import JsonDict, bad_request

JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "allowed_updates",
        "commands",
        "scope",
        "message_ids",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
    }
)
INT_FIELDS = frozenset(
    {
        "message_id",
        "offset",
        "limit",
        "user_id",
        "message_thread_id",
        "cache_time",
        "max_connections",
        "reply_to_message_id",
    }
)
FLOAT_FIELDS = frozenset({"timeout"})
BOOL_FIELDS = frozenset(
    {
        "show_alert",
        "drop_pending_updates",
        "disable_notification",
        "protect_content",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "disable_content_type_detection",
    }
)


async def read_params(request: web.Request) -> JsonDict:
    """All parameters of a request (query string plus body), decoded and typed."""
    raw: JsonDict = dict(request.query)
    raw.update(await _read_body(request))
    return {name: coerce(name, value) for name, value in raw.items()}


async def _read_body(request: web.Request) -> JsonDict:
    """The body as a flat dict, whatever its content type."""
    if not request.can_read_body:
        return {}
    if request.content_type == "application/json":
        return await _read_json(request)
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return await _read_form(await request.post())
    raise bad_request(f"unsupported Content-Type {request.content_type!r}")


async def _read_json(request: web.Request) -> JsonDict:
    """A JSON object body; Telegram rejects anything else."""
    try:
        body = await request.json()
    except ValueError as exc:
        raise bad_request("can't parse JSON encoded request body") from exc
    if not isinstance(body, dict):
        raise bad_request("JSON request body must be an object")
    return body


async def _read_form(form: MultiDictProxy[Any]) -> JsonDict:
    """Form fields as strings; a file part is refused (the bot sends none)."""
    fields: JsonDict = {}
    for name, value in form.items():
        if isinstance(value, web.FileField):
            raise bad_request("file uploads are not supported by the fake Bot API")
        fields[name] = value
    return fields


def coerce(name: str, value: Any) -> Any:
    """Give a parameter the type its name implies; strings from forms get decoded."""
    if not isinstance(value, str):
        return value
    if name in JSON_FIELDS:
        return _json_field(name, value)
    if name == "chat_id":
        return _int_or_str(value)
    if name in INT_FIELDS:
        return _int_field(name, value)
    if name in FLOAT_FIELDS:
        return _float_field(name, value)
    if name in BOOL_FIELDS:
        return value.strip().lower() in ("true", "1")
    return value


def _json_field(name: str, value: str) -> Any:
    """A JSON-serialized object or array such as reply_markup."""
    try:
        return json.loads(value)
    except ValueError as exc:
        what = "reply keyboard markup" if name == "reply_markup" else name
        raise bad_request(f"can't parse {what} JSON object") from exc


def _int_or_str(value: str) -> int | str:
    """chat_id is an integer or an ``@channelusername``."""
    try:
        return int(value)
    except ValueError:
        return value


def _int_field(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise bad_request(f"invalid {name} specified") from exc


def _float_field(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError as exc:
        raise bad_request(f"invalid {name} specified") from exc


def require(params: Mapping[str, Any], name: str) -> Any:
    """A mandatory parameter; Telegram answers ``<name> is empty`` when it is missing."""
    value = params.get(name)
    if value is None or value == "":
        raise bad_request(f"{name} is empty")
    return value


def require_int(params: Mapping[str, Any], name: str) -> int:
    """A mandatory integer parameter."""
    value = require(params, name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f"invalid {name} specified")
    return value


def int_list(values: Iterable[Any], name: str) -> list[int]:
    """A JSON array of integers such as deleteMessages' message_ids."""
    result = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    if not result:
        raise bad_request(f"{name} is empty")
    return result
