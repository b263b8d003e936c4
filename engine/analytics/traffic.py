"""Conversations and messages per day, and who handled each conversation: the agent alone or a person.

Counted by the local day a conversation started (the tenant's time zone, engine.analytics.periods), WhatsApp
only (the Playground is staff testing their agent). "A person was involved" is the same test as
engine.analytics.resolution's: the agent handed off, staff wrote in it, or it waits for a person now. How it
ended (resolved by the agent, by a person, unresolved) is resolution.summarize's alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import case, exists, func, select
from sqlmodel import Session

from engine.analytics import resolution
from engine.analytics.performance import not_playground
from engine.analytics.periods import Period, as_date, dialect, in_period, local_day
from engine.models import AgentInteraction, Conversation, Message


@dataclass(frozen=True, slots=True)
class DayTraffic:
    day: date  # the bucket's first day (a week's Monday, a month's 1st)
    conversations: int = 0
    by_agent: int = 0  # no person involved
    with_person: int = 0
    messages_in: int = 0
    messages_out: int = 0


@dataclass(frozen=True, slots=True)
class Traffic:
    days: list[DayTraffic] = field(default_factory=list)
    conversations: int = 0
    with_person: int = 0
    messages_in: int = 0
    messages_out: int = 0
    resolved_by_agent: int = 0
    resolved_by_person: int = 0
    unresolved: int = 0  # the customer gave up or came back unsatisfied (resolution's "unresolved")
    pending: int = 0
    resolved_by_agent_pct: int | None = None
    csat_pct: int | None = None


def person_involved(tenant_id: int) -> object:
    """SQL condition on Conversation: a person was involved (see the module docstring)."""
    handed = exists().where(
        AgentInteraction.tenant_id == tenant_id,
        AgentInteraction.conversation_id == Conversation.id,
        AgentInteraction.handoff.is_(True),  # type: ignore[attr-defined]
    )
    staff = exists().where(
        Message.tenant_id == tenant_id,
        Message.conversation_id == Conversation.id,
        Message.sent_by_user_id.is_not(None),  # type: ignore[union-attr]
    )
    return handed | staff | (Conversation.status == "handoff")


def started(session: Session, tenant_id: int, period: Period) -> int:
    """WhatsApp conversations started in the range (the KPI card's previous period needs no more)."""
    return int(
        session.execute(
            select(func.count())
            .select_from(Conversation)
            .where(
                Conversation.tenant_id == tenant_id,
                Conversation.channel == "whatsapp",
                in_period(Conversation.created_at, period),
            )
        ).scalar()
        or 0
    )


def traffic(
    session: Session,
    tenant_id: int,
    period: Period,
    *,
    now: datetime | None = None,
    summary: resolution.ResolutionSummary | None = None,
) -> Traffic:
    """The range's figures; `summary`: its resolution counts when the caller has them already (the page
    computes them with the satisfaction figures), else resolution.summarize."""
    name = dialect(session)
    day = local_day(Conversation.created_at, period, name).label("day")
    involved = case((person_involved(tenant_id), 1), else_=0)  # type: ignore[arg-type]
    conversation_rows = session.execute(
        select(day, func.count(), func.sum(involved))
        .where(
            Conversation.tenant_id == tenant_id,
            Conversation.channel == "whatsapp",
            in_period(Conversation.created_at, period),
        )
        .group_by(day)
    ).all()
    message_day = local_day(Message.created_at, period, name).label("day")
    message_rows = session.execute(
        select(
            message_day,
            func.sum(case((Message.direction == "inbound", 1), else_=0)),
            func.sum(case((Message.direction == "outbound", 1), else_=0)),
        )
        .where(
            Message.tenant_id == tenant_id,
            not_playground(tenant_id, Message.conversation_id),
            in_period(Message.created_at, period),
        )
        .group_by(message_day)
    ).all()

    buckets: dict[date, list[int]] = {b: [0, 0, 0, 0] for b in period.buckets()}
    for raw, total, with_person in conversation_rows:
        slot = buckets.setdefault(period.bucket(as_date(raw)), [0, 0, 0, 0])
        slot[0] += int(total or 0)
        slot[1] += int(with_person or 0)
    for raw, inbound, outbound in message_rows:
        slot = buckets.setdefault(period.bucket(as_date(raw)), [0, 0, 0, 0])
        slot[2] += int(inbound or 0)
        slot[3] += int(outbound or 0)
    days = [DayTraffic(b, c, c - p, p, i, o) for b, (c, p, i, o) in sorted(buckets.items())]
    summary = summary or resolution.summarize(
        session, tenant_id, since=period.since, until=period.until, now=now
    )
    return Traffic(
        days=days,
        conversations=sum(d.conversations for d in days),
        with_person=sum(d.with_person for d in days),
        messages_in=sum(d.messages_in for d in days),
        messages_out=sum(d.messages_out for d in days),
        resolved_by_agent=summary.by_agent,
        resolved_by_person=summary.by_person,
        unresolved=summary.unresolved,
        pending=summary.pending,
        resolved_by_agent_pct=summary.by_agent_pct,
        csat_pct=summary.csat_pct,
    )


__all__ = ["DayTraffic", "Traffic", "person_involved", "started", "traffic"]
