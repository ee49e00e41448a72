"""The knowledge base: complete, sourced, linked; broken content stops start-up clearly."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.kb import Knowledge, KnowledgeError, load_knowledge
from bot.kb.loader import DEFAULT_DIR
from bot.kb.models import PHASES, Measure, Offer
from tests.conftest import FIXTURES, shared_dir


def read_vocabulary(path: Path) -> dict[str, list[str]]:
    """Ids per section of the contract file.

    Read line by line rather than as YAML: the contract's descriptions contain
    unquoted colons ("stalking: Stalking: following, ..."), which strict YAML rejects.
    """
    sections: dict[str, list[str]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^[a-z_]+:", line):
            key, _, rest = line.partition(":")
            current = key
            inline = re.match(r"\s*\[(.*)\]", rest)
            sections[key] = [i.strip() for i in inline.group(1).split(",")] if inline else []
        elif m := re.match(r"^  ([a-z_0-9]+):", line):
            sections.setdefault(current, []).append(m.group(1))
    return sections


VOCABULARY = read_vocabulary(FIXTURES / "indicators.yaml")


def test_vendored_contract_matches_shared() -> None:
    shared = shared_dir()
    if shared is None:
        pytest.skip("../shared is not beside this checkout; the vendored copies are used")
    assert (FIXTURES / "indicators.yaml").read_text() == \
        (shared / "domain" / "indicators.yaml").read_text()
    assert (FIXTURES / "public-cases.yaml").read_text() == \
        (shared / "eval" / "public-cases.yaml").read_text()


def test_vocabulary_ids_are_all_present(kb: Knowledge) -> None:
    assert len(VOCABULARY["indicators"]) == 48
    assert {"stalking", "acute_danger", "elder_abuse"} <= set(VOCABULARY["indicators"])
    assert set(VOCABULARY["indicators"]) <= set(kb.indicators)
    assert list(kb.profiles) == VOCABULARY["profiles"]
    assert list(kb.phases) == VOCABULARY["phases"]
    assert set(VOCABULARY["partner_ids"]) <= set(kb.partners)
    assert set(VOCABULARY["measure_ids"]) <= set(kb.measures)


def test_every_profile_and_phase_cell_is_filled(kb: Knowledge) -> None:
    for profile in kb.profiles:
        for phase in PHASES:
            cell = kb.matrix[(profile, phase)]
            assert cell.focus and cell.next_step and cell.source
    assert set(kb.fallback) == set(PHASES)


def test_the_table_of_the_report(kb: Knowledge) -> None:
    """Spot checks against rapport §6.4.2 (tabel)."""
    m = kb.matrix
    assert (m[("intimate_terror", "first_signal")].regie,
            m[("intimate_terror", "first_signal")].conversations) == ("veilig_thuis",
                                                                    "separate_only")
    assert m[("intimate_terror", "multiple_signals")].regie == "zvh"
    assert m[("family_stress", "first_signal")].conversations == "joint_and_separate"
    assert m[("family_stress", "multiple_signals")].regie_when_serious == "zvh"
    assert "youth_protection_table" in m[("child_behaviour", "acute")].partners
    for profile in ("long_term_care", "complex_divorce"):
        assert m[(profile, "acute")].regie == "mda_plus_plus"
    assert m[("complex_divorce", "first_signal")].conversations == "separate_only"
    for profile in ("child_behaviour", "long_term_care", "complex_divorce"):
        assert m[(profile, "first_signal")].regie == "wijkteam"


def test_every_profile_has_four_arrangement_parts(kb: Knowledge) -> None:
    for p in kb.profiles.values():
        assert p.core and p.protection and p.professional_help and p.low_threshold
        assert p.pattern and p.risk_factors and p.impact and p.distinguish and p.talk
        regions = {kb.offers[o].region for o in (*p.professional_help, *p.low_threshold)}
        assert "national" in regions
    all_regions = {o.region for o in kb.offers.values()}
    assert "zaanstreek_waterland" in all_regions


SOURCE = re.compile(r"^(rapport §\d|https?://|[^:]*rapport §)|rapport", re.IGNORECASE)


def test_every_item_names_its_source(kb: Knowledge) -> None:
    collections: list[Mapping[str, Any]] = [kb.profiles, kb.phases, kb.partners, kb.measures,
                                            kb.offers, kb.red_flags, kb.cards, kb.out_of_scope,
                                            kb.contacts]
    for collection in collections:
        for ident, item in collection.items():
            source = item.source
            assert "rapport §" in source or "http" in source, f"{ident}: {source!r}"
    for rule in kb.rules:
        assert rule.source


def test_contacts_are_checked_and_never_unverified(kb: Knowledge) -> None:
    for contact in kb.contacts.values():
        assert dt.date(2020, 1, 1) <= contact.checked <= dt.date.today()
        assert contact.phone or contact.chat or contact.url
    assert kb.contacts["112"].phone == "112"
    assert kb.contacts["veilig_thuis"].phone == "0800-2000"
    # numbers the research notes could not verify must not appear as facts
    for cid in ("fier", "mind_korrelatie", "moedige_moeders", "smd", "youz"):
        assert kb.contacts[cid].phone is None, cid
    assert {c.region for c in kb.contacts.values()} == {"national", "zaanstreek_waterland"}


def test_acute_path_contacts(kb: Knowledge) -> None:
    acute = {c.id for c in kb.contacts.values() if c.acute}
    assert acute == {"112", "veilig_thuis"}


# --- broken content -------------------------------------------------------------------------------
@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_DIR, target)
    return target


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(directory)
    return [str(p) for p in info.value.problems]


def test_copy_loads(kb_copy: Path) -> None:
    assert load_knowledge(kb_copy).profiles


def test_yaml_syntax_error_names_file_and_line(kb_copy: Path) -> None:
    path = kb_copy / "phases.yaml"
    lines = path.read_text().splitlines()
    lines.insert(3, "  - id: [unclosed")
    path.write_text("\n".join(lines))
    [problem] = problems_of(kb_copy)
    assert problem.startswith(f"{path}:")
    assert re.match(rf"{re.escape(str(path))}:\d+: \(syntax\): invalid YAML", problem)


def test_dangling_id_names_file_line_and_field(kb_copy: Path) -> None:
    path = kb_copy / "matrix.yaml"
    text = path.read_text()
    path.write_text(text.replace("partners: [veilig_thuis]", "partners: [no_such_partner]", 1))
    [problem] = problems_of(kb_copy)
    line = next(i for i, ln in enumerate(path.read_text().splitlines(), 1)
                if "no_such_partner" in ln)
    assert problem == f"{path}:{line}: matrix[0].partners: unknown partner id 'no_such_partner'"


def test_unknown_field_is_an_error(kb_copy: Path) -> None:
    path = kb_copy / "phases.yaml"
    path.write_text(path.read_text().replace("  - id: acute", "  - id: acute\n    colour: red", 1))
    [problem] = problems_of(kb_copy)
    assert "phases[2].colour: unknown field" in problem
    assert problem.startswith(f"{path}:")


def test_missing_field_and_wrong_type(kb_copy: Path) -> None:
    path = kb_copy / "contacts" / "national.yaml"
    data = path.read_text()
    data = data.replace("checked: 2026-11-25", "checked: yesterday", 1)
    path.write_text(data)
    problems = problems_of(kb_copy)
    assert any("contacts[0].checked: must be a date" in p for p in problems), problems


def test_missing_matrix_cell_is_reported(kb_copy: Path) -> None:
    path = kb_copy / "matrix.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["matrix"] = [c for c in doc["matrix"]
                     if not (c["profile"] == "family_stress" and c["phase"] == "acute")]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    problems = problems_of(kb_copy)
    assert any("cell family_stress x acute is not filled" in p for p in problems)


def test_missing_required_contact(kb_copy: Path) -> None:
    path = kb_copy / "contacts" / "national.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["contacts"] = [c for c in doc["contacts"] if c["id"] != "112"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    problems = problems_of(kb_copy)
    assert any("contact '112' is required" in p for p in problems)


def test_duplicate_id(kb_copy: Path) -> None:
    path = kb_copy / "phases.yaml"
    path.write_text(path.read_text().replace("id: acute", "id: first_signal", 1))
    problems = problems_of(kb_copy)
    assert any("duplicate id 'first_signal'" in p for p in problems)


def test_a_second_region_can_be_added(kb_copy: Path) -> None:
    pack = kb_copy / "regions" / "amsterdam_amstelland"
    pack.mkdir()
    (pack / "region.yaml").write_text(
        "region: amsterdam_amstelland\npack:\n  name: Amsterdam-Amstelland\n"
        "  municipalities: [Amsterdam]\n  maintainer: beheer\n  source: https://example.org\n")
    (pack / "contacts.yaml").write_text(
        "region: amsterdam_amstelland\ncontacts:\n"
        "  - id: other_team\n    name: Team\n    what: Iets\n    hours: Altijd\n"
        "    cost: free\n    source: https://example.org\n    checked: 2026-11-25\n"
        "    url: https://example.org\n")
    kb = load_knowledge(kb_copy, region="amsterdam_amstelland")
    assert kb.contacts["other_team"].region == "amsterdam_amstelland"
    assert "amsterdam_amstelland" in kb.regions
    assert kb.region is not None and kb.region.name == "Amsterdam-Amstelland"
    assert not any(c.region == "zaanstreek_waterland" for c in kb.contacts.values())
    zw = load_knowledge(kb_copy, region="zaanstreek_waterland")  # the other pack is untouched
    assert "other_team" not in zw.contacts and "blijf_groep" in zw.contacts


def test_start_up_stops_with_the_problem(kb_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from bot import cli
    from bot.kb import loader

    (kb_copy / "rules.yaml").write_text("rules:\n  - id: x\n    when: {nonsense: [yes]}\n"
                                        "    note: n\n    source: rapport §1\n")
    monkeypatch.setattr(loader, "DEFAULT_DIR", kb_copy)
    assert cli.main(["check"]) == 1
    err = capsys.readouterr().err
    assert f"{kb_copy / 'rules.yaml'}:3: rules[0].when.nonsense: unknown indicator id" in err


def test_every_declared_reference_is_checked(kb_copy: Path) -> None:
    """References are declared on the schema (`...Ref`), so fields far from the matrix are
    checked too: a scoring signal and an offer of the wrong kind."""
    scoring = kb_copy / "scoring.yaml"
    scoring.write_text(scoring.read_text().replace("{any: [neglect], weight: 3}",
                                                   "{any: [neglekt], weight: 3}", 1))
    path = kb_copy / "profiles.yaml"
    doc = yaml.safe_load(path.read_text())
    first = doc["profiles"][0]
    low = first["low_threshold"][0]
    first["professional_help"][0] = low
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    problems = problems_of(kb_copy)
    assert any("scoring.signals.long_term_care[1].any: unknown indicator id 'neglekt'" in p
               for p in problems), problems
    assert any(f"profiles[0].professional_help[0]: offer '{low}' is low_threshold, not "
               "professional" in p for p in problems), problems


# --- safety is a property of the content: the loader refuses what would break it ---------------
def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_joint_format_offer_without_declaration_is_refused(kb_copy: Path) -> None:
    replace_in(kb_copy / "offers.yaml", "    format: joint\n    unsafe_with: [override]\n",
               "    format: joint\n")
    problems = problems_of(kb_copy)
    assert any("offers[" in p and "unsafe_with: format 'joint' brings the parties together" in p
               for p in problems), problems


def test_every_offer_and_measure_declares_its_format(kb_copy: Path, kb: Knowledge) -> None:
    replace_in(kb_copy / "measures.yaml", "    format: protective\n", "")
    assert any("format: is required" in p for p in problems_of(kb_copy))
    assert all(o.format for o in kb.offers.values())
    assert all(m.format for m in kb.measures.values())
    assert kb.safety is not None
    items: list[Offer | Measure] = [*kb.offers.values(), *kb.measures.values()]
    for item in items:
        if item.format in kb.safety.joint_formats:
            assert "override" in item.unsafe_with, item.id


def test_unknown_trigger_in_unsafe_with_is_refused(kb_copy: Path) -> None:
    replace_in(kb_copy / "offers.yaml", "    unsafe_with: [override]\n",
               "    unsafe_with: [override, nonsense]\n")
    assert any("must be 'override' or a safety trigger id; got 'nonsense'" in p
               for p in problems_of(kb_copy))


def test_undeclared_joint_work_text_is_refused(kb_copy: Path) -> None:
    path = kb_copy / "matrix.yaml"
    replace_in(path, "      Herken het patroon van dwang en controle",
               "      Maak een plan met het hele gezin. Herken het patroon van dwang en controle")
    problems = problems_of(kb_copy)
    assert any("matrix[0].focus: text assumes joint work ('met het hele gezin')" in p
               for p in problems), problems


def test_declared_joint_work_needs_a_separate_only_wording(kb_copy: Path) -> None:
    replace_in(kb_copy / "profiles.yaml", "    assumes_joint: []\n", "    assumes_joint: [core]\n")
    problems = problems_of(kb_copy)
    assert any("profiles[0].core: assumes joint work: add a variant" in p for p in problems)


def test_a_separate_only_wording_may_not_assume_joint_work(kb_copy: Path) -> None:
    replace_in(kb_copy / "profiles.yaml",
               "          Spreek iedereen alleen apart, ook elk kind, en blijf dat doen",
               "          Spreek iedereen eerst apart, daarna samen")
    problems = problems_of(kb_copy)
    assert any("variants[0].talk: assumes joint work ('daarna samen')" in p
               for p in problems), problems


def test_a_handout_section_that_assumes_joint_work_needs_its_wording(kb_copy: Path) -> None:
    path = kb_copy / "handout.yaml"
    text = path.read_text()
    start = text.index("      separate: >-")
    end = text.index("    - id: talk_alone")
    path.write_text(text[:start] + text[end:])
    problems = problems_of(kb_copy)
    assert any("sections[0].separate: assumes_joint needs a separate-only wording" in p
               for p in problems), problems


def test_a_replacing_route_needs_regie_and_next_step(kb_copy: Path) -> None:
    replace_in(kb_copy / "out_of_scope.yaml", "    regie: veilig_thuis\n", "")
    assert any("replaces: a route that replaces the arrangement needs regie and next_step" in p
               for p in problems_of(kb_copy))


def test_circular_relevance_is_refused(kb_copy: Path) -> None:
    replace_in(kb_copy / "indicators.yaml",
               '    label: Geweld tussen (ex-)partners\n',
               '    label: Geweld tussen (ex-)partners\n'
               '    relevant_when: [{separated: ["yes", "unknown"]}]\n')
    assert any("relevance is circular" in p for p in problems_of(kb_copy))


def test_rule_sections_are_checked(kb_copy: Path) -> None:
    replace_in(kb_copy / "rules.yaml", "    show_in: [approach, talk]\n",
               "    show_in: [approach, card]\n")
    problems = problems_of(kb_copy)
    assert any("show_in[1]: must be one of approach, talk" in p for p in problems), problems


def test_rule_conclusions_are_checked(kb_copy: Path) -> None:
    replace_in(kb_copy / "rules.yaml", '    when: {coercive: ["yes"]}',
               '    when: {coercive: ["maybe"]}')
    problems = problems_of(kb_copy)
    assert any("when.coercive: value must be one of yes, no; got 'maybe'" in p for p in problems)


def test_the_override_needs_its_file(kb_copy: Path) -> None:
    (kb_copy / "safety.yaml").unlink()
    assert any("safety.yaml (the override) is missing" in p for p in problems_of(kb_copy))


def test_talk_section_notes_are_declared_not_hard_coded(kb: Knowledge) -> None:
    talk = {r.id for r in kb.rules if "talk" in r.show_in}
    assert {"language_interpreter", "culture_wish", "coercive_control", "lvb_parent"} <= talk
