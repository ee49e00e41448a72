"""Load the compiled catalogs (locales/<lang>/LC_MESSAGES/messages.mo) once."""

from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.core import negotiate_locale
from babel.support import NullTranslations, Translations

from bot.paths import INSTALLED, LOCALES_DIR

DOMAIN = "messages"
DEFAULT_LANG = "nl"  # the source language: msgids are Dutch
LANGUAGES: tuple[str, ...] = ("nl", "en", "tr", "ar", "pl", "uk")
# Each language in its own name: the language menu and the handout's language buttons.
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English", "tr": "Türkçe", "ar": "العربية",
                  "pl": "Polski", "uk": "Українська"}


class CatalogError(RuntimeError):
    """A catalog exists as .po but was not compiled; `make install` compiles it."""


class Catalogs:
    def __init__(self, directory: Path = LOCALES_DIR,
                 languages: tuple[str, ...] = LANGUAGES) -> None:
        self.directory = directory
        self._by_lang: dict[str, gettext.NullTranslations] = {DEFAULT_LANG: NullTranslations()}
        self._locales: dict[str, Locale] = {}
        self._rtl: dict[str, bool] = {}
        for lang in languages:
            self._locales[lang] = Locale.parse(lang)
            if lang == DEFAULT_LANG:
                continue
            po = directory / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
            mo = po.with_suffix(".mo")
            if not po.exists():
                continue  # a language without a catalog yet; negotiation skips it
            # pip does not keep file times, so only a checkout can tell a stale .mo by them.
            if not mo.exists() or (not INSTALLED and mo.stat().st_mtime < po.stat().st_mtime):
                raise CatalogError(f"{mo} is missing or older than {po.name}: run `make install`")
            with mo.open("rb") as fh:
                self._by_lang[lang] = Translations(fh, domain=DOMAIN)

    @property
    def available(self) -> tuple[str, ...]:
        return tuple(self._by_lang)

    def get(self, lang: str) -> gettext.NullTranslations:
        return self._by_lang.get(lang, self._by_lang[DEFAULT_LANG])

    def locale(self, lang: str) -> Locale:
        return self._locales.get(lang) or self._locales[DEFAULT_LANG]

    def is_rtl(self, lang: str) -> bool:
        rtl = self._rtl.get(lang)
        if rtl is None:  # asked for every line and label: look it up once per language
            rtl = self._rtl[lang] = self.locale(lang).character_order == "right-to-left"
        return rtl


@lru_cache(maxsize=512)  # asked at every update; Telegram sends a handful of codes
def negotiate(code: str | None, available: tuple[str, ...]) -> str:
    """Best available language for a Telegram language_code like 'pt-br'; Dutch otherwise."""
    if not code:
        return DEFAULT_LANG
    code = code.replace("_", "-").lower()
    found = negotiate_locale([code, code.split("-")[0]], list(available), sep="-")
    return found or DEFAULT_LANG
