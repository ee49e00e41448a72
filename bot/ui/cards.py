"""Building blocks of cards that every mode shows: labelled lines, sources, contacts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.kb.models import Contact
from bot.ui.screen import N_, Line, Msg, Part, Plain

COST = {
    "free": Msg(N_("gratis")),
    "paid": Msg(N_("betaald nummer")),
    "local_rate": Msg(N_("lokaal tarief")),
    "unknown": Msg(N_("kosten niet bekend")),
}


def join(parts: Iterable[Part], sep: str = ", ") -> tuple[Part, ...]:
    out: list[Part] = []
    for part in parts:
        if out:
            out.append(Plain(sep))
        out.append(part)
    return tuple(out)


def labelled(label: str, *value: Part, style: Any = "text") -> Line:
    return Line((Msg(label), Plain(": "), *value), style)


def source_line(*sources: str) -> Line:
    return Line((Msg(N_("Bron")), Plain(": "), Plain("; ".join(dict.fromkeys(sources)))), "quote")


def short_contact_lines(c: Contact) -> list[Line]:
    """A contact in three lines: how to reach it, when, and how fresh that is."""
    reach = c.phone or c.chat or c.url or ""
    return [Line((Plain("📞 "), Msg(c.name), Plain(": "), Plain(reach)), "title"),
            Line((Msg(c.hours), Plain(" · "), COST[c.cost])),
            Line((Msg.of(N_("Laatst gecontroleerd: {date}"), date=c.checked),
                  Plain(" · "), Msg(N_("Bron")), Plain(": "), Plain(c.source)), "quote")]


def contact_lines(c: Contact) -> list[Line]:
    lines = [Line((Plain("📞 "), Msg(c.name)), "title"), Line.of(c.what)]
    if c.phone:
        lines.append(labelled(N_("Telefoon"), Plain(c.phone)))
    if c.chat:
        lines.append(labelled(N_("Chat"), Plain(c.chat)))
    if c.url:
        lines.append(labelled(N_("Website"), Plain(c.url)))
    lines.append(labelled(N_("Bereikbaar"), Msg(c.hours), Plain(" · "), COST[c.cost]))
    if c.unverified:
        lines.append(Line.of(c.unverified, style="quote"))
    lines.append(Line((Msg.of(N_("Laatst gecontroleerd: {date}"), date=c.checked),
                       Plain(" · "), Msg(N_("Bron")), Plain(": "), Plain(c.source)), "quote"))
    return lines
