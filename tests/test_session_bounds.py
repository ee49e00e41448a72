"""A session's size is bounded however long someone taps (issue 13 item 9: about 130
bytes per menu tap, without limit)."""

from __future__ import annotations

from bot.core import Core
from bot.dialog.engine import MAX_HISTORY
from bot.ui import actions as act
from tests.test_dialog import CASES, drive, model


def test_endless_menu_taps_keep_the_history_bounded_and_the_answers(core: Core) -> None:
    s = core.sessions.open("bounds", "nl")
    result, _ = drive(core, s, CASES[0]["answers"])
    m = model(core, s)
    answers = dict(m.answers)
    asked_before = len(m.history)
    screen = result
    longest = 0
    for tap in range(600):
        actions = screen.actions()
        menu = [a for a in actions if act.OPEN.arg(a) is not None]
        action = menu[tap % len(menu)] if menu else act.ACUTE if act.ACUTE in actions else act.BACK
        screen = core.consultation.act(s, action)
        longest = max(longest, len(m.history))
    assert asked_before < MAX_HISTORY
    assert longest <= MAX_HISTORY
    assert m.answers == answers
    while act.BACK in core.consultation.show(s).actions():  # back all the way: every answer undone
        core.consultation.act(s, act.BACK)
    assert m.answers == {}
