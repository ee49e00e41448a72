"""One lookup card per entry: the text, its source, and where to go next."""

from __future__ import annotations

from bot.kb.models import Knowledge
from bot.lookup.index import Entry
from bot.ui.cards import contact_lines, labelled, source_line
from bot.ui.nav import ACUTE_CARD
from bot.ui.screen import BLANK, N_, Line, Msg, Plain


def _pick(normal: str, simple: str | None, use_simple: bool) -> Line:
    return Line.of(simple if use_simple and simple else normal)


def card_lines(kb: Knowledge, e: Entry, simple: bool) -> tuple[list[Line], list[tuple[str, str]]]:
    """The card's lines and its related entries as (kind, id)."""
    related: list[tuple[str, str]] = []
    lines: list[Line]
    if e.kind == "term":
        t = kb.terms[e.id]
        head = [Msg(t.term)] + ([Plain(f" ({t.abbreviation})")] if t.abbreviation else [])
        lines = [Line(tuple(head), "title"), _pick(t.definition, t.simple, simple)]
        if t.url:
            lines.append(labelled(N_("Meer informatie"), Plain(t.url)))
        lines.append(source_line(t.source))
        related = [(_kind_of(kb, r), r) for r in t.related]
    elif e.kind == "measure":
        m = kb.measures[e.id]
        lines = [Line.of(m.title, style="title"), _pick(m.what, m.simple, simple),
                 labelled(N_("Wie beslist"), Msg(m.who))]
        if m.adults_only:
            lines.append(Line((Msg(N_("Alleen tegen volwassenen (18 jaar of ouder).")),), "quote"))
        lines.append(source_line(m.source))
        related = [("card", ACUTE_CARD)]
    elif e.kind == "offer":
        o = kb.offers[e.id]
        region = Msg(N_("landelijk")) if o.region == "national" else Msg(N_("regionaal"))
        lines = [Line((Msg(o.title), Plain(" ("), region, Plain(")")), "title"),
                 _pick(o.what, o.simple, simple), labelled(N_("Voor"), Msg(o.for_whom)),
                 source_line(o.source)]
        related = [("contact", o.contact)] if o.contact else []
    elif e.kind == "partner":
        p = kb.partners[e.id]
        lines = [Line.of(p.title, style="title"), _pick(p.role, p.simple, simple),
                 source_line(p.source)]
        related = [("contact", p.contact)] if p.contact else []
    elif e.kind == "contact":
        contact = kb.contacts[e.id]
        lines = contact_lines(contact)
        if simple and contact.simple:
            lines[1] = Line.of(contact.simple)
    elif e.kind == "card":
        c = kb.cards[e.id]
        lines = [Line.of(c.title, style="title"), _pick(c.body, c.simple, simple),
                 source_line(c.source)]
        related = [(_kind_of(kb, r), r) for r in c.related]
    elif e.kind == "profile":
        pr = kb.profiles[e.id]
        lines = [Line.of(pr.title, style="title"), _pick(pr.tagline, pr.simple, simple), BLANK,
                 Line.of(pr.pattern), BLANK, labelled(N_("Kern van het arrangement"), Msg(pr.core)),
                 source_line(pr.source)]
    elif e.kind == "out_of_scope":
        o2 = kb.out_of_scope[e.id]
        lines = [Line.of(o2.title, style="title"), Line.of(o2.what),
                 labelled(N_("Route"), Msg(o2.route)), source_line(o2.source)]
        related = [("contact", c) for c in o2.contacts]
    else:
        f = kb.red_flags[e.id]
        lines = [Line((Plain("🚩 "), Msg(f.title)), "title"), Line.of(f.why), source_line(f.source)]
    return lines, [r for r in related if r[0]]


def _kind_of(kb: Knowledge, ident: str) -> str:
    for kind, table in (("term", kb.terms), ("card", kb.cards), ("measure", kb.measures),
                        ("offer", kb.offers), ("partner", kb.partners), ("contact", kb.contacts),
                        ("profile", kb.profiles), ("red_flag", kb.red_flags),
                        ("out_of_scope", kb.out_of_scope)):
        if ident in table:
            return kind
    return ""
