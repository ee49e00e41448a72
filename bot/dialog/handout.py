"""The client handout: help that exists and whom to call, in the client's language.

Built only from knowledge (never from answers), so it cannot carry case details.
"""

from __future__ import annotations

from bot.assess import Assessment
from bot.kb.models import Knowledge
from bot.ui.screen import BLANK, N_, Line, Msg, Plain, Screen


def handout_screen(kb: Knowledge, result: Assessment, lang: str, simple: bool) -> Screen:
    h = kb.handout
    assert h is not None, "knowledge/handout.yaml is required"
    lines = [Line.of(h.title, style="title"), Line.of(h.intro_simple if simple else h.intro)]
    for section in h.sections:
        lines += [BLANK, Line.of(section.title, style="title"),
                  Line.of(section.simple if simple else section.body)]
    contacts = [c for c in kb.contacts.values() if c.handout]
    lines += [BLANK, Line((Msg(N_("Waar je terecht kunt")),), "title")]
    for c in contacts:
        reach = [Plain(x) for x in (c.phone, c.chat or c.url) if x]
        parts: list[Msg | Plain] = [Plain("📞 "), Msg(c.name), Plain(": ")]
        for i, r in enumerate(reach):
            parts += [Plain(" · ")] if i else []
            parts.append(r)
        lines.append(Line(tuple(parts)))
        lines.append(Line.of((c.simple if simple and c.simple else c.what), style="quote"))
    offers = [kb.offers[o] for o in result.arrangement.low_threshold]
    if offers:
        lines += [BLANK, Line((Msg(N_("Meer steun, ook anoniem")),), "title")]
        for o in offers:
            lines.append(Line((Msg(o.title), Plain(": "),
                               Msg(o.simple if simple and o.simple else o.what)), "bullet"))
    oldest = min(c.checked for c in contacts)
    lines += [BLANK, Line.of(h.closing_simple if simple else h.closing, style="title"),
              Line((Msg.of(N_("Gegevens gecontroleerd op {date}."), date=oldest),), "quote")]
    return Screen("handout_card", tuple(lines), (), lang=lang, placement="keep")
