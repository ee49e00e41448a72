"""On Telegram: every language through a consultation, lookup by typing, learning by tapping."""

from __future__ import annotations

import pytest

from bot.i18n import LANGUAGES
from bot.ui import actions as act
from bot.ui import texts
from bot.ui.render import RLM
from fakebot.client import FakeUser
from fakebot.server import FakeBotApi
from tests.auxil.tg import BotUnderTest
from tests.conftest import public_cases


@pytest.mark.parametrize("lang", LANGUAGES)
async def test_consultation_in_every_language(bot: BotUnderTest, api: FakeBotApi,
                                             lang: str) -> None:
    case = public_cases()[1]  # Carmen and Tom: family under stress
    user = FakeUser(api, 6000 + LANGUAGES.index(lang), language_code=lang)
    result = await bot.consult(user, case["answers"], lang)
    title = bot.core.renderer.message_id(bot.core.kb.profiles["family_stress"].title, lang)
    assert title.lstrip(RLM) in result.text
    assert "112" in result.text and "0800-2000" in result.text
    if lang == "ar":
        assert all(line.startswith(RLM) for line in result.text.split("\n") if line)
    commands = api.commands[("default", lang)]
    if lang != "nl":
        dutch = api.commands[("default", "nl")]
        assert [c["description"] for c in commands] != [c["description"] for c in dutch]


async def test_language_switch_with_taal(bot: BotUnderTest, api: FakeBotApi) -> None:
    user = FakeUser(api, 6100, language_code="nl")
    await user.send("/start")
    await user.reply()
    await user.send("/taal")
    prompt = await user.reply()
    assert {"Nederlands", "English", "Türkçe", "العربية", "Polski", "Українська"} <= set(prompt.labels)
    clicked = await user.click("Polski")
    assert clicked.answer is not None
    assert clicked.answer["text"] == bot.core.renderer.message(texts.LANGUAGE_SET, "pl")
    assert clicked.screen is not None and clicked.screen.edited  # the picker gives way
    question = bot.core.renderer.message_id(bot.core.dialog.node("safety").text or "", "pl")
    assert question and question in clicked.screen.text
    await user.send("/taal en")  # or directly, with the code
    assert (await user.reply()).text == bot.core.renderer.message(texts.LANGUAGE_SET, "en")
    question = bot.core.renderer.message_id(bot.core.dialog.node("safety").text or "", "en")
    assert question and question in (await user.reply()).text


async def test_lookup_by_typing_on_telegram(bot: BotUnderTest, api: FakeBotApi) -> None:
    user = FakeUser(api, 6200)
    await user.send("/zoek")
    menu = await user.reply()
    assert "Opzoeken" in menu.text
    await user.send("huisverbot")  # misspelled on purpose
    results = await user.reply()
    assert "huisverbot" not in results.text
    titles = [label for label in results.labels]
    assert any("huisverbod" in t.lower() for t in titles)
    card = await user.click(next(t for t in titles if "huisverbod" in t.lower()))
    assert card.screen is not None
    assert "Bron: " in card.screen.text
    await user.send("Mevrouw Jansen, Dorpsstraat 4, AWARE")
    warned = await user.reply()
    assert "Typ liever geen namen" in warned.text and "Jansen" not in warned.text


async def test_learning_on_telegram(bot: BotUnderTest, api: FakeBotApi) -> None:
    user = FakeUser(api, 6300)
    await user.send("/leer")
    intro = await user.reply()
    assert "Leren" in intro.text
    screen = (await user.click(bot.data_for(intro, user, act.LEARN("path")))).screen
    answered = 0
    for _ in range(12):  # read, answer with the first choice, read the feedback, go on
        assert screen is not None
        actions = [a for row in bot.keyboard(user, screen) for a, _ in row]
        choice = next((a for a in actions if act.CHOICE.arg(a) is not None), None)
        action = choice or act.NEXT
        if action not in actions:
            break
        clicked = await user.click(bot.data_for(screen, user, action))
        screen = clicked.screen
        if choice is not None:
            answered += 1
            assert screen is not None and ("✅" in screen.text or "❌" in screen.text)
    assert answered >= 2
