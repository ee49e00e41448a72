"""Health and metrics (issue 17): /healthz tells a supervisor the truth, /metrics counts
without any chat in it."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bot.core import Core
from bot.ops.metrics import METRICS, Metrics
from tests.auxil.tg import BotUnderTest, running_bot
from tests.conftest import public_cases
from tests.fakebot.client import FakeUser
from tests.fakebot.server import FakeBotApi

NAMES = ("beschermwijzer_updates_total", "beschermwijzer_sessions", "beschermwijzer_update_seconds_bucket",
         "beschermwijzer_botapi_errors_total", "beschermwijzer_botapi_retries_total",
         "beschermwijzer_flood_events_total", "beschermwijzer_results_total",
         "beschermwijzer_queue_depth")


async def get(port: int, path: str) -> httpx.Response:
    async with httpx.AsyncClient(trust_env=False, timeout=5) as client:
        return await client.get(f"http://127.0.0.1:{port}{path}")


async def test_health_and_metrics_while_serving(api: FakeBotApi, core: Core,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    handled = METRICS.value("beschermwijzer_updates_total", {"outcome": "handled"})
    async with running_bot(api, core, metrics_port=0, flood_max_updates=2,
                           flood_window_seconds=60) as bot:
        port = bot.service.metrics_port
        assert port is not None
        health = await get(port, "/healthz")
        assert health.status_code == 200, health.text
        user = FakeUser(api, 987654321)
        await user.send("/start")
        await user.reply()
        api.inject("sendMessage", status=502)
        await user.send("/help")
        await user.reply()
        await user.send("/help")  # over the flood limit of 2: one notice
        await user.reply()
        await bot.service.intake.idle()
        text = (await get(port, "/metrics")).text
        for name in NAMES:
            assert name in text, name
        assert "987654321" not in text, "never per chat"
        assert METRICS.value("beschermwijzer_updates_total", {"outcome": "handled"}) >= handled + 3
        assert METRICS.value("beschermwijzer_sessions") == len(core.sessions) == 1
        assert METRICS.value("beschermwijzer_botapi_errors_total",
                             {"method": "sendMessage", "status": "502"}) >= 1
        assert METRICS.value("beschermwijzer_botapi_retries_total",
                             {"method": "sendMessage", "status": "502"}) >= 1
        assert METRICS.value("beschermwijzer_flood_events_total", {"verdict": "notify"}) >= 1
        # no successful Bot API call for over a minute: unhealthy
        monkeypatch.setattr(METRICS, "last_api_success", METRICS.clock() - 61)
        api.outage("getUpdates", 30)
        assert (await get(port, "/healthz")).status_code == 503
        assert (await get(port, "/nothing")).status_code == 404
    assert not METRICS.loop_alive()


async def test_every_result_card_reached_is_counted_by_profile_and_phase(bot: BotUnderTest,
                                                                         api: FakeBotApi) -> None:
    case = public_cases()[0]
    results = {"profile": case["expect"]["primary_in"][0], "phase": case["expect"]["phase"]}
    before = METRICS.value("beschermwijzer_results_total", results)
    await bot.consult(FakeUser(api, 987654322), case["answers"])
    assert METRICS.value("beschermwijzer_results_total", results) == before + 1
    assert "987654322" not in METRICS.exposition().decode()


def test_health_needs_a_live_loop_and_a_recent_bot_api_call() -> None:
    now = [1000.0]
    metrics = Metrics(clock=lambda: now[0])
    assert metrics.healthy() == (False, "update loop not running")
    metrics.loop_alive = lambda: True
    assert metrics.healthy()[0] is False  # no Bot API call yet
    metrics.api_ok()
    assert metrics.healthy() == (True, "ok")
    now[0] += 59
    assert metrics.healthy()[0] is True
    now[0] += 2
    assert metrics.healthy()[0] is False


async def test_metrics_are_off_without_a_port(api: FakeBotApi, core: Core) -> None:
    async with running_bot(api, core) as bot:
        assert bot.service.metrics_http is None
        await asyncio.sleep(0)
