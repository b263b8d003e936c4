"""The load scenario, short (issue #12, item 5): SQLite, two in-process workers, three tenants — one whose
model fails or hangs 30% of the time, one whose model always hangs — Twilio answering 429s, 5xx and
accept-then-timeouts at random. Runs in the normal suite (well under a minute); the long run on PostgreSQL +
Redis with killed worker processes is tests/load/test_full.py (`make test-load`)."""

from __future__ import annotations

import os

import pytest

from tests.load.driver import Scenario, run


@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")), reason="the smoke runs on SQLite only")
def test_every_burst_is_answered_once_or_handed_to_a_person_with_a_reason() -> None:
    scenario = Scenario(
        tenants=3,
        customers=9,
        seconds=15,
        burst_window=1.0,
        hanging_tenant=True,
        llm_timeout=1.0,
        settle_seconds=35,
    )
    report = run(scenario, log=lambda line: None)
    print("\n".join(report.lines()))
    assert report.received >= 9
    assert report.received == report.answered + report.handed_off + report.never_answered
    assert report.never_answered == 0, report.lines()
    assert report.duplicates == 0
    assert report.handed_off_without_reason == 0
    healthy = report.latency.get("t3 (healthy)") or []
    assert healthy, "the healthy tenant was answered"
