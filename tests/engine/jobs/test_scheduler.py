"""The scheduler carries the housekeeping jobs, and runs embedded only in single-process mode."""

from __future__ import annotations

import logging
import threading
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


# --- warming the local embedding model at start-up ----------------------------------------------------------


class _FakeLocalModel:
    """Stands in for sentence-transformers: `embed` waits until the test lets it finish."""

    name = "local:fake"
    dimension = 3

    def __init__(self, release: threading.Event, done: threading.Event, fail: bool) -> None:
        self.release, self.done, self.fail = release, done, fail

    def embed(self, texts):
        self.release.wait(5)
        if self.fail:
            raise RuntimeError("the model folder is corrupt")
        self.done.set()
        return [[1.0, 0.0, 0.0] for _ in texts]


class _Started:
    def get_jobs(self) -> list:
        return []

    def start(self) -> None:  # a BlockingScheduler would block here: the warm-up must already be under way
        return None

    def shutdown(self, wait: bool = True) -> None:
        return None


@pytest.fixture
def local_model(monkeypatch: pytest.MonkeyPatch):
    """KNOWLEDGE_EMBEDDER=local backed by a fake model; yields (release, done, threads, set_fail)."""
    from engine.knowledge import embeddings as emb

    release, done = threading.Event(), threading.Event()
    options = {"fail": False}
    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", "local")
    reset_settings_cache()
    monkeypatch.setattr(emb, "_local_instances", {})
    monkeypatch.setitem(
        emb._factories, "local", lambda arg, creds: _FakeLocalModel(release, done, options["fail"])
    )
    threads: list[threading.Thread | None] = []
    real_start = jobs.start_local_warmup

    def spy() -> threading.Thread | None:
        threads.append(real_start())
        return threads[-1]

    monkeypatch.setattr(jobs, "start_local_warmup", spy)
    monkeypatch.setattr(jobs, "build_scheduler", lambda *, blocking: _Started())
    yield release, done, threads, options
    release.set()


def test_the_worker_warms_the_local_model_without_waiting_for_it(local_model) -> None:
    release, done, threads, _ = local_model
    jobs.run_worker()  # returns while the model is still "loading"
    assert len(threads) == 1 and threads[0] is not None and threads[0].is_alive()
    assert not done.is_set()
    release.set()
    threads[0].join(5)
    assert done.is_set()


async def test_the_embedded_scheduler_warms_the_local_model(
    local_model, monkeypatch: pytest.MonkeyPatch
) -> None:
    release, done, threads, _ = local_model
    monkeypatch.delenv("REDIS_URL", raising=False)
    reset_settings_cache()
    async with jobs.embedded_scheduler():
        assert threads and threads[0] is not None and not done.is_set()
        release.set()
        threads[0].join(5)
    assert done.is_set()


def test_a_failed_warm_up_is_logged_not_raised(local_model, caplog: pytest.LogCaptureFixture) -> None:
    release, done, threads, options = local_model
    options["fail"] = True
    release.set()
    with caplog.at_level(logging.ERROR, logger="engine.knowledge.embeddings"):
        jobs.run_worker()
        threads[0].join(5)
    assert not done.is_set()
    failures = [r for r in caplog.records if "warming the local embedding model" in r.getMessage()]
    assert failures and failures[0].levelno == logging.ERROR and failures[0].exc_info is not None


def test_a_broken_setting_does_not_stop_the_worker(
    local_model, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from engine.knowledge import embeddings as emb

    _, _, threads, _ = local_model

    def broken() -> None:
        raise RuntimeError("settings unreadable")

    monkeypatch.setattr(emb, "local_warmup_spec", broken)
    with caplog.at_level(logging.ERROR, logger="engine.knowledge.embeddings"):
        jobs.run_worker()
    assert threads == [None]
    assert any("whether to warm" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    ("embedder", "env_key", "installed", "expected"),
    [
        ("local", None, False, "local"),
        ("local:/models/minilm", None, False, "local:/models/minilm"),
        ("auto", None, True, "local"),
        ("auto", None, False, None),
        ("auto", "OPENAI_API_KEY", True, None),  # every tenant embeds through a provider then
        ("none", None, True, None),
        ("openai", None, True, None),
    ],
)
def test_which_settings_call_for_a_warm_up(
    monkeypatch: pytest.MonkeyPatch, embedder: str, env_key: str | None, installed: bool, expected: str | None
) -> None:
    from engine.knowledge import embeddings as emb

    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", embedder)
    if env_key:
        monkeypatch.setenv(env_key, "sk-env-key-0000")
    reset_settings_cache()
    monkeypatch.setattr(emb, "local_model_available", lambda: installed)
    assert emb.local_warmup_spec() == expected


def test_nothing_is_warmed_when_no_local_model_is_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.knowledge import embeddings as emb

    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", "none")
    reset_settings_cache()
    assert emb.start_local_warmup() is None
    assert emb.warm_up_local_model() is False
