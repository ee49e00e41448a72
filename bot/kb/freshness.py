"""How old the contact facts are: stale phone numbers have ended services in this field.

Every contact carries the date it was last checked against its source. Older than
six months: a warning (at `check` and at start-up); older than twelve: `check` fails,
so a release cannot go out with numbers nobody has looked at for a year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from bot.kb.models import Contact, Knowledge

WARN_MONTHS = 6
FAIL_MONTHS = 12

log = logging.getLogger("bot.contacts")


def today() -> dt.date:
    """The reference date; tests replace it."""
    return dt.date.today()


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day if it is shorter)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


@dataclass(frozen=True)
class Staleness:
    warn: tuple[Contact, ...]  # last checked more than WARN_MONTHS ago (and not failing)
    fail: tuple[Contact, ...]  # last checked more than FAIL_MONTHS ago


def staleness(kb: Knowledge, on: dt.date | None = None) -> Staleness:
    return staleness_of(kb.contacts.values(), on)


def staleness_of(contacts: Iterable[Contact], on: dt.date | None = None) -> Staleness:
    """The same for any contacts (`check` judges every region pack's at once)."""
    on = on or today()
    warn_before, fail_before = months_before(on, WARN_MONTHS), months_before(on, FAIL_MONTHS)
    ordered = sorted(contacts, key=lambda c: (c.checked, c.id))
    return Staleness(warn=tuple(c for c in ordered if fail_before <= c.checked < warn_before),
                     fail=tuple(c for c in ordered if c.checked < fail_before))


def oldest_check(kb: Knowledge) -> dt.date:
    """The date of the least recently checked contact (for /over)."""
    return min(c.checked for c in kb.contacts.values())


def describe(contact: Contact) -> str:
    return f"contact {contact.id!r} ({contact.region}) last checked {contact.checked.isoformat()}"


def log_stale_contacts(kb: Knowledge, on: dt.date | None = None) -> Staleness:
    """At start-up: say which contacts need checking. The bot still starts: its acute
    help (112, Veilig Thuis) must stay reachable."""
    found = staleness(kb, on)
    for contact in found.fail:
        log.error("%s, more than %d months ago: check it against its source", describe(contact),
                  FAIL_MONTHS)
    for contact in found.warn:
        log.warning("%s, more than %d months ago: check it against its source", describe(contact),
                    WARN_MONTHS)
    return found
