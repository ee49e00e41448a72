"""The metrics port: /healthz for the supervisor, /metrics for Prometheus."""

from __future__ import annotations

from bot.ops.http import HttpServer, Limits, Request, Response
from bot.ops.metrics import CONTENT_TYPE, METRICS, Metrics

# GETs only, no bodies; a scraper and a probe need few connections.
LIMITS = Limits(max_body_bytes=0, header_timeout=5.0, body_timeout=1.0, max_connections=20)


def metrics_server(metrics: Metrics = METRICS) -> HttpServer:
    async def handle(request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return Response(405)
        if request.path == "/healthz":
            ok, why = metrics.healthy()
            return Response(200 if ok else 503, f"{why}\n".encode())
        if request.path == "/metrics":
            return Response(200, metrics.exposition(), CONTENT_TYPE)
        return Response(404)

    return HttpServer(handle, LIMITS)
