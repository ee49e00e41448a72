"""assess(): a pure function from answers and knowledge to an Assessment.

Order of reasoning follows the report: first the phase (safety first, §6.4.1),
then which profile is in the foreground (§6.4.2), the coercive-control check
that applies in every profile (§5.7; §6.5, recommendation 5), the one safety
override (knowledge/safety.yaml), then the arrangement from the table cell (or a
replacing out-of-scope route), adjusted by the rules in knowledge/rules.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.assess import arrangement, safety
from bot.assess.answers import Answers
from bot.assess.relevance import Facts
from bot.assess.result import Assessment, ProfileScore
from bot.kb.models import Knowledge, Rule

PHASE_INDICATORS = ("acute_danger", "serious_incident", "repeat_reports", "children_present")


def assess(answers: Answers, kb: Knowledge) -> Assessment:
    facts = Facts(kb.indicators, answers.values)
    red_flags = tuple(f for f in kb.red_flags if answers.is_yes(f))
    phase, reasons = _phase(answers, kb, red_flags)
    coercive = _coercive(answers, kb)
    ranked = _rank(answers, kb, coercive)
    primary, overlap = _primary(ranked, kb)
    out_of_scope = tuple(i for i in kb.out_of_scope if answers.is_yes(i))
    conclusions = {"phase": phase, "primary": primary or "none",
                   "coercive": "yes" if coercive else "no"}
    active = safety.triggers(kb, facts, conclusions)
    conclusions["override"] = "yes" if active else "no"
    applied = tuple(r for r in kb.rules if _matches(r, facts, conclusions))
    call_112 = answers.is_yes("acute_danger")
    arranged = arrangement.build(kb, facts, conclusions, primary, out_of_scope, active, applied,
                                 call_112)
    return Assessment(
        phase=phase, phase_reasons=reasons, call_112=call_112,
        profiles=ranked, primary=primary, overlap=overlap, coercive_control=coercive,
        red_flags=red_flags, out_of_scope=out_of_scope, arrangement=arranged,
        notes=tuple(r.id for r in applied), unknowns=_unknowns(facts, kb, ranked, coercive),
        safety=active,
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


def _matches(rule: Rule, facts: Facts, conclusions: Mapping[str, str]) -> bool:
    return facts.holds(rule.when, conclusions)


def _unknowns(facts: Facts, kb: Knowledge, ranked: tuple[ProfileScore, ...],
              coercive: bool) -> tuple[str, ...]:
    """Relevant questions without a yes/no answer, those that weigh most first.

    When the signs already show the coercive pattern, its direct question counts as
    answered (the pattern is there either way).
    """
    weighted: dict[str, int] = {i: 9 for i in PHASE_INDICATORS}
    for i in kb.scoring.coercive_pattern.direct:
        weighted[i] = 8
    for i in kb.red_flags:
        weighted.setdefault(i, 7)
    for p in ranked[:2]:
        for s in kb.scoring.signals[p.id]:
            for i in s.any:
                weighted[i] = max(weighted.get(i, 0), s.weight)
    settled = set(kb.scoring.coercive_pattern.direct) if coercive else set()
    missing = [i for i in facts.unknown() if i not in settled]
    return tuple(sorted(missing, key=lambda i: -weighted.get(i, 0)))
