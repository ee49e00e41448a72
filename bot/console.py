"""The console chat: the same dialog and texts as Telegram, with numbered choices.

Works with piped stdin for scripted use. Typed text is only ever compared
with numbers and commands; it is never printed back, stored or logged.
"""

from __future__ import annotations

from typing import TextIO

from bot import __version__, texts
from bot.commands import resolve
from bot.core import Core
from bot.dialog.engine import InvalidAction
from bot.dialog.screen import Msg, Screen
from bot.dialog.session import Session
from bot.i18n import DEFAULT_LANG

QUIT_WORDS = {"q", "quit", "exit", "stop"}
CONSOLE_KEY = "console"


class ConsoleChat:
    def __init__(self, core: Core, lang: str, stdin: TextIO, stdout: TextIO,
                 mode: str = "consult") -> None:
        self.core = core
        self.lang = lang if lang in core.catalogs.available else DEFAULT_LANG
        self.stdin = stdin
        self.stdout = stdout
        self.mode = mode

    def say(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def say_msg(self, msg: Msg) -> None:
        self.say(self.core.renderer.message(msg, self.lang))

    def show(self, screen: Screen) -> list[str]:
        """Print a screen; returns the actions in the order of their numbers."""
        if screen.attachment is not None:
            card = self.core.renderer.render(screen.attachment, self.lang, "plain")
            self.say("")
            self.say("-" * 60)
            self.say(card.text)
            self.say("-" * 60)
        rendered = self.core.renderer.render(screen, self.lang, "plain")
        self.say("")
        self.say(rendered.text)
        actions: list[str] = []
        for row in rendered.keyboard:
            cells = []
            for action, label in row:
                actions.append(action)
                cells.append(f"[{len(actions)}] {label}")
            self.say("  " + "   ".join(cells))
        return actions

    def run(self) -> int:
        self.session = self._open()
        actions = self.show(self.core.switch(self.session, self.mode))
        while True:
            self.stdout.write("> ")
            self.stdout.flush()
            line = self.stdin.readline()
            if not line:  # EOF: a piped script ended
                self.say("")
                self.say_msg(texts.GOODBYE)
                return 0
            typed = line.strip()
            if typed.lower() in QUIT_WORDS:
                self.say_msg(texts.GOODBYE)
                return 0
            if not typed:
                continue
            if typed.startswith("/"):
                screen = self._command(typed)
                if screen is not None:
                    actions = self.show(screen)
                continue
            engine = self.core.engine(self.session)
            if not typed.isdigit() and self.session.mode == "lookup":
                actions = self.show(self.core.lookup.query(self.session, typed))
                continue
            if not typed.isdigit() or not 1 <= int(typed) <= len(actions):
                self.say(self.core.renderer.message(
                    Msg.of(texts.USE_NUMBER, max=len(actions)), self.lang))
                continue
            try:
                actions = self.show(engine.act(self.session, actions[int(typed) - 1]))
            except InvalidAction:  # cannot happen with numbers from the last screen
                actions = self.show(engine.show(self.session))

    def _open(self) -> Session:
        return self.core.sessions.open(CONSOLE_KEY, self.lang, self.mode)

    def _command(self, typed: str) -> Screen | None:
        session = self.session
        engine = self.core.engine(session)
        command = resolve(typed.split()[0])
        if command == "start":
            return self.core.switch(session, "consult")
        if command in ("zoek", "leer"):
            return self.core.switch(session, "lookup" if command == "zoek" else "learn")
        if command == "opnieuw":
            return engine.begin(session)
        if command == "nood":
            return engine.acute(session)
        if command == "help":
            self.say_msg(texts.HELP)
            return engine.show(session)
        if command == "over":
            minutes = int(self.core.sessions.ttl // 60)
            self.say_msg(Msg.of(texts.ABOUT, version=__version__, minutes=minutes))
            if self.lang != DEFAULT_LANG:
                self.say_msg(Msg(texts.TRANSLATION_NOTE))
            return engine.show(session)
        if command == "taal":
            parts = typed.split()
            if len(parts) > 1 and parts[1] in self.core.catalogs.available:
                self.lang = parts[1]
                session.lang = parts[1]
            else:
                self.say_msg(texts.LANGUAGE_PROMPT)
                self.say("  " + ", ".join(f"/taal {code}" for code in
                                          self.core.catalogs.available))
            return engine.show(session)
        if command == "wis":
            self.core.sessions.drop(CONSOLE_KEY)
            self.say_msg(texts.DELETED)
            self.session = self._open()
            return self.core.switch(self.session, self.session.mode)
        self.say_msg(texts.UNKNOWN_COMMAND)
        return None
