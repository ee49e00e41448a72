"""The webhook endpoint: Telegram POSTs updates here (behind a TLS reverse proxy).

A request must be a POST to /<path> carrying the secret in
X-Telegram-Bot-Api-Secret-Token, compared in constant time; anything else is refused
before its body is read. Bodies are limited to what Telegram sends (default 1 MiB) and
must arrive within the body timeout (see bot/ops/http.py). A body that is not JSON, or
an update that cannot be read, is answered 200 and counted: Telegram would otherwise
send the same bad update again and again.
"""

from __future__ import annotations

import hmac
import json
import logging

from bot.ops.http import HttpServer, Limits, Request, Response
from bot.ops.metrics import METRICS, UNPARSABLE, Metrics
from bot.telegram.intake import Intake

log = logging.getLogger("beschermwijzer.webhook")
SECRET_HEADER = "x-telegram-bot-api-secret-token"


class WebhookServer:
    def __init__(self, intake: Intake, secret: str, path: str, limits: Limits,
                 metrics: Metrics = METRICS) -> None:
        self.intake = intake
        self.secret = secret.encode()
        self.path = "/" + path.strip("/")
        self.metrics = metrics
        self.accepting = True
        self.http = HttpServer(self._handle, limits, self._authorize, self._refused)

    def _refused(self, reason: str) -> None:
        self.metrics.webhook_refused.labels(reason).inc()

    def _authorize(self, request: Request) -> Response | None:
        if request.path != self.path:
            self._refused("wrong_path")
            return Response(404)
        if request.method != "POST":
            self._refused("wrong_method")
            return Response(405)
        given = request.headers.get(SECRET_HEADER, "").encode("latin-1")
        if not hmac.compare_digest(given, self.secret):
            self._refused("wrong_secret")
            return Response(403)
        if not self.accepting:  # stopping: Telegram keeps the update and sends it again
            return Response(503)
        return None

    async def _handle(self, request: Request) -> Response:
        try:
            raw = json.loads(request.body)
        except ValueError:
            self.metrics.updates.labels(UNPARSABLE).inc()
            log.warning("webhook body is not JSON; skipped")
            return Response(200)
        self.intake.accept(raw)
        return Response(200)

    async def start(self, host: str, port: int) -> int:
        return await self.http.start(host, port)

    async def stop(self) -> None:
        self.accepting = False
        await self.http.stop()
