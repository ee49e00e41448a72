"""What every mode shares on its screens: the acute-help screen and the navigation row."""

from __future__ import annotations

from pathlib import Path

from bot.kb.errors import KnowledgeError, Problem
from bot.kb.models import Knowledge
from bot.ui import actions as act
from bot.ui.cards import short_contact_lines
from bot.ui.screen import BLANK, N_, Button, Line, Msg, Plain, Row
from bot.ui.texts import ACUTE_LINE

ACUTE_CARD = "acute_now"  # the knowledge card with what to do now; checked at start-up
KB_CARDS = (ACUTE_CARD,)

BACK = Button(act.BACK, Msg(N_("⬅️ Terug")))
ACUTE = Button(act.ACUTE, Msg(N_("🆘 Hulp nu")))
RESTART = Button(act.RESTART, Msg(N_("🔄 Opnieuw")))
CLOSE = Button(act.CLOSE, Msg(N_("✖️ Afsluiten")))


def require_cards(kb: Knowledge, where: str, card_ids: tuple[str, ...]) -> None:
    """Stop start-up when a card that code refers to by id is missing from knowledge/."""
    missing = [c for c in card_ids if c not in kb.cards]
    if missing:
        raise KnowledgeError([Problem(Path("knowledge/cards"), None, "cards",
                                      f"card {c!r} is required by {where}") for c in missing])


def acute_lines(kb: Knowledge) -> list[Line]:
    """The acute-help screen of every mode: 112, Veilig Thuis and what to do now."""
    card = kb.cards[ACUTE_CARD]
    lines = [Line((Plain("🆘 "), ACUTE_LINE), "warning"), BLANK,
             Line.of(card.title, style="title"), Line.of(card.body),
             Line((Msg(N_("Bron")), Plain(": "), Plain(card.source)), "quote")]
    for contact in (c for c in kb.contacts.values() if c.acute):
        lines += [BLANK, *short_contact_lines(contact)]
    return lines


def nav_rows(*, back: bool, acute: bool = True, restart: bool = False,
             home: Button | None = None) -> tuple[Row, ...]:
    """The way out of every screen, in one row: acute help first, start over last, with
    back between them, so that no tap meant for help lands on 'start over'."""
    row = [b for b, shown in ((ACUTE, acute), (BACK, back), (home, home is not None),
                              (RESTART, restart)) if shown and b is not None]
    if len(row) == 2 and row == [ACUTE, RESTART]:  # nothing between them: a row apart
        return (tuple(row[:1]), tuple(row[1:]))
    return (tuple(row),) if row else ()
