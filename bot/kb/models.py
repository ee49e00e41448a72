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
CardRef = Annotated[str, ref("cards")]
AnyRef = Annotated[str, ref("terms", "cards", "measures", "offers", "partners", "contacts",
                            "profiles", "red_flags", "out_of_scope")]
PhaseId = Literal["first_signal", "multiple_signals", "acute"]
PHASES: tuple[PhaseId, ...] = ("first_signal", "multiple_signals", "acute")
Conversations = Literal["separate_only", "joint_and_separate"]
RegieId = Literal["veilig_thuis", "wijkteam", "zvh", "youth_protection", "police", "mda_plus_plus"]
# A condition: key -> the values that match. Keys are indicator ids (yes/no/unknown) or,
# where a model says so, the assessment's own conclusions (phase, primary, coercive,
# override). All keys must match; an empty condition always matches.
Condition = dict[str, tuple[str, ...]]
# Who takes part in an offer or measure. Which formats bring the person using violence
# and the people at risk together is declared in knowledge/safety.yaml (joint_formats).
Format = Literal["joint", "family", "both_parents", "individual", "group", "child", "network",
                 "online", "protective", "practical"]


@dataclass(frozen=True)
class Indicator:
    id: str
    group: GroupRef
    label: Text  # short Dutch label, used in checklists and "still unknown" lists
    # When the question matters (any of these conditions; empty: always). The one source
    # of truth for "relevant": the dialog asks only relevant questions and "still
    # unknown" lists only relevant unanswered ones. An unanswered indicator that is not
    # relevant counts as "no" in every condition (see bot/assess/relevance.py).
    relevant_when: tuple[Condition, ...] = ()


@dataclass(frozen=True)
class IndicatorGroup:
    id: str
    title: str  # for whoever edits the file; not shown, so not translated


@dataclass(frozen=True)
class Distinction:
    vs: ProfileRef  # the neighbouring profile this question separates from
    text: Text


@dataclass(frozen=True)
class ProfileVariant:
    """Another wording of a profile's arrangement texts when `when` holds."""

    when: Condition  # indicators, or phase / primary / coercive / override
    core: Text | None = None
    talk: Text | None = None


@dataclass(frozen=True)
class CellVariant:
    """Another wording of a matrix or fallback cell when `when` holds."""

    when: Condition  # indicators, or phase / primary / coercive / override
    focus: Text | None = None
    next_step: Text | None = None


@dataclass(frozen=True)
class RegieSwitch:
    """The cell's regie moves to `regie` when `when` holds (first match wins)."""

    when: Condition  # indicators, or coercive / override
    regie: RegieId
    source: str
    partners: tuple[PartnerRef, ...] = ()  # partners that come with the new regie


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
    # Which of core / talk assume joint work; each needs an override variant
    # (`when: {override: [yes]}`). Required, so that every profile says so.
    assumes_joint: tuple[Literal["core", "talk"], ...]
    synonyms: tuple[str, ...] = ()
    simple: Text | None = None  # `tagline` in simple language (B1), for lookup
    variants: tuple[ProfileVariant, ...] = ()  # first match per field wins


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
    # Which of focus / next_step assume joint work (each needs an override variant).
    assumes_joint: tuple[Literal["focus", "next_step"], ...]
    regie_when_serious: RegieId | None = None  # e.g. family_stress: zvh with serious DV
    regie_switch: tuple[RegieSwitch, ...] = ()  # e.g. complex divorce with a terror pattern
    variants: tuple[CellVariant, ...] = ()


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
    assumes_joint: tuple[Literal["focus", "next_step"], ...]
    variants: tuple[CellVariant, ...] = ()


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
    format: Format  # who takes part; a joint format must declare unsafe_with: [override]
    unsafe_with: tuple[str, ...] = ()  # "override" or safety trigger ids: then left out
    override_note: Text | None = None  # what changes when the safety override holds
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
    source: str
    format: Format  # who takes part; a joint format must declare unsafe_with: [override]
    # "national", or the region of the pack it is in (knowledge/regions/<region>/: inherited)
    region: str = "national"
    unsafe_with: tuple[str, ...] = ()  # "override" or safety trigger ids: then left out
    client: Text | None = None  # for the client handout, in plain words; None: not on it
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
    # True: the ordinary approach can raise the danger, so this route replaces the
    # profile arrangement (then regie and next_step are required).
    replaces: bool
    regie: RegieId | None = None
    next_step: Text | None = None
    protection: tuple[MeasureRef, ...] = ()
    professional_help: tuple[ProfessionalRef, ...] = ()
    low_threshold: tuple[LowThresholdRef, ...] = ()
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
    region: str = "national"  # or the region of its pack (knowledge/regions/<region>/: inherited)
    phone: str | None = None
    chat: str | None = None  # URL of a chat
    url: str | None = None
    unverified: Text | None = None  # what could not be verified, said plainly
    acute: bool = False  # part of the acute-help path
    synonyms: tuple[str, ...] = ()
    simple: Text | None = None  # `what` in simple language (B1)
    handout: bool = False  # listed on every client handout
    client: Text | None = None  # on the client card: who this is, in a few plain words


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
    show_in: tuple[Literal["approach", "talk"], ...] = ("approach",)  # result sections
    assumes_joint: bool = False  # the note assumes joint work: give `separate_note`
    separate_note: Text | None = None  # the note when the safety override holds


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
class SafetyTrigger:
    """One reason for the safety override (separate only, no joint-format help)."""

    id: str
    label: Text  # short reason shown on the card, e.g. "een wapen"
    when: tuple[Condition, ...]  # any of these; keys: indicators or `coercive`
    source: str


@dataclass(frozen=True)
class Safety:
    """The one safety override, its triggers and what it filters (knowledge/safety.yaml)."""

    title: Text  # the banner on the card
    explain: Text  # what the override means for the professional
    triggers: tuple[SafetyTrigger, ...]
    joint_formats: tuple[Format, ...]  # formats that bring the parties together
    joint_phrases: tuple[str, ...]  # regexes for texts that assume joint work (Dutch)
    talk_cards: tuple[CardRef, ...]  # cards of the talk section
    separate_talk_cards: tuple[CardRef, ...]  # ... when the override holds
    replaced_note: Text  # said when an out-of-scope route replaces the arrangement
    source: str


@dataclass(frozen=True)
class RegionPack:
    """What a region pack says about itself (knowledge/regions/<region>/region.yaml)."""

    id: str  # the pack's folder name; the loader fills it in from the file's `region`
    name: str  # the region's name as users read it, e.g. "Zaanstreek-Waterland" (a name: kept)
    municipalities: tuple[str, ...]
    maintainer: str  # who keeps the pack's contacts current: a team or role, never a person
    source: str  # where the region's organisations are listed


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
    regions: tuple[str, ...]  # whose content is loaded: "national", then the region (if any)
    terms: dict[str, Term] = field(default_factory=dict)
    vignettes: dict[str, Vignette] = field(default_factory=dict)
    lessons: dict[str, Lesson] = field(default_factory=dict)
    path: LearningPath | None = None
    handout: Handout | None = None
    weighing: dict[str, WeighingQuestion] = field(default_factory=dict)  # in order
    weighing_outcomes: dict[str, WeighingOutcome] = field(default_factory=dict)
    afwegingskader: Afwegingskader | None = None
    handover: Handover | None = None
    code_versions: tuple[CodeVersion, ...] = ()  # resume codes: each version's frozen order
    followup: Followup | None = None
    escalations: dict[str, Escalation] = field(default_factory=dict)
    safety: Safety | None = None
    region: RegionPack | None = None  # the region pack loaded; None: national content only
    left_out: int = 0  # national references to items of region packs that are not loaded


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
    assumes_joint: bool = False  # then `separate` and `separate_simple` are required
    separate: Text | None = None  # body when the safety override holds
    separate_simple: Text | None = None


@dataclass(frozen=True)
class DiscreetHandout:
    """A card that names only general help, for a client whose phone or bag is checked."""

    title: Text
    intro: Text
    intro_simple: Text
    contacts: tuple[ContactRef, ...]
    closing: Text
    closing_simple: Text


@dataclass(frozen=True)
class Handout:
    """The client card: general help, the contacts marked `handout`, and the client-facing
    offers of the arrangement (kinds of help, never anything typed or about the family)."""

    title: Text
    intro: Text
    intro_simple: Text
    sections: tuple[HandoutSection, ...]
    closing: Text
    closing_simple: Text
    source: str
    discreet: DiscreetHandout


# --- the meldcode's afwegingskader and the handover for a call to Veilig Thuis ------------
# Ids that point into the afwegingskader: a weighing question or one of its outcomes.
WeighingStepRef = Annotated[str, ref("weighing", "weighing_outcomes")]
WeighingRef = Annotated[str, ref("weighing")]
Answer = Literal["yes", "no", "unknown"]


@dataclass(frozen=True)
class Signals:
    """What the screening answers must show: any of `any_yes` answered yes, any red flag
    (every item of red_flags.yaml) answered yes, or a safety score below `safety_below`."""

    any_yes: tuple[IndicatorRef, ...] = ()
    red_flags: bool = False
    safety_below: int | None = None


@dataclass(frozen=True)
class Prefill:
    """A weighing question the screening answers already decide; not asked again."""

    when: Signals
    answer: Literal["yes", "no"]
    note: Text  # why it is filled in, shown beside the answer
    source: str


@dataclass(frozen=True)
class Concern:
    """Screening answers that weigh on a question without deciding it; shown with it."""

    when: Signals
    note: Text
    source: str


@dataclass(frozen=True)
class WeighingQuestion:
    """One of the five weighing questions of the afwegingskader, in order."""

    id: str
    number: int
    question: Text
    explain: Text
    on: dict[Answer, WeighingStepRef]  # answer -> the next question or an outcome
    source: str
    prefill: tuple[Prefill, ...] = ()
    concerns: tuple[Concern, ...] = ()
    then: dict[Answer, Text] = field(default_factory=dict)  # said when this answer ends the walk


@dataclass(frozen=True)
class WeighingOutcome:
    """One of the meldcode's answers: what it means tonight and the next working day."""

    id: str
    title: Text
    meaning: Text
    tonight: Text
    next_day: Text
    report: bool | None  # whether a report to Veilig Thuis is required (null: not yet known)
    ask: tuple[Text, ...]  # questions to ask Veilig Thuis on the call
    source: str


@dataclass(frozen=True)
class Afwegingskader:
    """The texts around the weighing questions (knowledge/meldcode.yaml)."""

    title: Text
    intro: Text
    judgement: Text  # the professional's judgement and their organisation's meldcode first
    consult: Text  # consulting Veilig Thuis is always possible and free
    first: WeighingRef
    in_force: dt.date
    unverified: Text  # what this summary cannot promise, said plainly
    source: str


@dataclass(frozen=True)
class AtRisk:
    """Who is in danger, as far as the answers tell."""

    when: Signals
    who: Text


@dataclass(frozen=True)
class Handover:
    """What a professional says when calling Veilig Thuis, built from the answers alone."""

    title: Text
    opening: Text
    at_risk: tuple[AtRisk, ...]
    tip: Text  # one line on how to report signals
    ask: tuple[Text, ...]  # questions for Veilig Thuis before the afwegingskader is done
    source: str


# --- resume codes and the follow-up consultation ---------------------------------------------
@dataclass(frozen=True)
class CodeField:
    id: str  # a follow-up answer
    kind: Literal["answer", "months"]


@dataclass(frozen=True)
class CodeVersion:
    """One published order of the answers in a resume code (knowledge/codes.yaml).

    Indicator ids are plain strings, not references: a code of an old version must still
    decode when an id it lists has been retired."""

    version: int
    fingerprint: str  # of the order: a published version never changes
    indicators: tuple[str, ...]
    followup: tuple[CodeField, ...] = ()


FollowupAnswer = Literal["yes", "no", "unknown"]


@dataclass(frozen=True)
class FollowupOption:
    id: str
    label: Text
    sets: dict[IndicatorRef, FollowupAnswer] = field(default_factory=dict)  # screening answers
    follow: dict[str, FollowupAnswer] = field(default_factory=dict)  # follow-up answers


@dataclass(frozen=True)
class FollowupQuestion:
    """A question of the follow-up. `kind` says what it sets: `indicator` a screening answer
    (yes/no/don't know), `answer` the follow-up answer named by `id`, `months` the months
    since the arrangement started (0-12+), `choice` what its options set, `checklist` its
    `items` (ticked yes; the earlier yes answers come ticked), `scale` the 0-10 safety
    score."""

    id: str
    kind: Literal["indicator", "answer", "months", "choice", "checklist", "scale"]
    text: Text
    hint: Text | None = None
    indicator: IndicatorRef | None = None
    options: tuple[FollowupOption, ...] = ()
    items: tuple[IndicatorRef, ...] = ()
    when: dict[str, tuple[FollowupAnswer, ...]] = field(default_factory=dict)  # follow-up answers
    acute_on: tuple[FollowupAnswer, ...] = ()  # these answers open acute help first


FollowupStatusId = Literal["act_now", "escalate_direct", "escalate_stable", "within_direct",
                           "within_stable", "stable", "time_unknown"]


@dataclass(frozen=True)
class FollowupStatus:
    """Where the arrangement stands against the report's terms, and what that asks for."""

    id: FollowupStatusId
    title: Text
    text: Text  # may use {direct}, {stable} and {total}: the terms in months
    source: str


@dataclass(frozen=True)
class Followup:
    """The follow-up consultation (Vervolg) and the report's escalation rule (§2.1.2)."""

    direct_months: int  # direct safety within this many months of the start
    stable_months: int  # then stable safety within this many months more
    min_safe_score: int  # a safety score below this is not direct safety
    intro: Text
    decides: Text  # who decides an escalation; {regie} is the arrangement's regie
    decides_source: str
    source: str
    questions: tuple[FollowupQuestion, ...]
    statuses: tuple[FollowupStatus, ...]
    # The afwegingskader question the follow-up answers: does the help lead to safety in
    # time? A passed term answers no, stable safety yes (bot/followup/rules.py).
    weighing: WeighingRef | None = None


@dataclass(frozen=True)
class Escalation:
    """Extra expertise or an intervention when safety does not come in time (§2.1.2)."""

    id: str
    title: Text
    what: Text
    who: Text  # who decides it or carries it out
    partners: tuple[PartnerRef, ...]
    source: str
    needs_children: bool = False
