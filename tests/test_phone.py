"""The consultation on a phone, through the real Telegram wiring: the result card stays."""

from __future__ import annotations

import html
import random
import re

import pytest

from bot.ui import actions as act
from fakebot.client import FakeUser
from fakebot.server import FakeBotApi
from tests.auxil.tg import BotUnderTest
from tests.conftest import public_cases

CASES = public_cases()


def visible(html_text: str) -> str:
    """What Telegram shows of an HTML message: the text without its tags."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def bot_messages(api: FakeBotApi, user: FakeUser) -> list[dict]:  # type: ignore[type-arg]
    return [m for m in api.store.in_chat(user.chat_id) if m.get("from", {}).get("is_bot")]


@pytest.mark.parametrize("seed", range(3))
async def test_the_result_card_survives_any_walk_through_its_sections(
        bot: BotUnderTest, api: FakeBotApi, seed: int) -> None:
    rng = random.Random(seed)
    user = FakeUser(api, 7100 + seed)
    card = await bot.consult(user, CASES[seed]["answers"])
    core = bot.core
    s = core.sessions.get(str(user.chat_id))
    assert s is not None
    sections = [a for row in bot.keyboard(user, card) for a, _ in row
                if (item := act.OPEN.arg(a)) is not None and item != "handout"]
    assert len(sections) >= 4
    full = {visible(core.renderer.render(core.consultation.views.screen(
        core.dialog.node(item.to), core.consultation.model(s), core.consultation.assessment(s)),
        "nl", "html").text) for item in core.dialog.node(core.dialog.result).menu}
    latest_card, open_detail = card.message_id, 0
    for _ in range(12):
        if rng.random() < 0.6 or not open_detail:
            # open a section from the latest card (scrolled up to it, or right above)
            target = next(m for m in bot_messages(api, user) if m["message_id"] == latest_card)
            wanted = rng.choice(sections)
            data = next(b["callback_data"] for row in target["reply_markup"]["inline_keyboard"]
                        for b in row if bot.action(user, b["callback_data"]) == wanted)
            clicked = await user.click(data, message_id=latest_card)
            assert clicked.answer is not None and not clicked.answer.get("text"), "no 'stale'"
            assert clicked.screen is not None and clicked.screen.message_id != latest_card
            assert clicked.screen.message_id > latest_card, "a section opens below the card"
            open_detail = clicked.screen.message_id
        else:
            # close the open section: the card comes back below it
            detail = next(m for m in bot_messages(api, user) if m["message_id"] == open_detail)
            back = next(b["callback_data"] for row in detail["reply_markup"]["inline_keyboard"]
                        for b in row if bot.action(user, b["callback_data"]) == act.BACK)
            clicked = await user.click(back, message_id=open_detail)
            assert clicked.screen is not None and clicked.screen.message_id > open_detail
            latest_card, open_detail = clicked.screen.message_id, 0
        # the card we work from is intact, and every section shown is whole
        by_id = {m["message_id"]: m for m in bot_messages(api, user)}
        card_now = visible(core.renderer.render(core.consultation.views.screen(
            core.dialog.node(core.dialog.result), core.consultation.model(s),
            core.consultation.assessment(s)), "nl", "html").text)
        assert by_id[latest_card]["text"] == card_now
        assert by_id[card.message_id]["text"] == card.text, "the first card is never overwritten"
        for m in bot_messages(api, user):
            if m["message_id"] > card.message_id and m["text"] != card_now:
                assert m["text"] in full, "a message holds part of a section"
