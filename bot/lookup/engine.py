"""The lookup mode: topics, search results and cards, as a small state machine.

The query text is used for matching and then dropped: it is never shown back, stored
in the session or logged. The model keeps only positions (a topic key, a page, entry
indexes) and a bounded stack of earlier views for Back.
"""

from __future__ import annotations

from enum import StrEnum

from bot.kb.models import Knowledge
from bot.lookup.cards import card_lines
from bot.lookup.index import Entry, LookupIndex
from bot.lookup.privacy import strip_personal_data
from bot.ui import actions as act
from bot.ui import nav
from bot.ui.diagram import mermaid
from bot.ui.engine import InvalidAction
from bot.ui.machine import SharedMachine
from bot.ui.screen import BLANK, N_, Button, Line, Msg, Plain, Row, Screen
from bot.ui.session import Session

MODE = "lookup"
# Short labels: two topics share a row on a phone.
TOPICS: tuple[tuple[str, str], ...] = (
    ("profiles", N_("👪 Profielen")),
    ("measures", N_("🛡️ Maatregelen")),
    ("help", N_("🤝 Hulp")),
    ("organisations", N_("📞 Contacten")),
    ("meldcode", N_("📋 Meldcode")),
    ("principles", N_("🧭 Aanpak")),
    ("culture", N_("🌍 Cultuur en taal")),
    ("red_flags", N_("🚩 Rode vlaggen")),
    ("glossary", N_("📖 Begrippen")),
)
PAGE = 5
MAX_BACK = 20
MAX_RELATED = 3
# What kind of card a button opens, so that two cards on one concept (the measure and its
# glossary entry) are told apart at a glance.
KIND_ICONS = {"term": "📖 ", "measure": "🛡️ ", "profile": "👪 ", "card": "🗂️ ",
              "out_of_scope": "⛔ ", "red_flag": "🚩 ", "partner": "🏛️ ", "contact": "📞 ",
              "offer": "🤝 "}
PERSONAL_DATA = Msg(N_("Typ liever geen namen, adressen, telefoonnummers of andere details over "
                       "een gezin. Ik heb alleen op de andere woorden gezocht."))


class State(StrEnum):
    MENU = "menu"
    TOPIC = "topic"
    RESULTS = "results"
    CARD = "card"
    ACUTE = "acute"


TRANSITIONS = (
    {"trigger": "home", "source": "*", "dest": State.MENU},
    {"trigger": "acute", "source": "*", "dest": State.ACUTE},
    {"trigger": "query", "source": "*", "dest": State.RESULTS},
    {"trigger": "open_topic", "source": State.MENU, "dest": State.TOPIC},
    {"trigger": "page", "source": State.TOPIC, "dest": State.TOPIC},
    {"trigger": "open_entry", "source": [State.TOPIC, State.RESULTS, State.CARD],
     "dest": State.CARD},
)
View = tuple[str, str, int, tuple[int, ...], bool, int]


class LookupModel:
    __slots__ = ("entry", "flagged", "found", "page", "stack", "state", "topic")

    def __init__(self) -> None:
        self.state = ""
        self.topic = ""
        self.page = 0
        self.found: tuple[int, ...] = ()  # entry indexes of the last search
        self.flagged = False  # the last query looked like it held personal data
        self.entry = -1
        self.stack: list[View] = []  # earlier views, for Back

    def view(self) -> View:
        return (self.state, self.topic, self.page, self.found, self.flagged, self.entry)


class Lookup:
    mode = MODE
    takes_text = True

    def __init__(self, kb: Knowledge, index: LookupIndex) -> None:
        nav.require_cards(kb, "lookup", nav.KB_CARDS)
        self.kb = kb
        self.index = index
        self.machine = SharedMachine(MODE, list(State), State.MENU, TRANSITIONS)

    def model(self, s: Session) -> LookupModel:
        m: LookupModel | None = s.models.get(MODE)
        if m is None:
            m = s.models[MODE] = LookupModel()
            self.machine.attach(m)
        return m

    # --- Engine ------------------------------------------------------------------------
    def begin(self, s: Session) -> Screen:
        m = self.model(s)
        m.stack.clear()
        self.machine.jump(m, State.MENU)
        return self.show(s)

    def act(self, s: Session, action: str) -> Screen:
        if action not in self.show(s).actions():
            raise InvalidAction(action)
        m = self.model(s)
        topic, page, entry = act.TOPIC.arg(action), act.PAGE.arg(action), act.ENTRY.arg(action)
        if action == act.BACK:
            self._back(m)
        elif action == act.HOME:
            self._go(m, "home")
        elif action == act.ACUTE:
            self._go(m, "acute")
        elif action == act.SIMPLE:
            s.simple = not s.simple
        elif topic is not None:
            self._go(m, "open_topic")
            m.topic, m.page = topic, 0
        elif page is not None:
            m.page = int(page)  # paging is not a step back
            self.machine.fire(m, "page")
        elif entry is not None:
            self._go(m, "open_entry")
            m.entry = int(entry)
        return self.show(s)

    def acute(self, s: Session) -> Screen:
        self._go(self.model(s), "acute")
        return self.show(s)

    def text(self, s: Session, typed: str) -> Screen:
        """A search: the text is matched, then dropped."""
        m = self.model(s)
        cleaned, flagged = strip_personal_data(typed[:500])
        self._go(m, "query")
        m.found, m.flagged = tuple(e.index for e, _ in self.index.search(cleaned)), flagged
        return self.show(s)

    def open(self, s: Session, kind: str, ident: str) -> Screen:
        """The card of one knowledge item (a link from elsewhere: `kind` as in the index)."""
        m = self.model(s)
        self._go(m, "home")
        self._go(m, "open_topic")
        m.topic, m.page = self.index.by_ref[(kind, ident)].topic, 0
        self._go(m, "open_entry")
        m.entry = self.index.by_ref[(kind, ident)].index
        return self.show(s)

    def has_progress(self, s: Session) -> bool:
        return False  # nothing to lose: lookup starts over without asking

    def forget(self, s: Session) -> None:
        m = s.models.pop(MODE, None)
        if m is not None:
            self.machine.detach(m)

    def diagram(self) -> str:
        return mermaid(self.machine, everywhere=("home", "acute", "query"),
                       notes=["note right of menu: from every state: home (topics), acute "
                              "help, a typed search (query -> results); back returns"])

    # --- moves ---------------------------------------------------------------------------
    def _go(self, m: LookupModel, trigger: str) -> None:
        m.stack.append(m.view())
        del m.stack[:-MAX_BACK]  # bounded: a session stays small
        self.machine.fire(m, trigger)

    def _back(self, m: LookupModel) -> None:
        state, m.topic, m.page, m.found, m.flagged, m.entry = m.stack.pop()
        self.machine.jump(m, state)

    # --- screens -------------------------------------------------------------------------
    def show(self, s: Session) -> Screen:
        m = self.model(s)
        state = State(m.state)
        lines: list[Line]
        rows: list[Row]
        if state is State.MENU:
            lines = [Line((Msg(N_("🔎 Opzoeken")),), "title"),
                     Line((Msg(N_("Kies een onderwerp of typ een zoekwoord, bijvoorbeeld "
                                  "‘huisverbod’ of ‘AWARE’. Typ geen namen of details over "
                                  "een gezin.")),))]
            buttons = [Button(act.TOPIC(key), Msg(label)) for key, label in TOPICS]
            rows = [tuple(buttons[i:i + 2]) for i in range(0, len(buttons), 2)]
        elif state is State.TOPIC:
            lines, rows = self._topic(m.topic, m.page)
        elif state is State.RESULTS:
            lines, rows = self._results(m.found, m.flagged)
        elif state is State.CARD:
            lines, rows = self._card(self.index.entries[m.entry], s.simple)
        else:
            lines, rows = nav.acute_lines(self.kb), []
        if state is State.CARD:
            simple = Msg(N_("aan")) if s.simple else Msg(N_("uit"))
            rows.append((Button(act.SIMPLE, (Msg(N_("🔤 Eenvoudige taal: ")), simple)),))
        home = Button(act.HOME, Msg(N_("📚 Onderwerpen"))) if state is not State.MENU else None
        rows += nav.nav_rows(back=bool(m.stack), acute=state is not State.ACUTE, home=home)
        return Screen(f"lookup:{state}", tuple(lines), tuple(rows))

    def _topic(self, topic: str, page: int) -> tuple[list[Line], list[Row]]:
        entries = self.index.topic(topic)
        label = dict(TOPICS)[topic]
        shown = entries[page * PAGE:(page + 1) * PAGE]
        lines = [Line((Msg(label),), "title"),
                 Line((Msg.of(N_("Pagina {page} van {pages}"), page=page + 1,
                              pages=max(1, -(-len(entries) // PAGE))),), "quote")]
        rows: list[Row] = [(self._button(e),) for e in shown]
        paging: list[Button] = []
        if page > 0:
            paging.append(Button(act.PAGE(page - 1), Msg(N_("◀️ Vorige"))))
        if (page + 1) * PAGE < len(entries):
            paging.append(Button(act.PAGE(page + 1), Msg(N_("Meer ▶️"))))
        if paging:
            rows.append(tuple(paging))
        return lines, rows

    def _results(self, found: tuple[int, ...], flagged: bool) -> tuple[list[Line], list[Row]]:
        lines: list[Line] = []
        if flagged:
            lines += [Line((PERSONAL_DATA,), "warning"), BLANK]
        if found:
            lines.append(Line((Msg(N_("Dit vond ik. Kies een kaart:")),)))
        else:
            lines.append(Line((Msg(N_("Daar vond ik niets over. Probeer een ander woord of kies "
                                      "een onderwerp.")),)))
        rows: list[Row] = [(self._button(self.index.entries[i]),) for i in found]
        return lines, rows

    def _button(self, entry: Entry) -> Button:
        return Button(act.ENTRY(entry.index), (Plain(KIND_ICONS[entry.kind]), Msg(entry.title)))

    def _card(self, entry: Entry, simple: bool) -> tuple[list[Line], list[Row]]:
        lines, related = card_lines(self.kb, entry, simple)
        targets = self.index.siblings(entry)  # the same concept first (measure <-> term)
        for ref in related:
            target = self.index.by_ref.get(ref)
            if target is not None and target.index != entry.index and target not in targets:
                targets.append(target)
        return lines, [(self._button(t),) for t in targets[:MAX_RELATED]]

    def best_card(self, query: str, simple: bool = False) -> tuple[list[Line], list[Entry], bool]:
        """For the one-shot command: the top card, the other results, and the privacy flag."""
        cleaned, flagged = strip_personal_data(query[:500])
        found = [e for e, _ in self.index.search(cleaned)]
        if not found:
            return [], [], flagged
        lines, _ = card_lines(self.kb, found[0], simple)
        return lines, found[1:], flagged
