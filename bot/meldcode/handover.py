"""The handover for a call to Veilig Thuis: what to say, in the order a call takes.

Built from the button answers, the assessment and the weighing alone: every part is a
message id of the content or the interface, never text a user typed, and there are no
names. It is a card of its own (placement "keep") so that it can be forwarded or copied.
Lists are capped so that the card fits one phone screen in every language.
"""

from __future__ import annotations

import datetime as dt

from bot.assess import Answers, Assessment
from bot.assess.meldcode import Weighing, matching
from bot.kb.models import Knowledge
from bot.ui.cards import join, labelled
from bot.ui.screen import BLANK, N_, NN_, Line, Msg, Part, Plain, Screen

NODE = "meldcode:handover"
# How many items of a list are named; the rest are counted ("and 3 others").
MAX_AT_RISK, MAX_SEEN, MAX_FLAGS, MAX_OVERLAP, MAX_UNKNOWN = 3, 5, 6, 2, 3
# Answers with their own line on the card, so they are not listed again among the signals.
OWN_LINES = ("acute_danger", "children_present", "perpetrator_is_minor")
ANSWER_WORDS = {"yes": Msg(N_("ja")), "no": Msg(N_("nee")), "unknown": Msg(N_("weet ik niet"))}
ACUTE = {"yes": Msg(N_("ja, nu direct gevaar: bel eerst 112")),
         "no": Msg(N_("nee, nu geen direct gevaar")),
         "unknown": Msg(N_("onbekend of er nu direct gevaar is"))}
CHILDREN = {"yes": Msg(N_("ja, minderjarig (leeftijden niet gevraagd)")),
            "no": Msg(N_("nee")), "unknown": Msg(N_("onbekend"))}
MORE = NN_(" en nog {n} ander", " en nog {n} andere")


def handover_screen(kb: Knowledge, answers: Answers, a: Assessment, w: Weighing, lang: str,
                    made: dt.datetime) -> Screen:
    h = kb.handover
    assert h is not None, "knowledge/meldcode.yaml needs a handover"
    lines = [Line((Plain("📞 "), Msg(h.title)), "title"), Line.of(h.opening), BLANK]
    # 1. who is in danger, and whether it is acute
    who = [Msg(r.who) for r in h.at_risk if matching(r.when, answers, kb)]
    lines.append(labelled(N_("In gevaar"), *_listed(who, MAX_AT_RISK,
                                                    N_("niet duidelijk uit de antwoorden"), "; ")))
    lines.append(labelled(N_("Acuut"), ACUTE[answers.get("acute_danger")]))
    if answers.safety_score is not None:
        lines.append(labelled(N_("Veiligheidscijfer"), Msg.of(N_("{score} van 10"),
                                                               score=answers.safety_score)))
    # 2. children
    children: list[Part] = [CHILDREN[answers.get("children_present")]]
    if answers.is_yes("perpetrator_is_minor"):
        children += [Plain("; "), Msg(N_("wie geweld gebruikt is jonger dan 18"))]
    lines.append(labelled(N_("Kinderen"), *children))
    # 3. what was seen, 4. the red flags
    seen = [i for i in kb.indicators if answers.is_yes(i) and i not in kb.red_flags
            and i not in OWN_LINES]
    lines.append(labelled(N_("Gezien"), *_listed([Msg(kb.indicators[i].label) for i in seen],
                                                 MAX_SEEN, N_("geen signalen aangevinkt"))))
    flags = [Msg(kb.indicators[f].label) for f in a.red_flags]
    lines.append(labelled(N_("🚩 Rode vlaggen"), *_listed(flags, MAX_FLAGS, N_("geen"))))
    # 5. the profile in the foreground and the phase, with overlap
    lines.append(labelled(N_("Beeld"), *_picture(kb, a)))
    # 6. still unknown
    if a.unknowns:
        unknown = [Msg(kb.indicators[u].label) for u in a.unknowns]
        lines.append(labelled(N_("Nog onbekend"), *_listed(unknown, MAX_UNKNOWN, N_("geen"))))
    # 7. what the professional has already done
    lines.append(labelled(N_("Al gedaan"), *_done(kb, w)))
    # 8. the questions to ask Veilig Thuis
    outcome = kb.weighing_outcomes.get(w.outcome or "")
    lines += [BLANK, Line((Msg(N_("Mijn vragen")),), "title")]
    lines += [Line.of(q, style="bullet") for q in (outcome.ask if outcome else h.ask)]
    lines += [BLANK, Line.of(h.tip, style="quote"),
              Line((Msg.of(N_("Zonder namen of persoonsgegevens: alleen knopantwoorden. "
                              "Gemaakt op {moment}."), moment=made),), "quote")]
    return Screen(NODE, tuple(lines), (), lang=lang, placement="keep")


def _listed(items: list[Msg], limit: int, empty: str, sep: str = ", ") -> tuple[Part, ...]:
    if not items:
        return (Msg(empty),)
    parts = join(items[:limit], sep)
    rest = len(items) - limit
    return (*parts, Msg.plural_of(MORE, rest)) if rest > 0 else parts


def _picture(kb: Knowledge, a: Assessment) -> tuple[Part, ...]:
    phase = Msg.of(N_("fase: {phase}"), phase=Msg(kb.phases[a.phase].title))
    if a.primary is None:
        return (Msg(N_("nog geen profiel op de voorgrond")), Plain("; "), phase)
    parts: list[Part] = [Msg(kb.profiles[a.primary].title)]
    if a.overlap:
        overlap = [Msg(kb.profiles[o].title) for o in a.overlap]
        parts += [Plain(" ("), Msg(N_("overlap")), Plain(": "),
                  *_listed(overlap, MAX_OVERLAP, N_("geen")), Plain(")")]
    return (*parts, Plain("; "), phase)


def _done(kb: Knowledge, w: Weighing) -> tuple[Part, ...]:
    parts: list[Part] = [Msg(N_("signalen in kaart gebracht"))]
    if not w.steps:
        return (*parts, Plain("; "), Msg(N_("afwegingskader nog niet doorlopen")))
    parts += [Plain("; "), Msg(N_("afwegingskader")), Plain(": ")]
    for i, step in enumerate(w.steps):  # "1 ja, 2 nee": question numbers and answers
        parts += [Plain(f"{', ' if i else ''}{kb.weighing[step.question].number} "),
                  ANSWER_WORDS[step.answer]]
    if w.outcome is not None:
        parts += [Plain(" → "), Msg(kb.weighing_outcomes[w.outcome].title)]
    return tuple(parts)
