"""Languages: complete catalogs, the same behaviour in every language, RTL for Arabic."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.cli import main
from bot.core import Core
from bot.dialog.handout import handout_screen
from bot.i18n import LANGUAGES, negotiate
from bot.paths import LOCALES_DIR
from bot.ui.render import FSI, PDI, RLM
from tests.conftest import ROOT, public_cases
from tests.test_console import script_for

TRANSLATED = [lang for lang in LANGUAGES if lang != "nl"]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")


def po(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"


def template_ids() -> set[str]:
    with (LOCALES_DIR / "messages.pot").open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def test_template_is_current(tmp_path: Path) -> None:
    """Every msgid used in code, knowledge and dialogs is in the template (make catalogs)."""
    fresh = tmp_path / "fresh.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "-q", "extract", "-F", "pyproject.toml", "--no-wrap", "-o",
                    str(fresh), "."], cwd=ROOT, check=True)
    with fresh.open("rb") as fh:
        extracted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert extracted == template_ids(), "run `make catalogs` and translate the new messages"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalog_is_complete(lang: str) -> None:
    with po(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    assert "NOT YET REVIEWED" in catalog.header_comment
    ids = template_ids()
    seen = set()
    problems = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        seen.add(key)
        if message.fuzzy:
            problems.append(("fuzzy", key))
        raw = message.string
        strings: tuple[str, ...] = tuple(raw) if isinstance(raw, (tuple, list)) else (raw or "",)
        if isinstance(message.id, tuple):
            assert len(strings) == catalog.num_plurals, key
        if not all(s.strip() for s in strings):
            problems.append(("empty", key))
        expected = set(PLACEHOLDER.findall(key))
        for s in strings:
            if set(PLACEHOLDER.findall(s)) != expected and not (isinstance(message.id, tuple)):
                problems.append(("placeholders", key))
    assert problems == []
    assert ids <= seen, sorted(ids - seen)[:10]
    assert not any(m.id for m in catalog.obsolete.values() if m.id in ids)


def test_catalogs_are_compiled(core: Core) -> None:
    assert set(core.catalogs.available) == set(LANGUAGES)


@pytest.mark.parametrize(("code", "expected"), [
    ("nl", "nl"), ("nl-BE", "nl"), ("en-GB", "en"), ("EN", "en"), ("tr", "tr"), ("ar-MA", "ar"),
    ("pl", "pl"), ("uk", "uk"), ("pt-BR", "nl"), (None, "nl"), ("", "nl"), ("xx_YY", "nl"),
])
def test_language_negotiation(code: str | None, expected: str) -> None:
    assert negotiate(code, LANGUAGES) == expected


@pytest.mark.parametrize("lang", LANGUAGES)
def test_consultation_in_every_language_on_the_console(core: Core, lang: str) -> None:
    case = public_cases()[0]
    script = script_for(core, case["answers"], lang)
    out = io.StringIO()
    assert main(["--lang", lang], stdin=io.StringIO("\n".join(script) + "\n"), stdout=out) == 0
    text = out.getvalue()
    assert "112" in text and "0800-2000" in text
    profile = core.renderer.message_id(core.kb.profiles["intimate_terror"].title, lang)
    assert profile in text
    if lang != "nl":
        dutch_question = core.kb.indicators["coercive_control"].label
        assert core.renderer.message_id(dutch_question, lang) != dutch_question


def test_arabic_is_right_to_left(core: Core) -> None:
    s = core.sessions.open("ar", "ar")
    screen = core.consultation.begin(s)
    rendered = core.renderer.render(screen, "ar")
    lines = [ln for ln in rendered.text.split("\n") if ln]
    assert all(ln.startswith(RLM) for ln in lines)
    assert all(label.startswith(RLM) for row in rendered.keyboard for _, label in row)
    acute = core.renderer.render(core.consultation.acute(s), "ar").text
    assert f"{FSI}0800-2000{PDI}" in acute and f"{FSI}112{PDI}" in acute


def test_dates_and_numbers_follow_the_locale(core: Core) -> None:
    from bot.ui.cards import contact_lines
    from bot.ui.screen import Screen

    contact = core.kb.contacts["veilig_thuis"]
    screen = Screen("x", tuple(contact_lines(contact)))
    assert "25 november 2026" in core.renderer.render(screen, "nl").text
    assert "November 25, 2026" in core.renderer.render(screen, "en").text
    assert "listopada 2026" in core.renderer.render(screen, "pl").text
    assert "листопада 2026" in core.renderer.render(screen, "uk").text


def test_handout_in_another_language_holds_nothing_typed(core: Core) -> None:
    s = core.sessions.open("h", "nl")
    core.consultation.begin(s)
    secret = "Fatima Yilmaz Dorpsstraat 3"
    core.switch(s, "lookup")
    core.lookup.text(s, secret)
    s.mode = "consult"
    result = core.consultation.assessment(s)
    for lang in LANGUAGES:
        for simple in (False, True):
            card = core.renderer.render(handout_screen(core.kb, result, lang, simple), lang).text
            assert "112" in card and "0800-2000" in card
            assert "Fatima" not in card and "Dorpsstraat" not in card
    tr_card = core.renderer.render(handout_screen(core.kb, result, "tr", False), "nl").text
    assert core.renderer.message_id(core.kb.handout.title, "tr") in tr_card  # type: ignore[union-attr]


def test_simple_language_handout_is_shorter_in_dutch(core: Core) -> None:
    result = core.consultation.assessment(core.sessions.open("h", "nl"))
    normal = core.renderer.render(handout_screen(core.kb, result, "nl", False), "nl").text
    simple = core.renderer.render(handout_screen(core.kb, result, "nl", True), "nl").text
    assert len(simple) < len(normal)
    assert core.kb.handout.intro_simple in simple  # type: ignore[union-attr]


def test_about_says_translations_are_unreviewed() -> None:
    out = io.StringIO()
    main(["--lang", "en"], stdin=io.StringIO("/over\n"), stdout=out)
    assert "native" in out.getvalue().lower()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_cli_runs_in_every_language(lang: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "bot", "--lang", lang], cwd=ROOT,
                          input="1\n", capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "112" in proc.stdout and "0800-2000" in proc.stdout
