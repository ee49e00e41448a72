"""The console chat: the same command layer and texts as Telegram, with numbered choices.

Works with piped stdin for scripted use. A choice is typed as its number; where the
buttons are values themselves (the safety scale), the value is typed. Typed text is only
ever compared with numbers and commands or passed on as a lookup query; it is never
printed back, stored or logged.
"""

from __future__ import annotations

from typing import TextIO

from bot.core import Core
from bot.i18n import DEFAULT_LANG
from bot.ui import texts
from bot.ui.chat import Reply
from bot.ui.render import Keyboard
from bot.ui.screen import Msg

QUIT_WORDS = {"q", "quit", "exit", "stop"}
CONSOLE_KEY = "console"
OPENING = {"consult": "start", "lookup": "zoek", "learn": "leer", "followup": "vervolg"}


def typed_keys(keyboard: Keyboard) -> list[list[tuple[str, str, str]]]:
    """(what to type, action, label) per button. Buttons that are values (the safety
    scale's 0-10) are typed as their value; the others are numbered after them."""
    values = {label for row in keyboard for _, label in row if label.isdigit()}
    number = max((int(v) for v in values), default=0)
    rows = []
    for row in keyboard:
        cells = []
        for action, label in row:
            if label in values:
                key = label
            else:
                number += 1
                key = str(number)
            cells.append((key, action, label))
        rows.append(cells)
    return rows


class ConsoleChat:
    def __init__(self, core: Core, lang: str, stdin: TextIO, stdout: TextIO,
                 mode: str = "consult", resume: str = "") -> None:
        self.core = core
        self.lang = lang if lang in core.catalogs.available else DEFAULT_LANG
        self.stdin = stdin
        self.stdout = stdout
        self.mode = mode
        self.keys: dict[str, str] = {}  # what the user types -> the action of that button
        self.resume = resume  # a resume code: open at its result (/start CODE)

    def say(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def show(self, reply: Reply) -> None:
        """Print a reply; remembers the keys of its last keyboard."""
        self.lang = reply.lang
        render = self.core.renderer
        if reply.toast is not None:
            self.say(render.message(reply.toast, reply.lang))
        for screen in reply.screens:
            rendered = render.render(screen, reply.lang, "plain")
            self.say("")
            if screen.placement == "keep":
                self.say("-" * 60)
            self.say(rendered.text)
            if screen.placement == "keep":
                self.say("-" * 60)
            if not rendered.keyboard:
                continue
            rows = typed_keys(rendered.keyboard)
            self.keys = {key: action for row in rows for key, action, _ in row}
            for row in rows:
                self.say("  " + "   ".join(f"[{key}] {label}" for key, _, label in row))

    def run(self) -> int:
        chat = self.core.chat
        if self.resume:
            self.show(chat.command(CONSOLE_KEY, "start", self.resume, self.lang))
        else:
            self.show(chat.command(CONSOLE_KEY, OPENING.get(self.mode, "start"), "", self.lang))
        while True:
            self.stdout.write("> ")
            self.stdout.flush()
            line = self.stdin.readline()
            if not line:  # EOF: a piped script ended
                self.say("")
                self.say(self.core.renderer.message(texts.GOODBYE, self.lang))
                return 0
            typed = line.strip()
            if typed.lower() in QUIT_WORDS:
                self.say(self.core.renderer.message(texts.GOODBYE, self.lang))
                return 0
            if not typed:
                continue
            if typed.startswith("/"):
                name, _, arg = typed.partition(" ")
                self.show(chat.command(CONSOLE_KEY, name, arg.strip(), self.lang))
                continue
            s = self.core.sessions.get(CONSOLE_KEY)
            if chat.is_code(typed):  # a resume code, in every mode (never printed back)
                self.show(chat.text(CONSOLE_KEY, typed, self.lang))
            elif s is None:  # deleted (/wis) or expired: say so, and how to start again
                self.show(chat.current(CONSOLE_KEY, self.lang))
                self.keys = {}
            elif typed in self.keys:
                self.show(chat.press(CONSOLE_KEY, s.sid, s.step, self.keys[typed], self.lang))
            elif chat.takes_text(CONSOLE_KEY):  # a lookup search, also for "112"
                self.show(chat.text(CONSOLE_KEY, typed, self.lang))
            else:  # text or a number where only the choices on screen count
                highest = max((int(k) for k in self.keys), default=0)
                self.say(self.core.renderer.message(Msg.of(texts.USE_NUMBER, max=highest),
                                                    self.lang))
