"""Resume codes: round trips, refused typing errors, old versions, and the CLI contract."""

from __future__ import annotations

import io
import random
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.assess import assess
from bot.assess.code import (
    ALPHABET,
    MAX_LENGTH,
    MONTHS_MAX,
    Codebook,
    CodeError,
    Snapshot,
    fingerprint,
    followup_fields,
    is_intact,
    symbols_of,
)
from bot.cli import main
from bot.kb import Knowledge, KnowledgeError
from bot.kb import loader as kb_loader
from bot.kb.models import CodeField, CodeVersion
from bot.ui import actions as act
from tests.conftest import ROOT, public_cases

ANSWER = st.sampled_from(["yes", "no", "unknown"])


def snapshots(kb: Knowledge) -> st.SearchStrategy[Snapshot]:
    """Every answer set a consultation or an answers file can hold."""
    fields = followup_fields(kb)
    follow_values = {f: (st.integers(0, MONTHS_MAX) if f == "months" else ANSWER) for f in fields}
    return st.builds(
        Snapshot,
        answers=st.dictionaries(st.sampled_from(sorted(kb.indicators)), ANSWER),
        safety_score=st.none() | st.integers(0, 10),
        followup=st.fixed_dictionaries({}, optional=follow_values),
    )


@pytest.fixture(scope="module")
def codes(kb: Knowledge) -> Codebook:
    return Codebook.from_kb(kb)


def case_snapshot(case: str) -> Snapshot:
    norm = {True: "yes", False: "no", None: "unknown"}
    raw = next(c for c in public_cases() if c["id"] == case)["answers"]
    return Snapshot({k: norm.get(v, v) for k, v in raw.items()}, 7)


def cli(*argv: str, stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue()


# --- round trips ------------------------------------------------------------------------------
@settings(max_examples=300, deadline=None, derandomize=True)
@given(data=st.data())
def test_every_answer_set_round_trips_to_the_same_assessment(kb: Knowledge, codes: Codebook,
                                                             data: st.DataObject) -> None:
    snap = data.draw(snapshots(kb))
    code = codes.encode(snap)
    assert len(code) <= MAX_LENGTH and code.isascii() and code.isalnum()
    assert set(code) <= set(ALPHABET)
    decoded = codes.decode(code)
    assert decoded.snapshot == snap  # not asked, don't know, yes and no all come back
    assert decoded.not_restored == () and decoded.retired == ()
    assert assess(decoded.snapshot.assessable(), kb) == assess(snap.assessable(), kb)


def test_the_longest_code_fits(codes: Codebook, kb: Knowledge) -> None:
    full = Snapshot({i: "unknown" for i in kb.indicators}, 10,
                    {f: (MONTHS_MAX if f == "months" else "unknown") for f in followup_fields(kb)})
    assert len(codes.encode(full)) == len(codes.encode(Snapshot())) == codes.newest.length
    assert codes.newest.length <= MAX_LENGTH
    assert codes.decode(codes.encode(full)).snapshot == full


def test_codes_are_read_case_insensitively_with_crockford_look_alikes(codes: Codebook) -> None:
    snap = Snapshot({"acute_danger": "no", "children_present": "yes"}, 4)
    code = codes.encode(snap)
    typed = code.lower().replace("0", "o").replace("1", "l")
    grouped = " ".join(typed[i:i + 5] for i in range(0, len(typed), 5))
    assert codes.decode(typed).snapshot == snap
    assert codes.decode(grouped).snapshot == snap
    assert codes.decode(grouped.replace(" ", "-")).snapshot == snap
    copied_from_arabic = "\u200f\u2068" + code + "\u2069"  # the marks the renderer adds
    assert codes.is_candidate(copied_from_arabic)
    assert codes.decode(copied_from_arabic).snapshot == snap


@pytest.mark.parametrize("case", public_cases(), ids=lambda c: c["id"])
def test_assess_of_a_code_prints_exactly_what_assess_of_the_file_prints(
        case: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(case["answers"]), encoding="utf-8")
    status, code = cli("code", str(path))
    assert status == 0 and len(code.strip()) <= MAX_LENGTH
    from_file = cli("assess", str(path))
    from_code = cli("assess", "--code", code.strip())
    assert from_file[0] == from_code[0] == 0
    assert from_code[1] == from_file[1]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(data=st.data())
def test_assess_of_a_code_matches_any_answers_file(kb: Knowledge, data: st.DataObject) -> None:
    snap = data.draw(snapshots(kb))
    text = yaml.safe_dump(snap.to_data())
    status, code = cli("code", "-", stdin=text)
    assert status == 0
    assert cli("assess", "--code", code.strip()) == cli("assess", "-", stdin=text)


def test_code_from_stdin_and_answers_with_a_follow_up_section(codes: Codebook) -> None:
    text = "children_present: yes\nsafety_score: 7\nfollowup: {months: 15, direct_safety: no}\n"
    status, code = cli("code", "-", stdin=text)
    assert status == 0
    snap = codes.decode(code.strip()).snapshot
    assert snap.followup == {"months": MONTHS_MAX, "direct_safety": "no"}  # 12 means 12 or more
    status, printed = cli("assess", "--code", code.strip())
    assert status == 0 and yaml.safe_load(printed)["followup"]["status"] == "escalate_direct"


# --- typing errors --------------------------------------------------------------------------------
def corruptions(code: str) -> tuple[list[str], list[str]]:
    """Every single-symbol change, and every swap of two different neighbours."""
    singles = [code[:i] + c + code[i + 1:] for i in range(len(code)) for c in ALPHABET
               if c != code[i]]
    swaps = [code[:i] + code[i + 1] + code[i] + code[i + 2:] for i in range(len(code) - 1)
             if code[i] != code[i + 1]]
    return singles, swaps


def refused(codes: Codebook, text: str) -> bool:
    """True when the code is refused; False when it decodes (to any answers at all)."""
    try:
        codes.decode(text)
    except CodeError:
        return True
    return False


def test_every_single_change_and_neighbour_swap_is_refused(kb: Knowledge, codes: Codebook) -> None:
    """Measured over 200 random codes (28 symbols today): the check refuses all 173,600
    single-symbol changes and all 5,064 swaps of two different neighbours (a Reed-Solomon
    style check with three symbols: any three wrong symbols in a code of up to 31 are
    caught, and a single change or a neighbour swap at any length)."""
    rng = random.Random(15)
    total = caught = swaps_total = swaps_caught = 0
    for _ in range(200):
        snap = Snapshot({i: rng.choice(["yes", "no", "unknown"]) for i in kb.indicators
                         if rng.random() < 0.5}, rng.choice([None, *range(11)]))
        code = codes.encode(snap)
        singles, swaps = corruptions(code)
        total += len(singles)
        caught += sum(refused(codes, c) for c in singles)
        swaps_total += len(swaps)
        swaps_caught += sum(refused(codes, c) for c in swaps)
    assert total == 200 * codes.newest.length * 31
    assert caught == total, f"single changes caught: {caught}/{total}"
    assert swaps_total > 3000 and swaps_caught == swaps_total


def test_more_errors_are_caught_as_far_as_three_symbols_of_check_can(codes: Codebook) -> None:
    """Two or three wrong symbols: always caught (distance 4). More: about 1 in 32,768
    slips through by chance; a dropped or an extra symbol changes the length."""
    rng = random.Random(2)
    code = codes.encode(Snapshot({"children_present": "yes"}, 6))
    for wrong in (2, 3):
        for _ in range(3000):
            symbols = list(code)
            for i in rng.sample(range(len(code)), wrong):
                symbols[i] = rng.choice([c for c in ALPHABET if c != code[i]])
            with pytest.raises(CodeError):
                codes.decode("".join(symbols))
    slipped = 0
    for _ in range(20_000):
        symbols = list(code)
        for i in rng.sample(range(len(code)), 6):
            symbols[i] = rng.choice([c for c in ALPHABET if c != code[i]])
        slipped += is_intact(symbols_of("".join(symbols)))
    assert slipped <= 5  # expected about 0.6
    for i in range(len(code)):
        with pytest.raises(CodeError):
            codes.decode(code[:i] + code[i + 1:])
        with pytest.raises(CodeError):
            codes.decode(code[:i] + "7" + code[i:])


def test_a_wrong_code_says_what_is_wrong(codes: Codebook) -> None:
    code = codes.encode(Snapshot({"acute_danger": "no"}, 8))
    cases = {code[:5] + ("A" if code[5] != "A" else "B") + code[6:]: "checksum",
             code[:-6]: "length", code + "ABCDEFGHJKMNPQRSTV": "length",
             code[:4] + "U" + code[5:]: "alphabet", "Z" + code[1:]: "checksum"}
    for text, kind in cases.items():
        with pytest.raises(CodeError) as caught:
            codes.decode(text)
        assert caught.value.kind == kind, text


def test_a_wrong_checksum_exits_2_and_says_so(codes: Codebook) -> None:
    code = codes.encode(Snapshot({"acute_danger": "no"}, 8))
    bad = code[:3] + ("X" if code[3] != "X" else "Y") + code[4:]
    out, err = io.StringIO(), io.StringIO()
    import contextlib

    with contextlib.redirect_stderr(err):
        status = main(["assess", "--code", bad], stdout=out)
        resumed = main(["--resume", bad], stdin=io.StringIO(""), stdout=out)
    assert status == resumed == 2
    assert out.getvalue() == ""
    assert err.getvalue().count("check does not match") == 2
    assert bad not in err.getvalue()  # a code typed is never printed back


def test_typed_text_is_a_code_candidate_only_when_it_looks_like_one(codes: Codebook) -> None:
    code = codes.encode(Snapshot({"acute_danger": "no"}, 8))
    assert codes.is_candidate(code) and codes.is_candidate(code.lower())
    assert codes.is_candidate(" ".join(code[i:i + 4] for i in range(0, len(code), 4)))
    for text in ("ik weet niet wat ik moet doen met dit gezin", "Jansen", "0612345678",
                 "NL91 ABNA 0417 1643 00", "huisverbod", "Mevrouw Jansen, Dorpsstraat 12",
                 "https://example.org/abc123abc123abc123", "12", "",
                 "tijdelijkhuisverbodaanvragenbijdeburgemeester"):
        assert not codes.is_candidate(text), text


# --- versions -----------------------------------------------------------------------------------
def version(number: int, indicators: tuple[str, ...], follow: tuple[CodeField, ...]) -> CodeVersion:
    v = CodeVersion(number, "", indicators, follow)
    return replace(v, fingerprint=fingerprint(v))


def test_a_code_of_an_older_version_opens_and_says_what_it_cannot_restore(kb: Knowledge) -> None:
    current = kb.code_versions[-1]
    older = version(1, tuple(i for i in current.indicators
                             if i not in ("parentification", "elder_abuse")), current.followup)
    newer = version(2, (*older.indicators, "parentification", "elder_abuse"), current.followup)
    then = Codebook([older], [*older.indicators])
    snap = Snapshot({"children_present": "yes", "neglect": "yes", "acute_danger": "no"}, 5,
                    {"months": 4})
    old_code = then.encode(snap)
    now = Codebook([older, newer], kb.indicators, followup_fields(kb))
    decoded = now.decode(old_code)
    assert decoded.version == 1
    assert decoded.snapshot == snap
    assert set(decoded.not_restored) == {"parentification", "elder_abuse"}
    assert now.decode(now.encode(snap)).not_restored == ()  # a new code: nothing open
    assert len(now.encode(snap)) != len(old_code) or now.encode(snap)[0] != old_code[0]


def test_a_code_made_with_the_published_version_1_opens_today(kb: Knowledge,
                                                              codes: Codebook) -> None:
    """A real old code: made when version 1 was the newest (before the indicators of the
    safety override came), opened with today's codebook."""
    v1 = kb.code_versions[0]
    then = Codebook([v1], v1.indicators, followup_fields(kb))
    snap = case_snapshot("nadia_hamza")
    old_code = then.encode(snap)
    decoded = codes.decode(old_code)
    assert decoded.version == 1 and decoded.snapshot == snap
    assert decoded.not_restored == tuple(i for i in kb.indicators if i not in v1.indicators)
    assert decoded.not_restored  # version 2 added questions; they are open
    assert cli("assess", "--code", old_code)[1] == cli("assess", "-",
                                                       stdin=yaml.safe_dump(snap.to_data()))[1]


def test_an_older_code_reports_answers_to_retired_questions(kb: Knowledge) -> None:
    older = version(1, ("acute_danger", "gone_question"), ())
    code = Codebook([older], ["acute_danger", "gone_question"]).encode(
        Snapshot({"acute_danger": "yes", "gone_question": "no"}))
    decoded = Codebook([older, version(2, ("acute_danger",), ())], ["acute_danger"]).decode(code)
    assert decoded.snapshot.answers == {"acute_danger": "yes"}
    assert decoded.retired == ("gone_question",)


def test_the_cli_names_what_an_old_code_could_not_restore(kb: Knowledge,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    current = kb.code_versions[-1]
    older = version(1, current.indicators[:-1], current.followup)
    newer = version(2, current.indicators, current.followup)
    code = Codebook([older], older.indicators, followup_fields(kb)).encode(
        Snapshot({"children_present": "yes"}, 7))
    patched = replace(kb, code_versions=(older, newer))
    monkeypatch.setattr("bot.cli.load_knowledge", lambda region=None: patched)
    status = main(["assess", "--code", code], stdout=io.StringIO())
    err = capsys.readouterr().err
    assert status == 0
    assert "version 1" in err and current.indicators[-1] in err


def test_the_published_version_covers_todays_vocabulary(kb: Knowledge) -> None:
    assert set(kb.code_versions[-1].indicators) == set(kb.indicators)
    for v in kb.code_versions:
        assert v.fingerprint == fingerprint(v)


def knowledge_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", target)
    return target


def check_with(directory: Path, monkeypatch: pytest.MonkeyPatch,
               capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    monkeypatch.setattr(kb_loader, "DEFAULT_DIR", directory)
    status = main(["check"], stdout=io.StringIO())
    return status, capsys.readouterr().err


def test_an_indicator_in_no_code_version_stops_start_up(kb: Knowledge) -> None:
    extra = next(iter(kb.indicators.values()))
    grown = replace(kb, indicators={**kb.indicators,
                                    "brand_new_signal": replace(extra, id="brand_new_signal")})
    with pytest.raises(KnowledgeError) as caught:
        Codebook.from_kb(grown)
    message = str(caught.value)
    assert "brand_new_signal" in message and "in no code version" in message
    assert f"Add version {len(kb.code_versions) + 1}" in message


def test_check_fails_when_an_indicator_is_in_no_code_version(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        kb: Knowledge) -> None:
    """As it would be after indicators were added without a new version: the newest
    version is taken away, so the indicators it added are in none."""
    assert len(kb.code_versions) >= 2, "the data has a second version to take away"
    directory = knowledge_copy(tmp_path)
    path = directory / "codes.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.rindex("\n  - version: ") + 1], encoding="utf-8")
    status, err = check_with(directory, monkeypatch, capsys)
    added = [i for i in kb.code_versions[-1].indicators if i not in kb.code_versions[-2].indicators]
    assert status == 1 and added
    assert "in no code version" in err and all(i in err for i in added)
    assert f"Add version {len(kb.code_versions)}" in err


def test_check_fails_when_a_published_version_is_edited(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    directory = knowledge_copy(tmp_path)
    path = directory / "codes.yaml"
    text = path.read_text(encoding="utf-8")
    swapped = text.replace("      - acute_danger\n      - serious_incident\n",
                           "      - serious_incident\n      - acute_danger\n")
    assert swapped != text
    path.write_text(swapped, encoding="utf-8")
    status, err = check_with(directory, monkeypatch, capsys)
    assert status == 1 and "must never change" in err


def test_the_codebook_refuses_a_broken_version_list(kb: Knowledge) -> None:
    v1 = kb.code_versions[0]
    for versions, needle in (([], "at least one"), ([replace(v1, version=2)], "1, 2, 3"),
                             ([replace(v1, indicators=(*v1.indicators, "acute_danger"))],
                              "listed twice")):
        with pytest.raises(KnowledgeError) as caught:
            Codebook(versions, kb.indicators)
        assert needle in str(caught.value.problems), needle


@pytest.fixture(scope="module")
def chat_core(kb: Knowledge) -> Any:
    from bot.core import build_core

    return build_core(kb)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(data=st.data())
def test_a_restored_consultation_holds_exactly_the_codes_answers(kb: Knowledge, chat_core: Any,
                                                                 data: st.DataObject) -> None:
    """Whatever the answers: the result shown is the assessment of the code's answers, the
    consultation's own code is the same code, and Back leads into the questions."""
    snap = data.draw(snapshots(kb))
    core = chat_core
    core.sessions.drop("restore")  # every example from a fresh chat
    reply = core.chat.text("restore", core.codes.encode(snap), "nl")
    assert reply.screens[-1].node == core.dialog.result
    s = core.sessions.get("restore")
    assert s is not None
    assert core.consultation.assessment(s) == assess(snap.assessable(), kb)
    back = core.consultation.act(s, act.BACK)
    assert core.dialog.node(back.node).kind in ("scale", "question", "choice", "checklist")
    answered = core.consultation.has_progress(s)
    again = core.chat.text("restore", core.codes.encode(snap), "nl")  # pasted again ...
    if answered:  # ... over answers: it asks before replacing them
        assert again.screens[-1].node == "overlay:code"
        again = core.chat.press("restore", s.sid, s.step, act.CONFIRM, "nl")
    assert again.screens[-1].node == core.dialog.result
    if snap.answers or snap.safety_score is not None:
        assert core.consultation.snapshot(s) == snap
        code_screen = core.consultation.act(s, act.OPEN("code"))
        assert core.codes.encode(snap) in core.renderer.render(code_screen, "nl").text
