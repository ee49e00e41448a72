"""The client handout says truthfully what it holds, in plain words; a discreet card
names only general help; with the safety override it speaks separately only."""

from __future__ import annotations

import pytest

from bot.assess import Assessment, assess, parse_answers
from bot.core import Core
from bot.dialog.handout import MAX_OFFERS, handout_lines, handout_screen
from bot.i18n import LANGUAGES
from bot.kb import Knowledge
from bot.ui.screen import Screen

STRESS = dict(stressors="yes", mutual_violence="yes", calm_periods="yes", children_present="yes")
DV_WORDS = ("geweld", "huiselijk", "mishandel", "veilig thuis", "0800-2000", "pleger", "partner")


def assessment(kb: Knowledge, **answers: str) -> Assessment:
    return assess(parse_answers(answers, kb.indicators), kb)


def text(core: Core, a: Assessment, lang: str = "nl", **options: bool) -> str:
    lines = handout_lines(core.kb, a, simple=options.get("simple", False),
                          discreet=options.get("discreet", False))
    return core.renderer.render(Screen("h", tuple(lines)), lang).text


def test_discreet_card_names_only_general_help(core: Core) -> None:
    a = assessment(core.kb, **STRESS, coercive_control="yes")
    for simple in (False, True):
        card = text(core, a, discreet=True, simple=simple)
        assert not [w for w in DV_WORDS if w in card.lower()], card
        assert "112" in card
    h = core.kb.handout
    assert h is not None
    shown = text(core, a, discreet=True)
    for cid in h.discreet.contacts:
        assert core.renderer.message_id(core.kb.contacts[cid].name, "nl") in shown
    for offer in core.kb.offers.values():
        if offer.client:
            assert offer.client not in shown


def test_discreet_card_is_the_same_for_every_case(core: Core) -> None:
    cards = {text(core, assessment(core.kb, **answers), discreet=True)
             for answers in ({}, STRESS, {"honour_related": "yes"},
                             {"separated": "yes", "custody_conflict": "yes"})}
    assert len(cards) == 1


def test_normal_card_lists_the_arrangements_client_help_in_plain_words(core: Core) -> None:
    divorce = assessment(core.kb, children_present="yes", separated="yes",
                         custody_conflict="yes", legal_proceedings="yes")
    card = text(core, divorce)
    shown = [o for o in divorce.arrangement.low_threshold if core.kb.offers[o].client]
    assert shown
    listed = [oid for oid in shown if (core.kb.offers[oid].client or "") in card]
    assert listed == shown[:MAX_OFFERS]  # the first of the arrangement: the card stays short
    for oid in divorce.arrangement.low_threshold:
        if not core.kb.offers[oid].client:  # approaches for professionals stay off the card
            assert core.kb.offers[oid].title not in card
    assert "LVB" not in card and "LVB" not in text(core, divorce, simple=True)
    assert "recht op" not in card


def test_with_the_override_the_card_speaks_separately(core: Core) -> None:
    plain = text(core, assessment(core.kb, **STRESS))
    separate = text(core, assessment(core.kb, **STRESS, weapon="yes"))
    section = core.kb.handout.sections[0]  # type: ignore[union-attr]
    assert section.assumes_joint and section.separate
    assert section.body in plain and section.body not in separate
    assert section.separate in separate
    routed = text(core, assessment(core.kb, **STRESS, loverboy="yes"))
    assert section.body not in routed


@pytest.mark.parametrize("lang", LANGUAGES)
def test_both_cards_in_every_language(core: Core, lang: str) -> None:
    a = assessment(core.kb, **STRESS, fear_of_partner="yes")
    for discreet in (False, True):
        screen = handout_screen(core.kb, a, lang, False, discreet)
        rendered = core.renderer.render(screen, "nl").text
        assert screen.lang == lang and "112" in rendered and len(rendered) > 80
