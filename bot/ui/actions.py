"""Every button action by name: what a button does, and where it is handled.

A button carries an action code: a kind ("b") or, for kinds with an argument, the kind, a
colon and the argument ("o:first"). Engines compare against these names, never against
literals or labels. `TABLE` is the one place that says what each kind means; the README's
"where is X" table is generated from it (`python -m bot actions`) and a test keeps every
button on every screen inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

SEP = ":"


@dataclass(frozen=True)
class Prefix:
    """A kind that takes an argument: `OPTION("first")` is the code "o:first"."""

    kind: str

    def __call__(self, arg: str | int) -> str:
        return f"{self.kind}{SEP}{arg}"

    def arg(self, action: str) -> str | None:
        """The argument when `action` is of this kind, else None."""
        kind, sep, arg = action.partition(SEP)
        return arg if sep and kind == self.kind else None


# --- kinds without an argument -------------------------------------------------------------
BACK: Final = "b"
ACUTE: Final = "a"
RESTART: Final = "r"
CONFIRM: Final = "ok"
RESUME: Final = "go"
CLOSE: Final = "e"
CONTINUE: Final = "c"
SIMPLE: Final = "x"
HOME: Final = "g"
NEXT: Final = "f"
YES: Final = "y"
NO: Final = "n"
UNKNOWN: Final = "u"
DONE: Final = "d"
DONE_UNKNOWN: Final = "w"
DISCREET: Final = "dz"
MORE: Final = "mo"
SOURCES: Final = "src"

# --- kinds with an argument ----------------------------------------------------------------
OPTION: Final = Prefix("o")  # a choice question's option id
SCALE: Final = Prefix("s")  # a value on the safety scale, or "u"
TOGGLE: Final = Prefix("t")  # a checklist item by position
OPEN: Final = Prefix("m")  # a menu item of the consultation (a result section, the handout)
HANDOUT: Final = Prefix("h")  # the client card in a language
TOPIC: Final = Prefix("k")  # a lookup topic
PAGE: Final = Prefix("p")  # a page of a lookup topic
ENTRY: Final = Prefix("i")  # a lookup card by index
CHOICE: Final = Prefix("q")  # a learning exercise's choice id
LEARN: Final = Prefix("j")  # a learning entry point: path, cases, quiz
LANGUAGE: Final = Prefix("l")  # the interface language (/taal)
MODE: Final = Prefix("md")  # another mode opened from this screen: "<mode>" or "<mode>:<action>"
HANDOVER: Final = Prefix("v")  # the handover for a call to Veilig Thuis, in a language
MONTHS: Final = Prefix("mn")  # months since the arrangement started (0-12), or "u"


@dataclass(frozen=True)
class Kind:
    code: str
    name: str
    meaning: str
    handled_in: str
    takes_arg: bool = False


_CONSULT = "bot/dialog/engine.py"
_LOOKUP = "bot/lookup/engine.py"
_LEARNING = "bot/learn/engine.py"
_COMMANDS = "bot/ui/chat.py"
_MELDCODE = "bot/meldcode/engine.py"
_FOLLOWUP = "bot/followup/engine.py"
_EVERY = "every mode (`Engine.act`)"

TABLE: tuple[Kind, ...] = (
    Kind(BACK, "BACK", "back to the previous screen; the answer given there is shown", _EVERY),
    Kind(ACUTE, "ACUTE", "acute help: 112, Veilig Thuis 0800-2000, what to do now (also /nood)",
         _EVERY),
    Kind(RESTART, "RESTART", "start this mode again (a consultation asks to confirm first)", _EVERY),
    Kind(CONFIRM, "CONFIRM", "yes: start over, close / what a confirmation screen asks",
         _COMMANDS),
    Kind(RESUME, "RESUME", "go on where you were (after /start, or back from lookup/learning)",
         _COMMANDS),
    Kind(CLOSE, "CLOSE", "close the consultation and forget its answers", _CONSULT),
    Kind(CONTINUE, "CONTINUE", "continue after an information screen", f"{_CONSULT}, {_FOLLOWUP}"),
    Kind(SIMPLE, "SIMPLE", "simple language (B1) on/off for the client card and lookup",
         f"{_CONSULT}, {_LOOKUP}"),
    Kind(HOME, "HOME", "the mode's overview: lookup topics, the learning menu",
         f"{_LOOKUP}, {_LEARNING}"),
    Kind(NEXT, "NEXT", "the next learning step", _LEARNING),
    Kind(YES, "YES", "answer yes", f"{_CONSULT}, {_MELDCODE}, {_FOLLOWUP}"),
    Kind(NO, "NO", "answer no", f"{_CONSULT}, {_MELDCODE}, {_FOLLOWUP}"),
    Kind(UNKNOWN, "UNKNOWN", "answer don't know", f"{_CONSULT}, {_MELDCODE}, {_FOLLOWUP}"),
    Kind(DONE, "DONE", "checklist done: ticked items yes, the others no",
         f"{_CONSULT}, {_FOLLOWUP}"),
    Kind(DONE_UNKNOWN, "DONE_UNKNOWN", "checklist done: ticked items yes, the others unknown",
         f"{_CONSULT}, {_FOLLOWUP}"),
    Kind(DISCREET, "DISCREET", "the client card without anything that shows it is about violence",
         _CONSULT),
    Kind(MORE, "MORE", "the rest of a section (its first items are shown first)", _CONSULT),
    Kind(SOURCES, "SOURCES", "the sources of the screen", _CONSULT),
    Kind(OPTION.kind, "OPTION", "pick an option of a choice question", f"{_CONSULT}, {_FOLLOWUP}",
         True),
    Kind(SCALE.kind, "SCALE", "a value 0-10 on the safety scale, or u for don't know",
         f"{_CONSULT}, {_FOLLOWUP}", True),
    Kind(TOGGLE.kind, "TOGGLE", "tick or untick a checklist item", f"{_CONSULT}, {_FOLLOWUP}", True),
    Kind(OPEN.kind, "OPEN", "open a menu item of the result (a section, the client card, the "
         "follow-up's escalation steps)", f"{_CONSULT}, {_FOLLOWUP}", True),
    Kind(HANDOUT.kind, "HANDOUT", "make the client card in a language", _CONSULT, True),
    Kind(TOPIC.kind, "TOPIC", "open a lookup topic", _LOOKUP, True),
    Kind(PAGE.kind, "PAGE", "another page of a lookup topic", _LOOKUP, True),
    Kind(ENTRY.kind, "ENTRY", "open a lookup card", _LOOKUP, True),
    Kind(CHOICE.kind, "CHOICE", "answer a learning exercise", _LEARNING, True),
    Kind(LEARN.kind, "LEARN", "go to a part of the learning path (lessons, cases, quiz)",
         _LEARNING, True),
    Kind(LANGUAGE.kind, "LANGUAGE", "set the interface language (/taal)", _COMMANDS, True),
    Kind(MODE.kind, "MODE", "open another mode from this screen: the meldcode step from the "
         "result (`md:meldcode`), or its first screen's action (`md:meldcode:v:nl`); the "
         "follow-up from the code screen (`md:followup`)", _COMMANDS, True),
    Kind(HANDOVER.kind, "HANDOVER", "the handover for the call to Veilig Thuis, in Dutch or in "
         "the user's language (a card of its own, to forward)", _MELDCODE, True),
    Kind(MONTHS.kind, "MONTHS", "months since the arrangement started (0-12+), or u for don't know",
         _FOLLOWUP, True),
)
BY_CODE = {k.code: k for k in TABLE}


def kind_of(action: str) -> Kind | None:
    """The table entry for an action code, or None for an unknown code."""
    code, sep, _ = action.partition(SEP)
    kind = BY_CODE.get(code)
    if kind is None or kind.takes_arg != bool(sep):
        return None
    return kind


def markdown_table() -> str:
    """The README table: one row per kind."""
    rows = ["| code | name | what the button does | handled in |", "|---|---|---|---|"]
    for k in TABLE:
        code = f"`{k.code}:<arg>`" if k.takes_arg else f"`{k.code}`"
        rows.append(f"| {code} | {k.name} | {k.meaning} | {k.handled_in} |")
    return "\n".join(rows) + "\n"
