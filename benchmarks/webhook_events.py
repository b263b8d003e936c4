"""What outgoing webhooks cost: `events.emit` inside a transaction (the webhook path pays it) and the worker's
delivery rate to a local receiver.

Question: does emitting in the transaction of what happened slow ingest, and how many deliveries a second does
one worker send? Target: emit ≤ 1 ms at p95 with no endpoint (every inbound message pays it), delivery ≥ 100/s
to a fast receiver from one worker.

Method: a temporary SQLite database (or `--database-url`), one tenant. *emit, no endpoint*: N transactions
each calling `emit` once (one indexed read, nothing written). *emit, one endpoint*: the same with a subscribed
endpoint (the event and one delivery row written). Times are the emit call alone (perf_counter around it),
the commit excluded. *delivery*: the N events of the second run delivered by `deliver_due` in one process to
the test receiver (tests/fakes/webhook_receiver.py) on 127.0.0.1, signed, claimed and recorded as in
production; deliveries/s = N / wall time.

Run: `.venv/bin/python benchmarks/webhook_events.py` (`--events 500`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="parley-hooks-")
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.db"
    os.environ["WEBHOOKS_ALLOW_PRIVATE_URLS"] = "true"
    os.environ.setdefault("DATA_DIR", tmp)

    from engine.accounts import tenants
    from engine.db import create_all, session_scope
    from engine.integrations import delivery, endpoints, events
    from tests.fakes.webhook_receiver import WebhookReceiver

    create_all()
    receiver = WebhookReceiver().start()
    with session_scope() as s:
        tenant_id = int(tenants.create_tenant(s, name="Bench", slug=f"bench-{os.getpid()}").id or 0)

    def run_emits() -> list[float]:
        took = []
        for i in range(args.events):
            with session_scope() as s:
                started = time.perf_counter()
                events.emit(s, tenant_id, "message.received", {"conversation_id": i, "text": "hello"})
                took.append((time.perf_counter() - started) * 1000)
        return took

    none = run_emits()
    with session_scope() as s:
        endpoints.create(s, tenant_id, name="Receiver", url=receiver.url, events=["message.received"])
    one = run_emits()
    started = time.perf_counter()
    sent = 0
    while sent < args.events:
        done = delivery.deliver_due(limit=100)
        if not done:
            break
        sent += done
    wall = time.perf_counter() - started
    receiver.stop()
    for name, took in (("emit, no endpoint", none), ("emit, one endpoint", one)):
        print(
            f"{name:22} p50 {statistics.median(took):.3f} ms  p95 {_pct(took, 0.95):.3f} ms  "
            f"p99 {_pct(took, 0.99):.3f} ms  (n={len(took)})"
        )
    got = len(receiver.received)
    print(f"{'delivery':22} {sent} sent in {wall:.2f} s: {sent / wall:.0f}/s ({got} received)")


if __name__ == "__main__":
    main()
