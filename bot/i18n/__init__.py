"""Translations: gettext catalogs per language, chosen per update, never installed globally."""

from bot.i18n.catalogs import DEFAULT_LANG, LANGUAGES, Catalogs, negotiate

__all__ = ["DEFAULT_LANG", "LANGUAGES", "Catalogs", "negotiate"]
