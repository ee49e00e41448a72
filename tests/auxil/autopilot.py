"""Answer the dialog like a professional who knows the case: pick the button that fits.

Works on what a user sees (the node being asked and the keyboard), so the same
pilot drives the engine, the console and Telegram.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.dialog.spec import Node
from bot.ui import actions as act

TICKED = "☑"
Keyboard = Sequence[Sequence[tuple[str, str]]]  # rows of (action, label)


def _flat(keyboard: Keyboard) -> list[tuple[str, str]]:
    return [cell for row in keyboard for cell in row]


def _normal(value: Any) -> Any:
    return {True: "yes", False: "no", None: "unknown"}.get(value, value)


def choose(node: Node, keyboard: Keyboard, wanted: Mapping[str, Any]) -> str | None:
    """The action for this screen, or None when the dialog has reached its result."""
    cells = _flat(keyboard)
    actions = {a for a, _ in cells}
    if node.kind == "question":
        answer = _normal(wanted.get(node.indicator or "", "unknown"))
        return {"yes": act.YES, "no": act.NO}.get(answer, act.UNKNOWN)
    if node.kind == "choice":
        def fit(sets: Mapping[str, str]) -> int:
            return sum(1 if _normal(wanted.get(k, "unknown")) == v else -1
                       for k, v in sets.items())
        best = max(node.options, key=lambda o: fit(o.sets))
        return act.OPTION(best.id)
    if node.kind == "checklist":
        toggles = [(a, label) for a, label in cells if act.TOGGLE.arg(a) is not None]
        return _checklist(node, toggles, wanted)
    if node.kind == "scale":
        score = wanted.get("safety_score")
        return act.SCALE(score if score is not None else act.UNKNOWN)
    if act.CONTINUE in actions:
        return act.CONTINUE
    return None


def _checklist(node: Node, toggles: list[tuple[str, str]], wanted: Mapping[str, Any]) -> str:
    # Visible items are numbered in order; match them to the node's items by position
    # among those shown, using the label's tick mark for the current state.
    shown = [item for item in node.items if _visible(item.when, wanted)]
    for (action, label), item in zip(toggles, shown, strict=False):
        want_yes = _normal(wanted.get(item.indicator)) == "yes"
        if want_yes != (TICKED in label):
            return action
    answered = any(_normal(wanted.get(i.indicator)) in ("yes", "no") for i in shown)
    return act.DONE if answered else act.DONE_UNKNOWN


def _visible(when: Mapping[str, Sequence[str]], wanted: Mapping[str, Any]) -> bool:
    return all(_normal(wanted.get(k, "unknown")) in v for k, v in when.items())
