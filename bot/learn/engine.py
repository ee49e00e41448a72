"""The learning path as a state machine: read, answer, get the expert's feedback, go on.

States are declared below and run on one shared transitions machine; the path's order
(lessons, the report's cases, the glossary quiz) comes from knowledge/learning. Progress
(the first choice per exercise, by id) lives only in the session and is gone when it
expires. Choices are shuffled per session, so the expert answer is not always first.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from enum import StrEnum
from typing import Any, cast

from transitions import EventData

from bot.i18n import Catalogs
from bot.kb.models import Exercise, Knowledge
from bot.ui import actions as act
from bot.ui import nav
from bot.ui.cards import source_line
from bot.ui.diagram import mermaid
from bot.ui.engine import InvalidAction
from bot.ui.machine import SharedMachine
from bot.ui.screen import BLANK, N_, Button, Line, Msg, Plain, Row, Screen
from bot.ui.session import Session

MODE = "learn"
QUIZ_STEP = "glossary_quiz"
QUIZ_SIZE = 5
MAX_BACK = 30
SCORE_PROFILES = N_("Je herkende {n} van de {total} profielen.")
SCORE_QUIZ = N_("Begrippenquiz: {n} van de {total} goed.")
SCORE_ALL = N_("Alle oefenvragen: {n} van de {total} in één keer goed.")
ROUTES = {"path": N_("▶️ Het hele leerpad"), "cases": N_("🗂️ Alleen de casussen"),
          "quiz": N_("❓ Alleen de begrippenquiz")}


class State(StrEnum):
    MENU = "menu"
    LESSON = "lesson"
    CHECK = "check"  # a lesson's own question
    CHECKED = "checked"
    STORY = "story"  # a case from the report
    EXERCISE = "exercise"
    FEEDBACK = "feedback"
    EXPERT = "expert"
    QUIZ = "quiz"
    QUIZ_FEEDBACK = "quiz_feedback"
    DONE = "done"
    ACUTE = "acute"


class LearnModel:
    __slots__ = ("answers", "chosen", "ex", "pos", "quiz", "route", "stack", "state")

    def __init__(self) -> None:
        self.state = ""
        self.route = "path"  # path, cases or quiz: which steps `next` walks through
        self.pos = -1  # index into the path's steps
        self.ex = 0  # exercise within a case
        self.quiz = 0  # question within the quiz
        self.chosen = ""  # the choice id the feedback is about
        self.answers: dict[str, str] = {}  # exercise key -> first choice id (the score)
        self.stack: list[tuple[str, int, int, int, str]] = []

    def view(self) -> tuple[str, int, int, int, str]:
        return (self.state, self.pos, self.ex, self.quiz, self.chosen)


def _model(event: EventData) -> LearnModel:
    return cast(LearnModel, event.model)


class Learning:
    mode = MODE
    takes_text = False

    def __init__(self, kb: Knowledge, catalogs: Catalogs | None = None) -> None:
        if kb.path is None:
            raise ValueError("knowledge/learning: a `path` is required for learning mode")
        nav.require_cards(kb, "learning", nav.KB_CARDS)
        self.kb = kb
        self.steps = kb.path.steps
        self.quiz_terms = self._quiz_terms(catalogs)
        self.machine = SharedMachine(MODE, list(State), State.MENU, self._transitions())

    # --- the machine -----------------------------------------------------------------------
    def _kind(self, pos: int) -> str:
        step = self.steps[pos]
        if step == QUIZ_STEP:
            return "quiz"
        return "case" if step in self.kb.vignettes else "lesson"

    def _following(self, m: LearnModel) -> int | None:
        """The next step of the route after the current position, or None at its end."""
        for pos in range(m.pos + 1, len(self.steps)):
            kind = self._kind(pos)
            if m.route == "path" or (m.route, kind) in (("cases", "case"), ("quiz", "quiz")):
                return pos
        return None

    def _next_is(self, kind: str | None) -> Callable[[EventData], bool]:
        def holds(event: EventData) -> bool:
            pos = self._following(_model(event))
            return (None if pos is None else self._kind(pos)) == kind
        return holds

    def _advance(self, event: EventData) -> None:
        m = _model(event)
        following = self._following(m)
        if following is not None:
            m.pos = following
        m.ex = m.quiz = 0

    def _transitions(self) -> list[dict[str, Any]]:
        def has_check(e: EventData) -> bool:
            return self.kb.lessons[self.steps[_model(e).pos]].check is not None

        def more_exercises(e: EventData) -> bool:
            m = _model(e)
            return m.ex + 1 < len(self.kb.vignettes[self.steps[m.pos]].exercises)

        def more_questions(e: EventData) -> bool:
            return _model(e).quiz + 1 < QUIZ_SIZE

        def next_exercise(e: EventData) -> None:
            _model(e).ex += 1

        def next_question(e: EventData) -> None:
            _model(e).quiz += 1

        leaving = [State.MENU, State.LESSON, State.CHECKED, State.EXPERT, State.QUIZ_FEEDBACK]
        return [
            {"trigger": "home", "source": "*", "dest": State.MENU},
            {"trigger": "acute", "source": "*", "dest": State.ACUTE},
            {"trigger": "next", "source": State.LESSON, "dest": State.CHECK,
             "conditions": [has_check]},
            {"trigger": "next", "source": State.STORY, "dest": State.EXERCISE},
            {"trigger": "next", "source": State.FEEDBACK, "dest": State.EXERCISE,
             "conditions": [more_exercises], "after": [next_exercise]},
            {"trigger": "next", "source": State.FEEDBACK, "dest": State.EXPERT},
            {"trigger": "next", "source": State.QUIZ_FEEDBACK, "dest": State.QUIZ,
             "conditions": [more_questions], "after": [next_question]},
            {"trigger": "next", "source": leaving, "dest": State.LESSON,
             "conditions": [self._next_is("lesson")], "after": [self._advance]},
            {"trigger": "next", "source": leaving, "dest": State.STORY,
             "conditions": [self._next_is("case")], "after": [self._advance]},
            {"trigger": "next", "source": leaving, "dest": State.QUIZ,
             "conditions": [self._next_is("quiz")], "after": [self._advance]},
            {"trigger": "next", "source": leaving, "dest": State.DONE},
            {"trigger": "choose", "source": State.CHECK, "dest": State.CHECKED},
            {"trigger": "choose", "source": State.EXERCISE, "dest": State.FEEDBACK},
            {"trigger": "choose", "source": State.QUIZ, "dest": State.QUIZ_FEEDBACK},
        ]

    def model(self, s: Session) -> LearnModel:
        m: LearnModel | None = s.models.get(MODE)
        if m is None:
            m = s.models[MODE] = LearnModel()
            self.machine.attach(m)
        return m

    # --- Engine ------------------------------------------------------------------------------
    def begin(self, s: Session) -> Screen:
        self.forget(s)
        return self.show(s)

    def act(self, s: Session, action: str) -> Screen:
        if action not in self.show(s).actions():
            raise InvalidAction(action)
        m = self.model(s)
        route, chosen = act.LEARN.arg(action), act.CHOICE.arg(action)
        if action == act.BACK:
            state, m.pos, m.ex, m.quiz, m.chosen = m.stack.pop()
            self.machine.jump(m, state)
        elif action == act.RESTART:
            return self.begin(s)
        elif action == act.HOME:
            self._go(m, "home")
        elif action == act.ACUTE:
            self._go(m, "acute")
        elif action == act.NEXT:
            self._go(m, "next")
        elif route is not None:
            self._go(m, "home")
            m.route, m.pos = route, -1
            self.machine.fire(m, "next")
        elif chosen is not None:
            m.answers.setdefault(self._exercise_key(m), chosen)  # the first answer counts
            self._go(m, "choose")
            m.chosen = chosen
        return self.show(s)

    def acute(self, s: Session) -> Screen:
        self._go(self.model(s), "acute")
        return self.show(s)

    def text(self, s: Session, typed: str) -> Screen | None:
        return None

    def has_progress(self, s: Session) -> bool:
        return False  # the score is a practice score: starting over needs no warning

    def forget(self, s: Session) -> None:
        m = s.models.pop(MODE, None)
        if m is not None:
            self.machine.detach(m)

    def diagram(self) -> str:
        return mermaid(self.machine, everywhere=("home", "acute"), final=State.DONE,
                       notes=["note right of menu: from every state: home (this menu) and "
                              "acute help; back returns"])

    def _go(self, m: LearnModel, trigger: str) -> None:
        m.stack.append(m.view())
        del m.stack[:-MAX_BACK]
        self.machine.fire(m, trigger)

    # --- exercises -----------------------------------------------------------------------------
    def _exercise_key(self, m: LearnModel) -> str:
        if m.state in (State.QUIZ, State.QUIZ_FEEDBACK):
            return f"quiz:{m.quiz}"
        step = self.steps[m.pos]
        if m.state in (State.CHECK, State.CHECKED):
            return f"{step}:check"
        return f"{step}:{self.kb.vignettes[step].exercises[m.ex].id}"

    def exercise(self, m: LearnModel) -> Exercise | None:
        """The exercise on screen (a lesson check or a case question), if any."""
        if m.state in (State.CHECK, State.CHECKED):
            return self.kb.lessons[self.steps[m.pos]].check
        if m.state in (State.EXERCISE, State.FEEDBACK):
            return self.kb.vignettes[self.steps[m.pos]].exercises[m.ex]
        return None

    def _quiz_terms(self, catalogs: Catalogs | None) -> tuple[str, ...]:
        """Terms whose plain explanation does not name the term itself in any language,
        so the quiz never gives its answer away."""
        languages = catalogs.available if catalogs is not None else ("nl",)
        eligible = []
        for tid, term in sorted(self.kb.terms.items()):
            if not term.simple:
                continue
            names = [term.term, *([term.abbreviation] if term.abbreviation else [])]
            if all(not any(_tr(catalogs, lang, n).casefold() in _tr(catalogs, lang, term.simple)
                           .casefold() for n in names) for lang in languages):
                eligible.append(tid)
        return tuple(eligible)

    def quiz_question(self, s: Session, qi: int) -> tuple[str, list[str]]:
        """The term asked and its three choices (term ids), fixed per session."""
        pool = list(self.quiz_terms) or sorted(self.kb.terms)
        order = random.Random(s.sid).sample(pool, k=min(QUIZ_SIZE, len(pool)))
        asked = order[qi % len(order)]
        rng = random.Random(f"{s.sid}:{qi}")
        others = rng.sample([t for t in sorted(self.kb.terms) if t != asked],
                            k=min(2, len(self.kb.terms) - 1))
        choices = [asked, *others]
        rng.shuffle(choices)
        return asked, choices

    def choices(self, s: Session, ex: Exercise) -> list[str]:
        """The exercise's choice ids in this session's order."""
        ids = [c.id for c in ex.choices]
        random.Random(f"{s.sid}:{ex.id}:{ex.question[:20]}").shuffle(ids)
        return ids

    # --- screens -------------------------------------------------------------------------------
    def show(self, s: Session) -> Screen:
        m = self.model(s)
        state = State(m.state)
        rows: list[Row] = []
        if state is State.MENU:
            lines = [Line((Msg(N_("🎓 Leren")),), "title"),
                     Line((Msg(N_("Leer de vijf gezinsprofielen herkennen met korte lessen, de "
                                  "vijf casussen uit het onderzoek en een begrippenquiz. Je "
                                  "voortgang blijft alleen in dit gesprek bewaard.")),)),
                     Line((Msg.of(N_("Het leerpad heeft {n} stappen."), n=len(self.steps)),),
                          "quote")]
            rows += [(Button(act.LEARN(route), Msg(label)),) for route, label in ROUTES.items()]
        elif state in (State.LESSON, State.CHECK, State.CHECKED):
            lines, rows = self._lesson(s, m)
        elif state in (State.STORY, State.EXERCISE, State.FEEDBACK, State.EXPERT):
            lines, rows = self._case(s, m)
        elif state in (State.QUIZ, State.QUIZ_FEEDBACK):
            lines, rows = self._quiz_screen(s, m)
        elif state is State.DONE:
            lines = self._summary(s, m)
            rows.append((Button(act.RESTART, Msg(N_("🔁 Opnieuw beginnen"))),))
        else:
            lines = nav.acute_lines(self.kb)
        home = Button(act.HOME, Msg(N_("🎓 Menu"))) if state not in (State.MENU, State.DONE) \
            else None
        rows += nav.nav_rows(back=bool(m.stack), acute=state is not State.ACUTE, home=home)
        return Screen(f"learn:{state}", tuple(lines), tuple(rows))

    def _progress(self, pos: int) -> Line:
        return Line((Msg.of(N_("Stap {n} van {total}"), n=pos + 1, total=len(self.steps)),), "quote")

    def _next(self, label: str = N_("Verder ▶️")) -> Row:
        return (Button(act.NEXT, Msg(label)),)

    def _choice_rows(self, s: Session, ex: Exercise) -> list[Row]:
        labels = {c.id: c.label for c in ex.choices}
        return [(Button(act.CHOICE(cid), Msg(labels[cid])),) for cid in self.choices(s, ex)]

    def _feedback(self, ex: Exercise, chosen: str) -> list[Line]:
        choice = next(c for c in ex.choices if c.id == chosen)
        right = next(c for c in ex.choices if c.correct)
        if choice.correct:
            return [Line((Msg(N_("✅ Goed.")),), "title"), Line.of(choice.feedback)]
        return [Line((Msg(N_("❌ Niet het antwoord van de experts.")),), "title"),
                Line((Msg(N_("Jouw keuze")), Plain(": "), Msg(choice.label)), "quote"),
                Line.of(choice.feedback), BLANK,
                Line((Msg(N_("Het antwoord van de experts")), Plain(": "), Msg(right.label)),
                     "title"),
                Line.of(right.feedback)]

    def _lesson(self, s: Session, m: LearnModel) -> tuple[list[Line], list[Row]]:
        lesson = self.kb.lessons[self.steps[m.pos]]
        lines = [self._progress(m.pos), Line.of(lesson.title, style="title")]
        if m.state == State.LESSON:
            return [*lines, Line.of(lesson.body), source_line(lesson.source)], [self._next()]
        assert lesson.check is not None
        if m.state == State.CHECK:
            return [*lines, Line.of(lesson.check.question)], self._choice_rows(s, lesson.check)
        return ([*lines, *self._feedback(lesson.check, m.chosen), source_line(lesson.source)],
                [self._next()])

    def _case(self, s: Session, m: LearnModel) -> tuple[list[Line], list[Row]]:
        v = self.kb.vignettes[self.steps[m.pos]]
        lines = [self._progress(m.pos), Line((Msg(N_("Casus")), Plain(": "), Msg(v.title)), "title")]
        if m.state == State.STORY:
            return [*lines, Line.of(v.story), source_line(v.source)], \
                [self._next(N_("Naar de vragen ▶️"))]
        if m.state == State.EXPERT:
            return [*lines, Line((Msg(N_("Zo zien de experts het")),), "title"), Line.of(v.expert),
                    source_line(v.source)], [self._next()]
        ex = v.exercises[m.ex]
        lines.append(Line((Msg.of(N_("Vraag {n} van {total}"), n=m.ex + 1,
                                  total=len(v.exercises)),), "quote"))
        if m.state == State.EXERCISE:
            return [*lines, Line.of(ex.question, style="title")], self._choice_rows(s, ex)
        return [*lines, *self._feedback(ex, m.chosen), source_line(v.source)], [self._next()]

    def _quiz_screen(self, s: Session, m: LearnModel) -> tuple[list[Line], list[Row]]:
        asked, choices = self.quiz_question(s, m.quiz)
        term = self.kb.terms[asked]
        lines = [self._progress(m.pos), Line((Msg(N_("Begrippenquiz")),), "title"),
                 Line((Msg.of(N_("Vraag {n} van {total}"), n=m.quiz + 1, total=QUIZ_SIZE),),
                      "quote")]
        if m.state == State.QUIZ:
            lines += [Line((Msg(N_("Welk begrip past bij deze uitleg?")),), "title"),
                      Line.of(term.simple or term.definition, style="quote")]
            return lines, [(Button(act.CHOICE(tid), Msg(self.kb.terms[tid].term)),)
                           for tid in choices]
        verdict = N_("✅ Goed.") if m.chosen == asked else N_("❌ Dat is een ander begrip.")
        lines += [Line((Msg(verdict),), "title"),
                  Line((Msg(term.term), Plain(": "), Msg(term.definition))),
                  source_line(term.source)]
        return lines, [self._next()]

    def _summary(self, s: Session, m: LearnModel) -> list[Line]:
        answers = m.answers
        profiles_right, profiles_total = self.profiles_recognised(s)
        quiz_right = sum(1 for qi in range(QUIZ_SIZE)
                         if answers.get(f"quiz:{qi}") == self.quiz_question(s, qi)[0])
        exercises = [(f"{v.id}:{e.id}", e) for v in self.kb.vignettes.values() for e in v.exercises]
        exercises += [(f"{lid}:check", lesson.check) for lid, lesson in self.kb.lessons.items()
                      if lesson.check is not None]
        right = sum(1 for key, e in exercises
                    if any(c.id == answers.get(key) and c.correct for c in e.choices))
        return [Line((Msg(N_("🎓 Klaar met het leerpad")),), "title"),
                Line((Msg.of(SCORE_PROFILES, n=profiles_right, total=profiles_total),)),
                Line((Msg.of(SCORE_QUIZ, n=quiz_right, total=QUIZ_SIZE),)),
                Line((Msg.of(SCORE_ALL, n=right, total=len(exercises)),)),
                BLANK, Line((Msg(N_("Je eerste antwoord telt mee; je voortgang verdwijnt als dit "
                                    "gesprek afloopt.")),), "quote")]

    def profiles_recognised(self, s: Session) -> tuple[int, int]:
        """(right, total) for the profile question of each case, first answers only."""
        answers = self.model(s).answers
        right = total = 0
        for v in self.kb.vignettes.values():
            for e in v.exercises:
                if e.kind == "profile":
                    total += 1
                    right += any(c.id == answers.get(f"{v.id}:{e.id}") and c.correct
                                 for c in e.choices)
        return right, total


def _tr(catalogs: Catalogs | None, lang: str, msgid: str) -> str:
    return catalogs.get(lang).gettext(msgid) if catalogs is not None else msgid
