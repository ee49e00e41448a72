"""Screens per node kind: which lines and which buttons a consultation state shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.assess import Assessment
from bot.dialog.machine import condition_holds
from bot.dialog.result import ResultViews
from bot.dialog.spec import ASKING, Dialog, Item, Node
from bot.i18n import LANGUAGE_NAMES
from bot.kb.models import Knowledge
from bot.ui import actions as act
from bot.ui import nav
from bot.ui.screen import BLANK, N_, Button, Line, Msg, Plain, Row, Screen

if TYPE_CHECKING:
    from bot.dialog.engine import ConsultModel

YES, NO, UNKNOWN = Msg(N_("Ja")), Msg(N_("Nee")), Msg(N_("Weet ik niet"))


class Views:
    def __init__(self, kb: Knowledge, dialog: Dialog, languages: tuple[str, ...] = ("nl",)) -> None:
        nav.require_cards(kb, "the consultation", nav.KB_CARDS)
        self.kb = kb
        self.dialog = dialog
        self.languages = languages
        self.results = ResultViews(kb)

    def visible_items(self, node: Node, answers: Mapping[str, Any]) -> list[Item]:
        return [i for i in node.items if condition_holds(i.when, answers)]

    def screen(self, node: Node, m: ConsultModel, result: Assessment | None,
               simple: bool = False) -> Screen:
        """The full screen; result and detail screens need the assessment."""
        if node.kind in ASKING:
            lines, rows = self._asking(node, m)
        elif node.kind == "acute":
            lines, rows = self._acute(node, m)
        elif node.kind in ("result", "detail"):
            if result is None:  # only the buttons were asked for (validating an action)
                lines = []
            elif node.kind == "result":
                lines = self.results.card(result)
            else:
                lines = self.results.detail(node.section or "", result, m.answers)
            rows = self._menu(node)
        elif node.kind == "handout":
            lines, rows = self._handout(node, simple)
        else:
            lines = [Line.of(node.text)]
            if node.card:
                card = self.kb.cards[node.card]
                lines += [BLANK, Line.of(card.title, style="title"), Line.of(card.body)]
            rows = self._menu(node)
            if node.kind == "info" and self.dialog.successor(node.id):
                rows.insert(0, (Button(act.CONTINUE, Msg(N_("Verder ▶️"))),))
        return Screen(node.id, tuple(lines), (*rows, self._nav(node, m)))

    # --- node kinds --------------------------------------------------------------------
    def _asking(self, node: Node, m: ConsultModel) -> tuple[list[Line], list[Row]]:
        number = 1 + sum(1 for st, _ in m.history if self.dialog.node(st).kind in ASKING)
        lines = [Line.of(node.intro), BLANK] if node.intro else []
        lines += [Line((Msg.of(N_("Vraag {n}"), n=number),), style="quote"),
                  Line.of(node.text, style="title")]
        if node.hint:
            lines.append(Line.of(node.hint))
        rows: list[Row] = []
        if node.kind == "question":
            rows.append((Button(act.YES, YES), Button(act.NO, NO), Button(act.UNKNOWN, UNKNOWN)))
        elif node.kind == "choice":
            rows += [(Button(act.OPTION(o.id), Msg(o.label)),) for o in node.options]
        elif node.kind == "scale":
            rows.append(tuple(Button(act.SCALE(i), Plain(str(i))) for i in range(6)))
            rows.append(tuple(Button(act.SCALE(i), Plain(str(i))) for i in range(6, 11)))
            rows.append((Button(act.SCALE(act.UNKNOWN), UNKNOWN),))
        else:
            ticks = m.ticks or set()
            lines.append(Line((Msg(N_("Tik aan wat speelt en kies dan ‘Klaar’.")),)))
            for index, item in enumerate(self.visible_items(node, m.answers)):
                mark = "☑️ " if item.indicator in ticks else "⬜ "
                label = self.kb.indicators[item.indicator].label
                rows.append((Button(act.TOGGLE(index), (Plain(mark), Msg(label))),))
            rows.append((Button(act.DONE, Msg(N_("✅ Klaar"))),
                         Button(act.DONE_UNKNOWN, Msg(N_("Weet ik (nog) niet")))))
        return lines, rows

    def _acute(self, node: Node, m: ConsultModel) -> tuple[list[Line], list[Row]]:
        lines = nav.acute_lines(self.kb)
        rows: list[Row] = []
        # "Continue" only after the safety question sent us here; from anywhere
        # else "Back" returns to where the user was.
        previous = self.dialog.node(m.history[-1][0]) if m.history else None
        if previous is not None and node.id in previous.on.values():
            rows.append((Button(act.CONTINUE, Msg(N_("Verder met de vragen ▶️"))),))
        return lines, rows

    def _handout(self, node: Node, simple: bool) -> tuple[list[Line], list[Row]]:
        lines = [Line.of(node.text)]
        languages = [Button(act.HANDOUT(code), Plain(LANGUAGE_NAMES.get(code, code)))
                     for code in self.languages]
        rows: list[Row] = [tuple(languages[i:i + 3]) for i in range(0, len(languages), 3)]
        state = Msg(N_("aan")) if simple else Msg(N_("uit"))
        rows.append((Button(act.SIMPLE, (Msg(N_("🔤 Eenvoudige taal: ")), state)),))
        return lines, rows + self._menu(node)

    def _menu(self, node: Node) -> list[Row]:
        buttons = [Button(act.OPEN(m.id), Msg(m.label)) for m in node.menu]
        return [tuple(buttons[i:i + 2]) for i in range(0, len(buttons), 2)]

    def _nav(self, node: Node, m: ConsultModel) -> Row:
        if node.id == self.dialog.end:
            return (nav.RESTART, nav.ACUTE)
        return nav.nav_row(back=bool(m.history), acute=node.kind != "acute", restart=True,
                           close=node.kind in ("result", "detail", "handout"))
