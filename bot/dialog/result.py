"""The result card and its sections, composed from an Assessment.

The card says what matters tonight and fits one phone screen. Each section is a lead
and a list of items, most relevant first; a page shows what fits, `Meer` the rest, and
the sources sit behind their own button.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.assess import Assessment
from bot.kb.models import Knowledge
from bot.ui import nav
from bot.ui import region as regional
from bot.ui.cards import join, labelled, short_contact_lines
from bot.ui.screen import BLANK, N_, NN_, Line, Msg, Part, Plain
from bot.ui.texts import ACUTE_LINE

# Knowledge cards the meldcode section shows; checked at start-up. (The talk
# section's cards come with the arrangement: knowledge/safety.yaml.)
CARD_MELDCODE = ("meldcode_steps", "afwegingskader", "meldcode_when_report")
CARDS_USED = CARD_MELDCODE

# The sections a result menu can open (dialogs/: `section:` of a detail node).
SECTION_IDS = ("approach", "red_flags", "protection", "help", "contacts", "talk", "meldcode")
PAGE_BUDGET = 800  # Dutch characters of items per page: translations run up to ~40 % longer

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
# How strongly a profile shows, in words: a score is a share of weighted signs, not a
# probability, so it is never shown as a percentage.
STRENGTH = ((0.6, Msg(N_("duidelijk"))), (0.35, Msg(N_("deels"))), (0.0, Msg(N_("zwak"))))
DISCLAIMER = Msg(N_("Een handvat, geen protocol en geen besluit. Weeg zelf af; bij twijfel: "
                    "Veilig Thuis (0800-2000)."))
MAX_LISTED = 2  # items of a list on the card; the sections show them all


Item = tuple[Line, ...]


def strength(score: float) -> Msg:
    return next(word for floor, word in STRENGTH if score >= floor)


@dataclass(frozen=True)
class Section:
    title: Msg
    lead: tuple[Line, ...]  # on the first page, above the items
    items: tuple[tuple[Line, ...], ...]  # most relevant first
    sources: tuple[str, ...]

    def pages(self) -> list[tuple[tuple[Line, ...], ...]]:
        """Items per page, by the length of their Dutch text (the same in every language)."""
        pages: list[list[tuple[Line, ...]]] = [[]]
        used = sum(_size(line) for line in self.lead)
        for item in self.items:
            size = sum(_size(line) for line in item)
            if pages[-1] and used + size > PAGE_BUDGET:
                pages.append([])
                used = 0
            pages[-1].append(item)
            used += size
        return [tuple(p) for p in pages]

    def page(self, number: int) -> list[Line]:
        """Page `number` (0-based), or the sources for -1."""
        head = [Line((self.title,), "title")]
        if number < 0:
            return [*head, Line((Msg(N_("Bronnen")),), "quote"),
                    *(Line((Plain(s),), "bullet") for s in dict.fromkeys(self.sources))]
        pages = self.pages()
        lines = [*head, *(self.lead if number == 0 else ())]
        if number > 0:
            lines.append(Line((Msg.of(N_("Deel {n} van {total}"), n=number + 1,
                                      total=len(pages)),), "quote"))
        for item in pages[min(number, len(pages) - 1)]:
            lines += [BLANK, *item]
        return lines


def _size(line: Line) -> int:
    return sum(len(p.msgid) if isinstance(p, Msg) else len(p.text) for p in line.parts)


class ResultViews:
    def __init__(self, kb: Knowledge) -> None:
        nav.require_cards(kb, "the result sections", CARDS_USED)
        self.kb = kb
        self.sections: dict[str, Callable[[Assessment, Mapping[str, Any]], Section]] = {
            "approach": self._approach, "red_flags": self._red_flags,
            "protection": self._protection, "help": self._help, "contacts": self._contacts,
            "talk": self._talk, "meldcode": self._meldcode,
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

    @staticmethod
    def _card_sources(sources: tuple[str, ...]) -> Line:
        """The report sections on the card; web sources are counted (all under Aanpak)."""
        parts = [p.strip() for s in sources for p in s.split(";")]
        sections = dict.fromkeys(re.sub(r"\s*\(tabel\)", "", c).strip()
                                 for p in parts if p.startswith("rapport")
                                 for c in p.removeprefix("rapport").split(","))
        web = len([p for p in dict.fromkeys(parts) if not p.startswith("rapport")])
        line: list[Part] = [Msg(N_("Bron")), Plain(": rapport " + ", ".join(sections))]
        if web:
            line.append(Msg.plural_of(NN_(" (en {n} webbron: zie Aanpak)",
                                          " (en {n} webbronnen: zie Aanpak)"), web))
        return Line(tuple(line), "quote")

    @staticmethod
    def _few(parts: list[Part], shown: int = MAX_LISTED) -> tuple[Part, ...]:
        """The first few of a list, and how many more there are (the card stays short)."""
        more = len(parts) - shown
        head = join(parts[:shown])
        if more <= 0:
            return join(parts)
        return (*head, Msg.plural_of(NN_(" en nog {n} ander punt", " en nog {n} andere punten"),
                                     more))

    def _profile(self, profile_id: str, score: float) -> Msg:
        return Msg.of(N_("{title} ({strength})"), title=Msg(self.kb.profiles[profile_id].title),
                      strength=strength(score))

    # --- the card ------------------------------------------------------------------------
    def card(self, a: Assessment) -> list[Line]:
        kb, arr = self.kb, a.arrangement
        lines = [Line((Msg(N_("🧭 Uitkomst")),), "title")]
        if a.call_112:  # acute danger comes before everything else on the card
            lines.append(Line((Msg(N_("🚨 Direct gevaar: bel nu 112.")),), "warning"))
        lines.append(Line((DISCLAIMER,), "quote"))
        for oos in arr.replaced_by:  # a replacing route leads and says what no longer holds
            lines.append(Line((Plain("⛔ "), Msg(kb.out_of_scope[oos].title)), "warning"))
        if arr.replaced_by:
            assert kb.safety is not None
            lines.append(Line.of(kb.safety.replaced_note, style="warning"))
        if a.override:
            safety = kb.safety
            assert safety is not None
            lines.append(Line((Plain("⚠️ "), Msg(safety.title)), "warning"))  # why: Aanpak
        lines.append(BLANK)
        lines.append(labelled(N_("Fase"), Msg(kb.phases[a.phase].title)))
        top = a.profiles[0]
        if a.primary and not arr.replaced_by:  # a replacing route: the profile is in Aanpak
            profile: list[Part] = [self._profile(a.primary, top.score)]
            if a.overlap:
                profile += [Plain(" · "), Msg(N_("ook")), Plain(": "),
                            *join(self._profile(o, s.score) for o in a.overlap
                                  for s in a.profiles if s.id == o)]
            lines.append(labelled(N_("Op de voorgrond"), *profile))
        elif not arr.replaced_by:
            lines.append(Line((Msg(N_("Nog geen profiel op de voorgrond: te weinig "
                                      "aanwijzingen.")),), "warning"))
        lines += [labelled(N_("Regie"), self._title("partners", arr.regie)),
                  labelled(N_("Gesprekken"), CONVERSATIONS[arr.conversations]),
                  labelled(N_("➡️ Volgende stap"), Msg(arr.next_step), style="title")]
        if a.red_flags:
            lines.append(Line((Msg(N_("🚩 Rode vlaggen")), Plain(": "),
                               *self._few([self._indicator(f) for f in a.red_flags])),
                              "warning"))
        if a.unknowns:
            lines.append(Line((Msg(N_("❓ Nog onbekend")), Plain(": "),
                               *self._few([self._indicator(u) for u in a.unknowns]))))
        lines.append(self._card_sources(arr.sources))
        if not a.call_112:  # with acute danger the card opens with 112 already
            lines += [BLANK, Line((Plain("🆘 "), ACUTE_LINE))]
        return lines

    # --- sections ---------------------------------------------------------------------------
    def section(self, section: str, a: Assessment, answers: Mapping[str, Any]) -> Section:
        return self.sections[section](a, answers)

    def detail(self, section: str, a: Assessment, answers: Mapping[str, Any],
               page: int = 0) -> list[Line]:
        return self.section(section, a, answers).page(page)

    def _approach(self, a: Assessment, answers: Mapping[str, Any]) -> Section:
        kb, arr = self.kb, a.arrangement
        lead: list[Line] = []
        if a.override:
            safety = kb.safety
            assert safety is not None
            labels = {t.id: t.label for t in safety.triggers}
            lead += [Line((Plain("⚠️ "), Msg(safety.title), Plain(": "),
                           *join(Msg(labels[t]) for t in a.safety)), "warning"),
                     Line.of(safety.explain, style="quote")]
        for oos in arr.replaced_by:
            route = kb.out_of_scope[oos]
            lead += [Line((Msg(route.title),), "warning"), Line.of(route.route)]
        if arr.core:
            lead.append(labelled(N_("Kern"), Msg(arr.core)))
        lead.append(labelled(N_("Aandacht"), Msg(arr.focus)))
        partners = [self._title("partners", p) for p in arr.partners if p != arr.regie]
        if partners:
            lead.append(labelled(N_("Betrek"), *join(partners)))
        items: list[Item] = [(Line.of(n.text, style="bullet"),) for n in arr.notes_for("approach")]
        sources = [*arr.sources, *(note.source for note in arr.notes_for("approach"))]
        why: list[Line] = [Line((Msg(N_("Waarom dit profiel")),), "title"),
                           Line((Msg(N_("Hoe sterk elk profiel spreekt uit de aanwijzingen die "
                                        "je met ‘ja’ beantwoordde:")),))]
        for p in a.profiles:
            if p.signals:
                why.append(Line((self._profile(p.id, p.score), Plain(": "),
                                 *join(self._indicator(i) for i in p.signals)), "bullet"))
        if a.coercive_control:
            why.append(Line((Msg(N_("Dwang en controle kan in elk profiel spelen. Omdat er "
                                    "aanwijzingen voor zijn, staat intieme terreur minstens op "
                                    "de tweede plaats en zijn gesprekken alleen apart.")),),
                            "warning"))
        items.append(tuple(why))
        phase = [labelled(N_("Fase"), Msg(kb.phases[a.phase].title))]
        if a.phase_reasons:
            phase.append(Line((Msg(N_("Waarom")), Plain(": "),
                               *join(self._reason(r) for r in a.phase_reasons)), "quote"))
        items.append((*phase, Line.of(kb.phases[a.phase].description)))
        main = a.primary or a.profiles[0].id
        if a.primary:  # what drives this pattern and what it does to the family
            profile = kb.profiles[a.primary]
            items.append((Line((Msg(N_("Risicofactoren")),), "title"),
                          *(Line.of(r, style="bullet") for r in profile.risk_factors)))
            items.append((Line((Msg(N_("Gevolgen")),), "title"), Line.of(profile.impact)))
        neighbours = {p.id for p in a.profiles[1:3]} | set(a.overlap)
        for d in (d for d in kb.profiles[main].distinguish if d.vs in neighbours):
            items.append((Line((Msg.of(N_("Het verschil met {profile}"),
                                       profile=Msg(kb.profiles[d.vs].title)),), "title"),
                          Line.of(d.text)))
        sources += [kb.scoring.source, kb.profiles[main].source,
                    kb.phases[a.phase].source]
        return Section(Msg(N_("🧭 Aanpak en waarom")), tuple(lead), tuple(items), tuple(sources))

    def _red_flags(self, a: Assessment, answers: Mapping[str, Any]) -> Section:
        flags = self.kb.red_flags
        lead: tuple[Line, ...]
        if a.red_flags:
            lead = (Line((Msg(N_("Gezien of gehoord:")),)),)
        else:
            lead = (Line((Msg(N_("Je hebt geen rode vlaggen aangevinkt.")),)),)
        items: list[Item] = [(Line((Msg(flags[f].title),), "warning"), Line.of(flags[f].why))
                             for f in a.red_flags]
        watch = [f for f in flags.values() if f.id not in a.red_flags]
        if watch:
            items.append((Line((Msg(N_("Blijf letten op")),), "title"),
                          Line(join(Msg(f.title) for f in watch))))
        items.append((Line((Msg(N_("Rode vlaggen wegen extra zwaar samen met de risicofactoren "
                                   "van het profiel. De periode rond een scheiding is het "
                                   "gevaarlijkst.")),),),))
        return Section(Msg(N_("🚩 Rode vlaggen")), lead, tuple(items),
                       tuple(sorted({f.source for f in flags.values()})))

    def _protection(self, a: Assessment, answers: Mapping[str, Any]) -> Section:
        measures, arrangement = self.kb.measures, a.arrangement
        lead: tuple[Line, ...] = ()
        if not arrangement.protection:
            lead = (Line((Msg(N_("Nog geen specifieke maatregel in deze fase. Werk eerst aan de "
                                 "analyse en het veiligheidsplan.")),)),)
        items: list[Item] = []
        for mid in arrangement.protection:
            m = measures[mid]
            item = [Line((Msg(m.title),), "title"), Line.of(m.what), labelled(N_("Wie"), Msg(m.who))]
            note = arrangement.measure_note(mid)
            if note:
                item.append(Line.of(note, style="quote"))
            items.append(tuple(item))
        sources = [measures[mid].source for mid in arrangement.protection]
        return Section(Msg(N_("🛡️ Bescherming")), lead, tuple(items),
                       (*sources, *arrangement.sources))

    def _help(self, a: Assessment, answers: Mapping[str, Any]) -> Section:
        arr = a.arrangement
        ids = (*arr.professional_help, *arr.low_threshold)
        lead: tuple[Line, ...] = (regional.offers_lead(self.kb),)
        if not ids:
            lead += (Line((Msg(N_("Geen specifiek aanbod zonder duidelijk profiel. Vraag Veilig "
                                  "Thuis om advies.")),)),)
        items: list[Item] = []
        for oid in ids:
            o = self.kb.offers[oid]
            kind = Msg(N_("professioneel")) if o.kind == "professional" else \
                Msg(N_("laagdrempelig"))
            region = Msg(N_("landelijk")) if o.region == "national" else Msg(N_("regionaal"))
            items.append((Line((Msg(o.title),), "title"),
                          Line((kind, Plain(" · "), region, Plain(" · "), Msg(o.for_whom)),
                               "quote"),
                          Line.of(o.what)))
        return Section(Msg(N_("🤝 Hulp")), lead, tuple(items),
                       (*(self.kb.offers[o].source for o in ids), *arr.sources))

    def _contacts(self, a: Assessment, answers: Mapping[str, Any]) -> Section:
        contacts = [self.kb.contacts[cid] for cid in a.arrangement.contacts]
        items = tuple(tuple(short_contact_lines(c)) for c in contacts)
        return Section(Msg(N_("📇 Contacten")), (regional.contacts_lead(self.kb),), items,
                       tuple(c.source for c in contacts))

    def _talk(self, a: Assessment, answers: Mapping[str, Any]) -> Section:
        kb, arr = self.kb, a.arrangement
        lead = [labelled(N_("Gesprekken"), CONVERSATIONS[arr.conversations])]
        if arr.talk:
            lead.append(Line.of(arr.talk))
        items: list[Item] = [(Line.of(n.text, style="bullet"),) for n in arr.notes_for("talk")]
        items += [(Line((Msg(kb.cards[cid].title),), "title"), Line.of(kb.cards[cid].body))
                  for cid in arr.talk_cards]
        culture = [c for c in kb.cards.values() if c.kind == "culture"]
        items += [(Line((Msg(c.title),), "title"), Line.of(c.body)) for c in culture]
        sources = [*(arr.sources if arr.talk else ()),
                   *(n.source for n in arr.notes_for("talk")),
                   *(kb.cards[cid].source for cid in arr.talk_cards),
                   *(c.source for c in culture)]
        return Section(Msg(N_("💬 Gesprek met het gezin")), tuple(lead), tuple(items),
                       tuple(sources))

    def _meldcode(self, a: Assessment, answers: Mapping[str, Any]) -> Section:
        lead: tuple[Line, ...] = ()
        if a.phase == "acute":
            lead = (Line((Msg(N_("Er is acute of structurele onveiligheid: melden bij Veilig "
                                 "Thuis is dan nodig.")),), "warning"),)
        cards = [self.kb.cards[cid] for cid in CARD_MELDCODE]
        items = tuple((Line((Msg(c.title),), "title"), Line.of(c.body)) for c in cards)
        return Section(Msg(N_("📋 Meldcode")), lead, items, tuple(c.source for c in cards))
