"""Thin Telegram handlers: find the session, ask the engine, show the screen.

No handler logs or stores message text or user names. Callbacks are always
answered; stale, forged and expired presses get a clear reply.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import __version__, texts
from bot.core import Core
from bot.dialog.engine import InvalidAction
from bot.dialog.screen import Msg
from bot.dialog.session import Session
from bot.i18n import LANGUAGE_NAMES, negotiate
from bot.logs import chat_ref
from bot.telegram.callback import CallbackCodec, ForgedCallback
from bot.telegram.flood import FloodGuard, Verdict
from bot.telegram.sender import Sender

log = logging.getLogger("beschermwijzer.telegram")
Context = ContextTypes.DEFAULT_TYPE
LANG_ACTION = "L:"
MAX_NOTIFIED_GROUPS = 10_000


class Handlers:
    def __init__(self, core: Core, codec: CallbackCodec, flood: FloodGuard) -> None:
        self.core = core
        self.codec = codec
        self.flood = flood
        self.sender = Sender(core, codec)
        self.errors = 0  # updates that ended in the error handler (fuzzing and ops metrics)
        self.last_error: BaseException | None = None  # for tests; never logged with its text
        self._notified_groups: OrderedDict[int, None] = OrderedDict()

    # --- helpers -------------------------------------------------------------------------
    def lang_for(self, update: Update, s: Session | None = None) -> str:
        if s is not None:
            return s.lang
        user = update.effective_user
        return negotiate(user.language_code if user else None, self.core.catalogs.available)

    def session(self, update: Update, *, create: bool = False) -> Session | None:
        chat = update.effective_chat
        if chat is None:
            return None
        s = self.core.sessions.get(str(chat.id))
        if s is None and create:
            s = self.core.sessions.open(str(chat.id), self.lang_for(update))
            self.core.consultation.begin(s)
        return s

    def _track_incoming(self, update: Update, s: Session | None) -> None:
        # Only ids, never content: /wis can then remove the user's messages too.
        if s is not None and update.effective_message is not None and update.callback_query is None:
            s.remember_message(update.effective_message.message_id)

    # --- gate: private chats only, and not too fast ------------------------------------------
    async def gate(self, update: Update, context: Context) -> None:
        chat = update.effective_chat
        if chat is None:
            raise ApplicationHandlerStop  # nothing to answer to (e.g. an inline query)
        if chat.type == ChatType.PRIVATE:
            await self._not_too_fast(update, context, chat.id)
            return
        if update.callback_query is not None:
            await update.callback_query.answer()
        if chat.type in (ChatType.GROUP, ChatType.SUPERGROUP) and chat.id not in self._notified_groups:
            self._notified_groups[chat.id] = None
            if len(self._notified_groups) > MAX_NOTIFIED_GROUPS:
                self._notified_groups.popitem(last=False)
            log.info("group chat refused chat=%s", chat_ref(chat.id))
            await self.sender.say(context.bot, chat.id, texts.GROUP_ONLY_PRIVATE, self.lang_for(update))
        raise ApplicationHandlerStop

    async def _not_too_fast(self, update: Update, context: Context, chat_id: int) -> None:
        verdict = self.flood.check(chat_id)
        if verdict is Verdict.OK:
            return
        if update.callback_query is not None:
            await update.callback_query.answer()  # stop the button's spinner, nothing more
        if verdict is Verdict.NOTIFY:
            log.info("flood limit reached chat=%s", chat_ref(chat_id))
            s = self.core.sessions.get(str(chat_id))
            await self.sender.say(context.bot, chat_id, texts.TOO_FAST, self.lang_for(update, s))
        raise ApplicationHandlerStop

    # --- commands -----------------------------------------------------------------------------------
    async def start(self, update: Update, context: Context) -> None:
        await self._mode(update, context, "consult")

    async def zoek(self, update: Update, context: Context) -> None:
        await self._mode(update, context, "lookup")

    async def leer(self, update: Update, context: Context) -> None:
        await self._mode(update, context, "learn")

    async def _mode(self, update: Update, context: Context, mode: str) -> None:
        chat_id = update.effective_chat.id  # type: ignore[union-attr]
        old = self.core.sessions.get(str(chat_id))
        s = self.core.sessions.open(str(chat_id), self.lang_for(update, old))
        if old is not None:  # keep what /wis must still be able to delete, and the settings
            s.sent, s.simple = old.sent, old.simple
        self._track_incoming(update, s)
        await self.sender.show(context.bot, chat_id, s, self.core.switch(s, mode))

    async def opnieuw(self, update: Update, context: Context) -> None:
        s = self.session(update, create=True)
        assert s is not None
        self._track_incoming(update, s)
        await self.sender.show(context.bot, update.effective_chat.id, s,  # type: ignore[union-attr]
                               self.core.engine(s).begin(s))

    async def nood(self, update: Update, context: Context) -> None:
        s = self.session(update, create=True)
        assert s is not None
        self._track_incoming(update, s)
        await self.sender.show(context.bot, update.effective_chat.id, s,  # type: ignore[union-attr]
                               self.core.engine(s).acute(s))

    async def help(self, update: Update, context: Context) -> None:
        s = self.session(update)
        self._track_incoming(update, s)
        await self.sender.say(context.bot, update.effective_chat.id, texts.HELP,  # type: ignore[union-attr]
                              self.lang_for(update, s), s)

    async def over(self, update: Update, context: Context) -> None:
        s = self.session(update)
        self._track_incoming(update, s)
        lang = self.lang_for(update, s)
        minutes = int(self.core.sessions.ttl // 60)
        chat_id = update.effective_chat.id  # type: ignore[union-attr]
        await self.sender.say(context.bot, chat_id, Msg.of(texts.ABOUT, version=__version__,
                                                           minutes=minutes), lang, s)
        if lang != "nl":
            await self.sender.say(context.bot, chat_id, Msg(texts.TRANSLATION_NOTE), lang, s)

    async def taal(self, update: Update, context: Context) -> None:
        s = self.session(update, create=True)
        assert s is not None
        self._track_incoming(update, s)
        chat_id = update.effective_chat.id  # type: ignore[union-attr]
        rows = [[InlineKeyboardButton(LANGUAGE_NAMES.get(code, code), callback_data=self.codec.encode(
            chat_id, s.sid, s.step, LANG_ACTION + code))] for code in self.core.catalogs.available]
        await self.sender.say(context.bot, chat_id, texts.LANGUAGE_PROMPT, s.lang, s,
                              InlineKeyboardMarkup(rows))

    async def wis(self, update: Update, context: Context) -> None:
        chat_id = update.effective_chat.id  # type: ignore[union-attr]
        lang = self.lang_for(update, self.core.sessions.get(str(chat_id)))
        s = self.core.sessions.drop(str(chat_id))
        ids = list(s.sent) if s is not None else []
        if update.effective_message is not None:
            ids.append(update.effective_message.message_id)
        for start in range(0, len(ids), 100):  # deleteMessages takes at most 100 ids
            try:
                await context.bot.delete_messages(chat_id, ids[start:start + 100])
            except TelegramError as exc:  # older than 48 h, already gone: nothing more to do
                log.info("delete failed (%s) chat=%s", type(exc).__name__, chat_ref(chat_id))
        await self.sender.say(context.bot, chat_id, texts.DELETED, lang)

    async def unknown_command(self, update: Update, context: Context) -> None:
        s = self.session(update)
        self._track_incoming(update, s)
        await self.sender.say(context.bot, update.effective_chat.id,  # type: ignore[union-attr]
                              texts.UNKNOWN_COMMAND, self.lang_for(update, s), s)

    async def free_text(self, update: Update, context: Context) -> None:
        """Typed text or other content: point to the buttons; never echo or keep it."""
        s = self.session(update)
        self._track_incoming(update, s)
        chat_id = update.effective_chat.id  # type: ignore[union-attr]
        lang = self.lang_for(update, s)
        if s is None:
            await self.sender.say(context.bot, chat_id, texts.EXPIRED, lang)
            return
        message = update.effective_message
        if s.mode == "lookup" and message is not None and message.text:
            await self.sender.show(context.bot, chat_id, s, self.core.lookup.query(s, message.text))
            return
        await self.sender.say(context.bot, chat_id, texts.USE_BUTTONS, lang, s)
        await self.sender.show(context.bot, chat_id, s, self.core.engine(s).show(s))

    # --- buttons ------------------------------------------------------------------------------------
    async def button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None
        chat_id = update.effective_chat.id  # type: ignore[union-attr]
        s = self.core.sessions.get(str(chat_id))
        lang = self.lang_for(update, s)
        render = self.core.renderer.message
        try:
            press = self.codec.decode(chat_id, query.data)
        except (ForgedCallback, ValueError):
            await query.answer(render(texts.EXPIRED, lang), show_alert=True)
            return
        if s is None or press.sid != s.sid:
            await query.answer(render(texts.EXPIRED, lang), show_alert=True)
            return
        if press.action.startswith(LANG_ACTION):
            await self._set_language(update, context, s, press.action[len(LANG_ACTION):])
            return
        if press.step != s.step:
            await query.answer(render(texts.STALE_BUTTON, lang))
            return
        try:
            screen = self.core.engine(s).act(s, press.action)
        except InvalidAction:
            await query.answer(render(texts.STALE_BUTTON, lang))
            return
        await query.answer()
        await self.sender.show(context.bot, chat_id, s, screen, edit=query.message  # type: ignore[arg-type]
                               if query.message is not None and query.message.is_accessible else None)

    async def _set_language(self, update: Update, context: Context, s: Session, code: str) -> None:
        query = update.callback_query
        assert query is not None
        if code not in self.core.catalogs.available:
            await query.answer(self.core.renderer.message(texts.STALE_BUTTON, s.lang))
            return
        s.lang = code
        await query.answer(self.core.renderer.message(texts.LANGUAGE_SET, code))
        await self.sender.show(context.bot, update.effective_chat.id, s,  # type: ignore[union-attr]
                               self.core.engine(s).show(s))

    # --- errors -----------------------------------------------------------------------------------
    async def on_error(self, update: object, context: Context) -> None:
        self.errors += 1
        self.last_error = context.error
        chat = update.effective_chat if isinstance(update, Update) else None
        log.error("update failed: %s chat=%s", type(context.error).__name__,
                  chat_ref(chat.id if chat else None))
        if chat is None or chat.type != ChatType.PRIVATE:
            return
        try:
            if isinstance(update, Update) and update.callback_query is not None:
                await update.callback_query.answer()
            await self.sender.say(context.bot, chat.id, texts.ERROR, self.lang_for(update))  # type: ignore[arg-type]
        except (TelegramError, BadRequest) as exc:
            log.error("error reply failed: %s chat=%s", type(exc).__name__, chat_ref(chat.id))
