"""YAML loading that remembers the line of every value, for error messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.kb.errors import KnowledgeError, Problem

Path_ = tuple[str | int, ...]


# libyaml's parser when PyYAML has it (about ten times faster at start-up), else pure Python.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentLoader(_Base):  # type: ignore[misc,valid-type]
    """Safe loading with YAML 1.2 booleans: only true/false, so `yes`/`no` stay words."""


ContentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ContentLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))


@dataclass
class LocatedDoc:
    """Plain YAML data plus the 1-based line where each path starts."""

    file: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        # Walk up until a located ancestor: missing keys report their parent's line.
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]


def _convert(node: yaml.Node, path: Path_, lines: dict[Path_, int], scalars: Any) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            # Keys stay raw text so that `yes:` or `no:` keys are not turned into booleans.
            key = str(key_node.value)
            if key in out:
                raise KnowledgeError([Problem(Path("?"), key_node.start_mark.line + 1,
                                              key, "duplicate key")])
            out[key] = _convert(value_node, (*path, key), lines, scalars)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), lines, scalars) for i, item in enumerate(node.value)]
    # Scalars: PyYAML's safe constructor resolves ints, bools and dates.
    return scalars.construct_object(node, deep=True)


def load_located(file: Path, text: str | None = None) -> LocatedDoc:
    """Parse one YAML file; syntax errors become a KnowledgeError with the line."""
    if text is None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise KnowledgeError([Problem(file, None, "(file)", f"cannot read: {exc}")]) from exc
    try:
        node = yaml.compose(text, Loader=ContentLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise KnowledgeError([Problem(file, line, "(syntax)", f"invalid YAML: {reason}")]) from exc
    lines: dict[Path_, int] = {}
    if node is None:
        return LocatedDoc(file, None, lines)
    scalars = yaml.SafeLoader("")  # only constructs scalars; resolution already happened
    try:
        data = _convert(node, (), lines, scalars)
    except KnowledgeError as exc:
        raise KnowledgeError([Problem(file, p.line, p.field, p.message) for p in exc.problems]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise KnowledgeError([Problem(file, line, "(value)", f"invalid YAML value: {exc}")]) from exc
    finally:
        scalars.dispose()
    return LocatedDoc(file, data, lines)
