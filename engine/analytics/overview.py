"""The Overview's figures: today's conversations, how many the agent closed alone, how many went to a person,
how fast customers got their first answer, and what needs attention now.

Only WhatsApp conversations count (playground chats are staff testing their agent). Rates cover the last
seven days, so a quiet morning does not read as 0%; "today" starts at midnight in the tenant's time zone.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from engine.channels.whatsapp.status import FAILED
from engine.models import AgentInteraction, Conversation, Message, Tenant, utcnow
from engine.models.base import as_utc, zone_or_utc

RATE_WINDOW = timedelta(days=7)
FAILED_LOOKBACK = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class OverviewFigures:
    conversations_today: int
    active_in_window: int  # conversations with activity in the last seven days
    handoff_pct: int | None  # of those, handed to a person (None: no conversations)
    closed_in_window: int
    resolved_by_agent_pct: int | None  # of the closed ones, closed without a person replying
    first_response_seconds: float | None  # median, conversations started in the window
    needs_human: int  # waiting for a person now
    failed_sends: int  # outbound messages that failed in the last two days


def _midnight(tenant: Tenant | None, now: datetime) -> datetime:
    local = now.astimezone(zone_or_utc(tenant.time_zone if tenant else None))
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def _pct(part: int, whole: int) -> int | None:
    return round(part * 100 / whole) if whole else None


def overview_figures(session: Session, tenant_id: int, *, now: datetime | None = None) -> OverviewFigures:
    now = now or utcnow()
    since = now - RATE_WINDOW
    mine = (Conversation.tenant_id == tenant_id, Conversation.channel == "whatsapp")

    def count(*where: object) -> int:
        return int(
            session.execute(select(func.count()).select_from(Conversation).where(*mine, *where)).scalar()
        )

    today = count(Conversation.created_at >= _midnight(session.get(Tenant, tenant_id), now))
    active_ids = select(Conversation.id).where(*mine, Conversation.last_activity_at >= since)
    active = count(Conversation.last_activity_at >= since)
    # A person was involved: the agent handed over, or staff wrote in it.
    handed = select(AgentInteraction.conversation_id).where(
        AgentInteraction.tenant_id == tenant_id,
        AgentInteraction.handoff.is_(True),  # type: ignore[attr-defined]
    )
    staff = select(Message.conversation_id).where(
        Message.tenant_id == tenant_id,
        Message.sent_by_user_id.is_not(None),  # type: ignore[union-attr]
    )
    with_person = (
        Conversation.id.in_(handed)  # type: ignore[union-attr]
        | Conversation.id.in_(staff)  # type: ignore[union-attr]
        | (Conversation.status == "handoff")
    )
    handed_over = count(Conversation.id.in_(active_ids), with_person)  # type: ignore[union-attr]
    closed_window = (Conversation.status == "closed", Conversation.closed_at >= since)
    closed = count(*closed_window)
    closed_alone = count(
        *closed_window,
        ~Conversation.id.in_(staff),  # type: ignore[union-attr]
        ~Conversation.id.in_(handed),  # type: ignore[union-attr]
    )

    first_in = (
        select(Message.conversation_id, func.min(Message.created_at).label("at"))
        .where(Message.tenant_id == tenant_id, Message.direction == "inbound")
        .group_by(Message.conversation_id)
        .subquery()
    )
    first_out = (
        select(Message.conversation_id, func.min(Message.created_at).label("at"))
        .where(Message.tenant_id == tenant_id, Message.direction == "outbound")
        .group_by(Message.conversation_id)
        .subquery()
    )
    pairs = session.execute(
        select(first_in.c.at, first_out.c.at)
        .join(first_out, first_out.c.conversation_id == first_in.c.conversation_id)
        .join(Conversation, Conversation.id == first_in.c.conversation_id)
        .where(*mine, Conversation.created_at >= since)
    ).all()
    waits = [(as_utc(out) - as_utc(inbound)).total_seconds() for inbound, out in pairs]  # type: ignore[operator]
    waits = [w for w in waits if w >= 0]  # a welcome sent before the customer wrote is not a reply
    needs_human = count(Conversation.status == "handoff")
    failed = int(
        session.execute(
            select(func.count())
            .select_from(Message)
            .where(
                Message.tenant_id == tenant_id,
                Message.direction == "outbound",
                Message.status.in_(FAILED),  # type: ignore[attr-defined]
                Message.updated_at >= now - FAILED_LOOKBACK,
            )
        ).scalar()
    )
    return OverviewFigures(
        conversations_today=today,
        active_in_window=active,
        handoff_pct=_pct(handed_over, active),
        closed_in_window=closed,
        resolved_by_agent_pct=_pct(closed_alone, closed),
        first_response_seconds=statistics.median(waits) if waits else None,
        needs_human=needs_human,
        failed_sends=failed,
    )
