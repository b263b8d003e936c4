"""Recipients of a campaign as CSV, with their status: what a manager opens in a spreadsheet.

Names and error words come from customers and Twilio, so every cell goes through
engine.security.spreadsheet (a leading =, +, -, @ is quoted, never run as a formula — numbers in E.164 start
with + and so open as text, which is what they are). Times are in the shop's zone.
"""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlmodel import Session

from engine.db import TenantScope
from engine.models import Campaign, CampaignRecipient, Customer
from engine.security.spreadsheet import safe_writer

HEADER = (
    "name",
    "phone",
    "status",
    "sent",
    "delivered",
    "read",
    "tapped",
    "button",
    "replied",
    "ordered",
    "error code",
    "error",
)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _at(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def recipients_csv(session: Session, tenant_id: int, campaign_id: int, time_zone: str = "UTC") -> str:
    """Every recipient in id order, one row each."""
    TenantScope(session, tenant_id).require(Campaign, campaign_id)
    zone = _zone(time_zone)
    rows = session.execute(
        select(CampaignRecipient, Customer.name)
        .join(
            Customer,
            (Customer.id == CampaignRecipient.customer_id)
            & (Customer.tenant_id == CampaignRecipient.tenant_id),
            isouter=True,
        )
        .where(CampaignRecipient.tenant_id == tenant_id, CampaignRecipient.campaign_id == campaign_id)
        .order_by(CampaignRecipient.id)
    ).all()
    out = io.StringIO()
    writer = safe_writer(out)
    writer.writerow(HEADER)
    for r, name in rows:
        writer.writerow(
            (
                name or "",
                (r.phone or "").removeprefix("whatsapp:"),
                r.status,
                _at(r.sent_at, zone),
                _at(r.delivered_at, zone),
                _at(r.read_at, zone),
                _at(r.clicked_at, zone),
                r.tapped_payload or "",
                _at(r.replied_at, zone),
                _at(r.ordered_at, zone),
                r.error_code or "",
                r.error_message or "",
            )
        )
    return out.getvalue()


__all__ = ["HEADER", "recipients_csv"]
