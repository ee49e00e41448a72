"""Validated screening answers: indicator id -> yes | no | unknown, plus a safety score."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Answer = Literal["yes", "no", "unknown"]
SAFETY_SCORE = "safety_score"
_WORDS: dict[Any, Answer] = {"yes": "yes", "no": "no", "unknown": "unknown",
                             True: "yes", False: "no", None: "unknown"}


class AnswerError(ValueError):
    """Input that cannot be assessed; names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"field {field!r}: {message}")


@dataclass(frozen=True)
class Answers:
    values: Mapping[str, Answer] = field(default_factory=dict)
    safety_score: int | None = None

    def get(self, indicator: str) -> Answer:
        return self.values.get(indicator, "unknown")

    def is_yes(self, indicator: str) -> bool:
        return self.values.get(indicator) == "yes"


def parse_answers(raw: Any, indicators: Collection[str]) -> Answers:
    """Check raw answers (from YAML/JSON) against the vocabulary; raise AnswerError."""
    if isinstance(raw, Mapping) and set(raw) == {"answers"} and isinstance(raw["answers"], Mapping):
        raw = raw["answers"]
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise AnswerError("(top)", "answers must be a mapping of indicator ids to yes/no/unknown")
    values: dict[str, Answer] = {}
    score: int | None = None
    for key, value in raw.items():
        name = str(key)
        if name == SAFETY_SCORE:
            score = _score(value)
            continue
        if name not in indicators:
            raise AnswerError(name, "unknown indicator id (see knowledge/indicators.yaml)")
        values[name] = answer_word(name, value)
    return Answers(values, score)


def answer_word(name: str, value: Any) -> Answer:
    """yes / no / unknown from what an answers file may say (true/false, any case)."""
    normal = value.strip().lower() if isinstance(value, str) else value
    answer = None if isinstance(normal, (int, float)) and not isinstance(normal, bool) \
        else _WORDS.get(normal)
    if answer is None:
        raise AnswerError(name, f"expected yes, no or unknown; got {value!r}")
    return answer


def _score(value: Any) -> int | None:
    if value is None or value == "unknown":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnswerError(SAFETY_SCORE, f"expected a whole number 0-10; got {value!r}")
    if not 0 <= value <= 10:
        raise AnswerError(SAFETY_SCORE, f"must be between 0 and 10; got {value}")
    return value
