"""The one safety override: its triggers, and what it takes off the card.

Computed once per assessment from knowledge/safety.yaml; everything downstream (the
arrangement, the result card, the handout) reads the Assessment only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from bot.assess.relevance import Facts
from bot.kb.models import Knowledge

OVERRIDE = "override"


class Declared(Protocol):
    @property
    def unsafe_with(self) -> tuple[str, ...]: ...


def triggers(kb: Knowledge, facts: Facts, conclusions: Mapping[str, str]) -> tuple[str, ...]:
    """The ids of the safety triggers that hold (empty: no override)."""
    assert kb.safety is not None, "knowledge/safety.yaml is required"
    return tuple(t.id for t in kb.safety.triggers
                 if any(facts.holds(w, conclusions) for w in t.when))


def unsafe(item: Declared, active: Sequence[str]) -> bool:
    """Whether an offer or measure must be left out with these triggers."""
    if not active:
        return False
    return OVERRIDE in item.unsafe_with or bool(set(item.unsafe_with) & set(active))
