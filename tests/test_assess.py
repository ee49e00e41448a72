"""The assessment: the report's five cases and one test per rule of the report."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import Any

import pytest

from bot.assess import AnswerError, assess, parse_answers
from bot.cli import main
from bot.kb import Knowledge
from tests.auxil.cases import mismatches
from tests.conftest import ROOT, public_cases

CASES = public_cases()


def run(kb: Knowledge, **answers: Any) -> dict[str, Any]:
    return assess(parse_answers(answers, kb.indicators), kb).to_json()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_public_case_in_process(kb: Knowledge, case: dict[str, Any]) -> None:
    assert mismatches(run(kb, **case["answers"]), case["expect"]) == []


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_public_case_through_the_command_line(case: dict[str, Any]) -> None:
    proc = subprocess.run([sys.executable, "-m", "bot", "assess", "-"], cwd=ROOT,
                          input=json.dumps(case["answers"]), capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert mismatches(json.loads(proc.stdout), case["expect"]) == []


def test_output_follows_the_contract(kb: Knowledge) -> None:
    result = run(kb, coercive_control="yes", isolation="yes")
    assert result["phase"] in ("first_signal", "multiple_signals", "acute")
    assert [p["id"] for p in result["profiles"]] != []
    assert {p["id"] for p in result["profiles"]} == set(kb.profiles)
    scores = [p["score"] for p in result["profiles"]]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)
    assert all(p["label"] for p in result["profiles"])
    assert set(result["arrangement"]) >= {"regie", "conversations", "partners", "protection",
                                          "professional_help", "low_threshold", "contacts"}
    assert result["meldcode"]["report_required"] in (True, False, None)
    assert isinstance(result["meldcode"]["reason"], str) and result["meldcode"]["reason"]


# --- phase ------------------------------------------------------------------------------
def test_acute_danger_means_acute_phase_and_112(kb: Knowledge) -> None:
    result = run(kb, acute_danger="yes", stressors="yes", mutual_violence="yes")
    assert result["phase"] == "acute"
    assert result["call_112"] is True
    assert result["arrangement"]["contacts"][:2] == ["112", "veilig_thuis"]


def test_safety_score_below_six_is_structural_unsafety(kb: Knowledge) -> None:
    assert run(kb, safety_score=5)["phase"] == "acute"
    assert run(kb, safety_score=5)["call_112"] is False
    assert run(kb, safety_score=6)["phase"] == "first_signal"


def test_red_flag_or_incident_or_repeat_reports_means_multiple_signals(kb: Knowledge) -> None:
    assert run(kb, weapon="yes")["phase"] == "multiple_signals"
    assert run(kb, serious_incident="yes")["phase"] == "multiple_signals"
    assert run(kb, repeat_reports="yes")["phase"] == "multiple_signals"
    # a separation is a dangerous moment but not an incident in itself
    assert run(kb, recent_separation="yes")["phase"] == "first_signal"
    assert run(kb, stressors="yes")["phase"] == "first_signal"


def test_red_flags_are_listed(kb: Knowledge) -> None:
    result = run(kb, strangulation="yes", death_threats="yes", stressors="yes")
    assert set(result["red_flags"]) == {"strangulation", "death_threats"}


# --- profiles ---------------------------------------------------------------------------
def test_thin_answers_give_no_primary(kb: Knowledge) -> None:
    assert run(kb)["primary"] is None
    assert run(kb, stressors="yes")["primary"] is None
    result = run(kb, stressors="yes", mutual_violence="yes")
    assert result["primary"] == "family_stress"


def test_close_runner_up_is_shown_as_overlap(kb: Knowledge) -> None:
    result = run(kb, children_present="yes", child_behaviour_problems="yes",
                 child_to_parent_violence="yes", parenting_stress="yes", separated="yes",
                 custody_conflict="yes", legal_proceedings="yes", child_loyalty_conflict="yes")
    assert result["primary"] in ("child_behaviour", "complex_divorce")
    other = {"child_behaviour", "complex_divorce"} - {result["primary"]}
    assert result["overlap"] == list(other)


def test_no_overlap_when_others_are_far_behind(kb: Knowledge) -> None:
    case = next(c for c in CASES if c["id"] == "astrid_peter")
    assert run(kb, **case["answers"])["overlap"] == []


# --- coercive control ------------------------------------------------------------------------
def test_coercive_control_in_another_profile(kb: Knowledge) -> None:
    result = run(kb, children_present="yes", parent_addiction="yes", neglect="yes",
                 care_refusal="yes", parentification="yes", coercive_control="yes")
    assert result["primary"] == "long_term_care"
    assert result["coercive_control"] is True
    assert result["arrangement"]["conversations"] == "separate_only"
    assert [p["id"] for p in result["profiles"]][:2] == ["long_term_care", "intimate_terror"]
    assert "specialised_dv" in result["arrangement"]["partners"]


def test_coercive_control_removes_joint_therapy_and_mediation(kb: Knowledge) -> None:
    stress = dict(stressors="yes", mutual_violence="yes", calm_periods="yes", repeat_reports="yes")
    plain = run(kb, **stress)
    coercive = run(kb, **stress, coercive_control="yes")
    assert "relationship_therapy_violence_aware" in plain["arrangement"]["professional_help"]
    assert "mediation_in_criminal_cases" in plain["arrangement"]["protection"]
    assert "relationship_therapy_violence_aware" not in coercive["arrangement"]["professional_help"]
    assert "mediation_in_criminal_cases" not in coercive["arrangement"]["protection"]


def test_coercive_pattern_from_supporting_signs(kb: Knowledge) -> None:
    result = run(kb, stressors="yes", mutual_violence="yes", calm_periods="yes",
                 isolation="yes", economic_control="yes")
    assert result["coercive_control"] is True
    assert result["arrangement"]["conversations"] == "separate_only"
    assert "intimate_terror" in [p["id"] for p in result["profiles"]][:2]
    one_sign = run(kb, stressors="yes", mutual_violence="yes", isolation="yes")
    assert one_sign["coercive_control"] is False
    assert one_sign["arrangement"]["conversations"] == "joint_and_separate"


# --- the report's distinctions and limits -------------------------------------------------------
def test_occasional_drinking_points_to_stress(kb: Knowledge) -> None:
    result = run(kb, stressors="yes", incidental_substance="yes", parent_addiction="no")
    assert result["primary"] == "family_stress"
    assert "alcohol_incidental" in result["notes"]
    assert "addiction_care" not in result["arrangement"]["partners"]


def test_addiction_points_to_long_term_care(kb: Knowledge) -> None:
    result = run(kb, parent_addiction="yes", incidental_substance="no", neglect="yes",
                 children_present="yes")
    assert result["primary"] == "long_term_care"
    assert "alcohol_addiction" in result["notes"]
    assert "addiction_care" in result["arrangement"]["partners"]


def test_no_restraining_order_against_a_minor(kb: Knowledge) -> None:
    base = dict(children_present="yes", child_to_parent_violence="yes",
                child_behaviour_problems="yes", repeat_reports="yes")
    adult = run(kb, **base, perpetrator_is_minor="no")
    minor = run(kb, **base, perpetrator_is_minor="yes")
    assert "temporary_restraining_order" in adult["arrangement"]["protection"]
    assert "temporary_restraining_order" not in minor["arrangement"]["protection"]
    assert "no_restraining_order_against_minor" in minor["notes"]
    acute_minor = run(kb, **base, perpetrator_is_minor="yes", acute_danger="yes",
                      stressors="yes", mutual_violence="yes")
    assert "temporary_restraining_order" not in acute_minor["arrangement"]["protection"]


def test_no_youth_partners_without_children(kb: Knowledge) -> None:
    answers = dict(coercive_control="yes", isolation="yes", fear_of_partner="yes",
                   serious_incident="yes")
    without = run(kb, **answers, children_present="no")
    with_children = run(kb, **answers, children_present="yes")
    youth = {p for p, partner in kb.partners.items() if partner.youth}
    assert "youth_protection" in with_children["arrangement"]["partners"]
    assert not youth & set(without["arrangement"]["partners"])
    assert "child_protection_measure" not in without["arrangement"]["protection"]
    assert all(not kb.offers[o].needs_children for o in
               without["arrangement"]["professional_help"] + without["arrangement"]["low_threshold"])


@pytest.mark.parametrize("kind", ["honour_related", "loverboy", "elder_abuse"])
def test_out_of_scope_types_are_routed(kb: Knowledge, kind: str) -> None:
    result = run(kb, **{kind: "yes"})
    assert result["out_of_scope"] == [kind]
    assert result["primary"] is None
    route = kb.out_of_scope[kind]
    # 112 is listed only with acute danger; the acute-help button is always there
    assert set(route.contacts) - {"112"} <= set(result["arrangement"]["contacts"])
    assert set(route.partners) <= set(result["arrangement"]["partners"])


def test_veilig_thuis_is_always_a_contact(kb: Knowledge) -> None:
    for answers in ({}, {"stressors": "yes"}, {"elder_abuse": "yes"}, {"acute_danger": "no"}):
        assert "veilig_thuis" in run(kb, **answers)["arrangement"]["contacts"]
    assert "112" not in run(kb, acute_danger="no")["arrangement"]["contacts"]


def test_family_stress_with_serious_violence_goes_to_zvh(kb: Knowledge) -> None:
    base = dict(stressors="yes", mutual_violence="yes", repeat_reports="yes")
    assert run(kb, **base)["arrangement"]["regie"] == "wijkteam"
    assert run(kb, **base, weapon="yes")["arrangement"]["regie"] == "zvh"


def test_every_phase_and_profile_gives_a_complete_arrangement(kb: Knowledge) -> None:
    strong = {
        "intimate_terror": dict(coercive_control="yes", isolation="yes", fear_of_partner="yes"),
        "family_stress": dict(stressors="yes", mutual_violence="yes", calm_periods="yes"),
        "child_behaviour": dict(child_behaviour_problems="yes", parenting_stress="yes"),
        "long_term_care": dict(parent_lvb="yes", neglect="yes"),
        "complex_divorce": dict(separated="yes", custody_conflict="yes"),
    }
    phases = {"first_signal": {}, "multiple_signals": {"repeat_reports": "yes"},
              "acute": {"acute_danger": "yes"}}
    for profile, answers in strong.items():
        for phase, extra in phases.items():
            result = run(kb, children_present="yes", **answers, **extra)
            assert (result["primary"], result["phase"]) == (profile, phase)
            cell = kb.matrix[(profile, phase)]
            assert set(cell.partners) <= set(result["arrangement"]["partners"])
            assert result["arrangement"]["regie"] in (cell.regie, cell.regie_when_serious)


def test_assess_is_pure(kb: Knowledge) -> None:
    answers = parse_answers({"stressors": "yes", "mutual_violence": True}, kb.indicators)
    assert assess(answers, kb) == assess(answers, kb)
    assert answers.values == {"stressors": "yes", "mutual_violence": "yes"}


# --- invalid input ----------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "field"), [
    ({"no_such_indicator": "yes"}, "no_such_indicator"),
    ({"stressors": "maybe"}, "stressors"),
    ({"stressors": 3}, "stressors"),
    ({"safety_score": 11}, "safety_score"),
    ({"safety_score": -1}, "safety_score"),
    ({"safety_score": "high"}, "safety_score"),
    (["stressors"], "(top)"),
])
def test_invalid_answers_name_the_field(kb: Knowledge, raw: Any, field: str) -> None:
    with pytest.raises(AnswerError) as info:
        parse_answers(raw, kb.indicators)
    assert info.value.field == field
    assert field in str(info.value)


def cli(argv: list[str], stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue()


def test_cli_exits_2_and_names_the_field(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli(["assess", "-"], "safety_score: 11\n")
    assert code == 2
    assert out == ""
    assert "safety_score" in capsys.readouterr().err
    code, _ = cli(["assess", "-"], "bogus: yes\n")
    assert code == 2
    assert "bogus" in capsys.readouterr().err
    code, _ = cli(["assess", "-"], "stressors: [unclosed\n")
    assert code == 2
    assert "line" in capsys.readouterr().err
    code, _ = cli(["assess", "/no/such/file.yaml"])
    assert code == 2


def test_cli_reads_json_and_yaml_files(tmp_path: Any) -> None:
    (tmp_path / "a.json").write_text('{"stressors": "yes", "mutual_violence": "yes"}')
    (tmp_path / "a.yaml").write_text("stressors: yes\nmutual_violence: yes\n")
    for name in ("a.json", "a.yaml"):
        code, out = cli(["assess", str(tmp_path / name)])
        assert code == 0
        assert json.loads(out)["primary"] == "family_stress"
