"""The dialog against the one definition of relevance (knowledge/indicators.yaml).

Checked at start-up: every indicator is asked somewhere; a question only depends on
answers given before it; and whenever a question is relevant, some node asks it
(the `when` of nodes and items may only choose between forms of asking). Then
"still unknown" in `python -m bot assess` and in a consultation mean the same.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from bot.kb.models import Condition, Knowledge
from bot.kb.schema import Builder

if TYPE_CHECKING:
    from bot.dialog.spec import Dialog

STATES = ("yes", "no", "unknown")


def check_coverage(d: Dialog, kb: Knowledge, b: Builder) -> None:
    forms: dict[str, list[tuple[int, Condition]]] = {i: [] for i in kb.indicators}
    for n, node in enumerate(d.nodes):
        items = node.items if node.kind == "checklist" else ()
        for ind in d.asks(node):
            item = next((i for i in items if i.indicator == ind), None)
            when = _merge(node.when, item.when) if item is not None else dict(node.when)
            forms[ind].append((n, when))
    first = {ind: min(n for n, _ in f) for ind, f in forms.items() if f}
    last = {ind: max(n for n, _ in f) for ind, f in forms.items() if f}
    for ind, found in forms.items():
        if not found:
            b.fail(("nodes",), f"indicator {ind!r} is never asked; every indicator needs a "
                               "question, choice or checklist item")
            continue
        relevance = kb.indicators[ind].relevant_when
        for n, when in found:
            for key in {*when, *(k for c in relevance for k in c)}:
                if key not in last:
                    continue  # reported as never asked
                if last[key] >= n:
                    b.fail(("nodes", n, "when"), f"{ind!r} depends on {key!r}, which is only "
                                                 "asked at or after this node")
        _cover(b, ind, relevance, found, first[ind])


def _cover(b: Builder, ind: str, relevance: tuple[Condition, ...],
           found: list[tuple[int, Condition]], at: int) -> None:
    keys = sorted({k for c in relevance for k in c} | {k for _, w in found for k in w})
    for values in itertools.product(STATES, repeat=len(keys)):
        state = dict(zip(keys, values, strict=True))
        relevant = not relevance or any(_holds(c, state) for c in relevance)
        if relevant and not any(_holds(w, state) for _, w in found):
            shown = ", ".join(f"{k}={v}" for k, v in state.items())
            b.fail(("nodes", at), f"{ind!r} is relevant but no node asks it when {shown}")
            return


def _merge(a: Condition, b: Condition) -> Condition:
    out = dict(a)
    for key, allowed in b.items():
        out[key] = tuple(v for v in out.get(key, allowed) if v in allowed)
    return out


def _holds(cond: Condition, state: dict[str, str]) -> bool:
    return all(state[k] in allowed for k, allowed in cond.items())
