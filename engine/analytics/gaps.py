"""Knowledge gaps: the customer questions the agent could not answer, grouped by meaning.

A question is unanswered when the agent's turn drew on no knowledge entry, was less sure than the tenant's
confidence threshold, or handed off because nothing answered it (category `no_answer`). Greetings, thanks
and the like are no questions: the caller passes the social intent names (engine.agent.intents.SOCIAL, wired
by engine/jobs/knowledge_gaps.py, since analytics sits below the agent).

Grouping runs in a job, never on the reply path: the questions (decrypted here, in the job) are embedded by
the embedder the job hands in — the product's local MiniLM model (engine.knowledge.embeddings), offline — and
grouped by average-linkage clustering on cosine distance (scikit-learn). Each group keeps the question
nearest its centre as its title, a few others as examples, its size and why its questions went unanswered.
A run replaces the tenant's groups in one transaction, so the list is always one run's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import numpy as np
from sqlalchemy import delete, or_, select
from sqlmodel import Session

from engine.db import TenantScope
from engine.models import AgentConfiguration, AgentInteraction, Conversation, utcnow
from engine.models.analytics import KnowledgeGap

WINDOW = timedelta(days=30)
MAX_QUESTIONS = 2000  # the newest ones: enough to find what is missing, bounded work per tenant
MAX_DISTANCE = 0.45  # cosine distance inside a group (MiniLM: paraphrases ≈ 0.2–0.4, unrelated > 0.7)
EXAMPLES = 5
MAX_GROUPS = 50
DEFAULT_THRESHOLD = 0.55


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    at: datetime
    reason: str  # no_answer | low_confidence | no_hit


@dataclass(frozen=True, slots=True)
class Group:
    question: str
    examples: list[str]
    size: int
    reasons: dict[str, int]
    first_seen_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True, slots=True)
class GapView:
    id: int
    question: str
    examples: list[str]
    size: int
    reasons: dict[str, int] = field(default_factory=dict)
    last_seen_at: datetime = field(default_factory=utcnow)
    computed_at: datetime = field(default_factory=utcnow)


def _threshold(session: Session, tenant_id: int) -> float:
    value = session.execute(
        select(AgentConfiguration.confidence_threshold).where(AgentConfiguration.tenant_id == tenant_id)
    ).scalar()
    return float(value) if value is not None else DEFAULT_THRESHOLD


def unanswered(
    session: Session, tenant_id: int, *, since: datetime, social: Iterable[str] = ()
) -> list[Question]:
    """The tenant's unanswered customer questions since `since`, newest first (WhatsApp only)."""
    threshold = _threshold(session, tenant_id)
    t = AgentInteraction
    rows = TenantScope(session, tenant_id).all(
        t,
        t.created_at >= since,
        or_(t.knowledge_hit_count == 0, t.confidence < threshold, t.handoff_category == "no_answer"),
        t.conversation_id.in_(  # type: ignore[union-attr]
            select(Conversation.id).where(
                Conversation.tenant_id == tenant_id, Conversation.channel == "whatsapp"
            )
        ),
    )
    rows.sort(key=lambda r: (r.created_at, r.id or 0), reverse=True)
    skip = set(social)
    found: list[Question] = []
    for row in rows[:MAX_QUESTIONS]:
        text = " ".join((row.customer_message or "").split())
        if len(text) < 4 or (row.intent_names and set(row.intent_names) <= skip):
            continue
        if row.handoff_category == "no_answer":
            reason = "no_answer"
        elif row.confidence is not None and row.confidence < threshold:
            reason = "low_confidence"
        else:
            reason = "no_hit"
        found.append(Question(text[:500], row.created_at, reason))
    return found


def group(
    questions: Sequence[Question], embedder: Embedder, max_distance: float = MAX_DISTANCE
) -> list[Group]:
    """Questions alike in meaning, largest group first (see the module docstring)."""
    if not questions:
        return []
    texts = [q.text for q in questions]
    vectors = np.asarray(embedder.embed(texts), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms == 0, 1, norms)
    if len(questions) == 1:
        labels = np.zeros(1, dtype=int)
    else:
        from sklearn.cluster import AgglomerativeClustering

        labels = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=max_distance
        ).fit_predict(vectors)
    groups: list[Group] = []
    for label in sorted(set(labels.tolist())):
        members = [i for i, lab in enumerate(labels) if lab == label]
        centre = vectors[members].mean(axis=0)
        typical = max(members, key=lambda i: float(vectors[i] @ centre))
        others: list[str] = []
        seen = {texts[typical].lower()}
        for i in sorted(members, key=lambda i: questions[i].at, reverse=True):
            if texts[i].lower() not in seen and len(others) < EXAMPLES:
                seen.add(texts[i].lower())
                others.append(texts[i])
        groups.append(
            Group(
                question=texts[typical],
                examples=others,
                size=len(members),
                reasons=dict(Counter(questions[i].reason for i in members)),
                first_seen_at=min(questions[i].at for i in members),
                last_seen_at=max(questions[i].at for i in members),
            )
        )
    groups.sort(key=lambda g: (-g.size, -g.last_seen_at.timestamp(), g.question))
    return groups[:MAX_GROUPS]


def refresh(
    session: Session,
    tenant_id: int,
    embedder: Embedder,
    *,
    social: Iterable[str] = (),
    now: datetime | None = None,
) -> int:
    """Recompute the tenant's knowledge gaps over the last WINDOW; returns how many groups it found."""
    now = now or utcnow()
    groups = group(unanswered(session, tenant_id, since=now - WINDOW, social=social), embedder)
    session.execute(delete(KnowledgeGap).where(KnowledgeGap.tenant_id == tenant_id))  # type: ignore[arg-type]
    scope = TenantScope(session, tenant_id)
    for g in groups:
        scope.add(
            KnowledgeGap(
                question=g.question,
                examples=g.examples,
                size=g.size,
                reasons=g.reasons,
                first_seen_at=g.first_seen_at,
                last_seen_at=g.last_seen_at,
                computed_at=now,
            )
        )
    return len(groups)


def list_gaps(
    session: Session, tenant_id: int, *, since: datetime | None = None, until: datetime | None = None
) -> list[GapView]:
    """The last run's groups (last seen in [since, until) when given), largest first."""
    where: list[Any] = []
    if since is not None:
        where.append(KnowledgeGap.last_seen_at >= since)
    if until is not None:
        where.append(KnowledgeGap.last_seen_at < until)
    rows = TenantScope(session, tenant_id).all(KnowledgeGap, *where)
    rows.sort(key=lambda r: (-r.size, -r.last_seen_at.timestamp(), r.id or 0))
    return [
        GapView(
            int(r.id or 0),
            r.question,
            list(r.examples or []),
            r.size,
            dict(r.reasons or {}),
            r.last_seen_at,
            r.computed_at,
        )
        for r in rows
    ]


def tenants_with_turns(session: Session, since: datetime) -> list[int]:
    """Tenants whose agent answered since `since`: the ones worth a run."""
    return sorted(
        int(t)
        for t in session.execute(
            select(AgentInteraction.tenant_id).where(AgentInteraction.created_at >= since).distinct()
        ).scalars()
    )


__all__ = [
    "GapView",
    "Group",
    "Question",
    "group",
    "list_gaps",
    "refresh",
    "tenants_with_turns",
    "unanswered",
]
