"""Screens per node kind: which lines and which buttons a consultation state shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.assess import Assessment
from bot.assess.code import Codebook, Snapshot
from bot.assess.relevance import signature
from bot.dialog.result import ResultViews
from bot.dialog.spec import ASKING, Dialog, Item, Node
from bot.i18n import LANGUAGE_NAMES
from bot.kb.models import Knowledge
from bot.meldcode.entries import entry_row
from bot.ui import actions as act
from bot.ui import nav
from bot.ui.codecard import code_lines
from bot.ui.screen import BLANK, N_, Button, Line, Msg, Placement, Plain, Row, Screen

if TYPE_CHECKING:
    from bot.dialog.engine import ConsultModel

YES, NO, UNKNOWN = Msg(N_("Ja")), Msg(N_("Nee")), Msg(N_("Weet ik niet"))
PROGRESS = N_("Vraag {n} van ongeveer {total}")
KEPT_SCREENS = 4096  # question screens kept for reuse; the oldest goes first
# The result card stays in the chat; its sections open below it, one at a time.
PLACEMENT: dict[str, Placement] = {"result": "keep", "detail": "detail", "handout": "detail",
                                   "code": "detail"}


def _on_off(on: bool) -> Msg:
    return Msg(N_("aan")) if on else Msg(N_("uit"))


class Views:
    def __init__(self, kb: Knowledge, dialog: Dialog, languages: tuple[str, ...] = ("nl",)) -> None:
        nav.require_cards(kb, "the consultation", nav.KB_CARDS)
        self.kb = kb
        self.dialog = dialog
        self.languages = languages
        self.results = ResultViews(kb)
        self.codes = Codebook.from_kb(kb)
        self._ahead = {node.id: self._asking_ahead(node) for node in dialog.nodes}
        # how many questions follow depends on the answers those questions depend on
        self._ahead_keys = {node: tuple(sorted({k for ahead in nodes for k in dialog.keys(ahead)}))
                            for node, nodes in self._ahead.items()}
        self._remaining: dict[tuple[str, tuple[str | None, ...]], int] = {}
        self._asked: dict[tuple[Any, ...], Screen] = {}
        self._asking_ids = frozenset(n.id for n in dialog.nodes if n.kind in ASKING)

    def _asking_ahead(self, node: Node) -> tuple[Node, ...]:
        """The asking nodes after this one, up to the result, in order."""
        ahead, following = [], self.dialog.successor(node.id)
        while following is not None and following != self.dialog.result:
            if self.dialog.node(following).kind in ASKING:
                ahead.append(self.dialog.node(following))
            following = self.dialog.successor(following)
        return tuple(ahead)

    def asking_ahead(self, node: Node) -> tuple[Node, ...]:
        """The asking nodes after this one, up to the result (what `remaining` counts)."""
        return self._ahead[node.id]

    def visible_items(self, node: Node, answers: Mapping[str, Any]) -> tuple[Item, ...]:
        return self.dialog.visible_items(node, answers)

    def screen(self, node: Node, m: ConsultModel, result: Assessment | None,
               simple: bool = False) -> Screen:
        """The full screen; result and detail screens need the assessment (without it:
        the buttons only, for validating an action)."""
        if node.kind in ASKING:
            return self._asking_screen(node, m)
        if node.kind == "acute":
            lines, rows = self._acute(node, m)
        elif node.kind in ("result", "detail"):
            if result is None:  # only the buttons were asked for (validating an action)
                lines = []
            elif node.kind == "result":
                lines = self.results.card(result)
            else:
                lines = self.results.detail(node.section or "", result, m.answers, m.page)
            rows = self._menu(node) if node.kind == "result" else self._pager(node, m, result)
            entries = entry_row(self.kb)  # the meldcode step: weigh, and prepare the call
            if entries and (node.kind == "result" or node.section == "meldcode"):
                rows.insert(0, entries)
            if node.kind == "result":  # beside a lone last menu button: one row less
                lone = bool(rows) and len(rows[-1]) == 1 and node.menu
                rows[-1:] = [(*rows[-1], nav.CLOSE)] if lone else [*rows[-1:], (nav.CLOSE,)]
        elif node.kind == "handout":
            lines, rows = self._handout(node, simple, m.discreet)
        elif node.kind == "code":
            lines, rows = self._code(node, m)
        else:
            lines = [Line.of(node.text or "")]
            if node.card:
                card = self.kb.cards[node.card]
                lines += [BLANK, Line.of(card.title, style="title"), Line.of(card.body)]
            rows = self._menu(node)
            if node.kind == "info" and self.dialog.successor(node.id):
                rows.insert(0, (Button(act.CONTINUE, Msg(N_("Verder ▶️"))),))
        placement = PLACEMENT.get(node.kind, "main")
        return Screen(node.id, tuple(lines), (*rows, *self._nav(node, m)), placement=placement)

    # --- node kinds --------------------------------------------------------------------
    def remaining(self, node: Node, answers: Mapping[str, Any]) -> int:
        """About how many questions follow, by the answers so far (a skip may still come)."""
        key = (node.id, signature(answers, self._ahead_keys[node.id]))
        count = self._remaining.get(key)
        if count is None:
            count = self._remaining[key] = sum(1 for ahead in self._ahead[node.id]
                                               if self.dialog.applies(ahead, answers))
        return count

    def _asking_screen(self, node: Node, m: ConsultModel) -> Screen:
        """A question's screen. It depends on a few facts only (its place in the dialog, the
        answer given before, the checklist's ticks), so the same screen object is kept for
        every session at that point, and rendered once per language."""
        number = 1 + sum(1 for st, _ in m.history if st in self._asking_ids)
        total = number + self.remaining(node, m.answers)
        given = self._given(node, m.recalled) if m.recalled else None
        shown: tuple[str, ...] = ()
        ticked: tuple[bool, ...] = ()
        if node.kind == "checklist":
            shown = tuple(i.indicator for i in self.visible_items(node, m.answers))
            ticked = tuple(i in (m.ticks or ()) for i in shown)
        key = (node.id, number, total, given, bool(m.history), shown, ticked)
        screen = self._asked.get(key)
        if screen is None:
            lines, rows = self._asking(node, m, number, total, given)
            screen = self._asked[key] = Screen(node.id, tuple(lines), (*rows, *self._nav(node, m)))
            if len(self._asked) > KEPT_SCREENS:
                del self._asked[next(iter(self._asked))]
        return screen

    def _asking(self, node: Node, m: ConsultModel, number: int, total: int,
                given: Msg | Plain | None) -> tuple[list[Line], list[Row]]:
        lines = self._asking_lines(node, number, total, given)
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
            lines.append(Line((Msg(N_("Tik aan wat speelt. Wat je niet aantikt, telt als "
                                      "‘nee’.")),)))
            for index, item in enumerate(self.visible_items(node, m.answers)):
                mark = "☑️ " if item.indicator in ticks else "⬜ "
                label = self.kb.indicators[item.indicator].label
                rows.append((Button(act.TOGGLE(index), (Plain(mark), Msg(label))),))
            rows.append((Button(act.DONE, Msg(N_("▶️ Verder"))),
                         Button(act.DONE_UNKNOWN, Msg(N_("❔ Rest weet ik niet")))))
        return lines, rows

    def _asking_lines(self, node: Node, number: int, total: int,
                      given: Msg | Plain | None) -> list[Line]:
        lines = [Line.of(node.intro), BLANK] if node.intro else []
        lines += [Line((Msg.of(PROGRESS, n=number, total=total),), style="quote"),
                  Line.of(node.text or "", style="title")]
        if node.hint:
            lines.append(Line.of(node.hint))
        if given is not None:
            lines.append(Line((Msg(N_("Je antwoord was")), Plain(": "), given), "quote"))
        return lines

    def _given(self, node: Node, recalled: Mapping[str, Any]) -> Msg | Plain | None:
        """The answer given on this screen before the user went back, as it was labelled."""
        if node.kind == "question":
            value = recalled.get(node.indicator or "")
            return {"yes": YES, "no": NO, "unknown": UNKNOWN}.get(value) if value else None
        if node.kind == "choice":
            chosen = next((o for o in node.options
                           if all(recalled.get(k) == v for k, v in o.sets.items())), None)
            return Msg(chosen.label) if chosen is not None else None
        if node.kind == "scale":
            score = recalled.get("safety_score")
            return Plain(str(score)) if isinstance(score, int) else UNKNOWN
        return None  # a checklist shows its earlier ticks

    def _acute(self, node: Node, m: ConsultModel) -> tuple[list[Line], list[Row]]:
        lines = nav.acute_lines(self.kb)
        rows: list[Row] = []
        # "Continue" only after the safety question sent us here; from anywhere
        # else "Back" returns to where the user was.
        previous = self.dialog.node(m.history[-1][0]) if m.history else None
        if previous is not None and node.id in previous.on.values():
            rows.append((Button(act.CONTINUE, Msg(N_("Verder met de vragen ▶️"))),))
        return lines, rows

    def _handout(self, node: Node, simple: bool,
                 discreet: bool) -> tuple[list[Line], list[Row]]:
        """First whether the card is safe to carry, then which card, then the language."""
        lines = [Line.of(node.text or "")]
        rows: list[Row] = [
            (Button(act.DISCREET, (Msg(N_("🤫 Onopvallende kaart: ")), _on_off(discreet))),),
            (Button(act.SIMPLE, (Msg(N_("🔤 Eenvoudige taal: ")), _on_off(simple))),)]
        languages = [Button(act.HANDOUT(code), Plain(LANGUAGE_NAMES.get(code, code)))
                     for code in self.languages]
        rows += [tuple(languages[i:i + 3]) for i in range(0, len(languages), 3)]
        return lines, rows

    def _pager(self, node: Node, m: ConsultModel, result: Assessment | None) -> list[Row]:
        """Meer for the next page of a section, and its sources behind their own button."""
        row: list[Button] = []
        pages = self.page_count(node, m, result)
        if 0 <= m.page < pages - 1:
            row.append(Button(act.MORE, Msg(N_("Meer ▶️"))))
        label = N_("📄 Tekst") if m.page < 0 else N_("📚 Bronnen")
        row.append(Button(act.SOURCES, Msg(label)))
        return [tuple(row)]

    def page_count(self, node: Node, m: ConsultModel, result: Assessment | None) -> int:
        if result is None or not node.section:
            return 1 + max(m.page, 0)  # validating a press: the page it was shown on exists
        return len(self.results.section(node.section, result, m.answers).pages())

    def _code(self, node: Node, m: ConsultModel) -> tuple[list[Line], list[Row]]:
        values = {k: v for k, v in m.answers.items() if k != "safety_score"}
        code = self.codes.encode(Snapshot(values, m.answers.get("safety_score"), m.carried))
        rows: list[Row] = [(Button(act.MODE("followup"), Msg(N_("🔁 Vervolggesprek beginnen"))),)]
        return code_lines(code), rows + self._menu(node)

    def _menu(self, node: Node) -> list[Row]:
        buttons = [Button(act.OPEN(m.id), Msg(m.label)) for m in node.menu]
        return [tuple(buttons[i:i + 2]) for i in range(0, len(buttons), 2)]

    def _nav(self, node: Node, m: ConsultModel) -> tuple[Row, ...]:
        if node.id == self.dialog.end:
            return nav.nav_rows(back=False, restart=True)
        if node.kind in ("detail", "handout", "code"):  # one way back: to the card
            return nav.nav_rows(back=True, restart=True)
        return nav.nav_rows(back=bool(m.history), acute=node.kind != "acute", restart=True)
