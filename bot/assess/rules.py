"""assess(): a pure function from answers and knowledge to an Assessment.

Order of reasoning follows the report: first the phase (safety first, §6.4.1),
then which profile is in the foreground (§6.4.2), the coercive-control check
that applies in every profile (§4.2.3), then the arrangement from the table
cell, adjusted by the rules in knowledge/rules.yaml.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.assess.answers import Answers
from bot.assess.result import Arrangement, Assessment, ProfileScore
from bot.kb.models import PHASES, Knowledge, Profile, Rule

OUT_OF_SCOPE = ("honour_related", "loverboy", "elder_abuse")
PHASE_INDICATORS = ("acute_danger", "serious_incident", "repeat_reports", "children_present")


def assess(answers: Answers, kb: Knowledge) -> Assessment:
    red_flags = tuple(f for f in kb.red_flags if answers.is_yes(f))
    phase, reasons = _phase(answers, kb, red_flags)
    coercive = _coercive(answers, kb)
    ranked = _rank(answers, kb, coercive)
    primary, overlap = _primary(ranked, kb)
    out_of_scope = tuple(i for i in OUT_OF_SCOPE if answers.is_yes(i))
    applied = tuple(r for r in kb.rules if _matches(r, answers, phase, primary, coercive))
    arrangement = _arrangement(answers, kb, phase, primary, coercive, out_of_scope, applied)
    return Assessment(
        phase=phase, phase_reasons=reasons, call_112=answers.is_yes("acute_danger"),
        profiles=ranked, primary=primary, overlap=overlap, coercive_control=coercive,
        red_flags=red_flags, out_of_scope=out_of_scope, arrangement=arrangement,
        notes=tuple(r.id for r in applied), unknowns=_unknowns(answers, kb, ranked),
    )


def _phase(answers: Answers, kb: Knowledge, red_flags: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    acute: list[str] = []
    if answers.is_yes("acute_danger"):
        acute.append("acute_danger")
    if answers.safety_score is not None and answers.safety_score < 6:
        acute.append("safety_score_below_6")
    if acute:
        return "acute", tuple(acute)
    multiple = [f"red_flag:{f}" for f in red_flags if kb.red_flags[f].raises_phase]
    for indicator in ("serious_incident", "repeat_reports"):
        if answers.is_yes(indicator):
            multiple.insert(0, indicator)
    if multiple:
        return "multiple_signals", tuple(multiple)
    return "first_signal", ()


def _coercive(answers: Answers, kb: Knowledge) -> bool:
    pattern = kb.scoring.coercive_pattern
    if any(answers.is_yes(i) for i in pattern.direct):
        return True
    return sum(answers.is_yes(i) for i in pattern.supporting) >= pattern.supporting_min


def _rank(answers: Answers, kb: Knowledge, coercive: bool) -> tuple[ProfileScore, ...]:
    order = list(kb.profiles)
    scores: list[ProfileScore] = []
    for pid in order:
        signals = kb.scoring.signals[pid]
        total = sum(s.weight for s in signals)
        present = [s for s in signals if any(answers.is_yes(i) for i in s.any)]
        value = round(sum(s.weight for s in present) / total, 3) if total else 0.0
        hits = tuple(dict.fromkeys(i for s in present for i in s.any if answers.is_yes(i)))
        scores.append(ProfileScore(pid, value, kb.profiles[pid].title, hits))
    ranked = sorted(scores, key=lambda p: (-p.score, order.index(p.id)))
    if coercive:
        ranked = _intimate_terror_in_top_two(ranked)
    return tuple(ranked)


def _intimate_terror_in_top_two(ranked: list[ProfileScore]) -> list[ProfileScore]:
    """With coercive control, intimate terror is at least the runner-up (§4.2.3)."""
    position = next(i for i, p in enumerate(ranked) if p.id == "intimate_terror")
    if position <= 1:
        return ranked
    it = ranked.pop(position)
    lifted = ProfileScore(it.id, max(it.score, ranked[1].score), it.label, it.signals)
    ranked.insert(1, lifted)
    return ranked


def _primary(ranked: tuple[ProfileScore, ...], kb: Knowledge) -> tuple[str | None, tuple[str, ...]]:
    top = ranked[0]
    cfg = kb.scoring
    if top.score < cfg.min_score or _signal_count(top, kb) < cfg.min_signals:
        return None, ()
    floor = max(cfg.min_score, top.score * cfg.overlap_ratio)
    overlap = tuple(p.id for p in ranked[1:] if p.score >= floor)
    return top.id, overlap


def _signal_count(score: ProfileScore, kb: Knowledge) -> int:
    return sum(1 for s in kb.scoring.signals[score.id] if set(s.any) & set(score.signals))


def _matches(rule: Rule, answers: Answers, phase: str, primary: str | None, coercive: bool) -> bool:
    for key, allowed in rule.when.items():
        if key == "phase":
            value = phase
        elif key == "primary":
            value = primary or "none"
        elif key == "coercive":
            value = "yes" if coercive else "no"
        else:
            value = answers.get(key)
        if value not in allowed:
            return False
    return True


def _arrangement(answers: Answers, kb: Knowledge, phase: str, primary: str | None,
                 coercive: bool, out_of_scope: tuple[str, ...],
                 applied: tuple[Rule, ...]) -> Arrangement:
    profile: Profile | None = kb.profiles[primary] if primary else None
    sources: list[str] = []
    if profile is not None:
        cell = kb.matrix[(profile.id, phase)]
        regie = cell.regie
        if cell.regie_when_serious and any(answers.is_yes(i)
                                           for i in kb.scoring.serious_regie_trigger):
            regie = cell.regie_when_serious
        conversations, partners = cell.conversations, list(cell.partners)
        rank = [str(p) for p in PHASES].index(phase)
        protection = [u.measure for u in profile.protection if PHASES.index(u.from_phase) <= rank]
        protection += cell.protection
        professional = list(profile.professional_help)
        low = list(profile.low_threshold)
        contacts = list(profile.contacts)
        focus, next_step = cell.focus, cell.next_step
        sources += [cell.source, profile.source]
    else:
        fb = kb.fallback[phase]
        regie, conversations, partners = fb.regie, fb.conversations, list(fb.partners)
        protection, professional, low, contacts = list(fb.protection), [], [], []
        focus, next_step = fb.focus, fb.next_step
        sources.append(fb.source)
    if coercive:
        conversations = "separate_only"
    for oos in out_of_scope:
        route = kb.out_of_scope[oos]
        partners += route.partners
        contacts += route.contacts
        sources.append(route.source)
    for rule in applied:
        partners += rule.add.partners
        protection += rule.add.protection
        professional += rule.add.professional_help
        low += rule.add.low_threshold
        contacts += rule.add.contacts
    removed = {i for r in applied for part in (r.remove.partners, r.remove.protection,
                                               r.remove.professional_help,
                                               r.remove.low_threshold, r.remove.contacts)
               for i in part}
    no_children = answers.get("children_present") == "no"
    minor = answers.is_yes("perpetrator_is_minor")
    partners = [p for p in partners if p not in removed
                and not (no_children and kb.partners[p].youth)]
    protection = [m for m in protection if m not in removed
                  and not (no_children and kb.measures[m].needs_children)
                  and not (minor and kb.measures[m].adults_only)]
    professional = [o for o in professional if o not in removed
                    and not (no_children and kb.offers[o].needs_children)]
    low = [o for o in low if o not in removed and not (no_children and kb.offers[o].needs_children)]
    contacts = [c for c in contacts if c not in removed]
    head = ["112", "veilig_thuis"] if answers.is_yes("acute_danger") else ["veilig_thuis"]
    contacts = [*head, *(c for c in contacts if c != "112" or answers.is_yes("acute_danger"))]
    return Arrangement(
        regie=regie, conversations=conversations, partners=_unique(partners),
        protection=_unique(protection), professional_help=_unique(professional),
        low_threshold=_unique(low), contacts=_unique(contacts), focus=focus,
        next_step=next_step, sources=_unique(sources),
    )


def _unknowns(answers: Answers, kb: Knowledge, ranked: tuple[ProfileScore, ...]) -> tuple[str, ...]:
    """Unanswered indicators that would most change this result, heaviest first."""
    weighted: dict[str, int] = {i: 9 for i in PHASE_INDICATORS}
    for i in kb.scoring.coercive_pattern.direct:
        weighted[i] = 8
    for p in ranked[:2]:
        for s in kb.scoring.signals[p.id]:
            for i in s.any:
                weighted[i] = max(weighted.get(i, 0), s.weight)
    missing = [i for i in weighted if answers.get(i) == "unknown"]
    return tuple(sorted(missing, key=lambda i: -weighted[i]))


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
