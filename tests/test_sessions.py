"""Bounded sessions at a constant cost per update (issue 17): the cap forgets the
longest-idle session, the sweep only touches expired ones, attaching and detaching a model
never walks the other models. Timings belong in benchmarks/sessions.py; these are the
properties that make them flat."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core import Core, build_core
from bot.kb import Knowledge
from bot.telegram.settings import SettingsError, TelegramSettings
from bot.ui import actions as act
from bot.ui import texts
from bot.ui.machine import ModelRegistry
from bot.ui.session import DEFAULT_MAX_SESSIONS, Session, SessionStore
from fakebot.client import FakeUser
from fakebot.server import FakeBotApi
from tests.auxil.tg import running_bot


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def keys(store: SessionStore) -> list[str]:
    return [s.key for s in store]


def capped(kb: Knowledge, cap: int) -> tuple[Core, Clock]:
    core = build_core(kb, ttl_seconds=60, max_sessions=cap)
    clock = Clock()
    core.sessions.clock = clock
    return core, clock


# --- least recently used order -----------------------------------------------------------------
def test_sessions_are_kept_least_recently_used_first() -> None:
    clock = Clock()
    store = SessionStore(60, clock=clock)
    for key in "abcd":
        clock.now += 1
        store.open(key, "nl")
    assert keys(store) == ["a", "b", "c", "d"]
    clock.now += 1
    assert store.get("b") is not None  # a tap moves the chat to the end
    assert keys(store) == ["a", "c", "d", "b"]
    clock.now += 1
    store.open("a", "nl")  # a fresh session for a chat is the most recent one
    assert keys(store) == ["c", "d", "b", "a"]
    assert store.get("unknown") is None
    assert keys(store) == ["c", "d", "b", "a"]
    touched = [s.touched for s in store]
    assert touched == sorted(touched)  # the order is the order of last use


# --- the cap -----------------------------------------------------------------------------------
def test_the_cap_forgets_the_longest_idle_session_and_detaches_its_models(kb: Knowledge) -> None:
    core, clock = capped(kb, 3)
    for key in ("a", "b", "c"):
        clock.now += 1
        core.chat.command(key, "start")
    clock.now += 1
    core.chat.command("b", "zoek")  # b now also has a lookup model, and is the most recent
    assert keys(core.sessions) == ["a", "c", "b"]
    assert core.machine.model_count == 3 and core.lookup.machine.model_count == 1
    clock.now += 1
    core.chat.command("d", "start")  # the fourth: a, idle longest, is forgotten
    assert keys(core.sessions) == ["c", "b", "d"]
    assert core.sessions.evicted == 1
    assert core.sessions.get("a") is None
    assert core.machine.model_count == 3  # a's consultation model left the machine
    for key in ("e", "f"):
        clock.now += 1
        core.chat.command(key, "start")
    assert keys(core.sessions) == ["d", "e", "f"]
    assert len(core.sessions) == 3 == core.machine.model_count
    assert core.lookup.machine.model_count == 0  # b's lookup model went with b


def test_a_forgotten_user_is_told_the_conversation_expired(kb: Knowledge) -> None:
    core, clock = capped(kb, 2)
    first = core.chat.command("a", "start")
    s = first.session
    assert s is not None
    pressed = core.chat.press("a", s.sid, s.step, act.NO)
    assert pressed.toast is None and pressed.screens  # a live session answers
    for key in ("b", "c"):
        clock.now += 1
        core.chat.command(key, "start")
    late = core.chat.press("a", s.sid, s.step, act.NO)
    assert late.toast == texts.EXPIRED and late.alert and not late.screens
    typed = core.chat.text("a", "hallo")
    assert typed.screens[0].lines[0].parts == (texts.EXPIRED,)
    again = core.chat.command("a", "start")  # /start simply begins again
    assert again.session is not None and again.session.sid != s.sid


def test_the_default_cap_is_sized_for_a_region(kb: Knowledge) -> None:
    assert DEFAULT_MAX_SESSIONS == 50_000
    assert build_core(kb).sessions.max_sessions == DEFAULT_MAX_SESSIONS
    with pytest.raises(ValueError):
        SessionStore(60, max_sessions=0)


def test_the_cap_is_read_from_the_environment() -> None:
    env = {"TELEGRAM_BOT_TOKEN": "1:x"}
    assert TelegramSettings.from_env(env).max_sessions == 50_000
    assert TelegramSettings.from_env({**env, "BESCHERMWIJZER_MAX_SESSIONS": "1200"}).max_sessions \
        == 1200
    for bad in ("0", "-5", "2.5", "many"):
        with pytest.raises(SettingsError, match="BESCHERMWIJZER_MAX_SESSIONS"):
            TelegramSettings.from_env({**env, "BESCHERMWIJZER_MAX_SESSIONS": bad})


async def test_the_cap_through_telegram(api: FakeBotApi, kb: Knowledge) -> None:
    """The real wiring with BESCHERMWIJZER_MAX_SESSIONS=2: the first user, pushed out by two
    others, gets 'expired' on their next tap and can start again."""
    core = build_core(kb)
    async with running_bot(api, core, flood_max_updates=10_000, max_sessions=2) as bot:
        assert core.sessions.max_sessions == 2
        first, second, third = (FakeUser(api, chat) for chat in (501, 502, 503))
        await first.send("/start")
        screen = await first.reply()
        no = bot.data_for(screen, first, act.NO)
        for other in (second, third):
            await other.send("/start")
            await other.reply()
        assert core.sessions.get("501") is None and len(core.sessions) == 2
        pressed = api.press(501, screen.message_id, no, user=first.user)
        answer = await api.wait_for(
            lambda c: c.method == "answerCallbackQuery"
            and c.params.get("callback_query_id") == pressed["callback_query"]["id"])
        assert answer.params["text"] == core.renderer.message(texts.EXPIRED, "nl")
        assert answer.params.get("show_alert") is True
        await first.send("/start")
        fresh = await first.reply()
        assert fresh.buttons and fresh.message_id != screen.message_id  # a new first question
        assert core.sessions.get("501") is not None and len(core.sessions) == 2
        assert core.machine.model_count == 2


# --- the sweep ---------------------------------------------------------------------------------
def test_the_sweep_touches_only_expired_sessions(kb: Knowledge) -> None:
    core, clock = capped(kb, 10_000)
    for i in range(30):
        core.chat.command(f"old{i}", "start")
    clock.now = 50.0
    for i in range(2_000):
        core.chat.command(f"live{i}", "start")
    live: list[Session] = list(core.sessions)[30:]
    clock.now = 100.0  # the first 30 are idle for 100 s (> 60), the others for 50 s
    # Every live session after the first is made unreadable: if the sweep looked at any of
    # them it would fail. It must stop at the first one still in use.
    for s in live[1:]:
        s.touched = None  # type: ignore[assignment]
    assert core.sessions.sweep() == 30
    assert len(core.sessions) == 2_000 == core.machine.model_count
    assert core.sessions.sweep() == 0
    for s in live[1:]:
        s.touched = 50.0


def test_the_sweep_takes_a_bounded_step(kb: Knowledge) -> None:
    core, clock = capped(kb, 1_000)
    for i in range(250):
        clock.now = i / 1000
        core.chat.command(f"c{i}", "start")
    clock.now = 1_000.0
    assert core.sessions.sweep(budget=100) == 100
    assert keys(core.sessions)[0] == "c100"  # the oldest went first
    assert core.sessions.sweep(budget=100) == 100
    assert core.sessions.sweep(budget=100) == 50
    assert len(core.sessions) == 0 == core.machine.model_count


# --- constant cost as a property -----------------------------------------------------------------
class NoWalking(ModelRegistry):
    """A model registry that fails the test when anything walks it."""

    walked = 0

    def __iter__(self) -> Any:
        NoWalking.walked += 1
        raise AssertionError("the model registry was walked")

    def __getitem__(self, index: int) -> Any:
        NoWalking.walked += 1
        raise AssertionError("the model registry was indexed")


def test_attaching_and_detaching_never_walk_the_other_models(kb: Knowledge) -> None:
    core, clock = capped(kb, 50)
    machines = [core.machine, core.lookup.machine, core.learning.machine, core.meldcode.machine]
    for shared in machines:
        assert isinstance(shared.machine.models, ModelRegistry)
        assert not isinstance(shared.machine.models, list)
        shared.machine.models = NoWalking()
    for i in range(120):  # past the cap: every open also pushes one out
        clock.now += 1
        key = f"chat{i}"
        core.chat.command(key, "start")
        core.chat.command(key, ("zoek", "leer", "start")[i % 3])
        if i % 7 == 0:
            core.chat.command(key, "wis")
    clock.now += 1_000
    core.sessions.sweep()
    assert NoWalking.walked == 0
    assert all(shared.model_count == 0 for shared in machines)


def test_the_registry_behaves_like_the_list_transitions_expects() -> None:
    registry = ModelRegistry()
    with pytest.raises(IndexError):
        registry[0]
    a, b, c = object(), object(), object()
    for m in (a, b, c):
        registry.append(m)
    assert len(registry) == 3 and b in registry
    assert registry[0] is a and registry[-1] is c and registry[1] is b
    registry.remove(b)
    assert list(registry) == [a, c] and b not in registry
