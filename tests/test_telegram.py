"""The Telegram front-end end to end: the real wiring, over HTTP, against a fake Bot API."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from bot.core import Core
from bot.telegram.sender import split_text
from bot.ui import actions as act
from bot.ui import texts
from fakebot.client import FakeUser
from fakebot.server import FakeBotApi
from tests.auxil.autopilot import choose
from tests.auxil.cases import mismatches
from tests.auxil.tg import BotUnderTest, running_bot
from tests.conftest import public_cases

CASES = public_cases()
CHAT = 4242


@pytest.fixture
def user(api: FakeBotApi) -> FakeUser:
    return FakeUser(api, CHAT)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
async def test_public_case_through_telegram(bot: BotUnderTest, user: FakeUser,
                                            case: dict[str, Any]) -> None:
    result = await bot.consult(user, case["answers"])
    profile = bot.core.kb.profiles[case["expect"]["primary_in"][0]]
    assert f"Op de voorgrond: {profile.title}" in result.text
    if "regie" in case["expect"]:
        regie = bot.core.kb.partners[case["expect"]["regie"]].title
        assert f"Regie: {regie}" in result.text
    session = bot.core.sessions.get(str(CHAT))
    assert session is not None
    assert mismatches(bot.core.consultation.assessment(session).to_json(), case["expect"]) == []
    assert "0800-2000" in result.text and "112" in result.text


async def test_commands_are_registered_per_language(bot: BotUnderTest, api: FakeBotApi) -> None:
    await api.wait_for(lambda c: c.method == "setMyCommands" and "language_code" not in c.params,
                       since=0)
    languages = {lang for (_, lang) in api.commands}
    assert set(bot.core.catalogs.available) <= languages
    names = [c["command"] for c in api.commands[("default", "nl")]]
    assert names == ["start", "nood", "zoek", "leer", "vervolg", "opnieuw", "taal", "wis", "over",
                     "help"]


async def test_nood_from_every_state(bot: BotUnderTest, user: FakeUser) -> None:
    """At every step of a consultation /nood answers with 112 and 0800-2000, then Back returns."""
    wanted = CASES[0]["answers"]
    await user.send("/start")
    screen = await bot.screen_after(user, await user.reply())
    seen: set[str] = set()
    while True:
        node = bot.node_of(screen, "nl", user)
        seen.add(node.id)
        await user.send("/nood")
        acute = await bot.screen_after(user, await user.reply())
        assert "112" in acute.text and "0800-2000" in acute.text
        back = await user.click(bot.data_for(acute, user, act.BACK))
        screen = await bot.screen_after(user, back.screen)
        assert bot.node_of(screen, "nl", user).id == node.id
        action = choose(node, bot.keyboard(user, screen), wanted)
        if action is None:
            break
        screen = await bot.screen_after(user, (await user.click(bot.data_for(screen, user, action))).screen)
    assert len(seen) >= 15


async def test_nood_without_a_conversation(bot: BotUnderTest, user: FakeUser) -> None:
    await user.send("/nood")
    reply = await user.reply()
    assert "112" in reply.text and "0800-2000" in reply.text


async def test_stale_forged_and_double_presses(bot: BotUnderTest, user: FakeUser,
                                               api: FakeBotApi) -> None:
    await user.send("/start")
    first = await user.reply()
    no = bot.data_for(first, user, act.NO)
    moved = await user.click(no)
    assert moved.edited
    # the same button again (a double press, or an old message): answered, nothing changes
    again = api.press(CHAT, first.message_id, no, user=user.user)
    answer = await api.wait_for(lambda c: c.method == "answerCallbackQuery"
                                and c.params.get("callback_query_id") == again["callback_query"]["id"])
    assert answer.params["text"] == bot.core.renderer.message(texts.STALE_BUTTON, "nl")
    # forged data: a valid-looking action without our signature
    forged = api.press(CHAT, first.message_id, "abc|1|y|AAAAAAAAAAAA", user=user.user)
    answer = await api.wait_for(lambda c: c.method == "answerCallbackQuery"
                                and c.params.get("callback_query_id") == forged["callback_query"]["id"])
    assert answer.params["text"] == bot.core.renderer.message(texts.EXPIRED, "nl")
    # a forged action under this keyboard's valid signature (the MAC binds chat, session
    # and step, not the action): refused as not on the screen, nothing changes
    assert moved.screen is not None
    shown = bot.codec.decode(CHAT, moved.screen.buttons[0][0][1])  # the screen on display
    signed = bot.codec.sign(CHAT, shown.sid, shown.step)
    for action in (act.OPEN("approach"), act.SCALE(3), "zz"):
        since = api.mark()
        api.press(CHAT, first.message_id, signed.data(action), user=user.user)
        answer = await api.wait_for(lambda c: c.method == "answerCallbackQuery", since=since)
        assert answer.params["text"] == bot.core.renderer.message(texts.STALE_BUTTON, "nl")
    # another chat replaying this chat's button
    other = FakeUser(api, 777)
    foreign = {**first.message, "chat": {"id": 777, "type": "private", "first_name": "Test"}}
    replay = api.press(777, foreign, no, user=other.user)
    answer = await api.wait_for(lambda c: c.method == "answerCallbackQuery"
                                and c.params.get("callback_query_id") == replay["callback_query"]["id"])
    assert answer.params["text"] == bot.core.renderer.message(texts.EXPIRED, "nl")
    session = bot.core.sessions.get(str(CHAT))
    assert session is not None and bot.core.consultation.model(session).state == "children"


async def test_free_text_points_to_buttons_and_is_not_echoed(bot: BotUnderTest, user: FakeUser,
                                                             api: FakeBotApi) -> None:
    await user.send("/start")
    await user.reply()
    for text in ("Mevrouw Jansen, Dorpsstraat 1", "x" * 4096, "مرحبا كيف حالك", "🙂🙃👍🏽" * 50,
                 "\u202e reversed \u202c", "<b>html</b> & stuff"):
        await user.send(text)
        reply = await user.reply()
        assert reply.text == bot.core.renderer.message(texts.USE_BUTTONS, "nl")
        assert text[:20] not in reply.text
        await user.reply()  # the current screen again, buttons right below
    sent = " ".join(m.get("text", "") for m in api.sent_messages(CHAT))
    assert "Jansen" not in sent and "Dorpsstraat" not in sent


async def test_unknown_command(bot: BotUnderTest, user: FakeUser) -> None:
    await user.send("/bestaatniet")
    reply = await user.reply()
    assert "/help" in reply.text


async def test_group_chat_gets_one_notice_then_silence(bot: BotUnderTest, api: FakeBotApi) -> None:
    group = FakeUser(api, -100123, chat_type="group")
    await group.send("/start")
    notice = await group.reply()
    assert "privégesprek" in notice.text
    await group.send("hallo")
    await group.send("/nood")
    with pytest.raises(TimeoutError):
        await group.reply(timeout=0.7)
    assert len(api.sent_messages(-100123)) == 1


async def test_wis_deletes_state_and_messages(bot: BotUnderTest, user: FakeUser,
                                              api: FakeBotApi) -> None:
    start = await user.send("/start")
    first = await user.reply()
    await user.click(bot.data_for(first, user, act.NO))
    await user.send("vrije tekst")
    await user.reply()
    await user.reply()
    await user.send("/wis")
    reply = await user.reply()
    assert reply.text == bot.core.renderer.message(texts.DELETED, "nl")
    deleted = {mid for chat, mid in api.deleted if chat == CHAT}
    assert first.message_id in deleted
    assert start["message"]["message_id"] in deleted  # the user's own messages too
    remaining = [m for m in api.store.in_chat(CHAT)]
    assert [m["message_id"] for m in remaining] == [reply.message_id]
    assert bot.core.sessions.get(str(CHAT)) is None
    assert bot.core.machine.model_count == 0


async def test_session_expires(api: FakeBotApi, core: Core, user: FakeUser) -> None:
    async with running_bot(api, core, session_minutes=0.5 / 60) as bot:
        await user.send("/start")
        first = await user.reply()
        await asyncio.sleep(0.7)
        pressed = await user.click(bot.data_for(first, user, act.NO), expect_message=False)
        assert pressed.answer is not None
        assert pressed.answer.get("show_alert") in (True, "true")
        assert "/start" in pressed.answer["text"]
        assert core.machine.model_count == 0


@pytest.mark.parametrize("fault", [{"retry_after": 1}, {"status": 502}, {"status": 500},
                                   {"drop": True}])
async def test_reply_survives_a_bad_answer(bot: BotUnderTest, user: FakeUser, api: FakeBotApi,
                                           fault: dict[str, Any]) -> None:
    api.inject("sendMessage", **fault)
    await user.send("/start")
    reply = await user.reply(timeout=8)
    assert "Is er nu iemand in direct gevaar" in reply.text
    failed = [c for c in api.calls if c.method == "sendMessage" and not c.ok]
    assert len(failed) == 1


async def test_language_choice(bot: BotUnderTest, user: FakeUser) -> None:
    await user.send("/taal")
    prompt = await user.reply()
    labels = prompt.labels
    assert "Nederlands" in labels


async def test_over_and_help(bot: BotUnderTest, user: FakeUser) -> None:
    await user.send("/over")
    about = await user.reply()
    assert "geen protocol" in about.text and "112" in about.text
    await user.send("/help")
    assert "/nood" in (await user.reply()).text


async def test_edited_messages_are_ignored(bot: BotUnderTest, user: FakeUser, api: FakeBotApi) -> None:
    await user.send("/start")
    await user.reply()
    update = await user.send("iets")
    await user.reply()
    await user.reply()
    api.edit_text(CHAT, update["message"]["message_id"], "iets anders")
    with pytest.raises(TimeoutError):
        await user.reply(timeout=0.7)


def test_long_texts_split_at_paragraphs() -> None:
    paragraphs = [f"alinea {i} " + "woord " * 150 for i in range(12)]
    chunks = split_text("\n\n".join(paragraphs))
    assert len(chunks) > 1
    assert all(len(c) <= 4096 for c in chunks)
    assert "\n\n".join(chunks) == "\n\n".join(paragraphs)
    huge = split_text("x" * 10_000)
    assert [len(c) for c in huge] == [4096, 4096, 1808]


async def test_callback_data_is_short_and_free_of_personal_data(bot: BotUnderTest, user: FakeUser,
                                                                api: FakeBotApi) -> None:
    await bot.consult(user, CASES[0]["answers"])
    for message in api.sent_messages(CHAT):
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                data = button["callback_data"]
                assert 1 <= len(data.encode()) <= 64
                assert re.fullmatch(r"[A-Za-z0-9_\-]+\|\d+\|[a-z:0-9_]+\|[A-Za-z0-9_\-]+", data)


def test_callback_codec_refuses_any_forgery() -> None:
    from bot.telegram.callback import CallbackCodec, ForgedCallback

    codec = CallbackCodec()
    data = codec.encode(1, "abcdef", 3, act.OPTION("first"))
    assert codec.decode(1, data).action == act.OPTION("first")
    for forged in ("ü|1|y|ü", "x", "|||", data + "x", data.replace("|3|", "|4|"), "a" * 64,
                   "abcdef|3|o:first|" + "é" * 12):
        with pytest.raises(ForgedCallback):
            codec.decode(1, forged)
    with pytest.raises(ForgedCallback):
        codec.decode(2, data)  # another chat
