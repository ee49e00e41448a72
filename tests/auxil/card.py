"""Everything a professional can read for one set of answers, rendered in one language.

The one place the invariant tests touch the rendering API: after a UI refactor only
`render_all` needs to follow.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.assess import Assessment
from bot.core import Core
from bot.dialog.handout import handout_lines
from bot.dialog.result import SECTION_IDS as SECTIONS
from bot.ui.screen import Line, Screen

HANDOUTS = ("handout", "handout_simple", "handout_discreet")


def render_all(core: Core, a: Assessment, answers: Mapping[str, Any], lang: str) -> dict[str, str]:
    """Rendered text per part: "card", each drill-down section, and the handouts."""
    results = core.consultation.views.results
    parts: dict[str, list[Line]] = {"card": results.card(a)}
    for section in SECTIONS:  # every page of it, and its sources
        built = results.section(section, a, answers)
        parts[section] = [line for page in range(len(built.pages()))
                          for line in built.page(page)] + built.page(-1)
    parts["handout"] = handout_lines(core.kb, a, simple=False)
    parts["handout_simple"] = handout_lines(core.kb, a, simple=True)
    parts["handout_discreet"] = handout_lines(core.kb, a, simple=False, discreet=True)
    return {name: core.renderer.render(Screen(name, tuple(lines)), lang).text
            for name, lines in parts.items()}


def card_lines(core: Core, a: Assessment, lang: str) -> list[str]:
    """The result card's lines, rendered (empty lines kept)."""
    screen = Screen("card", tuple(core.consultation.views.results.card(a)))
    return core.renderer.render(screen, lang).text.split("\n")
