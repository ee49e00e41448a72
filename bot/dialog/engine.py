"""The consultation: applies a button action to a session's model, returns the next screen.

The model (state, answers, history) attaches to the one shared dialog machine. Every
action is checked against the buttons of the current screen, so stale or forged actions
are refused instead of guessed at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from bot.assess import Answers, Assessment, assess
from bot.assess.code import Decoded, Snapshot
from bot.dialog.handout import handout_screen
from bot.dialog.machine import (
    ACUTE,
    ANSWER,
    END,
    GLOBAL,
    PROCEED,
    TO_RESULT,
    DialogMachine,
    menu_trigger,
)
from bot.dialog.spec import ASKING, Dialog, Node
from bot.dialog.views import Views
from bot.kb.models import Knowledge
from bot.ui import actions as act
from bot.ui.codecard import restored_notice
from bot.ui.diagram import mermaid
from bot.ui.engine import InvalidAction
from bot.ui.screen import Screen
from bot.ui.session import Session

AnswerMap = dict[str, Any]  # indicator id -> "yes"/"no"/"unknown"; "safety_score" -> int
ANSWER_ACTIONS = {act.YES: "yes", act.NO: "no", act.UNKNOWN: "unknown"}
MODE = "consult"
MAX_HISTORY = 80  # Back steps kept: more than any path through the questions


def _ignore(assessment: Assessment) -> None:
    return None


class ConsultModel:
    """One session's consultation: where it is, the button answers, and the way back."""

    __slots__ = ("answers", "carried", "discreet", "history", "page", "recalled", "state", "ticks")

    def __init__(self) -> None:
        self.state = ""
        self.answers: AnswerMap = {}
        self.history: list[tuple[str, AnswerMap]] = []
        self.ticks: set[str] | None = None  # a checklist's ticks before "done"
        self.recalled: AnswerMap | None = None  # after Back: the answer given here before
        self.page = 0  # the page of an open section; -1: its sources
        self.discreet = False  # the client card names only general help
        self.carried: dict[str, Any] = {}  # follow-up answers of a restored code, kept in its code


class Consultation:
    mode = MODE
    takes_text = False

    def __init__(self, kb: Knowledge, dialog: Dialog, machine: DialogMachine,
                 languages: tuple[str, ...] = ("nl",)) -> None:
        self.kb = kb
        self.dialog = dialog
        self.machine = machine
        self.views = Views(kb, dialog, languages)
        # Told of every result card reached by answering (ids only): the region's counts
        # (bot/ops/metrics.py, wired in bot/telegram/service.py).
        self.on_result: Callable[[Assessment], None] = _ignore

    def model(self, s: Session) -> ConsultModel:
        m: ConsultModel | None = s.models.get(MODE)
        if m is None:
            m = s.models[MODE] = ConsultModel()
            self.machine.attach(m)
        return m

    # --- Engine ------------------------------------------------------------------------
    def begin(self, s: Session) -> Screen:
        """Start (or restart) the consultation from the first node, forgetting answers."""
        self._reset(self.model(s))
        return self.show(s)

    def _reset(self, m: ConsultModel) -> None:
        m.answers.clear()
        m.history.clear()
        m.ticks = None
        m.recalled = None
        m.carried = {}
        self.machine.jump(m, self.dialog.start)

    def show(self, s: Session, *, buttons_only: bool = False) -> Screen:
        m = self.model(s)
        node = self.dialog.node(m.state)
        if node.kind == "checklist" and m.ticks is None:
            given = m.recalled if m.recalled is not None else m.answers
            m.ticks = {i.indicator for i in self.views.visible_items(node, m.answers)
                       if given.get(i.indicator) == "yes"}
        # a section's buttons depend on its pages; the card's only on the menu
        wants_result = node.kind in ("detail", "handout") or (node.kind == "result"
                                                              and not buttons_only)
        return self.views.screen(node, m, self.assessment(s) if wants_result else None,
                                 s.simple)

    def act(self, s: Session, action: str) -> Screen:
        if action not in self.show(s, buttons_only=True).actions() | self._card_actions(s):
            raise InvalidAction(action)
        m = self.model(s)
        node = self.dialog.node(m.state)
        toggled, language = act.TOGGLE.arg(action), act.HANDOUT.arg(action)
        if toggled is None:
            m.recalled = None
        if toggled is not None:
            self._toggle(m, node, toggled)
        elif action == act.SIMPLE:
            s.simple = not s.simple
        elif action == act.DISCREET:
            m.discreet = not m.discreet
        elif action == act.MORE:
            m.page += 1
        elif action == act.SOURCES:
            m.page = 0 if m.page < 0 else -1
        elif language is not None:
            card = handout_screen(self.kb, self.assessment(s), language, s.simple, m.discreet)
            return replace(self.show(s), before=(card,))
        elif action == act.BACK and m.state in self.machine.result_family - {self.dialog.result}:
            self.machine.fire(m, TO_RESULT)  # a section closes; the card comes back below it
            m.page = 0
        elif action == act.BACK:
            self._back(m)
        elif action == act.RESTART:
            return self.begin(s)
        else:
            self._forward(m, node, action)
            if m.state == self.dialog.result and node.id != self.dialog.result:
                self.on_result(self.assessment(s))
        return self.show(s)

    def acute(self, s: Session) -> Screen:
        """The acute-help screen, reachable from any state (also by command)."""
        m = self.model(s)
        if m.state != self.dialog.acute:
            self._push(m, ())
            m.ticks = None
            self.machine.fire(m, ACUTE)
        return self.show(s)

    def text(self, s: Session, typed: str) -> Screen | None:
        return None  # every answer is a button

    def has_progress(self, s: Session) -> bool:
        m: ConsultModel | None = s.models.get(MODE)
        return m is not None and bool(m.answers) and m.state != self.dialog.end

    def forget(self, s: Session) -> None:
        m = s.models.pop(MODE, None)
        if m is not None:
            self.machine.detach(m)

    def diagram(self) -> str:
        d = self.dialog
        family = self.machine.result_family

        def hide(trigger: str, source: str, dest: str | None) -> bool:
            return source in family and source != d.result and trigger.startswith("open_")

        return mermaid(self.machine, everywhere=GLOBAL, final=d.end, hide=hide,
                       notes=[f"note right of {d.acute}: reachable from every state "
                              "(acute, /nood)",
                              f"note right of {d.result}: the card stays; its menu also works "
                              "while a section is open"])

    def _card_actions(self, s: Session) -> frozenset[str]:
        """The result card's buttons, valid while the card or one of its sections is open."""
        m = self.model(s)
        if m.state not in self.machine.result_family or m.state == self.dialog.result:
            return frozenset()
        card = self.views.screen(self.dialog.node(self.dialog.result), m, None, s.simple)
        return card.actions()

    # --- resume codes ------------------------------------------------------------------
    def resume(self, s: Session, decoded: Decoded) -> Screen:
        """A pasted code: its answers, at the result."""
        return replace(self.restore(s, decoded.snapshot),
                       before=(restored_notice(self.kb, decoded),))

    def restore(self, s: Session, snap: Snapshot) -> Screen:
        """Answers from a code (or a follow-up), shown at the result. The questions are
        replayed as if answered, so Back walks through them with their answers kept."""
        m = self.model(s)
        self._reset(m)
        answers = snap.answer_map()
        for _ in range(len(self.dialog.nodes)):
            node = self.dialog.node(m.state)
            if node.id == self.dialog.result:
                break
            if node.kind in ASKING:
                keys = self._keys(node, m.answers)
                self._push(m, keys)
                m.answers.update({k: answers[k] for k in keys if k in answers})
                self.machine.fire(m, ANSWER)
            elif node.kind in ("info", "acute") and self.dialog.successor(node.id):
                self._push(m, ())
                self.machine.fire(m, PROCEED)
            else:
                break
        if m.state != self.dialog.result:  # a dialog that cannot be replayed: its result anyway
            self.machine.jump(m, self.dialog.result)
        m.answers.update(answers)  # also answers no question on the way asks (an answers file)
        m.carried = dict(snap.followup)
        return self.show(s)

    def snapshot(self, s: Session) -> Snapshot | None:
        """This consultation's answers as a code holds them, or None without answers."""
        m: ConsultModel | None = s.models.get(MODE)
        if m is None or not self.has_progress(s):
            return None
        values = {k: v for k, v in m.answers.items() if k != "safety_score"}
        return Snapshot(values, m.answers.get("safety_score"), dict(m.carried))

    def _keys(self, node: Node, so_far: AnswerMap) -> list[str]:
        """The answers an asking node sets."""
        if node.kind == "question":
            return [node.indicator or ""]
        if node.kind == "scale":
            return ["safety_score"]
        if node.kind == "choice":
            return list(dict.fromkeys(k for o in node.options for k in o.sets))
        return [i.indicator for i in self.views.visible_items(node, so_far)]

    # --- the consultation's own -------------------------------------------------------
    def assessment(self, s: Session) -> Assessment:
        answers = self.model(s).answers
        values = {k: v for k, v in answers.items() if k != "safety_score"}
        return assess(Answers(values, answers.get("safety_score")), self.kb)

    def asked(self, s: Session) -> int:
        """How many questions have been answered on the way here (for progress)."""
        return sum(1 for state, _ in self.model(s).history
                   if self.dialog.node(state).kind in ASKING)

    # --- actions ---------------------------------------------------------------------
    def _forward(self, m: ConsultModel, node: Node, action: str) -> None:
        option, score, item = act.OPTION.arg(action), act.SCALE.arg(action), act.OPEN.arg(action)
        if action in ANSWER_ACTIONS and node.kind == "question":
            self._answer(m, {node.indicator or "": ANSWER_ACTIONS[action]})
        elif option is not None:
            chosen = next(o for o in node.options if o.id == option)
            self._answer(m, dict(chosen.sets))
        elif score is not None:
            self._answer(m, {"safety_score": None if score == act.UNKNOWN else int(score)})
        elif action in (act.DONE, act.DONE_UNKNOWN):
            ticked = m.ticks or set()
            rest = "no" if action == act.DONE else "unknown"
            self._answer(m, {i.indicator: "yes" if i.indicator in ticked else rest
                             for i in self.views.visible_items(node, m.answers)})
        elif action == act.CONTINUE:
            self._push(m, ())
            self.machine.fire(m, PROCEED)
        elif item is not None:
            if m.state not in self.machine.result_family:
                self._push(m, ())
            self.machine.fire(m, menu_trigger(item))
            m.page = 0
        elif action == act.ACUTE:
            self._push(m, ())
            self.machine.fire(m, ACUTE)
        elif action == act.CLOSE:
            self.machine.fire(m, END)
            m.answers.clear()  # the consultation is over: keep nothing
            m.history.clear()
            m.carried = {}
        m.ticks = None

    def _answer(self, m: ConsultModel, values: dict[str, Any]) -> None:
        self._push(m, values)
        for key, value in values.items():
            if value is None:
                m.answers.pop(key, None)
            else:
                m.answers[key] = value
        self.machine.fire(m, ANSWER)

    def _push(self, m: ConsultModel, keys: Iterable[str]) -> None:
        previous: AnswerMap = {k: m.answers.get(k) for k in keys}
        m.history.append((m.state, previous))
        if len(m.history) > MAX_HISTORY:  # bounded, whatever a user taps (issue 13)
            # forget the oldest step that undoes no answer, so "back" keeps every answer
            index = next((i for i, (_, undo) in enumerate(m.history) if not undo), 0)
            del m.history[index]

    def _toggle(self, m: ConsultModel, node: Node, index: str) -> None:
        items = self.views.visible_items(node, m.answers)
        indicator = items[int(index)].indicator
        ticks = m.ticks if m.ticks is not None else set()
        ticks.symmetric_difference_update({indicator})
        m.ticks = ticks

    def _back(self, m: ConsultModel) -> None:
        state, previous = m.history.pop()
        # what was answered on that screen, so that it can show it again
        m.recalled = {k: m.answers.get(k) for k in previous if m.answers.get(k) is not None}
        for key, value in previous.items():
            if value is None:
                m.answers.pop(key, None)
            else:
                m.answers[key] = value
        m.ticks = None
        self.machine.jump(m, state)
