"""Answer the dialog like a professional who knows the case: pick the button that fits.

Works on what a user sees (the node being asked and the keyboard), so the same
pilot drives the engine, the console and Telegram.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from bot.dialog.spec import Dialog, Item, Node, load_dialog
from bot.kb import load_knowledge
from bot.ui import actions as act
from tests.auxil.region import REGION

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
        return act.OPTION(_best(node, wanted).id)
    if node.kind == "checklist":
        toggles = [(a, label) for a, label in cells if act.TOGGLE.arg(a) is not None]
        return _checklist(node, toggles, wanted)
    if node.kind == "scale":
        score = wanted.get("safety_score")
        return act.SCALE(score if score is not None else act.UNKNOWN)
    if act.CONTINUE in actions:
        return act.CONTINUE
    return None


def _best(node: Node, wanted: Mapping[str, Any]) -> Any:
    def fit(sets: Mapping[str, str]) -> int:
        return sum(1 if _normal(wanted.get(k, "unknown")) == v else -1 for k, v in sets.items())
    return max(node.options, key=lambda o: fit(o.sets))


def _checklist(node: Node, toggles: list[tuple[str, str]], wanted: Mapping[str, Any]) -> str:
    # Visible items are numbered in order; match them to the node's items by position
    # among those shown, using the label's tick mark for the current state.
    shown = _shown(node, wanted)
    for (action, label), item in zip(toggles, shown, strict=False):
        want_yes = _normal(wanted.get(item.indicator)) == "yes"
        if want_yes != (TICKED in label):
            return action
    return act.DONE if _answers_list(shown, wanted) else act.DONE_UNKNOWN


def _answers_list(shown: Sequence[Item], wanted: Mapping[str, Any]) -> bool:
    return any(_normal(wanted.get(i.indicator)) in ("yes", "no") for i in shown)


@cache
def _dialog() -> Dialog:
    return load_dialog(load_knowledge(region=REGION))


def _shown(node: Node, wanted: Mapping[str, Any]) -> list[Item]:
    """The items the session shows here: replays this pilot's earlier answers."""
    d = _dialog()
    answers: dict[str, Any] = {}
    for earlier in d.nodes:
        if earlier.id == node.id:
            break
        if earlier.kind not in ("question", "choice", "checklist") or \
                not d.applies(earlier, answers):
            continue
        if earlier.kind == "question" and earlier.indicator:
            answers[earlier.indicator] = _normal(wanted.get(earlier.indicator, "unknown"))
        elif earlier.kind == "choice":
            answers.update(_best(earlier, wanted).sets)
        else:
            visible = [i for i in earlier.items if d.item_visible(i, answers)]
            rest = "no" if _answers_list(visible, wanted) else "unknown"
            for i in visible:
                answers[i.indicator] = "yes" if _normal(wanted.get(i.indicator)) == "yes" else rest
    return [i for i in node.items if d.item_visible(i, answers)]
