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

# A payload the size of a typical Beschermwijzer question: a ~300-character text and two
# rows of three buttons (answers, then back / acute help / restart), with callback data
# as long as ours, so that the comparison isolates our code, not Telegram payload size.
KEYBOARD = InlineKeyboardMarkup([
    [InlineKeyboardButton(label, callback_data=f"AbCdEf|12|{action}|0123456789ab")
     for label, action in (("Ja", "y"), ("Nee", "n"), ("Weet ik niet", "u"))],
    [InlineKeyboardButton(label, callback_data=f"AbCdEf|12|{action}|0123456789ab")
     for label, action in (("⬅️ Terug", "b"), ("🆘 Nu hulp nodig", "a"), ("🔄 Opnieuw", "r"))],
])
TEXT = ("<i>Vraag 7</i>\n<b>Een vaste vraag zo lang als een gewone screeningsvraag, met een "
        "toelichting eronder.</b>\nBijvoorbeeld: geweld dat nu gebeurt of direct dreigt. Typ "
        "geen namen of andere gegevens over het gezin; kies met de knoppen hieronder wat het "
        "best past. Bij direct gevaar: bel 112.")


if os.environ.get("BASELINE_PAYLOAD") == "large":  # experiment: a result-card-sized payload
    TEXT = TEXT * 5
    KEYBOARD = InlineKeyboardMarkup(list(KEYBOARD.inline_keyboard) * 2)


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, TEXT, reply_markup=KEYBOARD,
                                   parse_mode="HTML")


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(TEXT, reply_markup=KEYBOARD, parse_mode="HTML")


def main() -> None:
    connections = int(os.environ.get("BESCHERMWIJZER_CONNECTIONS", "16"))
    builder = (Application.builder().token(os.environ["TELEGRAM_BOT_TOKEN"])
               .base_url(os.environ["TELEGRAM_API_BASE_URL"])
               .rate_limiter(AIORateLimiter(overall_max_rate=0, group_max_rate=0))
               .concurrent_updates(int(os.environ.get("BESCHERMWIJZER_CONCURRENCY", "16"))))
    if os.environ.get("BASELINE_TRANSPORT") == "aiohttp":
        # the same transport and settings as Beschermwijzer: the ratio isolates our own code
        from bot.telegram.transport import AiohttpRequest

        builder = (builder.request(AiohttpRequest(connections))
                   .get_updates_request(AiohttpRequest(1)))
    else:  # python-telegram-bot as it comes (httpx), with the same pool size
        builder = builder.connection_pool_size(connections)
    app = builder.build()
    app.add_handler(MessageHandler(filters.ALL, on_message))
    app.add_handler(CallbackQueryHandler(on_press))
    app.run_polling()


if __name__ == "__main__":
    main()
