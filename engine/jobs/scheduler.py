"""APScheduler wiring shared by `engine worker` and the console's embedded single-process mode.

Every job must stay correct when two schedulers run at once (row claims, advisory locks).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from engine.agent.memory import run_memory_maintenance
from engine.config import get_settings
from engine.jobs.alerts import run_alerts
from engine.jobs.campaigns import JOBS as CAMPAIGN_JOBS
from engine.jobs.housekeeping import purge_dead_sessions
from engine.jobs.integrations import JOBS as INTEGRATION_JOBS
from engine.jobs.knowledge_gaps import JOBS as GAP_JOBS
from engine.jobs.queue import run_message_queue
from engine.jobs.ratings import JOBS as RATING_JOBS
from engine.knowledge.embeddings import start_local_warmup
from engine.knowledge.index import repair_all
from engine.observability.instrument import observed_job

log = logging.getLogger(__name__)


def _observing(scheduler: BaseScheduler) -> BaseScheduler:
    """Every job added from here on is timed, counted and logged as it runs (engine.observability: the
    `job.run` event, parley_job_runs_total); jobs ticking every few seconds log at DEBUG when they succeed."""
    add_job = scheduler.add_job

    def add_observed(func: Any, trigger: Any = None, *args: Any, **kwargs: Any) -> Any:
        job_id = kwargs.get("id") or getattr(func, "__name__", "job")
        quiet = trigger == "interval" and not {"minutes", "hours", "days", "weeks"} & set(kwargs)
        return add_job(observed_job(job_id, func, quiet=quiet), trigger, *args, **kwargs)

    scheduler.add_job = add_observed  # type: ignore[method-assign]
    return scheduler


def register_jobs(scheduler: BaseScheduler) -> BaseScheduler:
    scheduler = _observing(scheduler)
    scheduler.add_job(
        run_alerts,
        "interval",
        minutes=1,
        id="alerts",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
    scheduler.add_job(
        run_message_queue,
        "interval",
        seconds=1,
        id="message_queue",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
    scheduler.add_job(
        run_memory_maintenance,
        "interval",
        minutes=2,
        id="agent_memory",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
    scheduler.add_job(
        repair_all,
        "interval",
        minutes=15,
        id="knowledge_repair",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
    scheduler.add_job(
        purge_dead_sessions,
        "interval",
        hours=1,
        id="purge_dead_sessions",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
    )
    for job, every in (*CAMPAIGN_JOBS, *INTEGRATION_JOBS, *RATING_JOBS, *GAP_JOBS):
        scheduler.add_job(
            job, "interval", id=job.__name__, replace_existing=True, coalesce=True, max_instances=1, **every
        )
    return scheduler


def build_scheduler(*, blocking: bool) -> BaseScheduler:
    scheduler: BaseScheduler = BlockingScheduler() if blocking else BackgroundScheduler(daemon=True)
    return register_jobs(scheduler)


def run_worker() -> None:
    start_local_warmup()  # in the background: the first customer search must not pay the model load
    scheduler = build_scheduler(blocking=True)
    log.info("worker started with jobs: %s", [job.id for job in scheduler.get_jobs()])
    scheduler.start()


@asynccontextmanager
async def embedded_scheduler() -> AsyncIterator[None]:
    """Reflex lifespan task: in single-process mode (no REDIS_URL) the console also runs the jobs.

    With Redis, Reflex starts several workers and each would start a scheduler, so `engine worker` owns
    the jobs instead.
    """
    if get_settings().redis_url:
        yield
        return
    scheduler = build_scheduler(blocking=False)
    scheduler.start()
    log.info("embedded scheduler started")
    start_local_warmup()  # this process answers customers: load the local model now, in the background
    try:
        yield
    finally:
        scheduler.shutdown(wait=False)
