"""One definition of relevance: the dialog asks exactly the relevant questions, and
"still unknown" lists exactly the relevant questions without a yes/no answer, in a
consultation and in `python -m bot assess` alike."""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.assess import assess, parse_answers
from bot.core import Core
from bot.dialog.spec import DEFAULT_FILE, load_dialog
from bot.kb import Knowledge, KnowledgeError
from bot.ui import actions as act
from bot.ui.screen import Screen
from bot.ui.session import Session
from tests.auxil.autopilot import choose
from tests.test_dialog import keyboard

PARTNER_NODES = {"separated", "coercive", "coercive_signs", "isolation", "economic_control",
                 "fear", "sexual", "one_sided", "take_children", "mutual", "custody", "legal",
                 "consent", "loyalty"}


def asked_on(core: Core, s: Session) -> set[str]:
    """The indicators the current screen asks about."""
    node = core.dialog.node(core.consultation.model(s).state)
    if node.kind == "question" and node.indicator:
        return {node.indicator}
    if node.kind == "checklist":
        answers = core.consultation.model(s).answers
        return {i.indicator for i in core.consultation.views.visible_items(node, answers)}
    if node.kind == "choice":
        return {k for o in node.options for k in o.sets}
    return set()


def random_consultation(core: Core, rng: random.Random) -> tuple[Session, set[str]]:
    s = core.sessions.open(f"r{rng.random()}", "nl")
    screen = core.consultation.begin(s)
    asked: set[str] = set()
    for _ in range(80):
        node = core.dialog.node(core.consultation.model(s).state)
        if node.kind == "result":
            return s, asked
        asked |= asked_on(core, s)
        actions = sorted(screen.actions())
        if node.kind == "question":
            action = rng.choice([act.YES, act.NO, act.UNKNOWN])
        elif node.kind in ("choice", "scale"):
            action = rng.choice([a for a in actions if act.OPTION.arg(a) is not None
                                 or act.SCALE.arg(a) is not None])
        elif node.kind == "checklist":
            for toggle in [a for a in actions if act.TOGGLE.arg(a) is not None]:
                if rng.random() < 0.3:
                    core.consultation.act(s, toggle)
            action = rng.choice([act.DONE, act.DONE, act.DONE_UNKNOWN])
        else:
            action = act.CONTINUE
        screen = core.consultation.act(s, action)
    raise AssertionError(f"no result (stuck at {core.consultation.model(s).state})")


def test_unknown_means_asked_and_unanswered(core: Core) -> None:
    rng = random.Random(11)
    for _ in range(150):
        s, asked = random_consultation(core, rng)
        a = core.consultation.assessment(s)
        settled = set(core.kb.scoring.coercive_pattern.direct) if a.coercive_control else set()
        assert set(a.unknowns) <= asked, set(a.unknowns) - asked
        not_answered = {i for i in asked if core.consultation.model(s).answers.get(i) not in ("yes", "no")}
        assert not_answered - settled == set(a.unknowns)
        # the command line gives the same answer for the same answers
        raw = {k: v for k, v in core.consultation.model(s).answers.items() if v is not None}
        assert assess(parse_answers(raw, core.kb.indicators), core.kb) == a


def drive(core: Core, wanted: dict[str, Any]) -> tuple[Session, list[str], list[str]]:
    """Answer like `wanted`; the visited nodes and the rendered question screens."""
    s = core.sessions.open("w", "nl")
    screen = core.consultation.begin(s)
    visited: list[str] = []
    texts: list[str] = []
    m = core.consultation.model(s)
    while (action := choose(core.dialog.node(m.state), keyboard(core, screen), wanted)):
        visited.append(core.consultation.model(s).state)
        texts.append(core.renderer.render(screen, "nl").text)
        screen = core.consultation.act(s, action)
    return s, visited, texts


def test_skipped_and_implicit_answers_are_not_unknown(core: Core) -> None:
    # Carmen: no coercive control, so its follow-ups are never asked
    carmen = {"children_present": "yes", "stressors": "yes", "incidental_substance": "yes",
              "coercive_control": "no", "repeat_reports": "yes", "serious_incident": "yes"}
    s, visited, _ = drive(core, carmen)
    unknowns = core.consultation.assessment(s).unknowns
    assert not {"isolation", "economic_control", "one_sided_violence"} & set(unknowns)
    assert "isolation" not in visited
    # "a serious incident" (not "both") answers the question about earlier signals too
    s, _, _ = drive(core, {"serious_incident": "yes", "repeat_reports": "no"})
    assert core.consultation.model(s).answers["repeat_reports"] == "no"
    assert "repeat_reports" not in core.consultation.assessment(s).unknowns
    # signs that show the coercive pattern answer the direct question
    s, _, _ = drive(core, {"partner_violence": "yes", "isolation": "yes",
                           "economic_control": "yes"})
    a = core.consultation.assessment(s)
    assert a.coercive_control and "coercive_control" not in a.unknowns


def test_single_mother_hit_by_her_son_of_fifteen(core: Core) -> None:
    wanted = {"acute_danger": "no", "children_present": "yes", "child_to_parent_violence": "yes",
              "perpetrator_is_minor": "yes", "child_behaviour_problems": "yes",
              "single_parent": "yes", "parenting_stress": "yes", "repeat_reports": "yes"}
    s, visited, texts = drive(core, wanted)
    assert not PARTNER_NODES & set(visited), PARTNER_NODES & set(visited)
    after_who = texts[visited.index("who") + 1:]
    assert not [t for t in after_who if "partner" in t.lower()]
    a = core.consultation.assessment(s)
    assert a.primary == "child_behaviour"
    assert "temporary_restraining_order" not in a.arrangement.protection
    assert not {"separated", "custody_conflict", "mutual_violence"} & set(a.unknowns)
    a = core.consultation.assessment(s)
    card = core.renderer.render(core.consultation.show(s), "nl").text
    card += core.renderer.render(Screen("approach", tuple(core.consultation.views.results.detail(
        "approach", a, core.consultation.model(s).answers))), "nl").text
    assert "Bescherm eerst het kind" not in card
    assert "Bescherm eerst de ouder" in card
    assert "beide partners" not in card


def test_a_childs_drug_use_is_not_the_parents_addiction(kb: Knowledge) -> None:
    base = {"children_present": "yes", "child_behaviour_problems": "yes", "neglect": "no"}
    child = assess(parse_answers({**base, "child_substance_use": "yes"}, kb.indicators), kb)
    parent = assess(parse_answers({**base, "parent_addiction": "yes"}, kb.indicators), kb)
    scores = {p.id: p.score for p in child.profiles}
    assert scores["long_term_care"] == 0
    assert "child_substance_use" in next(p for p in child.profiles
                                         if p.id == "child_behaviour").signals
    assert child.primary == "child_behaviour"
    assert "addiction_care" not in child.arrangement.partners
    assert "child_substance" in child.notes and "alcohol_addiction" not in child.notes
    assert {p.id: p.score for p in parent.profiles}["long_term_care"] > 0


# --- the dialog is checked against knowledge at start-up ----------------------------------------
@pytest.fixture
def dialog_copy(tmp_path: Path) -> Path:
    target = tmp_path / "consult.yaml"
    shutil.copy(DEFAULT_FILE, target)
    return target


def problems_of(kb: Knowledge, path: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load_dialog(kb, path)
    return [str(p) for p in info.value.problems]


def test_the_current_dialog_covers_relevance(kb: Knowledge) -> None:
    load_dialog(kb)  # raises when a relevant question is not asked


def test_a_relevant_question_the_dialog_never_asks_is_refused(kb: Knowledge,
                                                              dialog_copy: Path) -> None:
    text = dialog_copy.read_text()
    dialog_copy.write_text(text.replace(
        '      - {indicator: fear_of_partner, when: {coercive_control: ["no"]}}\n', ""))
    problems = problems_of(kb, dialog_copy)
    assert any("'fear_of_partner' is relevant but no node asks it" in p for p in problems), problems


def test_an_indicator_never_asked_is_refused(kb: Knowledge, dialog_copy: Path) -> None:
    text = dialog_copy.read_text()
    dialog_copy.write_text(text.replace("      - {indicator: child_substance_use}\n", ""))
    problems = problems_of(kb, dialog_copy)
    assert any("'child_substance_use' is never asked" in p for p in problems), problems


def test_a_question_depending_on_a_later_answer_is_refused(kb: Knowledge,
                                                           dialog_copy: Path) -> None:
    text = dialog_copy.read_text()
    dialog_copy.write_text(text.replace(
        "      - {indicator: isolation}\n",
        '      - {indicator: isolation, when: {stalking: ["yes", "unknown", "no"]}}\n'))
    problems = problems_of(kb, dialog_copy)
    assert any("depends on 'stalking'" in p for p in problems), problems


def test_a_stressed_family_without_partner_violence_is_not_about_partners(kb: Knowledge) -> None:
    answers = {"children_present": "yes", "partner_violence": "no",
               "child_to_parent_violence": "yes", "violence_against_child": "no",
               "stressors": "yes", "calm_periods": "yes"}
    a = assess(parse_answers(answers, kb.indicators), kb)
    assert a.primary == "family_stress"
    assert "partners" not in (a.arrangement.talk or "")
    with_partners = assess(parse_answers({**answers, "partner_violence": "yes"}, kb.indicators),
                           kb)
    assert "beide partners" in (with_partners.arrangement.talk or "")


def test_kept_relevance_outcomes_equal_a_fresh_evaluation(core: Core) -> None:
    """The dialog keeps whether a node applies, which checklist items show and how many
    questions follow per the few answers they depend on (issue 18). For 400 random answer
    sets, each in three orders of asking, every kept outcome equals one computed afresh
    from all the answers: the dependency analysis leaves out no answer that matters."""
    dialog, views = core.dialog, core.consultation.views
    rng = random.Random(18)
    ids = list(core.kb.indicators)
    checked = 0
    for _ in range(400):
        picked = rng.sample(ids, rng.randint(0, len(ids)))
        answers = {i: rng.choice(("yes", "no", "unknown")) for i in picked}
        for _ in range(3):  # the same answers reached in another order share the outcomes
            shuffled = dict(rng.sample(sorted(answers.items()), len(answers)))
            for node in dialog.nodes:
                assert dialog.applies(node, shuffled) == dialog.decide(node, shuffled), node.id
                assert dialog.visible_items(node, shuffled) == tuple(
                    i for i in node.items if dialog.item_visible(i, shuffled))
                assert views.remaining(node, shuffled) == sum(
                    1 for a in views.asking_ahead(node) if dialog.decide(a, shuffled))
                checked += 1
    assert checked == 400 * 3 * len(dialog.nodes)
