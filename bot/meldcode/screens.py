"""The lines of the meldcode step: a weighing question, or the outcome with tonight and the
next working day. Every answer the screening decided is shown as filled in."""

from __future__ import annotations

from bot.assess.meldcode import Raised, Step, Weighing
from bot.kb.models import Afwegingskader, Knowledge
from bot.ui import actions as act
from bot.ui.cards import join, labelled, source_line
from bot.ui.screen import BLANK, N_, Button, Line, Msg, Plain, Row

YES, NO, UNKNOWN = Msg(N_("Ja")), Msg(N_("Nee")), Msg(N_("Weet ik niet"))
ANSWERS = {"yes": YES, "no": NO, "unknown": UNKNOWN}
ANSWER_ROW: Row = (Button(act.YES, YES), Button(act.NO, NO), Button(act.UNKNOWN, UNKNOWN))
FILLED_IN = Msg(N_("ingevuld uit je antwoorden"))
FILLED_IN_TITLE = Line((Plain("✅ "), FILLED_IN), "title")  # above the answers it decided


def _frame(kb: Knowledge) -> Afwegingskader:
    assert kb.afwegingskader is not None, "knowledge/meldcode.yaml needs its afwegingskader"
    return kb.afwegingskader


def _heading(kb: Knowledge, where: Msg) -> Line:
    return Line((Plain("⚖️ "), Msg(_frame(kb).title), Plain(" · "), where), "quote")


def path_lines(kb: Knowledge, steps: tuple[Step, ...]) -> list[Line]:
    """The answers so far: the number, the answer, and why when it was filled in."""
    lines = []
    for s in steps:
        q = kb.weighing[s.question]
        head = Msg.of(N_("Vraag {n}"), n=q.number)
        if s.note is None:
            lines.append(Line((head, Plain(": "), ANSWERS[s.answer]), "bullet"))
        else:
            # ✅ and the reason ("Ja: je antwoorden laten ... zien") say it was filled in
            lines.append(Line((Plain("✅ "), head, Plain(": "), ANSWERS[s.answer]), "bullet"))
            lines.append(Line((Msg(s.note),), "quote"))
    return lines


def concern_lines(kb: Knowledge, raised: tuple[Raised, ...]) -> list[Line]:
    lines = []
    for c in raised:
        named = join(_label(kb, i) for i in c.basis)
        lines.append(Line((Plain("⚠️ "), Msg(c.note), Plain(" ("), *named, Plain(")")),
                          "warning"))
    return lines


def _label(kb: Knowledge, ident: str) -> Msg:
    if ident in kb.indicators:
        return Msg(kb.indicators[ident].label)
    return Msg(N_("veiligheidscijfer"))  # the safety score, the one answer that is no indicator


def question(kb: Knowledge, w: Weighing) -> list[Line]:
    frame = _frame(kb)
    q = kb.weighing[w.pending or frame.first]
    lines = [_heading(kb, Msg.of(N_("vraag {n} van {total}"), n=q.number,
                                 total=len(kb.weighing)))]
    if not w.steps:  # the first question: what this step is, and whose wording it is
        lines += [Line.of(frame.intro), Line.of(frame.unverified, style="quote")]
    elif any(s.prefilled for s in w.steps):
        lines += [FILLED_IN_TITLE, *path_lines(kb, w.steps)]
    else:
        lines += path_lines(kb, w.steps)
    lines += [BLANK, Line.of(q.question, style="title"), Line.of(q.explain),
              *concern_lines(kb, w.raised(q.id)), BLANK, Line.of(frame.judgement, style="quote")]
    return lines


def outcome(kb: Knowledge, w: Weighing) -> list[Line]:
    frame = _frame(kb)
    o = kb.weighing_outcomes[w.outcome or ""]
    lines = [_heading(kb, Msg(N_("uitkomst")))]
    if any(s.prefilled for s in w.steps):
        lines.append(FILLED_IN_TITLE)
    lines += path_lines(kb, w.steps)
    if w.steps:  # what the answer that ended the walk adds (the rest with Veilig Thuis)
        then = kb.weighing[w.steps[-1].question].then.get(w.steps[-1].answer)
        if then:
            lines.append(Line.of(then, style="warning"))
    # When no report follows, every concern again: red flags stay in sight of whoever
    # decides to help without Veilig Thuis (with a report, Veilig Thuis weighs them).
    later = list(w.concerns) if o.report is False else []
    lines += [BLANK, Line((Plain("➡️ "), Msg(o.title)), "title"), Line.of(o.meaning),
              labelled(N_("🌙 Vanavond"), Msg(o.tonight)),
              labelled(N_("📅 Volgende werkdag"), Msg(o.next_day)),
              *concern_lines(kb, tuple(later)),
              BLANK, Line.of(frame.consult), Line.of(frame.judgement, style="quote"),
              source_line(o.source, frame.source)]
    return lines
