"""The follow-up's screens: intro, questions, outcome (comparison, terms, new code), routes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.assess import Answers, Assessment, assess
from bot.assess.code import MONTHS_MAX, Codebook, Snapshot
from bot.assess.meldcode import weigh
from bot.dialog.result import DISCLAIMER
from bot.dialog.views import NO, UNKNOWN, YES
from bot.followup.rules import Change, Outcome, compare, evaluate, weighing_given
from bot.kb.models import Followup, FollowupQuestion, Knowledge
from bot.meldcode.entries import entry_row
from bot.ui import actions as act
from bot.ui import nav
from bot.ui.cards import join, labelled, source_line
from bot.ui.codecard import code_lines
from bot.ui.screen import BLANK, N_, NN_, Button, Line, Msg, Part, Plain, Row, Screen
from bot.ui.texts import ACUTE_LINE

if TYPE_CHECKING:
    from bot.followup.engine import FollowModel

TITLE = Msg(N_("🔁 Vervolggesprek"))
WORDS = {"yes": YES, "no": NO, "unknown": UNKNOWN}
DIRECTION = {"up": Msg(N_("zwaarder")), "down": Msg(N_("lichter")), "same": Msg(N_("gelijk"))}
STARTED = NN_("Gestart: {n} maand geleden", "Gestart: {n} maanden geleden")
LEFT = NN_("Nog {n} maand tot het einde van de termijn",
           "Nog {n} maanden tot het einde van de termijn")
NEW_CODE = Msg(N_("🔑 Nieuwe code"))


class FollowupViews:
    def __init__(self, kb: Knowledge, rule: Followup, codes: Codebook) -> None:
        self.kb = kb
        self.rule = rule
        self.codes = codes
        self.statuses = {st.id: st for st in rule.statuses}
        self.terms = {"direct": rule.direct_months, "stable": rule.stable_months,
                      "total": rule.direct_months + rule.stable_months}

    def _nav(self, m: FollowModel, *, acute: bool = True) -> tuple[Row, ...]:
        return nav.nav_rows(back=bool(m.stack), acute=acute, restart=True)

    # --- intro and questions -----------------------------------------------------------------
    def intro(self, m: FollowModel, before: Assessment | None) -> Screen:
        lines = [Line((TITLE,), "title"), Line.of(self.rule.intro), BLANK]
        if before is not None:
            profile = (Msg(self.kb.profiles[before.primary].title) if before.primary
                       else Msg(N_("nog geen profiel")))
            lines.append(Line((Msg.of(N_("Je vergelijkt met de eerdere antwoorden: fase {phase}, "
                                         "op de voorgrond {profile}."),
                                      phase=Msg(self.kb.phases[before.phase].title),
                                      profile=profile),)))
        else:
            lines.append(Line((Msg(N_("Heb je de code van de vorige keer? Plak hem hier. Zonder "
                                      "code past de bot de termijnen wel toe, maar kan hij niet "
                                      "vergelijken.")),)))
        lines.append(source_line(self.rule.source))
        rows: list[Row] = [(Button(act.CONTINUE, Msg(N_("▶️ Begin"))),), *self._nav(m)]
        return Screen("followup:intro", tuple(lines), tuple(rows))

    def ask(self, q: FollowupQuestion, m: FollowModel, number: int, total: int) -> Screen:
        lines = [Line((TITLE, Plain(" · "),
                       Msg.of(N_("Vraag {n} van ongeveer {total}"), n=number, total=total)),
                      "quote"),
                 Line.of(q.text, style="title")]
        if q.hint:
            lines.append(Line.of(q.hint))
        earlier = self._earlier(q, m.baseline)
        if earlier is not None:
            lines.append(Line((Msg(N_("Vorige keer")), Plain(": "), earlier), "quote"))
        rows: list[Row] = []
        if q.kind in ("indicator", "answer"):
            rows.append((Button(act.YES, YES), Button(act.NO, NO), Button(act.UNKNOWN, UNKNOWN)))
        elif q.kind == "months":
            cells = [Button(act.MONTHS(i), Plain(str(i))) for i in range(MONTHS_MAX)]
            rows += [tuple(cells[i:i + 6]) for i in range(0, MONTHS_MAX, 6)]
            rows.append((Button(act.MONTHS(MONTHS_MAX), Plain(f"{MONTHS_MAX}+")),
                         Button(act.MONTHS(act.UNKNOWN), UNKNOWN)))
        elif q.kind == "scale":
            rows.append(tuple(Button(act.SCALE(i), Plain(str(i))) for i in range(6)))
            rows.append(tuple(Button(act.SCALE(i), Plain(str(i))) for i in range(6, 11)))
            rows.append((Button(act.SCALE(act.UNKNOWN), UNKNOWN),))
        elif q.kind == "choice":
            rows += [(Button(act.OPTION(o.id), Msg(o.label)),) for o in q.options]
        else:  # a checklist, the earlier yes answers ticked
            lines.append(Line((Msg(N_("Tik aan wat speelt. Wat je niet aantikt, telt als "
                                      "‘nee’.")),)))
            ticks = m.ticks or set()
            for index, item in enumerate(q.items):
                mark = "☑️ " if item in ticks else "⬜ "
                rows.append((Button(act.TOGGLE(index),
                                    (Plain(mark), Msg(self.kb.indicators[item].label))),))
            rows.append((Button(act.DONE, Msg(N_("▶️ Verder"))),
                         Button(act.DONE_UNKNOWN, Msg(N_("❔ Rest weet ik niet")))))
        return Screen(f"followup:{q.id}", tuple(lines), (*rows, *self._nav(m)))

    def _earlier(self, q: FollowupQuestion, base: Snapshot | None) -> Part | None:
        if base is None:
            return None
        value: Any = None
        if q.kind == "indicator":
            value = base.answers.get(q.indicator or "")
        elif q.kind in ("answer", "months"):
            value = base.followup.get(q.id)
        elif q.kind == "scale":
            value = base.safety_score
        if isinstance(value, int):
            return Plain(f"{value}+" if q.kind == "months" and value >= MONTHS_MAX else str(value))
        return WORDS.get(value) if isinstance(value, str) else None

    def acute(self, m: FollowModel) -> Screen:
        rows: list[Row] = []
        if m.proceed:
            rows.append((Button(act.CONTINUE, Msg(N_("Verder met de vragen ▶️"))),))
        rows += self._nav(m, acute=False)
        return Screen("followup:acute", tuple(nav.acute_lines(self.kb)), tuple(rows))

    # --- outcome ---------------------------------------------------------------------------------
    def outcome(self, m: FollowModel, answers: Answers, a: Assessment, snap: Snapshot) -> Screen:
        o = evaluate(snap.followup, answers, a, self.kb)
        status = self.statuses[o.status]
        lines = [Line((Msg(N_("🔁 Vervolg: uitkomst")),), "title"), Line((DISCLAIMER,), "quote"),
                 BLANK]
        if a.call_112:
            lines.append(Line((Msg(N_("🚨 Direct gevaar: bel nu 112.")),), "warning"))
        lines += [Line((Msg(status.title),), "title"), Line((Msg.of(status.text, **self.terms),))]
        lines += self._time(o)
        if o.escalations:
            lines.append(Line((Msg(N_("⏫ Opschalen kan met")), Plain(": "),
                               *join(Msg(self.kb.escalations[e].title) for e in o.escalations)),
                              "warning"))
        lines.append(labelled(N_("Regie"), Msg(self.kb.partners[o.decided_by].title)))
        lines += self._meldcode(o, answers)
        lines += [BLANK, *self._changes(m, answers, a), BLANK]
        lines += code_lines(self.codes.encode(snap), NEW_CODE, short=True)
        lines += [BLANK, Line((Plain("🆘 "), ACUTE_LINE)), source_line(status.source)]
        rows: list[Row] = []
        if o.escalations:
            rows.append((Button(act.OPEN("routes"), Msg(N_("⏫ Opschalen: wie beslist wat"))),))
        entries = entry_row(self.kb)  # the meldcode step, with this follow-up's answer in it
        if entries:
            rows.append(entries)
        rows += self._nav(m)
        return Screen("followup:outcome", tuple(lines), tuple(rows))

    def _meldcode(self, o: Outcome, answers: Answers) -> list[Line]:
        """What the follow-up answers in the afwegingskader, and where that leads."""
        given = weighing_given(o, self.kb)
        if not given or not self.kb.weighing:
            return []
        late = o.help_in_time == "no"
        said = (N_("📋 Meldcode: de hulp leidt niet op tijd tot veiligheid. Dat is ‘nee’ op de "
                   "laatste afwegingsvraag: (opnieuw) melden bij Veilig Thuis.") if late else
                N_("📋 Meldcode: de hulp leidt tot veiligheid. Dat is ‘ja’ op de laatste "
                   "afwegingsvraag."))
        lines = [Line((Msg(said),), "warning" if late else "text")]
        w = weigh(answers, self.kb, given)
        if w.outcome is not None:
            title = self.kb.weighing_outcomes[w.outcome].title
            lines.append(labelled(N_("⚖️ Afwegingskader"), Msg(title)))
        return lines

    def _time(self, o: Outcome) -> list[Line]:
        if o.months is None:
            return []
        if o.months >= MONTHS_MAX:
            started = Msg.of(N_("Gestart: {n} maanden of langer geleden"), n=o.months)
        else:
            started = Msg.plural_of(STARTED, o.months)
        parts: list[Part] = [started]
        if o.months_left is not None:
            parts += [Plain(" · "), Msg.plural_of(LEFT, o.months_left)]
        return [Line(tuple(parts), "quote")]

    def _changes(self, m: FollowModel, answers: Answers, a: Assessment) -> list[Line]:
        if m.baseline is None:
            return [Line((Msg(N_("Er zijn geen eerdere antwoorden, dus er is niets om mee te "
                                 "vergelijken.")),), "quote")]
        before_answers = m.baseline.assessable()
        c = compare(assess(before_answers, self.kb), before_answers, a, answers,
                    m.baseline.followup)
        return change_lines(self.kb, c)

    # --- escalation routes -------------------------------------------------------------------------
    def routes(self, m: FollowModel, answers: Answers, a: Assessment) -> Screen:
        o = evaluate(m.follow, answers, a, self.kb)
        regie = Msg(self.kb.partners[o.decided_by].title)
        lines = [Line((Msg(N_("⏫ Opschalen")),), "title"),
                 Line((Msg.of(self.rule.decides, regie=regie),))]
        sources = [self.rule.source, self.rule.decides_source]
        for eid in o.escalations:
            e = self.kb.escalations[eid]
            lines += [BLANK, Line((Msg(e.title),), "title"), Line.of(e.what),
                      labelled(N_("Wie beslist"), Msg(e.who))]
            sources.append(e.source)
        lines += [BLANK, source_line(*sources)]
        return Screen("followup:routes", tuple(lines), self._nav(m))


def change_lines(kb: Knowledge, c: Change) -> list[Line]:
    """What changed since the earlier answers: phase, profile, red flags, score, regie."""
    def phase(p: str) -> Msg:
        return Msg(kb.phases[p].title)

    def profile(p: str | None) -> Msg:
        return Msg(kb.profiles[p].title) if p else Msg(N_("nog geen profiel"))

    lines = [Line((Msg(N_("Sinds de vorige keer")),), "title"),
             labelled(N_("Fase"), phase(c.phase[0]), Plain(" → "), phase(c.phase[1]), Plain(" ("),
                      DIRECTION[c.phase_direction], Plain(")"))]
    if c.profile_shift:
        lines.append(labelled(N_("Op de voorgrond"), profile(c.primary[0]), Plain(" → "),
                              profile(c.primary[1])))
    else:
        lines.append(labelled(N_("Op de voorgrond"), profile(c.primary[1]), Plain(" ("),
                              DIRECTION["same"], Plain(")")))
    if c.new_red_flags:
        lines.append(Line((Msg(N_("🚩 Nieuwe rode vlaggen")), Plain(": "),
                           *join(Msg(kb.indicators[f].label) for f in c.new_red_flags)), "warning"))
    if c.gone_red_flags:
        lines.append(Line((Msg(N_("Niet meer gezien")), Plain(": "),
                           *join(Msg(kb.indicators[f].label) for f in c.gone_red_flags))))
    before, after = c.safety_score
    if before is not None or after is not None:
        lines.append(labelled(N_("Veiligheidscijfer"), _score(before), Plain(" → "), _score(after)))
    if c.regie[0] != c.regie[1]:
        lines.append(labelled(N_("Regie"), Msg(kb.partners[c.regie[0]].title), Plain(" → "),
                              Msg(kb.partners[c.regie[1]].title)))
    return lines


def _score(value: int | None) -> Part:
    return Plain(str(value)) if value is not None else Plain("?")
