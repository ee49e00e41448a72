"""The consultation engine: applies a button action to a session, returns the next screen.

Front-ends call `begin`, `show` and `act` only; they never look at states or
answers. Every action is checked against the buttons of the current screen, so
stale or forged actions are refused instead of guessed at.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from bot.assess import Answers, Assessment, assess
from bot.dialog.handout import handout_screen
from bot.dialog.machine import ACUTE, ANSWER, END, PROCEED, DialogMachine, menu_trigger
from bot.dialog.screen import Screen
from bot.dialog.session import AnswerMap, Session
from bot.dialog.spec import ASKING, Dialog, Node
from bot.dialog.views import Views
from bot.kb.models import Knowledge

ANSWER_ACTIONS = {"y": "yes", "n": "no", "u": "unknown"}


class InvalidAction(Exception):
    """The action is not on the current screen (stale, doubled or forged)."""


class Consultation:
    def __init__(self, kb: Knowledge, dialog: Dialog, machine: DialogMachine,
                 languages: tuple[str, ...] = ("nl",)) -> None:
        self.kb = kb
        self.dialog = dialog
        self.machine = machine
        self.views = Views(kb, dialog, languages)

    # --- public API ------------------------------------------------------------------
    def begin(self, s: Session) -> Screen:
        """Start (or restart) the consultation from the first node, forgetting answers."""
        s.answers.clear()
        s.history.clear()
        s.ticks = None
        self.machine.jump(s, self.dialog.start)
        s.step += 1
        return self.show(s)

    def show(self, s: Session, *, buttons_only: bool = False) -> Screen:
        node = self.dialog.node(s.state)
        if node.kind == "checklist" and s.ticks is None:
            s.ticks = {i.indicator for i in self.views.visible_items(node, s.answers)
                       if s.answers.get(i.indicator) == "yes"}
        wants_result = node.kind in ("result", "detail", "handout") and not buttons_only
        return self.views.screen(node, s, self.assessment(s) if wants_result else None)

    def act(self, s: Session, action: str) -> Screen:
        if action not in self.show(s, buttons_only=True).actions():
            raise InvalidAction(action)
        node = self.dialog.node(s.state)
        if action.startswith("t:"):
            self._toggle(s, node, action[2:])
        elif action == "x":
            s.simple = not s.simple
        elif action.startswith("h:"):
            s.step += 1
            card = handout_screen(self.kb, self.assessment(s), action[2:], s.simple)
            return replace(self.show(s), attachment=card)
        elif action == "b":
            self._back(s)
        elif action == "r":
            return self.begin(s)
        else:
            self._forward(s, node, action)
        s.step += 1
        return self.show(s)

    def acute(self, s: Session) -> Screen:
        """The acute-help screen, reachable from any state (also by command)."""
        if s.state != self.dialog.acute:
            self._push(s, ())
            s.ticks = None
            self.machine.fire(s, ACUTE)
        s.step += 1
        return self.show(s)

    def assessment(self, s: Session) -> Assessment:
        values = {k: v for k, v in s.answers.items() if k != "safety_score"}
        return assess(Answers(values, s.answers.get("safety_score")), self.kb)

    # --- actions ---------------------------------------------------------------------
    def _forward(self, s: Session, node: Node, action: str) -> None:
        if action in ANSWER_ACTIONS and node.kind == "question":
            self._answer(s, {node.indicator or "": ANSWER_ACTIONS[action]})
        elif action.startswith("o:"):
            option = next(o for o in node.options if o.id == action[2:])
            self._answer(s, dict(option.sets))
        elif action.startswith("s:"):
            value = action[2:]
            self._answer(s, {"safety_score": None if value == "u" else int(value)})
        elif action in ("d", "du"):
            ticked = s.ticks or set()
            rest = "no" if action == "d" else "unknown"
            self._answer(s, {i.indicator: "yes" if i.indicator in ticked else rest
                             for i in self.views.visible_items(node, s.answers)})
        elif action == "c":
            self._push(s, ())
            self.machine.fire(s, PROCEED)
        elif action.startswith("m:"):
            self._push(s, ())
            self.machine.fire(s, menu_trigger(action[2:]))
        elif action == "a":
            self._push(s, ())
            self.machine.fire(s, ACUTE)
        elif action == "e":
            self.machine.fire(s, END)
            s.answers.clear()  # the consultation is over: keep nothing
            s.history.clear()
        s.ticks = None

    def _answer(self, s: Session, values: dict[str, Any]) -> None:
        self._push(s, values)
        for key, value in values.items():
            if value is None:
                s.answers.pop(key, None)
            else:
                s.answers[key] = value
        self.machine.fire(s, ANSWER)

    def _push(self, s: Session, keys: Iterable[str]) -> None:
        previous: AnswerMap = {k: s.answers.get(k) for k in keys}
        s.history.append((s.state, previous))

    def _toggle(self, s: Session, node: Node, index: str) -> None:
        items = self.views.visible_items(node, s.answers)
        indicator = items[int(index)].indicator
        ticks = s.ticks if s.ticks is not None else set()
        ticks.symmetric_difference_update({indicator})
        s.ticks = ticks

    def _back(self, s: Session) -> None:
        state, previous = s.history.pop()
        for key, value in previous.items():
            if value is None:
                s.answers.pop(key, None)
            else:
                s.answers[key] = value
        s.ticks = None
        self.machine.jump(s, state)

    def asked(self, s: Session) -> int:
        """How many questions have been answered on the way here (for progress)."""
        return sum(1 for state, _ in s.history if self.dialog.node(state).kind in ASKING)
