"""The work replies leave for campaigns, done by the job: one confirmation per opt-out or opt-in, and a tapped
button's canned reply, catalog card or handoff to a person.

Rows are claimed (pending → claimed, by a conditional UPDATE) before anything is sent, so two workers never
confirm twice. The handoff itself belongs to the conversation lifecycle: the job wiring passes it in
(`hand_off`), as campaigns sit below conversations in the package graph.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select, update
from sqlmodel import Session

from engine.campaigns.consent import confirmation
from engine.campaigns.dispatch import worker_id
from engine.campaigns.transport import CampaignTransport
from engine.channels.whatsapp.rich import RichMessageBuilder
from engine.channels.whatsapp.sender import SenderNotConfigured, TwilioSender, default_sender_address
from engine.db import session_scope
from engine.models import CampaignAction, Customer, Product, utcnow

log = logging.getLogger(__name__)
BATCH = 50
STALE = timedelta(minutes=2)

HandOff = Callable[[Session, int, int, str], None]  # (session, tenant_id, conversation_id, reason)


def run_actions(hand_off: HandOff | None = None, *, owner: str | None = None) -> int:
    """Claim and do pending actions, every tenant; returns how many were done."""
    owner = owner or worker_id()
    now = utcnow()
    with session_scope() as session:
        ids = list(
            session.execute(
                select(CampaignAction.id)
                .where(
                    (CampaignAction.status == "pending")
                    | ((CampaignAction.status == "claimed") & (CampaignAction.claimed_at < now - STALE))
                )
                .order_by(CampaignAction.id)
                .limit(BATCH)
            ).scalars()
        )
        if not ids:
            return 0
        session.execute(
            update(CampaignAction)
            .where(CampaignAction.id.in_(ids), CampaignAction.status.in_(("pending", "claimed")))
            .values(status="claimed", claimed_by=owner, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
    done = 0
    with session_scope() as session:
        for action in session.execute(
            select(CampaignAction).where(
                CampaignAction.id.in_(ids),
                CampaignAction.claimed_by == owner,
                CampaignAction.status == "claimed",
            )
        ).scalars():
            try:
                _do(session, action, hand_off)
                done += 1
            except SenderNotConfigured as exc:
                action.status, action.error = "failed", str(exc)[:300]
            action.done_at = utcnow()
            session.add(action)
    return done


def _do(session: Session, action: CampaignAction, hand_off: HandOff | None) -> None:
    customer = session.get(Customer, action.customer_id)
    if customer is None:
        action.status = "done"
        return
    if action.kind == "person":
        if hand_off is not None and action.conversation_id:
            hand_off(
                session,
                action.tenant_id,
                action.conversation_id,
                str(action.payload.get("context") or "asked for a person from a campaign"),
            )
        action.status = "done"
        return
    from_ = default_sender_address(session, action.tenant_id)
    if action.kind in ("opt_out", "opt_in"):
        result = CampaignTransport.for_tenant(session, action.tenant_id).send_text(
            from_, customer.phone, confirmation(action.kind, action.language)
        )
    elif action.kind == "reply":
        result = CampaignTransport.for_tenant(session, action.tenant_id).send_text(
            from_, customer.phone, str(action.payload.get("reply") or "")
        )
    else:  # product: the catalog card, through the channel's own sender (Content API, fallbacks)
        product = session.get(Product, int(action.payload.get("product_id") or 0))
        if product is None or product.tenant_id != action.tenant_id:
            action.status, action.error = "failed", "the product is no longer in the catalog"
            return
        card = RichMessageBuilder.product_card(product)
        outcome = TwilioSender.for_tenant(session, action.tenant_id).send(
            from_=from_, to=customer.phone, message=card
        )
        action.provider_sid = outcome.provider_sid
        action.status = "done" if outcome.ok else "failed"
        action.error = None if outcome.ok else (outcome.error_message or "")[:300]
        return
    action.provider_sid = result.provider_sid
    action.status = "done" if result.kind == "ok" else "failed"
    action.error = None if result.kind == "ok" else (result.error_message or "")[:300]


__all__ = ["run_actions"]
