"""The dialog as data (dialogs/*.yaml): nodes, their questions and their routes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from bot.assess.relevance import Dependencies, Facts, signature
from bot.dialog.coverage import check_coverage
from bot.dialog.result import SECTION_IDS
from bot.kb.errors import KnowledgeError, Problem
from bot.kb.models import Indicator, Knowledge
from bot.kb.schema import Builder, Text
from bot.kb.yamlsrc import load_located
from bot.paths import DIALOGS_DIR

DEFAULT_FILE = DIALOGS_DIR / "consult.yaml"

NodeKind = Literal["info", "question", "choice", "checklist", "scale", "acute", "result",
                   "detail", "handout", "code", "end"]
ASKING: frozenset[str] = frozenset({"question", "choice", "checklist", "scale"})
SPEAKING = ASKING | {"info", "handout", "end"}  # kinds whose screen shows the node's text
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
    text: Text | None = None  # what the screen says (result, sections and acute help say their own)
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
    # The vocabulary with its relevance (knowledge/indicators.yaml): a question is
    # asked only when it is relevant; `when` on a node or item only picks the form.
    indicators: Mapping[str, Indicator] = field(default_factory=dict, repr=False,
                                                compare=False)
    index: dict[str, Node] = field(init=False, repr=False, compare=False)
    order: dict[str, int] = field(init=False, repr=False, compare=False)
    _keys: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _applies: dict[tuple[str, tuple[str | None, ...]], bool] = field(
        init=False, repr=False, compare=False)
    _visible: dict[tuple[str, tuple[str | None, ...]], tuple[Item, ...]] = field(
        init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {n.id: n for n in self.nodes})
        object.__setattr__(self, "order", {n.id: i for i, n in enumerate(self.nodes)})
        # Whether a node applies (or a checklist item shows) depends on a few answers
        # only: the outcome is kept per those answers (asked at every tap, for the
        # progress count and the machine's routes; bounded by the answer combinations).
        deps = Dependencies(self.indicators)
        object.__setattr__(self, "_keys", {n.id: tuple(sorted(self._node_keys(n, deps)))
                                           for n in self.nodes})
        object.__setattr__(self, "_applies", {})
        object.__setattr__(self, "_visible", {})

    def keys(self, node: Node) -> tuple[str, ...]:
        """The answers whether this node applies (and which items it shows) depends on."""
        return self._keys[node.id]

    def _node_keys(self, node: Node, deps: Dependencies) -> frozenset[str]:
        keys = deps.of_condition(node.when)
        for item in node.items:
            keys |= deps.of_condition(item.when) | deps.of_relevance(item.indicator)
        for indicator in self.asks(node):
            keys |= deps.of_relevance(indicator)
        return keys

    def asks(self, node: Node) -> tuple[str, ...]:
        """The indicators a node sets."""
        if node.kind == "question" and node.indicator:
            return (node.indicator,)
        if node.kind == "checklist":
            return tuple(i.indicator for i in node.items)
        if node.kind == "choice":
            return tuple(dict.fromkeys(k for o in node.options for k in o.sets))
        return ()

    def unconditional(self, node: Node) -> bool:
        """Shown whenever it is reached, whatever the answers."""
        if node.when:
            return False
        if node.kind == "checklist":
            return any(not i.when and not self.indicators[i.indicator].relevant_when
                       for i in node.items)
        asked = self.asks(node)
        return not asked or any(not self.indicators[i].relevant_when for i in asked)

    def applies(self, node: Node, answers: Mapping[str, Any]) -> bool:
        """Whether the dialog shows this node given the answers so far."""
        key = (node.id, signature(answers, self._keys[node.id]))
        known: bool | None = self._applies.get(key)
        if known is None:
            known = self._applies[key] = self.decide(node, answers)
        return known

    def decide(self, node: Node, answers: Mapping[str, Any]) -> bool:
        """Whether the node applies, computed afresh from all the answers (`applies`
        keeps this outcome per the answers it depends on)."""
        facts = Facts(self.indicators, answers)
        if not facts.holds(node.when):
            return False
        if node.kind == "checklist":
            return any(facts.holds(i.when) and facts.relevant(i.indicator) for i in node.items)
        asked = self.asks(node)
        return not asked or any(facts.relevant(i) for i in asked)

    def item_visible(self, item: Item, answers: Mapping[str, Any]) -> bool:
        facts = Facts(self.indicators, answers)
        return facts.holds(item.when) and facts.relevant(item.indicator)

    def visible_items(self, node: Node, answers: Mapping[str, Any]) -> tuple[Item, ...]:
        """The items of a checklist the answers so far leave visible, in order."""
        key = (node.id, signature(answers, self._keys[node.id]))
        known: tuple[Item, ...] | None = self._visible.get(key)
        if known is None:
            facts = Facts(self.indicators, answers)
            known = self._visible[key] = tuple(
                i for i in node.items if facts.holds(i.when) and facts.relevant(i.indicator))
        return known

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
    dialog = Dialog(raw.dialog, raw.start, raw.result, raw.acute, raw.end, raw.nodes,
                    indicators=kb.indicators)
    problems = _validate(dialog, kb, b)
    if not problems:
        check_coverage(dialog, kb, b)
        problems = b.problems
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
        if n.text is None and n.kind in SPEAKING:
            b.fail((*at, "text"), f"a {n.kind} node needs a text")
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
