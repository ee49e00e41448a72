"""Search entries built from every kind of knowledge, with keys in every language.

Matching uses rapidfuzz (maintained, C++-fast): misspellings ("huisverbot"),
abbreviations ("THV") and other languages ("restraining order", or a title
translated in the catalogs) all find the same card.
"""

from __future__ import annotations

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
# Within equal scores, definitions and measures come before organisations and offers.
KIND_ORDER = ("term", "measure", "profile", "card", "out_of_scope", "red_flag", "partner",
              "contact", "offer")
MIN_SCORE = 72.0


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
        yield "contact", co.id, co.name, co.synonyms, "organisations"
    for of in kb.offers.values():
        yield "offer", of.id, of.title, of.synonyms, "help"


class LookupIndex:
    def __init__(self, kb: Knowledge, catalogs: Catalogs) -> None:
        self.entries: list[Entry] = []
        for kind, ident, title, synonyms, topic in _entries(kb):
            keys = tuple(dict.fromkeys(normalise(k) for k in (title, *synonyms) if k))
            self.entries.append(Entry(len(self.entries), kind, ident, title, keys, topic))
        # One flat list of (key, entry) for every language: titles as translated in
        # each catalog join the Dutch keys, so a Turkish or English title also matches.
        self._keys: list[str] = []
        self._owner: list[int] = []
        self._is_title: list[bool] = []
        for entry in self.entries:
            titles = {normalise(entry.title)} | {normalise(catalogs.get(lang).gettext(entry.title))
                                                 for lang in catalogs.available}
            for key in dict.fromkeys((*entry.keys, *titles)):
                self._keys.append(key)
                self._owner.append(entry.index)
                self._is_title.append(key in titles)
        self.by_ref = {(e.kind, e.id): e for e in self.entries}

    def topic(self, topic: str) -> list[Entry]:
        return [e for e in self.entries if e.topic == topic]

    def search(self, query: str, limit: int = 5) -> list[tuple[Entry, float]]:
        words = [w for w in normalise(query).replace("?", " ").split() if w not in STOPWORDS]
        q = " ".join(words)
        if not q:
            return []
        best: dict[int, float] = {}
        for key, score, pos in process.extract(q, self._keys, scorer=fuzz.WRatio, limit=60,
                                               score_cutoff=MIN_SCORE):
            if key == q:
                # an exact title wins over an exact synonym, which wins over a near match
                score += 12 if self._is_title[pos] else 8
            elif len(q) <= 4 and not key.startswith(q):
                continue  # short queries (abbreviations) must not match inside other words
            owner = self._owner[pos]
            best[owner] = max(best.get(owner, 0.0), score)
        ranked = sorted(best.items(), key=lambda item: (
            -item[1], KIND_ORDER.index(self.entries[item[0]].kind)))
        return [(self.entries[i], s) for i, s in ranked[:limit]]
