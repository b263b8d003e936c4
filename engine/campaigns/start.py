"""Starting a campaign: its recipients materialized once, in the same transaction that marks it sending.

The conditional UPDATE (`WHERE status = 'scheduled'`) comes first, so of two workers that see the same due
campaign only one inserts its recipients; the other's UPDATE matches nothing. Each recipient's number and
variable values are fixed here, and customers inside quiet hours get a `not_before`, not a skip.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session

from engine.campaigns import audience as A
from engine.campaigns import variables as V
from engine.campaigns.composer import BODY_MAX
from engine.campaigns.rules import quiet_until, zone_for
from engine.campaigns.service import settings_for
from engine.channels.whatsapp.sender import default_sender_address
from engine.models import Campaign, CampaignMessage, CampaignRecipient, Customer, Order, Tenant

INSERT_CHUNK = 1000


def due_campaigns(session: Session, now: datetime) -> list[tuple[int, int]]:
    """(tenant_id, campaign_id) of scheduled campaigns whose time has come, every tenant."""
    rows = session.execute(
        select(Campaign.tenant_id, Campaign.id).where(
            Campaign.status == "scheduled", Campaign.scheduled_at <= now
        )
    ).all()
    return [(int(t), int(c)) for t, c in rows]


def customer_values(session: Session, tenant_id: int, ids: list[int]) -> dict[int, V.CustomerValues]:
    tenant = session.get(Tenant, tenant_id)
    shop = tenant.name if tenant else None
    names = dict(
        session.execute(select(Customer.id, Customer.name).where(Customer.tenant_id == tenant_id)).all()
    )
    last: dict[int, tuple[str, str | None]] = {}
    for customer_id, number, items in session.execute(
        select(Order.customer_id, Order.order_number, Order.items)
        .where(Order.tenant_id == tenant_id)
        .order_by(Order.created_at, Order.id)
    ):
        first = (items or [{}])[0] if items else {}
        last[int(customer_id)] = (str(number), (first or {}).get("name"))
    out = {}
    for cid in ids:
        order = last.get(cid)
        out[cid] = V.CustomerValues(
            name=names.get(cid),
            last_order=order[0] if order else None,
            last_product=order[1] if order else None,
            shop_name=shop,
        )
    return out


def materialize(session: Session, tenant_id: int, campaign_id: int, now: datetime) -> int | None:
    """Mark the campaign sending and insert its recipients; None when another worker started it first."""
    started = session.execute(
        update(Campaign)
        .where(Campaign.tenant_id == tenant_id, Campaign.id == campaign_id, Campaign.status == "scheduled")
        .values(status="sending", started_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not started:
        return None
    campaign = session.get(Campaign, campaign_id)
    assert campaign is not None
    session.refresh(campaign)
    message = (
        session.execute(
            select(CampaignMessage).where(
                CampaignMessage.tenant_id == tenant_id, CampaignMessage.campaign_id == campaign_id
            )
        )
        .scalars()
        .first()
    )
    rules = settings_for(session, tenant_id)
    tenant = session.get(Tenant, tenant_id)
    shop_zone = tenant.time_zone if tenant else "UTC"
    counted = A.count_audience(
        session,
        tenant_id,
        A.parse_filter(campaign.audience),
        cap=rules.frequency_cap,
        cap_days=rules.frequency_days,
        now=now,
    )
    names = list(campaign.template_variables or [])
    fallbacks = dict(message.fallbacks or {}) if message else {}
    body = message.body if message else ""
    values = customer_values(session, tenant_id, counted.eligible)
    phones = dict(
        session.execute(select(Customer.id, Customer.phone).where(Customer.tenant_id == tenant_id)).all()
    )
    rows: list[dict[str, Any]] = []
    for cid in counted.eligible:
        resolved = V.resolve(names, values[cid], fallbacks)
        if len(V.render(body, resolved)) > BODY_MAX:  # a long name or product: the fallbacks fit (composer)
            resolved = V.resolve(names, V.CustomerValues(), fallbacks)
        phone = phones[cid]
        rows.append(
            {
                "tenant_id": tenant_id,
                "campaign_id": campaign_id,
                "customer_id": cid,
                "status": "pending",
                "phone": phone,
                "variables": V.template_values(names, resolved),
                "not_before": quiet_until(
                    now, zone_for(phone, shop_zone), rules.quiet_start, rules.quiet_end
                ),
                "needs_lookup": False,
                "attempts": 0,
            }
        )
    for start in range(0, len(rows), INSERT_CHUNK):
        session.execute(insert(CampaignRecipient), rows[start : start + INSERT_CHUNK])
    campaign.exclusions = {k: v for k, v in counted.exclusions.items() if v}
    if not campaign.sender_address:
        campaign.sender_address = default_sender_address(session, tenant_id)
    session.add(campaign)
    session.flush()
    return len(rows)


__all__ = ["customer_values", "due_campaigns", "materialize"]
