"""Anonymous lookup: ranking, misspellings, abbreviations, other languages, personal data."""

from __future__ import annotations

import io

import pytest

from bot.cli import main
from bot.core import Core
from bot.lookup.engine import PERSONAL_DATA
from bot.lookup.privacy import strip_personal_data
from bot.ui import actions as act


def top(core: Core, query: str) -> list[tuple[str, str]]:
    """What a search finds: each result, and the cards of the same concept it links to."""
    index = core.lookup.index
    found = []
    for entry, _ in index.search(query):
        found += [(e.kind, e.id) for e in (entry, *index.siblings(entry))]
    return found


@pytest.mark.parametrize("query", [
    "tijdelijk huisverbod",  # the Dutch term
    "huisverbot",  # a misspelling
    "THV",  # the abbreviation
    "restraining order",  # English
    "wat is een tijdelijk huisverbod?",  # a question
])
def test_huisverbod_is_found_first(core: Core, query: str) -> None:
    found = top(core, query)
    assert found, query
    assert found[0][1] in ("temporary_restraining_order", "tijdelijk_huisverbod"), found
    assert len(found) <= 5


@pytest.mark.parametrize(("query", "expected"), [
    ("AWARE", "aware_alarm"),
    ("kindertelefoon", "kindertelefoon"),
    ("Veilig Thuis", "veilig_thuis"),
    ("meldcode", "meldcode_steps"),
    ("intieme terreur", "intimate_terror"),
    ("coercive control", "intimate_terror"),
    ("blijf groep", "blijf_groep"),
    ("eergerelateerd geweld", "honour_related"),
])
def test_known_terms_rank_their_card_high(core: Core, query: str, expected: str) -> None:
    ids = [ident for _, ident in top(core, query)]
    assert any(expected in ident for ident in ids[:3]), (query, ids)


def test_every_organisation_and_measure_can_be_found_by_its_title(core: Core) -> None:
    kb = core.kb
    missing = []
    for kind, table in (("measure", kb.measures), ("contact", kb.contacts), ("offer", kb.offers),
                        ("partner", kb.partners), ("term", kb.terms)):
        for ident, item in table.items():
            title = getattr(item, "title", None) or getattr(item, "name", None) \
                or getattr(item, "term")  # noqa: B009 - one of the three, per kind
            if (kind, ident) not in top(core, title):
                missing.append((kind, ident, title))
    assert missing == []


def test_nonsense_finds_nothing(core: Core) -> None:
    assert top(core, "qqqxxyz") == []
    assert top(core, "   ") == []
    assert top(core, "de het een") == []


@pytest.mark.parametrize("text", [
    "Mevrouw Jansen Dorpsstraat 12 huisverbod",
    "huisverbod 06-12345678",
    "huisverbod jan@example.org",
    "huisverbod 1234 AB",
    "ik heet Fatima, huisverbod",
    "huisverbod geboren 12-03-1990",
])
def test_personal_data_is_flagged_and_the_rest_is_searched(core: Core, text: str) -> None:
    cleaned, flagged = strip_personal_data(text)
    assert flagged
    for secret in ("Jansen", "Dorpsstraat", "12345678", "jan@", "1234 AB", "Fatima", "1990"):
        assert secret not in cleaned
    assert "huisverbod" in cleaned
    assert top(core, cleaned)[0][1] in ("temporary_restraining_order", "tijdelijk_huisverbod")


def test_ordinary_queries_are_not_flagged() -> None:
    for text in ("tijdelijk huisverbod", "Veilig Thuis", "wat doet AWARE", "MDA++", "113"):
        assert strip_personal_data(text)[1] is False, text


def test_lookup_screens_never_echo_the_query(core: Core) -> None:
    s = core.sessions.open("l", "nl")
    core.switch(s, "lookup")
    screen = core.lookup.text(s, "Mevrouw Jansen huisverbod")
    text = core.renderer.render(screen, "nl").text
    assert "Jansen" not in text
    assert core.renderer.message(PERSONAL_DATA, "nl") in text
    m = core.lookup.model(s)
    assert "Jansen" not in repr([getattr(m, slot) for slot in m.__slots__])


def test_card_shows_source_related_and_acute_help(core: Core) -> None:
    s = core.sessions.open("l", "nl")
    core.switch(s, "lookup")
    results = core.lookup.text(s, "huisverbod")
    first = next(a for a in sorted(results.actions()) if act.ENTRY.arg(a) is not None)
    card = core.lookup.act(s, first)
    text = core.renderer.render(card, "nl").text
    assert "Bron: " in text
    assert act.ACUTE in card.actions()  # what to do now: acute help
    acute = core.lookup.act(s, act.ACUTE)
    assert "0800-2000" in core.renderer.render(acute, "nl").text
    core.lookup.act(s, act.BACK)
    assert core.renderer.render(core.lookup.show(s), "nl").text == text


def test_topics_list_everything_and_page(core: Core) -> None:
    s = core.sessions.open("l", "nl")
    menu = core.lookup.begin(s)
    topics = sorted(a for a in menu.actions() if act.TOPIC.arg(a) is not None)
    assert len(topics) == 9
    seen = set()
    for topic in topics:
        screen = core.lookup.act(s, topic)
        while True:
            seen |= {a for a in screen.actions() if act.ENTRY.arg(a) is not None}
            nxt = [a for a in screen.actions() if (page := act.PAGE.arg(a)) is not None
                   and int(page) > core.lookup.model(s).page]
            if not nxt:
                break
            screen = core.lookup.act(s, nxt[0])
        core.lookup.act(s, act.HOME)
    assert len(seen) == len(core.lookup.index.entries)


def test_contact_cards_show_checked_date(core: Core) -> None:
    s = core.sessions.open("l", "nl")
    core.switch(s, "lookup")
    text = core.renderer.render(core.lookup.open(s, "contact", "veilig_thuis"), "nl").text
    assert "Laatst gecontroleerd" in text and "0800-2000" in text


def test_simple_language_switches_card_text(core: Core) -> None:
    s = core.sessions.open("l", "nl")
    core.switch(s, "lookup")
    normal = core.renderer.render(core.lookup.open(s, "measure", "temporary_restraining_order"),
                                  "nl").text
    core.lookup.act(s, act.SIMPLE)
    simple = core.renderer.render(core.lookup.show(s), "nl").text
    assert simple != normal
    simple_text = core.kb.measures["temporary_restraining_order"].simple
    assert simple_text is not None and simple_text in simple


def test_one_shot_command_prints_the_card() -> None:
    out = io.StringIO()
    assert main(["lookup", "tijdelijk", "huisverbod"], stdout=out) == 0
    text = out.getvalue()
    assert "huisverbod" in text.lower() and "Bron: " in text and "0800-2000" in text
    out = io.StringIO()
    assert main(["lookup", "qqqxxyz"], stdout=out) == 1


def test_lookup_mode_in_the_console() -> None:
    out = io.StringIO()
    code = main(["--mode", "lookup"], stdin=io.StringIO("huisverbot\n1\n"), stdout=out)
    assert code == 0
    assert "Tijdelijk huisverbod" in out.getvalue()
    assert "huisverbot" not in out.getvalue().replace("Tijdelijk huisverbod", "")
