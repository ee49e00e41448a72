"""Interface texts shared by every mode: command replies, notices and the acute-help line."""

from __future__ import annotations

from bot.ui.screen import N_, Msg

USE_BUTTONS = Msg(N_("Kies een van de knoppen. Typ liever geen tekst: zo komen er geen namen of "
                     "details over het gezin in dit gesprek."))
USE_NUMBER = N_("Kies een nummer van 1 tot en met {max}. Typ geen namen of details over het "
                "gezin. Typ /help voor uitleg.")
STALE_BUTTON = Msg(N_("Deze knop hoort bij een eerder scherm. Hieronder staat waar je nu bent."))
EXPIRED = Msg(N_("Dit gesprek is verlopen of gewist. Tik op /start om opnieuw te beginnen."))
UNKNOWN_COMMAND = Msg(N_("Dat commando ken ik niet. Typ /help voor de commando's. Bij direct "
                         "gevaar: bel 112."))
ERROR = Msg(N_("Er ging iets mis. Tik op /start om opnieuw te beginnen. Bij direct gevaar: "
               "bel 112, voor advies Veilig Thuis 0800-2000."))
GROUP_ONLY_PRIVATE = Msg(N_("Beschermwijzer werkt alleen in een privégesprek, omdat het over een "
                            "gevoelig onderwerp gaat. Stuur me een privébericht. Bij direct "
                            "gevaar: bel 112."))
DELETED = Msg(N_("Het gesprek is gewist: je antwoorden en, waar Telegram dat toestaat, mijn "
                 "berichten. Tik op /start om opnieuw te beginnen."))
# The one acute-help line: the acute screen of every mode, the result card, printed cards.
ACUTE_LINE = Msg(N_("Direct gevaar: bel 112. Advies, dag en nacht en gratis: Veilig Thuis "
                    "0800-2000."))
GOODBYE = Msg(N_("Tot ziens. Er is niets bewaard."))
LANGUAGE_PROMPT = Msg(N_("Kies je taal."))
LANGUAGE_SET = Msg(N_("De taal is ingesteld op Nederlands."))
TOO_FAST = Msg(N_("Je stuurt veel berichten kort na elkaar. Wacht even; daarna help ik je "
                  "verder. Bij direct gevaar: bel 112."))

# Resume codes and deep links (bot/ui/chat.py). A typed code is never shown back.
HELP_FOLLOWUP = Msg(N_("Vervolg: /vervolg begint een vervolggesprek over een gezin. Plak de code "
                       "van een eerdere consultatie om de antwoorden terug te halen; de bot "
                       "bewaart zelf niets."))
UNKNOWN_LINK = Msg(N_("Deze link ken ik niet. Je begint zoals gewoonlijk."))
CODE_ERRORS = {
    "alphabet": Msg(N_("Dat lijkt op een code, maar er staat een teken in dat niet in een code "
                       "voorkomt: alleen letters en cijfers, geen U. Controleer de code en plak "
                       "hem opnieuw.")),
    "length": Msg(N_("Deze code is te kort of te lang. Controleer of je hem helemaal hebt "
                     "overgenomen en plak hem opnieuw.")),
    "checksum": Msg(N_("Deze code klopt niet: een teken is verkeerd, ontbreekt of staat op de "
                       "verkeerde plek. Controleer de code en plak hem opnieuw.")),
    "version": Msg(N_("Deze code komt van een nieuwere versie van Beschermwijzer en kan hier "
                      "nog niet worden gelezen.")),
    "payload": Msg(N_("Deze code is beschadigd en kan niet worden gelezen.")),
}

HELP = Msg(N_(
    "Beschermwijzer stelt je vragen met knoppen over een gezin waar je je zorgen over maakt en "
    "laat zien welk beschermingsarrangement past.\n\n"
    "Commando's:\n"
    "/start: begin een consultatie\n"
    "/nood: acute hulp (112, Veilig Thuis 0800-2000)\n"
    "/zoek: zoek informatie op, anoniem (typ een woord)\n"
    "/leer: oefen met de vijf gezinsprofielen en de casussen\n"
    "/opnieuw: begin opnieuw\n"
    "/taal: kies je taal\n"
    "/wis: wis dit gesprek\n"
    "/over: wat deze bot is en niet is\n"
    "/help: deze uitleg\n\n"
    "Typ geen namen, adressen of andere details over het gezin."))

ABOUT = N_(
    "Beschermwijzer {version} is een hulpmiddel om na te denken, geen protocol en geen besluit. "
    "Het helpt professionals in het sociaal domein om bij (vermoedens van) huiselijk geweld te "
    "zien welk gezinsprofiel op de voorgrond staat en welke zorg en bescherming daarbij past.\n\n"
    "Bron: Verwey-Jonker Instituut, actieonderzoek naar zorg- en beschermingsarrangementen in "
    "Zaanstreek-Waterland (2022). Contactgegevens komen uit openbare bronnen; bij elk contact "
    "staat wanneer het is gecontroleerd.\n\n"
    "Privacy: de bot vraagt geen persoonsgegevens en bewaart niets dan je knopkeuzes, alleen in "
    "het geheugen en hooguit {minutes} minuten na je laatste tik. Getypte tekst wordt niet "
    "bewaard of gelogd. Telegram zelf bewaart berichten wel op zijn servers; /wis verwijdert "
    "wat de bot nog mag verwijderen.\n\n"
    "Beschermwijzer is geen hulpdienst. Bij direct gevaar: bel 112. Voor advies: Veilig Thuis "
    "0800-2000, gratis en dag en nacht bereikbaar.")
TRANSLATION_NOTE = N_("De vertalingen zijn nog niet nagekeken door een professional die de taal "
                      "als moedertaal spreekt.")
