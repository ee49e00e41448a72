"""Translations: gettext catalogs per language, chosen per update, never installed globally."""

from bot.i18n.catalogs import DEFAULT_LANG, LANGUAGE_NAMES, LANGUAGES, Catalogs, negotiate

__all__ = ["DEFAULT_LANG", "LANGUAGES", "LANGUAGE_NAMES", "Catalogs", "negotiate"]
