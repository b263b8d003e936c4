"""Analytics at scale: every figure of the Analytics page for one tenant and 30 days, over 1,000,000
agent_interaction rows (and their conversations, messages and LLM calls) spread over 90 days and 50 tenants
on PostgreSQL. Targets (issue #19): each query p95 ≤ 150 ms, the page's data ≤ 1 s.

Method: a database of its own (parley_bench_analytics_<pid>, created and dropped; the `test` database is
never touched), built by the real migrations so the indexes are the product's. Rows are generated
server-side with generate_series (one INSERT … SELECT per table): 333,334 conversations of 3 agent turns each
(one customer message and one answer per turn: 2,000,004 messages), one llm_call per turn, 20 knowledge gaps
per tenant. Encrypted columns hold one valid ciphertext of an empty value; a turn's knowledge_entry_ids
(plain) hold 0, 1 or 2 of 40 entry ids as its knowledge_hit_count says, entries that no longer exist (so
the by-entry table also reads their titles from a turn's hits, its slowest path). VACUUM ANALYZE, then for the
first tenant and the 30 days ending on the data's last day, each engine.analytics function runs 3 times to
warm up and --repeat times measured (wall time through SQLAlchemy, results built as the console gets them).
Next to each: the floor, the cheapest hand-written SQL aggregate over the same rows (a count over the
(tenant_id, created_at) index, an index-only scan), timed the same way.

Run: .venv/bin/python benchmarks/analytics.py [--server postgresql+psycopg://postgres@127.0.0.1:5432]
     [--interactions 1000000] [--tenants 50] [--repeat 20] [--keep | --reuse DATABASE]
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import create_engine, text

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
# One fixed key for the benchmark's own throwaway data, so a kept database can be measured again (--reuse).
BENCH_KEY = base64.urlsafe_b64encode(b"parley-benchmark-analytics-key!!").decode()
DAYS = 90
TURNS = 3
ZONES = ["Europe/London", "America/New_York", "Asia/Kolkata", "America/Sao_Paulo", "Australia/Sydney"]
MODELS = [
    ("openai", "gpt-4o-mini"),
    ("openai", "gpt-4o"),
    ("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo"),
]
INTENTS = ["order_status", "opening_hours", "refund", "product_question", "greeting", "delivery"]
CATEGORIES = ["no_answer", "explicit_request", "frustration", "low_confidence", "topic"]
KINDS = ["text", "text", "text", "buttons", "list", "card"]


def _seed(url: str, interactions: int, tenant_count: int) -> list[int]:
    os.environ.update(DATABASE_URL=url, PARLEY_SECRET_KEYS=BENCH_KEY, LOG_FORMAT="text")
    from engine.config import reset_settings_cache
    from engine.db import reset_engine_cache

    reset_settings_cache()
    reset_engine_cache()
    from engine.accounts import tenants
    from engine.db import get_engine, session_scope
    from engine.migrations import upgrade
    from engine.security.crypto import EncryptedJSON, EncryptedText

    upgrade("heads")
    with session_scope() as s:
        ids = [
            int(
                tenants.create_tenant(
                    s, name=f"Shop {i}", slug=f"shop-{i}", time_zone=ZONES[i % len(ZONES)]
                ).id
            )
            for i in range(tenant_count)
        ]
    dialect = get_engine().dialect
    empty_list = EncryptedJSON().process_bind_param([], dialect)
    empty_dict = EncryptedJSON().process_bind_param({}, dialect)
    question = EncryptedText().process_bind_param("Do you gift wrap?", dialect)
    conversations = -(-interactions // TURNS)
    span = DAYS * 86400.0 / conversations
    p = {
        "ids": ids,
        "n": conversations,
        "now": NOW,
        "span": span,
        "l": empty_list,
        "d": empty_dict,
        "q": question,
        "tn": len(ids),
        "models": [m for _, m in MODELS],
        "providers": [pv for pv, _ in MODELS],
        "intents": INTENTS,
        "cats": CATEGORIES,
        "kinds": KINDS,
    }
    statements = [
        """INSERT INTO customer (id, tenant_id, phone, opted_in, key_facts, created_at)
        SELECT g, (CAST(:ids AS int[]))[1 + g % :tn], 'whatsapp:+1555' || lpad(g::text, 8, '0'), false, :d,
               :now - make_interval(secs => g * :span)
        FROM generate_series(1, :n) g""",
        """INSERT INTO conversation (id, tenant_id, customer_id, status, channel, low_confidence_turns,
                                  created_at, last_activity_at, closed_at)
        SELECT g, (CAST(:ids AS int[]))[1 + g % :tn], g,
               CASE WHEN g % 10 = 0 THEN 'handoff' WHEN g % 10 < 6 THEN 'closed' ELSE 'bot' END,
               CASE WHEN g % 100 = 7 THEN 'playground' ELSE 'whatsapp' END, 0,
               :now - make_interval(secs => g * :span),
               :now - make_interval(secs => g * :span) + interval '10 minutes',
               CASE WHEN g % 10 BETWEEN 1 AND 5
                    THEN :now - make_interval(secs => g * :span) + interval '20 minutes' END
        FROM generate_series(1, :n) g""",
        """INSERT INTO message (id, tenant_id, conversation_id, direction, sender, media, status, created_at,
                             updated_at)
        SELECT 2 * (:turns * (g - 1) + j) + d, (CAST(:ids AS int[]))[1 + g % :tn], g,
               CASE WHEN d = 0 THEN 'inbound' ELSE 'outbound' END,
               CASE WHEN d = 0 THEN 'customer'
                    WHEN g % 10 = 0 AND j = :turns - 1 THEN 'human' ELSE 'agent' END,
               '[]', CASE WHEN d = 0 THEN 'received' ELSE 'delivered' END,
               :now - make_interval(secs => g * :span)
                    + make_interval(mins => 3 * j, secs => d * (5 + g % 55)),
               :now - make_interval(secs => g * :span)
                    + make_interval(mins => 3 * j, secs => d * (5 + g % 55))
        FROM generate_series(1, :n) g, generate_series(0, :turns - 1) j, generate_series(0, 1) d""",
        """INSERT INTO agent_interaction (
            id, tenant_id, conversation_id, message_id, intents, intent_names, model, provider, confidence,
            handoff, handoff_category, message_type, tokens_in, tokens_out, cost, latency_ms, knowledge_hits,
            corrections, suggestions, context_budget, knowledge_hit_count, suggestion_count,
            suggestions_accepted, recall, knowledge_entry_ids, created_at)
        SELECT :turns * (g - 1) + j + 1, (CAST(:ids AS int[]))[1 + g % :tn], g,
               2 * (:turns * (g - 1) + j) + 1,
               :l, json_build_array((CAST(:intents AS text[]))[1 + (g + j) % 6]),
               (CAST(:models AS text[]))[1 + g % 3], (CAST(:providers AS text[]))[1 + g % 3],
               ((g * 7 + j) % 100) / 100.0, g % 10 = 0 AND j = :turns - 1,
               CASE WHEN g % 10 = 0 AND j = :turns - 1 THEN (CAST(:cats AS text[]))[1 + g % 5] END,
               (CAST(:kinds AS text[]))[1 + (g + j) % 6], 800 + g % 400, 120 + g % 80,
               (0.000150 + (g % 50) * 0.000010)::numeric(14, 6), 900 + g % 2000, :l, :l, '[]', '{}',
               (g + j) % 3, CASE WHEN j = 1 THEN 2 ELSE 0 END,
               CASE WHEN j = 1 AND g % 4 = 0 THEN 1 ELSE 0 END,
               CASE WHEN j = 2 AND g % 20 = 0 THEN 'recovered' WHEN j = 2 AND g % 20 = 1 THEN 'not_found' END,
               CASE (g + j) % 3 WHEN 0 THEN json_build_array()
                    WHEN 1 THEN json_build_array(1 + (7 * g + j) % 40)
                    ELSE json_build_array(1 + (7 * g + j) % 40, 1 + (11 * g + 3 * j) % 40) END,
               :now - make_interval(secs => g * :span) + make_interval(mins => 3 * j, secs => 4)
        FROM generate_series(1, :n) g, generate_series(0, :turns - 1) j""",
        """INSERT INTO llm_call (id, tenant_id, conversation_id, purpose, provider, model, status, tokens_in,
                              tokens_out, cost, latency_ms, created_at)
        SELECT id, tenant_id, conversation_id, 'reply', provider, model, 'ok', tokens_in, tokens_out, cost,
               latency_ms - 50, created_at - interval '1 second'
        FROM agent_interaction""",
        """INSERT INTO knowledge_gap (tenant_id, question, examples, size, reasons, first_seen_at,
                                   last_seen_at, computed_at)
        SELECT t, :q, :l, 1 + k, '{"no_hit": 1}', :now - interval '20 days', :now - make_interval(days => k),
               :now
        FROM unnest(CAST(:ids AS int[])) t, generate_series(1, 20) k""",
    ]
    engine = create_engine(url)
    with engine.begin() as conn:
        for sql in statements:
            started = time.perf_counter()
            conn.execute(text(sql), {**p, "turns": TURNS})
            print(f"  seeded {sql.split()[2]:<18} in {time.perf_counter() - started:6.1f} s", flush=True)
        for table in ("customer", "conversation", "message", "agent_interaction", "llm_call"):
            conn.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return ids


def _attach(url: str) -> list[int]:
    """A kept database: bring its schema to the newest migration (new indexes) and read its tenants."""
    os.environ.update(DATABASE_URL=url, LOG_FORMAT="text")
    os.environ["PARLEY_SECRET_KEYS"] = BENCH_KEY
    from engine.config import reset_settings_cache
    from engine.db import reset_engine_cache
    from engine.migrations import upgrade

    reset_settings_cache()
    reset_engine_cache()
    upgrade("heads")
    engine = create_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        ids = [int(i) for i in conn.execute(text("SELECT id FROM tenant ORDER BY id")).scalars()]
    engine.dispose()
    return ids


def _time(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    for _ in range(3):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, -(-len(samples) * 95 // 100) - 1)]


def _measure(tenant_id: int, repeat: int) -> list[tuple[str, float, float, float, float]]:
    from engine.analytics import gaps
    from engine.analytics.costs import costs
    from engine.analytics.handoffs import handoffs
    from engine.analytics.performance import first_response, performance, reply_times
    from engine.analytics.periods import make_period
    from engine.analytics.report import page_report, tenant_zone
    from engine.analytics.resolution import summarize
    from engine.analytics.satisfaction import by_knowledge_entry, satisfaction
    from engine.analytics.topics import topics
    from engine.analytics.traffic import traffic
    from engine.db import session_scope

    with session_scope() as s:
        zone = tenant_zone(s, tenant_id)
    period = make_period(None, None, zone, "day", today=NOW.date())

    def floor_sql(table: str, column: str = "created_at") -> Callable[[Any], Any]:
        sql = text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t AND {column} >= :a AND {column} < :b")
        return lambda s: s.execute(sql, {"t": tenant_id, "a": period.since, "b": period.until}).scalar()

    cases: list[tuple[str, Callable[[Any], Any], Callable[[Any], Any]]] = [
        (
            "conversations per day + resolution",
            lambda s: traffic(s, tenant_id, period, now=NOW),
            floor_sql("conversation"),
        ),
        (
            "  of which resolution.summarize",
            lambda s: summarize(s, tenant_id, since=period.since, until=period.until, now=NOW),
            floor_sql("conversation"),
        ),
        (
            "satisfaction (on the page)",
            lambda s: satisfaction(s, tenant_id, period, now=NOW, knowledge=False),
            floor_sql("conversation"),
        ),
        (
            "satisfaction by knowledge entry (after)",
            lambda s: by_knowledge_entry(s, tenant_id, period, now=NOW),
            floor_sql("agent_interaction"),
        ),
        ("handoffs by category", lambda s: handoffs(s, tenant_id, period), floor_sql("agent_interaction")),
        ("first response p50/95/99", lambda s: first_response(s, tenant_id, period), floor_sql("message")),
        ("reply times agent/person", lambda s: reply_times(s, tenant_id, period), floor_sql("message")),
        (
            "performance (all of it)",
            lambda s: performance(s, tenant_id, period),
            floor_sql("agent_interaction"),
        ),
        ("costs per model/day/conv.", lambda s: costs(s, tenant_id, period), floor_sql("llm_call")),
        ("topics (intents, items)", lambda s: topics(s, tenant_id, period), floor_sql("agent_interaction")),
        (
            "knowledge gaps list",
            lambda s: gaps.list_gaps(s, tenant_id, since=period.since, until=period.until),
            floor_sql("knowledge_gap", "last_seen_at"),
        ),
        (
            "PAGE: page_report (2 periods)",
            lambda s: page_report(s, tenant_id, period, now=NOW),
            floor_sql("agent_interaction"),
        ),
    ]
    rows = []
    for name, fn, floor in cases:
        with session_scope() as s:
            p50, p95 = _time(lambda fn=fn, s=s: fn(s), repeat)
            f50, f95 = _time(lambda floor=floor, s=s: floor(s), repeat)
        rows.append((name, p50, p95, f50, f95))
        print(
            f"{name:<38} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms   floor p50 {f50:6.1f} ms  p95 {f95:6.1f} ms",
            flush=True,
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--keep", action="store_true", help="leave the database for --reuse (drop it yourself)"
    )
    parser.add_argument("--reuse", help="measure an existing database kept by --keep (no seeding)")
    args = parser.parse_args()
    name = args.reuse or f"parley_bench_analytics_{os.getpid()}"
    url = f"{args.server.rstrip('/')}/{name}"
    admin = create_engine(f"{args.server.rstrip('/')}/postgres", isolation_level="AUTOCOMMIT")
    if not args.reuse:
        with admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        started = time.perf_counter()
        if args.reuse:
            ids = _attach(url)
        else:
            print(
                f"seeding {args.interactions:,} turns for {args.tenants} tenants over {DAYS} days into {name}"
            )
            ids = _seed(url, args.interactions, args.tenants)
        print(f"ready in {time.perf_counter() - started:.0f} s; one tenant, the 30 days to {NOW.date()}:")
        rows = _measure(ids[0], args.repeat)
        worst = max(p95 for name, _, p95, _, _ in rows if not name.startswith("PAGE"))
        page = next(p95 for name, _, p95, _, _ in rows if name.startswith("PAGE"))
        print(f"worst query p95 {worst:.1f} ms (target ≤ 150) · page p95 {page:.1f} ms (target ≤ 1000)")
    finally:
        from engine.db import reset_engine_cache

        reset_engine_cache()
        if args.keep or args.reuse:
            print(f"kept {name}")
        else:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


if __name__ == "__main__":
    main()
