"""Webhook mode: only POSTs carrying the secret token are processed."""

from __future__ import annotations

from bot.core import Core
from bot.telegram.app import WEBHOOK_PATH
from bot.telegram.service import BotService
from bot.telegram.settings import TelegramSettings
from tests.fakebot.server import FakeBotApi

SECRET = "s3cret-token_for-tests"


def update(update_id: int, chat_id: int) -> dict[str, object]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1_700_000_000, "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        "chat": {"id": chat_id, "type": "private", "first_name": "T"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "T", "language_code": "nl"}}}


def webhook_settings(api: FakeBotApi, **extra: object) -> TelegramSettings:
    return TelegramSettings(token=api.token, api_base_url=api.base_url,
                            webhook_url=f"https://bot.example.invalid/{WEBHOOK_PATH}",
                            webhook_secret=SECRET, webhook_port=0, **extra)  # type: ignore[arg-type]


async def test_webhook_refuses_posts_without_the_secret(core: Core) -> None:
    async with FakeBotApi() as api, BotService(core, webhook_settings(api)) as service:
        hook = await api.wait_for(lambda c: c.method == "setWebhook", since=0)
        assert hook.params["secret_token"] == SECRET
        url = f"http://127.0.0.1:{service.webhook_port}/{WEBHOOK_PATH}"
        assert await api.post_update_to(url, update(1, 11)) == 403
        assert await api.post_update_to(url, update(2, 12), secret_token="wrong") == 403
        assert await api.post_update_to(url, update(3, 13), secret_token=SECRET) == 200
        reply = await api.next_message(13)
        assert "direct gevaar" in reply["text"]
        assert api.sent_messages(11) == [] and api.sent_messages(12) == []
