"""Rating jobs: ask for due ratings, answer taps, poll the rating template, and close what the agent
resolved. Wired here because closing needs both the resolution definition (engine/analytics) and the
lifecycle (engine/conversations)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from engine.analytics.resolution import classify
from engine.conversations import lifecycle, rating_prompts
from engine.db import session_scope
from engine.models import Conversation, RatingSettings, utcnow

CLOSE_BATCH = 200


def run_rating_prompts() -> int:
    return rating_prompts.ask_due() + rating_prompts.acknowledge_taps()


def poll_rating_templates() -> int:
    return rating_prompts.poll_template()


def close_resolved_by_agent(*, now: datetime | None = None) -> int:
    """For tenants that ask for ratings: a bot conversation the agent resolved (the customer stayed quiet
    for the tenant's window after the agent's last answer, no person involved: engine/analytics/
    resolution.py) is closed by the agent, which asks for the rating like a close by staff."""
    now = now or utcnow()
    with session_scope() as session:
        tenants = session.execute(
            select(RatingSettings.tenant_id, RatingSettings.resolution_window_hours).where(
                RatingSettings.enabled.is_(True)  # type: ignore[attr-defined]
            )
        ).all()
    closed = 0
    for tenant_id, hours in tenants:
        window = timedelta(hours=int(hours))
        with session_scope() as session:
            quiet = session.execute(
                select(Conversation.id)
                .where(
                    Conversation.tenant_id == tenant_id,
                    Conversation.channel == "whatsapp",
                    Conversation.status == "bot",
                    Conversation.last_activity_at <= now - window,
                )
                .order_by(Conversation.last_activity_at)
                .limit(CLOSE_BATCH)
            ).scalars()
            outcomes = classify(session, int(tenant_id), quiet, now=now, window=window)
            for conversation_id, resolution in sorted(outcomes.items()):
                if resolution.outcome == "agent":
                    lifecycle.close(
                        session, int(tenant_id), conversation_id, None, actor_label="agent", now=now
                    )
                    closed += 1
    return closed


JOBS = (
    (run_rating_prompts, {"seconds": 2}),
    (poll_rating_templates, {"minutes": 1}),
    (close_resolved_by_agent, {"minutes": 5}),
)

__all__ = ["JOBS", "close_resolved_by_agent", "poll_rating_templates", "run_rating_prompts"]
