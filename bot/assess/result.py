"""The assessment's result, and its JSON form (the contract of `python -m bot assess`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.assess.meldcode import MeldcodeVerdict


@dataclass(frozen=True)
class ProfileScore:
    id: str
    score: float
    label: str
    signals: tuple[str, ...]  # indicators answered yes that count for this profile


@dataclass(frozen=True)
class RuleNote:
    """A rule's remark as chosen for this case, and the result sections that show it."""

    id: str
    text: str
    source: str
    sections: tuple[str, ...]


@dataclass(frozen=True)
class Arrangement:
    """The arrangement with its texts already chosen (override, situation, route), so
    that whoever renders it needs no knowledge of the safety rules."""

    regie: str
    conversations: str
    partners: tuple[str, ...]
    protection: tuple[str, ...]
    professional_help: tuple[str, ...]
    low_threshold: tuple[str, ...]
    contacts: tuple[str, ...]
    focus: str
    next_step: str
    sources: tuple[str, ...]
    core: str | None = None  # the profile's core in one line (None: no profile applies)
    talk: str | None = None  # how to talk with this family
    talk_cards: tuple[str, ...] = ()  # knowledge cards for the talk section
    measure_notes: tuple[tuple[str, str], ...] = ()  # (measure id, remark) pairs
    rule_notes: tuple[RuleNote, ...] = ()
    replaced_by: tuple[str, ...] = ()  # out-of-scope routes that replace the profile's
    # False when the override holds or a route replaces the arrangement: then no text
    # may assume joint work (the card, its sections and the handout).
    joint_work_possible: bool = True

    def measure_note(self, measure: str) -> str | None:
        return next((note for mid, note in self.measure_notes if mid == measure), None)

    def notes_for(self, section: str) -> tuple[RuleNote, ...]:
        return tuple(n for n in self.rule_notes if section in n.sections)


@dataclass(frozen=True)
class Assessment:
    phase: str
    phase_reasons: tuple[str, ...]
    call_112: bool
    profiles: tuple[ProfileScore, ...]
    primary: str | None
    overlap: tuple[str, ...]
    coercive_control: bool
    red_flags: tuple[str, ...]
    out_of_scope: tuple[str, ...]
    arrangement: Arrangement
    notes: tuple[str, ...]  # ids of the rules that applied
    unknowns: tuple[str, ...]  # relevant indicators without a yes/no answer
    safety: tuple[str, ...] = ()  # the safety triggers that hold (any: the override)
    meldcode: MeldcodeVerdict | None = None  # the afwegingskader from the answers alone

    @property
    def override(self) -> bool:
        """Separate only, no joint-format help (knowledge/safety.yaml)."""
        return bool(self.safety)

    def to_json(self) -> dict[str, Any]:
        a = self.arrangement
        return {
            "phase": self.phase,
            "phase_reasons": list(self.phase_reasons),
            "call_112": self.call_112,
            "profiles": [{"id": p.id, "score": p.score, "label": p.label,
                          "signals": list(p.signals)} for p in self.profiles],
            "primary": self.primary,
            "overlap": list(self.overlap),
            "coercive_control": self.coercive_control,
            "red_flags": list(self.red_flags),
            "out_of_scope": list(self.out_of_scope),
            "safety": list(self.safety),
            "arrangement": {
                "regie": a.regie,
                "conversations": a.conversations,
                "partners": list(a.partners),
                "protection": list(a.protection),
                "professional_help": list(a.professional_help),
                "low_threshold": list(a.low_threshold),
                "contacts": list(a.contacts),
                "replaced_by": list(a.replaced_by),
                "sources": list(a.sources),
            },
            "notes": list(self.notes),
            "unknowns": list(self.unknowns),
            "meldcode": self.meldcode.to_json() if self.meldcode is not None else None,
            "disclaimer": "decision support, not a decision: a handhold, not a protocol",
        }
