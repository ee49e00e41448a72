"""A python-telegram-bot request class that calls a FakeBotApi in the same process, without HTTP.

For the fuzz tests and the benchmarks' breakdown, where thousands of updates must run in
seconds; the HTTP suite remains the proof that the real transport works. A thin adapter: the
parameters go as the fake reads them from an HTTP body, and ``FakeBotApi.call`` does the rest.
"""

from __future__ import annotations

import json
from typing import Any

from telegram.request import BaseRequest, RequestData

from ._params import coerce
from .server import FakeBotApi


class InProcessRequest(BaseRequest):
    def __init__(self, api: FakeBotApi) -> None:
        self.api = api

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 10.0

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        raw = request_data.json_parameters if request_data is not None else {}
        params = {name: coerce(name, value) for name, value in raw.items()}
        status, body = await self.api.call(url.rsplit("/", 1)[-1], params)
        return status, json.dumps(body).encode()
