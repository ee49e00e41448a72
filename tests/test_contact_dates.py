"""Stale contacts: `check` warns after six months and fails after twelve; start-up logs it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging

import pytest

from bot.cli import EXIT_CONTENT, EXIT_OK, main
from bot.kb import Knowledge, freshness
from bot.kb.freshness import months_before, oldest_check, staleness


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2027, 5, 25), 6, dt.date(2026, 11, 25)),
    (dt.date(2027, 1, 10), 12, dt.date(2026, 1, 10)),
    (dt.date(2027, 8, 31), 6, dt.date(2027, 2, 28)),  # no 31 February: the month's last day
    (dt.date(2028, 8, 31), 6, dt.date(2028, 2, 29)),
    (dt.date(2027, 3, 15), 3, dt.date(2026, 12, 15)),
])
def test_months_before_counts_calendar_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert months_before(day, months) == expected


def _aged(kb: Knowledge, **dates: dt.date) -> Knowledge:
    contacts = dict(kb.contacts)
    for ident, checked in dates.items():
        contacts[ident] = dataclasses.replace(contacts[ident], checked=checked)
    return dataclasses.replace(kb, contacts=contacts)


def test_every_contact_has_a_date_and_the_oldest_is_reported(kb: Knowledge) -> None:
    assert all(isinstance(c.checked, dt.date) for c in kb.contacts.values())
    old = _aged(kb, politie=dt.date(2026, 3, 1), veilig_thuis=dt.date(2026, 6, 2))
    assert oldest_check(old) == dt.date(2026, 3, 1)
    assert oldest_check(kb) == min(c.checked for c in kb.contacts.values())


def test_six_months_warns_twelve_fails(kb: Knowledge) -> None:
    on = dt.date(2026, 11, 30)
    old = _aged(kb, politie=dt.date(2025, 11, 29), veilig_thuis=dt.date(2026, 5, 29))
    found = staleness(old, on)
    assert [c.id for c in found.fail] == ["politie"]
    assert [c.id for c in found.warn] == ["veilig_thuis"]
    # exactly twelve months old only warns; exactly six months old is not yet stale
    edge = _aged(kb, politie=dt.date(2025, 11, 30), veilig_thuis=dt.date(2026, 5, 30))
    found = staleness(edge, on)
    assert found.fail == () and [c.id for c in found.warn] == ["politie"]


def _check(on: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(["check", "--as-of", on], stdout=out), out.getvalue()


def test_check_is_clean_on_the_day_after_the_newest_check(kb: Knowledge,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    newest = max(c.checked for c in kb.contacts.values())
    code, out = _check((newest + dt.timedelta(days=1)).isoformat())
    assert code == EXIT_OK and "knowledge OK" in out
    assert capsys.readouterr().err == ""


def test_check_warns_then_fails_as_contacts_age(kb: Knowledge,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    oldest = oldest_check(kb)
    seven_months = oldest + dt.timedelta(days=7 * 31)
    code, _ = _check(seven_months.isoformat())
    err = capsys.readouterr().err
    assert code == EXIT_OK
    assert "warning: contact 'veilig_thuis'" in err and "error:" not in err
    code, _ = _check((oldest + dt.timedelta(days=400)).isoformat())
    err = capsys.readouterr().err
    assert code == EXIT_CONTENT
    assert "error: contact 'veilig_thuis'" in err and "update `checked`" in err


def test_a_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["check", "--as-of", "2027-13-01"])
    assert stop.value.code == 2
    assert "not a date" in capsys.readouterr().err


def test_the_bot_logs_stale_contacts_at_start_up(kb: Knowledge, monkeypatch: pytest.MonkeyPatch,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN_FILE", raising=False)
    monkeypatch.setattr(freshness, "today", lambda: oldest_check(kb) + dt.timedelta(days=200))
    with caplog.at_level(logging.WARNING, logger="bot.contacts"):
        assert main([], stdin=io.StringIO("/wis\n"), stdout=io.StringIO()) == EXIT_OK
    stale = [r for r in caplog.records if r.name == "bot.contacts"]
    assert stale and all(r.levelno == logging.WARNING for r in stale)
    assert any("'veilig_thuis'" in r.getMessage() for r in stale)


def test_fresh_contacts_log_nothing_at_start_up(kb: Knowledge, monkeypatch: pytest.MonkeyPatch,
                                                caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN_FILE", raising=False)
    monkeypatch.setattr(freshness, "today", lambda: max(c.checked for c in kb.contacts.values()))
    with caplog.at_level(logging.WARNING, logger="bot.contacts"):
        assert main([], stdin=io.StringIO("/wis\n"), stdout=io.StringIO()) == EXIT_OK
    assert [r for r in caplog.records if r.name == "bot.contacts"] == []
