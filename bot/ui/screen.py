"""What a front-end shows: lines of translatable text and rows of buttons.

Screens hold message ids (Dutch source text) and parameters, never translated
text: each front-end renders them per update in the user's language. Every mode
and every command answers with Screens; front-ends only render and deliver them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, TypeAlias

Param: TypeAlias = "str | int | float | dt.date | Msg | Plain | Percent"


def N_(msgid: str) -> str:
    """Mark a UI string for extraction; it is translated later, at render time."""
    return msgid


def NN_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular/plural pair for extraction (ngettext at render time)."""
    return singular, plural


@dataclass(frozen=True, slots=True)
class Plain:
    """Text that is never translated: phone numbers, URLs, ids."""

    text: str


@dataclass(frozen=True, slots=True)
class Percent:
    """A share 0..1, formatted as a percentage in the user's locale."""

    value: float


@dataclass(frozen=True, slots=True)
class Msg:
    msgid: str
    params: tuple[tuple[str, Param], ...] = ()
    plural: str | None = None
    count: int | None = None

    @classmethod
    def of(cls, msgid: str, **params: Param) -> Msg:
        return cls(msgid, tuple(params.items()))

    @classmethod
    def plural_of(cls, forms: tuple[str, str], count: int, **params: Param) -> Msg:
        return cls(forms[0], tuple({"n": count, **params}.items()), forms[1], count)


Part: TypeAlias = "Msg | Plain"
Style = Literal["text", "title", "bullet", "warning", "quote", "code"]  # code: tap to copy


@dataclass(frozen=True, slots=True)
class Line:
    parts: tuple[Part, ...]
    style: Style = "text"

    @classmethod
    def of(cls, *parts: Part | str, style: Style = "text") -> Line:
        return cls(tuple(Msg(p) if isinstance(p, str) else p for p in parts), style)


BLANK = Line(())


@dataclass(frozen=True, slots=True)
class Button:
    action: str  # a stable id the engine understands; never the label
    label: Msg | Plain | tuple[Msg | Plain, ...]


Row: TypeAlias = tuple[Button, ...]


# How a front-end places a screen in the chat:
#   main    the working message: it replaces the one whose button was pressed
#   keep    a message that stays (the result card, a client card): never overwritten later;
#           its buttons stay valid while its mode accepts them
#   detail  one message below the last kept one, replaced by the next detail (a section)
#   notice  text without buttons (help, about, a warning); the next screen comes below it
Placement = Literal["main", "keep", "detail", "notice"]


@dataclass(frozen=True, slots=True)
class Screen:
    node: str  # the state it shows, e.g. "children" or "lookup:card"
    lines: tuple[Line, ...]
    buttons: tuple[Row, ...] = ()
    lang: str | None = None  # render in this language instead of the user's (client handout)
    placement: Placement = "main"
    before: tuple[Screen, ...] = ()  # messages to deliver first (a card to forward, a notice)

    def actions(self) -> frozenset[str]:
        return frozenset(b.action for row in self.buttons for b in row)


def notice(*msgs: Msg, node: str = "notice") -> Screen:
    """A message without buttons: one paragraph per Msg."""
    lines: list[Line] = []
    for msg in msgs:
        if lines:
            lines.append(BLANK)
        lines.append(Line((msg,)))
    return Screen(node, tuple(lines), placement="notice")
