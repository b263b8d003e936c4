"""Campaign figures: progress counts, the funnel sent → delivered → read → tapped → replied → ordered, taps
per button, opt-outs and failures by reason — each one SQL aggregate over campaign_recipient/button_event.

A recipient's `status` only moves forward (a read message was delivered and sent), so each funnel step counts
recipients with that step's timestamp, never the status alone: a "read" callback that overtook "delivered"
still fills delivered_at (engine.campaigns.tracking).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlmodel import Session

from engine.models import ButtonEvent, CampaignAction, CampaignRecipient

DONE = (
    "queued",
    "accepted",
    "sent",
    "delivered",
    "read",
    "clicked",
    "failed",
    "undelivered",
    "skipped",
    "cancelled",
)
FAILED = ("failed", "undelivered")


@dataclass(frozen=True, slots=True)
class Progress:
    total: int = 0
    pending: int = 0
    sending: int = 0
    done: int = 0
    failed: int = 0
    cancelled: int = 0

    @property
    def ratio(self) -> float:
        return (self.done / self.total) if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Funnel:
    sent: int = 0
    delivered: int = 0
    read: int = 0
    tapped: int = 0
    replied: int = 0
    ordered: int = 0
    revenue: Decimal = Decimal("0")
    failed: int = 0
    opted_out: int = 0
    per_button: list[tuple[str, str, int]] = field(default_factory=list)  # (payload, title, taps)
    failures: list[tuple[str, str, int]] = field(default_factory=list)  # (code, words, recipients)


def progress(session: Session, tenant_id: int, campaign_ids: list[int]) -> dict[int, Progress]:
    """Recipients per campaign by stage, one grouped query for a page of campaigns."""
    if not campaign_ids:
        return {}
    r = CampaignRecipient
    rows = session.execute(
        select(
            r.campaign_id,
            func.count(),
            func.sum(case((r.status == "pending", 1), else_=0)),
            func.sum(case((r.status == "sending", 1), else_=0)),
            func.sum(case((r.status.in_(DONE), 1), else_=0)),
            func.sum(case((r.status.in_(FAILED), 1), else_=0)),
            func.sum(case((r.status.in_(("cancelled", "skipped")), 1), else_=0)),
        )
        .where(r.tenant_id == tenant_id, r.campaign_id.in_(campaign_ids))
        .group_by(r.campaign_id)
    ).all()
    return {
        int(c): Progress(int(t), int(p or 0), int(s or 0), int(d or 0), int(f or 0), int(x or 0))
        for c, t, p, s, d, f, x in rows
    }


def funnel(session: Session, tenant_id: int, campaign_id: int) -> Funnel:
    r = CampaignRecipient
    where = (r.tenant_id == tenant_id, r.campaign_id == campaign_id)
    row = session.execute(
        select(
            func.count(r.sent_at),
            func.count(r.delivered_at),
            func.count(r.read_at),
            func.count(r.clicked_at),
            func.count(r.replied_at),
            func.count(r.ordered_at),
            func.coalesce(func.sum(r.revenue), 0),
            func.sum(case((r.status.in_(FAILED), 1), else_=0)),
        ).where(*where)
    ).one()
    buttons = session.execute(
        select(ButtonEvent.payload, func.max(ButtonEvent.id), func.count())
        .where(ButtonEvent.tenant_id == tenant_id, ButtonEvent.campaign_id == campaign_id)
        .group_by(ButtonEvent.payload)
        .order_by(func.count().desc())
    ).all()
    titles = {}
    if buttons:
        ids = [b[1] for b in buttons]
        for event_id, title in session.execute(
            select(ButtonEvent.id, ButtonEvent.title).where(ButtonEvent.id.in_(ids))
        ):
            titles[event_id] = title or ""
    failures = session.execute(
        select(r.error_code, func.max(r.error_message), func.count())
        .where(*where, r.status.in_(FAILED))
        .group_by(r.error_code)
        .order_by(func.count().desc())
    ).all()
    opted_out = session.execute(
        select(func.count()).where(
            CampaignAction.tenant_id == tenant_id,
            CampaignAction.campaign_id == campaign_id,
            CampaignAction.kind == "opt_out",
        )
    ).scalar_one()
    return Funnel(
        sent=int(row[0]),
        delivered=int(row[1]),
        read=int(row[2]),
        tapped=int(row[3]),
        replied=int(row[4]),
        ordered=int(row[5]),
        revenue=Decimal(str(row[6] or 0)),
        failed=int(row[7] or 0),
        opted_out=int(opted_out),
        per_button=[(str(p), titles.get(i, ""), int(n)) for p, i, n in buttons],
        failures=[(str(c or "unknown"), str(m or ""), int(n)) for c, m, n in failures],
    )


__all__ = ["Funnel", "Progress", "funnel", "progress"]
