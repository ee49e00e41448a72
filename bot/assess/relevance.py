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
