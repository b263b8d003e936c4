"""What operations cost: instrumenting a turn, a /metrics scrape, and the per-tenant alert check.

Question: does observing the agent slow it, and do the scrape-time and alert queries stay cheap when the
tables are large? Targets: the instrumentation of a whole turn (18 steps, the turn, two LLM calls, a
handoff) under 1 ms; a /metrics scrape under 50 ms p95 with 200,000 answered and 2,000 waiting queue rows;
one tenant's alert check under 50 ms p95 with an hour of busy traffic (PostgreSQL).

Method:
- *turn*: `instrument.turn` around 18 `instrument.step`s, two `instrument.llm_attempt`s and a `handoff`, JSON
  logs at INFO written to /dev/null, tracing off (the default) and on (in-memory exporter); the floor is the
  same loop with the instrumentation replaced by nothing. 2,000 turns, per-turn mean.
- *scrape*: `metrics.render()` with a fresh queue reader each time (no cache) over `--tenants` tenants; the
  floor is `SELECT 1` on the same connection pool.
- *alerts*: `alerts.check_tenant` for one busy tenant (an hour of `--turns` agent turns, as many outbound
  messages and LLM calls) in a database holding `--tenants` such tenants; the floor is the single cheapest
  of its six reads (the queue probe).
- PostgreSQL uses its own database (`--pg-url`, created when missing, tables recreated).

Run: `.venv/bin/python benchmarks/observability.py` (`--backend sqlite` for a quick look).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/parley_bench_obs"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def bench_turn(turns: int) -> None:
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from engine.observability import instrument, logs, tracing

    logs.configure("json", level="INFO", stream=open(os.devnull, "w"))  # noqa: SIM115 - lives for the run
    steps = [f"step{i}" for i in range(18)]

    def observed() -> None:
        with instrument.turn(1, 1, "channel") as record:
            for name in steps:
                with instrument.step(name):
                    pass
            for _ in range(2):
                instrument.llm_attempt(
                    tenant_id=1,
                    conversation_id=1,
                    purpose="reply",
                    provider="openai",
                    model="gpt-4o-mini",
                    status="ok",
                    http_status=200,
                    tokens_in=420,
                    tokens_out=60,
                    cost=Decimal("0.0001"),
                    latency_ms=800,
                    error_kind=None,
                )
            instrument.handoff(1, 1, "no_answer", "agent")
            record.done("agent", provider="openai", model="gpt-4o-mini", handoff=True, handoff_category="x")

    def floor() -> None:
        for _ in steps:
            pass

    for label, fn in (("floor (no instrumentation)", floor), ("observed, tracing off", observed)):
        fn()
        print(f"  turn  {label:32s} {statistics.mean(timed(fn, turns)) * 1000:8.1f} µs/turn")
    exporter = InMemorySpanExporter()
    tracing.install(exporter=exporter)
    observed()
    per = statistics.mean(timed(observed, turns // 4))
    tracing.uninstall()
    print(f"  turn  {'observed, tracing on (memory)':32s} {per * 1000:8.1f} µs/turn")


def seed(url: str, tenants: int, turns: int, waiting: int, answered: int) -> list[int]:
    from sqlalchemy import insert
    from sqlmodel import SQLModel

    import engine.models as m
    from engine.db import get_engine

    engine = get_engine(url)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    now = m.utcnow()
    ids: list[int] = []
    from engine.accounts.tenants import create_tenant
    from engine.db import TenantScope, session_scope

    conversations: dict[int, int] = {}
    with session_scope() as session:
        for t in range(1, tenants + 1):
            tenant_id = create_tenant(session, name=f"Bench {t}", slug=f"bench-{t}").id
            scope = TenantScope(session, tenant_id)
            customer = scope.add(m.Customer(phone=f"whatsapp:+1202{t:07d}"))
            conversations[tenant_id] = int(scope.add(m.Conversation(customer_id=customer.id)).id or 0)
            ids.append(tenant_id)
    with engine.begin() as conn:
        for t in ids:
            base = t * 1_000_000
            stamp = [now - timedelta(seconds=3600 * i / max(turns, 1)) for i in range(turns)]
            conn.execute(
                insert(m.Message.__table__),
                [
                    {
                        "id": base + i,
                        "tenant_id": t,
                        "conversation_id": conversations[t],
                        "direction": "outbound",
                        "sender": "agent",
                        "status": "failed" if i % 50 == 0 else "delivered",
                        "media": [],
                        "created_at": stamp[i],
                        "updated_at": stamp[i],
                    }
                    for i in range(turns)
                ],
            )
            conn.execute(
                insert(m.AgentInteraction.__table__),
                [
                    {
                        "tenant_id": t,
                        "conversation_id": conversations[t],
                        "handoff": i % 7 == 0,
                        "latency_ms": 800 + i % 3000,
                        "intents": [],
                        "intent_names": [],
                        "knowledge_hits": [],
                        "corrections": [],
                        "suggestions": [],
                        "context_budget": {},
                        "created_at": stamp[i],
                    }
                    for i in range(turns)
                ],
            )
            conn.execute(
                insert(m.LLMCall.__table__),
                [
                    {
                        "tenant_id": t,
                        "conversation_id": conversations[t],
                        "provider": "openai",
                        "model": "gpt-4o-mini",
                        "status": "ok" if i % 20 else "error",
                        "cost": Decimal("0.0002"),
                        "created_at": stamp[i],
                    }
                    for i in range(turns)
                ],
            )
        queue = []
        per_tenant_answered = answered // tenants
        per_tenant_waiting = waiting // tenants
        for t in ids:
            base = t * 1_000_000
            for i in range(per_tenant_answered + per_tenant_waiting):
                is_waiting = i >= per_tenant_answered
                queue.append(
                    {
                        "tenant_id": t,
                        "conversation_id": conversations[t],
                        "message_id": base + (i % max(turns, 1)),
                        "status": "pending" if is_waiting else "processed",
                        "attempts": 0,
                        "queued_at": now - timedelta(seconds=i % 300),
                        "due_at": now,
                    }
                )
        # message_id is unique per tenant: spread the answered rows over extra inbound messages
        for n, row in enumerate(queue):
            row["message_id"] = row["tenant_id"] * 1_000_000 + 500_000 + n
        conn.execute(
            insert(m.Message.__table__),
            [
                {
                    "id": r["message_id"],
                    "tenant_id": r["tenant_id"],
                    "conversation_id": r["conversation_id"],
                    "direction": "inbound",
                    "sender": "customer",
                    "status": "received",
                    "media": [],
                    "created_at": now - timedelta(days=3),
                    "updated_at": now - timedelta(days=3),
                }
                for r in queue
            ],
        )
        conn.execute(insert(m.MessageQueue.__table__), queue)
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    return ids


def bench_database(url: str, tenants: int, turns: int, runs: int, answered: int) -> None:
    from sqlalchemy import text

    from engine.config import reset_settings_cache
    from engine.db import get_engine, reset_engine_cache, session_scope
    from engine.observability import alerts, metrics

    os.environ["DATABASE_URL"] = url
    reset_settings_cache()
    reset_engine_cache()
    t0 = time.perf_counter()
    ids = seed(url, tenants, turns, waiting=2_000, answered=answered)
    print(f"  seeded {tenants} tenants in {time.perf_counter() - t0:.0f} s ({get_engine().dialect.name})")

    def scrape() -> None:
        metrics.render(metrics.QueueCollector(ttl=0))

    def select_one() -> None:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))

    for label, fn in (("floor: SELECT 1", select_one), ("/metrics render (queue read)", scrape)):
        fn()
        ms = timed(fn, runs)
        print(f"  scrape {label:30s} p50 {pct(ms, 0.5):6.2f} ms   p95 {pct(ms, 0.95):6.2f} ms")

    busy = ids[len(ids) // 2]

    def check() -> None:
        with session_scope() as session:
            alerts.check_tenant(session, busy)
            session.rollback()

    def floor() -> None:
        with session_scope() as session:
            alerts.read_queue_age(session, busy, metrics.utcnow())

    for label, fn in (("floor: the queue probe", floor), ("check_tenant (6 figures)", check)):
        fn()
        ms = timed(fn, runs)
        print(f"  alerts {label:30s} p50 {pct(ms, 0.5):6.2f} ms   p95 {pct(ms, 0.95):6.2f} ms")
    t0 = time.perf_counter()
    for tenant_id in ids:
        with session_scope() as session:
            alerts.check_tenant(session, tenant_id)
            session.rollback()
    print(f"  alerts every tenant once ({len(ids)}): {(time.perf_counter() - t0) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--turns", type=int, default=2_000, help="agent turns per tenant in the last hour")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--answered", type=int, default=200_000, help="answered queue rows (history)")
    parser.add_argument("--turn-runs", type=int, default=2_000)
    args = parser.parse_args()
    logging.getLogger().setLevel(logging.WARNING)
    print("instrumentation of one turn (18 steps, 2 LLM calls, a handoff):")
    bench_turn(args.turn_runs)
    if args.backend == "sqlite":
        import tempfile

        url = f"sqlite:///{tempfile.mkdtemp()}/obs.db"
    else:
        from sqlalchemy import create_engine, make_url, text

        url = args.pg_url
        base = make_url(url)
        admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if not conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname=:n"), {"n": base.database}
            ).first():
                conn.execute(text(f'CREATE DATABASE "{base.database}"'))
        admin.dispose()
    from cryptography.fernet import Fernet

    os.environ.setdefault("PARLEY_SECRET_KEYS", Fernet.generate_key().decode())
    print(f"database figures ({args.backend}):")
    bench_database(url, args.tenants, args.turns, args.runs, args.answered)


if __name__ == "__main__":
    main()
