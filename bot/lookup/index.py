"""Search entries built from every kind of knowledge, with keys in every language.

Matching uses rapidfuzz (maintained, C++-fast) to find candidates, then ranks them
by how they match: an exact title beats an exact synonym, which beats the query as a
whole word inside a longer key, which beats a misspelling ("huisverbot"). Short keys
never match inside other words (the abbreviation "gi" is not in "verwurging").
Abbreviations ("THV"), other languages ("restraining order", or a title translated in
the catalogs) and phone numbers ("112", "0800 2000") find their card. Entries with the
same title (a measure and its glossary term) are one concept: one result.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.i18n import Catalogs
from bot.kb.models import Knowledge

STOPWORDS = frozenset((
    "wat", "is", "een", "de", "het", "van", "voor", "hoe", "werkt", "wie", "waar", "wanneer",
    "waarom", "mag", "kan", "ik", "je", "bij", "in", "op", "met", "naar", "en", "of", "om", "te",
    "dat", "die", "dit", "er", "what", "a", "an", "the", "for", "how", "does", "who", "where",
    "when", "why", "can", "i", "on", "with", "to", "and", "or", "about",
))
# Within equal scores (and to represent a concept), the fuller card comes first: a
# profile before its glossary entry, a measure before its definition, a contact with its
# numbers before the organisation's description.
KIND_ORDER = ("profile", "measure", "out_of_scope", "contact", "term", "card", "red_flag",
              "partner", "offer")
MIN_SCORE = 72.0
PHONE_CHARS = frozenset("0123456789 -+")


@dataclass(frozen=True)
class Entry:
    index: int
    kind: str
    id: str
    title: str  # Dutch msgid
    keys: tuple[str, ...]  # Dutch title, abbreviation and synonyms, normalised
    topic: str


def normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def _entries(kb: Knowledge) -> Iterable[tuple[str, str, str, Iterable[str], str]]:
    for t in kb.terms.values():
        yield "term", t.id, t.term, (t.abbreviation or "", *t.synonyms), "glossary"
    for m in kb.measures.values():
        yield "measure", m.id, m.title, m.synonyms, "measures"
    for p in kb.profiles.values():
        yield "profile", p.id, p.title, p.synonyms, "profiles"
    for c in kb.cards.values():
        topic = {"meldcode": "meldcode", "culture": "culture"}.get(c.kind, "principles")
        yield "card", c.id, c.title, c.synonyms, topic
    for o in kb.out_of_scope.values():
        yield "out_of_scope", o.id, o.title, o.synonyms, "culture"
    for f in kb.red_flags.values():
        yield "red_flag", f.id, f.title, (), "red_flags"
    for pa in kb.partners.values():
        yield "partner", pa.id, pa.title, pa.synonyms, "organisations"
    for co in kb.contacts.values():
        phone = (_digits(co.phone),) if co.phone else ()
        yield "contact", co.id, co.name, (*co.synonyms, *phone), "organisations"
    for of in kb.offers.values():
        yield "offer", of.id, of.title, of.synonyms, "help"


def words(text: str) -> str:
    """Normalised, without question words and articles: how keys and queries compare."""
    return " ".join(w for w in normalise(text).replace("?", " ").split() if w not in STOPWORDS)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _concept(title: str) -> str:
    """Titles that differ only in a bracketed remark name one concept."""
    return words(re.sub(r"\([^)]*\)", " ", title)) or words(title)


def rank(q: str, key: str, is_title: bool, fuzzy: float) -> float:
    """How well key matches the query q (both normalised); 0 for no match."""
    if key == q:
        return 120.0 if is_title else 110.0
    padded_key, padded_q = f" {key} ", f" {q} "
    if len(q) >= 3 and padded_q in padded_key:  # the query, as whole words, in the key
        return (108.0 if is_title else 100.0) - min(5.0, (len(key) - len(q)) / 5)
    if len(key) >= 4 and padded_key in padded_q:
        return 95.0  # a whole key inside a longer question
    if len(q) <= 4 or len(key) <= 3:
        return 0.0  # short words match exactly or as whole words only
    ratio = fuzz.ratio(q, key)  # a misspelling of the whole key
    if ratio >= 80:
        return ratio
    return fuzzy if fuzzy >= 88 and len(q) >= 6 else 0.0


class LookupIndex:
    def __init__(self, kb: Knowledge, catalogs: Catalogs) -> None:
        self.entries: list[Entry] = []
        for kind, ident, title, synonyms, topic in _entries(kb):
            keys = tuple(dict.fromkeys(words(k) or normalise(k) for k in (title, *synonyms) if k))
            self.entries.append(Entry(len(self.entries), kind, ident, title, keys, topic))
        # One flat list of (key, entry) for every language: titles as translated in
        # each catalog join the Dutch keys, so a Turkish or English title also matches.
        self._keys: list[str] = []
        self._owner: list[int] = []
        self._is_title: list[bool] = []
        phones = {_digits(c.phone) for c in kb.contacts.values() if c.phone}
        for entry in self.entries:
            titles = {words(catalogs.get(lang).gettext(entry.title)) or normalise(entry.title)
                      for lang in catalogs.available}
            for key in dict.fromkeys((*entry.keys, *titles)):
                self._keys.append(key)
                self._owner.append(entry.index)
                self._is_title.append(key in titles or key in phones)
        self.by_ref = {(e.kind, e.id): e for e in self.entries}

    def topic(self, topic: str) -> list[Entry]:
        return [e for e in self.entries if e.topic == topic]

    def search(self, query: str, limit: int = 5) -> list[tuple[Entry, float]]:
        text = normalise(query)
        if text.strip() and set(text.strip()) <= PHONE_CHARS and _digits(text):
            text = _digits(text)  # a phone number, however it is written
        q = words(text)
        if not q:
            return []
        best: dict[int, float] = {}
        for key, fuzzy, pos in process.extract(q, self._keys, scorer=fuzz.WRatio, limit=80,
                                               score_cutoff=MIN_SCORE - 12):
            score = rank(q, key, self._is_title[pos], fuzzy)
            if score >= MIN_SCORE:
                owner = self._owner[pos]
                if f" {q} " in f" {words(self.entries[owner].title)} ":
                    score += 4  # among equals, the item named after the query comes first
                best[owner] = max(best.get(owner, 0.0), score)
        ranked = sorted(best.items(), key=lambda item: (
            -item[1], KIND_ORDER.index(self.entries[item[0]].kind)))
        found: list[tuple[Entry, float]] = []
        concepts: set[str] = set()
        for i, score in ranked:  # one result per concept: the best-ranked of its entries
            concept = _concept(self.entries[i].title)
            if concept not in concepts:
                concepts.add(concept)
                found.append((self.entries[i], score))
        return found[:limit]

    def siblings(self, entry: Entry) -> list[Entry]:
        """Other entries of the same concept (a measure's glossary term, and back)."""
        concept = _concept(entry.title)
        return [e for e in self.entries if e.index != entry.index and _concept(e.title) == concept]
