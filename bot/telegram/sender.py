"""Deliver a Reply in Telegram: each Screen as HTML, with a signed inline keyboard.

Placement decides the message: a `main` screen replaces the message whose button was
pressed; `keep` and `notice` screens are new messages, and whatever follows them comes
below, so a card the user still needs is never overwritten.

The keyboard goes out as Bot API JSON (`api_kwargs`, python-telegram-bot's documented way
to pass parameters as Telegram reads them) rather than as InlineKeyboardMarkup objects:
its labels come rendered from the renderer's cache and only the callback data is made
per update, while PTB objects would be built and serialised again for every screen
(measured in benchmarks/: about a quarter of the bot's CPU per update).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, Message
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, TelegramError

from bot.logs import chat_ref
from bot.telegram.callback import CallbackCodec
from bot.ui.chat import Reply
from bot.ui.render import Rendered, Renderer
from bot.ui.session import Session

log = logging.getLogger("beschermwijzer.telegram")
NO_PREVIEW = {"is_disabled": True}  # LinkPreviewOptions as Telegram reads it
LIMIT = MessageLimit.MAX_TEXT_LENGTH
Markup = dict[str, Any]  # an InlineKeyboardMarkup as Bot API JSON


def split_text(text: str, limit: int = LIMIT) -> list[str]:
    """Split at paragraph boundaries, then lines, so that no chunk exceeds the limit.

    A last resort: screens are written to fit one message (tests check every screen)."""
    if len(text) <= limit:
        return [text] if text else [" "]
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
    def __init__(self, renderer: Renderer, codec: CallbackCodec) -> None:
        self.renderer = renderer
        self.codec = codec

    def keyboard(self, chat_id: int, s: Session, rendered: Rendered) -> Markup | None:
        """The inline keyboard for this chat's session and step: one signature for all of it."""
        if not rendered.keyboard:
            return None
        signed = self.codec.sign(chat_id, s.sid, s.step)
        return {"inline_keyboard": [[{"text": label, "callback_data": signed.data(action)}
                                     for action, label in row] for row in rendered.keyboard]}

    async def deliver(self, bot: Bot, chat_id: int, reply: Reply,
                      pressed: Message | None = None) -> None:
        """Send or edit one message per screen. `pressed` is the message whose button was
        pressed: a main screen replaces it, unless it is a kept card (never overwritten)."""
        s = reply.session
        kept, detail = s.slots if s is not None else (0, 0)
        pressed_id = pressed.message_id if pressed is not None else 0
        editable = pressed if pressed is not None and pressed_id != kept else None
        for screen in reply.screens:
            rendered = self.renderer.render(screen, reply.lang, "html")
            markup = self.keyboard(chat_id, s, rendered) if s is not None else None
            chunks = split_text(rendered.text)
            first, rest = chunks[0], chunks[1:]
            head_markup = None if rest else markup
            placed = 0
            if screen.placement == "detail" and detail:
                placed = detail if await self._edit(bot, chat_id, detail, first, head_markup) else 0
            elif screen.placement in ("main", "keep") and editable is not None \
                    and not (screen.placement == "keep" and pressed_id == detail):
                placed = pressed_id if await self._edit(bot, chat_id, pressed_id, first,
                                                       head_markup) else 0
            if not placed:
                placed = await self._send(bot, chat_id, s, first, head_markup)
            for index, chunk in enumerate(rest):  # a last resort: screens fit one message
                await self._send(bot, chat_id, s, chunk, markup if index == len(rest) - 1 else None)
            editable = None
            if screen.placement == "keep":
                kept, detail = placed, 0  # the next section opens below this card
            elif screen.placement == "detail":
                detail = placed
            elif placed == detail:
                detail = 0  # the detail message now holds something else
        if s is not None:
            s.slots = (kept, detail)

    async def _send(self, bot: Bot, chat_id: int, s: Session | None, text: str,
                    markup: Markup | None) -> int:
        sent = await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML,
                                      api_kwargs=_extra(markup))
        if s is not None:
            s.remember_message(sent.message_id)
        return sent.message_id

    async def _edit(self, bot: Bot, chat_id: int, message_id: int, text: str,
                    markup: Markup | None) -> bool:
        try:
            await bot.edit_message_text(text, chat_id=chat_id, message_id=message_id,
                                        parse_mode=ParseMode.HTML, api_kwargs=_extra(markup))
        except BadRequest as exc:
            # Same content (a doubled press) needs no change; anything else: send anew.
            return "not modified" in str(exc).lower()
        return True

    async def wipe(self, bot: Bot, chat_id: int, ids: list[int]) -> None:
        for start in range(0, len(ids), 100):  # deleteMessages takes at most 100 ids
            try:
                await bot.delete_messages(chat_id, ids[start:start + 100])
            except TelegramError as exc:  # older than 48 h, already gone: nothing more to do
                log.info("delete failed (%s) chat=%s", type(exc).__name__, chat_ref(chat_id))


def _extra(markup: Markup | None) -> dict[str, Any]:
    """The parameters passed as JSON: no link previews, and the keyboard if there is one."""
    if markup is None:
        return {"link_preview_options": NO_PREVIEW}
    return {"link_preview_options": NO_PREVIEW, "reply_markup": markup}
