"""`python -m bot check`: the national content and every region pack, each on its own.

Each region pack is loaded with the national content and the dialog is built on it, as
at start-up with BESCHERMWIJZER_REGION set to that region; the national content is also
loaded alone (no region set). Templates (knowledge/regions/_*) are checked as skeletons
and never count as regions. Contact dates are judged over every contact of every pack.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable
from typing import TextIO

from bot.kb import Knowledge, KnowledgeError, freshness, load_knowledge, loader
from bot.kb import regions as rg
from bot.kb.models import Contact

EXIT_OK, EXIT_CONTENT = 0, 1


def describe_region(kb: Knowledge) -> str:
    """One line for the start-up log and `check`: which region's content is loaded."""
    if kb.region is None:
        return (f"no region set (BESCHERMWIJZER_REGION): national contacts and offers only; "
                f"{kb.left_out} references to regional items left out")
    own = sum(c.region == kb.region.id for c in kb.contacts.values())
    offers = sum(o.region == kb.region.id for o in kb.offers.values())
    return (f"region {kb.region.id} ({kb.region.name}): {own} contacts and {offers} offers of "
            f"its own; contacts last checked {freshness.oldest_check(kb).isoformat()} (oldest)")


def check_all(selected: str | None, as_of: dt.date | None, out: TextIO) -> int:
    from bot.core import build_core  # the dialog is checked against each variant too

    directory = loader.DEFAULT_DIR
    packs = rg.region_packs(directory)
    status = EXIT_OK
    contacts: dict[str, Contact] = {}
    for region in (None, *packs):
        try:
            kb = load_knowledge(region=region)
            core = build_core(kb)
        except KnowledgeError as exc:
            what = "the national content" if region is None else f"region pack {region!r}"
            print(f"error: {what} has errors:", file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
            status = EXIT_CONTENT
            continue
        if region is None:
            print(f"knowledge OK: {len(kb.profiles)} profiles, {len(kb.contacts)} contacts, "
                  f"{len(kb.cards)} cards, {len(core.dialog.nodes)} dialog nodes, "
                  f"languages: {', '.join(core.catalogs.available)}", file=out)
        print(f"  {describe_region(kb)}", file=out)
        contacts.update(kb.contacts)
    for folder in rg.templates(directory):
        try:
            load_knowledge(region=folder.name, template=True)
        except KnowledgeError as exc:
            print(f"error: the template {folder.name!r} has errors:", file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
            status = EXIT_CONTENT
            continue
        print(f"  template {folder.name}: a skeleton to copy for a new region, not a region",
              file=out)
    if selected is not None and selected not in packs:
        print(f"error: BESCHERMWIJZER_REGION={selected} is not a region pack (region packs: "
              f"{', '.join(packs) or 'none'})", file=sys.stderr)
        status = EXIT_CONTENT
    elif selected is not None:
        print(f"BESCHERMWIJZER_REGION={selected}: the bot loads this region", file=out)
    else:
        print("BESCHERMWIJZER_REGION is unset: the bot shows national contacts and offers only",
              file=out)
    return max(status, _check_contact_dates(contacts.values(), as_of))


def _check_contact_dates(contacts: Iterable[Contact], as_of: dt.date | None) -> int:
    found = freshness.staleness_of(contacts, as_of)
    for contact in found.warn:
        print(f"warning: {freshness.describe(contact)}, more than {freshness.WARN_MONTHS} months "
              "ago: check it against its source", file=sys.stderr)
    for contact in found.fail:
        print(f"error: {freshness.describe(contact)}, more than {freshness.FAIL_MONTHS} months "
              "ago: check it against its source and update `checked`", file=sys.stderr)
    return EXIT_CONTENT if found.fail else EXIT_OK
