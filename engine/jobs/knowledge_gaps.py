"""The knowledge-gaps job: every few hours, group each active tenant's unanswered questions by meaning.

Wired here because it joins three services that do not know each other: the grouping (engine.analytics.gaps),
the local embedding model it groups with (engine.knowledge.embeddings — the MiniLM model the product ships,
offline; the hashing embedder when the `local` extra is not installed) and what counts as small talk
(engine.agent.intents.SOCIAL). One run at a time across processes (a cache lock: a second scheduler skips),
and a run replaces each tenant's groups in its own transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime

from engine.agent.intents import SOCIAL
from engine.analytics import gaps
from engine.cache import LockTimeout, get_cache
from engine.db import session_scope
from engine.knowledge.embeddings import Embedder, build_embedder, local_model_available
from engine.models import utcnow

log = logging.getLogger("engine.jobs.knowledge_gaps")
LOCK = "job:knowledge-gaps"


def gap_embedder() -> Embedder:
    embedder = build_embedder("local" if local_model_available() else "hashing")
    assert embedder is not None
    return embedder


def refresh_knowledge_gaps(*, now: datetime | None = None, embedder: Embedder | None = None) -> int:
    """Recompute every active tenant's gaps; returns the number of groups written."""
    now = now or utcnow()
    try:
        with get_cache().lock(LOCK, ttl=600, wait=0):
            with session_scope() as session:
                tenants = gaps.tenants_with_turns(session, now - gaps.WINDOW)
            embedder = embedder or gap_embedder()
            written = 0
            for tenant_id in tenants:
                with session_scope() as session:
                    written += gaps.refresh(session, tenant_id, embedder, social=SOCIAL, now=now)
            return written
    except LockTimeout:
        log.info("knowledge gaps: another scheduler is running them")
        return 0


JOBS = ((refresh_knowledge_gaps, {"hours": 6}),)

__all__ = ["JOBS", "gap_embedder", "refresh_knowledge_gaps"]
