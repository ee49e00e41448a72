"""The suite's own guard: nothing in a test can reach beyond loopback."""

from __future__ import annotations

import socket

import aiohttp
import pytest


def test_a_connection_beyond_loopback_fails() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, \
            pytest.raises(ConnectionRefusedError, match="loopback"):
        sock.connect(("192.0.2.1", 443))  # TEST-NET-1: would hang, never connect


def test_resolving_a_public_name_fails() -> None:
    with pytest.raises(socket.gaierror, match="must not resolve"):
        socket.getaddrinfo("example.org", 443)


async def test_an_http_client_is_stopped_too() -> None:
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectorError):
            await session.get("https://192.0.2.1/bot123/getMe")


def test_loopback_still_works() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=2):
            pass
