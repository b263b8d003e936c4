"""The in-app alerts job: every tenant checked each minute, each incident's notices sent once.

Checking and storing incidents is engine.observability.alerts; sending is wired here because it reaches two
delivery mechanisms that sit above it: the workspace's mailer (engine.accounts.mailer, to the owners and
admins) and the outgoing webhooks (engine.integrations.events, `alert.opened` / `alert.resolved`, for the
endpoints that subscribed). A notice is claimed (stamped on the incident) before it is sent, so two workers
never both send it; a workspace without email settings or endpoints is simply not told that way.

One checker at a time (an engine.cache lock, shared through Redis): the check is cheap, and two at once would
only race to open the same incident (the database refuses the second; see AlertIncident).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from engine.accounts import mailer
from engine.cache import LockTimeout, get_cache
from engine.db import session_scope
from engine.integrations import events
from engine.models import Membership, Tenant, User, utcnow
from engine.observability import alerts, logs
from engine.observability.thresholds import BY_KIND, describe

log = logging.getLogger(__name__)

NOTIFY_ROLES = ("owner", "admin")
Notifier = Callable[[Session, alerts.Transition, datetime], None]


@dataclass
class AlertRun:
    checked: int = 0
    changes: list[alerts.Transition] = field(default_factory=list)
    notices: int = 0
    skipped: bool = False  # another process holds the check


def recipients(session: Session, tenant_id: int) -> list[str]:
    rows = session.execute(
        select(User.email)
        .join(Membership, Membership.user_id == User.id)  # type: ignore[arg-type]
        .where(
            Membership.tenant_id == tenant_id,
            Membership.role.in_(NOTIFY_ROLES),  # type: ignore[attr-defined]
            User.is_active.is_(True),  # type: ignore[attr-defined]
        )
        .order_by(User.email)
    ).scalars()
    return list(rows)


def notice_text(session: Session, change: alerts.Transition) -> tuple[str, str]:
    """(subject, body) in the shop owner's words."""
    tenant = session.get(Tenant, change.tenant_id)
    shop = tenant.name if tenant else "your workspace"
    title = BY_KIND[change.kind].title
    if change.change == "opened":
        subject = f"Parley alert for {shop}: {title}"
        body = f"{describe(change.kind, change.value)}\n\nWe will write again when it is back to normal."
    else:
        subject = f"Resolved for {shop}: {title}"
        body = f"Back to normal. The figure now reads: {describe(change.kind, change.value)}"
    return subject, body


def send_notice(session: Session, change: alerts.Transition, now: datetime) -> None:
    """Mail to the owners and admins, and the outgoing-webhook event; both best effort, neither repeated."""
    subject, body = notice_text(session, change)
    for address in recipients(session, change.tenant_id):
        result = mailer.send_mail(session, change.tenant_id, to=address, subject=subject, text=body)
        logs.event("alert.mail", tenant_id=change.tenant_id, kind=change.kind, sent=result.sent)
    events.emit(
        session,
        change.tenant_id,
        f"alert.{change.change}",
        {
            "kind": change.kind,
            "title": BY_KIND[change.kind].title,
            "value": round(change.value, 6),
            "threshold": BY_KIND[change.kind].limit,
            "incident_id": change.incident_id,
        },
        now=now,
    )


def _send_notices(tenant_id: int, now: datetime, notify: Notifier) -> int:
    """Claim and send each notice of the tenant not sent yet; a failure rolls its claim back (next run)."""
    sent = 0
    with session_scope() as session:
        for change in alerts.unsent_notices(session, tenant_id):
            if alerts.claim_notice(session, tenant_id, change.incident_id, change.change, now):
                notify(session, change, now)
                sent += 1
    return sent


def run_alerts(*, now: datetime | None = None, notify: Notifier = send_notice) -> AlertRun:
    """The scheduler job: check every tenant with something going on, then send its notices not sent yet."""
    run = AlertRun()
    try:
        with get_cache().lock("alerts-check", ttl=120, wait=0):
            now = now or utcnow()
            with session_scope() as session:
                tenant_ids = alerts.tenants_to_check(session, now)
            for tenant_id in tenant_ids:
                run.checked += 1
                try:
                    with session_scope() as session:
                        run.changes += alerts.check_tenant(session, tenant_id, now)
                except IntegrityError:
                    continue  # another checker opened it first
                try:
                    run.notices += _send_notices(tenant_id, now, notify)
                except Exception:  # noqa: BLE001 - one tenant's failed notice must not stop the others'
                    log.exception("alert notices for tenant %s failed", tenant_id)
    except LockTimeout:
        run.skipped = True
    return run


__all__ = ["AlertRun", "notice_text", "recipients", "run_alerts", "send_notice"]
