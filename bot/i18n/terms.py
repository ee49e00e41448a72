"""The term base (locales/terms.csv): every domain term, its meaning and the approved
rendering per language, checked against the catalogs.

A cell holds the approved rendering first, then accepted variants, separated by `|`.
Variants cover inflection: `*` stands for any word ending (Polish `bezpośredni*
zagroż*` matches `bezpośredniego zagrożenia`). Wherever the Dutch term occurs in a
message (the `match` column, a regular expression; the Dutch term itself when
empty), the translation must contain the approved rendering or one of its variants.

An approved rendering of the form `Name (explanation)` also fixes the explanation:
wherever a translation follows the name with a parenthesis, it must be that one (or
a variant of the same form, for a declined explanation in Polish or Ukrainian), so an
institution is explained the same way everywhere, the client handout included. A
parenthesis that cites the report (§) or holds a number is not an explanation.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

TRANSLATED = ("en", "tr", "ar", "pl", "uk")
_GLOSSED = re.compile(r"^(?P<name>.+?) \((?P<gloss>[^()]+)\)$")
_NOT_A_GLOSS = re.compile(r"§|\d")


def fold(text: str) -> str:
    """Case-insensitive comparison that also works for Turkish İ/ı and Arabic diacritics."""
    folded = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).replace("ı", "i")


def _variant_pattern(variant: str) -> re.Pattern[str]:
    words = [re.escape(fold(part)) for part in variant.split("*")]
    return re.compile(r"\w*".join(words))


@dataclass(frozen=True)
class Term:
    id: str
    nl: str
    match: re.Pattern[str]
    definition: str
    renderings: dict[str, tuple[str, ...]]  # language -> approved rendering, then variants

    def occurs_in(self, msgid: str) -> bool:
        return self.match.search(msgid) is not None

    def rendered_in(self, lang: str, msgstr: str) -> bool:
        folded = fold(msgstr)
        return any(_variant_pattern(v).search(folded) for v in self.renderings[lang])

    def gloss(self, lang: str) -> tuple[str, str] | None:
        """(name, explanation) when the approved rendering explains a name."""
        found = _GLOSSED.match(self.renderings[lang][0])
        return (found.group("name"), found.group("gloss")) if found else None

    def accepts_gloss(self, lang: str, name: str, text: str) -> bool:
        """Is `text`, in parentheses after `name`, the approved explanation (or a form of it)?"""
        folded = fold(text)
        for variant in self.renderings[lang]:
            found = _GLOSSED.match(variant)
            if found and fold(found.group("name")) == fold(name) and \
                    _variant_pattern(found.group("gloss")).fullmatch(folded):
                return True
        return False


def load_terms(path: Path) -> list[Term]:
    if not path.exists():
        return []
    terms = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            renderings = {lang: tuple(v.strip() for v in row[lang].split("|") if v.strip())
                          for lang in TRANSLATED}
            pattern = row["match"].strip() or re.escape(row["nl"])
            terms.append(Term(row["id"], row["nl"], re.compile(pattern, re.IGNORECASE),
                              row["definition"], renderings))
    return terms


@dataclass(frozen=True)
class Finding:
    term: str
    lang: str
    msgid: str
    msgstr: str
    problem: str

    def __str__(self) -> str:
        return f"{self.term}: {self.problem}\n    nl: {self.msgid}\n    {self.lang}: {self.msgstr}"


def check_catalog(catalog: Catalog, lang: str, terms: Iterable[Term]) -> list[Finding]:
    """Every place where a translation does not use a term's approved rendering."""
    findings = []
    messages = [(m.id, m.string) for m in catalog
                if m.id and isinstance(m.id, str) and isinstance(m.string, str)]
    for term in terms:
        gloss = term.gloss(lang)
        for msgid, msgstr in messages:
            if term.occurs_in(msgid) and not term.rendered_in(lang, msgstr):
                findings.append(Finding(term.id, lang, msgid, msgstr,
                                        f"expected {' / '.join(term.renderings[lang])}"))
            if gloss is not None:
                name, explanation = gloss
                for found in re.finditer(re.escape(name) + r" \(([^()]*)\)", msgstr, re.IGNORECASE):
                    text = found.group(1)
                    # a citation or a number; or the Dutch explains the name itself, and the
                    # translation follows the source
                    if _NOT_A_GLOSS.search(text) or f"{name} (".casefold() in msgid.casefold():
                        continue
                    if not term.accepts_gloss(lang, name, text):
                        findings.append(Finding(term.id, lang, msgid, msgstr,
                                                f"explains {name} as ({text}), approved: ({explanation})"))
    return findings
