"""The buttons that open the meldcode step from another mode's screen (the result card).

Kept apart from the engine so that the consultation can show them without importing it.
"""

from __future__ import annotations

from bot.kb.models import Knowledge
from bot.ui import actions as act
from bot.ui.screen import N_, Button, Msg, Plain, Row

MODE = "meldcode"
DUTCH = "nl"  # Veilig Thuis answers in Dutch: the handover is made in Dutch first
CALL_LABEL = Msg(N_("📞 Bel Veilig Thuis: wat zeg ik?"))
WEIGH = act.MODE(MODE)
CALL = act.MODE(f"{MODE}{act.SEP}{act.HANDOVER(DUTCH)}")  # open the step, make the handover


def entry_row(kb: Knowledge) -> Row:
    """'Melden of zelf hulp?' and 'Bel Veilig Thuis: wat zeg ik?' as one row."""
    if kb.afwegingskader is None:
        return ()
    return (Button(WEIGH, (Plain("⚖️ "), Msg(kb.afwegingskader.title))),
            Button(CALL, CALL_LABEL))
