"""The assessment: answers in, profile ranking and protection arrangement out."""

from dataclasses import replace

from bot.assess import rules
from bot.assess.answers import AnswerError, Answers, parse_answers
from bot.assess.meldcode import verdict, weigh
from bot.assess.result import Arrangement, Assessment, ProfileScore
from bot.kb.models import Knowledge


def assess(answers: Answers, kb: Knowledge) -> Assessment:
    """The profile ranking and arrangement (rules.py), with the afwegingskader's verdict
    from the answers alone (meldcode.py)."""
    return replace(rules.assess(answers, kb), meldcode=verdict(weigh(answers, kb), kb))


__all__ = ["AnswerError", "Answers", "Arrangement", "Assessment", "ProfileScore", "assess",
           "parse_answers"]
