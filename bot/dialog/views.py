"""Screens per node kind: which lines and which buttons a state shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.assess import Assessment
from bot.dialog.result import ResultViews, contact_lines
from bot.dialog.screen import BLANK, N_, Button, Line, Msg, Plain, Row, Screen
from bot.dialog.session import Session
from bot.dialog.spec import ASKING, Dialog, Item, Node
from bot.i18n import LANGUAGE_NAMES
from bot.kb.models import Knowledge

BACK = Button("b", Msg(N_("⬅️ Terug")))
ACUTE = Button("a", Msg(N_("🆘 Nu hulp nodig")))
RESTART = Button("r", Msg(N_("🔄 Opnieuw")))
END = Button("e", Msg(N_("✖️ Afsluiten")))
YES, NO, UNKNOWN = Msg(N_("Ja")), Msg(N_("Nee")), Msg(N_("Weet ik niet"))
PRIVACY_HINT = Msg(N_("Typ geen namen of details over het gezin; kies met de knoppen."))


def acute_lines(kb: Knowledge, text: str, card_id: str | None) -> list[Line]:
    """The acute-help screen: 112, Veilig Thuis and what to do now (any mode)."""
    lines = [Line.of(text, style="warning")]
    if card_id:
        card = kb.cards[card_id]
        lines += [BLANK, Line.of(card.title, style="title"), Line.of(card.body)]
    for contact in (c for c in kb.contacts.values() if c.acute):
        lines += [BLANK, *contact_lines(contact)]
    return lines


class Views:
    def __init__(self, kb: Knowledge, dialog: Dialog, languages: tuple[str, ...] = ("nl",)) -> None:
        self.kb = kb
        self.dialog = dialog
        self.languages = languages
        self.results = ResultViews(kb)

    def visible_items(self, node: Node, answers: Mapping[str, Any]) -> list[Item]:
        return [i for i in node.items if self.dialog.item_visible(i, answers)]

    def screen(self, node: Node, s: Session, result: Assessment | None) -> Screen:
        """The full screen; result and detail screens need the assessment."""
        if node.kind in ASKING:
            lines, rows = self._asking(node, s)
        elif node.kind == "acute":
            lines, rows = self._acute(node, s)
        elif node.kind in ("result", "detail"):
            if result is None:  # only the buttons were asked for (validating an action)
                lines = []
            elif node.kind == "result":
                lines = self.results.card(result)
            else:
                lines = self.results.detail(node.section or "", result, s.answers)
            rows = self._menu(node)
        elif node.kind == "handout":
            lines, rows = self._handout(node, s)
        else:
            lines = [Line.of(node.text)]
            if node.card:
                card = self.kb.cards[node.card]
                lines += [BLANK, Line.of(card.title, style="title"), Line.of(card.body)]
            rows = self._menu(node)
            if node.kind == "info" and self.dialog.successor(node.id):
                rows.insert(0, (Button("c", Msg(N_("Verder ▶️"))),))
        return Screen(node.id, tuple(lines), tuple(rows) + self._nav(node, s))

    # --- node kinds --------------------------------------------------------------------
    def _asking(self, node: Node, s: Session) -> tuple[list[Line], list[Row]]:
        number = 1 + sum(1 for st, _ in s.history if self.dialog.node(st).kind in ASKING)
        lines = [Line.of(node.intro), BLANK] if node.intro else []
        lines += [Line((Msg.of(N_("Vraag {n}"), n=number),), style="quote"),
                  Line.of(node.text, style="title")]
        if node.hint:
            lines.append(Line.of(node.hint))
        rows: list[Row] = []
        if node.kind == "question":
            rows.append((Button("y", YES), Button("n", NO), Button("u", UNKNOWN)))
        elif node.kind == "choice":
            rows += [(Button(f"o:{o.id}", Msg(o.label)),) for o in node.options]
        elif node.kind == "scale":
            rows.append(tuple(Button(f"s:{i}", Plain(str(i))) for i in range(6)))
            rows.append(tuple(Button(f"s:{i}", Plain(str(i))) for i in range(6, 11)))
            rows.append((Button("s:u", UNKNOWN),))
        else:
            ticks = s.ticks or set()
            lines.append(Line((Msg(N_("Tik aan wat speelt en kies dan ‘Klaar’.")),)))
            for index, item in enumerate(self.visible_items(node, s.answers)):
                mark = "☑️ " if item.indicator in ticks else "⬜ "
                label = self.kb.indicators[item.indicator].label
                rows.append((Button(f"t:{index}", (Plain(mark), Msg(label))),))
            rows.append((Button("d", Msg(N_("✅ Klaar"))),
                         Button("du", Msg(N_("Weet ik (nog) niet")))))
        return lines, rows

    def _acute(self, node: Node, s: Session) -> tuple[list[Line], list[Row]]:
        lines = acute_lines(self.kb, node.text, node.card)
        rows: list[Row] = []
        # "Continue" only after the safety question sent us here; from anywhere
        # else "Back" returns to where the user was.
        previous = self.dialog.node(s.history[-1][0]) if s.history else None
        if previous is not None and node.id in previous.on.values():
            rows.append((Button("c", Msg(N_("Verder met de vragen ▶️"))),))
        return lines, rows

    def _handout(self, node: Node, s: Session) -> tuple[list[Line], list[Row]]:
        lines = [Line.of(node.text)]
        languages = [Button(f"h:{code}", Plain(LANGUAGE_NAMES.get(code, code)))
                     for code in self.languages]
        rows: list[Row] = [tuple(languages[i:i + 3]) for i in range(0, len(languages), 3)]
        state = Msg(N_("aan")) if s.simple else Msg(N_("uit"))
        rows.append((Button("x", (Msg(N_("🔤 Eenvoudige taal: ")), state)),))
        return lines, rows + self._menu(node)

    def _menu(self, node: Node) -> list[Row]:
        buttons = [Button(f"m:{m.id}", Msg(m.label)) for m in node.menu]
        return [tuple(buttons[i:i + 2]) for i in range(0, len(buttons), 2)]

    def _nav(self, node: Node, s: Session) -> tuple[Row, ...]:
        if node.id == self.dialog.end:
            return ((RESTART, ACUTE),)
        row: list[Button] = []
        if s.history:
            row.append(BACK)
        if node.kind != "acute":
            row.append(ACUTE)
        row.append(RESTART)
        if node.kind in ("result", "detail", "handout"):
            row.append(END)
        return (tuple(row),)
