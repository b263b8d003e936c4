"""The full load and fault run (issue #12, item 5; `make test-load`, not part of `make test`).

50 customers across 5 tenants for 5 minutes on PostgreSQL + Redis with two `python -m engine worker`
processes and the fake servers: one tenant's model fails or hangs 30% of the time, Twilio answers 429s, 5xx
and accept-then-timeouts, a worker is killed (SIGKILL) mid-send and another mid-model-call, and PostgreSQL
connections are terminated every 30 s. Counts: received = answered + handed to a person (with a reason),
no duplicates, every healthy tenant's burst answered. LOAD_SECONDS shortens it while developing."""

from __future__ import annotations

import os

import pytest

from tests.load.driver import Scenario, run

pytestmark = pytest.mark.skipif(
    not os.environ.get("PARLEY_LOAD") or not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="the full load run: `make test-load` (PostgreSQL + Redis)",
)


def test_fifty_customers_five_tenants_with_faults_and_killed_workers() -> None:
    scenario = Scenario(
        tenants=5,
        customers=50,
        seconds=float(os.environ.get("LOAD_SECONDS", "300")),
        burst_window=2.0,
        workers="processes",
        worker_count=2,
        kill_mid_send=True,
        kill_mid_model=True,
        terminate_connections=True,
        llm_timeout=2.0,
        settle_seconds=150,
    )
    report = run(scenario)
    print("\n".join(report.lines()))
    assert report.received == report.answered + report.handed_off + report.never_answered
    assert report.never_answered == 0, report.lines()
    assert report.healthy_unanswered == 0
    assert report.duplicates == 0
    assert report.handed_off_without_reason == 0
    assert len(report.kills) == 2, report.kills
