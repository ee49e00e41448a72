"""The command layer: what both front-ends call, per chat key, and the Screens they get back.

Front-ends only translate their input into `command`, `press` and `text` calls and
render the Reply; everything a user can do (commands, buttons, typed text) is decided
here or in the engine of the session's mode. Confirmations and the language picker are
overlays: screens of this layer on top of the mode's screen, with their own buttons.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from bot import __version__
from bot.assess.code import Codebook, CodeError, Decoded
from bot.i18n import DEFAULT_LANG, LANGUAGE_NAMES
from bot.i18n.review import translation_note
from bot.ui import actions as act
from bot.ui import nav, texts
from bot.ui.commands import resolve
from bot.ui.engine import Engine, InvalidAction, Resumable
from bot.ui.screen import N_, Button, Line, Msg, Plain, Row, Screen, notice
from bot.ui.session import Session, SessionStore

CONSULT, FOLLOWUP = "consult", "followup"
LINKS = ("nood", "zoek", "leer", "vervolg")  # deep links: t.me/<bot>?start=nood opens /nood
LANGUAGE, CONFIRM_RESTART, CONFIRM_START, CONFIRM_CLOSE = "language", "restart", "start", "close"
CONFIRM_CODE = "code"

RESUME_CONSULT = Button(act.RESUME, Msg(N_("↩️ Terug naar je consultatie")))
RESTART_QUESTION = Msg(N_("Opnieuw beginnen? Je antwoorden tot nu toe worden gewist."))
CLOSE_QUESTION = Msg(N_("Afsluiten? Je antwoorden worden gewist."))
CODE_QUESTION = Msg(N_("Deze code is goed gelezen. Openen? De antwoorden die je nu hebt "
                       "gegeven worden dan vervangen door die van de code."))
START_QUESTION = Msg(N_("Je bent nog bezig met een consultatie. Wil je verder waar je was, of "
                        "opnieuw beginnen? Opnieuw beginnen wist je antwoorden."))
# yes / no confirmations: the question, and what "yes" says it does
CONFIRMS = {CONFIRM_RESTART: (RESTART_QUESTION, Msg(N_("Ja, opnieuw beginnen"))),
            CONFIRM_CLOSE: (CLOSE_QUESTION, Msg(N_("Ja, afsluiten"))),
            CONFIRM_CODE: (CODE_QUESTION, Msg(N_("Ja, code openen")))}


@dataclass(frozen=True)
class Reply:
    screens: tuple[Screen, ...] = ()
    session: Session | None = None  # buttons are signed for it; message ids are kept in it
    lang: str = DEFAULT_LANG
    toast: Msg | None = None  # a short note on the pressed button
    alert: bool = False  # the note must be acknowledged (an expired conversation)
    wipe: tuple[int, ...] | None = None  # /wis: the bot's messages to delete


class Chat:
    def __init__(self, engines: Mapping[str, Engine], sessions: SessionStore,
                 languages: tuple[str, ...], codes: Codebook | None = None,
                 about: tuple[Msg, ...] = ()) -> None:
        self.engines = engines
        self.sessions = sessions
        self.languages = languages
        self.codes = codes  # resume codes; without them typed text is never read as one
        self.about_more = about  # /over: the region and how fresh its contacts are

    # --- front-end entry points --------------------------------------------------------------
    def command(self, key: str, name: str, arg: str = "", lang: str = DEFAULT_LANG) -> Reply:
        command = resolve(name)
        s = self.sessions.get(key)
        lang = s.lang if s is not None else lang
        if command == "wis":
            dropped = self.sessions.drop(key)
            return Reply((notice(texts.DELETED),), lang=lang,
                         wipe=tuple(dropped.sent) if dropped is not None else ())
        if command in (None, "help", "over"):
            if command == "help":
                msgs: tuple[Msg, ...] = (texts.HELP, texts.HELP_FOLLOWUP)
            elif command == "over":
                msgs = self.about(lang)
            else:
                msgs = (texts.UNKNOWN_COMMAND,)
            return self._with_notice(s, lang, *msgs)
        if command == "start":
            return self._start(key, s, lang, arg)
        if s is None:
            s = self._open(key, lang)
            self.engines[CONSULT].begin(s)
        if command in ("zoek", "leer"):
            return self._switch(s, "lookup" if command == "zoek" else "learn")
        if command == "vervolg":
            if arg:  # /vervolg CODE: the code's answers are the earlier answers
                s.mode, s.overlay = FOLLOWUP, None
                return self._code(key, s, arg, lang)
            return self._switch(s, FOLLOWUP)
        if command == "opnieuw":
            return self._restart(s)
        if command == "nood":
            s.overlay = None
            return self._reply(s, self.engine(s).acute(s))
        # /taal, or /taal <code>
        if arg in self.languages:
            return self._set_language(s, arg)
        s.overlay = LANGUAGE
        return self._reply(s, self._overlay(s))

    def press(self, key: str, sid: str, step: int, action: str,
              lang: str = DEFAULT_LANG) -> Reply:
        s = self.sessions.get(key)
        if s is None or sid != s.sid:
            return Reply(lang=s.lang if s else lang, toast=texts.EXPIRED, alert=True)
        if step != s.step and not (s.pinned and step == s.pinned):
            return Reply(session=s, lang=s.lang, toast=texts.STALE_BUTTON)
        if s.overlay is not None:
            return self._overlay_act(s, action)
        if action == act.RESUME and s.mode != CONSULT and self._consult_live(s):
            s.mode = CONSULT
            return self._reply(s, self.engines[CONSULT].show(s))
        if action in (act.RESTART, act.CLOSE) and self.engine(s).has_progress(s):
            # answers given are lost by one tap only after a second one
            s.overlay = CONFIRM_RESTART if action == act.RESTART else CONFIRM_CLOSE
            return self._reply(s, self._overlay(s))
        try:
            screen = self.engine(s).act(s, action)
        except InvalidAction:
            return Reply(session=s, lang=s.lang, toast=texts.STALE_BUTTON)
        target = act.MODE.arg(action)
        if target is not None:  # the engine knew it as one of its buttons (it does nothing
            return self._enter(s, target)  # with it): open that mode
        return self._reply(s, screen)

    def text(self, key: str, typed: str, lang: str = DEFAULT_LANG) -> Reply:
        """Typed text: a resume code (in any mode), a lookup query, otherwise a pointer to the
        buttons. Never kept."""
        s = self.sessions.get(key)
        if self.is_code(typed):
            return self._code(key, s, typed, lang)
        if s is None:
            return Reply((notice(texts.EXPIRED),), lang=lang)
        if s.overlay is None:
            screen = self.engine(s).text(s, typed)
            if screen is not None:
                return self._reply(s, screen)
        return self._with_notice(s, s.lang, texts.USE_BUTTONS)

    def is_code(self, typed: str) -> bool:
        """Whether typed text is meant as a resume code (read in every mode)."""
        return self.codes is not None and self.codes.is_candidate(typed)

    def takes_text(self, key: str) -> bool:
        """Whether typed text is input at the chat's current screen (a lookup search)."""
        s = self.sessions.get(key)
        return s is not None and s.overlay is None and self.engine(s).takes_text

    def current(self, key: str, lang: str = DEFAULT_LANG) -> Reply:
        """The screen the chat is at, shown again (or the expired notice)."""
        s = self.sessions.get(key)
        if s is None:
            return Reply((notice(texts.EXPIRED),), lang=lang)
        return self._reply(s, self._current(s))

    def about(self, lang: str) -> tuple[Msg, ...]:
        minutes = int(self.sessions.ttl // 60)
        msgs = (Msg.of(texts.ABOUT, version=__version__, minutes=minutes), *self.about_more)
        note = translation_note(lang)  # None for Dutch, the source
        return msgs if note is None else (*msgs, note)

    # --- helpers -------------------------------------------------------------------------------
    def engine(self, s: Session) -> Engine:
        return self.engines[s.mode]

    def _open(self, key: str, lang: str, mode: str = CONSULT,
              old: Session | None = None) -> Session:
        s = self.sessions.open(key, lang, mode)
        if old is not None:  # keep what /wis must still be able to delete, and the settings
            s.sent, s.simple = old.sent, old.simple
        return s

    def _start(self, key: str, s: Session | None, lang: str, arg: str = "") -> Reply:
        if arg:
            return self._deep_link(key, s, lang, arg)
        if s is not None and self._consult_live(s):
            s.overlay = CONFIRM_START
            return self._reply(s, self._overlay(s))
        fresh = self._open(key, lang, old=s)
        return self._reply(fresh, self.engines[CONSULT].begin(fresh))

    def _switch(self, s: Session, mode: str) -> Reply:
        s.overlay = None
        s.mode = mode
        return self._reply(s, self.engines[mode].begin(s))

    def _enter(self, s: Session, target: str) -> Reply:
        """A mode opened by a button of another (the meldcode step from the result):
        `mode`, or `mode:action` to press that action on the new mode's first screen."""
        mode, _, first = target.partition(act.SEP)
        if mode not in self.engines:
            return Reply(session=s, lang=s.lang, toast=texts.STALE_BUTTON)
        s.mode = mode
        screen = self.engines[mode].begin(s)
        if first:
            screen = self.engines[mode].act(s, first)
        return self._reply(s, screen)

    def _restart(self, s: Session) -> Reply:
        s.overlay = None
        if self.engine(s).has_progress(s):
            s.overlay = CONFIRM_RESTART
            return self._reply(s, self._overlay(s))
        return self._reply(s, self.engine(s).begin(s))

    def _set_language(self, s: Session, code: str) -> Reply:
        s.lang = code
        s.overlay = None
        return self._with_notice(s, code, texts.LANGUAGE_SET)

    def _consult_live(self, s: Session) -> bool:
        return CONSULT in s.models and self.engines[CONSULT].has_progress(s)

    def _current(self, s: Session) -> Screen:
        if s.overlay is not None:
            return self._overlay(s)
        return self.engine(s).show(s)

    def _reply(self, s: Session, screen: Screen) -> Reply:
        if s.overlay != CONFIRM_CODE:
            s.pending = None  # a code not confirmed is forgotten once the chat moves on
        if s.mode != CONSULT and s.overlay is None and self._consult_live(s):
            # lookup or learning opened during a consultation: one tap back to it, above nav
            rows = screen.buttons
            screen = replace(screen, buttons=(*rows[:-1], (RESUME_CONSULT,), *rows[-1:]))
        s.step += 1  # the buttons of every earlier screen are now stale ...
        if screen.placement == "keep" and screen.buttons:
            s.pinned = s.step  # ... except those of a card that stays in the chat
        return Reply((*screen.before, screen), session=s, lang=s.lang)

    def _with_notice(self, s: Session | None, lang: str, *msgs: Msg) -> Reply:
        if s is None:
            return Reply((notice(*msgs),), lang=lang)
        reply = self._reply(s, self._current(s))
        return Reply((notice(*msgs), *reply.screens), session=s, lang=s.lang)

    # --- deep links and resume codes -------------------------------------------------------------
    # t.me/<bot>?start=X reaches the bot as "/start X": X is a place (LINKS), or a resume code.
    def _deep_link(self, key: str, s: Session | None, lang: str, arg: str) -> Reply:
        if arg.lower() in LINKS:
            return self.command(key, arg.lower(), "", lang)
        if self.is_code(arg):
            return self._code(key, s, arg, lang, on_error=self._start)
        started = self._start(key, s, lang)  # an unknown link: say so, then start as usual
        return replace(started, screens=(notice(texts.UNKNOWN_LINK), *started.screens))

    def _code(self, key: str, s: Session | None, typed: str, lang: str,
              on_error: Callable[[str, Session | None, str], Reply] | None = None) -> Reply:
        """A resume code: its answers in the consultation (or, during a follow-up, as the
        earlier answers), or what is wrong with it. The typed text is never shown back."""
        assert self.codes is not None
        try:
            decoded = self.codes.decode(typed)
        except CodeError as exc:
            error = notice(texts.CODE_ERRORS[exc.kind])
            then = on_error(key, s, lang) if on_error is not None else (
                self._reply(s, self._current(s)) if s is not None else Reply((notice(texts.EXPIRED),)))
            return replace(then, screens=(error, *then.screens), lang=s.lang if s else lang)
        s = s if s is not None else self._open(key, lang)
        s.overlay = None
        if not isinstance(self.engine(s), Resumable):
            s.mode = CONSULT
        if self.engine(s).has_progress(s):  # answers given are replaced only after a second tap
            s.overlay, s.pending = CONFIRM_CODE, decoded
            return self._reply(s, self._overlay(s))
        return self._resume(s, decoded)

    def _resume(self, s: Session, decoded: Decoded) -> Reply:
        engine = self.engine(s)
        assert isinstance(engine, Resumable)
        return self._reply(s, engine.resume(s, decoded))

    # --- overlays ------------------------------------------------------------------------------
    def _overlay(self, s: Session) -> Screen:
        rows: list[Row]
        if s.overlay == LANGUAGE:
            buttons = [Button(act.LANGUAGE(code), Plain(LANGUAGE_NAMES.get(code, code)))
                       for code in self.languages]
            rows = [tuple(buttons[i:i + 2]) for i in range(0, len(buttons), 2)]
            lines = (Line((texts.LANGUAGE_PROMPT,), "title"),)
        elif s.overlay == CONFIRM_START:
            rows = [(Button(act.RESUME, Msg(N_("▶️ Verder waar ik was"))),),
                    (Button(act.CONFIRM, Msg(N_("🔄 Opnieuw beginnen"))),)]
            lines = (Line((START_QUESTION,), "title"),)
        else:
            question, yes = CONFIRMS[s.overlay or CONFIRM_RESTART]
            rows = [(Button(act.CONFIRM, yes),), (Button(act.BACK, Msg(N_("Nee, ga terug"))),)]
            lines = (Line((question,), "title"),)
        back = s.overlay == LANGUAGE
        return Screen(f"overlay:{s.overlay}", lines, (*rows, *nav.nav_rows(back=back)))

    def _overlay_act(self, s: Session, action: str) -> Reply:
        if action not in self._overlay(s).actions():
            return Reply(session=s, lang=s.lang, toast=texts.STALE_BUTTON)
        overlay, s.overlay = s.overlay, None
        pending, s.pending = s.pending, None
        code = act.LANGUAGE.arg(action)
        if code is not None:  # the picker gives way to the screen, now in that language
            s.lang = code
            return replace(self._reply(s, self._current(s)), toast=texts.LANGUAGE_SET)
        if action == act.ACUTE:
            return self._reply(s, self.engine(s).acute(s))
        if action == act.CONFIRM and overlay == CONFIRM_START:
            fresh = self._open(s.key, s.lang, old=s)
            return self._reply(fresh, self.engines[CONSULT].begin(fresh))
        if action == act.CONFIRM and overlay == CONFIRM_CODE and pending is not None:
            return self._resume(s, pending)
        if action == act.CONFIRM and overlay == CONFIRM_CLOSE:
            return self._reply(s, self.engine(s).act(s, act.CLOSE))
        if action == act.CONFIRM:
            return self._reply(s, self.engine(s).begin(s))
        if action == act.RESUME:
            s.mode = CONSULT
        return self._reply(s, self._current(s))
