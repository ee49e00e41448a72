"""The rate limiter on a simulated clock: Telegram's limits per chat and overall, 429s
that stop one chat only, and retries within a budget (issue 13 items 3 and 8)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.telegram.ratelimit import ChatRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def limiter(clock: Clock, **options: Any) -> ChatRateLimiter:
    return ChatRateLimiter(clock=clock, sleep=clock.sleep, rng=lambda: 1.0, **options)


async def send(rl: ChatRateLimiter, chat: int | None, result: Any = True,
               endpoint: str = "sendMessage") -> Any:
    async def call(*args: Any, **kwargs: Any) -> Any:
        if isinstance(result, BaseException):
            raise result
        if callable(result):
            return result()
        return result

    data = {"chat_id": chat} if chat is not None else {}
    return await rl.process_request(call, (), {}, endpoint, data, None)


async def test_one_chat_gets_a_burst_then_one_message_a_second() -> None:
    clock = Clock()
    rl = limiter(clock, chat_burst=5, chat_per_second=1.0, overall_per_second=1000)
    times = []
    for _ in range(8):
        await send(rl, 1)
        times.append(round(clock.now, 3))
    assert times[:5] == [0.0, 0.001, 0.002, 0.003, 0.004]
    assert times[5:] == pytest.approx([1.0, 2.0, 3.0], abs=0.01)


async def test_overall_pace_is_29_a_second_across_chats() -> None:
    clock = Clock()
    rl = limiter(clock)
    for chat in range(59):
        await send(rl, chat)
    assert clock.now == pytest.approx(58 / 29)


async def test_a_429_for_one_chat_leaves_the_others_alone() -> None:
    clock = Clock()
    rl = limiter(clock, overall_per_second=1000)
    calls = {"n": 0}

    def first_fails() -> bool:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RetryAfter(timedelta(seconds=20))
        return True

    # chat 1 is told to wait 20 s; its request is sent again only after that
    assert await send(rl, 1, first_fails) is True
    assert clock.now == pytest.approx(20, abs=0.01)
    assert calls["n"] == 2
    # meanwhile chat 2 was never held up: a fresh limiter shows it directly
    clock2 = Clock()
    rl2 = limiter(clock2, overall_per_second=1000)
    with pytest.raises(RetryAfter):
        await send(rl2, 1, RetryAfter(timedelta(seconds=120)))
    assert clock2.now == 0, "a wait beyond the budget is not waited for"
    await send(rl2, 2)
    assert clock2.now < 0.01
    with pytest.raises(RetryAfter):
        await send(rl2, 1)  # still blocked: fails at once, without calling the Bot API
    assert clock2.now < 0.01


async def test_a_429_without_a_chat_holds_everyone() -> None:
    clock = Clock()
    rl = limiter(clock, overall_per_second=1000)
    with pytest.raises(RetryAfter):
        await send(rl, None, RetryAfter(timedelta(seconds=100)), endpoint="answerCallbackQuery")
    with pytest.raises(RetryAfter):
        await send(rl, 5)


async def test_transient_failures_are_retried_with_backoff_within_the_budget() -> None:
    clock = Clock()
    rl = limiter(clock, retry_budget=30.0, backoff=0.5, max_backoff=4.0)
    failures = {"left": 4}

    def flaky() -> bool:
        if failures["left"]:
            failures["left"] -= 1
            raise TimedOut("no answer")
        return True

    assert await send(rl, 1, flaky) is True
    assert clock.slept == [0.5, 1.0, 2.0, 4.0]
    clock = Clock()
    rl = limiter(clock, retry_budget=30.0, backoff=0.5, max_backoff=4.0)
    with pytest.raises(NetworkError):
        await send(rl, 1, NetworkError("Bad Gateway"))
    assert 20 <= clock.now <= 30, "retried for tens of seconds, not 1.6 s"


async def test_a_bad_request_is_never_retried() -> None:
    clock = Clock()
    rl = limiter(clock)
    with pytest.raises(BadRequest):
        await send(rl, 1, BadRequest("message is too long"))
    assert clock.slept == []
