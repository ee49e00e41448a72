"""The assessment: answers in, profile ranking and protection arrangement out."""

from bot.assess.answers import AnswerError, Answers, parse_answers
from bot.assess.result import Arrangement, Assessment, ProfileScore
from bot.assess.rules import assess

__all__ = ["AnswerError", "Answers", "Arrangement", "Assessment", "ProfileScore", "assess",
           "parse_answers"]
