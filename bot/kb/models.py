"""Typed knowledge: one dataclass per kind of content in knowledge/*.yaml.

Field types double as the schema (see bot.kb.schema). `Text` fields are Dutch
source texts shown to users; they are extracted into the gettext catalogs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Literal

from bot.kb.schema import Text, ref

ProfileId = str
# Ids that point at other content: the loader checks each against its collection.
GroupRef = Annotated[str, ref("groups")]
IndicatorRef = Annotated[str, ref("indicators")]
ProfileRef = Annotated[str, ref("profiles")]
PartnerRef = Annotated[str, ref("partners")]
MeasureRef = Annotated[str, ref("measures")]
ProfessionalRef = Annotated[str, ref("offers", kind="professional")]
LowThresholdRef = Annotated[str, ref("offers", kind="low_threshold")]
ContactRef = Annotated[str, ref("contacts")]
AnyRef = Annotated[str, ref("terms", "cards", "measures", "offers", "partners", "contacts",
                            "profiles", "red_flags", "out_of_scope")]
PhaseId = Literal["first_signal", "multiple_signals", "acute"]
PHASES: tuple[PhaseId, ...] = ("first_signal", "multiple_signals", "acute")
Conversations = Literal["separate_only", "joint_and_separate"]
RegieId = Literal["veilig_thuis", "wijkteam", "zvh", "youth_protection", "police", "mda_plus_plus"]


@dataclass(frozen=True)
class Indicator:
    id: str
    group: GroupRef
    label: Text  # short Dutch label, used in checklists and "still unknown" lists
    explain: Text  # one sentence: what counts as yes


@dataclass(frozen=True)
class IndicatorGroup:
    id: str
    title: Text


@dataclass(frozen=True)
class Distinction:
    vs: ProfileRef  # the neighbouring profile this question separates from
    text: Text


@dataclass(frozen=True)
class MeasureUse:
    measure: MeasureRef
    from_phase: PhaseId = "first_signal"
    note: Text | None = None  # profile-specific remark, e.g. "only exceptionally"


@dataclass(frozen=True)
class Profile:
    id: ProfileId
    title: Text
    tagline: Text  # one line: what is in the foreground
    pattern: Text
    risk_factors: tuple[Text, ...]
    impact: Text
    distinguish: tuple[Distinction, ...]
    core: Text  # the arrangement's core in one line
    domain: Literal["safety", "care"]
    protection: tuple[MeasureUse, ...]
    professional_help: tuple[ProfessionalRef, ...]
    low_threshold: tuple[LowThresholdRef, ...]
    talk: Text  # how to talk with this family
    contacts: tuple[ContactRef, ...]
    source: str
    synonyms: tuple[str, ...] = ()
    simple: Text | None = None  # `tagline` in simple language (B1), for lookup


@dataclass(frozen=True)
class Phase:
    id: PhaseId
    title: Text
    description: Text
    source: str


@dataclass(frozen=True)
class MatrixCell:
    profile: ProfileRef
    phase: PhaseId
    regie: RegieId
    conversations: Conversations
    partners: tuple[PartnerRef, ...]
    protection: tuple[MeasureRef, ...]  # measures this phase adds on top of the profile's own
    focus: Text
    next_step: Text  # a concrete next step with an owner
    source: str
    regie_when_serious: RegieId | None = None  # e.g. family_stress: zvh with serious DV


@dataclass(frozen=True)
class FallbackCell:
    """Arrangement when no profile is clearly in the foreground."""

    phase: PhaseId
    regie: RegieId
    conversations: Conversations
    partners: tuple[PartnerRef, ...]
    protection: tuple[MeasureRef, ...]
    focus: Text
    next_step: Text
    source: str


@dataclass(frozen=True)
class Partner:
    id: str
    title: Text
    role: Text
    domain: Literal["care", "safety", "both"]
    source: str
    contact: ContactRef | None = None
    youth: bool = False  # only relevant when there are children
    synonyms: tuple[str, ...] = ()
    simple: Text | None = None  # `role` in simple language (B1)


@dataclass(frozen=True)
class Measure:
    id: str
    title: Text
    what: Text
    who: Text  # who decides or imposes it
    kind: Literal["criminal", "administrative", "civil", "shelter", "police", "other"]
    source: str
    adults_only: bool = False
    needs_children: bool = False
    synonyms: tuple[str, ...] = ()
    url: str | None = None
    simple: Text | None = None  # `what` in simple language (B1)


@dataclass(frozen=True)
class Offer:
    id: str
    title: Text
    kind: Literal["professional", "low_threshold"]
    what: Text
    for_whom: Text
    region: str  # "national" or a region id such as "zaanstreek_waterland"
    source: str
    needs_children: bool = False
    contact: ContactRef | None = None
    synonyms: tuple[str, ...] = ()
    simple: Text | None = None  # `what` in simple language (B1)


@dataclass(frozen=True)
class RedFlag:
    id: IndicatorRef  # an indicator id
    title: Text
    why: Text
    raises_phase: bool  # counts as a serious incident for the phase
    source: str


@dataclass(frozen=True)
class Card:
    """A knowledge card: principle, guidance, meldcode step, recommendation..."""

    id: str
    kind: Literal["principle", "guidance", "meldcode", "recommendation", "culture", "safety"]
    title: Text
    body: Text
    source: str
    related: tuple[AnyRef, ...] = ()
    synonyms: tuple[str, ...] = ()
    simple: Text | None = None  # `body` in simple language (B1)


@dataclass(frozen=True)
class OutOfScope:
    id: IndicatorRef  # an indicator id: honour_related, loverboy, elder_abuse
    title: Text
    what: Text
    route: Text
    partners: tuple[PartnerRef, ...]
    contacts: tuple[ContactRef, ...]
    source: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contact:
    id: str
    name: Text
    what: Text
    hours: Text
    cost: Literal["free", "paid", "local_rate", "unknown"]
    source: str
    checked: dt.date
    region: str = "national"
    phone: str | None = None
    chat: str | None = None  # URL of a chat
    url: str | None = None
    unverified: Text | None = None  # what could not be verified, said plainly
    acute: bool = False  # part of the acute-help path
    synonyms: tuple[str, ...] = ()
    simple: Text | None = None  # `what` in simple language (B1)
    handout: bool = False  # listed on every client handout


@dataclass(frozen=True)
class Change:
    partners: tuple[PartnerRef, ...] = ()
    protection: tuple[MeasureRef, ...] = ()
    professional_help: tuple[ProfessionalRef, ...] = ()
    low_threshold: tuple[LowThresholdRef, ...] = ()
    contacts: tuple[ContactRef, ...] = ()


@dataclass(frozen=True)
class Rule:
    """An adjustment of the arrangement when answers match `when`.

    `when` maps an indicator id to the answers that match (`unknown` also
    matches a missing answer); the keys `phase`, `primary` and `coercive`
    match the assessment's own conclusions.
    """

    id: str
    when: dict[str, tuple[str, ...]]
    note: Text
    source: str
    add: Change = field(default_factory=Change)
    remove: Change = field(default_factory=Change)


@dataclass(frozen=True)
class Signal:
    """Evidence for a profile: present when any of `any` is answered yes."""

    any: tuple[IndicatorRef, ...]
    weight: int


@dataclass(frozen=True)
class CoercivePattern:
    direct: tuple[IndicatorRef, ...]  # any of these yes: pattern present
    supporting: tuple[IndicatorRef, ...]  # or at least `supporting_min` of these yes
    supporting_min: int


@dataclass(frozen=True)
class Scoring:
    source: str
    signals: dict[ProfileRef, tuple[Signal, ...]]
    min_score: float  # below this the answers are too thin for a primary profile
    min_signals: int  # ... or fewer yes-signals than this
    overlap_ratio: float  # runners-up at or above ratio x top score are overlap
    coercive_pattern: CoercivePattern
    serious_regie_trigger: tuple[IndicatorRef, ...]  # indicators that make DV "serious"


@dataclass(frozen=True)
class Knowledge:
    """Everything loaded from knowledge/, indexed by id."""

    indicator_groups: dict[str, IndicatorGroup]
    indicators: dict[str, Indicator]
    profiles: dict[str, Profile]
    phases: dict[str, Phase]
    matrix: dict[tuple[str, str], MatrixCell]
    fallback: dict[str, FallbackCell]
    partners: dict[str, Partner]
    measures: dict[str, Measure]
    offers: dict[str, Offer]
    red_flags: dict[str, RedFlag]
    cards: dict[str, Card]
    out_of_scope: dict[str, OutOfScope]
    contacts: dict[str, Contact]
    rules: tuple[Rule, ...]
    scoring: Scoring
    regions: tuple[str, ...]
    terms: dict[str, Term] = field(default_factory=dict)
    vignettes: dict[str, Vignette] = field(default_factory=dict)
    lessons: dict[str, Lesson] = field(default_factory=dict)
    path: LearningPath | None = None
    handout: Handout | None = None


# --- lookup and learning ---------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    """A glossary entry (BRIEF §11 and everything a professional may look up)."""

    id: str
    term: Text
    definition: Text
    source: str
    abbreviation: str | None = None
    simple: Text | None = None  # the same in simple language (B1)
    synonyms: tuple[str, ...] = ()  # search words: spellings, English and other-language terms
    related: tuple[AnyRef, ...] = ()  # ids of terms, cards, measures, offers, partners, contacts, profiles
    url: str | None = None


@dataclass(frozen=True)
class Choice:
    id: str
    label: Text
    correct: bool
    feedback: Text  # why this is (not) the expert answer


@dataclass(frozen=True)
class Exercise:
    id: str
    kind: Literal["profile", "regie", "conversations", "phase", "other"]
    question: Text
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Vignette:
    """One of the report's five cases, retold as an exercise."""

    id: str
    title: Text
    story: Text
    exercises: tuple[Exercise, ...]
    expert: Text  # the expert answer in a few sentences, overlap included
    profile: ProfileRef
    source: str


@dataclass(frozen=True)
class Lesson:
    id: str
    title: Text
    body: Text
    source: str
    check: Exercise | None = None


@dataclass(frozen=True)
class LearningPath:
    steps: tuple[str, ...]  # lesson and vignette ids in order; "glossary_quiz" for the quiz
    source: str


@dataclass(frozen=True)
class HandoutSection:
    id: str
    title: Text
    body: Text
    simple: Text  # the same in simple language (B1)


@dataclass(frozen=True)
class Handout:
    """The client card: what help exists and whom to call; nothing about the case."""

    title: Text
    intro: Text
    intro_simple: Text
    sections: tuple[HandoutSection, ...]
    closing: Text
    closing_simple: Text
    source: str
