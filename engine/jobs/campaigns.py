"""Campaign jobs: the dispatcher tick, the reply actions (with the lifecycle's handoff), template approval
polling and order attribution. Wired here because campaigns sit below conversations in the package graph."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session

from engine.campaigns import templates, tracking
from engine.campaigns.actions import run_actions
from engine.campaigns.dispatch import process_dispatcher
from engine.conversations import lifecycle
from engine.db import session_scope
from engine.models import Campaign, utcnow


def _hand_off(session: Session, tenant_id: int, conversation_id: int, reason: str) -> None:
    lifecycle.hand_off(
        session, tenant_id, conversation_id, reason=reason, category="campaign", actor_label="campaign"
    )


def run_campaigns() -> list[int]:
    """Every second: start due campaigns and keep each sending one running (in its own thread)."""
    return process_dispatcher().tick()


def run_campaign_actions() -> int:
    return run_actions(_hand_off)


def poll_templates() -> int:
    return templates.poll_pending()


def attribute_orders() -> int:
    """Orders of the last 8 days not yet attributed, for tenants with campaigns in that time."""
    since = utcnow() - timedelta(days=8)
    with session_scope() as session:
        tenants = (
            session.execute(select(Campaign.tenant_id).where(Campaign.started_at >= since).distinct())
            .scalars()
            .all()
        )
    done = 0
    for tenant_id in tenants:
        with session_scope() as session:
            done += tracking.attribute_recent_orders(session, int(tenant_id), since)
    return done


JOBS = (
    (run_campaigns, {"seconds": 1}),
    (run_campaign_actions, {"seconds": 1}),
    (poll_templates, {"minutes": 1}),
    (attribute_orders, {"minutes": 10}),
)

__all__ = ["JOBS", "attribute_orders", "poll_templates", "run_campaign_actions", "run_campaigns"]
