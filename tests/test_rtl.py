"""Right to left: every screen rendered in Arabic keeps its marks, isolates and arrows."""

from __future__ import annotations

import re
from functools import cache

from bot.core import Core, build_core
from bot.ui.render import FSI, PDI, RLM
from bot.ui.screen import Screen
from tests.auxil.screens import every_screen

ISOLATED = re.compile(f"{FSI}[^{PDI}]*{PDI}")
FORWARD_BACK = ("⬅", "▶")  # they point the other way when reading right to left


@cache
def screens() -> tuple[Core, list[tuple[str, Screen]]]:
    core = build_core()
    return core, list(every_screen(core))


def test_every_screen_in_arabic_reads_right_to_left() -> None:
    core, all_screens = screens()
    problems: list[str] = []
    for name, screen in all_screens:
        if screen.lang not in (None, "ar"):
            continue  # a client card made in another language on purpose
        r = core.renderer.render(screen, "ar")
        for line in r.text.split("\n"):
            if line and not line.startswith(RLM):
                problems.append(f"{name}: a line without the right-to-left mark: {line[:40]!r}")
            outside = ISOLATED.sub("", line)
            if re.search(r"[A-Za-z]{2,}", outside):
                problems.append(f"{name}: Latin text not isolated: {outside[:60]!r}")
        for _, label in (cell for row in r.keyboard for cell in row):
            if not label.startswith(RLM):
                problems.append(f"{name}: a button without the mark: {label!r}")
            if any(arrow in label for arrow in FORWARD_BACK):
                problems.append(f"{name}: an arrow not mirrored: {label!r}")
    assert problems == [], "\n".join(sorted(set(problems))[:20])


def test_punctuation_after_a_latin_name_stays_outside_its_isolate() -> None:
    from bot.ui.render import LATIN_RUN

    text = "اتصل بـ Veilig Thuis: 0800-2000."
    marked = LATIN_RUN.sub(lambda m: FSI + m.group(0) + PDI, text)
    assert f"{FSI}Veilig Thuis{PDI}:" in marked and f"{FSI}0800-2000{PDI}." in marked
    assert f"{FSI}MDA++{PDI}" in LATIN_RUN.sub(lambda m: FSI + m.group(0) + PDI, "نهج MDA++")
