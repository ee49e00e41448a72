"""Counts for the region's monitoring: Prometheus metrics and the health verdict.

Counts only, never per chat: no label carries a chat, a user or anything typed. The
results counter (profile and phase of every result card shown) gives a region the
numbers for its yearly evaluation without any data about a family.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

HEALTHY_API_SECONDS = 60.0  # the last successful Bot API call must be this recent
UPDATE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
CONTENT_TYPE = CONTENT_TYPE_LATEST
# Outcomes of an update (label values of beschermwijzer_updates_total).
HANDLED, FAILED, SHED, UNPARSABLE, DROPPED_AT_STOP = (
    "handled", "failed", "shed", "unparsable", "dropped_at_stop")


class Metrics:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter("beschermwijzer_updates", "Updates by outcome", ["outcome"], registry=r)
        for outcome in (HANDLED, FAILED, SHED, UNPARSABLE, DROPPED_AT_STOP):
            self.updates.labels(outcome)
        self.update_errors = Counter("beschermwijzer_update_errors",
                                     "Updates whose handling ended in the error handler", registry=r)
        self.update_seconds = Histogram("beschermwijzer_update_seconds",
                                        "Time to handle one update, replies included",
                                        buckets=UPDATE_BUCKETS, registry=r)
        self.queue_wait = Histogram("beschermwijzer_queue_wait_seconds",
                                    "Time an update waited in the queue", buckets=UPDATE_BUCKETS,
                                    registry=r)
        self.queue_depth = Gauge("beschermwijzer_queue_depth", "Updates waiting", registry=r)
        self.sessions = Gauge("beschermwijzer_sessions", "Live sessions", registry=r)
        self.api_errors = Counter("beschermwijzer_botapi_errors",
                                  "Failed Bot API calls by method and status",
                                  ["method", "status"], registry=r)
        self.api_retries = Counter("beschermwijzer_botapi_retries",
                                   "Bot API calls retried, by method and the status that caused it",
                                   ["method", "status"], registry=r)
        self.flood = Counter("beschermwijzer_flood_events", "Flood-guard verdicts other than OK",
                             ["verdict"], registry=r)
        self.webhook_refused = Counter("beschermwijzer_webhook_refused",
                                       "Webhook requests refused, by reason", ["reason"],
                                       registry=r)
        self.results = Counter("beschermwijzer_results", "Result cards shown, by profile and phase",
                               ["profile", "phase"], registry=r)
        self.last_api_success: float | None = None
        self.loop_alive: Callable[[], bool] = lambda: False

    # --- hooks ------------------------------------------------------------------------
    def api_ok(self) -> None:
        self.last_api_success = self.clock()

    def api_error(self, method: str, status: str) -> None:
        self.api_errors.labels(method, status).inc()

    def api_retry(self, method: str, status: str) -> None:
        self.api_retries.labels(method, status).inc()

    def result_shown(self, profile: str | None, phase: str | None) -> None:
        """Call where a result card is shown; ids only (profile id, phase id)."""
        self.results.labels(profile or "none", phase or "none").inc()

    def track_sessions(self, count: Callable[[], int]) -> None:
        self.sessions.set_function(lambda: float(count()))

    # --- health -----------------------------------------------------------------------
    def healthy(self) -> tuple[bool, str]:
        if not self.loop_alive():
            return False, "update loop not running"
        last = self.last_api_success
        if last is None or self.clock() - last > HEALTHY_API_SECONDS:
            return False, "no successful Bot API call within a minute"
        return True, "ok"

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

    def value(self, name: str, labels: dict[str, str] | None = None) -> float:
        """One sample's current value (0 when absent); for tests and the stop report."""
        found = self.registry.get_sample_value(name, labels or {})
        return float(found or 0.0)


METRICS = Metrics()


def result_shown(profile: str | None, phase: str | None) -> None:
    """The UI calls this where the result card is shown (see README: Reliability)."""
    METRICS.result_shown(profile, phase)
