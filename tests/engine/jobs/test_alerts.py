"""The alerts job (engine/jobs/alerts.py): every tenant checked, each incident's notice sent once when it
opens and once when it resolves, by email to the owners and admins and as an outgoing-webhook event."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from engine.accounts import mailer
from engine.accounts.mailer import MailForm
from engine.db import TenantScope, session_scope
from engine.jobs import alerts as alerts_job
from engine.models import MessageQueue, WebhookEndpoint, WebhookEvent, utcnow
from tests.engine.accounts.test_mailer import Inbox, smtp  # noqa: F401 - the local SMTP server fixture
from tests.factories import make_row, new_tenant, new_user

NOW = utcnow().replace(microsecond=0)


def _shop_with_a_waiting_customer(port: int) -> tuple[int, int]:
    """A tenant with email set up, an owner, an admin and a viewer, a webhook endpoint subscribed to alerts,
    and a customer message waiting 5 minutes (past the 2-minute queue threshold)."""
    with session_scope() as session:
        tenant_id = new_tenant(session)
        new_user(session, tenant_id, "owner", email="owner@shop.test")
        new_user(session, tenant_id, "admin", email="admin@shop.test")
        new_user(session, tenant_id, "viewer", email="viewer@shop.test")
        form = MailForm("127.0.0.1", port, "none", "Shop <hello@shop.test>", "shop", "pw-1234")
        mailer.save_mail_settings(session, tenant_id, form)
        TenantScope(session, tenant_id).add(
            WebhookEndpoint(
                name="Ops",
                url="https://ops.example.com/hook",
                secret="whsec_test",
                events=["alert.opened", "alert.resolved"],
            )
        )
        waiting = make_row(session, tenant_id, MessageQueue)
        waiting.queued_at = NOW - timedelta(minutes=5)
        session.add(waiting)
        return tenant_id, int(waiting.id)


def test_an_incident_is_told_once_when_it_opens_and_once_when_it_resolves(smtp) -> None:  # noqa: F811
    inbox, port = smtp
    tenant_id, waiting_id = _shop_with_a_waiting_customer(port)

    first = alerts_job.run_alerts(now=NOW)
    assert [(c.kind, c.change) for c in first.changes] == [("queue_age", "opened")]
    assert first.notices == 1
    assert sorted(m["To"] for m in inbox.messages) == ["admin@shop.test", "owner@shop.test"]
    subject = inbox.messages[0]["Subject"]
    assert subject.startswith("Parley alert for ") and subject.endswith("Customers are waiting for an answer")
    assert "has waited 5 min for the agent" in inbox.messages[0].get_payload()

    again = alerts_job.run_alerts(now=NOW + timedelta(minutes=1))  # still past: no second notice
    assert again.changes == [] and again.notices == 0 and len(inbox.messages) == 2

    with session_scope() as session:
        row = session.get(MessageQueue, waiting_id)
        row.status = "processed"
        session.add(row)
    recovered = alerts_job.run_alerts(now=NOW + timedelta(minutes=2))
    assert [(c.kind, c.change) for c in recovered.changes] == [("queue_age", "resolved")]
    assert recovered.notices == 1 and len(inbox.messages) == 4
    assert inbox.messages[-1]["Subject"].startswith("Resolved for ")

    with session_scope() as session:
        events = session.exec(
            select(WebhookEvent).where(WebhookEvent.tenant_id == tenant_id).order_by(WebhookEvent.id)
        ).all()
    assert [e.event_type for e in events] == ["alert.opened", "alert.resolved"]
    assert events[0].data["kind"] == "queue_age" and events[0].data["threshold"] == 120.0


def test_a_workspace_without_email_or_endpoints_is_checked_and_nothing_fails() -> None:
    with session_scope() as session:
        tenant_id = new_tenant(session)
        new_user(session, tenant_id, "owner")
        waiting = make_row(session, tenant_id, MessageQueue)
        waiting.queued_at = NOW - timedelta(minutes=5)
        session.add(waiting)
    run = alerts_job.run_alerts(now=NOW)
    assert run.checked >= 1 and run.notices == 1  # claimed and attempted: "no email was sent" is not retried
    assert alerts_job.run_alerts(now=NOW).notices == 0


def test_a_notice_that_failed_is_sent_by_the_next_run_and_other_tenants_are_not_held_up() -> None:
    with session_scope() as session:
        tenant_id, other = new_tenant(session), new_tenant(session)
        for tenant in (tenant_id, other):
            waiting = make_row(session, tenant, MessageQueue)
            waiting.queued_at = NOW - timedelta(minutes=5)
            session.add(waiting)
    told: list[tuple[int, str]] = []

    def failing_for_the_first(session, change, now) -> None:  # noqa: ANN001 - the job's Notifier
        if change.tenant_id == tenant_id:
            raise RuntimeError("the mail server hung up")
        told.append((change.tenant_id, change.kind))

    alerts_job.run_alerts(now=NOW, notify=failing_for_the_first)
    assert told == [(other, "queue_age")]
    told.clear()
    alerts_job.run_alerts(now=NOW, notify=lambda s, change, now: told.append((change.tenant_id, change.kind)))
    assert told == [(tenant_id, "queue_age")]


def test_only_tenants_with_something_going_on_are_checked() -> None:
    from engine.models import Conversation
    from engine.observability.alerts import tenants_to_check

    with session_scope() as session:
        idle, chatting, waiting = new_tenant(session), new_tenant(session), new_tenant(session)
        conversation = make_row(session, chatting, Conversation)
        conversation.last_activity_at = NOW - timedelta(minutes=10)
        session.add(conversation)
        stale = make_row(session, idle, Conversation)
        stale.last_activity_at = NOW - timedelta(days=3)  # a shop that has been quiet for days
        session.add(stale)
        make_row(session, waiting, MessageQueue)
    with session_scope() as session:
        checked = tenants_to_check(session, NOW)
    assert chatting in checked and waiting in checked and idle not in checked


def test_the_scheduler_checks_alerts_every_minute_and_observes_every_job() -> None:
    from apscheduler.schedulers.background import BackgroundScheduler

    from engine.jobs.scheduler import register_jobs

    jobs = {job.id: job for job in register_jobs(BackgroundScheduler()).get_jobs()}
    assert jobs["alerts"].trigger.interval == timedelta(minutes=1)
    assert jobs["alerts"].func.__wrapped__ is alerts_job.run_alerts
    assert all(hasattr(job.func, "__wrapped__") for job in jobs.values())  # timed, counted, logged
