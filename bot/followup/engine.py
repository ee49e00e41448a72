"""The follow-up consultation (Vervolg): a few questions months later, compared with the
earlier answers, against the report's terms for safety (rapport §2.1.2).

The earlier answers come from a resume code or from the consultation in this session;
nothing is stored anywhere else. Questions, terms and escalation routes are data
(knowledge/followup.yaml); the states are declared below and run on one shared machine.
At the outcome the consultation in this session takes over the updated answers, so the
full arrangement is one tap away and its code is the follow-up's new code.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Any, cast, get_args

from transitions import EventData

from bot.assess import Answers, Assessment, assess
from bot.assess.answers import Answer
from bot.assess.code import Codebook, Decoded, Snapshot
from bot.dialog.engine import Consultation
from bot.followup.rules import evaluate, weighing_given
from bot.followup.views import FollowupViews
from bot.kb.errors import KnowledgeError, Problem
from bot.kb.models import Followup, FollowupQuestion, FollowupStatusId, Knowledge
from bot.ui import actions as act
from bot.ui.codecard import restored_notice
from bot.ui.diagram import mermaid
from bot.ui.engine import InvalidAction
from bot.ui.machine import SharedMachine
from bot.ui.screen import N_, Msg, Screen
from bot.ui.session import Session

MODE = "followup"
MAX_BACK = 30
SAFETY_SCORE = "safety_score"
ANSWERS = {act.YES: "yes", act.NO: "no", act.UNKNOWN: "unknown"}
EARLIER = Msg(N_("✅ De antwoorden uit je code zijn de eerdere antwoorden van dit vervolggesprek."))
# The follow-up answers the escalation rule reads (bot/followup/rules.py), by question id.
TERM_QUESTIONS = {"months": "months", "direct_safety": "answer", "stable_safety": "answer"}
STATUSES: tuple[str, ...] = get_args(FollowupStatusId)


class State(StrEnum):
    INTRO = "intro"
    ASK = "ask"
    ACUTE = "acute"
    OUTCOME = "outcome"
    ROUTES = "routes"  # the escalation routes: who decides, what each one is


View = tuple[str, int, dict[str, Any], dict[str, Any], bool]


class FollowModel:
    __slots__ = ("answers", "baseline", "follow", "pos", "proceed", "published", "stack", "state",
                 "ticks")

    def __init__(self, baseline: Snapshot | None) -> None:
        self.state = ""
        self.baseline = baseline  # the earlier answers (a code or this session's consultation)
        self.answers: dict[str, Any] = baseline.answer_map() if baseline else {}
        self.follow: dict[str, Any] = {}  # this follow-up's own answers (months, safety...)
        self.pos = -1  # the question on screen
        self.ticks: set[str] | None = None  # the red-flag checklist before "done"
        self.proceed = False  # acute help was opened by an answer: offer to go on
        self.published: Snapshot | None = None  # what the outcome gave the consultation
        self.stack: list[View] = []

    def view(self) -> View:
        return (self.state, self.pos, dict(self.answers), dict(self.follow), self.proceed)


def _model(event: EventData) -> FollowModel:
    return cast(FollowModel, event.model)


class FollowupEngine:
    mode = MODE
    takes_text = False

    def __init__(self, kb: Knowledge, consultation: Consultation, codes: Codebook) -> None:
        self.rule = _required(kb)
        self.kb = kb
        self.consultation = consultation
        self.codes = codes
        self.questions = self.rule.questions
        self.views = FollowupViews(kb, self.rule, codes)
        self.machine = SharedMachine(MODE, list(State), State.INTRO, self._transitions())

    # --- the machine -------------------------------------------------------------------------
    def _following(self, m: FollowModel) -> int | None:
        for pos in range(m.pos + 1, len(self.questions)):
            when = self.questions[pos].when
            if all(m.follow.get(k, "unknown") in allowed for k, allowed in when.items()):
                return pos
        return None

    def _transitions(self) -> list[dict[str, Any]]:
        def more(e: EventData) -> bool:
            return self._following(_model(e)) is not None

        def danger(e: EventData) -> bool:
            return _model(e).proceed

        def advance(e: EventData) -> None:
            m = _model(e)
            following = self._following(m)
            m.pos = m.pos if following is None else following
            m.proceed = False

        return [
            {"trigger": "acute", "source": "*", "dest": State.ACUTE},
            {"trigger": "start", "source": State.INTRO, "dest": State.ASK, "after": [advance]},
            {"trigger": "answer", "source": State.ASK, "dest": State.ACUTE,
             "conditions": [danger]},
            {"trigger": "answer", "source": State.ASK, "dest": State.ASK, "conditions": [more],
             "after": [advance]},
            {"trigger": "answer", "source": State.ASK, "dest": State.OUTCOME},
            {"trigger": "proceed", "source": State.ACUTE, "dest": State.ASK,
             "conditions": [more], "after": [advance]},
            {"trigger": "proceed", "source": State.ACUTE, "dest": State.OUTCOME},
            {"trigger": "open_routes", "source": State.OUTCOME, "dest": State.ROUTES},
        ]

    def model(self, s: Session) -> FollowModel:
        m: FollowModel | None = s.models.get(MODE)
        if m is None:
            m = self._fresh(s, self.consultation.snapshot(s))
        return m

    def _fresh(self, s: Session, baseline: Snapshot | None) -> FollowModel:
        self.forget(s)
        m = s.models[MODE] = FollowModel(baseline)
        self.machine.attach(m)
        return m

    # --- Engine ------------------------------------------------------------------------------
    def begin(self, s: Session) -> Screen:
        """A follow-up on the consultation in this session (restored from a code or just
        done), or without earlier answers. Starting over after an outcome keeps the
        earlier answers it compared with (the consultation then holds the new ones)."""
        current = self.consultation.snapshot(s)
        old: FollowModel | None = s.models.get(MODE)
        same = old is not None and old.published is not None and old.published == current
        self._fresh(s, old.baseline if same and old is not None else current)
        return self.show(s)

    def resume(self, s: Session, decoded: Decoded) -> Screen:
        """A code pasted during the follow-up: its answers are the earlier answers."""
        self._fresh(s, decoded.snapshot)
        return replace(self.show(s), before=(restored_notice(self.kb, decoded, EARLIER),))

    def show(self, s: Session) -> Screen:
        m = self.model(s)
        state = State(m.state)
        if state is State.ASK:
            q = self.questions[m.pos]
            if q.kind == "checklist" and m.ticks is None:
                m.ticks = {i for i in q.items if m.answers.get(i) == "yes"}
            number = self._number(m)
            return self.views.ask(q, m, number, number + self._remaining(m))
        if state is State.ACUTE:
            return self.views.acute(m)
        if state in (State.OUTCOME, State.ROUTES):
            answers = _answers(m.answers)
            assessment = assess(answers, self.kb)
            if state is State.ROUTES:
                return self.views.routes(m, answers, assessment)
            return self.views.outcome(m, answers, assessment, self.snapshot(m))
        return self.views.intro(m, self._baseline_assessment(m))

    def act(self, s: Session, action: str) -> Screen:
        if action not in self.show(s).actions():
            raise InvalidAction(action)
        m = self.model(s)
        if action == act.BACK:
            m.state, m.pos, m.answers, m.follow, m.proceed = m.stack.pop()
            self.machine.jump(m, m.state)
            m.ticks = None
        elif action == act.RESTART:  # the same earlier answers, the questions afresh
            self._fresh(s, m.baseline)
        elif action == act.ACUTE:
            self._go(m, "acute")
        elif action == act.CONTINUE:
            self._go(m, "start" if m.state == State.INTRO else "proceed")
        elif act.MODE.arg(action) is not None:
            pass  # another mode, opened by the command layer (the meldcode step)
        elif act.OPEN.arg(action) == "routes":
            self._go(m, "open_routes")
        elif act.TOGGLE.arg(action) is not None:
            item = self.questions[m.pos].items[int(act.TOGGLE.arg(action) or 0)]
            m.ticks = (m.ticks or set()) ^ {item}
        else:
            self._answer(m, self.questions[m.pos], action)
        if m.state == State.OUTCOME:
            # the consultation takes over the updated answers: the full arrangement and its
            # code are then one tap away ("back to your consultation")
            m.published = self.snapshot(m)
            self.consultation.restore(s, m.published)
        return self.show(s)

    def _answer(self, m: FollowModel, q: FollowupQuestion, action: str) -> None:
        m.stack.append(m.view())
        del m.stack[:-MAX_BACK]
        value: Any = ANSWERS.get(action)
        months, score, option = act.MONTHS.arg(action), act.SCALE.arg(action), act.OPTION.arg(action)
        if q.kind == "indicator" and value is not None:
            m.answers[q.indicator or ""] = value
        elif q.kind == "answer" and value is not None:
            m.follow[q.id] = value
        elif months is not None:
            _set(m.follow, q.id, None if months == act.UNKNOWN else int(months))
        elif score is not None:
            _set(m.answers, SAFETY_SCORE, None if score == act.UNKNOWN else int(score))
        elif option is not None:
            chosen = next(o for o in q.options if o.id == option)
            m.answers.update(chosen.sets)
            m.follow.update(chosen.follow)
        elif action in (act.DONE, act.DONE_UNKNOWN):
            rest = "no" if action == act.DONE else "unknown"
            ticked = m.ticks or set()
            m.answers.update({i: "yes" if i in ticked else rest for i in q.items})
        m.ticks = None
        m.proceed = value in q.acute_on
        self.machine.fire(m, "answer")

    def acute(self, s: Session) -> Screen:
        m = self.model(s)
        if m.state != State.ACUTE:
            self._go(m, "acute")
        return self.show(s)

    def text(self, s: Session, typed: str) -> Screen | None:
        return None  # every answer is a button; a pasted code is read by the command layer

    def has_progress(self, s: Session) -> bool:
        m: FollowModel | None = s.models.get(MODE)
        if m is None:
            return False
        earlier = m.baseline.answer_map() if m.baseline is not None else {}
        return bool(m.follow) or m.answers != earlier

    def forget(self, s: Session) -> None:
        m = s.models.pop(MODE, None)
        if m is not None:
            self.machine.detach(m)

    def diagram(self) -> str:
        return mermaid(self.machine, everywhere=("acute",), final=State.OUTCOME,
                       notes=["note right of intro: from every state: acute help; back "
                              "returns; a pasted code becomes the earlier answers"])

    # --- the follow-up's own -------------------------------------------------------------------
    def weighing_answers(self, s: Session) -> dict[str, Answer]:
        """The afwegingskader answer the follow-up gives for this session's consultation
        (restored from a follow-up code, or taken over at the outcome): for the meldcode step."""
        snap = self.consultation.snapshot(s)
        if snap is None or not snap.followup:
            return {}
        answers = snap.assessable()
        return weighing_given(evaluate(snap.followup, answers, assess(answers, self.kb), self.kb),
                              self.kb)

    def snapshot(self, m: FollowModel) -> Snapshot:
        """The updated answers and this follow-up's answers: what the new code holds."""
        values = {k: v for k, v in m.answers.items() if k != SAFETY_SCORE}
        return Snapshot(values, m.answers.get(SAFETY_SCORE), dict(m.follow))

    def _number(self, m: FollowModel) -> int:
        return 1 + sum(1 for view in m.stack if view[0] == State.ASK)

    def _remaining(self, m: FollowModel) -> int:
        """About how many questions follow (a later answer may still skip one)."""
        return sum(1 for q in self.questions[m.pos + 1:]
                   if all(m.follow.get(k, v[0]) in v for k, v in q.when.items()))

    def _baseline_assessment(self, m: FollowModel) -> Assessment | None:
        return assess(m.baseline.assessable(), self.kb) if m.baseline else None

    def _go(self, m: FollowModel, trigger: str) -> None:
        m.stack.append(m.view())
        del m.stack[:-MAX_BACK]
        self.machine.fire(m, trigger)


def _answers(answer_map: dict[str, Any]) -> Answers:
    values = {k: v for k, v in answer_map.items() if k != SAFETY_SCORE}
    return Answers(values, answer_map.get(SAFETY_SCORE))


def _set(target: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value


def _required(kb: Knowledge) -> Followup:
    """Stop start-up when the follow-up's data is incomplete: every status needs its text,
    every question what its kind asks for, and every red flag is asked again."""
    file = Path("knowledge/followup.yaml")
    if kb.followup is None:
        raise KnowledgeError([Problem(file, None, "followup", "the follow-up is required")])
    rule = kb.followup
    problems = [Problem(file, None, "statuses", f"status {sid!r} has no text")
                for sid in STATUSES if sid not in {st.id for st in rule.statuses}]
    kinds = {q.id: q.kind for q in rule.questions}
    problems += [Problem(file, None, "questions", f"the terms need a {kind} question {qid!r}")
                 for qid, kind in TERM_QUESTIONS.items() if kinds.get(qid) != kind]
    asked = {i for q in rule.questions if q.kind == "checklist" for i in q.items}
    problems += [Problem(file, None, "questions", f"red flag {f!r} is in no follow-up checklist")
                 for f in kb.red_flags if f not in asked]
    needs = {"indicator": "indicator", "choice": "options", "checklist": "items"}
    for i, q in enumerate(rule.questions):
        wanted = needs.get(q.kind)
        if wanted is not None and not getattr(q, wanted):
            problems.append(Problem(file, None, f"questions[{i}].{wanted}",
                                    f"a {q.kind} question needs `{wanted}`"))
    if problems:
        raise KnowledgeError(problems)
    return rule
