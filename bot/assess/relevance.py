"""Which questions matter, from knowledge/indicators.yaml (`relevant_when`).

The one definition of relevance, used by the assessment ("still unknown") and by the
dialog (which questions it asks), so that `python -m bot assess` and a consultation
agree. An indicator's state is its yes/no answer; without one it is "unknown" when
the question is relevant and "no" when it is not: a follow-up question never becomes
relevant through a question that was never asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.kb.models import Condition, Indicator

ANSWERED = ("yes", "no")


class Facts:
    """The states of all indicators for one set of answers (computed lazily, cached)."""

    __slots__ = ("_answers", "_indicators", "_relevant")

    def __init__(self, indicators: Mapping[str, Indicator], answers: Mapping[str, Any]) -> None:
        self._indicators = indicators
        self._answers = answers
        self._relevant: dict[str, bool] = {}

    def relevant(self, indicator: str) -> bool:
        known = self._relevant.get(indicator)
        if known is None:
            conditions = self._indicators[indicator].relevant_when
            known = not conditions or any(self.holds(c) for c in conditions)
            self._relevant[indicator] = known
        return known

    def state(self, indicator: str) -> str:
        answer = self._answers.get(indicator)
        if answer in ANSWERED:
            return str(answer)
        return "unknown" if self.relevant(indicator) else "no"

    def holds(self, condition: Condition, conclusions: Mapping[str, str] | None = None) -> bool:
        """All keys match; `conclusions` supplies keys that are not indicators."""
        for key, allowed in condition.items():
            given = conclusions is not None and key in conclusions
            value = conclusions[key] if given and conclusions else self.state(key)
            if value not in allowed:
                return False
        return True

    def unknown(self) -> list[str]:
        """Relevant indicators without a yes/no answer, in vocabulary order."""
        return [i for i in self._indicators if self.state(i) == "unknown"]


class Dependencies:
    """Which answers an indicator's state or relevance depends on (transitively).

    A question about relevance has the same outcome for every set of answers that agree
    on these indicators, so the dialog can keep each outcome per those answers instead of
    computing it again at every tap (knowledge/ checks that relevance has no cycles).
    """

    __slots__ = ("_indicators", "_relevance")

    def __init__(self, indicators: Mapping[str, Indicator]) -> None:
        self._indicators = indicators
        self._relevance: dict[str, frozenset[str]] = {}

    def of_relevance(self, indicator: str) -> frozenset[str]:
        known = self._relevance.get(indicator)
        if known is None:
            keys: set[str] = set()
            for condition in self._indicators[indicator].relevant_when:
                for key in condition:
                    keys |= self.of_state(key)
            known = self._relevance[indicator] = frozenset(keys)
        return known

    def of_state(self, indicator: str) -> frozenset[str]:
        if indicator not in self._indicators:
            return frozenset({indicator})
        return frozenset({indicator}) | self.of_relevance(indicator)

    def of_condition(self, condition: Condition) -> frozenset[str]:
        keys: frozenset[str] = frozenset()
        for key in condition:
            keys |= self.of_state(key)
        return keys


def signature(answers: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[str | None, ...]:
    """What of `answers` a state depends on: yes/no per key (anything else reads as unknown)."""
    return tuple(v if (v := answers.get(k)) in ANSWERED else None for k in keys)
