"""A resolution asks for a rating: the lifecycle's `close` calls `request` in its own transaction.

Only a row in status `due` is written here — a cheap insert the close can afford. Whether and how the
customer is actually asked (opted out, a person on it, asked too recently, the 24-hour window, a template)
is decided by the ratings job a second later (engine.conversations.rating_prompts), which can call Twilio.
Every close asks again: a conversation reopened and closed twice is rated twice (the request's key is the
close's time).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from engine.models import Conversation, Rating, RatingSettings


def ratings_on(session: Session, tenant_id: int) -> int | None:
    """The tenant's scale when it asks for ratings (on for a new tenant, switched in Settings → Integrations;
    no row: off)."""
    found = session.execute(
        select(RatingSettings.enabled, RatingSettings.scale).where(RatingSettings.tenant_id == tenant_id)
    ).first()
    return int(found[1]) if found is not None and found[0] else None


def request(session: Session, conversation: Conversation, *, by: str, now: datetime) -> Rating | None:
    """A rating to ask for this close (`by`: agent | staff), or None when the tenant does not ask."""
    scale = ratings_on(session, conversation.tenant_id) if conversation.channel == "whatsapp" else None
    if scale is None:
        return None
    row = Rating(
        tenant_id=conversation.tenant_id,
        conversation_id=int(conversation.id or 0),
        customer_id=conversation.customer_id,
        resolved_at=now,
        resolved_by=by,
        status="due",
        scale=scale,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


__all__ = ["ratings_on", "request"]
