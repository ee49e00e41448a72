"""The dialog as data (dialogs/*.yaml): nodes, their questions and their routes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bot.dialog.result import SECTION_IDS
from bot.kb.errors import KnowledgeError, Problem
from bot.kb.models import Knowledge
from bot.kb.schema import Builder, Text
from bot.kb.yamlsrc import load_located
from bot.paths import DIALOGS_DIR

DEFAULT_FILE = DIALOGS_DIR / "consult.yaml"

NodeKind = Literal["info", "question", "choice", "checklist", "scale", "acute", "result",
                   "detail", "handout", "end"]
ASKING: frozenset[str] = frozenset({"question", "choice", "checklist", "scale"})
Condition = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Option:
    id: str
    label: Text
    sets: dict[str, str]


@dataclass(frozen=True)
class Item:
    indicator: str
    when: Condition = field(default_factory=dict)


@dataclass(frozen=True)
class MenuItem:
    id: str
    label: Text
    to: str


@dataclass(frozen=True)
class Node:
    id: str
    kind: NodeKind
    text: Text
    hint: Text | None = None
    intro: Text | None = None  # shown above the question (the first screen's welcome)
    indicator: str | None = None  # question, scale
    options: tuple[Option, ...] = ()  # choice
    items: tuple[Item, ...] = ()  # checklist
    when: Condition = field(default_factory=dict)  # skipped unless it matches
    next: str | None = None  # default: the next node in the file
    on: dict[str, str] = field(default_factory=dict)  # question: answer -> node
    section: str | None = None  # detail
    menu: tuple[MenuItem, ...] = ()
    card: str | None = None  # info/acute: a knowledge card shown below the text
    source: str | None = None


@dataclass(frozen=True)
class Dialog:
    id: str
    start: str
    result: str
    acute: str
    end: str
    nodes: tuple[Node, ...]
    index: dict[str, Node] = field(init=False, repr=False, compare=False)
    order: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {n.id: n for n in self.nodes})
        object.__setattr__(self, "order", {n.id: i for i, n in enumerate(self.nodes)})

    def node(self, node_id: str) -> Node:
        return self.index[node_id]

    def successor(self, node_id: str) -> str | None:
        """The node's explicit `next`, or the node after it in the file."""
        node = self.index[node_id]
        if node.next:
            return node.next
        pos = self.order[node_id] + 1
        return self.nodes[pos].id if pos < len(self.nodes) else None


@dataclass(frozen=True)
class _DialogFile:
    dialog: str
    start: str
    result: str
    acute: str
    end: str
    nodes: tuple[Node, ...]


def load_dialog(kb: Knowledge, path: Path | None = None) -> Dialog:
    path = path or DEFAULT_FILE
    doc = load_located(path)
    b = Builder(doc)
    raw = b.build_object(_DialogFile, doc.data, ())
    if b.problems:
        raise KnowledgeError(b.problems)
    dialog = Dialog(raw.dialog, raw.start, raw.result, raw.acute, raw.end, raw.nodes)
    problems = _validate(dialog, kb, b)
    if problems:
        raise KnowledgeError(problems)
    return dialog


def _validate(d: Dialog, kb: Knowledge, b: Builder) -> list[Problem]:
    ids = [n.id for n in d.nodes]
    known = set(ids)
    for i, node_id in enumerate(ids):
        if ids.index(node_id) != i:
            b.fail(("nodes", i, "id"), f"duplicate node id {node_id!r}")
    for key in ("start", "result", "acute", "end"):
        if getattr(d, key) not in known:
            b.fail((key,), f"unknown node {getattr(d, key)!r}")
    answers = {"yes", "no", "unknown"}

    def check_when(path: tuple[str | int, ...], when: Condition) -> None:
        for ind, values in when.items():
            if ind not in kb.indicators:
                b.fail((*path, ind), f"unknown indicator id {ind!r}")
            for v in values:
                if v not in answers:
                    b.fail((*path, ind), f"answer must be yes, no or unknown; got {v!r}")

    for i, n in enumerate(d.nodes):
        at: tuple[str | int, ...] = ("nodes", i)
        check_when((*at, "when"), n.when)
        if n.next and n.next not in known:
            b.fail((*at, "next"), f"unknown node {n.next!r}")
        for ans, target in n.on.items():
            if ans not in answers:
                b.fail((*at, "on", ans), "key must be yes, no or unknown")
            if target not in known:
                b.fail((*at, "on", ans), f"unknown node {target!r}")
        for j, m in enumerate(n.menu):
            if m.to not in known:
                b.fail((*at, "menu", j, "to"), f"unknown node {m.to!r}")
        if n.kind in ("question",) and (n.indicator not in kb.indicators):
            b.fail((*at, "indicator"), f"unknown indicator id {n.indicator!r}")
        if n.kind == "scale" and n.indicator != "safety_score":
            b.fail((*at, "indicator"), "a scale sets safety_score")
        if n.kind == "choice":
            if not n.options:
                b.fail((*at, "options"), "a choice needs options")
            for j, o in enumerate(n.options):
                for ind, value in o.sets.items():
                    if ind not in kb.indicators:
                        b.fail((*at, "options", j, "sets", ind), f"unknown indicator id {ind!r}")
                    if value not in answers:
                        b.fail((*at, "options", j, "sets", ind), f"bad answer {value!r}")
        if n.kind == "checklist":
            if not n.items:
                b.fail((*at, "items"), "a checklist needs items")
            for j, item in enumerate(n.items):
                if item.indicator not in kb.indicators:
                    b.fail((*at, "items", j, "indicator"),
                           f"unknown indicator id {item.indicator!r}")
                check_when((*at, "items", j, "when"), item.when)
        if n.kind == "detail" and n.section not in SECTION_IDS:
            b.fail((*at, "section"), f"must be one of {', '.join(SECTION_IDS)}")
        if n.card is not None and n.card not in kb.cards:
            b.fail((*at, "card"), f"unknown card id {n.card!r}")
        if n.kind in ASKING | {"info"} and n.kind != "info" and d.successor(n.id) is None:
            b.fail((*at, "next"), "the last question needs a `next`")
    return b.problems
