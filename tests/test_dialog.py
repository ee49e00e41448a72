"""The screening dialog: one shared machine, no dead ends, skips, navigation, taps."""

from __future__ import annotations

import random
from collections import deque
from typing import Any

import pytest

from bot.core import Core, build_core
from bot.dialog.engine import ConsultModel
from bot.dialog.machine import GLOBAL
from bot.dialog.result import SECTION_IDS
from bot.dialog.spec import ASKING
from bot.kb import Knowledge
from bot.ui import actions as act
from bot.ui.engine import InvalidAction
from bot.ui.screen import Msg, Plain, Screen
from bot.ui.session import Session
from tests.auxil.autopilot import choose
from tests.auxil.cases import mismatches
from tests.conftest import public_cases

CASES = public_cases()


def model(core: Core, s: Session) -> ConsultModel:
    return core.consultation.model(s)


def keyboard(core: Core, screen: Screen) -> list[list[tuple[str, str]]]:
    rendered = core.renderer.render(screen, "nl")
    return [list(row) for row in rendered.keyboard]


def drive(core: Core, s: Session, wanted: dict[str, Any], limit: int = 60) -> tuple[Screen, int]:
    """Answer until the result; returns the result screen and the number of taps."""
    screen = core.consultation.begin(s)
    taps = 0
    while True:
        node = core.dialog.node(model(core, s).state)
        action = choose(node, keyboard(core, screen), wanted)
        if action is None:
            return screen, taps
        screen = core.consultation.act(s, action)
        taps += 1
        assert taps < limit, f"no result after {limit} taps (at {model(core, s).state})"


def graph(core: Core) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {n.id: set() for n in core.dialog.nodes}
    for name, event in core.machine.machine.events.items():
        for source, transitions in event.transitions.items():
            for t in transitions:
                if name not in GLOBAL and t.dest is not None:
                    edges[source].add(t.dest)
    return edges


def reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for nxt in edges[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


# --- the machine ------------------------------------------------------------------------------
def test_one_machine_many_models_that_do_not_pile_up(kb: Knowledge) -> None:
    now = [0.0]
    core = build_core(kb, ttl_seconds=60)
    core.sessions.clock = lambda: now[0]
    for i in range(50):
        core.consultation.begin(core.sessions.open(f"chat{i}", "nl"))
    core.lookup.begin(core.sessions.open("reader", "nl"))  # another mode, another machine
    assert core.lookup.machine.model_count == 1
    assert core.machine.model_count == 50
    core.sessions.open("chat0", "nl")  # replacing a session detaches the old model
    assert core.machine.model_count == 49
    core.consultation.begin(core.sessions.get("chat0"))  # type: ignore[arg-type]
    assert core.machine.model_count == 50
    core.sessions.drop("chat1")
    assert core.machine.model_count == 49
    now[0] = 61.0
    assert core.sessions.get("chat2") is None  # expired on access
    assert core.sessions.sweep() == 49
    assert core.machine.model_count == len(core.sessions) == 0
    assert core.lookup.machine.model_count == 0


def test_every_state_is_reachable_without_global_jumps(core: Core) -> None:
    edges = graph(core)
    seen = reachable(edges, core.dialog.start) | reachable(edges, core.dialog.acute)
    assert seen >= {n.id for n in core.dialog.nodes} - {core.dialog.end}


def test_no_dead_ends(core: Core) -> None:
    edges = graph(core)
    for node in core.dialog.nodes:
        if node.id == core.dialog.end:
            continue
        ahead = reachable(edges, node.id)
        assert core.dialog.result in ahead or node.kind == "acute", node.id
    # and every state can restart, reach acute help and end
    for trigger in GLOBAL:
        assert set(core.machine.machine.events[trigger].transitions) == \
            {n.id for n in core.dialog.nodes}


def test_every_screen_offers_back_restart_and_acute_help(core: Core) -> None:
    """Random walks through the dialog; every screen keeps the way out visible."""
    rng = random.Random(7)
    seen: set[str] = set()
    # Follow-up questions (custody -> legal, consent, loyalty) now also need partner
    # violence to be possible, so random walks need more tries to reach them all.
    for walk in range(150):
        s = core.sessions.open(f"walk{walk}", "nl")
        screen = core.consultation.begin(s)
        m = model(core, s)
        for _ in range(40):
            actions = screen.actions()
            seen.add(m.state)
            if m.state == core.dialog.end:  # the end offers a new start and acute help
                assert actions == {act.RESTART, act.ACUTE}
                screen = core.consultation.act(s, act.RESTART)
                continue
            assert act.RESTART in actions, m.state
            assert act.ACUTE in actions or core.dialog.node(m.state).kind == "acute", m.state
            if m.history:
                assert act.BACK in actions, m.state
            assert actions - {act.RESTART, act.ACUTE, act.CLOSE}, f"dead end at {m.state}"
            screen = core.consultation.act(s, rng.choice(sorted(actions - {act.RESTART})))
    assert seen >= {n.id for n in core.dialog.nodes if n.kind in ASKING}


# --- the public cases through the dialog ----------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_public_case_through_the_dialog(core: Core, case: dict[str, Any]) -> None:
    s = core.sessions.open("c", "nl")
    screen, taps = drive(core, s, case["answers"])
    assert model(core, s).state == core.dialog.result
    assert mismatches(core.consultation.assessment(s).to_json(), case["expect"]) == []
    # "at most about 20": the red flags take two phone screens, which adds one
    assert taps <= 22, f"{taps} taps"
    text = core.renderer.render(screen, "nl").text
    assert "handvat, geen protocol" in text
    assert "rapport §" in text


def test_irrelevant_questions_are_skipped(core: Core) -> None:
    s = core.sessions.open("c", "nl")
    visited: list[str] = []
    screen = core.consultation.begin(s)
    wanted = {"children_present": "no", "separated": "no", "coercive_control": "no",
              "stressors": "yes"}
    m = model(core, s)
    while (action := choose(core.dialog.node(m.state), keyboard(core, screen), wanted)):
        visited.append(m.state)
        screen = core.consultation.act(s, action)
    for child_node in ("child", "minor", "take_children", "custody", "legal", "consent",
                       "loyalty"):
        assert child_node not in visited
    for coercive_detail in ("isolation", "economic_control", "fear", "sexual"):
        assert coercive_detail not in visited
    assert {"mutual", "calm"} <= set(visited)
    long_term = core.dialog.node("long_term")
    shown = core.consultation.views.visible_items(long_term, m.answers)
    assert "neglect" not in {i.indicator for i in shown}


def test_separated_without_children_skips_the_custody_questions(core: Core) -> None:
    s = core.sessions.open("c", "nl")
    screen = core.consultation.begin(s)
    visited = []
    wanted = {"children_present": "no", "separated": "yes"}
    m = model(core, s)
    while (action := choose(core.dialog.node(m.state), keyboard(core, screen), wanted)):
        visited.append(m.state)
        screen = core.consultation.act(s, action)
    assert "custody" not in visited


# --- navigation ----------------------------------------------------------------------------------
def test_back_undoes_the_last_answer(core: Core) -> None:
    s = core.sessions.open("c", "nl")
    core.consultation.begin(s)
    m = model(core, s)
    core.consultation.act(s, act.NO)  # no acute danger -> children
    core.consultation.act(s, act.YES)  # children -> separated
    assert m.answers == {"acute_danger": "no", "children_present": "yes"}
    core.consultation.act(s, act.BACK)
    assert m.state == "children"
    assert m.answers == {"acute_danger": "no"}
    core.consultation.act(s, act.BACK)
    assert m.state == "safety"
    assert m.answers == {}
    assert act.BACK not in core.consultation.show(s).actions()


def test_acute_help_from_any_state_and_back(core: Core) -> None:
    s = core.sessions.open("c", "nl")
    core.consultation.begin(s)
    m = model(core, s)
    # safety, children, who uses violence against whom
    for action in (act.NO, act.YES, act.DONE_UNKNOWN):
        core.consultation.act(s, action)
    state, answers = m.state, dict(m.answers)
    screen = core.consultation.act(s, act.ACUTE)
    text = core.renderer.render(screen, "nl").text
    assert "112" in text
    assert "0800-2000" in text
    assert m.state == core.dialog.acute
    core.consultation.act(s, act.BACK)
    assert (m.state, m.answers) == (state, answers)


def test_safety_question_yes_shows_acute_help_then_continues(core: Core) -> None:
    s = core.sessions.open("c", "nl")
    core.consultation.begin(s)
    screen = core.consultation.act(s, act.YES)
    assert model(core, s).state == core.dialog.acute
    assert act.CONTINUE in screen.actions()
    core.consultation.act(s, act.CONTINUE)
    assert model(core, s).state == "children"


def test_checklist_toggles_and_done(core: Core) -> None:
    s = core.sessions.open("c", "nl")
    core.consultation.begin(s)
    m = model(core, s)
    core.machine.jump(m, "red_flags")
    screen = core.consultation.show(s)
    labels = [label for row in keyboard(core, screen) for a, label in row
              if act.TOGGLE.arg(a) is not None]
    assert labels and all(label.startswith("⬜") for label in labels)
    screen = core.consultation.act(s, act.TOGGLE(0))
    assert keyboard(core, screen)[0][0][1].startswith("☑️")
    core.consultation.act(s, act.DONE)
    assert m.answers["strangulation"] == "yes"
    assert m.answers["weapon"] == "no"


def test_stale_and_forged_actions_are_refused(core: Core) -> None:
    s = core.sessions.open("c", "nl")
    core.consultation.begin(s)
    for action in (act.CONTINUE, act.OPTION("first"), act.TOGGLE(99), act.SCALE(3),
                   act.OPEN("approach"), "zzz", "", "t:x", act.DONE):
        with pytest.raises(InvalidAction):
            core.consultation.act(s, action)
    assert model(core, s).state == core.dialog.start


def test_end_forgets_the_answers(core: Core) -> None:
    s = core.sessions.open("c", "nl")
    drive(core, s, CASES[0]["answers"])
    m = model(core, s)
    assert m.answers
    screen = core.consultation.act(s, act.CLOSE)
    assert m.state == core.dialog.end
    assert m.answers == {}
    assert screen.actions() == {act.RESTART, act.ACUTE}


# --- the result ---------------------------------------------------------------------------------------
def test_result_card_shows_overlap_unknowns_and_sources(core: Core) -> None:
    s = core.sessions.open("c", "nl")
    wanted = {"children_present": "yes", "partner_violence": "yes", "separated": "yes",
              "custody_conflict": "yes",
              "legal_proceedings": "yes", "child_behaviour_problems": "yes",
              "child_to_parent_violence": "yes", "parenting_stress": "yes",
              "repeat_reports": "yes", "serious_incident": "no", "coercive_control": "no",
              "stressors": "no", "acute_danger": "no"}
    screen, _ = drive(core, s, wanted)
    text = core.renderer.render(screen, "nl").text
    a = core.consultation.assessment(s)
    assert a.overlap, "the answers were chosen to overlap"
    for other in a.overlap:  # the overlap is named on the card, with its strength
        assert core.kb.profiles[other].title in text
    assert "Nog onbekend" in text or not a.unknowns
    assert "Regie" in text
    assert "Volgende stap" in text
    assert "Bron: " in text


@pytest.mark.parametrize("section", SECTION_IDS)
def test_every_section_with_its_pages_sources_and_one_way_back(core: Core, section: str) -> None:
    s = core.sessions.open("c", "nl")
    drive(core, s, CASES[0]["answers"])
    item = next(i.id for i in core.dialog.node(core.dialog.result).menu
                if core.dialog.node(i.to).section == section)
    screen = core.consultation.act(s, act.OPEN(item))
    text = core.renderer.render(screen, "nl").text
    assert len(text) > 100
    pages = 1
    while act.MORE in screen.actions():  # the rest, a page at a time
        screen = core.consultation.act(s, act.MORE)
        pages += 1
    assert pages == len(core.consultation.views.results.section(
        section, core.consultation.assessment(s), model(core, s).answers).pages())
    sources = core.renderer.render(core.consultation.act(s, act.SOURCES), "nl").text
    assert "Bronnen" in sources and ("rapport §" in sources or "http" in sources)
    back = [a for a in screen.actions() if a in (act.BACK, act.OPEN("result"))]
    assert back == [act.BACK], "one way back"
    core.consultation.act(s, act.BACK)
    assert model(core, s).state == core.dialog.result


def test_contacts_section_shows_checked_dates(core: Core) -> None:
    s = core.sessions.open("c", "nl")
    drive(core, s, CASES[0]["answers"])
    text = core.renderer.render(core.consultation.act(s, act.OPEN("contacts")), "nl").text
    while act.MORE in core.consultation.show(s).actions():
        text += core.renderer.render(core.consultation.act(s, act.MORE), "nl").text
    assert "0800-2000" in text
    assert text.count("Laatst gecontroleerd") >= 2


def test_screens_only_hold_message_ids(core: Core) -> None:
    s = core.sessions.open("c", "nl")
    screen, _ = drive(core, s, CASES[1]["answers"])
    for line in screen.lines:
        for part in line.parts:
            assert not isinstance(part, str)
    for row in screen.buttons:
        for b in row:
            parts = b.label if isinstance(b.label, tuple) else (b.label,)
            assert parts and all(isinstance(p, (Msg, Plain)) for p in parts), b


@pytest.mark.parametrize("mode", ["consult", "lookup", "learn", "meldcode", "followup"])
def test_diagrams_beside_the_dialog_are_current(core: Core, mode: str) -> None:
    from tests.conftest import ROOT

    diagram = core.engines[mode].diagram()
    assert (ROOT / "dialogs" / f"{mode}.mmd").read_text() == diagram, \
        "run `make diagram` after changing a mode's states or dialogs/consult.yaml"
    assert diagram in (ROOT / "README.md").read_text(), "README shows every mode's diagram"


def test_back_shows_the_answer_given(core: Core) -> None:
    s = core.sessions.open("c", "nl")
    core.consultation.begin(s)
    core.consultation.act(s, act.NO)  # no acute danger
    core.consultation.act(s, act.YES)  # children
    screen = core.consultation.act(s, act.BACK)
    text = core.renderer.render(screen, "nl").text
    yes = core.renderer.message_id("Ja", "nl")
    assert f": {yes}" in text.splitlines()[-1], text
    # a checklist comes back with its earlier ticks
    m = model(core, s)
    core.machine.jump(m, "red_flags")
    core.consultation.act(s, act.TOGGLE(1))
    core.consultation.act(s, act.DONE)
    back = core.consultation.act(s, act.BACK)
    ticks = [label for row in keyboard(core, back) for a, label in row
             if act.TOGGLE.arg(a) is not None]
    assert ticks[1].startswith("☑️") and not ticks[0].startswith("☑️")


def test_progress_counts_the_questions_that_will_be_asked(core: Core) -> None:
    """'Question n of about N': N shrinks when answers make questions irrelevant."""
    def total(screen: Screen) -> int:
        progress = next(line for line in screen.lines
                        if line.parts and isinstance(line.parts[0], Msg)
                        and dict(line.parts[0].params).keys() == {"n", "total"})
        value = dict(progress.parts[0].params)["total"]  # type: ignore[union-attr]
        assert isinstance(value, int)
        return value

    s = core.sessions.open("a", "nl")
    first = core.consultation.begin(s)
    with_children = core.consultation.act(s, act.NO)
    after_yes = core.consultation.act(s, act.YES)
    t = core.sessions.open("b", "nl")
    core.consultation.begin(t)
    core.consultation.act(t, act.NO)
    after_no = core.consultation.act(t, act.NO)  # no children: their questions drop out
    assert total(after_no) < total(after_yes) <= total(with_children) <= total(first) + 1


def test_shared_question_screens_equal_screens_built_afresh(core: Core) -> None:
    """Question screens are kept per (node, progress, earlier answer, ticks) and shared
    between sessions (issue 18). On random walks with Back, ticks and changed answers,
    every question screen a session is shown equals the one built afresh for it."""
    from bot.dialog.views import Views

    rng = random.Random(1818)
    compared = 0
    for walk in range(60):
        s = core.sessions.open(f"walk{walk}", "nl")
        screen = core.consultation.begin(s)
        for _ in range(40):
            m = core.consultation.model(s)
            node = core.dialog.node(m.state)
            if node.kind in ASKING:
                fresh = Views(core.kb, core.dialog, core.catalogs.available)
                assert screen == fresh.screen(node, m, None), node.id
                compared += 1
            actions = sorted(screen.actions() - {act.RESTART, act.CLOSE, act.ACUTE})
            if not actions or node.kind not in ASKING:
                break
            screen = core.consultation.act(s, rng.choice(actions))
    assert compared > 400
