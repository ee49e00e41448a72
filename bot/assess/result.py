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
class Arrangement:
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
    unknowns: tuple[str, ...]  # relevant indicators not yet answered
    meldcode: MeldcodeVerdict | None = None  # the afwegingskader from the answers alone

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
            "arrangement": {
                "regie": a.regie,
                "conversations": a.conversations,
                "partners": list(a.partners),
                "protection": list(a.protection),
                "professional_help": list(a.professional_help),
                "low_threshold": list(a.low_threshold),
                "contacts": list(a.contacts),
                "sources": list(a.sources),
            },
            "notes": list(self.notes),
            "unknowns": list(self.unknowns),
            "meldcode": self.meldcode.to_json() if self.meldcode is not None else None,
            "disclaimer": "decision support, not a decision: a handhold, not a protocol",
        }
