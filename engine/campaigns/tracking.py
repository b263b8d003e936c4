"""Recipient state after the send: status callbacks, button taps, replies and orders, attributed.

The one writer of a recipient after dispatch (DESIGN.md: one owner). The status webhook calls
`apply_callback`; inbound message ingest calls `record_tap` and `note_reply`; order creation (or the nightly
figures) calls `attribute_order`. Status only moves forward (callbacks arrive out of order) but every
timestamp a late callback implies is still filled, so the funnel counts each step by its timestamp.
A tap counts within 72 hours of the campaign message as a reply too, and an order by a recipient within 7 days
of their tap is attributed to the campaign with its total.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from engine.channels.whatsapp import status as wa_status
from engine.channels.whatsapp.errors import words_for
from engine.channels.whatsapp.inbound import StatusCallback
from engine.db import TenantScope
from engine.models import (
    ButtonEvent,
    Campaign,
    CampaignAction,
    CampaignMessage,
    CampaignRecipient,
    Order,
    utcnow,
)
from engine.models.base import as_utc

REPLY_WINDOW = timedelta(hours=72)
ORDER_WINDOW = timedelta(days=7)
FAILED = frozenset({"failed", "undelivered", "canceled"})
_STAMPS = {
    "sent": ("sent_at",),
    "delivered": ("sent_at", "delivered_at"),
    "read": ("sent_at", "delivered_at", "read_at"),
    "failed": ("failed_at",),
    "undelivered": ("failed_at",),
}


def apply_to_recipient(recipient: CampaignRecipient, cb: StatusCallback, now: datetime) -> bool:
    changed = False
    if recipient.status != "sending" and wa_status.moves_forward(recipient.status, cb.status):
        recipient.status = cb.status
        changed = True
    for attribute in _STAMPS.get(cb.status, ()):
        if getattr(recipient, attribute) is None:
            setattr(recipient, attribute, now)
            changed = True
    if cb.status in FAILED and cb.error_code and recipient.error_code != cb.error_code[:16]:
        recipient.error_code = cb.error_code[:16]
        recipient.error_message = words_for(cb.error_code, cb.error_message or "")
        changed = True
    return changed


def apply_callback(
    session: Session,
    tenant_id: int,
    cb: StatusCallback,
    *,
    now: datetime | None = None,
    remember: bool = True,
) -> wa_status.StatusResult:
    """A status callback: the campaign recipient here, the message through the channel's own code."""
    now = now or utcnow()
    recipient = TenantScope(session, tenant_id).first(
        CampaignRecipient, CampaignRecipient.provider_sid == cb.message_sid
    )
    if recipient is not None and apply_to_recipient(recipient, cb, now):
        session.add(recipient)
    result = wa_status.apply_status(session, tenant_id, cb, now=now, remember=remember and recipient is None)
    if recipient is None:
        return result
    return replace(result, recipient_found=True, recipient_status=recipient.status)


def replay_early(session: Session, tenant_id: int, sids: list[str]) -> int:
    """Callbacks that beat the dispatcher's write of these SIDs (kept by the channel), applied now."""
    applied = 0
    for sid in sids:
        for status, code, words in wa_status.take_early(tenant_id, sid):
            apply_callback(
                session,
                tenant_id,
                StatusCallback(
                    message_sid=sid, status=status, from_=None, to=None, error_code=code, error_message=words
                ),
                remember=False,
            )
            applied += 1
    return applied


@dataclass(frozen=True, slots=True)
class TapRoute:
    """Where a tapped campaign button goes: the agent (with `context`), or a job action (reply, product,
    person) that answers instead of the agent."""

    campaign_id: int | None
    action: str = "agent"
    context: str | None = None


def _button(message: CampaignMessage | None, payload: str) -> dict[str, Any]:
    for button in (message.buttons if message else []) or []:
        if button.get("id") == payload:
            return button
    return {}


def record_tap(
    session: Session,
    tenant_id: int,
    *,
    conversation_id: int,
    customer_id: int,
    message_id: int,
    replied_to_sid: str | None,
    payload: str,
    title: str | None,
    now: datetime,
) -> TapRoute:
    """A ButtonEvent for every tap; a tap on a campaign message marks its recipient (clicked, replied) and
    says where the tap goes."""
    scope = TenantScope(session, tenant_id)
    recipient = None
    if replied_to_sid:
        recipient = scope.first(CampaignRecipient, CampaignRecipient.provider_sid == replied_to_sid)
    scope.add(
        ButtonEvent(
            conversation_id=conversation_id,
            message_id=message_id,
            campaign_id=recipient.campaign_id if recipient else None,
            payload=payload[:256],
            title=(title or "")[:256] or None,
            created_at=now,
        )
    )
    if recipient is None:
        return TapRoute(campaign_id=None)
    if recipient.clicked_at is None:
        recipient.clicked_at = now
        recipient.tapped_payload = payload[:128]
    if recipient.replied_at is None and _within(recipient.sent_at or recipient.claimed_at, now, REPLY_WINDOW):
        recipient.replied_at = now
    recipient.status = "clicked"
    session.add(recipient)
    campaign = scope.get(Campaign, recipient.campaign_id)
    message = scope.first(CampaignMessage, CampaignMessage.campaign_id == recipient.campaign_id)
    button = _button(message, payload)
    action = str(button.get("action") or "agent")
    name = campaign.name if campaign else "our campaign"
    context = f"The customer tapped '{title or button.get('title') or payload}' on our campaign '{name}'."
    if action in ("reply", "product", "person"):
        scope.add(
            CampaignAction(
                customer_id=customer_id,
                conversation_id=conversation_id,
                campaign_id=recipient.campaign_id,
                kind=action,
                payload={
                    "reply": button.get("reply"),
                    "product_id": button.get("product_id"),
                    "title": button.get("title"),
                    "context": context,
                },
            )
        )
    return TapRoute(campaign_id=recipient.campaign_id, action=action, context=context)


def _within(start: datetime | None, now: datetime, window: timedelta) -> bool:
    """`now` is no later than `window` after `start` (a reply cannot come before its message: clocks may
    differ between the webhook's process and the dispatcher's by a little, so no lower bound)."""
    return start is not None and now - as_utc(start) <= window  # type: ignore[operator]


def note_reply(session: Session, tenant_id: int, customer_id: int, now: datetime) -> int | None:
    """A message from a customer within 72 h of a campaign they got counts as that campaign's reply."""
    r = CampaignRecipient
    recipient = (
        session.execute(
            select(r)
            .where(
                r.tenant_id == tenant_id,
                r.customer_id == customer_id,
                r.sent_at.is_not(None),
                r.sent_at >= now - REPLY_WINDOW,
            )
            .order_by(r.sent_at.desc())
            .limit(1)
        )
        .scalars()
        .first()
    )
    if recipient is None:
        return None
    if recipient.replied_at is None:
        recipient.replied_at = now
        session.add(recipient)
    return recipient.campaign_id


def record_consent(
    session: Session,
    tenant_id: int,
    customer_id: int,
    conversation_id: int | None,
    kind: str,
    language: str,
    now: datetime,
) -> None:
    """An opt-out/opt-in that changed the customer's consent: one confirmation to send (the job sends it),
    attributed to the campaign they got within 72 h, if any."""
    r = CampaignRecipient
    campaign_id = session.execute(
        select(r.campaign_id)
        .where(r.tenant_id == tenant_id, r.customer_id == customer_id, r.sent_at >= now - REPLY_WINDOW)
        .order_by(r.sent_at.desc())
        .limit(1)
    ).scalar()
    TenantScope(session, tenant_id).add(
        CampaignAction(
            customer_id=customer_id,
            conversation_id=conversation_id,
            campaign_id=campaign_id,
            kind=kind,
            language=language[:8],
            created_at=now,
        )
    )


def attribute_order(
    session: Session, tenant_id: int, customer_id: int, order_id: int, total: Decimal, created_at: datetime
) -> int | None:
    """An order within 7 days of the customer's latest campaign tap is that campaign's; returns its id."""
    r = CampaignRecipient
    recipient = (
        session.execute(
            select(r)
            .where(
                r.tenant_id == tenant_id,
                r.customer_id == customer_id,
                r.clicked_at.is_not(None),
                r.clicked_at <= created_at,
                r.clicked_at >= created_at - ORDER_WINDOW,
                r.order_id.is_(None),
            )
            .order_by(r.clicked_at.desc())
            .limit(1)
        )
        .scalars()
        .first()
    )
    if recipient is None:
        return None
    recipient.ordered_at = created_at
    recipient.order_id = order_id
    recipient.revenue = total
    session.add(recipient)
    return recipient.campaign_id


def attribute_recent_orders(session: Session, tenant_id: int, since: datetime) -> int:
    """Attribute the tenant's orders created since `since` (the job runs it): returns how many matched."""
    count = 0
    for order in session.execute(
        select(Order)
        .where(Order.tenant_id == tenant_id, Order.created_at >= since)
        .order_by(Order.created_at)
    ).scalars():
        done = session.execute(
            select(CampaignRecipient.id).where(
                CampaignRecipient.tenant_id == tenant_id, CampaignRecipient.order_id == order.id
            )
        ).first()
        if done is None and attribute_order(
            session, tenant_id, order.customer_id, int(order.id or 0), order.total, as_utc(order.created_at)
        ):  # type: ignore[arg-type]
            count += 1
    return count


__all__ = [
    "TapRoute",
    "apply_callback",
    "attribute_order",
    "attribute_recent_orders",
    "note_reply",
    "record_consent",
    "record_tap",
    "replay_early",
]
