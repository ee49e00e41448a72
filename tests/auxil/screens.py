"""Every screen a user can reach, for the phone budgets: consultation, lookup, learning,
the follow-up, overlays and notices. Drives the engines and the command layer like a user
would."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.assess.code import Snapshot
from bot.core import Core
from bot.i18n import LANGUAGES
from bot.lookup.engine import TOPICS
from bot.ui import actions as act
from bot.ui import texts
from bot.ui.screen import Screen, notice
from tests.auxil.autopilot import choose
from tests.conftest import public_cases

KEY = "screens"
EXTRA_ANSWERS: list[dict[str, Any]] = [
    {"acute_danger": "yes", "children_present": "yes", "coercive_control": "yes",
     "isolation": "yes", "fear_of_partner": "yes", "strangulation": "yes", "weapon": "yes",
     "death_threats": "yes", "honour_related": "yes", "language_barrier": "yes",
     "safety_score": 2},
    {"acute_danger": "no", "children_present": "no"},  # thin: no profile in the foreground
]


def consultation_screens(core: Core, answers: dict[str, Any]) -> Iterator[tuple[str, Screen]]:
    s = core.sessions.open(KEY, "nl")
    screen = core.consultation.begin(s)
    m = core.consultation.model(s)
    for _ in range(80):
        yield m.state, screen
        keyboard = core.renderer.render(screen, "nl").keyboard
        action = choose(core.dialog.node(m.state), keyboard, answers)
        if action is None:
            break
        screen = core.consultation.act(s, action)
    result = screen
    yield "result", result
    for action in sorted(a for a in result.actions() if act.OPEN.arg(a) is not None):
        section = core.consultation.act(s, action)
        yield f"section:{act.OPEN.arg(action)}", section
        for extra in (act.MORE, act.SOURCES):
            if extra in section.actions():
                yield f"section:{act.OPEN.arg(action)}:{extra}", core.consultation.act(s, extra)
        for handout in sorted(a for a in section.actions() if act.HANDOUT.arg(a) is not None):
            for card in core.consultation.act(s, handout).before:
                yield f"handout:{act.HANDOUT.arg(handout)}", card
        core.consultation.act(s, act.BACK)
    yield "acute", core.consultation.act(s, act.ACUTE)
    core.consultation.act(s, act.BACK)
    yield "end", core.consultation.act(s, act.CLOSE)


def lookup_screens(core: Core) -> Iterator[tuple[str, Screen]]:
    s = core.sessions.open(KEY, "nl")
    yield "lookup:menu", core.lookup.begin(s)
    for key, _ in TOPICS:
        core.lookup.begin(s)
        page = core.lookup.act(s, act.TOPIC(key))
        yield f"lookup:topic:{key}", page
    for entry in core.lookup.index.entries:
        yield f"lookup:{entry.kind}:{entry.id}", core.lookup.open(s, entry.kind, entry.id)
        s.simple = True
        yield f"lookup:{entry.kind}:{entry.id}:simple", core.lookup.show(s)
        s.simple = False
    for query in ("huisverbod", "Mevrouw Jansen 0612345678", "qqq"):
        yield "lookup:results", core.lookup.text(s, query)
    yield "lookup:acute", core.lookup.acute(s)


def learning_screens(core: Core) -> Iterator[tuple[str, Screen]]:
    s = core.sessions.open(KEY, "nl")
    screen = core.learning.begin(s)
    yield "learn:menu", screen
    for pick in (0, -1):
        screen = core.learning.act(s, act.LEARN("path"))
        for _ in range(200):
            yield f"learn:{core.learning.model(s).state}", screen
            choices = [a for row in screen.buttons for b in row
                       if act.CHOICE.arg(a := b.action) is not None]
            if choices:
                screen = core.learning.act(s, choices[pick])
            elif act.NEXT in screen.actions():
                screen = core.learning.act(s, act.NEXT)
            else:
                break
        core.learning.begin(s)
    yield "learn:acute", core.learning.acute(s)


def command_screens(core: Core) -> Iterator[tuple[str, Screen]]:
    chat = core.chat
    key = KEY + ":commands"
    for command in ("/start", "/taal", "/help", "/over", "/onzin"):
        reply = chat.command(key, command, "", "nl")
        for screen in reply.screens:
            yield f"command:{command}:{screen.node}", screen
    chat.command(key, "/start", "", "nl")
    s = core.sessions.get(key)
    assert s is not None
    chat.press(key, s.sid, s.step, act.NO, "nl")
    yield "overlay:start", chat.command(key, "/start", "", "nl").screens[-1]
    chat.press(key, s.sid, s.step, act.RESUME, "nl")
    yield "overlay:restart", chat.press(key, s.sid, s.step, act.RESTART, "nl").screens[-1]
    for msg in (texts.USE_BUTTONS, texts.EXPIRED, texts.DELETED, texts.GROUP_ONLY_PRIVATE,
                texts.TOO_FAST, texts.ERROR):
        yield f"notice:{msg.msgid[:20]}", notice(msg)


# (months, direct safety, stable safety, what is new, safety score): every kind of outcome
FOLLOW_UPS = ((2, act.NO, None, "none", 7), (4, act.NO, None, "incident", 4),
              (10, act.YES, act.NO, "signals", 7), (10, act.YES, act.YES, "none", 8),
              (act.UNKNOWN, act.UNKNOWN, None, "unknown", None))


def followup_screens(core: Core) -> Iterator[tuple[str, Screen]]:
    """The follow-up from a code (every outcome, its routes, acute help), the restored and
    refused codes, and a follow-up without a code."""
    chat, key = core.chat, KEY + ":followup"
    norm = {True: "yes", False: "no", None: "unknown"}
    for case in public_cases()[:2]:
        snap = Snapshot({k: norm.get(v, v) for k, v in case["answers"].items()}, 6)
        code = core.codes.encode(snap)
        for screen in chat.text(key, code, "nl").screens:
            yield f"code:{screen.node}", screen
        for months, direct, stable, news, score in FOLLOW_UPS:
            reply = chat.command(key, "/vervolg", code, "nl")
            s = core.sessions.get(key)
            assert s is not None
            if reply.screens[-1].node == "overlay:code":  # over the last follow-up's answers
                yield "overlay:code", reply.screens[-1]
                reply = chat.press(key, s.sid, s.step, act.CONFIRM, "nl")
            for screen in reply.screens:
                yield f"followup:{screen.node}", screen
            screen = core.followup.act(s, act.CONTINUE)
            for _ in range(12):
                yield screen.node, screen
                node = screen.node.split(":")[1]
                answer = {"danger": act.NO, "months": act.MONTHS(months),
                          "direct_safety": direct, "stable_safety": stable,
                          "news": act.OPTION(news), "red_flags": act.DONE,
                          "red_flags_more": act.DONE,
                          "safety_score": act.SCALE(act.UNKNOWN if score is None else score)}
                if node == "outcome":
                    break
                screen = core.followup.act(s, answer[node] or act.UNKNOWN)
            if act.OPEN("routes") in screen.actions():
                yield "followup:routes", core.followup.act(s, act.OPEN("routes"))
            yield "followup:acute", core.followup.acute(s)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    for text in (wrong, code[:-3]):
        for screen in chat.text(key, text, "nl").screens:
            yield f"code:refused:{screen.node}", screen
    for screen in chat.command(key, "/start", "onbekend", "nl").screens:
        yield f"link:{screen.node}", screen
    fresh = KEY + ":fresh"
    yield "followup:intro:fresh", chat.command(fresh, "/vervolg", "", "nl").screens[-1]


def meldcode_screens(core: Core) -> Iterator[tuple[str, Screen]]:
    """The weighing step to every outcome (each answer pattern) and the handovers, from the
    result of every public case and of the extra answer sets."""
    chat = core.chat
    cases = [c["answers"] for c in public_cases()] + EXTRA_ANSWERS
    for i, answers in enumerate(cases):
        key = f"{KEY}:meldcode:{i}"
        for pattern in (act.YES, act.NO, act.UNKNOWN):
            reply = chat.command(key, "/start", "", "nl")
            s = core.sessions.get(key)
            assert s is not None
            if reply.screens[-1].node.startswith("overlay"):  # start over: asked first
                reply = chat.press(key, s.sid, s.step, act.CONFIRM, "nl")
                s = core.sessions.get(key)
                assert s is not None
            screen = reply.screens[-1]
            m = core.consultation.model(s)
            while (action := choose(core.dialog.node(m.state),
                                    core.renderer.render(screen, "nl").keyboard, answers)):
                screen = chat.press(key, s.sid, s.step, action, "nl").screens[-1]
            weigh = next(a for a in screen.actions() if a.startswith(act.MODE("meldcode"))
                         and act.HANDOVER.kind + act.SEP not in a)
            screen = chat.press(key, s.sid, s.step, weigh, "nl").screens[-1]
            for _ in range(8):
                yield f"meldcode:{screen.node}", screen
                if pattern not in screen.actions():
                    break
                screen = chat.press(key, s.sid, s.step, pattern, "nl").screens[-1]
            for action in sorted(a for a in screen.actions() if act.HANDOVER.arg(a) is not None):
                for card in chat.press(key, s.sid, s.step, action, "nl").screens:
                    yield f"handover:{card.node}", card


def every_screen(core: Core) -> Iterator[tuple[str, Screen]]:
    for case in public_cases():
        yield from consultation_screens(core, case["answers"])
    for answers in EXTRA_ANSWERS:
        yield from consultation_screens(core, answers)
    yield from lookup_screens(core)
    yield from learning_screens(core)
    yield from followup_screens(core)
    yield from meldcode_screens(core)
    yield from command_screens(core)


__all__ = ["LANGUAGES", "every_screen"]
