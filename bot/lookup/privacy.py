"""Spot personal data in a typed query, so the bot can warn and search without it.

Heuristics, not a guarantee: phone numbers, e-mail addresses, postcodes, street
addresses, dates, BSN-like numbers and names introduced by a title or phrase.
"""

from __future__ import annotations

import re

PATTERNS = [
    re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),  # e-mail
    re.compile(r"(?:\+|00)\d{2}[\s-]?\d(?:[\s-]?\d){7,10}"),  # international phone
    re.compile(r"\b0\d(?:[\s-]?\d){8}\b"),  # Dutch phone: 0 plus nine digits
    re.compile(r"\b\d{4}\s?[A-Za-z]{2}\b"),  # postcode 1234 AB
    re.compile(r"\b\d{9}\b"),  # BSN-like number
    re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}\b"),  # a date
    re.compile(r"\b[\w'-]+(?:straat|laan|weg|plein|gracht|dijk|kade|singel|hof|pad|steeg|dreef|"
               r"park|markt|street|road|avenue)\s*\d+\w?\b", re.IGNORECASE),  # street and number
    re.compile(r"\b(?i:mevrouw|mevr|mw|meneer|mr|mrs|ms|dhr|de heer|familie|fam)\.?\s+"
               r"[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?"),  # a title and a name
    re.compile(r"\b(?:ik heet|heet|genaamd|naam is|my name is|named)\s+[A-Z][\w'-]+",
               re.IGNORECASE),
]


def strip_personal_data(text: str) -> tuple[str, bool]:
    """The text without what looks like personal data, and whether anything was found."""
    found = False
    for pattern in PATTERNS:
        text, count = pattern.subn(" ", text)
        found = found or count > 0
    return re.sub(r"\s+", " ", text).strip(), found
