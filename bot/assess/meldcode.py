"""The meldcode's afwegingskader as a pure function.

Screening answers, and the weighing answers a professional gave, go in; the path through
the five weighing questions comes out: which answers the screening already decides (shown
as filled in, never asked again), which question waits for the professional, the outcome
once there is one, and the screening answers that weigh on each question without deciding
it. What decides and what weighs are properties of the content (knowledge/meldcode.yaml),
applied here by one mechanism; this module names no indicator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.assess.answers import SAFETY_SCORE, Answer, Answers
from bot.kb.models import Knowledge, Signals, WeighingQuestion


@dataclass(frozen=True)
class Step:
    """One weighing question on the path, with its answer."""

    question: str
    answer: Answer
    note: str | None = None  # the pre-fill's note (a msgid) when the screening decided it
    basis: tuple[str, ...] = ()  # the screening answers that decided it

    @property
    def prefilled(self) -> bool:
        return self.note is not None


@dataclass(frozen=True)
class Raised:
    """Screening answers that weigh on a question: a concern shown with it."""

    question: str
    note: str  # a msgid
    basis: tuple[str, ...]


@dataclass(frozen=True)
class Weighing:
    steps: tuple[Step, ...]  # the questions answered so far, in order
    pending: str | None  # the question that waits for the professional
    outcome: str | None  # the outcome id, once the path reaches one
    concerns: tuple[Raised, ...]  # for every question, in question order

    def raised(self, question: str) -> tuple[Raised, ...]:
        return tuple(c for c in self.concerns if c.question == question)

    def answer(self, question: str) -> Step | None:
        return next((s for s in self.steps if s.question == question), None)


@dataclass(frozen=True)
class MeldcodeVerdict:
    """What `python -m bot assess` says about the meldcode from the answers alone."""

    report_required: bool | None
    reason: str
    outcome: str | None
    pending: str | None
    prefilled: tuple[tuple[str, Answer], ...]
    concerns: tuple[tuple[str, tuple[str, ...]], ...]

    def to_json(self) -> dict[str, Any]:
        return {"report_required": self.report_required, "reason": self.reason,
                "outcome": self.outcome, "pending": self.pending,
                "prefilled": dict(self.prefilled),
                "concerns": {q: list(basis) for q, basis in self.concerns}}


def matching(when: Signals, answers: Answers, kb: Knowledge) -> tuple[str, ...]:
    """The screening answers that make `when` hold; empty when it does not hold."""
    hits = [i for i in when.any_yes if answers.is_yes(i)]
    if when.red_flags:
        hits += [f for f in kb.red_flags if answers.is_yes(f)]
    score = answers.safety_score
    if when.safety_below is not None and score is not None and score < when.safety_below:
        hits.append(SAFETY_SCORE)
    return tuple(dict.fromkeys(hits))


def prefilled(q: WeighingQuestion, answers: Answers, kb: Knowledge) -> Step | None:
    """The question's answer when the screening already decides it (first rule wins)."""
    for rule in q.prefill:
        basis = matching(rule.when, answers, kb)
        if basis:
            return Step(q.id, rule.answer, rule.note, basis)
    return None


def weigh(answers: Answers, kb: Knowledge, given: Mapping[str, Answer] | None = None) -> Weighing:
    """Walk the questions in order. A pre-filled answer counts over a given one: what the
    screening decides (acute danger above all) cannot be answered away here."""
    given = given or {}
    concerns = tuple(Raised(q.id, c.note, basis) for q in kb.weighing.values()
                     for c in q.concerns if (basis := matching(c.when, answers, kb)))
    steps: list[Step] = []
    current = kb.afwegingskader.first if kb.afwegingskader is not None else None
    while current is not None and current in kb.weighing:
        q = kb.weighing[current]
        step = prefilled(q, answers, kb)
        if step is None:
            answer = given.get(q.id)
            if answer is None:
                return Weighing(tuple(steps), q.id, None, concerns)
            step = Step(q.id, answer)
        steps.append(step)
        current = q.on[step.answer]  # the loader checks that every target lies ahead
    return Weighing(tuple(steps), None, current, concerns)


def verdict(w: Weighing, kb: Knowledge) -> MeldcodeVerdict:
    """Whether a report to Veilig Thuis is required, and why, in the contract's words."""
    path = "; ".join(_describe(s, kb) for s in w.steps)
    if w.outcome is not None:
        outcome = kb.weighing_outcomes[w.outcome]
        required = outcome.report
        consequence = {True: "a report to Veilig Thuis is required",
                       False: "no report to Veilig Thuis is required now",
                       None: "consult Veilig Thuis before deciding"}[required]
        reason = f"{path}: the afwegingskader leads to {outcome.id!r}, so {consequence}"
    elif w.pending is not None:
        required = None
        q = kb.weighing[w.pending]
        reason = (f"question {q.number} ({q.id}) needs the professional's own judgement; "
                  "the answers alone do not decide whether a report is required")
        weighing_here = [i for c in w.raised(q.id) for i in c.basis]
        if weighing_here:
            reason += f" (answers that weigh there: {', '.join(dict.fromkeys(weighing_here))})"
        reason = f"{path}; {reason}" if path else reason
    else:
        required, reason = None, "the knowledge base holds no afwegingskader"
    return MeldcodeVerdict(
        report_required=required, reason=reason, outcome=w.outcome, pending=w.pending,
        prefilled=tuple((s.question, s.answer) for s in w.steps if s.prefilled),
        concerns=tuple((q, tuple(dict.fromkeys(i for c in w.raised(q) for i in c.basis)))
                       for q in dict.fromkeys(c.question for c in w.concerns)),
    )


def _describe(step: Step, kb: Knowledge) -> str:
    q = kb.weighing[step.question]
    how = f"pre-filled from {', '.join(step.basis)}" if step.prefilled else "answered"
    return f"question {q.number} ({q.id}) {step.answer}, {how}"
