"""The command set shared by the console and Telegram, with their ids."""

from __future__ import annotations

from dataclasses import dataclass

from bot.ui.screen import N_


@dataclass(frozen=True)
class Command:
    name: str  # what the user types after "/", fixed in Dutch as the product's own words
    description: str  # msgid; registered per language with setMyCommands


COMMANDS: tuple[Command, ...] = (
    Command("start", N_("Begin een consultatie")),
    Command("nood", N_("Acute hulp: 112 en Veilig Thuis")),
    Command("zoek", N_("Zoek informatie op, anoniem")),
    Command("leer", N_("Oefen met de vijf gezinsprofielen")),
    Command("vervolg", N_("Vervolggesprek, met de code van de vorige keer")),
    Command("opnieuw", N_("Begin opnieuw")),
    Command("taal", N_("Kies je taal")),
    Command("wis", N_("Wis dit gesprek")),
    Command("over", N_("Wat deze bot is en niet is")),
    Command("help", N_("Uitleg en commando's")),
)
# English aliases help expats and screen readers; they are not advertised.
ALIASES = {"sos": "nood", "help": "help", "restart": "opnieuw", "lang": "taal",
           "language": "taal", "delete": "wis", "about": "over", "stop": "wis",
           "search": "zoek", "lookup": "zoek", "learn": "leer", "followup": "vervolg"}


def resolve(name: str) -> str | None:
    """The command id for a typed name such as 'nood' or 'NOOD@SomeBot', or None."""
    base = name.lstrip("/").split("@", 1)[0].lower()
    if any(c.name == base for c in COMMANDS):
        return base
    return ALIASES.get(base)
