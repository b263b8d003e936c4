"""The dispatcher's rows: the campaign lease, recipient claims and what each send left, one statement each.

Why here and not in dispatch.py: these are the guarantees (one dispatcher per campaign, each recipient sent
by whoever claimed it, a SID recorded once), and every one is a single conditional statement that holds on
SQLite and PostgreSQL alike; dispatch.py only decides when to call them. Each call opens its own short
transaction: the dispatcher calls them from a worker thread while its event loop keeps sending.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update

from engine.campaigns.tracking import replay_early
from engine.campaigns.transport import SendResult
from engine.db import session_scope
from engine.integrations.events import emit
from engine.models import Campaign, CampaignRecipient, Message, utcnow
from engine.observability import metrics

_r = CampaignRecipient.__table__  # type: ignore[attr-defined]
_RECORD = (
    update(_r)
    .where(_r.c.id == bindparam("r_id"), _r.c.claimed_by == bindparam("r_owner"), _r.c.status == "sending")
    .values(
        status=bindparam("r_status"),
        provider_sid=bindparam("r_sid"),
        error_code=bindparam("r_code"),
        error_message=bindparam("r_words"),
        needs_lookup=bindparam("r_lookup"),
        failed_at=bindparam("r_failed_at"),
    )
)


@dataclass
class Claimed:
    id: int
    phone: str
    variables: dict[str, Any]
    needs_lookup: bool
    claimed_at: datetime
    known: list[str] = field(default_factory=list)  # for a look-up: SIDs rows with this number hold


class Claims:
    """One worker's (`owner`) hold on campaigns and recipients."""

    def __init__(self, owner: str, lease_seconds: float) -> None:
        self.owner = owner
        self.lease_seconds = lease_seconds

    def lease(self, tenant_id: int, campaign_id: int, *, first: bool) -> float | None:
        """Take (first) or renew the campaign's lease; its end on this process's monotonic clock, or None
        (paused, cancelled, finished, or another worker holds it)."""
        now = utcnow()
        c = Campaign
        held = (
            (c.dispatch_owner == self.owner)
            if not first
            else or_(
                c.dispatch_owner.is_(None),
                c.dispatch_owner == self.owner,
                c.lease_until < now,
                c.lease_until.is_(None),
            )
        )
        with session_scope() as session:
            got = session.execute(
                update(c)
                .where(c.tenant_id == tenant_id, c.id == campaign_id, c.status == "sending", held)
                .values(dispatch_owner=self.owner, lease_until=now + timedelta(seconds=self.lease_seconds))
                .execution_options(synchronize_session=False)
            ).rowcount
        return time.monotonic() + self.lease_seconds if got else None

    def take_over(self, tenant_id: int, campaign_id: int) -> None:
        """The previous holder's claims: maybe sent, maybe not — pending again, looked up before sending."""
        with session_scope() as session:
            session.execute(
                update(CampaignRecipient)
                .where(
                    CampaignRecipient.tenant_id == tenant_id,
                    CampaignRecipient.campaign_id == campaign_id,
                    CampaignRecipient.status == "sending",
                )
                .values(status="pending", needs_lookup=True)
                .execution_options(synchronize_session=False)
            )

    def claim(self, tenant_id: int, campaign_id: int, size: int) -> list[Claimed]:
        """Up to `size` due pending recipients, claimed in one statement (UPDATE … RETURNING; on PostgreSQL
        the ids are picked with FOR UPDATE SKIP LOCKED, so two workers never wait on each other)."""
        now = utcnow()
        r = CampaignRecipient
        pick = (
            select(r.id)
            .where(
                r.tenant_id == tenant_id,
                r.campaign_id == campaign_id,
                r.status == "pending",
                or_(r.not_before.is_(None), r.not_before <= now),
            )
            .order_by(r.id)
            .limit(size)
        )
        with session_scope() as session:
            if session.get_bind().dialect.name == "postgresql":
                pick = pick.with_for_update(skip_locked=True)
            rows = session.execute(
                update(r)
                .where(r.tenant_id == tenant_id, r.id.in_(pick.scalar_subquery()), r.status == "pending")
                .values(status="sending", claimed_by=self.owner, claimed_at=now, attempts=r.attempts + 1)
                .returning(r.id, r.phone, r.variables, r.needs_lookup)
                .execution_options(synchronize_session=False)
            ).all()
        claimed = [Claimed(int(i), str(p), dict(v or {}), bool(n), now) for i, p, v, n in rows]
        lookups = [c for c in claimed if c.needs_lookup]
        if lookups:
            known = self.sids_by_phone(tenant_id, {c.phone for c in lookups})
            for c in lookups:
                c.known = known.get(c.phone, [])
        return sorted(claimed, key=lambda c: c.id)

    def sids_by_phone(self, tenant_id: int, phones: set[str]) -> dict[str, list[str]]:
        """The SIDs campaign recipients with these numbers hold, in one statement for a claimed batch.

        Why not one read per look-up: the number has no index, so each read scans the tenant's
        recipients (20–30 ms for 10,000 on SQLite), and after a crash a few hundred of them queued in the
        event loop's threads ahead of the lease renewal and the records. Read as the batch is claimed, the
        list is at most the look-up queue's wait old (under a second), as message_sids' once-a-second
        reading already is."""
        r = CampaignRecipient
        out: dict[str, list[str]] = {}
        with session_scope() as session:
            rows = session.execute(
                select(r.phone, r.provider_sid).where(
                    r.tenant_id == tenant_id, r.phone.in_(sorted(phones)), r.provider_sid.is_not(None)
                )
            ).all()
        for phone, sid in rows:
            if sid:
                out.setdefault(str(phone), []).append(str(sid))
        return out

    def record(self, tenant_id: int, claimed: list[Claimed], results: list[SendResult]) -> None:
        """What each send left, in one statement: a SID, a refusal in words, or back to pending (`later`,
        throttled; marked for a look-up when the send may have reached Twilio)."""
        now = utcnow()
        params = []
        for c, res in zip(claimed, results, strict=True):
            status = {"ok": res.status or "queued", "refused": "failed"}.get(res.kind, "pending")
            params.append(
                {
                    "r_id": c.id,
                    "r_owner": self.owner,
                    "r_status": status,
                    "r_sid": res.provider_sid,
                    "r_code": res.error_code if res.kind == "refused" else None,
                    "r_words": res.error_message if res.kind == "refused" else None,
                    "r_lookup": res.kind == "unclear"
                    or (c.needs_lookup and res.kind in ("later", "throttled")),
                    "r_failed_at": now if res.kind == "refused" else None,
                }
            )
        with session_scope() as session:
            session.connection().execute(_RECORD, params)
            sids = [res.provider_sid for res in results if res.provider_sid]
            replay_early(session, tenant_id, sids)
        metrics.count_campaign_sends(res.kind for res in results)  # /metrics: campaign sends by outcome

    def message_sids(self, tenant_id: int) -> list[str]:
        """The SIDs of the tenant's latest 500 outbound messages (agent and staff replies)."""
        with session_scope() as session:
            sids = session.execute(
                select(Message.provider_sid)
                .where(
                    Message.tenant_id == tenant_id,
                    Message.provider_sid.is_not(None),
                    Message.direction == "outbound",
                )
                .order_by(Message.id.desc())
                .limit(500)
            ).scalars()
            return [s for s in sids if s]

    def finish_if_done(self, tenant_id: int, campaign_id: int) -> bool:
        """Nothing pending or in flight: the campaign is sent (True). Otherwise recipients wait for their
        quiet hours to end (False)."""
        now = utcnow()
        r, c = CampaignRecipient, Campaign
        with session_scope() as session:
            left = session.execute(
                select(func.count()).where(
                    r.tenant_id == tenant_id,
                    r.campaign_id == campaign_id,
                    r.status.in_(("pending", "sending")),
                )
            ).scalar_one()
            if left:
                return False
            finished = session.execute(
                update(c)
                .where(
                    c.tenant_id == tenant_id,
                    c.id == campaign_id,
                    c.status == "sending",
                    c.dispatch_owner == self.owner,
                )
                .values(
                    status="sent", completed_at=now, updated_at=now, dispatch_owner=None, lease_until=None
                )
                .execution_options(synchronize_session=False)
            )
            if finished.rowcount == 1:  # webhooks: "campaign finished", in this transaction
                emit(session, tenant_id, "campaign.finished", {"campaign_id": campaign_id}, now=now)
        return True

    def cancel_leftovers(self, tenant_id: int, campaign_id: int) -> None:
        """Recipients given back after a cancel are cancelled like the rest (cancel() skipped them while they
        were claimed)."""
        c = Campaign
        cancelled = select(c.id).where(c.tenant_id == tenant_id, c.id == campaign_id, c.status == "cancelled")
        with session_scope() as session:
            session.execute(
                update(CampaignRecipient)
                .where(
                    CampaignRecipient.tenant_id == tenant_id,
                    CampaignRecipient.campaign_id == campaign_id,
                    CampaignRecipient.status == "pending",
                    cancelled.exists(),
                )
                .values(status="cancelled")
                .execution_options(synchronize_session=False)
            )


__all__ = ["Claimed", "Claims"]
