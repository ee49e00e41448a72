"""Everything a front-end needs, built once at start-up from the data files."""

from __future__ import annotations

from dataclasses import dataclass

from bot.dialog.engine import Consultation
from bot.dialog.machine import DialogMachine
from bot.dialog.screen import Screen
from bot.dialog.session import Session, SessionStore
from bot.dialog.spec import Dialog, load_dialog
from bot.i18n import Catalogs
from bot.kb import Knowledge, load_knowledge
from bot.learn.engine import Learning
from bot.lookup.engine import Lookup
from bot.lookup.index import LookupIndex
from bot.render import Renderer

DEFAULT_TTL_SECONDS = 30 * 60


@dataclass
class Core:
    kb: Knowledge
    dialog: Dialog
    machine: DialogMachine
    consultation: Consultation
    catalogs: Catalogs
    renderer: Renderer
    sessions: SessionStore
    lookup: Lookup
    learning: Learning

    def engine(self, s: Session) -> Consultation | Lookup | Learning:
        """The engine of the session's mode: consult, lookup or learn."""
        if s.mode == "lookup":
            return self.lookup
        if s.mode == "learn":
            return self.learning
        return self.consultation

    def switch(self, s: Session, mode: str) -> Screen:
        """Start `mode` in this session (its other state is reset)."""
        s.mode = mode
        s.extra = None
        return self.engine(s).begin(s)


def build_core(kb: Knowledge | None = None, ttl_seconds: float = DEFAULT_TTL_SECONDS) -> Core:
    kb = kb or load_knowledge()
    dialog = load_dialog(kb)
    machine = DialogMachine(dialog)
    catalogs = Catalogs()
    return Core(kb=kb, dialog=dialog, machine=machine,
                consultation=Consultation(kb, dialog, machine, catalogs.available),
                catalogs=catalogs,
                renderer=Renderer(catalogs), sessions=SessionStore(machine, ttl_seconds),
                lookup=Lookup(kb, LookupIndex(kb, catalogs)), learning=Learning(kb))
