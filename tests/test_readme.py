"""The README shows what the bot generates, never a hand-written copy that can drift."""

from __future__ import annotations

from tests.auxil.transcript import transcript
from tests.conftest import ROOT


def test_readme_shows_the_current_consultation_on_telegram() -> None:
    assert transcript() in (ROOT / "README.md").read_text(), \
        "run `make readme` after changing what the consultation shows"
