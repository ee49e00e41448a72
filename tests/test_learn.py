"""Learning mode: every exercise answered right and wrong, path, score, shuffled choices."""

from __future__ import annotations

import io
import statistics

from bot.cli import main
from bot.core import Core
from bot.learn.engine import QUIZ_SIZE, SCORE_PROFILES, SCORE_QUIZ, LearnModel, State
from bot.ui import actions as act
from bot.ui.screen import Msg
from bot.ui.session import Session


def start(core: Core, key: str = "learner") -> Session:
    s = core.sessions.open(key, "nl")
    core.switch(s, "learn")
    return s


def model(core: Core, s: Session) -> LearnModel:
    return core.learning.model(s)


def text_of(core: Core, s: Session) -> str:
    return core.renderer.render(core.learning.show(s), "nl").text


def correct_choice(core: Core, s: Session) -> str:
    m = model(core, s)
    if m.state == State.QUIZ:
        return core.learning.quiz_question(s, m.quiz)[0]
    ex = core.learning.exercise(m)
    assert ex is not None
    return next(c.id for c in ex.choices if c.correct)


def choices(core: Core, s: Session) -> list[str]:
    return [a for row in core.learning.show(s).buttons for b in row
            if (a := b.action) and act.CHOICE.arg(a) is not None]


def walk(core: Core, s: Session, strategy: str, route: str = "path") -> int:
    """Go through a route: pick the correct, a wrong, or always the first choice."""
    screens = 0
    core.learning.act(s, act.LEARN(route))
    while True:
        screens += 1
        buttons = choices(core, s)
        if buttons:
            right = act.CHOICE(correct_choice(core, s))
            wrong = [c for c in buttons if c != right]
            pick = {"right": right, "wrong": wrong[0], "first": buttons[0]}[strategy]
            core.learning.act(s, pick)
            text = text_of(core, s)
            assert ("✅" in text) == (pick == right)
            assert "Bron: " in text
            continue
        if act.NEXT in core.learning.show(s).actions():
            core.learning.act(s, act.NEXT)
            continue
        return screens


def test_all_right_gives_full_score(core: Core) -> None:
    s = start(core)
    walk(core, s, "right")
    assert model(core, s).state == State.DONE
    assert core.learning.profiles_recognised(s) == (5, 5)
    text = text_of(core, s)
    render = core.renderer.message
    assert render(Msg.of(SCORE_PROFILES, n=5, total=5), "nl") in text
    assert render(Msg.of(SCORE_QUIZ, n=QUIZ_SIZE, total=QUIZ_SIZE), "nl") in text


def test_all_wrong_gives_zero_and_explains(core: Core) -> None:
    s = start(core)
    walk(core, s, "wrong")
    assert core.learning.profiles_recognised(s) == (0, 5)
    text = text_of(core, s)
    assert core.renderer.message(Msg.of(SCORE_PROFILES, n=0, total=5), "nl") in text


def test_a_fixed_position_strategy_scores_like_chance(core: Core) -> None:
    """Choices are shuffled per session: always pressing the first button is a guess."""
    shares = []
    for i in range(40):
        s = start(core, f"learner{i}")
        walk(core, s, "first")
        m = model(core, s)
        right = sum(1 for key, chosen in m.answers.items() if not key.startswith("quiz")
                    and any(c.id == chosen and c.correct
                            for c in _exercise_by_key(core, key).choices))
        shares.append(right / len([k for k in m.answers if not k.startswith("quiz")]))
    chance = statistics.mean(1 / len(_exercise_by_key(core, k).choices)
                             for k in model(core, s).answers if not k.startswith("quiz"))
    assert abs(statistics.mean(shares) - chance) < 0.12, (statistics.mean(shares), chance)


def _exercise_by_key(core: Core, key: str):  # type: ignore[no-untyped-def]
    step, _, ex_id = key.partition(":")
    if ex_id == "check":
        return core.kb.lessons[step].check
    return next(e for e in core.kb.vignettes[step].exercises if e.id == ex_id)


def test_the_expert_answer_is_not_always_in_the_same_place(core: Core) -> None:
    positions = set()
    for i in range(12):
        s = start(core, f"p{i}")
        core.learning.act(s, act.LEARN("cases"))
        core.learning.act(s, act.NEXT)  # the story, then its first question
        positions.add(choices(core, s).index(act.CHOICE(correct_choice(core, s))))
    assert len(positions) > 1


def test_direct_entries_to_cases_and_quiz(core: Core) -> None:
    s = start(core)
    core.learning.act(s, act.LEARN("cases"))
    assert model(core, s).state == State.STORY
    cases = walk_count = 0
    while model(core, s).state != State.DONE:
        if model(core, s).state == State.STORY:
            cases += 1
        buttons = choices(core, s)
        core.learning.act(s, buttons[0] if buttons else act.NEXT)
        walk_count += 1
        assert walk_count < 200
    assert cases == len(core.kb.vignettes)
    s = start(core, "quizzer")
    core.learning.act(s, act.LEARN("quiz"))
    assert model(core, s).state == State.QUIZ
    for _ in range(QUIZ_SIZE):
        core.learning.act(s, choices(core, s)[0])
        core.learning.act(s, act.NEXT)
    assert model(core, s).state == State.DONE


def test_quiz_choices_are_short_and_never_give_the_answer_away(core: Core) -> None:
    s = start(core)
    core.learning.act(s, act.LEARN("quiz"))
    for qi in range(QUIZ_SIZE):
        asked, options = core.learning.quiz_question(s, qi)
        term = core.kb.terms[asked]
        assert term.simple and term.term.casefold() not in term.simple.casefold()
        for label in (core.kb.terms[t].term for t in options):
            assert len(label) <= 60


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
    core.learning.act(s, act.LEARN("path"))
    while not choices(core, s):
        core.learning.act(s, act.NEXT)
    right = act.CHOICE(correct_choice(core, s))
    wrong = next(c for c in choices(core, s) if c != right)
    core.learning.act(s, wrong)
    core.learning.act(s, act.BACK)
    core.learning.act(s, right)
    answers = model(core, s).answers
    assert list(answers.values()) == [act.CHOICE.arg(wrong)]


def test_acute_help_in_learning_mode(core: Core) -> None:
    s = start(core)
    core.learning.act(s, act.ACUTE)
    assert "0800-2000" in text_of(core, s)
    core.learning.act(s, act.BACK)
    assert model(core, s).state == State.MENU


def test_console_learning_mode_walks_a_case() -> None:
    # the whole path, the first button each time
    out = io.StringIO()
    code = main(["--mode", "learn"], stdin=io.StringIO("1\n" * 40), stdout=out)
    assert code == 0
    text = out.getvalue()
    assert "Casus" in text and ("✅" in text or "❌" in text)


def test_the_expert_answer_after_a_wrong_one_does_not_say_correct(core: Core) -> None:
    """The screen gives the verdict (✅ or ❌); the expert answer's own text is shown under
    a wrong choice too, so it must not open with 'Juist.'."""
    exercises = [e for v in core.kb.vignettes.values() for e in v.exercises]
    exercises += [lesson.check for lesson in core.kb.lessons.values() if lesson.check]
    for ex in exercises:
        right = next(c for c in ex.choices if c.correct)
        assert not right.feedback.lower().startswith(("juist", "goed", "klopt")), ex.id
