"""Babel extractor for knowledge/ and dialogs/ YAML: every `Text` field becomes a msgid.

Which fields are translatable is read from the same dataclass schema that loads
the content, so extraction and run time can never disagree. Configured in
pyproject.toml ([[tool.babel.mappings]]); run with `make catalogs`.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Union, cast, get_args, get_origin

from bot.kb.loader import COLLECTIONS, SINGLETONS
from bot.kb.schema import hints, is_translatable
from bot.kb.yamlsrc import LocatedDoc, Path_, load_located

Found = tuple[int, str, str]  # line, text, where


def located_texts(doc: LocatedDoc) -> Iterator[Found]:
    """Every translatable text of one content file with its line and a readable location."""
    from bot.dialog.spec import _DialogFile

    data = doc.data
    if not isinstance(data, dict):
        return
    if "nodes" in data and "dialog" in data:
        yield from _walk(_DialogFile, data, (), doc)
        return
    for key, value in data.items():
        if key in SINGLETONS:
            yield from _walk(SINGLETONS[key], value, (key,), doc)
        elif key in COLLECTIONS and isinstance(value, list):
            for i, item in enumerate(value):
                yield from _walk(COLLECTIONS[key], item, (key, i), doc)


def _walk(tp: Any, value: Any, path: Path_, doc: LocatedDoc) -> Iterator[Found]:
    if value is None:
        return
    if is_translatable(tp):
        if isinstance(value, str) and value.strip():
            yield doc.line_of(path) or 0, value, _where(path, doc)
        return
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        for option in get_args(tp):
            if option is not type(None):
                yield from _walk(option, value, path, doc)
        return
    if origin is tuple and isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(get_args(tp)[0], item, (*path, i), doc)
        return
    if origin is dict and isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(get_args(tp)[1], item, (*path, key), doc)
        return
    if dataclasses.is_dataclass(tp) and isinstance(value, dict):
        for name, field_tp in hints(cast(Any, tp)).items():
            if name in value:
                yield from _walk(field_tp, value[name], (*path, name), doc)


def _where(path: Path_, doc: LocatedDoc) -> str:
    """e.g. profiles/intimate_terror.pattern: an id-based location for translators."""
    parts: list[str] = []
    node: Any = doc.data
    for part in path:
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            node = node[part]
        else:
            node = None
        if isinstance(part, int) and isinstance(node, dict) and "id" in node:
            parts.append(str(node["id"]))
        elif not isinstance(part, int):
            parts.append(str(part))
    return ".".join(parts)


def extract_yaml(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                 options: dict[str, Any]) -> Iterator[tuple[int, None, str, list[str]]]:
    """The Babel extraction method (see babel.messages.extract)."""
    name = getattr(fileobj, "name", "content.yaml")
    doc = load_located(Path(name), fileobj.read().decode("utf-8"))
    for line, text, where in located_texts(doc):
        yield line, None, text, [where]
