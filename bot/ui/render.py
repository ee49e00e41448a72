"""Turn a Screen into text for one language and one front-end format.

Every text a user sees goes through here (screens, notices, command replies), so
translation, escaping and right-to-left handling happen in one place. Translation
happens per call, with the language of the update; a screen rendered once is kept
(per screen and language, a bounded number of them), because most screens are the
same for every user (a question, a menu) and rendering is a pure function of the
screen's content. Arabic (and any right-to-left
locale) gets a right-to-left mark at the start of every line, also inside a
multi-line message, and isolates around Latin text, numbers and phone numbers, so
that they keep their order inside Arabic sentences.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from bot.i18n import Catalogs
from bot.ui.screen import Button, Line, Msg, Param, Percent, Plain, Screen

Format = Literal["plain", "html"]
RLM, FSI, PDI = "\u200f", "\u2068", "\u2069"
ROW_WIDTH = 30  # what a phone shows on one row of several buttons, in characters
MAX_PER_ROW = 3
# Arrows that point "forward" or "back" flip for right-to-left reading.
MIRRORED = str.maketrans({"⬅": "➡", "➡": "⬅", "▶": "◀", "◀": "▶", "↩": "↪", "↪": "↩"})
# A run of Latin script inside a translated text (MDA++, /start, 12+, Veilig Thuis): isolated
# so that its characters keep their order inside right-to-left text.
LATIN_WORD = r"[/+#@]?[A-Za-z0-9](?:[\w+/@#&.:'’-]*[\w+])?"  # ends in a letter, digit or +
LATIN_RUN = re.compile(rf"(?<![{{\w]){LATIN_WORD}(?:[ ]{LATIN_WORD})*")


Keyboard = tuple[tuple[tuple[str, str], ...], ...]  # rows of (action, label)
CACHED_SCREENS = 2048  # rendered screens kept; the oldest goes first


@dataclass(frozen=True)
class Rendered:
    text: str
    keyboard: Keyboard


class Renderer:
    def __init__(self, catalogs: Catalogs, kept_screens: int = CACHED_SCREENS) -> None:
        """`kept_screens`: how many rendered screens to keep (0: render every time)."""
        self.catalogs = catalogs
        self.kept_screens = kept_screens
        # Translated (and for HTML escaped) templates; the texts are static, so the cache
        # is bounded by the catalogs' size times languages times formats.
        self._templates: dict[tuple[str, str, str, str | None, int | None], str] = {}
        self._screens: dict[tuple[Screen, str, str], Rendered] = {}

    def render(self, screen: Screen, lang: str, fmt: Format = "plain") -> Rendered:
        lang = screen.lang or lang
        if not self.kept_screens:
            return self._render(screen, lang, fmt)
        key = (screen, lang, fmt)
        try:
            rendered = self._screens.get(key)
        except TypeError:  # a parameter that cannot be hashed: render it every time
            return self._render(screen, lang, fmt)
        if rendered is None:
            rendered = self._screens[key] = self._render(screen, lang, fmt)
            if len(self._screens) > self.kept_screens:
                del self._screens[next(iter(self._screens))]
        return rendered

    def _render(self, screen: Screen, lang: str, fmt: Format) -> Rendered:
        text = "\n".join(self.line(line, lang, fmt) for line in screen.lines).strip("\n")
        keyboard = tuple(packed for row in screen.buttons
                         for packed in pack(tuple((b.action, self.label(b, lang)) for b in row)))
        return Rendered(text, keyboard)

    def label(self, button: Button, lang: str) -> str:
        parts = button.label if isinstance(button.label, tuple) else (button.label,)
        text = "".join(self._part(p, lang, "plain") for p in parts)
        return RLM + text.translate(MIRRORED) if self.catalogs.is_rtl(lang) else text

    def line(self, line: Line, lang: str, fmt: Format) -> str:
        body = "".join(self._part(p, lang, fmt) for p in line.parts)
        if not body:
            return ""
        if line.style == "bullet":
            body = "• " + body
        if fmt == "html":
            if line.style == "title":
                body = f"<b>{body}</b>"
            elif line.style == "quote":
                body = f"<i>{body}</i>"
            elif line.style == "code":  # Telegram copies monospace text with one tap
                body = f"<code>{body}</code>"
        elif line.style == "quote":
            body = "  " + body
        if self.catalogs.is_rtl(lang):
            return RLM + body.translate(MIRRORED).replace("\n", "\n" + RLM)
        return body

    def message_id(self, msgid: str, lang: str) -> str:
        return self._part(Msg(msgid), lang, "plain")

    def message(self, msg: Msg, lang: str) -> str:
        """A single message as plain text (for notices and command replies)."""
        return self._part(msg, lang, "plain")

    def _part(self, part: Msg | Plain, lang: str, fmt: Format) -> str:
        if isinstance(part, Plain):
            return self._isolate(part.text, lang, fmt)
        template = self._template(part, lang, fmt)
        if not part.params:
            return template
        values = {k: self._param(v, lang, fmt) for k, v in part.params}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):
            # A broken translation must not break the bot: fall back to the source text.
            source = html.escape(part.msgid, quote=False) if fmt == "html" else part.msgid
            return source.format(**values)

    def _template(self, part: Msg, lang: str, fmt: Format) -> str:
        key = (lang, fmt, part.msgid, part.plural, part.count)
        template = self._templates.get(key)
        if template is None:
            tr = self.catalogs.get(lang)
            if part.plural is not None and part.count is not None:
                template = tr.ngettext(part.msgid, part.plural, part.count)
            else:
                template = tr.gettext(part.msgid) if part.msgid else ""
            if self.catalogs.is_rtl(lang):  # names kept in Dutch too ("Veilig Thuis")
                template = LATIN_RUN.sub(lambda m: FSI + m.group(0) + PDI, template)
            if fmt == "html":
                template = html.escape(template, quote=False)
            self._templates[key] = template
        return template

    def _param(self, value: Param, lang: str, fmt: Format) -> str:
        locale = self.catalogs.locale(lang)
        if isinstance(value, (Msg, Plain)):
            return self._part(value, lang, fmt)
        if isinstance(value, Percent):
            return self._isolate(format_percent(value.value, locale=locale), lang, "plain")
        if isinstance(value, dt.datetime):  # a moment (when a card was made): date and time
            return self._isolate(format_datetime(value, format="short", locale=locale), lang,
                                 "plain")
        if isinstance(value, dt.date):
            return self._isolate(format_date(value, format="long", locale=locale), lang, "plain")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self._isolate(_decimal(value, lang, locale), lang, "plain")
        return html.escape(str(value), quote=False) if fmt == "html" else str(value)

    def _isolate(self, text: str, lang: str, fmt: Format) -> str:
        if fmt == "html":
            text = html.escape(text, quote=False)
        if self.catalogs.is_rtl(lang) and text.strip() and any(c.isascii() and c.isalnum()
                                                               for c in text):
            return FSI + text + PDI
        return text


def width(label: str) -> int:
    """About how many characters wide a label shows (an emoji counts two)."""
    total = 0
    for c in label:
        if unicodedata.category(c) in ("Mn", "Cf") or c == "\ufe0f":
            continue
        total += 2 if unicodedata.east_asian_width(c) in "WF" else 1
    return total


def pack(row: tuple[tuple[str, str], ...]) -> list[tuple[tuple[str, str], ...]]:
    """A row of buttons as a phone can show it: at most three a row, and a row of several
    no wider than ROW_WIDTH in this language. A scale of short numbers stays one row."""
    if len(row) <= 1 or all(label.lstrip(RLM).isdigit() for _, label in row):
        return [row]
    rows: list[tuple[tuple[str, str], ...]] = []
    current: list[tuple[str, str]] = []
    used = 0
    for cell in row:
        w = width(cell[1])
        if current and (len(current) == MAX_PER_ROW or used + w > ROW_WIDTH):
            rows.append(tuple(current))
            current, used = [], 0
        current.append(cell)
        used += w
    rows.append(tuple(current))
    return rows


@lru_cache(maxsize=4096)
def _decimal(value: float, lang: str, locale: Locale) -> str:
    return format_decimal(value, locale=locale)
