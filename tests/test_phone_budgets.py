"""Every screen fits a phone, in every language: the budgets of the phone issue.

The result card at most 900 characters, any other screen at most 1,500; at most 3
buttons a row (a scale of short numbers excepted), no row of several buttons wider than
about 30 characters, at most 8 rows. The largest screen per language is printed.
"""

from __future__ import annotations

from functools import cache

import pytest

from bot.core import Core, build_core
from bot.i18n import LANGUAGES
from bot.ui.render import RLM, ROW_WIDTH, width
from bot.ui.screen import Screen
from tests.auxil import region
from tests.auxil.screens import every_screen

CARD_BUDGET, SCREEN_BUDGET, MAX_ROWS, MAX_PER_ROW = 900, 1500, 8, 3


@cache
def screens() -> tuple[Core, list[tuple[str, Screen]]]:
    core = build_core(region.knowledge())
    return core, list(every_screen(core))


def is_scale(row: tuple[tuple[str, str], ...]) -> bool:
    return all(label.lstrip(RLM).isdigit() for _, label in row)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_screen_fits_a_phone(lang: str) -> None:
    core, all_screens = screens()
    problems = []
    largest: dict[str, tuple[int, str]] = {}
    for name, screen in all_screens:
        r = core.renderer.render(screen, lang)
        kind = "card" if name == "result" else "screen"
        size = len(r.text)
        if size > largest.get(kind, (0, ""))[0]:
            largest[kind] = (size, name)
        budget = CARD_BUDGET if kind == "card" else SCREEN_BUDGET
        if size > budget:
            problems.append(f"{name}: {size} characters > {budget}")
        if len(r.keyboard) > MAX_ROWS:
            problems.append(f"{name}: {len(r.keyboard)} rows")
        for row in r.keyboard:
            if is_scale(row):
                continue
            if len(row) > MAX_PER_ROW:
                problems.append(f"{name}: {len(row)} buttons in a row")
            if len(row) > 1 and sum(width(label) for _, label in row) > ROW_WIDTH:
                problems.append(f"{name}: a row {[label for _, label in row]} is too wide")
    print(f"\n{lang}: {len(all_screens)} screens; largest result card "
          f"{largest['card'][0]} characters, largest other screen {largest['screen'][0]} "
          f"({largest['screen'][1]})")
    assert problems == [], "\n".join(sorted(set(problems))[:30])


def test_the_walk_reaches_every_kind_of_screen() -> None:
    core, all_screens = screens()
    names = {name.split(":")[0] for name, _ in all_screens}
    assert {"result", "section", "handout", "acute", "lookup", "learn", "overlay", "notice",
            "command", "followup", "code"} <= names
    followup = {name for name, _ in all_screens if name.startswith("followup:")}
    assert {"followup:outcome", "followup:routes", "followup:acute", "followup:months",
            "followup:red_flags", "followup:red_flags_more"} <= followup
    assert {n.id for n in core.dialog.nodes if n.kind == "checklist"} <= names
    sections = {name.split(":")[1] for name, _ in all_screens if name.startswith("section:")}
    assert sections >= {"approach", "protection", "help", "contacts", "talk", "red_flags",
                        "meldcode"}
