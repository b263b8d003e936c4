"""Handoffs: how often conversations went to a person, and why, by category.

The agent's handoffs are counted from its turns (agent_interaction.handoff_category, the plain code of the
encrypted reason); staff taking a conversation over without the agent asking are the audit log's
`conversation.take_over` rows, category "staff". The rate is over the WhatsApp conversations the agent
answered in the range: those with at least one turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlmodel import Session

from engine.analytics.performance import whatsapp_turn
from engine.analytics.periods import Period, in_period
from engine.models import AgentInteraction, AuditLog

TAKE_OVER = "conversation.take_over"
STAFF = "staff"


@dataclass(frozen=True, slots=True)
class HandoffReason:
    category: str  # the code (engine.agent.labels.HANDOFF_CATEGORIES says it in words)
    count: int
    share_pct: int


@dataclass(frozen=True, slots=True)
class Handoffs:
    conversations: int = 0  # WhatsApp conversations the agent answered in the range
    handed_off: int = 0  # of those, handed to a person by the agent
    rate_pct: int | None = None
    taken_over: int = 0  # staff took a conversation over
    reasons: list[HandoffReason] = field(default_factory=list)


def handoffs(session: Session, tenant_id: int, period: Period) -> Handoffs:
    turns = (
        AgentInteraction.tenant_id == tenant_id,
        in_period(AgentInteraction.created_at, period),
        whatsapp_turn(tenant_id),
    )
    answered, handed = session.execute(
        select(
            func.count(func.distinct(AgentInteraction.conversation_id)),
            func.count(func.distinct(AgentInteraction.conversation_id)).filter(
                AgentInteraction.handoff.is_(True)  # type: ignore[attr-defined]
            ),
        ).where(*turns)
    ).one()
    by_category = session.execute(
        select(AgentInteraction.handoff_category, func.count())
        .where(*turns, AgentInteraction.handoff.is_(True))  # type: ignore[attr-defined]
        .group_by(AgentInteraction.handoff_category)
    ).all()
    taken = int(
        session.execute(
            select(func.count())
            .select_from(AuditLog)
            .where(
                AuditLog.tenant_id == tenant_id,
                AuditLog.action == TAKE_OVER,
                in_period(AuditLog.created_at, period),
            )
        ).scalar()
        or 0
    )
    counts: dict[str, int] = {}
    for category, n in by_category:
        key = category or "handoff"
        counts[key] = counts.get(key, 0) + int(n)
    if taken:
        counts[STAFF] = counts.get(STAFF, 0) + taken
    total = sum(counts.values())
    reasons = [
        HandoffReason(c, n, round(n * 100 / total) if total else 0)
        for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    answered, handed = int(answered or 0), int(handed or 0)
    return Handoffs(
        conversations=answered,
        handed_off=handed,
        rate_pct=round(handed * 100 / answered) if answered else None,
        taken_over=taken,
        reasons=reasons,
    )


__all__ = ["HandoffReason", "Handoffs", "handoffs"]
