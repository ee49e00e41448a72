"""Resume codes: a consultation's button answers as a short code the professional keeps.

The bot stores nothing, so continuity lives with the professional: a code of at most 40
letters and digits that holds the answers (indicator id -> yes / no / don't know / not
asked, the 0-10 safety score, and the follow-up answers) and nothing else. Whoever has the
code and the bot can read those answers; there are no names and no typed text in it,
because the bot never asks for any.

A code is `V PAYLOAD CHECK`:
  V        one symbol: the version of the question list the code was made with;
  PAYLOAD  every answer of that version, in the version's frozen order, packed as one number
           in mixed radix (4 values per answer, 12 for the score, 14 for months);
  CHECK    three symbols of a Reed-Solomon style check over GF(32) (roots α, α², α³).
Symbols are Crockford base32 (no I, L, O or U; typed case-insensitively, with O read as 0
and I or L as 1), so a code survives being read aloud or copied by hand. The check catches
every single wrong symbol and every swap of two neighbours, and any three wrong symbols in a
code of up to 31 symbols; tests/test_code.py measures it.

Each version's order is frozen as data (knowledge/codes.yaml). A new question gets a new
version, so a code made before it still decodes: the new question is simply open.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from bot.assess.answers import Answer, Answers
from bot.kb.errors import KnowledgeError, Problem
from bot.kb.models import CodeVersion, Knowledge

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ = {c: i for i, c in enumerate(ALPHABET)} | {"O": 0, "I": 1, "L": 1}
CHECK_SYMBOLS = 3
MAX_LENGTH = 40
MONTHS_MAX = 12  # "12 months or more"
SEPARATORS = re.compile(r"[\s\-]+")
CODES_FILE = Path("knowledge/codes.yaml")

FieldKind = Literal["answer", "score", "months"]
_ANSWERS: tuple[Answer | None, ...] = (None, "yes", "no", "unknown")  # None: not asked
_RADIX: dict[FieldKind, int] = {"answer": 4, "score": 12, "months": MONTHS_MAX + 2}
SAFETY_SCORE = "safety_score"


# --- the answers a code holds --------------------------------------------------------------
@dataclass(frozen=True)
class Snapshot:
    """What a code restores: the screening answers and the follow-up answers."""

    answers: Mapping[str, Answer] = field(default_factory=dict)  # absent: not asked
    safety_score: int | None = None
    followup: Mapping[str, str | int] = field(default_factory=dict)  # months: int; others: answer

    def assessable(self) -> Answers:
        return Answers(dict(self.answers), self.safety_score)

    def answer_map(self) -> dict[str, Any]:
        """The consultation's own form: indicator -> answer, plus "safety_score"."""
        out: dict[str, Any] = dict(self.answers)
        if self.safety_score is not None:
            out[SAFETY_SCORE] = self.safety_score
        return out

    def to_data(self) -> dict[str, Any]:
        """The answers-file form (`python -m bot assess` reads it back)."""
        out = self.answer_map()
        if self.followup:
            out["followup"] = dict(self.followup)
        return out


@dataclass(frozen=True)
class Decoded:
    snapshot: Snapshot
    version: int
    not_restored: tuple[str, ...]  # current indicators the code's version did not ask: open
    retired: tuple[str, ...]  # answered ids of that version the vocabulary no longer has


ErrorKind = Literal["alphabet", "length", "checksum", "version", "payload"]


class CodeError(ValueError):
    """A code that cannot be read; `kind` says why (the chat turns it into a Dutch note)."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        self.kind = kind
        super().__init__(message)


# --- GF(32) and the check symbols ----------------------------------------------------------
def _field_tables() -> tuple[list[int], list[int]]:
    exp, log = [0] * 62, [0] * 32
    x = 1
    for i in range(31):
        exp[i] = exp[i + 31] = x
        log[x] = i
        x <<= 1
        if x & 32:
            x ^= 0b100101  # x^5 + x^2 + 1, primitive: α = x has order 31
    return exp, log


_EXP, _LOG = _field_tables()


def _mul(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[_LOG[a] + _LOG[b]]


def _generator(roots: int) -> list[int]:
    """Coefficients of (x + α)(x + α²)...(x + α^roots), highest degree first."""
    g = [1]
    for i in range(1, roots + 1):
        root = _EXP[i]
        g = [a ^ _mul(root, b) for a, b in zip([*g, 0], [0, *g], strict=True)]
    return g


_G = _generator(CHECK_SYMBOLS)


def _remainder(symbols: Sequence[int]) -> list[int]:
    """The remainder of symbols(x) * x^CHECK_SYMBOLS divided by the generator."""
    reg = [0] * CHECK_SYMBOLS
    for s in symbols:
        feedback = s ^ reg[0]
        reg = [*reg[1:], 0]
        if feedback:
            reg = [r ^ _mul(feedback, g) for r, g in zip(reg, _G[1:], strict=True)]
    return reg


def check_symbols(symbols: Sequence[int]) -> list[int]:
    return _remainder(symbols)


def is_intact(symbols: Sequence[int]) -> bool:
    """A code word (message and its check symbols) the check accepts."""
    return not any(_remainder(symbols))


# --- text --------------------------------------------------------------------------------
def visible(text: str) -> str:
    """Without invisible format characters: a code copied from a right-to-left chat carries
    the isolation marks the bot put around it."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def normalise(text: str) -> str:
    """What the user typed, as code symbols: no spaces or hyphens, upper case."""
    return SEPARATORS.sub("", visible(text).strip()).upper()


def symbols_of(text: str) -> list[int]:
    code = normalise(text)
    bad = sorted({c for c in code if c not in _READ})
    if bad:
        raise CodeError("alphabet", "a code holds only letters and digits (no U): "
                                    f"{len(bad)} other character(s) found")
    return [_READ[c] for c in code]


def text_of(symbols: Sequence[int]) -> str:
    return "".join(ALPHABET[s] for s in symbols)


# --- versions -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Layout:
    """One version's fields in their frozen order, and its length in symbols."""

    version: int
    fields: tuple[tuple[str, FieldKind], ...]
    indicators: tuple[str, ...]
    followup: tuple[str, ...]
    payload_symbols: int

    @property
    def length(self) -> int:
        return 1 + self.payload_symbols + CHECK_SYMBOLS

    @classmethod
    def of(cls, v: CodeVersion) -> Layout:
        fields: list[tuple[str, FieldKind]] = [(i, "answer") for i in v.indicators]
        fields.append((SAFETY_SCORE, "score"))
        fields += [(f.id, f.kind) for f in v.followup]
        combinations = math.prod(_RADIX[kind] for _, kind in fields)
        symbols = 0
        while 32 ** symbols < combinations:
            symbols += 1
        return cls(v.version, tuple(fields), v.indicators, tuple(f.id for f in v.followup),
                   symbols)


def fingerprint(v: CodeVersion) -> str:
    """A short hash of a version's order: an edited old version no longer matches it."""
    text = "\n".join([*v.indicators, "|", *(f"{f.id}:{f.kind}" for f in v.followup)])
    return hashlib.sha256(text.encode()).hexdigest()[:8]


class Codebook:
    """Encodes with the newest version; decodes every version ever published."""

    def __init__(self, versions: Sequence[CodeVersion], vocabulary: Collection[str],
                 followup_fields: Collection[str] = ()) -> None:
        problems = version_problems(versions, vocabulary, followup_fields)
        if problems:
            raise KnowledgeError(problems)
        self.vocabulary = tuple(vocabulary)
        self.layouts = {v.version: Layout.of(v) for v in versions}
        self.newest = self.layouts[max(self.layouts)]
        self.lengths = frozenset(lay.length for lay in self.layouts.values())

    @classmethod
    def from_kb(cls, kb: Knowledge) -> Codebook:
        return cls(kb.code_versions, kb.indicators, followup_fields(kb))

    # --- encode ---------------------------------------------------------------------------
    def encode(self, snap: Snapshot) -> str:
        lay = self.newest
        values: dict[str, Any] = {**snap.answers, SAFETY_SCORE: snap.safety_score,
                                  **snap.followup}
        unknown = set(snap.answers) - set(lay.indicators) | set(snap.followup) - set(lay.followup)
        if unknown:
            raise ValueError(f"not in code version {lay.version}: {', '.join(sorted(unknown))}")
        number = 0
        for name, kind in lay.fields:
            number = number * _RADIX[kind] + _digit(kind, values.get(name), name)
        payload = []
        for _ in range(lay.payload_symbols):
            number, rest = divmod(number, 32)
            payload.append(rest)
        message = [lay.version, *reversed(payload)]
        return text_of([*message, *check_symbols(message)])

    # --- decode ---------------------------------------------------------------------------
    def decode(self, text: str) -> Decoded:
        symbols = symbols_of(text)
        shortest = min(self.lengths)
        if not shortest - 2 <= len(symbols) <= MAX_LENGTH:
            raise CodeError("length", f"a code has {shortest} to {MAX_LENGTH} characters; "
                                      f"this one has {len(symbols)}")
        if not is_intact(symbols):
            raise CodeError("checksum", "the code's check does not match: a character is "
                                        "wrong, missing or swapped")
        lay = self.layouts.get(symbols[0])
        if lay is None:
            raise CodeError("version", f"code version {symbols[0]} is unknown here (newest: "
                                       f"{self.newest.version}); it may come from a newer "
                                       "Beschermwijzer")
        if len(symbols) != lay.length:
            raise CodeError("length", f"a version {lay.version} code has {lay.length} "
                                      f"characters; this one has {len(symbols)}")
        number = 0
        for s in symbols[1:1 + lay.payload_symbols]:
            number = number * 32 + s
        raw: dict[str, Any] = {}
        for name, kind in reversed(lay.fields):
            number, digit = divmod(number, _RADIX[kind])
            raw[name] = _value(kind, digit)
        if number:
            raise CodeError("payload", "the code holds more than its version allows")
        return self._restore(lay, raw)

    def _restore(self, lay: Layout, raw: Mapping[str, Any]) -> Decoded:
        known = set(self.vocabulary)
        answers = {i: raw[i] for i in lay.indicators if raw[i] is not None and i in known}
        retired = tuple(i for i in lay.indicators if raw[i] is not None and i not in known)
        follow = {f: raw[f] for f in lay.followup if raw[f] is not None}
        snap = Snapshot(answers, raw[SAFETY_SCORE], follow)
        not_restored = tuple(i for i in self.vocabulary if i not in lay.indicators)
        return Decoded(snap, lay.version, not_restored, retired)

    # --- typed text -----------------------------------------------------------------------
    def is_candidate(self, text: str) -> bool:
        """Whether typed text is meant as a code (then a wrong one gets a note about the
        code rather than the pointer to the buttons). One word, or groups of letters and
        digits of which all but the last have at least three; code length give or take two;
        at least one digit; no U."""
        stripped = visible(text).strip()
        if not stripped or len(stripped) > 2 * MAX_LENGTH:
            return False
        groups = SEPARATORS.split(stripped)
        if not all(g.isascii() and g.isalnum() for g in groups):
            return False
        if any(len(g) < 3 for g in groups[:-1]):
            return False
        code = "".join(groups).upper()
        if not min(self.lengths) - 2 <= len(code) <= MAX_LENGTH:
            return False
        return any(c.isdigit() for c in code) and all(c in _READ for c in code)


def _digit(kind: FieldKind, value: Any, name: str) -> int:
    if value is None:
        return 0
    if kind == "answer" and value in _ANSWERS:
        return _ANSWERS.index(value)
    if kind == "score" and isinstance(value, int) and not isinstance(value, bool) \
            and 0 <= value <= 10:
        return value + 1
    if kind == "months" and isinstance(value, int) and not isinstance(value, bool) \
            and value >= 0:
        return min(value, MONTHS_MAX) + 1
    raise ValueError(f"{name}: {value!r} cannot go into a code")


def _value(kind: FieldKind, digit: int) -> Any:
    if digit == 0:
        return None
    return _ANSWERS[digit] if kind == "answer" else digit - 1


# --- validation: `python -m bot check` and start-up ---------------------------------------
def followup_fields(kb: Knowledge) -> tuple[str, ...]:
    """Every follow-up answer the follow-up questions can set (each must be in a code)."""
    if kb.followup is None:
        return ()
    fields: list[str] = []
    for q in kb.followup.questions:
        if q.kind in ("answer", "months"):
            fields.append(q.id)
        for option in q.options:
            fields += list(option.follow)
    return tuple(dict.fromkeys(fields))


def version_problems(versions: Sequence[CodeVersion], vocabulary: Collection[str],
                     followup: Collection[str] = ()) -> list[Problem]:
    def problem(message: str) -> Problem:
        return Problem(CODES_FILE, None, "code_versions", message)

    if not versions:
        return [problem("at least one code version is required")]
    problems = []
    numbers = [v.version for v in versions]
    if numbers != list(range(1, len(versions) + 1)):
        problems.append(problem(f"versions must be 1, 2, 3, ... in order; got {numbers}"))
    if len(versions) >= 32:
        problems.append(problem("a code has one symbol for its version: at most 31 versions"))
    for v in versions:
        for seen, what in ((v.indicators, "indicator"), (tuple(f.id for f in v.followup),
                                                          "follow-up field")):
            doubled = sorted({i for i in seen if seen.count(i) > 1})
            if doubled:
                problems.append(problem(f"version {v.version}: {what} listed twice: "
                                        f"{', '.join(doubled)}"))
        if v.fingerprint != fingerprint(v):
            problems.append(problem(
                f"version {v.version} does not match its fingerprint: a published version "
                "must never change (codes made with it would decode wrongly); add a new "
                f"version instead. A new version's fingerprint is {fingerprint(v)}"))
        if Layout.of(v).length > MAX_LENGTH:
            problems.append(problem(f"version {v.version} makes codes of "
                                    f"{Layout.of(v).length} characters; at most {MAX_LENGTH}"))
    newest = versions[-1]
    uncovered = [i for i in vocabulary if i not in newest.indicators]
    if uncovered:
        problems.append(problem(
            f"indicator(s) in no code version: {', '.join(uncovered)}. Add version "
            f"{newest.version + 1}: version {newest.version}'s list with the new ids appended "
            "(never change a published version)"))
    typos = [i for i in newest.indicators if i not in vocabulary]
    if typos:
        problems.append(problem(f"version {newest.version} lists unknown indicator(s): "
                                f"{', '.join(typos)}"))
    missing = [f for f in followup if f not in {x.id for x in newest.followup}]
    if missing:
        problems.append(problem(f"follow-up answer(s) in no code version: {', '.join(missing)}"))
    return problems
