"""Deep links and resume codes through the real Telegram wiring against the fake Bot API.

Telegram delivers t.me/<bot>?start=X as the message "/start X".
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.assess.code import Snapshot
from bot.ui import actions as act
from bot.ui import texts
from bot.ui.chat import CODE_QUESTION
from fakebot.client import FakeUser, Screen
from fakebot.server import FakeBotApi
from tests.auxil.tg import BotUnderTest
from tests.conftest import public_cases

CASES = {c["id"]: c for c in public_cases()}


def case_snapshot(case: str, score: int | None = 6) -> Snapshot:
    norm = {True: "yes", False: "no", None: "unknown"}
    return Snapshot({k: norm.get(v, v) for k, v in CASES[case]["answers"].items()}, score)


def say(bot: BotUnderTest, msg: Any) -> str:
    """A message (or a Dutch text of the data) as the Dutch user sees it."""
    if isinstance(msg, str):
        return bot.core.renderer.message_id(msg, "nl")
    return bot.core.renderer.message(msg, "nl")


async def result_after(bot: BotUnderTest, user: FakeUser) -> tuple[Screen, Screen]:
    """The restored notice and the result card that follows it."""
    first = await user.reply()
    return first, await bot.screen_after(user, None)


@pytest.mark.parametrize(("link", "expected"), [
    ("nood", "Acuut gevaar, wat nu?"), ("zoek", "Opzoeken"), ("leer", "Leren"),
    ("vervolg", "Vervolggesprek"), ("NOOD", "Acuut gevaar, wat nu?"),
])
async def test_each_place_link_opens_its_place(bot: BotUnderTest, api: FakeBotApi, link: str,
                                               expected: str) -> None:
    user = FakeUser(api, 7100 + hash(link) % 50)
    await user.send(f"/start {link}")
    screen = await bot.screen_after(user, await user.reply())
    assert expected in screen.text
    if link.lower() == "nood":
        assert "112" in screen.text and "0800-2000" in screen.text


async def test_a_code_link_opens_the_result_and_back_reaches_the_questions(
        bot: BotUnderTest, api: FakeBotApi) -> None:
    code = bot.core.codes.encode(case_snapshot("nadia_hamza"))
    user = FakeUser(api, 7200)
    await user.send(f"/start {code}")
    note, result = await result_after(bot, user)
    assert "De antwoorden uit je code staan weer klaar" in note.text
    assert code not in note.text  # what was typed is not shown back
    assert "🧭 Uitkomst" in result.text and "Intieme terreur" in result.text
    assert "Zorg- en Veiligheidshuis" in result.text  # regie: the same as the assessment
    back = await user.click(bot.data_for(result, user, act.BACK))
    assert back.screen is not None
    question = say(bot, bot.core.dialog.node("safety_score").text)
    assert question in back.screen.text  # the last question, one tap away
    again = await user.click(bot.data_for(back.screen, user, act.SCALE(6)))
    assert again.screen is not None and "🧭 Uitkomst" in again.screen.text


async def test_a_code_typed_in_lower_case_with_spaces_also_opens(bot: BotUnderTest,
                                                                 api: FakeBotApi) -> None:
    code = bot.core.codes.encode(case_snapshot("carmen_tom"))
    user = FakeUser(api, 7201)
    spaced = " ".join(code.lower()[i:i + 5] for i in range(0, len(code), 5))
    await user.send(spaced)  # pasted as text, no conversation yet
    _, result = await result_after(bot, user)
    assert "Gezin in de stress" in result.text


async def test_a_mistyped_code_link_says_so_and_starts_normally(bot: BotUnderTest,
                                                                api: FakeBotApi) -> None:
    code = bot.core.codes.encode(case_snapshot("carmen_tom"))
    wrong = code[:7] + ("Q" if code[7] != "Q" else "R") + code[8:]
    user = FakeUser(api, 7202)
    await user.send(f"/start {wrong}")
    note = await user.reply()
    assert note.text == say(bot, texts.CODE_ERRORS["checksum"])
    start = await bot.screen_after(user, None)
    assert say(bot, bot.core.dialog.node("safety").text) in start.text


async def test_an_unknown_link_says_so_and_starts_normally(bot: BotUnderTest,
                                                           api: FakeBotApi) -> None:
    user = FakeUser(api, 7203)
    await user.send("/start promo2024")
    note = await user.reply()
    assert note.text == say(bot, texts.UNKNOWN_LINK)
    assert "promo2024" not in note.text
    start = await bot.screen_after(user, None)
    assert say(bot, bot.core.dialog.node("safety").text) in start.text


async def test_a_code_pasted_during_a_lookup_restores_and_other_text_keeps_todays_answer(
        bot: BotUnderTest, api: FakeBotApi) -> None:
    user = FakeUser(api, 7204)
    await user.send("/start")
    await user.reply()
    await user.send("/leer")  # learning takes no text: a pointer to the buttons
    await user.reply()
    await user.send("Jansen woont op nummer 12")
    pointer = await user.reply()
    assert pointer.text == say(bot, texts.USE_BUTTONS) and "Jansen" not in pointer.text
    await user.send("/zoek")
    await user.reply()
    code = bot.core.codes.encode(case_snapshot("astrid_peter"))
    await user.send(code)
    _, result = await result_after(bot, user)
    assert "Complexe scheiding" in result.text
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    await user.send(wrong)  # a mistyped code gets the code note, then the screen again
    note = await user.reply()
    assert note.text == say(bot, texts.CODE_ERRORS["checksum"]) and wrong not in note.text


async def test_the_result_offers_the_code_and_the_follow_up(bot: BotUnderTest,
                                                            api: FakeBotApi) -> None:
    user = FakeUser(api, 7205)
    result = await bot.consult(user, CASES["yasmina_amir"]["answers"])
    opened = await user.click(bot.data_for(result, user, act.OPEN("code")))
    assert opened.screen is not None
    s = bot.core.sessions.get(str(user.chat_id))
    assert s is not None
    snap = bot.core.consultation.snapshot(s)
    assert snap is not None
    code = bot.core.codes.encode(snap)
    assert code in opened.screen.text
    sent = [c for c in api.calls if c.method in ("sendMessage", "editMessageText")
            and code in str(c.params.get("text"))]
    assert sent and f"<code>{code}</code>" in str(sent[-1].params["text"])  # tap to copy
    follow = await user.click(bot.data_for(opened.screen, user, act.MODE("followup")))
    assert follow.screen is not None and "Vervolggesprek" in follow.screen.text
    assert "Je vergelijkt met de eerdere antwoorden" in follow.screen.text


async def test_a_code_copied_from_a_right_to_left_chat_opens_again(bot: BotUnderTest,
                                                                  api: FakeBotApi) -> None:
    """In Arabic the code is isolated from the text around it; what a tap on it copies (the
    isolation marks included) opens it again."""
    code = bot.core.codes.encode(case_snapshot("richard_ramona"))
    user = FakeUser(api, 7206, language_code="ar")
    await user.send(f"/start {code}")
    _, result = await result_after(bot, user)
    opened = await user.click(bot.data_for(result, user, act.OPEN("code")))
    assert opened.screen is not None
    html = next(str(c.params["text"]) for c in reversed(api.calls)
                if c.method in ("sendMessage", "editMessageText") and "<code>" in str(c.params.get("text")))
    copied = html.split("<code>", 1)[1].split("</code>", 1)[0]
    assert copied != code and code in copied  # the marks are there
    await user.send(copied)  # over answers already there: it asks first
    asked = await bot.screen_after(user, await user.reply())
    question = bot.core.renderer.message(CODE_QUESTION, "ar")
    assert question.lstrip("\u200f")[:20] in asked.text and copied not in asked.text
    confirmed = await user.click(bot.data_for(asked, user, act.CONFIRM))
    assert confirmed.screen is not None
    again = await bot.screen_after(user, None)
    title = bot.core.renderer.message_id(bot.core.kb.profiles["long_term_care"].title, "ar")
    assert title.lstrip("\u200f") in again.text
