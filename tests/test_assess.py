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


# --- the safety override (knowledge/safety.yaml) ------------------------------------------------
JOINT_OFFERS = ("relationship_therapy_violence_aware", "ouderschap_blijft", "ouderschap_na_scheiding",
                "contact_mediation_altra", "kinderen_uit_de_knel", "mst_fft_mdft", "families_first")


def test_stressed_family_with_weapon_fear_and_escalation_gets_no_joint_help(kb: Knowledge) -> None:
    stress = dict(stressors="yes", mutual_violence="yes", calm_periods="yes", children_present="yes",
                  repeat_reports="yes")
    plain = run(kb, **stress)
    danger = run(kb, **stress, weapon="yes", fear_of_partner="yes", escalation="yes")
    assert plain["arrangement"]["conversations"] == "joint_and_separate"
    assert "relationship_therapy_violence_aware" in plain["arrangement"]["professional_help"]
    assert plain["safety"] == []
    assert set(danger["safety"]) == {"weapon", "fear_of_partner"}
    assert danger["arrangement"]["conversations"] == "separate_only"
    assert not set(JOINT_OFFERS) & set(danger["arrangement"]["professional_help"])
    assert "mediation_in_criminal_cases" not in danger["arrangement"]["protection"]
    assert "eigen_kracht" not in danger["arrangement"]["protection"]


@pytest.mark.parametrize("flag", ["strangulation", "weapon", "death_threats", "fear_of_partner",
                                  "sexual_violence"])
def test_each_lethal_sign_turns_on_the_override(kb: Knowledge, flag: str) -> None:
    result = run(kb, stressors="yes", mutual_violence="yes", **{flag: "yes"})
    assert flag in result["safety"]
    assert result["arrangement"]["conversations"] == "separate_only"
    assert "relationship_therapy_violence_aware" not in result["arrangement"]["professional_help"]


def test_escalation_alone_is_a_red_flag_not_the_override(kb: Knowledge) -> None:
    result = run(kb, stressors="yes", mutual_violence="yes", escalation="yes")
    assert result["safety"] == [] and "escalation" in result["red_flags"]


def test_coercive_control_leaves_out_every_joint_format_offer(kb: Knowledge) -> None:
    divorce = dict(children_present="yes", separated="yes", custody_conflict="yes",
                   legal_proceedings="yes", child_loyalty_conflict="yes")
    plain = run(kb, **divorce)
    coercive = run(kb, **divorce, coercive_control="yes")
    assert {"ouderschap_blijft", "ouderschap_na_scheiding", "contact_mediation_altra",
            "kinderen_uit_de_knel"} <= set(plain["arrangement"]["professional_help"])
    assert coercive["primary"] == "complex_divorce"
    assert not set(JOINT_OFFERS) & set(coercive["arrangement"]["professional_help"])
    assert "coercive_control" in coercive["safety"]
    assert "divorce_no_joint_talks" in coercive["notes"]


def test_stalking_around_a_separation_turns_on_the_override(kb: Knowledge) -> None:
    assert "stalking_separation" in run(kb, stalking="yes", separated="yes")["safety"]
    assert "stalking_separation" in run(kb, stalking="yes", recent_separation="yes")["safety"]
    assert run(kb, stalking="yes", separated="no", recent_separation="no")["safety"] == []


def test_the_override_rewords_every_joint_text(kb: Knowledge) -> None:
    answers = dict(stressors="yes", mutual_violence="yes", calm_periods="yes", children_present="yes")
    plain = assess(parse_answers(answers, kb.indicators), kb).arrangement
    safe = assess(parse_answers({**answers, "fear_of_partner": "yes"}, kb.indicators), kb).arrangement
    assert "daarna samen" in plain.focus and "hele gezin" in plain.next_step
    assert plain.talk == kb.profiles["family_stress"].talk
    for text in (safe.focus, safe.next_step, safe.talk or ""):
        assert "daarna samen" not in text and "hele gezin" not in text
        assert "alleen apart" in text.lower() or "apart" in text
    assert safe.talk_cards == ("separate_only_talk",)
    assert plain.talk_cards == ("talk_separately",)


def test_restraining_order_under_the_override_carries_the_condition(kb: Knowledge) -> None:
    """§5.2.4: with control or lethal danger a restraining order only when the contact ban
    will be respected, or together with a criminal measure."""
    stress = dict(stressors="yes", mutual_violence="yes", calm_periods="yes", repeat_reports="yes")
    plain = assess(parse_answers(stress, kb.indicators), kb).arrangement
    weapon = assess(parse_answers({**stress, "weapon": "yes"}, kb.indicators), kb).arrangement
    assert "temporary_restraining_order" in weapon.protection
    assert "nageleefd" not in (plain.measure_note("temporary_restraining_order") or "")
    note = weapon.measure_note("temporary_restraining_order") or ""
    assert "contactverbod wordt nageleefd" in note and "strafrechtelijke maatregel" in note
    assert "stop_talk" in plain.protection and "stop_talk" not in weapon.protection


# --- lethal signals and the coercion check (§5.2.4, §5.6.1) ------------------------------------------
def test_lethal_signs_and_escalation_count_for_intimate_terror(kb: Knowledge) -> None:
    def it_score(**answers: Any) -> float:
        return float(next(p["score"] for p in run(kb, **answers)["profiles"]
                          if p["id"] == "intimate_terror"))
    assert it_score() == 0
    for flag in ("strangulation", "weapon", "death_threats", "escalation"):
        assert it_score(**{flag: "yes"}) > 0, flag
    assert it_score(weapon="yes", escalation="yes") > it_score(weapon="yes")
    stress = next(p for p in run(kb, escalation="yes")["profiles"] if p["id"] == "family_stress")
    assert stress["score"] > 0


def test_stalking_is_part_of_the_coercion_check(kb: Knowledge) -> None:
    assert run(kb, stalking="yes")["coercive_control"] is False
    assert run(kb, stalking="yes", fear_of_partner="yes")["coercive_control"] is True


def test_complex_divorce_with_stalking_and_a_terror_pattern_moves_regie(kb: Knowledge) -> None:
    """§5.7: with stalking and a pattern of intimate terror another approach is needed."""
    divorce = dict(children_present="yes", separated="yes", custody_conflict="yes",
                   legal_proceedings="yes", consent_withheld="yes", child_loyalty_conflict="yes",
                   repeat_reports="yes")
    assert run(kb, **divorce)["arrangement"]["regie"] == "wijkteam"
    assert run(kb, **divorce, stalking="yes")["arrangement"]["regie"] == "wijkteam"
    terror = run(kb, **divorce, stalking="yes", coercive_control="yes")
    assert terror["primary"] == "complex_divorce"
    assert terror["arrangement"]["regie"] == "zvh"
    assert {"zvh", "forensic_psychiatry"} <= set(terror["arrangement"]["partners"])


# --- out-of-scope routes replace, not append ----------------------------------------------------------
@pytest.mark.parametrize("kind", ["honour_related", "loverboy", "elder_abuse"])
def test_out_of_scope_route_replaces_the_profile_arrangement(kb: Knowledge, kind: str) -> None:
    stress = dict(stressors="yes", mutual_violence="yes", calm_periods="yes", repeat_reports="yes",
                  children_present="yes")
    result = assess(parse_answers({**stress, kind: "yes"}, kb.indicators), kb)
    route = kb.out_of_scope[kind]
    arr = result.arrangement
    assert result.primary == "family_stress"  # the profile still shows, but does not apply
    assert arr.replaced_by == (kind,)
    assert arr.regie == route.regie and arr.next_step == route.next_step
    assert arr.conversations == "separate_only"
    assert arr.core is None and arr.talk is None
    assert "relationship_therapy_violence_aware" not in arr.professional_help
    assert "wijkteam_practical_support" not in arr.professional_help
    cell = kb.matrix[("family_stress", "multiple_signals")]
    assert not (set(cell.partners) - set(route.partners)) & set(arr.partners) - {
        p for r in kb.rules if r.id in result.notes for p in r.add.partners}
    assert result.to_json()["arrangement"]["replaced_by"] == [kind]


# --- acute danger and structural unsafety (§6.4.1) ----------------------------------------------------
def test_structural_unsafety_is_not_acute_danger(kb: Knowledge) -> None:
    structural = run(kb, safety_score=4)
    acute = run(kb, acute_danger="yes")
    assert structural["phase"] == acute["phase"] == "acute"
    assert "structural_unsafety" in structural["notes"]
    assert "acute_call_112" not in structural["notes"]
    assert "acute_call_112" in acute["notes"] and "structural_unsafety" not in acute["notes"]
    assert structural["arrangement"]["contacts"][0] == "veilig_thuis"
    assert acute["arrangement"]["contacts"][0] == "112"


# --- who uses violence against whom -------------------------------------------------------------------
def test_violence_by_a_child_rewords_protect_the_child_first(kb: Knowledge) -> None:
    base = dict(children_present="yes", child_to_parent_violence="yes",
                child_behaviour_problems="yes", parenting_stress="yes", repeat_reports="yes")
    unclear = assess(parse_answers(base, kb.indicators), kb).arrangement
    son = assess(parse_answers({**base, "violence_against_child": "no"}, kb.indicators),
                 kb).arrangement
    assert "Bescherm eerst het kind" in unclear.focus
    assert "Bescherm eerst het kind" not in son.focus
    assert "ouder" in son.focus and "ouder" in (son.core or "")
    assert "Bescherm eerst het kind" not in (son.core or "")
    assert "child_to_parent" in run(kb, **base)["notes"]


def test_json_names_the_safety_triggers(kb: Knowledge) -> None:
    result = run(kb, coercive_control="yes", honour_related="yes")
    assert result["safety"] == ["coercive_control", "honour_related"]
    assert result["arrangement"]["replaced_by"] == ["honour_related"]
