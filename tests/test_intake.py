"""The intake: unreadable updates skipped without content, a bounded and fair queue,
/nood first, and a stop with a deadline (issue 13 items 1 and 4)."""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from typing import Any

import pytest
from telegram import Bot, Update

from bot.logs import FORMAT, SafeFormatter, apply_levels
from bot.ops.metrics import METRICS, SHED, UNPARSABLE
from bot.telegram.intake import (
    Intake,
    Item,
    Unreadable,
    UpdateQueue,
    check_update,
    facts_of,
    parse_update,
)

BOT = Bot("123456789:AAFakeTokenForTests-0123456789abcdef")
MARKER = "PRIVmarker4711"


def message(update_id: int, chat: int, text: str = "/start", **extra: Any) -> dict[str, Any]:
    msg: dict[str, Any] = {"message_id": update_id, "date": 1_700_000_000, "text": text,
                           "chat": {"id": chat, "type": "private", "first_name": MARKER},
                           "from": {"id": chat, "is_bot": False, "first_name": MARKER,
                                    "language_code": "nl"}}
    msg.update(extra)
    return {"update_id": update_id, "message": msg}


def broken(update_id: int, how: str) -> dict[str, Any]:
    raw = message(update_id, 77, f"{MARKER} typed this")
    if how == "no date":
        del raw["message"]["date"]
    elif how == "string date":
        raw["message"]["date"] = "yesterday"
    elif how == "no chat type":
        del raw["message"]["chat"]["type"]
    elif how == "chat not an object":
        raw["message"]["chat"] = MARKER
    elif how == "no update_id":
        del raw["update_id"]
    elif how == "query without from":
        raw = {"update_id": update_id, "callback_query": {"id": "1", "data": MARKER}}
    return raw


def upd(update_id: int, chat: int, text: str = "/start", urgent: bool = False) -> Item:
    raw = message(update_id, chat, text)
    return Item(raw, facts_of(raw), urgent, time.monotonic())


@pytest.mark.parametrize("how", ["no date", "string date", "no chat type", "chat not an object",
                                 "no update_id", "query without from"])
def test_an_unreadable_update_is_skipped_counted_and_logged_without_content(
        how: str, caplog: pytest.LogCaptureFixture) -> None:
    apply_levels(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    before = METRICS.value("beschermwijzer_updates_total", {"outcome": UNPARSABLE})
    try:
        assert parse_update(broken(5, how), BOT) is None
    finally:
        apply_levels(logging.WARNING)
    assert METRICS.value("beschermwijzer_updates_total", {"outcome": UNPARSABLE}) == before + 1
    lines = [SafeFormatter(FORMAT).format(r) for r in caplog.records]
    assert any("unreadable update" in line for line in lines)
    assert not any(MARKER in line or MARKER in r.getMessage() for line, r in zip(lines, caplog.records,
                                                                                strict=True))


def test_wrong_types_in_optional_fields_are_dropped_not_fatal() -> None:
    raw = message(6, 78)
    raw["message"]["from"]["language_code"] = 31
    raw["message"]["text"] = {"not": "text"}
    repaired = check_update(copy.deepcopy(raw))
    assert repaired == 2
    update = parse_update(raw, BOT)
    assert update is not None and update.effective_user is not None
    assert update.effective_user.language_code is None
    assert update.effective_message is not None and update.effective_message.text is None


def test_a_press_on_an_inaccessible_message_is_readable() -> None:
    raw = {"update_id": 9, "callback_query": {
        "id": "5", "from": {"id": 3, "is_bot": False, "first_name": "x"}, "data": "d",
        "message": {"message_id": 1, "date": 0, "chat": {"id": 3, "type": "private"}}}}
    assert check_update(raw) == 0
    with pytest.raises(Unreadable):
        check_update({"update_id": 9, "callback_query": {"id": 5}})


def test_a_batch_with_a_bad_update_moves_the_offset_and_serves_the_rest() -> None:
    queue = UpdateQueue()
    intake = Intake(BOT, lambda u: None, queue)
    batch: list[object] = [message(10, 1), broken(11, "no date"), "not even an object",
                           message(12, 2)]
    assert intake.accept_batch(batch, 0) == 13
    assert len(queue) == 2


def test_the_queue_is_round_robin_between_chats_and_one_at_a_time_per_chat() -> None:
    queue = UpdateQueue(max_size=100, per_chat=5)
    for i in range(5):
        queue.put(upd(100 + i, 1))  # a heavy user
    queue.put(upd(200, 2))  # a calm user, after all of them
    first = queue._take()
    assert first is not None and first.key == 1
    assert queue._take() is not None and True  # chat 2 goes next: chat 1 is in progress
    assert queue._take() is None  # both chats busy: nothing to hand out
    queue.done(first)
    again = queue._take()
    assert again is not None and again.facts.update_id == 101, "a chat's updates keep their order"


def test_the_calm_user_waits_for_one_round_not_for_every_heavy_update() -> None:
    queue = UpdateQueue(max_size=1000, per_chat=5)
    for round_ in range(5):
        for chat in range(30):
            queue.put(upd(round_ * 100 + chat, 1000 + chat))
    queue.put(upd(9999, 42))
    order: list[int] = []
    while len(queue):
        item = queue._take()
        assert item is not None
        order.append(item.facts.update_id)
        queue.done(item)
    assert order.index(9999) <= 30


def test_the_queue_is_bounded_and_sheds_the_longest_waiting() -> None:
    shed_before = METRICS.value("beschermwijzer_updates_total", {"outcome": SHED})
    queue = UpdateQueue(max_size=50, per_chat=3)
    for i in range(1000):
        queue.put(upd(i, 10_000 + i))  # a flood of distinct chats
    assert len(queue) == 50
    for i in range(10):
        queue.put(upd(5000 + i, 7))  # one chat tapping on: only its newest 3 wait
    kept = [queued.facts.update_id for queued in queue._chats[7]]
    assert kept == [5007, 5008, 5009]
    assert METRICS.value("beschermwijzer_updates_total", {"outcome": SHED}) - shed_before == 960
    remaining = []
    while (item := queue._take()) is not None:
        remaining.append(item.facts.update_id)
        queue.done(item)
    assert 999 in remaining and 0 not in remaining, "the newest arrivals are the ones kept"


def test_urgent_updates_go_first_once_per_chat() -> None:
    queue = UpdateQueue(max_size=500)
    for i in range(300):
        queue.put(upd(i, 20_000 + i))
    queue.put(upd(900, 5, "/nood", urgent=True))
    queue.put(upd(901, 5, "/nood", urgent=True))  # doubled: one acute screen is enough
    first = queue._take()
    assert first is not None and first.facts.update_id == 900
    queue.done(first)
    second = queue._take()
    assert second is not None and second.facts.update_id == 0


async def test_stop_serves_until_the_deadline_then_counts_the_rest() -> None:
    handled: list[int] = []

    async def process(update: Update) -> None:
        await asyncio.sleep(0.05)
        handled.append(update.update_id)

    queue = UpdateQueue(max_size=1000, per_chat=5)
    intake = Intake(BOT, process, queue, workers=2)
    intake.start()
    for i in range(200):
        intake.accept(message(i, 30_000 + i))
    before = METRICS.value("beschermwijzer_updates_total", {"outcome": "dropped_at_stop"})
    dropped = await intake.stop(time.monotonic() + 0.3)
    assert 0 < len(handled) < 200
    assert dropped + len(handled) == 200
    after = METRICS.value("beschermwijzer_updates_total", {"outcome": "dropped_at_stop"})
    assert after - before == dropped
    assert not intake.alive


def test_facts_come_from_the_json_without_parsing_it_all() -> None:
    raw = message(70, 71, "/NOOD@fake_test_bot nu")
    facts = facts_of(raw)
    assert (facts.chat_id, facts.chat_type, facts.user_id, facts.command) == (71, "private", 71,
                                                                              "/NOOD@fake_test_bot")
    press = {"update_id": 72, "callback_query": {"id": "9", "data": "a|1|b|c",
                                                  "from": {"id": 73, "is_bot": False, "first_name": "x"}}}
    assert facts_of(press).key == ("user", 73) and facts_of(press).data == "a|1|b|c"
    edited = {"update_id": 74, "edited_message": message(74, 75, "/nood")["message"]}
    assert facts_of(edited).command is None, "an edit is not a new command"


def test_a_text_of_the_wrong_type_takes_its_entities_along() -> None:
    """Found by the fuzz: a command's entities without its text reached the command layer."""
    raw = message(80, 81, "/start", entities=[{"type": "bot_command", "offset": 0, "length": 6}])
    raw["message"]["text"] = ["/start"]
    update = parse_update(raw, BOT)
    assert update is not None and update.effective_message is not None
    assert update.effective_message.text is None and not update.effective_message.entities
