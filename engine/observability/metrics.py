"""Every Prometheus instrument of Parley, in one module, and the `/metrics` text.

Why one module: a metric's name, labels and buckets are a contract with the alert rules
(deploy/prometheus/parley-rules.yml) and with operators' dashboards; defined next to each other they are read
and changed together. The rest of the engine records through the small functions at the bottom, never by
touching an instrument.

Label rule (docs/operations.md): no label takes a value from outside a set we know is small. Provider, step,
handoff category, job name and outcome come from our code. Model names and Twilio error codes come from
outside, so they pass through `Bounded`, which admits the first 50 distinct values of a label and folds the
rest into "other". The tenant is never a label of an instrument (thousands of tenants would be thousands of
series on every histogram bucket); the one place it appears is the scrape-time queue gauge, for the ten
tenants with the deepest queues only. Per-tenant figures live in the database (analytics, in-app alerts).

Several processes (`python -m engine serve` under several workers, or console workers): set
PROMETHEUS_MULTIPROC_DIR to an empty directory shared by them before they start; each process then writes its
samples there (prometheus_client's multiprocess mode) and a scrape of any of them adds them up.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY, Collector
from sqlalchemy import func, select

from engine.db import get_engine
from engine.models import MessageQueue, utcnow
from engine.models.base import as_utc

log = logging.getLogger(__name__)

PREFIX = "parley"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def multiprocess_dir() -> str | None:
    """prometheus_client reads PROMETHEUS_MULTIPROC_DIR from the environment itself, so this does too."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def check_multiprocess_dir() -> None:
    """Refuse to start with a directory that is not there: otherwise the first sample fails deep inside
    prometheus_client (or, for a labelled instrument, on a customer's request)."""
    folder = multiprocess_dir()
    if folder and not os.path.isdir(folder):
        raise RuntimeError(
            f"PROMETHEUS_MULTIPROC_DIR={folder!r} is not a directory: create it (empty) before the processes "
            "start, or unset it for a single process"
        )


check_multiprocess_dir()


# ------------------------------------------------------------------------------------------- the instruments

HTTP_REQUEST_SECONDS = Histogram(
    f"{PREFIX}_http_request_duration_seconds",
    "Time to answer an HTTP request of the engine (webhooks, REST API, health), by route template.",
    ["route", "method", "status_class"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
TURN_SECONDS = Histogram(
    f"{PREFIX}_agent_turn_duration_seconds",
    "One agent turn, from the burst read to the reply recorded (model time included).",
    ["mode", "responder"],
    buckets=(0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0, 30.0, 60.0),
)
STEP_SECONDS = Histogram(
    f"{PREFIX}_agent_step_duration_seconds",
    "One step of an agent turn (the steps the Playground's trace shows: sanitize, spelling, context, llm…).",
    ["step"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0),
)
REPLY_DELAY_SECONDS = Histogram(
    f"{PREFIX}_reply_delay_seconds",
    "What the customer waits: from their first message of a burst to our reply handed to WhatsApp "
    "(the burst window included).",
    buckets=(1.0, 2.5, 5.0, 7.5, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 120.0, 300.0),
)
LLM_CALLS = Counter(
    f"{PREFIX}_llm_calls",
    "Requests to a model provider, by outcome (ok, retry, error, discarded).",
    ["provider", "model", "status"],
)
LLM_ERRORS = Counter(
    f"{PREFIX}_llm_errors",
    "Failed model requests, by the kind of failure (timeout, rate_limit, server, auth, …).",
    ["provider", "kind"],
)
LLM_TOKENS = Counter(
    f"{PREFIX}_llm_tokens", "Tokens billed by a provider, in and out.", ["provider", "model", "direction"]
)
LLM_COST = Counter(
    f"{PREFIX}_llm_cost_usd",
    "Money spent on model calls, in the providers' billing currency (US dollars, engine/llm/pricing.json).",
    ["provider", "model"],
)
HANDOFFS = Counter(
    f"{PREFIX}_handoffs", "Conversations handed to a person, by reason category.", ["category"]
)
TWILIO_ERRORS = Counter(
    f"{PREFIX}_twilio_errors",
    "Failed Twilio API calls, by Twilio error code (or HTTP status, timeout, network).",
    ["code"],
)
CAMPAIGN_SENDS = Counter(
    f"{PREFIX}_campaign_sends",
    "Campaign messages handed to Twilio, by outcome (ok, refused, unclear, later, throttled).",
    ["outcome"],
)
JOB_RUNS = Counter(f"{PREFIX}_job_runs", "Scheduled job runs, by job and outcome.", ["job", "outcome"])
JOB_SECONDS = Histogram(
    f"{PREFIX}_job_duration_seconds",
    "Time of one scheduled job run.",
    ["job"],
    buckets=(0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 30.0, 120.0),
)

# ------------------------------------------------------------------------------------------------- labels


class Bounded:
    """A label fed from outside (model names, Twilio codes): the first `limit` distinct values pass, the rest
    read "other", so a misbehaving provider cannot grow the series without end."""

    def __init__(self, limit: int = 50) -> None:
        self.limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, value: object) -> str:
        text = str(value or "unknown")[:80]
        with self._lock:
            if text in self._seen:
                return text
            if len(self._seen) < self.limit:
                self._seen.add(text)
                return text
        return "other"


_model_label = Bounded()
_code_label = Bounded()

# ----------------------------------------------------------------------------------------------- recording


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    HTTP_REQUEST_SECONDS.labels(route, method, f"{status // 100}xx").observe(seconds)


def observe_turn(mode: str, responder: str, seconds: float) -> None:
    TURN_SECONDS.labels(mode, responder).observe(seconds)


def observe_step(step: str, seconds: float) -> None:
    STEP_SECONDS.labels(step).observe(seconds)


def observe_reply_delay(seconds: float) -> None:
    REPLY_DELAY_SECONDS.observe(max(0.0, seconds))


def count_llm_attempt(
    *,
    provider: str,
    model: str,
    status: str,
    tokens_in: int,
    tokens_out: int,
    cost: Decimal,
    error_kind: str | None,
) -> None:
    model_label = _model_label(model)
    LLM_CALLS.labels(provider, model_label, status).inc()
    if status in ("retry", "error"):
        LLM_ERRORS.labels(provider, error_kind or "unknown").inc()
    if tokens_in:
        LLM_TOKENS.labels(provider, model_label, "in").inc(tokens_in)
    if tokens_out:
        LLM_TOKENS.labels(provider, model_label, "out").inc(tokens_out)
    if cost:
        LLM_COST.labels(provider, model_label).inc(float(cost))


def count_handoff(category: str | None) -> None:
    HANDOFFS.labels(category or "other").inc()


def count_twilio_error(code: str | int | None) -> None:
    TWILIO_ERRORS.labels(_code_label(code)).inc()


def count_campaign_sends(outcomes: Iterable[str]) -> None:
    for outcome in outcomes:
        CAMPAIGN_SENDS.labels(outcome).inc()


def count_job_run(job: str, outcome: str, seconds: float) -> None:
    JOB_RUNS.labels(job, outcome).inc()
    JOB_SECONDS.labels(job).observe(seconds)


# ------------------------------------------------------------------------------------ read at scrape time

TOP_TENANTS = 10  # the queue gauge's tenant label: the ten deepest queues only (bounded cardinality)


@dataclass(frozen=True)
class QueueFigures:
    depth: int
    oldest_age_seconds: float
    by_tenant: list[tuple[int, int]]  # (tenant id, depth), deepest first, at most TOP_TENANTS


def read_queue(now_seconds: float | None = None) -> QueueFigures:
    """Messages waiting for an answer (pending or claimed) and the oldest one's age.

    Bounded cost: one aggregate over the queue rows not yet processed, which the (status, due_at) index finds
    without reading the processed history; grouped by tenant, so its size is the number of tenants with work
    waiting, and only the deepest ten are kept."""
    table = MessageQueue.__table__  # type: ignore[attr-defined]
    waiting = table.c.status.in_(("pending", "claimed"))
    stmt = (
        select(table.c.tenant_id, func.count().label("depth"), func.min(table.c.queued_at).label("oldest"))
        .where(waiting)
        .group_by(table.c.tenant_id)
    )
    with get_engine().connect() as conn:
        rows = conn.execute(stmt).all()
    now = utcnow()
    depth = sum(int(r.depth) for r in rows)
    oldest = min((as_utc(r.oldest) for r in rows if r.oldest is not None), default=None)
    age = max(0.0, (now - oldest).total_seconds()) if oldest else 0.0
    by_tenant = sorted(((int(r.tenant_id), int(r.depth)) for r in rows), key=lambda t: (-t[1], t[0]))
    return QueueFigures(depth, age, by_tenant[:TOP_TENANTS])


class QueueCollector(Collector):
    """Queue depth and oldest message age, read from the database when Prometheus scrapes, at most once per
    `ttl` seconds (several scrapers, or a dashboard refreshing, cost one query)."""

    def __init__(self, reader: Callable[[], QueueFigures] = read_queue, ttl: float = 5.0) -> None:
        self.reader, self.ttl = reader, ttl
        self._cached: tuple[float, QueueFigures | None] | None = None
        self._lock = threading.Lock()

    def _figures(self) -> QueueFigures | None:
        with self._lock:
            if self._cached and time.monotonic() - self._cached[0] < self.ttl:
                return self._cached[1]
            try:
                figures: QueueFigures | None = self.reader()
            except Exception:  # noqa: BLE001 - a scrape must answer even when the database does not
                log.exception("the queue figures could not be read for /metrics")
                figures = None
            self._cached = (time.monotonic(), figures)
            return figures

    def collect(self) -> Iterator[Metric]:
        figures = self._figures()
        ok = GaugeMetricFamily(
            f"{PREFIX}_queue_read_ok", "1 when this scrape read the queue figures from the database."
        )
        ok.add_metric([], 1.0 if figures else 0.0)
        yield ok
        if figures is None:
            return
        depth = GaugeMetricFamily(f"{PREFIX}_queue_depth", "Customer messages waiting for an answer.")
        depth.add_metric([], figures.depth)
        yield depth
        age = GaugeMetricFamily(
            f"{PREFIX}_queue_oldest_age_seconds", "Age of the oldest customer message waiting for an answer."
        )
        age.add_metric([], figures.oldest_age_seconds)
        yield age
        top = GaugeMetricFamily(
            f"{PREFIX}_queue_depth_top_tenants",
            f"Waiting messages of the {TOP_TENANTS} tenants with the deepest queues.",
            labels=["tenant_id"],
        )
        for tenant_id, count in figures.by_tenant:
            top.add_metric([str(tenant_id)], count)
        yield top


_queue_collector = QueueCollector()


class _Scrape:
    """The registries one scrape reads, as one registry for generate_latest."""

    def __init__(self, sources: list[Collector]) -> None:
        self.sources = sources

    def collect(self) -> Iterator[Metric]:
        for source in self.sources:
            yield from source.collect()


def render(queue: Collector | None = None) -> bytes:
    """The /metrics body: this process's instruments (or every process's, in multiprocess mode) and the
    scrape-time gauges."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        instruments: Collector = registry
    else:
        instruments = REGISTRY
    return generate_latest(_Scrape([instruments, queue or _queue_collector]))  # type: ignore[arg-type]


__all__ = [
    "CONTENT_TYPE",
    "Bounded",
    "QueueCollector",
    "QueueFigures",
    "count_campaign_sends",
    "count_handoff",
    "count_job_run",
    "count_llm_attempt",
    "count_twilio_error",
    "observe_reply_delay",
    "observe_request",
    "observe_step",
    "observe_turn",
    "read_queue",
    "render",
]
