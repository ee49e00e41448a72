"""Turn located YAML data into frozen dataclasses, collecting every problem.

The dataclass field types are the schema: `str`, `int`, `bool`, `date`,
`Literal[...]`, `X | None`, `tuple[X, ...]`, `dict[str, X]`, nested dataclasses
and `Text` (Dutch source text that goes through the translation catalogs).
Unknown keys are errors, so a typo in a field name cannot pass silently.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from bot.kb.errors import Problem
from bot.kb.yamlsrc import LocatedDoc, Path_


class _Translatable:
    """Marker inside `Annotated`: this string is shown to users and translated."""

    def __repr__(self) -> str:
        return "TRANSLATABLE"


TRANSLATABLE = _Translatable()
Text = Annotated[str, TRANSLATABLE]


@dataclass(frozen=True)
class Ref:
    """Marker inside `Annotated`: the string is the id of an item in one of `collections`.

    The loader checks every such value once all files are read, so a dangling id in any
    field is reported with its file, line and field without a hand-written check per field.
    `kind`, when set, is the `kind` the referenced item must have.
    """

    collections: tuple[str, ...]
    kind: str | None = None


def ref(*collections: str, kind: str | None = None) -> Ref:
    return Ref(collections, kind)


@dataclass(frozen=True)
class Reference:
    """One id found while building, to be checked against the assembled collections."""

    file: Path
    line: int | None
    field: str
    value: str
    target: Ref

T = TypeVar("T")
_MISSING = object()


def field_path(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(top)"


@cache
def hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


def is_translatable(tp: Any) -> bool:
    return get_origin(tp) is Annotated and any(isinstance(a, _Translatable) for a in get_args(tp)[1:])


def ref_of(tp: Any) -> Ref | None:
    if get_origin(tp) is not Annotated:
        return None
    return next((a for a in get_args(tp)[1:] if isinstance(a, Ref)), None)


class Builder:
    """Builds objects from one document and records problems instead of raising."""

    def __init__(self, doc: LocatedDoc) -> None:
        self.doc = doc
        self.problems: list[Problem] = []
        self.refs: list[Reference] = []

    def fail(self, path: Path_, message: str) -> None:
        self.problems.append(Problem(self.doc.file, self.doc.line_of(path), field_path(path), message))

    def build(self, tp: Any, value: Any, path: Path_) -> Any:
        origin = get_origin(tp)
        if origin is Annotated:
            built = self.build(get_args(tp)[0], value, path)
            target = ref_of(tp)
            if target is not None and isinstance(built, str) and built:
                # A one-item list reports the list's own field, as a hand-written check would.
                where = path[:-1] if path and path[-1] == 0 and self._single(path[:-1]) else path
                self.refs.append(Reference(self.doc.file, self.doc.line_of(path),
                                           field_path(where), built, target))
            return built
        if origin in (Union, types.UnionType):
            options = get_args(tp)
            if value is None and type(None) in options:
                return None
            rest = [o for o in options if o is not type(None)]
            return self.build(rest[0], value, path) if len(rest) == 1 else self._union(rest, value, path)
        if origin is Literal:
            allowed = get_args(tp)
            if value not in allowed:
                self.fail(path, f"must be one of {', '.join(map(str, allowed))}; got {value!r}")
                return allowed[0]
            return value
        if origin is tuple:
            item_tp = get_args(tp)[0]
            if value is None:
                return ()
            if not isinstance(value, list):
                self.fail(path, f"must be a list; got {type(value).__name__}")
                return ()
            return tuple(self.build(item_tp, v, (*path, i)) for i, v in enumerate(value))
        if origin is dict:
            key_tp, val_tp = get_args(tp)
            if value is None:
                return {}
            if not isinstance(value, dict):
                self.fail(path, f"must be a mapping; got {type(value).__name__}")
                return {}
            return {self.build(key_tp, k, (*path, k)): self.build(val_tp, v, (*path, k))
                    for k, v in value.items()}
        if dataclasses.is_dataclass(tp) and isinstance(tp, type):
            return self.build_object(tp, value, path)
        return self._scalar(tp, value, path)

    def _single(self, path: Path_) -> bool:
        node: Any = self.doc.data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return False
        return isinstance(node, list) and len(node) == 1

    def _union(self, options: list[Any], value: Any, path: Path_) -> Any:
        for option in options:
            probe = Builder(self.doc)
            result = probe.build(option, value, path)
            if not probe.problems:
                self.refs.extend(probe.refs)
                return result
        self.fail(path, f"has an unexpected form: {value!r}")
        return None

    def _scalar(self, tp: Any, value: Any, path: Path_) -> Any:
        if tp is str:
            if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
                self.fail(path, f"must be text; got {value!r}")
                return ""
            text = str(value)
            if not text.strip():
                self.fail(path, "must not be empty")
            return text
        if tp is bool:
            if not isinstance(value, bool):
                self.fail(path, f"must be true or false; got {value!r}")
                return False
            return value
        if tp is int:
            if isinstance(value, bool) or not isinstance(value, int):
                self.fail(path, f"must be a whole number; got {value!r}")
                return 0
            return value
        if tp is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self.fail(path, f"must be a number; got {value!r}")
                return 0.0
            return float(value)
        if tp is dt.date:
            if isinstance(value, dt.date):
                return value
            self.fail(path, f"must be a date (YYYY-MM-DD); got {value!r}")
            return dt.date.min
        raise TypeError(f"schema type not supported: {tp!r}")

    def build_object(self, cls: type[T], value: Any, path: Path_) -> T:
        if not isinstance(value, dict):
            self.fail(path, f"must be a mapping with fields; got {type(value).__name__}")
            value = {}
        fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        for key in value:
            if key not in fields:
                self.fail((*path, key), f"unknown field (expected one of: {', '.join(fields)})")
        kwargs: dict[str, Any] = {}
        for name, f in fields.items():
            raw = value.get(name, _MISSING)
            if raw is _MISSING:
                if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING:
                    continue
                self.fail((*path, name), "is required")
                raw = None
            kwargs[name] = self.build(hints(typing.cast(Any, cls))[name], raw, (*path, name))
        return cls(**kwargs)


def walk_texts(obj: Any, visit: Callable[[str, str], None], where: str = "") -> None:
    """Call visit(text, where) for every translatable string inside obj."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        item_id = getattr(obj, "id", None)
        base = f"{where}/{item_id}" if item_id else where
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            tp = hints(type(obj))[f.name]
            _walk_value(tp, value, visit, f"{base}.{f.name}")
    elif isinstance(obj, (tuple, list)):
        for item in obj:
            walk_texts(item, visit, where)


def _walk_value(tp: Any, value: Any, visit: Callable[[str, str], None], where: str) -> None:
    if value is None:
        return
    if is_translatable(tp):
        visit(value, where)
        return
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        for option in get_args(tp):
            if option is not type(None):
                _walk_value(option, value, visit, where)
        return
    if origin is tuple:
        for item in value:
            _walk_value(get_args(tp)[0], item, visit, where)
        return
    if origin is dict:
        for item in value.values():
            _walk_value(get_args(tp)[1], item, visit, where)
        return
    if dataclasses.is_dataclass(value):
        walk_texts(value, visit, where)
