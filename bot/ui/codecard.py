"""The resume code on a screen: the code itself (tap to copy), how to use it and what it
reveals. Shared by the consultation's code screen and the follow-up's outcome."""

from __future__ import annotations

from bot.assess.code import Decoded
from bot.kb.models import Knowledge
from bot.ui.cards import join
from bot.ui.screen import N_, Line, Msg, Plain, Screen

TITLE = Msg(N_("🔑 Code voor later"))
USE = Msg(N_("Bewaar deze code bij je dossier, niet in deze chat. Plak hem later hier (of tik "
             "/start gevolgd door de code) om deze antwoorden terug te zien en te vergelijken "
             "met een vervolggesprek (/vervolg). De bot zelf bewaart niets."))
RESTORED = Msg(N_("✅ De antwoorden uit je code staan weer klaar. Met ⬅️ Terug loop je langs de "
                  "vragen en kun je een antwoord veranderen."))
NOT_RESTORED = Msg(N_("Deze code is gemaakt met een eerdere versie van de vragen. Deze vragen "
                      "bestonden toen nog niet en staan open"))
RETIRED = Msg(N_("Deze antwoorden horen bij vragen die er niet meer zijn en zijn weggelaten"))
KEEP_SHORT = Msg(N_("Bewaar hem bij je dossier, niet in deze chat, en plak hem bij het volgende "
                    "vervolg. Wie de code heeft, kan met deze bot de antwoorden lezen."))
REVEALS = Msg(N_("Let op: wie de code heeft, kan met deze bot je antwoorden lezen, maar niet "
                 "om welk gezin het gaat. Ga er zorgvuldig mee om, net als met je dossier."))


def code_lines(code: str, title: Msg = TITLE, *, short: bool = False) -> list[Line]:
    head = [Line((title,), "title"), Line((Plain(code),), "code")]
    if short:
        return [*head, Line((KEEP_SHORT,), "quote")]
    return [*head, Line((USE,)), Line((REVEALS,), "quote")]


def restored_notice(kb: Knowledge, decoded: Decoded, first: Msg = RESTORED) -> Screen:
    """Delivered before a restored screen: that the answers are back, and exactly what an
    older code could not restore."""
    lines = [Line((first,))]
    if decoded.not_restored:
        labels = (Msg(kb.indicators[i].label) for i in decoded.not_restored)
        lines.append(Line((NOT_RESTORED, Plain(": "), *join(labels)), "quote"))
    if decoded.retired:
        lines.append(Line((RETIRED, Plain(": "), *join(Plain(i) for i in decoded.retired)),
                          "quote"))
    return Screen("notice:code", tuple(lines), placement="notice")
