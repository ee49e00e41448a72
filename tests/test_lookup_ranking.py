"""Lookup ranking: one result per concept, exact names first, numbers find their contact."""

from __future__ import annotations

import io

import pytest

from bot.cli import main
from bot.core import Core

# (query, the concept that must come first: any (kind, id) of it)
FIRST = [
    ("huisverbod", ("measure", "temporary_restraining_order")),
    ("tijdelijk huisverbod", ("measure", "temporary_restraining_order")),
    ("huisverbot", ("measure", "temporary_restraining_order")),
    ("THV", ("measure", "temporary_restraining_order")),
    ("restraining order", ("measure", "temporary_restraining_order")),
    ("wat is een tijdelijk huisverbod?", ("measure", "temporary_restraining_order")),
    ("verwurging", ("red_flag", "strangulation")),
    ("parentificatie", ("term", "parentificatie")),
    ("112", ("contact", "112")),
    ("0800-2000", ("contact", "veilig_thuis")),
    ("0800 2000", ("contact", "veilig_thuis")),
    ("113", ("contact", "zelfmoordpreventie_113")),
    ("Veilig Thuis", ("contact", "veilig_thuis")),
    ("veilig thuis", ("contact", "veilig_thuis")),
    ("AWARE", ("measure", "aware_alarm")),
    ("kindertelefoon", ("contact", "kindertelefoon")),
    ("blijf groep", ("contact", "blijf_groep")),
    ("stalking", ("red_flag", "stalking")),
    ("intieme terreur", ("profile", "intimate_terror")),
    ("eergerelateerd geweld", ("out_of_scope", "honour_related")),
    ("loverboy", ("out_of_scope", "loverboy")),
    ("ouderenmishandeling", ("out_of_scope", "elder_abuse")),
    ("afwegingskader", ("card", "afwegingskader")),
    ("MDA++", ("partner", "mda_plus_plus")),
    ("zorg- en veiligheidshuis", ("partner", "zvh")),
    ("ZVH", ("partner", "zvh")),
    ("omgangshuis", ("term", "omgangshuis")),
    ("families first", ("offer", "families_first")),
    ("politie", ("contact", "politie")),
    ("vrouwenopvang", ("term", "vrouwenopvang")),
    ("ondertoezichtstelling", ("term", "ondertoezichtstelling")),
    ("gezin in de stress", ("profile", "family_stress")),
    ("complexe scheiding", ("profile", "complex_divorce")),
]
# (query, a (kind, id) that must not be among the results)
NOT_FOUND = [
    ("verwurging", ("term", "jeugdbescherming")),  # "gi" is an abbreviation, not a word part
    ("verwurging", ("partner", "youth_protection")),
    ("parentificatie", ("partner", "police")),
]


def concept_of(core: Core, kind: str, ident: str) -> set[tuple[str, str]]:
    entry = core.lookup.index.by_ref[(kind, ident)]
    return {(e.kind, e.id) for e in (entry, *core.lookup.index.siblings(entry))}


@pytest.mark.parametrize(("query", "expected"), FIRST, ids=[q for q, _ in FIRST])
def test_the_right_concept_comes_first(core: Core, query: str, expected: tuple[str, str]) -> None:
    found = core.lookup.index.search(query)
    assert found, query
    first = found[0][0]
    assert (first.kind, first.id) in concept_of(core, *expected), \
        (query, [(e.kind, e.id) for e, _ in found])


@pytest.mark.parametrize(("query", "absent"), NOT_FOUND)
def test_no_false_friends(core: Core, query: str, absent: tuple[str, str]) -> None:
    found = [(e.kind, e.id) for e, _ in core.lookup.index.search(query)]
    assert absent not in found, found


@pytest.mark.parametrize("query", [q for q, _ in FIRST])
def test_one_result_per_concept(core: Core, query: str) -> None:
    titles = [e.title for e, _ in core.lookup.index.search(query)]
    assert len(titles) == len(set(titles)), titles


def test_a_number_typed_in_the_console_lookup_is_a_search() -> None:
    out = io.StringIO()
    assert main(["--mode", "lookup"], stdin=io.StringIO("112\n"), stdout=out) == 0
    assert "📞 112" in out.getvalue()
