"""Citations: every `rapport §x.y.z` in knowledge/ names a section the report has.

The section list is read from the report in ../shared/seeds (and vendored in
tests/fixtures/report-sections.yaml for checkouts without it). What a section says
was checked by hand for the claims on the card; these tests keep the numbers honest
and keep the specific fixes from coming back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.kb import Knowledge
from bot.kb.loader import DEFAULT_DIR
from bot.kb.yamlsrc import ContentLoader
from tests.conftest import FIXTURES, shared_dir

REPORT_NAME = "000_a6ecdeb661f710ea.txt"
HEADING = re.compile(r"^\s*(\d+\.\d+(?:\.\d+)?)\.?\t")
FOOTNOTE = re.compile(r"^(\d{1,2})\t")
CITED = re.compile(r"§\s?(\d+(?:\.\d+)*)")
NOTE = re.compile(r"noot (\d+)")
RECOMMENDATION = re.compile(r"aanbeveling(?:en)? (\d+)(?: en (\d+))?")


def parse_report(text: str) -> tuple[set[str], set[int]]:
    sections = {m.group(1) for line in text.split("\n") if (m := HEADING.match(line))}
    sections |= {s.split(".")[0] for s in sections}  # chapters
    notes = {int(m.group(1)) for line in text.split("\n") if (m := FOOTNOTE.match(line))}
    return sections, notes


def vendored() -> tuple[set[str], set[int]]:
    data = yaml.safe_load((FIXTURES / "report-sections.yaml").read_text(encoding="utf-8"))
    sections = set(data["sections"])
    return sections | {s.split(".")[0] for s in sections}, set(data["footnotes"])


def report_path() -> Path | None:
    shared = shared_dir()
    path = shared / "seeds" / REPORT_NAME if shared else None
    return path if path and path.exists() else None


def strings(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from strings(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            ident = value.get("id") if isinstance(value, dict) else None
            yield from strings(value, f"{where}[{ident or i}]")


def knowledge_texts() -> Iterator[tuple[str, str]]:
    for path in sorted(DEFAULT_DIR.rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=ContentLoader)
        yield from strings(data, str(path.relative_to(DEFAULT_DIR)))


def test_vendored_section_list_matches_the_report() -> None:
    path = report_path()
    if path is None:
        pytest.skip("the report in ../shared/seeds is not beside this checkout")
    assert parse_report(path.read_text(encoding="utf-8")) == vendored()


def test_every_cited_section_exists_in_the_report() -> None:
    path = report_path()
    sections, notes = parse_report(path.read_text(encoding="utf-8")) if path else vendored()
    assert {"5.2.4", "6.4.2", "4.4.3", "5"} <= sections
    problems = []
    count = 0
    for where, text in knowledge_texts():
        if "§" not in text and "noot" not in text and "aanbeveling" not in text:
            continue
        for cited in CITED.findall(text):
            count += 1
            if cited not in sections:
                problems.append(f"{where}: §{cited} is not a section of the report")
        for note in NOTE.findall(text):
            if int(note) not in notes:
                problems.append(f"{where}: footnote {note} is not in the report")
        for first, second in RECOMMENDATION.findall(text):
            for n in (first, second):
                if n and not 1 <= int(n) <= 7:
                    problems.append(f"{where}: the report has seven recommendations, not {n}")
    assert problems == []
    assert count > 500  # the knowledge base cites the report throughout


# --- claims that were checked against what the sections say, and fixed -----------------------
def test_interpreter_advice_cites_a_source_that_says_it(kb: Knowledge) -> None:
    """§4.4.2 is about language barriers hiding coercion; it says nothing about
    interpreters, so the interpreter advice names a public source."""
    for source in (kb.cards["culture_interpreter"].source,
                   next(r for r in kb.rules if r.id == "language_interpreter").source):
        assert "http" in source


def test_structural_unsafety_is_not_act_at_once(kb: Knowledge) -> None:
    """§6.4.1: only acute threat calls for immediate action; structural unsafety asks
    for slowing down and a joint analysis (the meldcode still says: report)."""
    rules = {r.id: r for r in kb.rules}
    assert rules["acute_call_112"].when == {"acute_danger": ("yes",)}
    note = rules["structural_unsafety"].note
    assert "alleen bij acuut gevaar" in note.lower()
    assert "eerst handelen" not in " ".join(r.note for r in kb.rules)


def test_recommendation_three_is_a_recommendation(kb: Knowledge) -> None:
    """§6.5 says Veilig Thuis and the police *should* always cooperate, not that they do."""
    card = kb.cards["rec_3"]
    assert "altijd op een of andere manier samen" not in card.body
    assert "beveelt aan" in card.body and "zouden" in (card.simple or "")


def test_the_handout_claims_no_right_the_report_does_not_state(kb: Knowledge) -> None:
    assert kb.handout is not None
    texts = " ".join(s.body + s.simple for s in kb.handout.sections)
    assert "recht op" not in texts


def test_the_group_the_report_names_is_offered(kb: Knowledge) -> None:
    """§4.4.3 names Mannen Tegen Agressie (support next to help for men who use
    aggression); Mannen kom op! is a different group, not named in the report."""
    assert "mannen_tegen_agressie" in kb.profiles["family_stress"].low_threshold
    assert "mannen_kom_op" not in kb.profiles["family_stress"].low_threshold
    assert "rapport" not in kb.offers["mannen_kom_op"].source
    assert "§4.4.3" in kb.offers["mannen_tegen_agressie"].source


def test_carmen_does_not_teach_what_the_report_contradicts(kb: Knowledge) -> None:
    """§3.3.3 and §3.3.5 call Tom's use an addiction and name the debts it caused;
    §3.3.6 has him harass Carmen at work. The case may not say the opposite."""
    v = kb.vignettes["carmen_tom"]
    texts = " ".join([v.story, v.expert] + [c.feedback for e in v.exercises for c in e.choices])
    assert "Niets wijst op een patroon van" not in texts
    assert "geen langdurige verslaving" not in texts
    assert "geen patroon van dwang en controle" not in texts
    assert "§3.3.5" in texts and "§3.3.3" in texts
