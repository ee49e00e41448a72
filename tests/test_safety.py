"""Safe advice in every combination: invariants over the whole answer space (hypothesis).

Arbitrary answer sets (every indicator yes / no / unknown / missing, any safety
score) are assessed, and everything the professional can read (the result card,
every drill-down section, the normal, simple and discreet handout) is rendered in
Dutch and in one other language drawn per example. CI checks SAFETY_EXAMPLES
answer sets (default 1200, a fixed seed, about 10 s); `SAFETY_EXAMPLES=5000 pytest
tests/test_safety.py -s` runs a long check. The count is printed at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from bot.assess import Assessment, assess, parse_answers
from bot.assess.relevance import Facts
from bot.assess.safety import unsafe
from bot.core import build_core
from bot.dialog.result import CONVERSATIONS, SECTION_IDS
from bot.i18n import LANGUAGES
from bot.kb import load_knowledge
from bot.kb.checks import JointText
from bot.kb.models import Measure, Offer
from tests.auxil.card import HANDOUTS, card_lines, render_all
from tests.auxil.region import REGION
from tests.conftest import public_cases

EXAMPLES = int(os.environ.get("SAFETY_EXAMPLES", "1200"))
KB = load_knowledge(region=REGION)
CORE = build_core(KB)
assert KB.safety is not None
JOINT = JointText(KB.safety.joint_phrases)
JOINT_FORMATS = set(KB.safety.joint_formats)
INDICATORS = sorted(KB.indicators)
STEERING = ("children_present", "acute_danger", "perpetrator_is_minor", "partner_violence",
            "child_to_parent_violence", "violence_against_child", "coercive_control")
DISCREET_WORDS = ("geweld", "huiselijk", "mishandel", "veilig thuis", "0800-2000", "pleger")
CHECKED = {"answer_sets": 0, "override": 0, "acute": 0, "replaced": 0, "minor": 0,
           "no_children": 0, "renders": 0}


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly a handful of yes answers, some explicit no / unknown, the rest missing; the
    answers that steer the dialog and the filters are drawn evenly on their own."""
    yes = draw(st.sets(st.sampled_from(INDICATORS), max_size=14))
    other = draw(st.dictionaries(st.sampled_from(INDICATORS), st.sampled_from(["no", "unknown"]),
                                 max_size=30))
    steering = draw(st.fixed_dictionaries({i: st.sampled_from([None, "no", "unknown", "yes"])
                                           for i in STEERING}))
    answers: dict[str, Any] = {**other, **{k: v for k, v in steering.items() if v},
                               **dict.fromkeys(yes, "yes")}
    score = draw(st.one_of(st.none(), st.integers(0, 10)))
    if score is not None:
        answers["safety_score"] = score
    return answers


def msg(text: str, lang: str) -> str:
    return CORE.renderer.message_id(text, lang)


# --- the invariants ---------------------------------------------------------------------------
def check_assessment(a: Assessment, answers: dict[str, Any]) -> None:
    arr = a.arrangement
    facts = Facts(KB.indicators, answers)
    items: list[Offer | Measure] = [KB.offers[o] for o in (*arr.professional_help,
                                                            *arr.low_threshold)]
    items += [KB.measures[m] for m in arr.protection]
    if a.override:
        assert arr.conversations == "separate_only"
        for item in items:
            assert item.format not in JOINT_FORMATS, item.id
            assert not unsafe(item, a.safety), item.id
        assert arr.talk_cards == KB.safety.separate_talk_cards  # type: ignore[union-attr]
    if arr.replaced_by:
        assert arr.conversations == "separate_only"
        assert arr.core is None and arr.talk is None
    if a.call_112:
        assert arr.contacts[0] == "112"
    else:
        assert "112" not in arr.contacts
    assert "veilig_thuis" in arr.contacts
    if facts.state("perpetrator_is_minor") == "yes":
        assert "temporary_restraining_order" not in arr.protection
    if facts.state("children_present") == "no":
        assert not [p for p in arr.partners if KB.partners[p].youth]
        assert not [m for m in arr.protection if KB.measures[m].needs_children]
        assert not [o for o in (*arr.professional_help, *arr.low_threshold)
                    if KB.offers[o].needs_children or KB.offers[o].format == "child"]
        assert not [m for m in arr.protection if KB.measures[m].format == "child"]
    for ident in arr.partners:
        assert KB.partners[ident].source
    for item in items:
        assert "rapport §" in item.source or "http" in item.source, item.id
    for c in arr.contacts:
        assert KB.contacts[c].source and KB.contacts[c].checked
    assert arr.sources
    # "still unknown": exactly the relevant questions without a yes/no answer
    settled = set(KB.scoring.coercive_pattern.direct) if a.coercive_control else set()
    expected = {i for i in KB.indicators if facts.relevant(i)
                and answers.get(i) not in ("yes", "no")} - settled
    assert set(a.unknowns) == expected
    assert len(a.unknowns) == len(set(a.unknowns))


def check_rendered(a: Assessment, answers: dict[str, Any], lang: str) -> None:
    texts = render_all(CORE, a, answers, lang)
    arr = a.arrangement
    CHECKED["renders"] += len(texts)
    shown = {k: v for k, v in texts.items() if k != "handout_discreet"}
    if a.override or arr.replaced_by:
        joint_items = [o for o in KB.offers.values() if o.format in JOINT_FORMATS]
        joint_items += [m for m in KB.measures.values() if m.format in JOINT_FORMATS]  # type: ignore[misc]
        forbidden = {msg(i.title, lang) for i in joint_items}
        forbidden.add(CORE.renderer.message(CONVERSATIONS["joint_and_separate"], lang))
        for part, text in shown.items():
            for phrase in forbidden:
                assert phrase not in text, (part, phrase)
            if lang == "nl":
                assert JOINT.match(text) is None, (part, JOINT.match(text))
    lines = card_lines(CORE, a, lang)
    if a.call_112:  # 112 first: right under the card's title
        assert "112" in lines[1], lines[:3]
    assert msg("Bron", lang) in texts["card"]
    for section in SECTION_IDS:  # every section lists its sources
        assert msg("Bronnen", lang) in texts[section], section
    for part in HANDOUTS:
        assert "112" in texts[part]
    if lang == "nl":
        discreet = texts["handout_discreet"].lower()
        assert not [w for w in DISCREET_WORDS if w in discreet]
        assert "LVB" not in texts["handout"] and "LVB" not in texts["handout_simple"]
    if facts_state(answers, "perpetrator_is_minor") == "yes":
        assert msg(KB.measures["temporary_restraining_order"].title, lang) not in \
            texts["protection"]
    if arr.replaced_by:
        regie = msg("Regie", lang)
        route = msg(KB.out_of_scope[arr.replaced_by[0]].title, lang)
        card = texts["card"]
        assert route in card and card.index(route) < card.index(regie)
        assert msg(KB.safety.replaced_note, lang) in card  # type: ignore[union-attr]


def facts_state(answers: dict[str, Any], indicator: str) -> str:
    return Facts(KB.indicators, answers).state(indicator)


@pytest.fixture(scope="module", autouse=True)
def report_count(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    line = ("safety invariants: {answer_sets} answer sets checked ({override} with the "
            "override, {replaced} replaced by a route, {acute} with acute danger, {minor} "
            "with a minor using violence, {no_children} without children); {renders} "
            "rendered texts").format(**CHECKED)
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():  # shown without -s too
            reporter.write_line("")
            reporter.write_line(line)


@seed(20261130)
@settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=answer_sets(), lang=st.sampled_from([x for x in LANGUAGES if x != "nl"]))
def test_every_answer_set_gives_safe_advice(raw: dict[str, Any], lang: str) -> None:
    answers = {k: v for k, v in raw.items() if k != "safety_score"}
    a = assess(parse_answers(raw, KB.indicators), KB)
    check_assessment(a, answers)
    check_rendered(a, answers, "nl")
    check_rendered(a, answers, lang)
    CHECKED["answer_sets"] += 1
    CHECKED["override"] += a.override
    CHECKED["replaced"] += bool(a.arrangement.replaced_by)
    CHECKED["acute"] += a.call_112
    CHECKED["minor"] += answers.get("perpetrator_is_minor") == "yes"
    CHECKED["no_children"] += answers.get("children_present") == "no"


# --- the same invariants, every language, on the cases the issue names -------------------------
NAMED: dict[str, dict[str, Any]] = {
    "stress_weapon_fear_escalation": dict(stressors="yes", mutual_violence="yes", weapon="yes",
                                          fear_of_partner="yes", escalation="yes",
                                          children_present="yes", calm_periods="yes"),
    "divorce_coercive_stalking": dict(children_present="yes", separated="yes",
                                      custody_conflict="yes", legal_proceedings="yes",
                                      coercive_control="yes", stalking="yes",
                                      repeat_reports="yes"),
    "honour_related": dict(honour_related="yes", stressors="yes", mutual_violence="yes",
                           children_present="yes", repeat_reports="yes"),
    "elder_abuse_acute": dict(elder_abuse="yes", acute_danger="yes", parent_addiction="yes",
                              neglect="yes", children_present="yes"),
    "minor_hits_mother_acute": dict(children_present="yes", child_to_parent_violence="yes",
                                    perpetrator_is_minor="yes", partner_violence="no",
                                    violence_against_child="no", child_behaviour_problems="yes",
                                    single_parent="yes", acute_danger="yes", weapon="yes"),
    "no_children_coercion": dict(children_present="no", coercive_control="yes",
                                 isolation="yes", economic_control="yes", safety_score=3),
}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", sorted(NAMED))
def test_named_cases_in_every_language(name: str, lang: str) -> None:
    raw = NAMED[name]
    answers = {k: v for k, v in raw.items() if k != "safety_score"}
    a = assess(parse_answers(raw, KB.indicators), KB)
    assert a.override or a.arrangement.replaced_by
    check_assessment(a, answers)
    check_rendered(a, answers, lang)


# --- the learning cases teach what the assessment says --------------------------------------
CASE_ANSWERS = {c["id"]: c["answers"] for c in public_cases()}


@pytest.mark.parametrize("case", sorted(CASE_ANSWERS))
def test_learning_case_answers_agree_with_the_assessment(case: str) -> None:
    vignette = KB.vignettes[case]
    a = assess(parse_answers(CASE_ANSWERS[case], KB.indicators), KB)
    correct = {e.kind: next(c.id for c in e.choices if c.correct) for e in vignette.exercises}
    assert correct["profile"] == a.primary == vignette.profile
    assert correct["regie"] == a.arrangement.regie
    assert correct["conversations"] == a.arrangement.conversations
