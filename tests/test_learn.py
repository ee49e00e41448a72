"""Learning mode: every exercise answered right and wrong, path, score, overlap lesson."""

from __future__ import annotations

import io

from bot.cli import main
from bot.core import Core
from bot.dialog.session import Session


def start(core: Core) -> Session:
    s = core.sessions.open("learner", "nl")
    core.switch(s, "learn")
    return s


def text_of(core: Core, s: Session) -> str:
    return core.renderer.render(core.learning.show(s), "nl").text


def walk(core: Core, s: Session, pick_correct: bool) -> int:
    """Go through the whole path; returns the number of screens seen."""
    screens = 0
    core.learning.act(s, "n")
    while True:
        screens += 1
        screen = core.learning.show(s)
        actions = screen.actions()
        choices = sorted(a for a in actions if a.startswith("c:"))
        if choices:
            view = core.learning._state(s)["view"]
            correct = correct_choice(core, s, view)
            wrong = [c for c in choices if c != f"c:{correct}"]
            core.learning.act(s, f"c:{correct}" if pick_correct else wrong[0])
            text = text_of(core, s)
            assert ("✅" in text) == pick_correct
            assert "Bron: " in text
            continue
        if "n" in actions:
            core.learning.act(s, "n")
            continue
        return screens


def correct_choice(core: Core, s: Session, view: tuple) -> str:  # type: ignore[type-arg]
    kind = view[0]
    step = core.learning.steps[view[1]]
    if kind == "vignette":
        ex = core.kb.vignettes[step].exercises[view[2]]
    elif kind == "lesson":
        check = core.kb.lessons[step].check
        assert check is not None
        ex = check
    else:
        return core.learning._quiz(s, view[2])[0]
    return next(c.id for c in ex.choices if c.correct)


def test_all_right_gives_full_score(core: Core) -> None:
    s = start(core)
    walk(core, s, pick_correct=True)
    assert core.learning.profiles_recognised(s) == (5, 5)
    text = text_of(core, s)
    assert "Je herkende 5 van de 5 profielen." in text
    assert "Begrippenquiz: 5 van de 5 goed." in text


def test_all_wrong_gives_zero_and_explains(core: Core) -> None:
    s = start(core)
    walk(core, s, pick_correct=False)
    assert core.learning.profiles_recognised(s) == (0, 5)
    assert "Je herkende 0 van de 5 profielen." in text_of(core, s)


def test_every_wrong_choice_has_its_own_feedback(core: Core) -> None:
    for v in core.kb.vignettes.values():
        for ex in v.exercises:
            feedback = [c.feedback for c in ex.choices]
            assert len(set(feedback)) == len(feedback), (v.id, ex.id)
            assert sum(c.correct for c in ex.choices) == 1


def test_the_path_covers_cases_lessons_and_quiz(core: Core) -> None:
    steps = core.learning.steps
    assert set(core.kb.vignettes) <= set(steps)
    assert {"lesson_principles", "lesson_matrix", "lesson_red_flags", "lesson_talk_separately",
            "lesson_recommendations"} <= set(steps)
    assert steps[-1] == "glossary_quiz"


def test_yasmina_feedback_names_the_overlap(core: Core) -> None:
    v = core.kb.vignettes["yasmina_amir"]
    assert v.profile == "child_behaviour"
    assert "intieme terreur" in v.expert.lower()


def test_first_answer_counts(core: Core) -> None:
    s = start(core)
    core.learning.act(s, "n")
    while not any(a.startswith("c:") for a in core.learning.show(s).actions()):
        core.learning.act(s, "n")
    view = core.learning._state(s)["view"]
    right = correct_choice(core, s, view)
    wrong = next(a for a in sorted(core.learning.show(s).actions())
                 if a.startswith("c:") and a != f"c:{right}")
    core.learning.act(s, wrong)
    core.learning.act(s, "b")
    core.learning.act(s, f"c:{right}")
    key = next(iter(core.learning._state(s)["answers"]))
    assert core.learning._state(s)["answers"][key] == wrong[2:]


def test_acute_help_in_learning_mode(core: Core) -> None:
    s = start(core)
    core.learning.act(s, "a")
    assert "0800-2000" in text_of(core, s)
    core.learning.act(s, "b")
    assert "Leren" in text_of(core, s)


def test_console_learning_mode_walks_a_case() -> None:
    # Begin, read the first lesson, answer its check, ... (1 = the first button each time)
    out = io.StringIO()
    code = main(["--mode", "learn"], stdin=io.StringIO("1\n" * 40), stdout=out)
    assert code == 0
    text = out.getvalue()
    assert "Leren" in text and "Casus" in text and ("✅" in text or "❌" in text)
