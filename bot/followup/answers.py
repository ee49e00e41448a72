"""The follow-up answers of an answers file (`followup:`), checked like the screening answers.

    followup:
      months: 4            # since the arrangement started, 0-12 (12 means 12 or more)
      direct_safety: no    # yes | no | unknown (true / false accepted)
      stable_safety: unknown
      new_incident: no
      new_report: yes
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.assess import AnswerError
from bot.assess.answers import answer_word
from bot.assess.code import MONTHS_MAX, followup_fields
from bot.kb.models import Knowledge


def split_followup(raw: Any) -> tuple[Any, Any]:
    """(the screening answers, the `followup` section or None) of a parsed answers file."""
    if isinstance(raw, Mapping) and "followup" in raw:
        return {k: v for k, v in raw.items() if k != "followup"}, raw["followup"]
    return raw, None


def parse_followup(raw: Any, kb: Knowledge) -> dict[str, str | int]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise AnswerError("followup", "must be a mapping of follow-up answers")
    known = followup_fields(kb)
    months = {q.id for q in kb.followup.questions if q.kind == "months"} if kb.followup else set()
    out: dict[str, str | int] = {}
    for key, value in raw.items():
        name = f"followup.{key}"
        if key not in known:
            raise AnswerError(name, f"unknown follow-up answer (one of: {', '.join(known)})")
        if key in months:
            if value is None or value == "unknown":
                continue  # no months: the terms cannot be applied
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise AnswerError(name, f"expected whole months 0-{MONTHS_MAX}; got {value!r}")
            out[key] = min(value, MONTHS_MAX)  # the code holds "12 or more" as 12
            continue
        out[key] = answer_word(name, value)
    return out
