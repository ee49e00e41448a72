"""Show screens in Telegram: HTML text split at paragraphs, signed inline keyboards."""

from __future__ import annotations

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest

from bot.core import Core
from bot.dialog.screen import Msg, Screen
from bot.dialog.session import Session
from bot.render import Rendered
from bot.telegram.callback import CallbackCodec

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
LIMIT = MessageLimit.MAX_TEXT_LENGTH


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Split at paragraph boundaries, then lines, so that no chunk exceeds the limit."""
    chunks: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        pieces = [paragraph] if len(paragraph) <= limit else _split_lines(paragraph, limit)
        for piece in pieces:
            candidate = f"{current}\n\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                if current:
                    chunks.append(current)
                current = piece
    if current:
        chunks.append(current)
    return chunks or [" "]


def _split_lines(paragraph: str, limit: int) -> list[str]:
    out: list[str] = []
    current = ""
    for line in paragraph.split("\n"):
        while len(line) > limit:  # a single overlong line: cut hard (no tags span lines)
            out.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
        else:
            out.append(current)
            current = line
    if current:
        out.append(current)
    return out


class Sender:
    def __init__(self, core: Core, codec: CallbackCodec) -> None:
        self.core = core
        self.codec = codec

    def keyboard(self, chat_id: int, s: Session, rendered: Rendered) -> InlineKeyboardMarkup | None:
        if not rendered.keyboard:
            return None
        return InlineKeyboardMarkup([
            [InlineKeyboardButton(label, callback_data=self.codec.encode(chat_id, s.sid, s.step, action))
             for action, label in row]
            for row in rendered.keyboard
        ])

    async def show(self, bot: Bot, chat_id: int, s: Session, screen: Screen,
                   edit: Message | None = None) -> None:
        if screen.attachment is not None:
            # A card to forward (the client handout): its own message, no buttons, and
            # the screen follows as a new message so that its buttons stay at the bottom.
            card = self.core.renderer.render(screen.attachment, s.lang, "html")
            for chunk in split_text(card.text):
                sent = await bot.send_message(chat_id, chunk, parse_mode=ParseMode.HTML,
                                              link_preview_options=NO_PREVIEW)
                s.remember_message(sent.message_id)
            edit = None
        rendered = self.core.renderer.render(screen, s.lang, "html")
        chunks = split_text(rendered.text)
        markup = self.keyboard(chat_id, s, rendered)
        first = True
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            reply_markup = markup if last else None
            if first and edit is not None and await self._edit(edit, chunk, reply_markup):
                first = False
                continue
            first = False
            sent = await bot.send_message(chat_id, chunk, parse_mode=ParseMode.HTML,
                                          reply_markup=reply_markup, link_preview_options=NO_PREVIEW)
            s.remember_message(sent.message_id)

    async def _edit(self, message: Message, text: str, markup: InlineKeyboardMarkup | None) -> bool:
        try:
            await message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=markup,
                                    link_preview_options=NO_PREVIEW)
        except BadRequest as exc:
            # Same content (a doubled press) needs no change; anything else: send anew.
            return "not modified" in str(exc).lower()
        return True

    async def say(self, bot: Bot, chat_id: int, msg: Msg, lang: str,
                  s: Session | None = None, markup: InlineKeyboardMarkup | None = None) -> None:
        text = self.core.renderer.message(msg, lang)
        if self.core.catalogs.is_rtl(lang):
            text = "\u200f" + text
        for chunk in split_text(_escape(text)):
            sent = await bot.send_message(chat_id, chunk, parse_mode=ParseMode.HTML, reply_markup=markup,
                                          link_preview_options=NO_PREVIEW)
            if s is not None:
                s.remember_message(sent.message_id)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
