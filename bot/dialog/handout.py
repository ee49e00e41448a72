"""The client handout, in the client's language: normal or discreet.

What it holds (knowledge/handout.yaml says the same): general texts about help, the
contacts marked `handout`, and by name the low-threshold help of this arrangement
that has a client sentence. So it follows the kind of case, but it never holds
anything typed, no names and no answers. With the safety override it uses the
separate-only wordings (and the offers are already filtered by the assessment).

The discreet handout is for a client whose phone or bag is checked: it names only
general help and says nothing about violence at home. The UI asks the professional
which one is safe to give.
"""

from __future__ import annotations

import datetime as dt

from bot.assess import Assessment
from bot.kb.models import Contact, Handout, Knowledge
from bot.ui.screen import BLANK, N_, Line, Msg, Part, Plain, Screen

MAX_OFFERS = 1  # the card stays one short message: a phone screen, forwardable


def handout_lines(kb: Knowledge, result: Assessment, *, simple: bool,
                  discreet: bool = False) -> list[Line]:
    h = kb.handout
    assert h is not None, "knowledge/handout.yaml is required"
    return _discreet(kb, h, simple) if discreet else _normal(kb, h, result, simple)


def handout_screen(kb: Knowledge, result: Assessment, lang: str, simple: bool,
                   discreet: bool = False) -> Screen:
    lines = handout_lines(kb, result, simple=simple, discreet=discreet)
    return Screen("handout_card", tuple(lines), (), lang=lang, placement="keep")


def _normal(kb: Knowledge, h: Handout, result: Assessment, simple: bool) -> list[Line]:
    lines = [Line.of(h.title, style="title"), Line.of(h.intro_simple if simple else h.intro)]
    for section in h.sections:
        body = section.simple if simple else section.body
        if not result.arrangement.joint_work_possible and section.assumes_joint:
            body = (section.separate_simple if simple else section.separate) or body
        lines += [BLANK, Line.of(section.title, style="title"), Line.of(body)]
    contacts = [c for c in kb.contacts.values() if c.handout]
    lines += [BLANK, Line((Msg(N_("Waar je terecht kunt")),), "title")]
    lines += [_contact(c) for c in contacts]
    listed = {c.id for c in contacts}
    offers = [kb.offers[o] for o in result.arrangement.low_threshold
              if kb.offers[o].client and kb.offers[o].contact not in listed][:MAX_OFFERS]
    if offers:
        lines += [BLANK, Line((Msg(N_("Meer steun, ook anoniem")),), "title")]
        lines += [Line.of(o.client or "", style="bullet") for o in offers]
    lines += [BLANK, Line.of(h.closing_simple if simple else h.closing, style="title"),
              _checked(contacts)]
    return lines


def _discreet(kb: Knowledge, h: Handout, simple: bool) -> list[Line]:
    d = h.discreet
    contacts = [kb.contacts[c] for c in d.contacts]
    lines = [Line.of(d.title, style="title"), Line.of(d.intro_simple if simple else d.intro),
             BLANK]
    lines += [_contact(c) for c in contacts]
    lines += [BLANK, Line.of(d.closing_simple if simple else d.closing, style="title"),
              _checked(contacts)]
    return lines


def _contact(c: Contact) -> Line:
    """One line: who, how to reach them, and in a few plain words what for."""
    reach = c.phone or c.chat or c.url or ""
    parts: list[Part] = [Plain("📞 "), Msg(c.name), Plain(": "), Plain(reach)]
    if c.client:
        parts += [Plain(" — "), Msg(c.client)]
    return Line(tuple(parts))


def _checked(contacts: list[Contact]) -> Line:
    oldest = min((c.checked for c in contacts), default=dt.date.today())
    return Line((Msg.of(N_("Gegevens gecontroleerd op {date}."), date=oldest),), "quote")
