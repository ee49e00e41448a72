"""The UI layer: named actions, one command layer for every front-end, overlays."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

from bot.assess.code import Snapshot
from bot.core import Core
from bot.ui import actions as act
from bot.ui.chat import Reply
from bot.ui.screen import Screen
from tests.conftest import ROOT, public_cases

KEY = "chat"


def current(reply: Reply) -> Screen:
    """The screen with buttons a reply ends on."""
    return reply.screens[-1]


def start(core: Core) -> Reply:
    return core.chat.command(KEY, "/start", "", "nl")


def press(core: Core, action: str) -> Reply:
    s = core.sessions.get(KEY)
    assert s is not None
    return core.chat.press(KEY, s.sid, s.step, action, "nl")


# --- the table of actions ----------------------------------------------------------------
def test_every_action_kind_is_in_the_table_once() -> None:
    codes = [k.code for k in act.TABLE]
    assert len(codes) == len(set(codes))
    constants = {name: value for name, value in vars(act).items() if name.isupper()
                 and not name.startswith("_")
                 and isinstance(value, (str, act.Prefix)) and name != "SEP"}
    for name, value in constants.items():
        code = value.kind if isinstance(value, act.Prefix) else value
        kind = act.BY_CODE.get(code)
        assert kind is not None and kind.name == name, name
        assert kind.takes_arg == isinstance(value, act.Prefix), name


def test_no_module_spells_an_action_as_a_literal() -> None:
    """Buttons are made with the named actions of bot/ui/actions.py, never with literals."""
    offenders = []
    for path in (ROOT / "bot").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Button" \
                    and node.args and isinstance(node.args[0], (ast.Constant, ast.JoinedStr)):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_readme_has_the_current_actions_table() -> None:
    assert act.markdown_table() in (ROOT / "README.md").read_text(), \
        "paste `python -m bot actions` into the README"


@pytest.mark.parametrize("seed", range(6))
def test_random_walks_through_every_mode_use_only_known_actions(core: Core, seed: int) -> None:
    rng = random.Random(seed)
    commands = ["/start", "/zoek", "/leer", "/nood", "/taal", "/opnieuw", "/help", "/over",
                "/vervolg"]
    reply = start(core)
    for _ in range(150):
        if rng.random() < 0.08:
            reply = core.chat.command(KEY, rng.choice(commands), "", "nl")
        screen = current(reply)
        actions = screen.actions()
        assert actions, f"no way on from {screen.node}"
        for action in actions:
            assert act.kind_of(action) is not None, (screen.node, action)
        if screen.node not in {core.dialog.acute, "lookup:acute", "learn:acute", "meldcode:acute",
                               "followup:acute"}:
            assert act.ACUTE in actions, screen.node  # acute help one tap away
        pressed = rng.choice(sorted(actions))
        reply = press(core, pressed)
        if act.LANGUAGE.arg(pressed) is None:  # only a new language is confirmed in a note
            assert reply.toast is None, (screen.node, pressed, reply.toast)


# --- the command layer ---------------------------------------------------------------------
def test_start_during_a_consultation_asks_before_starting_over(core: Core) -> None:
    start(core)
    press(core, act.NO)
    here = current(press(core, act.YES))  # two answers given
    asked = current(core.chat.command(KEY, "/start", "", "nl"))
    assert asked.actions() >= {act.RESUME, act.CONFIRM, act.ACUTE}
    back = current(press(core, act.RESUME))
    assert back.node == here.node != core.dialog.start  # where we were, answers kept
    current(core.chat.command(KEY, "/start", "", "nl"))
    fresh = current(press(core, act.CONFIRM))
    assert fresh.node == core.dialog.start
    s = core.sessions.get(KEY)
    assert s is not None and core.consultation.model(s).answers == {}


def test_restart_asks_to_confirm_and_back_keeps_the_answers(core: Core) -> None:
    start(core)
    press(core, act.NO)
    asked = current(press(core, act.RESTART))
    assert asked.actions() >= {act.CONFIRM, act.BACK}
    assert current(press(core, act.BACK)).node == "children"
    current(press(core, act.RESTART))
    assert current(press(core, act.CONFIRM)).node == core.dialog.start


def test_lookup_during_a_consultation_offers_the_way_back(core: Core) -> None:
    start(core)
    press(core, act.NO)
    menu = current(core.chat.command(KEY, "/zoek", "", "nl"))
    assert act.RESUME in menu.actions()
    card = current(core.chat.text(KEY, "huisverbod", "nl"))
    assert act.RESUME in card.actions()
    assert current(press(core, act.RESUME)).node == "children"
    learning = current(core.chat.command(KEY, "/leer", "", "nl"))
    assert act.RESUME in learning.actions()


def test_a_fresh_lookup_has_no_way_back_to_nothing(core: Core) -> None:
    menu = current(core.chat.command(KEY, "/zoek", "", "nl"))
    assert act.RESUME not in menu.actions()


def test_language_picker_is_a_screen_of_the_command_layer(core: Core) -> None:
    start(core)
    picker = current(core.chat.command(KEY, "/taal", "", "nl"))
    assert {act.LANGUAGE(code) for code in core.catalogs.available} <= picker.actions()
    reply = press(core, act.LANGUAGE("uk"))
    assert reply.lang == "uk" and reply.toast is not None
    assert current(reply).node == core.dialog.start


def test_stale_and_expired_presses_get_a_note(core: Core) -> None:
    start(core)
    s = core.sessions.get(KEY)
    assert s is not None
    old_step = s.step
    press(core, act.NO)
    stale = core.chat.press(KEY, s.sid, old_step, act.NO, "nl")
    assert stale.toast is not None and not stale.alert and not stale.screens
    expired = core.chat.press(KEY, "other", s.step, act.NO, "nl")
    assert expired.toast is not None and expired.alert
    forged = press(core, act.OPEN("approach"))  # not on this screen
    assert forged.toast is not None and not forged.screens


def test_wis_forgets_and_says_so(core: Core) -> None:
    start(core)
    s = core.sessions.get(KEY)
    assert s is not None
    s.remember_message(41)
    reply = core.chat.command(KEY, "/wis", "", "nl")
    assert reply.wipe == (41,)
    assert core.sessions.get(KEY) is None
    assert core.machine.model_count == 0
    after = core.chat.text(KEY, "hallo", "nl")
    assert after.screens and not after.screens[-1].buttons  # expired: tap /start


def test_every_engine_implements_the_protocol(core: Core) -> None:
    for mode, engine in core.engines.items():
        assert engine.mode == mode
        for method in ("begin", "show", "act", "acute", "text", "has_progress", "forget",
                       "diagram"):
            assert callable(getattr(engine, method)), (mode, method)


def test_console_and_telegram_share_the_command_layer() -> None:
    """Neither front-end implements a command itself: both call bot.ui.chat."""
    for front in ("bot/console.py", "bot/telegram/handlers.py"):
        source = (ROOT / front).read_text()
        assert "chat.command(" in source, front
        for command in ("nood", "opnieuw", "taal", "over"):
            assert f'"{command}"' not in source, (front, command)
    assert Path(ROOT / "bot" / "commands.py").exists() is False


def test_closing_a_consultation_asks_first(core: Core) -> None:
    start(core)
    press(core, act.NO)
    asked = current(press(core, act.CLOSE)) if act.CLOSE in current(
        core.chat.current(KEY)).actions() else None
    if asked is None:  # close sits on the result card: go there the quick way
        s = core.sessions.get(KEY)
        assert s is not None
        core.machine.jump(core.consultation.model(s), core.dialog.result)
        asked = current(press(core, act.CLOSE))
    assert asked.actions() >= {act.CONFIRM, act.BACK}
    assert current(press(core, act.BACK)).node == core.dialog.result  # nothing lost
    current(press(core, act.CLOSE))
    assert current(press(core, act.CONFIRM)).node == core.dialog.end
    s = core.sessions.get(KEY)
    assert s is not None and core.consultation.model(s).answers == {}


def test_a_code_pasted_over_given_answers_asks_before_replacing_them(core: Core) -> None:
    case = public_cases()[0]
    norm = {True: "yes", False: "no", None: "unknown"}
    code = core.codes.encode(Snapshot({k: norm.get(v, v) for k, v in case["answers"].items()}, 6))
    start(core)
    assert current(core.chat.text(KEY, code, "nl")).node == core.dialog.result  # nothing to lose
    start(core)
    fresh = current(press(core, act.CONFIRM))
    assert fresh.node == core.dialog.start
    press(core, act.NO)
    here = current(press(core, act.YES))  # two answers of today
    s = core.sessions.get(KEY)
    assert s is not None
    today = dict(core.consultation.model(s).answers)
    asked = current(core.chat.text(KEY, code, "nl"))
    assert asked.node == "overlay:code" and asked.actions() >= {act.CONFIRM, act.BACK, act.ACUTE}
    assert current(press(core, act.BACK)).node == here.node  # no: today's answers stay
    assert core.consultation.model(s).answers == today and s.pending is None
    current(core.chat.text(KEY, code, "nl"))
    core.chat.command(KEY, "/nood", "", "nl")  # moving on forgets the code it did not open
    assert s.pending is None and core.consultation.model(s).answers == today
    current(core.chat.text(KEY, code, "nl"))
    assert current(press(core, act.CONFIRM)).node == core.dialog.result
    snap = core.consultation.snapshot(s)
    assert snap is not None and core.codes.encode(snap) == code  # the code's answers, whole
