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
from functools import cache
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from bot.kb.errors import Problem
from bot.kb.yamlsrc import LocatedDoc, Path_


class _Translatable:
    """Marker inside `Annotated`: this string is shown to users and translated."""

    def __repr__(self) -> str:
        return "TRANSLATABLE"


TRANSLATABLE = _Translatable()
Text = Annotated[str, TRANSLATABLE]

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


class Builder:
    """Builds objects from one document and records problems instead of raising."""

    def __init__(self, doc: LocatedDoc) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def fail(self, path: Path_, message: str) -> None:
        self.problems.append(Problem(self.doc.file, self.doc.line_of(path), field_path(path), message))

    def build(self, tp: Any, value: Any, path: Path_) -> Any:
        origin = get_origin(tp)
        if origin is Annotated:
            return self.build(get_args(tp)[0], value, path)
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

    def _union(self, options: list[Any], value: Any, path: Path_) -> Any:
        for option in options:
            probe = Builder(self.doc)
            result = probe.build(option, value, path)
            if not probe.problems:
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
