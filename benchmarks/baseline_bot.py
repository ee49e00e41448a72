"""The baseline: a minimal python-telegram-bot bot that answers every update with one
fixed message and keyboard. The load harness runs it exactly like Beschermwijzer, so
overhead_ratio = baseline throughput / ours isolates what our own code costs."""

from __future__ import annotations

import os

os.environ.setdefault("PTB_TIMEDELTA", "1")

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="y"),
                                  InlineKeyboardButton("Nee", callback_data="n")]])
TEXT = "Een vaste vraag met twee knoppen."


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, TEXT, reply_markup=KEYBOARD)


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(TEXT, reply_markup=KEYBOARD)


def main() -> None:
    app = (Application.builder().token(os.environ["TELEGRAM_BOT_TOKEN"])
           .base_url(os.environ["TELEGRAM_API_BASE_URL"])
           .rate_limiter(AIORateLimiter(overall_max_rate=0, group_max_rate=0))
           # the same transport settings as Beschermwijzer, so the ratio isolates our code
           .connection_pool_size(int(os.environ.get("BESCHERMWIJZER_CONNECTIONS", "16")))
           .concurrent_updates(int(os.environ.get("BESCHERMWIJZER_CONCURRENCY", "16"))).build())
    app.add_handler(MessageHandler(filters.ALL, on_message))
    app.add_handler(CallbackQueryHandler(on_press))
    app.run_polling()


if __name__ == "__main__":
    main()
