"""Region packs (issue 17): contacts and regional offers per region, one selected by
BESCHERMWIJZER_REGION; national content keeps working without it; `check` validates every
pack on its own; the template is never a region; /over names the region and the oldest
contact check."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import logging
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.assess import assess, parse_answers
from bot.cli import EXIT_CONTENT, EXIT_OK, main
from bot.core import Core, build_core
from bot.i18n.review import translation_note
from bot.kb import Knowledge, KnowledgeError, load_knowledge, loader
from bot.kb import regions as rg
from bot.kb.freshness import oldest_check
from bot.kb.models import ContactRef, ProfessionalRef
from bot.kb.schema import hints, ref_of
from bot.ui import actions as act
from bot.ui import region as regional
from bot.ui.screen import Msg
from fakebot.server import FakeBotApi
from tests.auxil.cases import mismatches
from tests.auxil.region import REGION
from tests.auxil.tg import running_bot
from tests.conftest import ROOT, public_cases
from tests.test_dialog import drive

CASES = public_cases()
PACK = Path(loader.DEFAULT_DIR) / "regions" / REGION


@pytest.fixture(scope="module")
def national() -> Knowledge:
    return load_knowledge()


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(loader.DEFAULT_DIR, target)
    return target


def problems_of(directory: Path, region: str | None = None) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(directory, region=region)
    return [str(p) for p in info.value.problems]


def references(kb: Knowledge, national_only: bool = False) -> list[tuple[str, str,
                                                                        tuple[str, ...]]]:
    """(where, id, target collections) of every reference in the loaded knowledge (only in
    national items: `national_only`)."""
    found: list[tuple[str, str, tuple[str, ...]]] = []

    def walk(value: Any, tp: Any, where: str) -> None:
        target = ref_of(tp)
        if target is not None and isinstance(value, str):
            found.append((where, value, target.collections))
            return
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name), hints(type(value))[f.name], f"{where}.{f.name}")
        elif isinstance(value, tuple):
            args = getattr(tp, "__args__", (Any,))
            for item in value:
                walk(item, args[0], where)
        elif isinstance(value, dict):
            args = getattr(tp, "__args__", (Any, Any))
            for key, item in value.items():
                walk(item, args[-1], f"{where}.{key}")
        elif value is not None and getattr(tp, "__args__", None):  # X | None
            for option in tp.__args__:
                if option is not type(None):
                    walk(value, option, where)

    for field in dataclasses.fields(kb):
        value = getattr(kb, field.name)
        items = value.values() if isinstance(value, dict) else \
            value if isinstance(value, tuple) else (value,)
        for item in items:
            if national_only and getattr(item, "region", "national") != "national":
                continue
            if dataclasses.is_dataclass(item):
                walk(item, type(item), field.name)
    return found


def collection(kb: Knowledge, name: str) -> dict[str, Any]:
    table: dict[str, Any] = getattr(kb, {"groups": "indicator_groups"}.get(name, name))
    return table


# --- what is loaded ------------------------------------------------------------------------------
def test_the_region_brings_its_contacts_and_offers(kb: Knowledge, national: Knowledge) -> None:
    assert kb.region is not None and kb.region.id == REGION
    assert kb.region.name == "Zaanstreek-Waterland" and kb.regions == ("national", REGION)
    own = {c for c, contact in kb.contacts.items() if contact.region == REGION}
    offers = {o for o, offer in kb.offers.items() if offer.region == REGION}
    assert {"blijf_groep", "wijkteam_zaanstad", "smd", "mee_amstel_en_zaan"} <= own
    assert {"families_first", "mannen_kom_op", "non_violent_resistance"} <= offers
    assert kb.left_out == 0
    # national only: the same national content, nothing of the region
    assert national.region is None and national.regions == ("national",)
    assert set(national.contacts) == set(kb.contacts) - own
    assert set(national.offers) == set(kb.offers) - offers
    assert all(c.region == "national" for c in national.contacts.values())
    assert all(o.region == "national" for o in national.offers.values())
    assert national.profiles.keys() == kb.profiles.keys() and national.rules


def test_every_reference_resolves_with_and_without_the_region(kb: Knowledge,
                                                                national: Knowledge) -> None:
    for loaded in (kb, national):
        refs = references(loaded)
        assert len(refs) > 500  # the walk reaches profiles, rules, partners, glossary, ...
        dangling = [(where, ident) for where, ident, targets in refs
                    if not any(ident in collection(loaded, c) for c in targets)]
        assert dangling == []
    regional = [ident for _, ident, _ in references(kb, national_only=True)
                if (ident in kb.contacts and kb.contacts[ident].region == REGION)
                or (ident in kb.offers and kb.offers[ident].region == REGION)]
    assert len(regional) == national.left_out > 0  # exactly those were left out


def test_national_content_still_names_regional_items_where_they_belong(
        kb: Knowledge, national: Knowledge) -> None:
    """Left out, not rewritten: profiles, rules, partners and the glossary keep their
    national entries and lose only the regional ones."""
    for pid, profile in kb.profiles.items():
        bare = national.profiles[pid]
        assert bare.contacts == tuple(c for c in profile.contacts if c in national.contacts)
        assert bare.professional_help == tuple(o for o in profile.professional_help
                                               if o in national.offers)
        assert bare.low_threshold == tuple(o for o in profile.low_threshold
                                           if o in national.offers)
    assert kb.partners["specialised_dv"].contact == "blijf_groep"
    assert national.partners["specialised_dv"].contact is None
    rule = next(r for r in kb.rules if "non_violent_resistance" in r.add.professional_help)
    assert "non_violent_resistance" not in next(
        r for r in national.rules if r.id == rule.id).add.professional_help
    term = next(t for t in kb.terms.values() if "blijf_groep" in t.related)
    assert "blijf_groep" not in national.terms[term.id].related


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_the_public_cases_hold_with_and_without_the_region(kb: Knowledge, national: Knowledge,
                                                           case: dict[str, Any]) -> None:
    results = {}
    for loaded in (kb, national):
        result = assess(parse_answers(case["answers"], loaded.indicators), loaded).to_json()
        assert mismatches(result, case["expect"]) == []
        results[loaded.region is None] = result
    regional, bare = results[False], results[True]
    assert regional["phase"] == bare["phase"] and regional["primary"] == bare["primary"]
    assert regional["arrangement"]["partners"] == bare["arrangement"]["partners"]
    assert any(kb.contacts[c].region == REGION for c in regional["arrangement"]["contacts"])
    assert all(national.contacts[c].region == "national" for c in bare["arrangement"]["contacts"])


# --- what the user is told ---------------------------------------------------------------------
def section_text(core: Core, case: dict[str, Any], section: str) -> str:
    s = core.sessions.open("region", "nl")
    drive(core, s, case["answers"])
    text = core.renderer.render(core.consultation.act(s, act.OPEN(section)), "nl").text
    while act.MORE in core.consultation.show(s).actions():
        text += core.renderer.render(core.consultation.act(s, act.MORE), "nl").text
    return text


def say(core: Core, msg: Msg) -> str:
    return core.renderer.message(msg, "nl")


def test_contacts_and_help_name_the_region_or_say_there_is_none(core: Core,
                                                                national: Knowledge) -> None:
    bare = build_core(national)
    case = next(c for c in CASES if c["id"] == "carmen_tom")  # family stress: regional help
    contacts = section_text(core, case, "contacts")
    assert "Contacten in de regio Zaanstreek-Waterland en landelijk." in contacts
    assert "Blijf Groep" in contacts and "0800-2000" in contacts
    help_text = section_text(core, case, "help")
    assert "Aanbod in de regio Zaanstreek-Waterland en landelijk." in help_text
    assert "regionaal" in help_text
    contacts = section_text(bare, case, "contacts")
    assert say(bare, Msg(regional.CONTACTS_NATIONAL)) in contacts
    assert "Blijf Groep" not in contacts and "0800-2000" in contacts
    help_text = section_text(bare, case, "help")
    assert say(bare, Msg(regional.OFFERS_NATIONAL)) in help_text
    assert "regionaal" not in help_text and "landelijk" in help_text


def about(core: Core, lang: str = "nl") -> str:
    reply = core.chat.command("about", "over", lang=lang)
    return "\n".join(core.renderer.render(screen, reply.lang).text for screen in reply.screens)


def test_over_names_the_region_and_the_oldest_check(core: Core, kb: Knowledge,
                                                    national: Knowledge) -> None:
    text = about(core)
    oldest = core.renderer.message(Msg.of("{date}", date=oldest_check(kb)), "nl")
    assert "Regio: Zaanstreek-Waterland" in text and oldest in text
    assert "Er is geen regio ingesteld" not in text
    bare = about(build_core(national))
    assert "Er is geen regio ingesteld: je ziet alleen landelijke contacten" in bare
    assert core.renderer.message(Msg.of("{date}", date=oldest_check(national)), "nl") in bare
    assert "Regio: " not in bare


def test_over_says_how_much_of_the_translation_is_reviewed(core: Core) -> None:
    assert translation_note("nl") is None
    note = translation_note("en")
    assert note is not None
    assert core.renderer.message(note, "en") in about(core, "en")
    assert core.renderer.message(note, "en") not in about(core, "nl")


def test_an_older_contact_shows_in_over(kb: Knowledge) -> None:
    aged = dict(kb.contacts)
    aged["smd"] = dataclasses.replace(aged["smd"], checked=dt.date(2026, 2, 3))
    text = about(build_core(dataclasses.replace(kb, contacts=aged)))
    assert "3 februari 2026" in text


async def test_the_telegram_bot_logs_its_region(api: FakeBotApi, kb: Knowledge,
                                               national: Knowledge,
                                               caplog: pytest.LogCaptureFixture) -> None:
    for loaded, expected in ((kb, f"region {REGION} (Zaanstreek-Waterland): 8 contacts and 21 "
                                  "offers of its own"),
                             (national, "no region set (BESCHERMWIJZER_REGION): national "
                                        "contacts and offers only")):
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="beschermwijzer.telegram"):
            async with running_bot(api, build_core(loaded)):
                pass
        assert any(expected in r.getMessage() for r in caplog.records
                   if r.name == "beschermwijzer.telegram")


def run_bot(*args: str, region: str | None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    if region is not None:
        env["BESCHERMWIJZER_REGION"] = region
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_the_setting_selects_the_region_in_a_real_process() -> None:
    case = next(c for c in CASES if c["id"] == "nadia_hamza")
    answers = json.dumps(case["answers"])
    with_region = run_bot("assess", "-", region=REGION, stdin=answers)
    without = run_bot("assess", "-", region=None, stdin=answers)
    assert with_region.returncode == without.returncode == EXIT_OK
    assert "blijf_groep" in json.loads(with_region.stdout)["arrangement"]["contacts"]
    assert "blijf_groep" not in json.loads(without.stdout)["arrangement"]["contacts"]
    over = run_bot(region=REGION, stdin="/over\nq\n")
    assert "Regio: Zaanstreek-Waterland" in over.stdout
    assert "no region set" not in over.stderr
    over = run_bot(region=None, stdin="/over\nq\n")
    assert "Er is geen regio ingesteld" in over.stdout
    assert "no region set (BESCHERMWIJZER_REGION)" in over.stderr  # logged at start-up
    wrong = run_bot("assess", "-", region="atlantis", stdin=answers)
    assert wrong.returncode == EXIT_CONTENT
    assert "unknown region 'atlantis'" in wrong.stderr and REGION in wrong.stderr


# --- the rule, checked by the loader ----------------------------------------------------------
def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


PACK_HEAD = ("region: {r}\npack:\n  name: Elders\n  municipalities: [Elders]\n"
             "  maintainer: beheer\n  source: https://example.org\n")
CONTACT = ("  - id: {id}\n    name: Team\n    what: Iets\n    hours: Altijd\n    cost: free\n"
           "    source: https://example.org\n    checked: 2026-11-25\n    url: https://example.org\n")


def add_pack(root: Path, region: str, contacts: str = "", extra: str = "") -> Path:
    folder = root / "regions" / region
    write(folder / "region.yaml", PACK_HEAD.format(r=region))
    if contacts:
        write(folder / "contacts.yaml", f"region: {region}\ncontacts:\n{contacts}")
    if extra:
        write(folder / "extra.yaml", f"region: {region}\n{extra}")
    return folder


def test_regional_content_outside_a_pack_is_refused(kb_copy: Path) -> None:
    write(kb_copy / "contacts" / "other.yaml",
          "region: elders\ncontacts:\n" + CONTACT.format(id="other_team"))
    assert any("contacts/other.yaml" in p and "belongs in its region pack: "
               "knowledge/regions/elders/" in p for p in problems_of(kb_copy))
    (kb_copy / "contacts" / "other.yaml").unlink()
    offers = kb_copy / "offers.yaml"
    offers.write_text(offers.read_text().replace("region: national", f"region: {REGION}", 1))
    assert any("offers.yaml" in p and "region: regional content belongs" in p
               for p in problems_of(kb_copy))


def test_a_pack_holds_only_its_own_kind_of_content(kb_copy: Path) -> None:
    add_pack(kb_copy, "elders", extra="red_flags: []\n")
    assert any("a region pack holds only contacts, offers, terms" in p
               for p in problems_of(kb_copy, "elders"))


def test_a_pack_file_names_its_own_region(kb_copy: Path) -> None:
    folder = add_pack(kb_copy, "elders")
    write(folder / "contacts.yaml", "region: ergens\ncontacts:\n" + CONTACT.format(id="x_team"))
    assert any("starts with `region: elders`" in p for p in problems_of(kb_copy, "elders"))
    write(folder / "contacts.yaml", "region: elders\ncontacts:\n" + CONTACT.format(id="x_team")
          + "    region: ergens\n")
    assert any("of that region" in p for p in problems_of(kb_copy, "elders"))


def test_a_pack_describes_itself(kb_copy: Path) -> None:
    (kb_copy / "regions" / REGION / "region.yaml").unlink()
    assert any("describes itself in region.yaml" in p for p in problems_of(kb_copy, REGION))


def test_ids_are_unique_across_packs(kb_copy: Path) -> None:
    add_pack(kb_copy, "elders", CONTACT.format(id="smd"))
    for loaded in (REGION, "elders"):
        assert any("id 'smd' is also used in region" in p for p in problems_of(kb_copy, loaded))


def test_a_pack_refers_to_no_other_pack(kb_copy: Path) -> None:
    add_pack(kb_copy, "elders", extra=(
        "offers:\n  - id: elders_help\n    title: Hulp\n    kind: professional\n"
        "    format: individual\n    what: Iets\n    for_whom: Iedereen\n"
        "    source: https://example.org\n    contact: blijf_groep\n"))
    problems = problems_of(kb_copy, "elders")
    assert any("extra.yaml" in p and "offers[0].contact" in p and "'blijf_groep' is an item of "
               f"region '{REGION}': a region pack refers only to national items and its own" in p
               for p in problems)
    national_ok = load_knowledge(kb_copy)  # national content alone is fine with two packs
    assert "elders_help" not in national_ok.offers and "blijf_groep" not in national_ok.contacts


def test_a_typo_is_still_an_unknown_id_without_the_region(kb_copy: Path) -> None:
    profiles = kb_copy / "profiles.yaml"
    text = profiles.read_text()
    assert "families_first" in text
    profiles.write_text(text.replace("families_first", "families_frist", 1))
    assert any("unknown offer id 'families_frist'" in p for p in problems_of(kb_copy))


def test_a_regional_item_of_the_wrong_kind_fails_without_the_region(kb_copy: Path) -> None:
    profiles = kb_copy / "profiles.yaml"
    text = profiles.read_text()
    marker = "    low_threshold:\n"
    assert marker in text
    # a professional offer of the region listed as low-threshold help
    profiles.write_text(text.replace(marker, marker + "      - families_first\n", 1))
    for loaded in (None, REGION):
        assert any("'families_first' is professional, not low_threshold" in p
                   for p in problems_of(kb_copy, loaded))


@dataclass(frozen=True)
class _Holder:
    must: ContactRef
    may: ContactRef | None = None
    some: tuple[ProfessionalRef, ...] = ()


def test_a_required_reference_cannot_name_a_regional_item(kb: Knowledge) -> None:
    elsewhere: rg.Elsewhere = {"contacts": {"smd": (REGION, kb.contacts["smd"])},
                               "offers": {"families_first": (REGION, kb.offers["families_first"])},
                               "terms": {}}
    loaded = {"contacts": {"veilig_thuis": kb.contacts["veilig_thuis"]}, "offers": {}}
    pruner = rg.Pruner(loaded, elsewhere)
    reported: list[tuple[str, str, str]] = []
    kept = pruner.prune(_Holder("veilig_thuis", "smd", ("families_first",)), _Holder, "",
                        lambda *r: reported.append(r))
    assert kept == _Holder("veilig_thuis", None, ()) and reported == [] and pruner.left_out == 2
    pruner.prune(_Holder("smd"), _Holder, "", lambda *r: reported.append(r))
    assert reported == [("must", "smd", REGION)]


def test_regions_and_templates_by_name(kb_copy: Path) -> None:
    assert list(rg.region_packs(kb_copy)) == [REGION]
    assert [p.name for p in rg.templates(kb_copy)] == ["_template"]
    assert any("unknown region 'atlantis' (region packs: zaanstreek_waterland)" in p
               for p in problems_of(kb_copy, "atlantis"))
    assert any("'_template' is a template, not a region" in p
               for p in problems_of(kb_copy, "_template"))
    skeleton = load_knowledge(kb_copy, region="_template", template=True)
    assert skeleton.region is not None and skeleton.region.id == "_template"
    assert all(c.region == "national" for c in skeleton.contacts.values())


# --- check ---------------------------------------------------------------------------------------
def check(directory: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(loader, "DEFAULT_DIR", directory)
    out = io.StringIO()
    return main(["check", *args], stdout=out), out.getvalue()


def test_check_validates_every_pack_on_its_own(kb_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    newest = max(c.checked for c in load_knowledge(kb_copy, region=REGION).contacts.values())
    as_of = (newest + dt.timedelta(days=1)).isoformat()
    code, out = check(kb_copy, monkeypatch, "--as-of", as_of)
    assert code == EXIT_OK, capsys.readouterr().err
    assert "knowledge OK" in out and "no region set" in out
    assert f"region {REGION} (Zaanstreek-Waterland): 8 contacts and 21 offers of its own" in out
    assert "template _template: a skeleton to copy for a new region, not a region" in out
    assert f"BESCHERMWIJZER_REGION={REGION}: the bot loads this region" in out
    # a joint-format offer without its safety declaration, in the pack only
    offers = kb_copy / "regions" / REGION / "offers.yaml"
    offers.write_text(offers.read_text().replace("    unsafe_with: [override]\n", "", 1))
    code, out = check(kb_copy, monkeypatch, "--as-of", as_of)
    err = capsys.readouterr().err
    assert code == EXIT_CONTENT
    assert f"error: region pack '{REGION}' has errors:" in err and "unsafe_with" in err
    assert "knowledge OK" in out  # the national content on its own is still fine


def test_check_judges_the_contacts_of_every_pack(kb_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("BESCHERMWIJZER_REGION")  # not selected, still judged
    contacts = kb_copy / "regions" / REGION / "contacts.yaml"
    text = contacts.read_text()
    contacts.write_text(text.replace("checked: 2026-11-25", "checked: 2024-01-01", 1))
    code, out = check(kb_copy, monkeypatch, "--as-of", "2026-12-01")
    err = capsys.readouterr().err
    assert code == EXIT_CONTENT
    assert f"error: contact 'blijf_groep' ({REGION}) last checked 2024-01-01" in err
    assert "BESCHERMWIJZER_REGION is unset: the bot shows national contacts and offers only" in out


def test_check_fails_for_an_unknown_selected_region(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BESCHERMWIJZER_REGION", "atlantis")
    code = main(["check", "--as-of", "2026-12-01"], stdout=io.StringIO())
    assert code == EXIT_CONTENT
    assert "BESCHERMWIJZER_REGION=atlantis is not a region pack" in capsys.readouterr().err


def test_the_zaanstreek_pack_is_where_the_issue_says() -> None:
    assert sorted(p.name for p in PACK.glob("*.yaml")) == ["contacts.yaml", "offers.yaml",
                                                            "region.yaml"]
    assert not (Path(loader.DEFAULT_DIR) / "contacts" / "zaanstreek-waterland.yaml").exists()
