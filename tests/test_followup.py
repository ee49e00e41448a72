"""The follow-up (Vervolg): the report's terms (rapport §2.1.2), the comparison with the
earlier answers, and the mode through the command layer, from a code and fresh."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.assess import Answers, assess
from bot.assess.answers import Answer
from bot.assess.code import Snapshot
from bot.assess.meldcode import weigh
from bot.core import Core, build_core
from bot.followup.engine import FollowupEngine
from bot.followup.rules import apply_to_assessment, compare, evaluate, weighing_given
from bot.kb import Knowledge, KnowledgeError
from bot.ui import actions as act
from bot.ui.chat import Reply
from bot.ui.screen import Screen
from tests.conftest import public_cases

KEY = "fu"
CASES = {c["id"]: c for c in public_cases()}


def answers_of(raw: dict[str, Any], score: int | None = None) -> Answers:
    norm = {True: "yes", False: "no", None: "unknown"}
    return Answers({k: norm.get(v, v) for k, v in raw.items()}, score)


def outcome(kb: Knowledge, follow: dict[str, Any], raw: dict[str, Any] | None = None,
            score: int | None = 7) -> Any:
    answers = answers_of(raw if raw is not None else CASES["carmen_tom"]["answers"], score)
    return evaluate(follow, answers, assess(answers, kb), kb)


# --- the terms: 2, 4 and 10 months, with and without safety ---------------------------------------
@pytest.mark.parametrize(("months", "direct", "stable", "status", "escalate", "left"), [
    (2, "no", None, "within_direct", False, 1),
    (2, "unknown", None, "within_direct", False, 1),
    (2, "yes", "no", "within_stable", False, 7),
    (2, "yes", "yes", "stable", False, None),
    (4, "no", None, "escalate_direct", True, None),  # three months passed without direct safety
    (4, "unknown", None, "escalate_direct", True, None),  # not known to be safe: not reached
    (4, "yes", "no", "within_stable", False, 5),  # direct safety in time; six more months run
    (4, "yes", "yes", "stable", False, None),
    (10, "no", None, "escalate_direct", True, None),
    (10, "yes", "no", "escalate_stable", True, None),  # 3 + 6 months passed without stable safety
    (10, "yes", "unknown", "escalate_stable", True, None),
    (10, "yes", "yes", "stable", False, None),
])
def test_the_reports_terms(kb: Knowledge, months: int, direct: str, stable: str | None,
                           status: str, escalate: bool, left: int | None) -> None:
    follow = {"months": months, "direct_safety": direct}
    if stable is not None:
        follow["stable_safety"] = stable
    o = outcome(kb, follow)
    assert (o.status, o.escalate, o.months_left) == (status, escalate, left)
    if escalate:
        assert set(o.escalations) == {"repeat_report", "child_protection_board",
                                      "criminal_chain", "mda_plus_plus"}
        assert o.help_in_time == "no"
    else:
        assert o.escalations == ()
        assert o.help_in_time == ("yes" if status == "stable" else None)


def test_the_terms_come_from_the_data(kb: Knowledge) -> None:
    assert kb.followup is not None
    slower = replace(kb, followup=replace(kb.followup, direct_months=5))
    answers = answers_of({"children_present": "yes"}, 7)
    follow = {"months": 4, "direct_safety": "no"}
    assert evaluate(follow, answers, assess(answers, kb), kb).escalate is True
    assert evaluate(follow, answers, assess(answers, slower), slower).escalate is False


def test_a_score_below_6_is_no_direct_safety_whatever_the_answer(kb: Knowledge) -> None:
    o = outcome(kb, {"months": 4, "direct_safety": "yes", "stable_safety": "yes"}, score=4)
    assert o.status == "escalate_direct" and not o.direct_reached


def test_danger_now_means_act_now_at_any_month(kb: Knowledge) -> None:
    raw = {**CASES["carmen_tom"]["answers"], "acute_danger": "yes"}
    o = outcome(kb, {"months": 1, "direct_safety": "no"}, raw)
    assert o.status == "act_now" and o.escalate is True


def test_without_the_start_the_terms_are_not_applied_but_the_routes_are_shown(kb: Knowledge) -> None:
    o = outcome(kb, {"direct_safety": "no"})
    assert o.status == "time_unknown" and o.escalate is None and o.escalations


def test_the_child_protection_board_only_with_children(kb: Knowledge) -> None:
    raw = {"children_present": "no", "coercive_control": "yes"}
    o = outcome(kb, {"months": 4, "direct_safety": "no"}, raw)
    assert "child_protection_board" not in o.escalations and "repeat_report" in o.escalations


def test_who_decides_is_the_regie_of_the_new_assessment(kb: Knowledge) -> None:
    raw = CASES["nadia_hamza"]["answers"]
    answers = answers_of(raw, 7)
    a = assess(answers, kb)
    assert evaluate({"months": 4}, answers, a, kb).decided_by == a.arrangement.regie == "zvh"


def test_the_follow_up_answers_the_afwegingskaders_last_question(kb: Knowledge) -> None:
    """A passed term is 'no' to "does the help lead to safety in time?", stable safety is
    'yes'; with the earlier weighing questions answered, that decides the meldcode outcome."""
    assert kb.followup is not None and kb.followup.weighing in kb.weighing
    late = outcome(kb, {"months": 10, "direct_safety": "no"})
    stable = outcome(kb, {"months": 10, "direct_safety": "yes", "stable_safety": "yes"})
    running = outcome(kb, {"months": 2, "direct_safety": "no"})
    effect = kb.followup.weighing
    assert weighing_given(late, kb) == {effect: "no"}
    assert weighing_given(stable, kb) == {effect: "yes"}
    assert weighing_given(running, kb) == {}  # a term still runs: nothing to say yet
    answers = answers_of(CASES["carmen_tom"]["answers"], 7)
    judged: dict[str, Answer] = {"unsafety": "no", "can_help": "yes", "accepted": "yes"}
    assert weigh(answers, kb, judged).pending == effect  # without the follow-up: still open
    assert weigh(answers, kb, {**judged, **weighing_given(late, kb)}).outcome == "report_and_stay"
    assert weigh(answers, kb, {**judged, **weighing_given(stable, kb)}).outcome == "close"


def test_assess_with_follow_up_answers_records_them_in_the_meldcode_verdict(kb: Knowledge) -> None:
    answers = answers_of(CASES["carmen_tom"]["answers"], 4)  # structural unsafety: report
    a = assess(answers, kb)
    late = evaluate({"months": 10, "direct_safety": "no"}, answers, a, kb)
    out = apply_to_assessment(a.to_json(), late, answers, kb)
    assert out["followup"]["afwegingskader"] == {"effect": "no"}
    assert out["meldcode"] == out["followup"]["meldcode"]
    assert out["meldcode"]["report_required"] is True and out["meldcode"]["outcome"] == "report"
    running = evaluate({"months": 1, "direct_safety": "no"}, answers, a, kb)
    same = apply_to_assessment(a.to_json(), running, answers, kb)
    assert same["meldcode"] == a.to_json()["meldcode"] and same["followup"]["afwegingskader"] == {}


def test_the_comparison_names_phase_profile_flags_and_score(kb: Knowledge) -> None:
    before = answers_of(CASES["carmen_tom"]["answers"], 7)
    after_raw = {**CASES["carmen_tom"]["answers"], "weapon": "yes", "escalation": "no"}
    after = answers_of(after_raw, 4)
    c = compare(assess(before, kb), before, assess(after, kb), after, {})
    assert c.phase == ("multiple_signals", "acute") and c.phase_direction == "up"
    assert c.new_red_flags == ("weapon",) and c.gone_red_flags == ("escalation",)
    assert c.safety_score == (7, 4) and not c.profile_shift
    calmer = compare(assess(after, kb), after, assess(before, kb), before, {})
    assert calmer.phase_direction == "down"
    shifted = answers_of(CASES["nadia_hamza"]["answers"], 7)
    assert compare(assess(before, kb), before, assess(shifted, kb), shifted, {}).profile_shift


def test_incomplete_follow_up_data_stops_start_up(kb: Knowledge, core: Core) -> None:
    assert kb.followup is not None
    broken = replace(kb, followup=replace(kb.followup, statuses=kb.followup.statuses[1:]))
    with pytest.raises(KnowledgeError, match="has no text"):
        FollowupEngine(broken, core.consultation, core.codes)
    fewer = tuple(replace(q, items=q.items[1:]) if q.kind == "checklist" else q
                  for q in kb.followup.questions)
    with pytest.raises(KnowledgeError, match="is in no follow-up checklist"):
        FollowupEngine(replace(kb, followup=replace(kb.followup, questions=fewer)),
                       core.consultation, core.codes)
    no_months = tuple(q for q in kb.followup.questions if q.kind != "months")
    with pytest.raises(KnowledgeError, match="months"):
        FollowupEngine(replace(kb, followup=replace(kb.followup, questions=no_months)),
                       core.consultation, core.codes)


# --- the mode, through the command layer ------------------------------------------------------------
def current(reply: Reply) -> Screen:
    return reply.screens[-1]


def press(core: Core, action: str) -> Reply:
    s = core.sessions.get(KEY)
    assert s is not None
    reply = core.chat.press(KEY, s.sid, s.step, action, "nl")
    assert reply.screens, (action, reply.toast)
    return reply


def text_of(core: Core, reply: Reply) -> str:
    return "\n".join(core.renderer.render(sc, "nl").text for sc in reply.screens)


def follow_up(core: Core, *, months: int, direct: str, stable: str = "no", news: str = "none",
              flags: tuple[str, ...] = (), score: int = 7) -> Reply:
    """Answer the follow-up from its intro to the outcome."""
    reply = press(core, act.CONTINUE)
    for _ in range(12):
        node = current(reply).node
        if node == "followup:outcome":
            return reply
        if node == "followup:danger":
            reply = press(core, act.NO)
        elif node == "followup:months":
            reply = press(core, act.MONTHS(months))
        elif node == "followup:direct_safety":
            reply = press(core, {"yes": act.YES, "no": act.NO}.get(direct, act.UNKNOWN))
        elif node == "followup:stable_safety":
            reply = press(core, {"yes": act.YES, "no": act.NO}.get(stable, act.UNKNOWN))
        elif node == "followup:news":
            reply = press(core, act.OPTION(news))
        elif node in ("followup:red_flags", "followup:red_flags_more"):
            s = core.sessions.get(KEY)
            assert s is not None
            m = core.followup.model(s)
            items = core.followup.questions[m.pos].items
            for flag in (set(flags) & set(items)) ^ (m.ticks or set()):
                press(core, act.TOGGLE(items.index(flag)))
            reply = press(core, act.DONE)
        elif node == "followup:safety_score":
            reply = press(core, act.SCALE(score))
        else:
            raise AssertionError(node)
    raise AssertionError("no outcome")


def carmen_code(core: Core) -> str:
    answers = {k: {True: "yes", False: "no"}.get(v, v)
               for k, v in CASES["carmen_tom"]["answers"].items()}
    return core.codes.encode(Snapshot(answers, 7))


def test_a_follow_up_from_a_code_compares_escalates_and_gives_a_new_code(core: Core) -> None:
    old = carmen_code(core)
    core.chat.command(KEY, "/vervolg", "", "nl")
    intro = core.chat.text(KEY, old, "nl")  # pasted during the follow-up: the earlier answers
    assert current(intro).node == "followup:intro"
    assert "eerdere antwoorden" in text_of(core, intro)
    reply = follow_up(core, months=4, direct="no", news="incident", flags=("weapon",), score=4)
    shown = text_of(core, reply)
    assert "Opschalen: geen directe veiligheid" in shown
    assert "(zwaarder)" in shown and "Wapen" in shown and "7 → 4" in shown
    assert "(opnieuw) melden bij Veilig Thuis" in shown
    assert "Afwegingskader: Melden bij Veilig Thuis" in shown  # a score of 4: report
    assert act.OPEN("routes") in current(reply).actions()
    s = core.sessions.get(KEY)
    assert s is not None
    new = core.followup.snapshot(core.followup.model(s))
    assert new.followup == {"months": 4, "direct_safety": "no", "new_incident": "yes"}
    assert new.answers["weapon"] == "yes" and new.answers["serious_incident"] == "yes"
    assert new.safety_score == 4
    code = core.codes.encode(new)
    assert code in shown and code != old
    assert core.codes.decode(code).snapshot == new
    routes = press(core, act.OPEN("routes"))
    assert "Raad voor de Kinderbescherming" in text_of(core, routes)
    assert "heeft de regie" in text_of(core, routes)
    # the consultation took over the new answers: its result and the same code, one tap away
    result = press(core, act.BACK)
    assert current(result).node == "followup:outcome"
    consult = press(core, act.RESUME)
    assert current(consult).node == core.dialog.result
    assert "Acuut gevaar" in text_of(core, consult)
    assert core.codes.encode(core.consultation.snapshot(s) or Snapshot()) == code


def test_a_follow_up_without_a_code_applies_the_terms_but_does_not_compare(core: Core) -> None:
    intro = core.chat.command(KEY, "/vervolg", "", "nl")
    assert "Plak hem hier" in text_of(core, intro)
    reply = follow_up(core, months=10, direct="yes", stable="no")
    shown = text_of(core, reply)
    assert "Opschalen: veiligheid niet stabiel" in shown
    assert "niets om mee te vergelijken" in shown


def test_within_the_term_there_is_no_escalation_and_the_time_left_is_shown(core: Core) -> None:
    core.chat.text(KEY, carmen_code(core), "nl")  # the result, restored
    press(core, act.OPEN("code"))
    intro = press(core, act.MODE("followup"))  # the code screen leads to the follow-up
    assert current(intro).node == "followup:intro"
    reply = follow_up(core, months=2, direct="no")
    shown = text_of(core, reply)
    assert "Werk aan directe veiligheid" in shown and "Nog 1 maand" in shown
    assert act.OPEN("routes") not in current(reply).actions()
    assert "Opschalen kan met" not in shown


def test_danger_now_opens_acute_help_then_the_questions_go_on(core: Core) -> None:
    core.chat.command(KEY, "/vervolg", "", "nl")
    press(core, act.CONTINUE)
    acute = press(core, act.YES)
    assert current(acute).node == "followup:acute" and "112" in text_of(core, acute)
    assert current(press(core, act.CONTINUE)).node == "followup:months"


def test_back_undoes_an_answer_and_starting_over_keeps_the_earlier_answers(core: Core) -> None:
    core.chat.text(KEY, carmen_code(core), "nl")
    core.chat.command(KEY, "/vervolg", "", "nl")
    follow_up(core, months=4, direct="yes", stable="no")
    s = core.sessions.get(KEY)
    assert s is not None
    baseline = core.followup.model(s).baseline
    back = press(core, act.BACK)
    assert current(back).node == "followup:safety_score"
    assert "Vorige keer: 7" in text_of(core, back)
    asked = press(core, act.RESTART)  # progress: asks first
    assert act.CONFIRM in current(asked).actions()
    again = press(core, act.CONFIRM)
    assert current(again).node == "followup:intro"
    assert core.followup.model(s).baseline == baseline  # not the answers it just published


def test_every_follow_up_screen_offers_acute_help_and_stays_small(core: Core) -> None:
    core.chat.text(KEY, carmen_code(core), "nl")
    core.chat.command(KEY, "/vervolg", "", "nl")
    screens = [current(press(core, act.CONTINUE))]
    for action in (act.NO, act.MONTHS(10), act.YES, act.NO, act.OPTION("signals"), act.DONE,
                   act.DONE, act.SCALE(5), act.OPEN("routes")):
        screens.append(current(press(core, action)))
    nodes = [sc.node for sc in screens]
    assert nodes[-2:] == ["followup:outcome", "followup:routes"]
    for sc in screens:
        assert act.ACUTE in sc.actions(), sc.node
        assert len(core.renderer.render(sc, "nl").text) <= 1500, sc.node


def test_a_fresh_core_registers_the_mode(kb: Knowledge) -> None:
    core = build_core(kb)
    assert core.engines["followup"] is core.followup
    assert "intro --> ask" in core.followup.diagram()


def test_vervolg_with_a_code_starts_the_follow_up_from_it(core: Core) -> None:
    reply = core.chat.command(KEY, "/vervolg", carmen_code(core), "nl")
    assert [sc.node for sc in reply.screens] == ["notice:code", "followup:intro"]
    assert "eerdere antwoorden van dit vervolggesprek" in text_of(core, reply)
    s = core.sessions.get(KEY)
    assert s is not None and s.mode == "followup"
    assert core.followup.model(s).baseline == core.codes.decode(carmen_code(core)).snapshot
    wrong = core.chat.command(KEY, "/vervolg", "1" * 27, "nl")
    assert "klopt niet" in text_of(core, wrong) and current(wrong).node == "followup:intro"


def test_the_meldcode_step_after_a_follow_up_takes_its_answer(core: Core) -> None:
    """From the follow-up's outcome to the meldcode step: the last weighing question is
    answered by the follow-up (a passed term: no), so the walk ends without asking it."""
    core.chat.text(KEY, carmen_code(core), "nl")
    core.chat.command(KEY, "/vervolg", "", "nl")
    reply = follow_up(core, months=5, direct="no")
    shown = text_of(core, reply)
    assert "‘nee’ op de laatste afwegingsvraag" in shown
    weigh_button = next(a for a in current(reply).actions() if a == act.MODE("meldcode"))
    step = press(core, weigh_button)
    assert current(step).node == "meldcode:question"
    for _ in range(3):  # unsafety no, can help yes, accepted yes
        node_text = text_of(core, step)
        answer = act.NO if "onveiligheid?" in node_text.split("\n\n")[-2] else act.YES
        step = press(core, answer)
        if current(step).node == "meldcode:outcome":
            break
    assert current(step).node == "meldcode:outcome"
    assert "Melden en betrokken blijven" in text_of(core, step)
    assert "Vraag 5: Nee" in text_of(core, step)
