"""Which share of a language's translations a native-speaking professional has reviewed.

A review is brought in with `make review-import` (bot/i18n/reviewkit.py), which puts a
translator comment on every entry the reviewer approved or corrected:

    # reviewed: <review name>, approved|corrected <fingerprint>

The fingerprint is taken over the Dutch source and the translation as reviewed, so
an entry edited after its review no longer counts as reviewed: the share stays
honest without anyone having to remember to remove the mark.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot.i18n.catalogs import DEFAULT_LANG, DOMAIN
from bot.paths import LOCALES_DIR
from bot.ui.screen import N_, Msg, Percent
from bot.ui.texts import TRANSLATION_NOTE

MARK = "reviewed:"
_MARK_LINE = re.compile(r"reviewed: (?P<review>.+), (?P<verdict>approved|corrected) "
                        r"(?P<fingerprint>[0-9a-f]{12})$")

# /over: what the user of a translated interface is told about its review.
NOT_REVIEWED = TRANSLATION_NOTE
PARTLY_REVIEWED = N_("{share} van de vertalingen is nagekeken door een professional die de taal "
                     "als moedertaal spreekt; de rest nog niet.")
REVIEWED = N_("De vertalingen zijn nagekeken door een professional die de taal als moedertaal "
              "spreekt.")


def po_path(lang: str, directory: Path = LOCALES_DIR) -> Path:
    return directory / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def strings(message: Message) -> tuple[str, ...]:
    """The translation, one string per plural form."""
    value = message.string
    return tuple(str(s) for s in value) if isinstance(value, (tuple, list)) else (str(value or ""),)


def ids(message: Message) -> tuple[str, ...]:
    """The Dutch source: the msgid, or singular and plural."""
    value = message.id
    return tuple(str(s) for s in value) if isinstance(value, (tuple, list)) else (str(value),)


def fingerprint(message: Message) -> str:
    text = "\x04".join(ids(message)) + "\x00" + "\x04".join(strings(message))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def review_mark(message: Message) -> re.Match[str] | None:
    for comment in message.user_comments:
        found = _MARK_LINE.match(comment.strip())
        if found:
            return found
    return None


def is_reviewed(message: Message) -> bool:
    """Approved or corrected in a review, and unchanged since."""
    mark = review_mark(message)
    return (mark is not None and not message.fuzzy
            and mark.group("fingerprint") == fingerprint(message))


@dataclass(frozen=True)
class Share:
    reviewed: int
    total: int

    @property
    def fraction(self) -> float:
        return self.reviewed / self.total if self.total else 0.0


def catalog_share(catalog: Catalog) -> Share:
    messages = [m for m in catalog if m.id]
    return Share(sum(is_reviewed(m) for m in messages), len(messages))


@lru_cache(maxsize=16)
def reviewed_share(lang: str, directory: Path = LOCALES_DIR) -> Share:
    """The reviewed share of one language's catalog (Dutch, the source, counts as whole)."""
    if lang == DEFAULT_LANG:
        return Share(1, 1)
    path = po_path(lang, directory)
    if not path.exists():
        return Share(0, 0)
    with path.open("rb") as fh:
        return catalog_share(read_po(fh, locale=lang))


def translation_note(lang: str, directory: Path = LOCALES_DIR) -> Msg | None:
    """The line /over shows about the translation's review; None for Dutch."""
    if lang == DEFAULT_LANG:
        return None
    share = reviewed_share(lang, directory)
    if share.reviewed == 0:
        return Msg(NOT_REVIEWED)
    if share.reviewed < share.total:
        # rounded down, so 1340 of 1341 never reads as 100%; but never 0% once a review is in
        percent = max(1, math.floor(share.fraction * 100))
        return Msg.of(PARTLY_REVIEWED, share=Percent(percent / 100))
    return Msg(REVIEWED)
