"""The follow-up's reasoning: where the arrangement stands against the report's terms, and
what changed since the earlier answers. Pure functions of answers and knowledge.

Rapport §2.1.2: direct safety within `direct_months` of the start, then stable safety within
`stable_months` after that; otherwise extra expertise or interventions (knowledge/
followup.yaml, `escalations`). We count both terms from the start of the arrangement, so
stable safety is due `direct_months + stable_months` after it ("in de zes maanden daarna").
Safety first: an answer of don't know counts as not reached, and so does a safety score
below `min_safe_score` (structural unsafety, rapport §6.4.2 tabel) whatever the answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from bot.assess import Answers, Assessment
from bot.assess.answers import Answer
from bot.assess.meldcode import verdict, weigh
from bot.kb.models import PHASES, FollowupStatusId, Knowledge

Direction = Literal["up", "down", "same"]


@dataclass(frozen=True)
class Outcome:
    status: FollowupStatusId  # its text: knowledge/followup.yaml
    escalate: bool | None  # None: the start is unknown, so the terms cannot be applied
    months: int | None
    months_left: int | None  # to the term that now runs
    escalations: tuple[str, ...]  # the routes that apply (shown when escalating)
    decided_by: str  # the arrangement's regie: who sets an escalation in motion
    direct_reached: bool
    # The afwegingskader's last question ("does the help lead to safety in time?"; which
    # question it is, is data: `followup.weighing`), answered by the follow-up: "no" when
    # a term passed without safety, "yes" when safety is stable, None while a term runs.
    help_in_time: Literal["yes", "no"] | None

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "escalate": self.escalate, "months": self.months,
                "months_left": self.months_left, "escalations": list(self.escalations),
                "decided_by": self.decided_by, "direct_safety_reached": self.direct_reached,
                "help_in_time": self.help_in_time}


def evaluate(follow: Mapping[str, Any], answers: Answers, a: Assessment, kb: Knowledge) -> Outcome:
    rule = kb.followup
    assert rule is not None, "knowledge/followup.yaml is required for the follow-up"
    months = follow.get("months")
    months = months if isinstance(months, int) and not isinstance(months, bool) else None
    score_ok = answers.safety_score is None or answers.safety_score >= rule.min_safe_score
    direct = follow.get("direct_safety") == "yes" and score_ok and not a.call_112
    stable = direct and follow.get("stable_safety") == "yes"
    due_stable = rule.direct_months + rule.stable_months
    left: int | None = None
    status: FollowupStatusId
    escalate: bool | None
    if a.call_112:
        status, escalate = "act_now", True
    elif stable:
        status, escalate = "stable", False
    elif months is None:
        status, escalate = "time_unknown", None
    elif not direct:
        escalate = months >= rule.direct_months
        status = "escalate_direct" if escalate else "within_direct"
        left = None if escalate else rule.direct_months - months
    else:
        escalate = months >= due_stable
        status = "escalate_stable" if escalate else "within_stable"
        left = None if escalate else due_stable - months
    no_children = answers.get("children_present") == "no"
    routes = tuple(e.id for e in kb.escalations.values() if not (e.needs_children and no_children))
    in_time: Literal["yes", "no"] | None = "no" if escalate else ("yes" if stable else None)
    return Outcome(status, escalate, months, left, routes if escalate is not False else (),
                   a.arrangement.regie, direct, in_time)


def weighing_given(o: Outcome, kb: Knowledge) -> dict[str, Answer]:
    """The follow-up's answer to the afwegingskader question it answers, if it has one."""
    question = kb.followup.weighing if kb.followup is not None else None
    if question is None or o.help_in_time is None:
        return {}
    return {question: o.help_in_time}


def apply_to_assessment(out: dict[str, Any], o: Outcome, answers: Answers,
                        kb: Knowledge) -> dict[str, Any]:
    """The assessment JSON with the follow-up added. Its answer to the afwegingskader's
    last question goes into the meldcode verdict (`meldcode`), which the walk reaches when
    the earlier questions are decided; otherwise the verdict still waits where it did."""
    given = weighing_given(o, kb)
    out = {**out, "followup": {**o.to_json(), "afwegingskader": given}}
    if given and kb.weighing:
        updated = verdict(weigh(answers, kb, given), kb).to_json()
        out["followup"]["meldcode"] = updated
        out["meldcode"] = updated
    return out


# --- what changed since the earlier answers -------------------------------------------------
@dataclass(frozen=True)
class Change:
    phase: tuple[str, str]
    phase_direction: Direction
    primary: tuple[str | None, str | None]
    new_red_flags: tuple[str, ...]
    gone_red_flags: tuple[str, ...]
    safety_score: tuple[int | None, int | None]
    regie: tuple[str, str]
    earlier_followup: Mapping[str, Any]  # the follow-up answers of the code, if any

    @property
    def profile_shift(self) -> bool:
        return self.primary[0] != self.primary[1]


def compare(before: Assessment, before_answers: Answers, after: Assessment,
            after_answers: Answers, earlier_followup: Mapping[str, Any]) -> Change:
    rank = [str(p) for p in PHASES]
    step = rank.index(after.phase) - rank.index(before.phase)
    direction: Direction = "up" if step > 0 else "down" if step < 0 else "same"
    return Change(
        phase=(before.phase, after.phase), phase_direction=direction,
        primary=(before.primary, after.primary),
        new_red_flags=tuple(f for f in after.red_flags if f not in before.red_flags),
        gone_red_flags=tuple(f for f in before.red_flags if f not in after.red_flags),
        safety_score=(before_answers.safety_score, after_answers.safety_score),
        regie=(before.arrangement.regie, after.arrangement.regie),
        earlier_followup=dict(earlier_followup),
    )
