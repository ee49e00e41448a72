"""The meldcode step as a mode: the afwegingskader's questions, then its outcome.

It starts from the consultation's answers (read from the session's consultation model,
never changed): what they decide is filled in and not asked again, so acute danger or
structural unsafety go straight to the outcome "report". The professional's own answers
to the weighing questions live only in this mode's model. The handover for the call to
Veilig Thuis is a card of its own, made on request from every screen of this mode.
Back from this mode to the result is the command layer's "back to your consultation".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import replace
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.assess import Answers, assess
from bot.assess.answers import SAFETY_SCORE, Answer
from bot.assess.meldcode import Weighing, weigh
from bot.i18n import LANGUAGE_NAMES
from bot.kb.models import Knowledge
from bot.meldcode import screens
from bot.meldcode.entries import CALL_LABEL, DUTCH, MODE
from bot.meldcode.handover import handover_screen
from bot.ui import actions as act
from bot.ui import nav
from bot.ui.diagram import mermaid
from bot.ui.engine import InvalidAction
from bot.ui.machine import SharedMachine
from bot.ui.screen import N_, Button, Msg, Plain, Row, Screen
from bot.ui.session import Session

CONSULT = "consult"  # the mode whose answers this step reads
MAX_BACK = 20
ANSWER_ACTIONS: dict[str, Answer] = {act.YES: "yes", act.NO: "no", act.UNKNOWN: "unknown"}
AGAIN = Button(act.RESTART, Msg(N_("🔁 Opnieuw afwegen")))


def now() -> dt.datetime:
    """When a handover is made, in Dutch time: the time Veilig Thuis works in."""
    try:
        return dt.datetime.now(ZoneInfo("Europe/Amsterdam"))
    except ZoneInfoNotFoundError:  # a system without a time-zone database: its local time
        return dt.datetime.now().astimezone()


class State(StrEnum):
    QUESTION = "question"  # the weighing question the answers do not decide
    OUTCOME = "outcome"
    ACUTE = "acute"


class MeldcodeModel:
    __slots__ = ("given", "stack", "state")

    def __init__(self) -> None:
        self.state = ""
        self.given: dict[str, Answer] = {}  # weighing question id -> the professional's answer
        self.stack: list[tuple[str, str | None]] = []  # (state, question answered there)


class Meldcode:
    mode = MODE
    takes_text = False

    def __init__(self, kb: Knowledge, languages: tuple[str, ...] = (DUTCH,),
                 clock: Callable[[], dt.datetime] = now,
                 elsewhere: Callable[[Session], Mapping[str, Answer]] | None = None) -> None:
        if kb.afwegingskader is None or kb.handover is None:
            raise ValueError("knowledge/meldcode.yaml: the afwegingskader and handover are "
                             "required for the meldcode step")
        nav.require_cards(kb, "the meldcode step", nav.KB_CARDS)
        self.kb = kb
        self.languages = languages
        self.clock = clock
        # weighing answers another mode gave in this session: the follow-up answers the last
        # question (does the help lead to safety in time?) from its terms
        self.elsewhere = elsewhere
        self.machine = SharedMachine(MODE, list(State), State.QUESTION, [
            {"trigger": "ask", "source": State.QUESTION, "dest": State.QUESTION},
            {"trigger": "conclude", "source": State.QUESTION, "dest": State.OUTCOME},
            {"trigger": "acute", "source": "*", "dest": State.ACUTE},
        ])

    def model(self, s: Session) -> MeldcodeModel:
        m: MeldcodeModel | None = s.models.get(MODE)
        if m is None:
            m = s.models[MODE] = MeldcodeModel()
            self.machine.attach(m)
        return m

    # --- what the consultation knows -------------------------------------------------------
    def screening(self, s: Session) -> Answers:
        """The consultation's button answers, read without touching its model."""
        consult = s.models.get(CONSULT)
        raw: dict[str, Any] = dict(getattr(consult, "answers", {}) or {})
        score = raw.pop(SAFETY_SCORE, None)
        return Answers(raw, score)

    def weighing(self, s: Session) -> Weighing:
        known = dict(self.elsewhere(s)) if self.elsewhere is not None else {}
        return weigh(self.screening(s), self.kb, {**known, **self.model(s).given})

    # --- Engine --------------------------------------------------------------------------------
    def begin(self, s: Session) -> Screen:
        self.forget(s)
        m = self.model(s)
        ahead = self.weighing(s).pending is not None
        self.machine.jump(m, State.QUESTION if ahead else State.OUTCOME)
        return self.show(s)

    def act(self, s: Session, action: str) -> Screen:
        if action not in self.show(s).actions():
            raise InvalidAction(action)
        m = self.model(s)
        language = act.HANDOVER.arg(action)
        if language is not None:
            return replace(self.show(s), before=(self.handover(s, language),))
        if action == act.BACK:
            state, answered = m.stack.pop()
            if answered is not None:
                m.given.pop(answered, None)
            self.machine.jump(m, state)
        elif action == act.RESTART:
            return self.begin(s)
        elif action == act.ACUTE:
            self._go(m, "acute", None)
        elif action in ANSWER_ACTIONS:
            question = self.weighing(s).pending
            assert question is not None  # the answer buttons are shown only for a question
            m.given[question] = ANSWER_ACTIONS[action]
            self._go(m, "ask" if self.weighing(s).pending else "conclude", question)
        return self.show(s)

    def acute(self, s: Session) -> Screen:
        m = self.model(s)
        if m.state != State.ACUTE:
            self._go(m, "acute", None)
        return self.show(s)

    def text(self, s: Session, typed: str) -> Screen | None:
        return None  # every answer is a button

    def has_progress(self, s: Session) -> bool:
        return False  # five taps at most: weighing again needs no warning

    def forget(self, s: Session) -> None:
        m = s.models.pop(MODE, None)
        if m is not None:
            self.machine.detach(m)

    def diagram(self) -> str:
        return mermaid(self.machine, everywhere=("acute",), notes=[
            "note right of question: begins at the first question the consultation's answers "
            "do not decide; acute danger or structural unsafety begin at the outcome",
            "note left of outcome: from every state: acute help, back, the handover for the "
            "call to Veilig Thuis (a card of its own); back to the consultation's result",
        ])

    def _go(self, m: MeldcodeModel, trigger: str, answered: str | None) -> None:
        m.stack.append((m.state, answered))
        del m.stack[:-MAX_BACK]
        self.machine.fire(m, trigger)

    # --- screens -------------------------------------------------------------------------------
    def handover(self, s: Session, lang: str) -> Screen:
        answers = self.screening(s)
        return handover_screen(self.kb, answers, assess(answers, self.kb), self.weighing(s),
                               lang, self.clock())

    def show(self, s: Session) -> Screen:
        m = self.model(s)
        state = State(m.state)
        w = self.weighing(s)
        rows: list[Row] = []
        if state is State.ACUTE:
            lines = nav.acute_lines(self.kb)
        elif w.pending is not None:  # also when the consultation's answers changed meanwhile
            state = State.QUESTION
            lines = screens.question(self.kb, w)
            rows.append(screens.ANSWER_ROW)
        else:
            state = State.OUTCOME
            lines = screens.outcome(self.kb, w)
        if state is not State.ACUTE:
            rows.append(self._handover_row(s))
        if state is State.OUTCOME:
            rows.append((AGAIN,))
        rows += nav.nav_rows(back=bool(m.stack), acute=state is not State.ACUTE)
        return Screen(f"{MODE}:{state}", tuple(lines), tuple(rows))

    def _handover_row(self, s: Session) -> Row:
        row = [Button(act.HANDOVER(DUTCH), CALL_LABEL)]
        if s.lang != DUTCH and s.lang in self.languages:
            row.append(Button(act.HANDOVER(s.lang), Msg.of(
                N_("🌐 Ook in het {language}"), language=Plain(LANGUAGE_NAMES.get(s.lang, s.lang)))))
        return tuple(row)
