"""Thin Telegram handlers: turn an update into a call of the command layer, deliver the Reply.

No handler logs or stores message text or user names. Callbacks are always answered;
stale, forged and expired presses get a clear reply.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from telegram import Bot, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.core import Core
from bot.i18n import negotiate
from bot.logs import chat_ref
from bot.telegram.callback import CallbackCodec, ForgedCallback
from bot.telegram.flood import FloodGuard
from bot.telegram.sender import Sender
from bot.ui import texts
from bot.ui.chat import Reply
from bot.ui.screen import Msg, notice

log = logging.getLogger("beschermwijzer.telegram")
Context = ContextTypes.DEFAULT_TYPE
MAX_NOTIFIED_GROUPS = 10_000


class Handlers:
    def __init__(self, core: Core, codec: CallbackCodec, flood: FloodGuard) -> None:
        self.core = core
        self.chat = core.chat
        self.codec = codec
        self.flood = flood
        self.sender = Sender(core.renderer, codec)
        self.errors = 0  # updates that ended in the error handler (fuzzing and ops metrics)
        self.last_error: BaseException | None = None  # for tests; never logged with its text
        self._notified_groups: OrderedDict[int, None] = OrderedDict()

    def lang_for(self, update: Update) -> str:
        """The user's language as Telegram reports it (a session's own choice wins later)."""
        user = update.effective_user
        code = user.language_code if user is not None else None
        return negotiate(code if isinstance(code, str) else None, self.core.catalogs.available)

    async def _deliver(self, update: Update, context: Context, reply: Reply) -> None:
        chat_id = update.effective_chat.id  # type: ignore[union-attr]
        message = update.effective_message
        pressed = None
        if update.callback_query is not None and message is not None and message.is_accessible:
            pressed = message
        await self.sender.deliver(context.bot, chat_id, reply, pressed)
        # Only ids, never content: /wis can then remove the user's messages too.
        if reply.session is not None and message is not None and update.callback_query is None:
            reply.session.remember_message(message.message_id)

    # --- gate: private chats only, and not too fast ------------------------------------------
    async def gate(self, update: Update, context: Context) -> None:
        """Private chats only. (Flood control happens before an update is queued:
        bot/telegram/intake.py.)"""
        chat = update.effective_chat
        if chat is None:
            if update.callback_query is not None:
                # a press without a message (sent via inline mode, which we do not offer):
                # still answered, so the button does not spin forever
                await self._answer(update, Reply(lang=self.lang_for(update), toast=texts.EXPIRED))
            raise ApplicationHandlerStop  # nothing more to answer to (e.g. an inline query)
        if chat.type == ChatType.PRIVATE:
            return
        if update.callback_query is not None:
            await update.callback_query.answer()
        if chat.type in (ChatType.GROUP, ChatType.SUPERGROUP) and chat.id not in self._notified_groups:
            self._notified_groups[chat.id] = None
            if len(self._notified_groups) > MAX_NOTIFIED_GROUPS:
                self._notified_groups.popitem(last=False)
            log.info("group chat refused chat=%s", chat_ref(chat.id))
            await self.sender.deliver(context.bot, chat.id, Reply(
                (notice(texts.GROUP_ONLY_PRIVATE),), lang=self.lang_for(update)))
        raise ApplicationHandlerStop

    async def too_fast(self, update: Update, bot: Bot) -> None:
        """The one notice for a user over the flood limit (bot/telegram/intake.py); their
        next updates are dropped unseen until the pause is over."""
        chat = update.effective_chat
        if chat is None:
            return
        if update.callback_query is not None:
            await self._answer(update, Reply(lang=self.lang_for(update)))
        log.info("flood limit reached chat=%s", chat_ref(chat.id))
        s = self.core.sessions.get(str(chat.id))
        lang = s.lang if s is not None else self.lang_for(update)
        await self.sender.deliver(bot, chat.id, Reply((notice(texts.TOO_FAST),), session=s, lang=lang))

    # --- input ----------------------------------------------------------------------------------
    async def command(self, update: Update, context: Context) -> None:
        """Every command, known or not: the command layer decides."""
        message = update.effective_message
        assert message is not None and message.text is not None
        name, _, arg = message.text.partition(" ")
        key = str(update.effective_chat.id)  # type: ignore[union-attr]
        reply = self.chat.command(key, name, arg.strip(), self.lang_for(update))
        if reply.wipe is not None:  # /wis: the bot's messages and the user's own
            await self.sender.wipe(context.bot, int(key), [*reply.wipe, message.message_id])
        await self._deliver(update, context, reply)

    async def free_text(self, update: Update, context: Context) -> None:
        """Typed text or other content: a lookup query, or a pointer to the buttons."""
        message = update.effective_message
        typed = message.text if message is not None and message.text else ""
        key = str(update.effective_chat.id)  # type: ignore[union-attr]
        await self._deliver(update, context, self.chat.text(key, typed, self.lang_for(update)))

    async def button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None
        chat_id = update.effective_chat.id  # type: ignore[union-attr]
        try:
            press = self.codec.decode(chat_id, query.data)
        except (ForgedCallback, ValueError):
            reply = Reply(lang=self.lang_for(update), toast=texts.EXPIRED, alert=True)
        else:
            reply = self.chat.press(str(chat_id), press.sid, press.step, press.action,
                                    self.lang_for(update))
        await self._answer(update, reply)
        if reply.screens:
            await self._deliver(update, context, reply)

    async def _answer(self, update: Update, reply: Reply) -> None:
        """Stop the button's spinner, with the reply's note if it has one. A failed answer
        (a query too old) must not keep the user from the screen that matches the session."""
        query = update.callback_query
        assert query is not None
        text = self.core.renderer.message(reply.toast, reply.lang) if reply.toast else None
        try:
            await query.answer(text, show_alert=reply.alert)
        except TelegramError as exc:
            log.info("callback answer failed (%s) chat=%s", type(exc).__name__,
                     chat_ref(update.effective_chat.id if update.effective_chat else None))

    # --- errors -----------------------------------------------------------------------------------
    async def on_error(self, update: object, context: Context) -> None:
        self.errors += 1
        self.last_error = context.error
        chat = update.effective_chat if isinstance(update, Update) else None
        log.error("update failed: %s chat=%s", type(context.error).__name__,
                  chat_ref(chat.id if chat else None))
        if chat is None or chat.type != ChatType.PRIVATE or not isinstance(update, Update):
            return
        try:
            if update.callback_query is not None:
                await update.callback_query.answer()
            await self.sender.deliver(context.bot, chat.id, Reply(
                (notice(Msg(texts.ERROR.msgid)),), lang=self.lang_for(update)))
        except TelegramError as exc:
            log.error("error reply failed: %s chat=%s", type(exc).__name__, chat_ref(chat.id))
