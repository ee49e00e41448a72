"""What the bot says about its region: which contacts and offers it shows, and how fresh.

One region pack is loaded at start-up (BESCHERMWIJZER_REGION), or none: then only national
contacts and offers are shown, and the contacts, the help and /over say so.
"""

from __future__ import annotations

from bot.kb.freshness import oldest_check
from bot.kb.models import Knowledge
from bot.ui.screen import N_, Line, Msg, Plain

# {date} is the oldest `checked` date of the contacts shown: every one was checked since.
REGION = N_("Regio: {region}. Alle contactgegevens zijn op of na {date} gecontroleerd.")
NO_REGION = N_("Er is geen regio ingesteld: je ziet alleen landelijke contacten en landelijk "
               "aanbod. Alle contactgegevens zijn op of na {date} gecontroleerd.")
CONTACTS_REGION = N_("Contacten in de regio {region} en landelijk.")
CONTACTS_NATIONAL = N_("Alleen landelijke contacten: er is geen regio ingesteld. Vraag in je "
                       "eigen organisatie naar de contacten in jouw regio.")
OFFERS_REGION = N_("Aanbod in de regio {region} en landelijk.")
OFFERS_NATIONAL = N_("Alleen landelijk aanbod: er is geen regio ingesteld. Regionaal aanbod "
                     "staat hier niet bij.")


def about(kb: Knowledge) -> Msg:
    """/over: the region (or that there is none) and the oldest contact check."""
    date = oldest_check(kb)
    if kb.region is None:
        return Msg.of(NO_REGION, date=date)
    return Msg.of(REGION, region=Plain(kb.region.name), date=date)


def contacts_lead(kb: Knowledge) -> Line:
    if kb.region is None:
        return Line((Msg(CONTACTS_NATIONAL),), "quote")
    return Line((Msg.of(CONTACTS_REGION, region=Plain(kb.region.name)),), "quote")


def offers_lead(kb: Knowledge) -> Line:
    if kb.region is None:
        return Line((Msg(OFFERS_NATIONAL),), "quote")
    return Line((Msg.of(OFFERS_REGION, region=Plain(kb.region.name)),), "quote")
