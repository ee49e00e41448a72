"""Everything a front-end needs, built once at start-up from the data files."""

from __future__ import annotations

from dataclasses import dataclass

from bot.assess.code import Codebook
from bot.dialog.engine import Consultation
from bot.dialog.machine import DialogMachine
from bot.dialog.spec import Dialog, load_dialog
from bot.followup.engine import FollowupEngine
from bot.i18n import Catalogs
from bot.kb import Knowledge, load_knowledge
from bot.learn.engine import Learning
from bot.lookup.engine import Lookup
from bot.lookup.index import LookupIndex
from bot.meldcode.engine import Meldcode
from bot.ui import region
from bot.ui.chat import Chat
from bot.ui.engine import Engine
from bot.ui.render import Renderer
from bot.ui.session import DEFAULT_MAX_SESSIONS, Session, SessionStore

DEFAULT_TTL_SECONDS = 30 * 60


@dataclass
class Core:
    kb: Knowledge
    dialog: Dialog
    machine: DialogMachine
    consultation: Consultation
    lookup: Lookup
    learning: Learning
    meldcode: Meldcode
    followup: FollowupEngine
    codes: Codebook  # resume codes: every published version
    catalogs: Catalogs
    renderer: Renderer
    sessions: SessionStore
    chat: Chat

    @property
    def engines(self) -> dict[str, Engine]:
        return dict(self.chat.engines)

    def engine(self, s: Session) -> Engine:
        """The engine of the session's mode."""
        return self.chat.engine(s)

    def switch(self, s: Session, mode: str) -> None:
        """Make `mode` the session's active mode, starting it afresh."""
        s.mode = mode
        s.overlay = None
        self.chat.engines[mode].begin(s)


def build_core(kb: Knowledge | None = None, ttl_seconds: float = DEFAULT_TTL_SECONDS,
               max_sessions: int = DEFAULT_MAX_SESSIONS) -> Core:
    kb = kb or load_knowledge()
    dialog = load_dialog(kb)
    machine = DialogMachine(dialog)
    catalogs = Catalogs()
    consultation = Consultation(kb, dialog, machine, catalogs.available)
    lookup = Lookup(kb, LookupIndex(kb, catalogs))
    learning = Learning(kb, catalogs)
    codes = Codebook.from_kb(kb)
    followup = FollowupEngine(kb, consultation, codes)
    meldcode = Meldcode(kb, catalogs.available, elsewhere=followup.weighing_answers)
    engines: dict[str, Engine] = {e.mode: e for e in (consultation, lookup, learning, meldcode,
                                                      followup)}

    def forget(s: Session) -> None:  # an expired or deleted session leaves no model behind
        for engine in engines.values():
            engine.forget(s)

    sessions = SessionStore(ttl_seconds, on_drop=forget, max_sessions=max_sessions)
    return Core(kb=kb, dialog=dialog, machine=machine, consultation=consultation, lookup=lookup,
                learning=learning, meldcode=meldcode, followup=followup, codes=codes,
                catalogs=catalogs, renderer=Renderer(catalogs), sessions=sessions,
                chat=Chat(engines, sessions, catalogs.available, codes,
                          about=(region.about(kb),)))
