"""Shared fixtures: the knowledge base is loaded once; each test gets a fresh core."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import yaml

from bot.core import Core, build_core
from bot.kb import Knowledge, load_knowledge
from tests.auxil.tg import BotUnderTest, running_bot
from tests.fakebot.server import FakeBotApi

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_dir() -> Path | None:
    """../shared beside the project, when this checkout has it (CI clones may not)."""
    for candidate in (ROOT.parent / "shared", Path("/work/shared")):
        if (candidate / "domain" / "indicators.yaml").exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    return load_knowledge()


@pytest.fixture
def core(kb: Knowledge) -> Core:
    return build_core(kb)


@pytest_asyncio.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """A fresh fake Bot API on 127.0.0.1 (a free port) for one test."""
    async with FakeBotApi() as server:
        yield server


@pytest_asyncio.fixture
async def bot(api: FakeBotApi, core: Core) -> AsyncIterator[BotUnderTest]:
    """The unmodified bot polling the fake API. Tests tap faster than any person, so
    flood control is lifted here; it has its own tests."""
    async with running_bot(api, core, flood_max_updates=10_000) as running:
        yield running


def public_cases() -> list[dict[str, Any]]:
    """The report's five cases (a vendored copy; test_contract checks it against ../shared)."""
    path = FIXTURES / "public-cases.yaml"
    cases: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    return cases
