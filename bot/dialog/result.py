"""The result card and its drill-down sections, composed from an Assessment."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.assess import Assessment
from bot.kb.models import Knowledge
from bot.ui import nav
from bot.ui.cards import contact_lines, join, labelled, source_line
from bot.ui.screen import BLANK, N_, NN_, Line, Msg, Part, Percent, Plain
from bot.ui.texts import ACUTE_LINE

# Knowledge cards the result sections show; checked at start-up.
CARD_TALK = "talk_separately"
CARD_MELDCODE = ("meldcode_steps", "afwegingskader", "meldcode_when_report")
CARDS_USED = (CARD_TALK, *CARD_MELDCODE)

# The sections a result menu can open (dialogs/: `section:` of a detail node).
SECTION_IDS = ("why", "red_flags", "protection", "professional_help", "low_threshold",
               "contacts", "talk", "meldcode", "notes", "culture")

CONVERSATIONS = {
    "separate_only": Msg(N_("alleen apart")),
    "joint_and_separate": Msg(N_("eerst apart, samen als dat veilig is")),
}
REASONS = {
    "acute_danger": Msg(N_("er is nu direct gevaar")),
    "safety_score_below_6": Msg(N_("het veiligheidscijfer is lager dan 6")),
    "serious_incident": Msg(N_("er was een ernstig incident")),
    "repeat_reports": Msg(N_("er waren al eerdere signalen of meldingen")),
}
DISCLAIMER = Msg(N_("Dit is een handvat, geen protocol en geen besluit. Weeg zelf af en "
                    "overleg bij twijfel altijd met Veilig Thuis (0800-2000)."))
MAX_UNKNOWNS = 5


class ResultViews:
    def __init__(self, kb: Knowledge) -> None:
        nav.require_cards(kb, "the result sections", CARDS_USED)
        self.kb = kb
        self.sections: dict[str, Callable[[Assessment, Mapping[str, Any]], list[Line]]] = {
            "why": self._d_why, "red_flags": self._d_red_flags, "protection": self._d_protection,
            "professional_help": self._d_professional_help,
            "low_threshold": self._d_low_threshold, "contacts": self._d_contacts,
            "talk": self._d_talk, "meldcode": self._d_meldcode, "notes": self._d_notes,
            "culture": self._d_culture,
        }
        assert tuple(self.sections) == SECTION_IDS, "every section id needs its builder"

    # --- helpers -----------------------------------------------------------------------
    def _title(self, kind: str, ident: str) -> Msg:
        table: Mapping[str, Any] = getattr(self.kb, kind)
        return Msg(table[ident].title)

    def _indicator(self, ident: str) -> Msg:
        return Msg(self.kb.indicators[ident].label)

    def _reason(self, reason: str) -> Part:
        if reason.startswith("red_flag:"):
            return Msg.of(N_("rode vlag: {flag}"), flag=self._indicator(reason[9:]))
        return REASONS[reason]

    # --- the card ------------------------------------------------------------------------
    def card(self, a: Assessment) -> list[Line]:
        kb, arr = self.kb, a.arrangement
        lines = [Line((Msg(N_("🧭 Uitkomst")),), "title"), Line((DISCLAIMER,), "quote"), BLANK]
        if a.call_112:
            lines.append(Line((Msg(N_("🚨 Direct gevaar: bel nu 112.")),), "warning"))
        phase = Msg(kb.phases[a.phase].title)
        lines.append(labelled(N_("Fase"), phase))
        if a.phase_reasons:
            lines.append(Line((Msg(N_("Waarom")), Plain(": "),
                               *join(self._reason(r) for r in a.phase_reasons)), "quote"))
        top = a.profiles[0]
        if a.primary:
            lines.append(labelled(N_("Op de voorgrond"), Msg(kb.profiles[a.primary].title),
                                  Plain(" "), Msg.of(N_("({pct})"), pct=Percent(top.score))))
        else:
            lines.append(Line((Msg(N_("Nog geen profiel op de voorgrond: daarvoor zijn er te "
                                      "weinig aanwijzingen.")),), "warning"))
            if top.score > 0:
                lines.append(labelled(N_("Voorlopig het sterkst"), Msg(top.label), Plain(" "),
                                      Msg.of(N_("({pct})"), pct=Percent(top.score))))
        scores = {p.id: p.score for p in a.profiles}
        if a.overlap:
            lines.append(Line((Msg(N_("Overlap met")), Plain(": "),
                               *join(self._scored(o, scores[o]) for o in a.overlap))))
        elif a.primary:
            lines.append(Line((Msg(N_("Geen ander profiel komt dichtbij.")),), "quote"))
        if a.coercive_control:
            lines.append(Line((Msg(N_("⚠️ Aanwijzingen voor dwang en controle: spreek alleen "
                                      "apart, geen mediation of relatietherapie.")),), "warning"))
        for oos in a.out_of_scope:
            route = kb.out_of_scope[oos]
            lines.append(Line((Plain("⛔ "), Msg(route.title), Plain(": "), Msg(route.route)),
                              "warning"))
        lines += [BLANK,
                  labelled(N_("Regie"), self._title("partners", arr.regie)),
                  labelled(N_("Gesprekken"), CONVERSATIONS[arr.conversations]),
                  labelled(N_("Betrek"), *join(self._title("partners", p)
                                                for p in arr.partners if p != arr.regie))]
        if a.primary:
            lines.append(labelled(N_("Kern"), Msg(kb.profiles[a.primary].core)))
        lines += [labelled(N_("Aandacht"), Msg(arr.focus)),
                  labelled(N_("Volgende stap"), Msg(arr.next_step), style="title")]
        if a.red_flags:
            lines.append(Line((Msg(N_("🚩 Rode vlaggen")), Plain(": "),
                               *join(self._indicator(f) for f in a.red_flags)), "warning"))
        if a.unknowns:
            shown = a.unknowns[:MAX_UNKNOWNS]
            more = len(a.unknowns) - len(shown)
            parts: list[Part] = [Msg(N_("❓ Nog onbekend")), Plain(": "),
                                 *join(self._indicator(u) for u in shown)]
            if more:
                parts.append(Msg.plural_of(NN_(" en nog {n} ander punt",
                                               " en nog {n} andere punten"), more))
            lines.append(Line(tuple(parts)))
        lines += [BLANK, Line((Plain("🆘 "), ACUTE_LINE)), source_line(*arr.sources), BLANK,
                  Line((Msg(N_("Kies hieronder om verder te kijken.")),))]
        return lines

    def _scored(self, profile_id: str, score: float) -> Msg:
        return Msg.of(N_("{title} ({pct})"), title=Msg(self.kb.profiles[profile_id].title),
                      pct=Percent(score))

    # --- drill-down sections -------------------------------------------------------------
    def detail(self, section: str, a: Assessment, answers: Mapping[str, Any]) -> list[Line]:
        return self.sections[section](a, answers)

    def _d_why(self, a: Assessment, answers: Mapping[str, Any]) -> list[Line]:
        kb = self.kb
        lines = [Line((Msg(N_("Waarom dit profiel?")),), "title"),
                 Line((Msg(N_("Per profiel telt hoe zwaar de aanwijzingen wegen die je met ‘ja’ "
                              "beantwoordde.")),)), BLANK]
        for p in a.profiles:
            lines.append(Line((self._scored(p.id, p.score),), "bullet"))
            if p.signals:
                lines.append(Line((Msg(N_("aanwijzingen")), Plain(": "),
                                   *join(self._indicator(i) for i in p.signals)), "quote"))
        lines.append(BLANK)
        lines.append(labelled(N_("Fase"), Msg(kb.phases[a.phase].title)))
        lines.append(Line.of(kb.phases[a.phase].description))
        if a.coercive_control:
            lines += [BLANK, Line((Msg(N_("Dwang en controle kan in elk profiel spelen. Omdat er "
                                         "aanwijzingen voor zijn, staat intieme terreur minstens "
                                         "op de tweede plaats en zijn gesprekken alleen apart.")),),
                                  "warning")]
        neighbours = {p.id for p in a.profiles[1:3]} | set(a.overlap)
        main = a.primary or a.profiles[0].id
        distinctions = [d for d in kb.profiles[main].distinguish if d.vs in neighbours]
        if distinctions:
            lines += [BLANK, Line((Msg(N_("Vragen die het verschil maken")),), "title")]
            for d in distinctions:
                lines.append(Line((Msg.of(N_("versus {profile}"),
                                          profile=Msg(kb.profiles[d.vs].title)), Plain(": "),
                                   Msg(d.text)), "bullet"))
        lines += [BLANK, source_line(kb.scoring.source, kb.profiles[main].source)]
        return lines

    def _d_red_flags(self, a: Assessment, answers: Mapping[str, Any]) -> list[Line]:
        lines = [Line((Msg(N_("🚩 Rode vlaggen")),), "title")]
        if a.red_flags:
            lines.append(Line((Msg(N_("Gezien of gehoord:")),)))
            for f in a.red_flags:
                flag = self.kb.red_flags[f]
                lines.append(Line((Msg(flag.title), Plain(" — "), Msg(flag.why)), "bullet"))
        else:
            lines.append(Line((Msg(N_("Je hebt geen rode vlaggen aangevinkt.")),)))
        watch = [f for f in self.kb.red_flags.values() if f.id not in a.red_flags]
        if watch:
            lines += [BLANK, Line((Msg(N_("Blijf letten op:")),))]
            lines += [Line((Msg(f.title),), "bullet") for f in watch]
        lines += [BLANK, Line((Msg(N_("Rode vlaggen wegen extra zwaar in combinatie met de "
                                      "risicofactoren van het profiel. De periode rond een "
                                      "scheiding is het gevaarlijkst.")),)),
                  source_line(*{f.source for f in self.kb.red_flags.values()})]
        return lines

    def _d_protection(self, a: Assessment, answers: Mapping[str, Any]) -> list[Line]:
        lines = [Line((Msg(N_("🛡️ Beschermingsmaatregelen")),), "title")]
        notes = {u.measure: u.note for u in self.kb.profiles[a.primary].protection
                 if u.note} if a.primary else {}
        if not a.arrangement.protection:
            lines.append(Line((Msg(N_("Nog geen specifieke maatregel in deze fase. Werk eerst "
                                      "aan de analyse en het veiligheidsplan.")),)))
        sources = []
        for mid in a.arrangement.protection:
            m = self.kb.measures[mid]
            lines += [BLANK, Line((Msg(m.title),), "title"), Line.of(m.what),
                      labelled(N_("Wie"), Msg(m.who))]
            if notes.get(mid):
                lines.append(Line.of(notes[mid] or "", style="quote"))
            sources.append(m.source)
        lines += [BLANK, source_line(*sources, *a.arrangement.sources)]
        return lines

    def _offers(self, title: str, ids: tuple[str, ...], a: Assessment) -> list[Line]:
        lines = [Line((Msg(title),), "title")]
        if not ids:
            lines.append(Line((Msg(N_("Geen specifiek aanbod zonder duidelijk profiel. Vraag "
                                      "Veilig Thuis om advies.")),)))
        sources = []
        for oid in ids:
            o = self.kb.offers[oid]
            region = Msg(N_("landelijk")) if o.region == "national" else Msg(N_("regionaal"))
            lines += [BLANK, Line((Msg(o.title), Plain(" ("), region, Plain(")")), "title"),
                      Line.of(o.what), labelled(N_("Voor"), Msg(o.for_whom))]
            sources.append(o.source)
        lines += [BLANK, source_line(*sources, *a.arrangement.sources)]
        return lines

    def _d_professional_help(self, a: Assessment, answers: Mapping[str, Any]) -> list[Line]:
        return self._offers(N_("🩺 Professionele hulp"), a.arrangement.professional_help, a)

    def _d_low_threshold(self, a: Assessment, answers: Mapping[str, Any]) -> list[Line]:
        return self._offers(N_("🤝 Laagdrempelige hulp"), a.arrangement.low_threshold, a)

    def _d_contacts(self, a: Assessment, answers: Mapping[str, Any]) -> list[Line]:
        lines = [Line((Msg(N_("📇 Contacten")),), "title")]
        for cid in a.arrangement.contacts:
            lines += [BLANK, *contact_lines(self.kb.contacts[cid])]
        return lines

    def _d_talk(self, a: Assessment, answers: Mapping[str, Any]) -> list[Line]:
        kb = self.kb
        card = kb.cards[CARD_TALK]
        lines = [Line((Msg(N_("💬 Zo praat je met het gezin")),), "title"),
                 labelled(N_("Gesprekken"), CONVERSATIONS[a.arrangement.conversations])]
        sources = [card.source]
        if a.primary:
            lines += [BLANK, Line.of(kb.profiles[a.primary].talk)]
            sources.append(kb.profiles[a.primary].source)
        lines += [BLANK, Line((Msg(card.title),), "title"), Line.of(card.body)]
        for rule in kb.rules:
            if rule.id in a.notes and rule.id in ("language_interpreter", "culture_wish",
                                                  "coercive_control", "lvb_parent"):
                lines += [BLANK, Line.of(rule.note, style="bullet")]
                sources.append(rule.source)
        lines += [BLANK, source_line(*sources)]
        return lines

    def _d_meldcode(self, a: Assessment, answers: Mapping[str, Any]) -> list[Line]:
        lines = [Line((Msg(N_("📋 Meldcode: de volgende stappen")),), "title")]
        if a.phase == "acute":
            lines.append(Line((Msg(N_("Er is acute of structurele onveiligheid: melden bij "
                                      "Veilig Thuis is dan altijd nodig.")),), "warning"))
        sources = []
        for cid in CARD_MELDCODE:
            card = self.kb.cards[cid]
            lines += [BLANK, Line((Msg(card.title),), "title"), Line.of(card.body)]
            sources.append(card.source)
        lines += [BLANK, source_line(*sources)]
        return lines

    def _d_culture(self, a: Assessment, answers: Mapping[str, Any]) -> list[Line]:
        lines = [Line((Msg(N_("🌍 Cultuur, taal en LVB")),), "title"),
                 Line((Msg(N_("Werk cultuursensitief en sluit aan bij wat de cliënt zelf wil.")),))]
        for card in (c for c in self.kb.cards.values() if c.kind == "culture"):
            lines += [BLANK, Line((Msg(card.title),), "title"), Line.of(card.body),
                      source_line(card.source)]
        return lines

    def _d_notes(self, a: Assessment, answers: Mapping[str, Any]) -> list[Line]:
        lines = [Line((Msg(N_("📝 Aandachtspunten bij deze antwoorden")),), "title")]
        applied = [r for r in self.kb.rules if r.id in a.notes]
        if not applied:
            lines.append(Line((Msg(N_("Geen extra aandachtspunten.")),)))
        for rule in applied:
            lines += [BLANK, Line.of(rule.note, style="bullet"), source_line(rule.source)]
        return lines
