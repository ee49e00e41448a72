"""The learning path as screens: read, answer, get the expert's feedback, go on.

Progress (which choice was picked per exercise, by id) lives only in the session
and is gone when it expires.
"""

from __future__ import annotations

import random
from typing import Any

from bot.dialog.engine import InvalidAction
from bot.dialog.result import source_line
from bot.dialog.screen import BLANK, N_, Button, Line, Msg, Plain, Row, Screen
from bot.dialog.session import Session
from bot.dialog.views import acute_lines
from bot.kb.models import Exercise, Knowledge

QUIZ_STEP = "glossary_quiz"
QUIZ_SIZE = 5
ACUTE_TEXT = N_("Is er nu direct gevaar? Bel 112. Voor advies, dag en nacht en gratis: Veilig "
                "Thuis 0800-2000.")


class Learning:
    def __init__(self, kb: Knowledge) -> None:
        if kb.path is None:
            raise ValueError("knowledge/learning: a `path` is required for learning mode")
        self.kb = kb
        self.steps = kb.path.steps

    # --- state -------------------------------------------------------------------------
    def _state(self, s: Session) -> dict[str, Any]:
        if s.extra is None or "learn" not in s.extra:
            s.extra = {"learn": {"view": ("intro",), "stack": [], "answers": {}}}
        state: dict[str, Any] = s.extra["learn"]
        return state

    def begin(self, s: Session) -> Screen:
        s.extra = None
        self._state(s)
        s.step += 1
        return self.show(s)

    def _go(self, s: Session, view: tuple[Any, ...]) -> None:
        st = self._state(s)
        st["stack"].append(st["view"])
        del st["stack"][:-30]
        st["view"] = view

    def acute(self, s: Session) -> Screen:
        self._go(s, ("acute",))
        s.step += 1
        return self.show(s)

    # --- actions ------------------------------------------------------------------------
    def act(self, s: Session, action: str) -> Screen:
        if action not in self.show(s).actions():
            raise InvalidAction(action)
        st = self._state(s)
        view = tuple(st["view"])
        if action == "b":
            st["view"] = st["stack"].pop()
        elif action == "r":
            return self.begin(s)
        elif action == "a":
            self._go(s, ("acute",))
        elif action == "n":
            self._go(s, self._next(view, s))
        elif action.startswith("c:"):
            key = self._exercise_key(view)
            st["answers"].setdefault(key, action[2:])  # the first answer counts for the score
            self._go(s, (*view[:-1], f"fb:{action[2:]}"))
        s.step += 1
        return self.show(s)

    def _next(self, view: tuple[Any, ...], s: Session) -> tuple[Any, ...]:
        kind = view[0]
        if kind == "intro":
            return self._start_of(0)
        if kind == "vignette":
            pos, ex, phase = view[1], view[2], view[3]
            vignette = self.kb.vignettes[self.steps[pos]]
            if phase == "story":
                return ("vignette", pos, 0, "q")
            if phase.startswith("fb:") and ex + 1 < len(vignette.exercises):
                return ("vignette", pos, ex + 1, "q")
            if phase.startswith("fb:"):
                return ("vignette", pos, ex, "expert")
            return self._start_of(pos + 1)
        if kind == "lesson":
            lesson = self.kb.lessons[self.steps[view[1]]]
            if view[2] == "read" and lesson.check is not None:
                return ("lesson", view[1], "q")
            return self._start_of(view[1] + 1)
        if kind == "quiz":
            qi = view[2]
            return ("quiz", view[1], qi + 1, "q") if qi + 1 < QUIZ_SIZE else self._start_of(view[1] + 1)
        return ("done",)

    def _start_of(self, pos: int) -> tuple[Any, ...]:
        if pos >= len(self.steps):
            return ("done",)
        step = self.steps[pos]
        if step == QUIZ_STEP:
            return ("quiz", pos, 0, "q")
        if step in self.kb.vignettes:
            return ("vignette", pos, 0, "story")
        return ("lesson", pos, "read")

    def _exercise_key(self, view: tuple[Any, ...]) -> str:
        if view[0] == "vignette":
            vignette = self.kb.vignettes[self.steps[view[1]]]
            return f"{vignette.id}:{vignette.exercises[view[2]].id}"
        if view[0] == "quiz":
            return f"quiz:{view[2]}"
        return f"{self.steps[view[1]]}:check"

    # --- quiz -----------------------------------------------------------------------------
    def _quiz(self, s: Session, qi: int) -> tuple[str, list[str]]:
        """The term asked and the three definition choices (term ids), fixed per session."""
        rng = random.Random(f"{s.sid}:{qi}")
        terms = sorted(self.kb.terms)
        order = random.Random(s.sid).sample(terms, k=min(QUIZ_SIZE, len(terms)))
        asked = order[qi % len(order)]
        others = rng.sample([t for t in terms if t != asked], k=min(2, len(terms) - 1))
        choices = [asked, *others]
        rng.shuffle(choices)
        return asked, choices

    # --- screens ----------------------------------------------------------------------------
    def show(self, s: Session) -> Screen:
        st = self._state(s)
        view = tuple(st["view"])
        kind = view[0]
        lines: list[Line]
        rows: list[Row] = []
        if kind == "intro":
            lines = [Line((Msg(N_("🎓 Leren")),), "title"),
                     Line((Msg(N_("Leer de vijf gezinsprofielen herkennen met korte lessen, de "
                                  "vijf casussen uit het onderzoek en een begrippenquiz. Je "
                                  "voortgang blijft alleen in dit gesprek bewaard.")),)),
                     Line((Msg.of(N_("Het leerpad heeft {n} stappen."), n=len(self.steps)),), "quote")]
            rows.append((Button("n", Msg(N_("Begin ▶️"))),))
        elif kind == "lesson":
            lines, rows = self._lesson(view, st)
        elif kind == "vignette":
            lines, rows = self._vignette(view, st)
        elif kind == "quiz":
            lines, rows = self._quiz_screen(s, view, st)
        elif kind == "done":
            lines = self._summary(s, st)
            rows.append((Button("r", Msg(N_("🔁 Opnieuw beginnen"))),))
        else:
            lines = acute_lines(self.kb, ACUTE_TEXT, "acute_now")
        nav: list[Button] = []
        if st["stack"]:
            nav.append(Button("b", Msg(N_("⬅️ Terug"))))
        if kind != "acute":
            nav.append(Button("a", Msg(N_("🆘 Nu hulp nodig"))))
        rows.append(tuple(nav))
        return Screen(f"learn:{kind}", tuple(lines), tuple(rows))

    def _progress(self, pos: int) -> Line:
        return Line((Msg.of(N_("Stap {n} van {total}"), n=pos + 1, total=len(self.steps)),), "quote")

    def _choices(self, ex: Exercise) -> list[Row]:
        return [(Button(f"c:{c.id}", Msg(c.label)),) for c in ex.choices]

    def _feedback(self, ex: Exercise, chosen: str) -> list[Line]:
        choice = next(c for c in ex.choices if c.id == chosen)
        right = next(c for c in ex.choices if c.correct)
        if choice.correct:
            lines = [Line((Msg(N_("✅ Goed.")),), "title")]
        else:
            lines = [Line((Msg(N_("❌ Niet het antwoord van de experts.")),), "title"),
                     Line((Msg(N_("Jouw keuze")), Plain(": "), Msg(choice.label)), "quote")]
        lines.append(Line.of(choice.feedback))
        if not choice.correct:
            lines += [BLANK, Line((Msg(N_("Het antwoord van de experts")), Plain(": "),
                                   Msg(right.label)), "title"), Line.of(right.feedback)]
        return lines

    def _lesson(self, view: tuple[Any, ...], st: dict[str, Any]) -> tuple[list[Line], list[Row]]:
        lesson = self.kb.lessons[self.steps[view[1]]]
        phase = view[2]
        lines = [self._progress(view[1]), Line.of(lesson.title, style="title")]
        rows: list[Row] = []
        if phase == "read":
            lines += [Line.of(lesson.body), source_line(lesson.source)]
            rows.append((Button("n", Msg(N_("Verder ▶️"))),))
        elif phase == "q" and lesson.check is not None:
            lines.append(Line.of(lesson.check.question))
            rows += self._choices(lesson.check)
        elif lesson.check is not None:
            lines += self._feedback(lesson.check, phase[3:])
            lines.append(source_line(lesson.source))
            rows.append((Button("n", Msg(N_("Verder ▶️"))),))
        return lines, rows

    def _vignette(self, view: tuple[Any, ...], st: dict[str, Any]) -> tuple[list[Line], list[Row]]:
        pos, ex_index, phase = view[1], view[2], view[3]
        v = self.kb.vignettes[self.steps[pos]]
        lines = [self._progress(pos), Line((Msg(N_("Casus")), Plain(": "), Msg(v.title)), "title")]
        rows: list[Row] = []
        if phase == "story":
            lines += [Line.of(v.story), source_line(v.source)]
            rows.append((Button("n", Msg(N_("Naar de vragen ▶️"))),))
        elif phase == "expert":
            lines += [Line((Msg(N_("Zo zien de experts het")),), "title"), Line.of(v.expert),
                      source_line(v.source)]
            rows.append((Button("n", Msg(N_("Verder ▶️"))),))
        else:
            ex = v.exercises[ex_index]
            lines.append(Line((Msg.of(N_("Vraag {n} van {total}"), n=ex_index + 1,
                                      total=len(v.exercises)),), "quote"))
            if phase == "q":
                lines.append(Line.of(ex.question, style="title"))
                rows += self._choices(ex)
            else:
                lines += self._feedback(ex, phase[3:])
                lines.append(source_line(v.source))
                rows.append((Button("n", Msg(N_("Verder ▶️"))),))
        return lines, rows

    def _quiz_screen(self, s: Session, view: tuple[Any, ...],
                     st: dict[str, Any]) -> tuple[list[Line], list[Row]]:
        pos, qi, phase = view[1], view[2], view[3]
        asked, choices = self._quiz(s, qi)
        term = self.kb.terms[asked]
        lines = [self._progress(pos), Line((Msg(N_("Begrippenquiz")),), "title"),
                 Line((Msg.of(N_("Vraag {n} van {total}"), n=qi + 1, total=QUIZ_SIZE),), "quote"),
                 Line((Msg(N_("Wat betekent")), Plain(": "), Msg(term.term), Plain("?")), "title")]
        rows: list[Row] = []
        if phase == "q":
            for i, tid in enumerate(choices):
                lines.append(Line((Plain(f"{'ABC'[i]}. "), Msg(self.kb.terms[tid].definition))))
                rows.append((Button(f"c:{tid}", Plain("ABC"[i])),))
        else:
            chosen = phase[3:]
            verdict = N_("✅ Goed.") if chosen == asked else N_("❌ Dat is de uitleg van een ander begrip.")
            lines += [Line((Msg(verdict),), "title"), Line.of(term.definition),
                      source_line(term.source)]
            rows.append((Button("n", Msg(N_("Verder ▶️"))),))
        return lines, rows

    def _summary(self, s: Session, st: dict[str, Any]) -> list[Line]:
        answers: dict[str, str] = st["answers"]
        profiles_right, profiles_total = self.profiles_recognised(s)
        quiz_right = sum(1 for qi in range(QUIZ_SIZE)
                         if answers.get(f"quiz:{qi}") == self._quiz(s, qi)[0])
        exercises = [(f"{v.id}:{e.id}", e) for v in self.kb.vignettes.values() for e in v.exercises]
        exercises += [(f"{lid}:check", lesson.check) for lid, lesson in self.kb.lessons.items()
                      if lesson.check is not None]
        right = sum(1 for key, e in exercises
                    if any(c.id == answers.get(key) and c.correct for c in e.choices))
        return [Line((Msg(N_("🎓 Klaar met het leerpad")),), "title"),
                Line((Msg.of(N_("Je herkende {n} van de {total} profielen."), n=profiles_right,
                             total=profiles_total),)),
                Line((Msg.of(N_("Begrippenquiz: {n} van de {total} goed."), n=quiz_right,
                             total=QUIZ_SIZE),)),
                Line((Msg.of(N_("Alle oefenvragen: {n} van de {total} in één keer goed."), n=right,
                             total=len(exercises)),)),
                BLANK, Line((Msg(N_("Je eerste antwoord telt mee; je voortgang verdwijnt als dit "
                                    "gesprek afloopt.")),), "quote")]

    def profiles_recognised(self, s: Session) -> tuple[int, int]:
        """(right, total) for the profile question of each case, first answers only."""
        answers: dict[str, str] = self._state(s)["answers"]
        right = total = 0
        for v in self.kb.vignettes.values():
            for e in v.exercises:
                if e.kind == "profile":
                    total += 1
                    right += any(c.id == answers.get(f"{v.id}:{e.id}") and c.correct
                                 for c in e.choices)
        return right, total
