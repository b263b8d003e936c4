"""The scheduler carries the housekeeping jobs, and runs embedded only in single-process mode."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from engine.accounts import sessions
from engine.config import reset_settings_cache
from engine.db import session_scope
from engine.jobs import scheduler as jobs
from engine.jobs.housekeeping import purge_dead_sessions
from engine.models import UserSession, utcnow
from tests.factories import new_tenant, new_user


def test_the_worker_schedules_the_housekeeping_jobs() -> None:
    assert "purge_dead_sessions" in {job.id for job in jobs.build_scheduler(blocking=False).get_jobs()}


def test_long_dead_sessions_are_purged_and_live_ones_kept() -> None:
    with session_scope() as session:
        new_user(session, new_tenant(session), email="o@example.com")
        live = sessions.login(session, "o@example.com", "correct horse battery")
        sessions.login(session, "o@example.com", "correct horse battery")
        rows = session.exec(select(UserSession).order_by(UserSession.id)).all()
        rows[1].expires_at = utcnow() - timedelta(days=8)
        session.add(rows[1])
    assert purge_dead_sessions() == 1
    with session_scope() as session:
        assert sessions.resolve(session, live).email == "o@example.com"
        assert len(session.exec(select(UserSession)).all()) == 1


@pytest.mark.parametrize(("configured_redis", "starts"), [(None, True), ("redis://127.0.0.1:1/0", False)])
async def test_the_console_runs_the_scheduler_only_without_redis(
    monkeypatch: pytest.MonkeyPatch, configured_redis: str | None, starts: bool
) -> None:
    started: list[bool] = []
    real_build = jobs.build_scheduler

    def spy(*, blocking: bool):
        scheduler = real_build(blocking=blocking)
        started.append(True)
        return scheduler

    if configured_redis:
        monkeypatch.setenv("REDIS_URL", configured_redis)
    else:
        monkeypatch.delenv("REDIS_URL", raising=False)
    reset_settings_cache()
    monkeypatch.setattr(jobs, "build_scheduler", spy)
    async with jobs.embedded_scheduler():
        pass
    assert bool(started) is starts
