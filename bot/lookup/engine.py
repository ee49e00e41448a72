"""The lookup mode: topics, search results and cards as screens with button actions.

The query text is used for matching and then dropped: it is never shown back,
stored in the session or logged.
"""

from __future__ import annotations

from typing import Any

from bot.dialog.engine import InvalidAction
from bot.dialog.screen import BLANK, N_, Button, Line, Msg, Plain, Row, Screen
from bot.dialog.session import Session
from bot.dialog.views import acute_lines
from bot.kb.models import Knowledge
from bot.lookup.cards import card_lines
from bot.lookup.index import Entry, LookupIndex
from bot.lookup.privacy import strip_personal_data

TOPICS: tuple[tuple[str, str], ...] = (
    ("profiles", N_("Gezinsprofielen")),
    ("measures", N_("Beschermingsmaatregelen")),
    ("help", N_("Hulpaanbod")),
    ("organisations", N_("Organisaties en contacten")),
    ("meldcode", N_("Meldcode")),
    ("principles", N_("Principes en aanpak")),
    ("culture", N_("Cultuur, taal en LVB")),
    ("red_flags", N_("Rode vlaggen")),
    ("glossary", N_("Begrippenlijst")),
)
PAGE = 8
ACUTE_TEXT = N_("Is er nu direct gevaar? Bel 112. Voor advies, dag en nacht en gratis: Veilig "
                "Thuis 0800-2000.")
PERSONAL_DATA = Msg(N_("Typ liever geen namen, adressen, telefoonnummers of andere details over "
                       "een gezin. Ik heb alleen op de andere woorden gezocht."))


class Lookup:
    def __init__(self, kb: Knowledge, index: LookupIndex) -> None:
        self.kb = kb
        self.index = index

    # --- state in session.extra -------------------------------------------------------
    def _state(self, s: Session) -> dict[str, Any]:
        if s.extra is None:
            s.extra = {}
        state: dict[str, Any] = s.extra.setdefault("lookup", {"view": ("menu",), "stack": []})
        return state

    def begin(self, s: Session) -> Screen:
        s.extra = {"lookup": {"view": ("menu",), "stack": []}}
        s.step += 1
        return self.show(s)

    def _go(self, s: Session, view: tuple[Any, ...]) -> None:
        st = self._state(s)
        st["stack"].append(st["view"])
        del st["stack"][:-20]  # bounded: a session stays small
        st["view"] = view

    # --- input ----------------------------------------------------------------------
    def query(self, s: Session, text: str) -> Screen:
        cleaned, flagged = strip_personal_data(text[:500])
        found = self.index.search(cleaned)
        self._go(s, ("results", tuple(e.index for e, _ in found), flagged))
        s.step += 1
        return self.show(s)

    def act(self, s: Session, action: str) -> Screen:
        if action not in self.show(s).actions():
            raise InvalidAction(action)
        st = self._state(s)
        kind, _, arg = action.partition(":")
        if action == "b" and st["stack"]:
            st["view"] = st["stack"].pop()
        elif action in ("r", "m"):
            self.begin(s)
        elif action == "a":
            self._go(s, ("acute",))
        elif action == "x":
            s.simple = not s.simple
        elif kind == "k":
            self._go(s, ("topic", arg, 0))
        elif kind == "p":
            view = st["view"]
            st["view"] = ("topic", view[1], int(arg))
        elif kind == "e":
            self._go(s, ("card", int(arg)))
        s.step += 1
        return self.show(s)

    def acute(self, s: Session) -> Screen:
        self._go(s, ("acute",))
        s.step += 1
        return self.show(s)

    # --- screens ------------------------------------------------------------------------
    def show(self, s: Session) -> Screen:
        st = self._state(s)
        view = tuple(st["view"])
        lines: list[Line]
        rows: list[Row]
        if view[0] == "menu":
            lines = [Line((Msg(N_("🔎 Opzoeken")),), "title"),
                     Line((Msg(N_("Kies een onderwerp of typ een zoekwoord, bijvoorbeeld "
                                  "‘huisverbod’ of ‘AWARE’. Typ geen namen of details over "
                                  "een gezin.")),))]
            buttons = [Button(f"k:{key}", Msg(label)) for key, label in TOPICS]
            rows = [tuple(buttons[i:i + 2]) for i in range(0, len(buttons), 2)]
        elif view[0] == "topic":
            lines, rows = self._topic(view[1], view[2])
        elif view[0] == "results":
            lines, rows = self._results(view[1], view[2])
        elif view[0] == "card":
            lines, rows = self._card(self.index.entries[view[1]], s.simple)
        else:
            lines, rows = acute_lines(self.kb, ACUTE_TEXT, "acute_now"), []
        nav: list[Button] = []
        if st["stack"]:
            nav.append(Button("b", Msg(N_("⬅️ Terug"))))
        if view[0] != "acute":
            nav.append(Button("a", Msg(N_("🆘 Nu hulp nodig"))))
        if view[0] != "menu":
            nav.append(Button("m", Msg(N_("📚 Onderwerpen"))))
        state = Msg(N_("aan")) if s.simple else Msg(N_("uit"))
        rows.append((Button("x", (Msg(N_("🔤 Eenvoudige taal: ")), state)),))
        rows.append(tuple(nav))
        return Screen(f"lookup:{view[0]}", tuple(lines), tuple(rows))

    def _topic(self, topic: str, page: int) -> tuple[list[Line], list[Row]]:
        entries = self.index.topic(topic)
        label = dict(TOPICS)[topic]
        shown = entries[page * PAGE:(page + 1) * PAGE]
        lines = [Line((Msg(label),), "title"),
                 Line((Msg.of(N_("Pagina {page} van {pages}"), page=page + 1,
                              pages=max(1, -(-len(entries) // PAGE))),), "quote")]
        rows: list[Row] = [(Button(f"e:{e.index}", Msg(e.title)),) for e in shown]
        paging: list[Button] = []
        if page > 0:
            paging.append(Button(f"p:{page - 1}", Msg(N_("◀️ Vorige"))))
        if (page + 1) * PAGE < len(entries):
            paging.append(Button(f"p:{page + 1}", Msg(N_("Meer ▶️"))))
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
        rows: list[Row] = [(Button(f"e:{i}", Msg(self.index.entries[i].title)),) for i in found]
        return lines, rows

    def _card(self, entry: Entry, simple: bool) -> tuple[list[Line], list[Row]]:
        lines, related = card_lines(self.kb, entry, simple)
        rows: list[Row] = []
        for ref in related[:4]:
            target = self.index.by_ref.get(ref)
            if target is not None and target.index != entry.index:
                rows.append((Button(f"e:{target.index}", (Plain("↪️ "), Msg(target.title))),))
        return lines, rows

    def best_card(self, query: str, simple: bool = False) -> tuple[list[Line], list[Entry], bool]:
        """For the one-shot command: the top card, the other results, and the privacy flag."""
        cleaned, flagged = strip_personal_data(query[:500])
        found = [e for e, _ in self.index.search(cleaned)]
        if not found:
            return [], [], flagged
        lines, _ = card_lines(self.kb, found[0], simple)
        return lines, found[1:], flagged
