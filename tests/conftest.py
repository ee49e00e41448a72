"""Shared fixtures: the knowledge base is loaded once; each test gets a fresh core."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import yaml

from bot.core import Core, build_core
from bot.kb import Knowledge
from fakebot.server import FakeBotApi
from tests.auxil import region
from tests.auxil.tg import BotUnderTest, running_bot

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_dir() -> Path | None:
    """../shared beside the project, when this checkout has it (CI clones may not)."""
    for candidate in (ROOT.parent / "shared", Path("/work/shared")):
        if (candidate / "domain" / "indicators.yaml").exists():
            return candidate
    return None


LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def is_loopback(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests talk to 127.0.0.1 only (the fake Bot API): any other address fails the test
    at the socket, whatever library tries it."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def allowed(sock: socket.socket, address: object) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not (
                isinstance(address, tuple) and is_loopback(address[0])):
            raise ConnectionRefusedError(f"tests must not leave loopback: {address!r}")

    def connect(sock: socket.socket, address: object) -> None:
        allowed(sock, address)
        real_connect(sock, address)  # type: ignore[arg-type]

    def connect_ex(sock: socket.socket, address: object) -> int:
        allowed(sock, address)
        return real_connect_ex(sock, address)  # type: ignore[arg-type]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host is not None and not is_loopback(host if not isinstance(host, bytes)
                                                else host.decode()):
            raise socket.gaierror(f"tests must not resolve {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield


@pytest.fixture(autouse=True)
def pinned_region(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with the test region, also `python -m bot` called in-process; a test
    of national-only content removes it."""
    monkeypatch.setenv("BESCHERMWIJZER_REGION", region.REGION)


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    return region.knowledge()


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
    async with running_bot(api, core) as running:  # flood control lifted by running_bot
        yield running


def public_cases() -> list[dict[str, Any]]:
    """The report's five cases (a vendored copy; test_contract checks it against ../shared)."""
    path = FIXTURES / "public-cases.yaml"
    cases: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    return cases
