"""The arrangement: the table cell (or a replacing route), the rules, then one filter.

The filter applies, in this order, to everything the card will show: what the rules
remove, what needs children when there are none, what a minor cannot get, and what
is unsafe with the safety override. Texts are chosen here too (override wording,
situation wording), so the result card only renders what it is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.assess.relevance import Facts
from bot.assess.result import Arrangement, RuleNote
from bot.assess.safety import unsafe
from bot.kb.models import PHASES, Knowledge, OutOfScope, Rule


@dataclass
class _Draft:
    regie: str
    conversations: str
    partners: list[str]
    protection: list[str]
    professional: list[str]
    low: list[str]
    contacts: list[str]
    focus: str
    next_step: str
    sources: list[str]
    core: str | None = None
    talk: str | None = None
    notes: dict[str, str] = field(default_factory=dict)  # measure id -> profile remark


def pick(default: str, variants: Iterable[Any], name: str, facts: Facts,
         conclusions: Mapping[str, str]) -> str:
    """The first variant that sets `name` and whose `when` holds, else the default."""
    for v in variants:
        text = getattr(v, name)
        if text is not None and facts.holds(v.when, conclusions):
            return str(text)
    return default


def build(kb: Knowledge, facts: Facts, conclusions: Mapping[str, str], primary: str | None,
          out_of_scope: Sequence[str], active: Sequence[str], applied: Sequence[Rule],
          call_112: bool) -> Arrangement:
    routes = [kb.out_of_scope[o] for o in out_of_scope if kb.out_of_scope[o].replaces]
    phase = conclusions["phase"]
    if routes:
        d = _from_routes(kb, routes)
    elif primary is not None:
        d = _from_profile(kb, facts, conclusions, primary, phase)
    else:
        d = _from_fallback(kb, facts, conclusions, phase)
    for oos in out_of_scope:  # routes that do not replace: their contacts join the card
        route = kb.out_of_scope[oos]
        if not route.replaces:
            d.partners += route.partners
            d.contacts += route.contacts
            d.sources.append(route.source)
    if active or routes or conclusions["coercive"] == "yes":
        d.conversations = "separate_only"
    if active:
        assert kb.safety is not None
        d.sources.append(kb.safety.source)
    for rule in applied:
        d.partners += rule.add.partners
        d.protection += rule.add.protection
        d.professional += rule.add.professional_help
        d.low += rule.add.low_threshold
        d.contacts += rule.add.contacts
    return _filtered(kb, facts, d, active, applied, bool(routes), call_112,
                     tuple(r.id for r in routes))


def _from_profile(kb: Knowledge, facts: Facts, conclusions: Mapping[str, str], primary: str,
                  phase: str) -> _Draft:
    profile = kb.profiles[primary]
    cell = kb.matrix[(primary, phase)]
    regie, partners, sources = cell.regie, list(cell.partners), [cell.source, profile.source]
    if cell.regie_when_serious and any(facts.state(i) == "yes"
                                       for i in kb.scoring.serious_regie_trigger):
        regie = cell.regie_when_serious
    switch = next((sw for sw in cell.regie_switch if facts.holds(sw.when, conclusions)), None)
    if switch is not None:
        regie = switch.regie
        partners += switch.partners
        sources.append(switch.source)
    rank = [str(p) for p in PHASES].index(phase)
    protection = [u.measure for u in profile.protection if PHASES.index(u.from_phase) <= rank]
    return _Draft(
        regie=regie, conversations=cell.conversations, partners=partners,
        protection=protection + list(cell.protection),
        professional=list(profile.professional_help), low=list(profile.low_threshold),
        contacts=list(profile.contacts),
        focus=pick(cell.focus, cell.variants, "focus", facts, conclusions),
        next_step=pick(cell.next_step, cell.variants, "next_step", facts, conclusions),
        sources=sources,
        core=pick(profile.core, profile.variants, "core", facts, conclusions),
        talk=pick(profile.talk, profile.variants, "talk", facts, conclusions),
        notes={u.measure: u.note for u in profile.protection if u.note},
    )


def _from_fallback(kb: Knowledge, facts: Facts, conclusions: Mapping[str, str],
                   phase: str) -> _Draft:
    fb = kb.fallback[phase]
    return _Draft(
        regie=fb.regie, conversations=fb.conversations, partners=list(fb.partners),
        protection=list(fb.protection), professional=[], low=[], contacts=[],
        focus=pick(fb.focus, fb.variants, "focus", facts, conclusions),
        next_step=pick(fb.next_step, fb.variants, "next_step", facts, conclusions),
        sources=[fb.source],
    )


def _from_routes(kb: Knowledge, routes: Sequence[OutOfScope]) -> _Draft:
    """A route that replaces: its own regie, partners, measures, help and contacts."""
    first = routes[0]
    assert kb.safety is not None and first.regie is not None and first.next_step is not None
    return _Draft(
        regie=first.regie, conversations="separate_only",
        partners=[p for r in routes for p in r.partners],
        protection=[m for r in routes for m in r.protection],
        professional=[o for r in routes for o in r.professional_help],
        low=[o for r in routes for o in r.low_threshold],
        contacts=[c for r in routes for c in r.contacts],
        focus=kb.safety.replaced_note, next_step=first.next_step,
        sources=[r.source for r in routes],
    )


def _filtered(kb: Knowledge, facts: Facts, d: _Draft, active: Sequence[str],
              applied: Sequence[Rule], replaced: bool, call_112: bool,
              routes: tuple[str, ...]) -> Arrangement:
    assert kb.safety is not None
    removed = {i for r in applied for part in (r.remove.partners, r.remove.protection,
                                               r.remove.professional_help,
                                               r.remove.low_threshold, r.remove.contacts)
               for i in part}
    no_children = facts.state("children_present") == "no"
    minor = facts.state("perpetrator_is_minor") == "yes"
    partners = [p for p in d.partners if p not in removed
                and not (no_children and kb.partners[p].youth)]
    protection = [m for m in d.protection if m not in removed
                  and not (no_children and kb.measures[m].needs_children)
                  and not (minor and kb.measures[m].adults_only)
                  and not unsafe(kb.measures[m], active)]
    offers = {"professional": d.professional, "low": d.low}
    kept = {k: [o for o in ids if o not in removed
                and not (no_children and kb.offers[o].needs_children)
                and not unsafe(kb.offers[o], active)] for k, ids in offers.items()}
    contacts = [c for c in d.contacts if c not in removed]
    head = ["112", "veilig_thuis"] if call_112 else ["veilig_thuis"]
    contacts = [*head, *(c for c in contacts if c != "112" or call_112)]
    notes: list[tuple[str, str]] = []
    for mid in _unique(protection):
        override_note = kb.measures[mid].override_note
        note = override_note if active and override_note else d.notes.get(mid)
        if note:
            notes.append((mid, note))
    override = bool(active)
    separate = override or replaced
    rule_notes = tuple(
        RuleNote(r.id, r.separate_note if separate and r.assumes_joint and r.separate_note
                 else r.note, r.source, r.show_in) for r in applied)
    talk_cards = kb.safety.separate_talk_cards if override or replaced else kb.safety.talk_cards
    return Arrangement(
        regie=d.regie, conversations=d.conversations, partners=_unique(partners),
        protection=_unique(protection), professional_help=_unique(kept["professional"]),
        low_threshold=_unique(kept["low"]), contacts=_unique(contacts), focus=d.focus,
        next_step=d.next_step, sources=_unique(d.sources), core=d.core, talk=d.talk,
        talk_cards=talk_cards, measure_notes=tuple(notes), rule_notes=rule_notes,
        replaced_by=routes, joint_work_possible=not (override or replaced),
    )


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
