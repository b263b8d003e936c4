"""The ratings job: ask for the due ratings, answer the taps, and let the agent close what it resolved.

`ask_due` takes each `due` request (written by the lifecycle's close) and decides, in this order: ratings
off → not asked; the customer opted out → never; a person is on any of the customer's conversations (an open
handoff) → not now; asked within the tenant's days → not again; inside the customer's 24-hour window → the
quick-reply buttons as a free-form message, in the customer's language; outside it → the tenant's approved
rating template (Content API, the same machinery and words as campaign templates), or nothing. Each request
is claimed by a conditional UPDATE (due → asking), so two workers never ask twice.

`acknowledge_taps` answers a tap once: a low score gets the one optional follow-up ("What went wrong?"), a
good one a thank-you. The prompts are `system` messages: they are not the agent's answers, so the resolution
definition (engine/analytics/resolution.py) does not count them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import requests
from sqlalchemy import func, select, update
from sqlmodel import Session
from twilio.base.exceptions import TwilioException
from twilio.rest.content.v1.content import ContentList
from twilio.rest.content.v1.content.approval_create import ApprovalCreateList

from engine.campaigns.templates import STATUS_MAP
from engine.campaigns.transport import CampaignTransport
from engine.channels.whatsapp import limits
from engine.channels.whatsapp.rich import RichMessageBuilder
from engine.channels.whatsapp.sender import SenderNotConfigured, TwilioSender, default_sender_address
from engine.channels.whatsapp.twilio_client import error_details
from engine.conversations import outbound
from engine.conversations.ratings import RatingError, RatingRules, buttons, question_for, rules, words
from engine.db import TenantScope, session_scope
from engine.models import Conversation, Customer, Message, Rating, RatingSettings, Tenant, utcnow
from engine.models.base import as_utc

log = logging.getLogger(__name__)
BATCH = 50
SESSION_WINDOW = timedelta(hours=limits.SESSION_WINDOW_HOURS)
Clock = Callable[[], datetime]


def ask_due(
    *, clock: Clock = utcnow, sender_factory: outbound.SenderFactory | None = None, limit: int = BATCH
) -> int:
    """One tick: every due request decided (asked or skipped with its reason). Returns how many were asked."""
    with session_scope() as session:
        due = list(
            session.execute(
                select(Rating.tenant_id, Rating.id)
                .where(Rating.status == "due")
                .order_by(Rating.created_at, Rating.id)
                .limit(limit)
            ).all()
        )
    asked = 0
    for tenant_id, rating_id in due:
        if _ask_one(int(tenant_id), int(rating_id), clock, sender_factory):
            asked += 1
    return asked


def acknowledge_taps(*, clock: Clock = utcnow, sender_factory: outbound.SenderFactory | None = None) -> int:
    """The follow-up question after a low score, thanks after a good one: once per rating."""
    now = clock()
    with session_scope() as session:
        rows = list(
            session.execute(
                select(Rating.tenant_id, Rating.id)
                .where(
                    Rating.status == "answered",
                    Rating.follow_up_asked_at.is_(None),  # type: ignore[union-attr]
                    Rating.answered_at >= now - SESSION_WINDOW,  # type: ignore[operator]
                )
                .order_by(Rating.answered_at, Rating.id)
                .limit(BATCH)
            ).all()
        )
    sent = 0
    for tenant_id, rating_id in rows:
        with session_scope() as session:
            claimed = session.execute(
                update(Rating)
                .where(Rating.id == rating_id, Rating.follow_up_asked_at.is_(None))  # type: ignore[union-attr]
                .values(follow_up_asked_at=now)
            ).rowcount
            if claimed != 1:
                continue
            row = TenantScope(session, int(tenant_id)).require(Rating, int(rating_id))
            customer = TenantScope(session, int(tenant_id)).require(Customer, row.customer_id)
            text = words(customer.language)["follow_up" if row.is_low else "thanks"]
            message = outbound.create_outbound(
                session,
                int(tenant_id),
                row.conversation_id,
                RichMessageBuilder.text(str(text)),
                sender="system",
                now=now,
            )
            message_id = int(message.id or 0)
        outbound.deliver(int(tenant_id), message_id, sender_factory=sender_factory, clock=clock)
        sent += 1
    return sent


def submit_template(session: Session, tenant_id: int) -> RatingRules:
    """Create the rating question as a quick-reply template at Twilio and ask WhatsApp to approve it
    (UTILITY), so customers outside the 24-hour window can be asked too. Its buttons cannot carry a
    request's id, so theirs are "rate:t:<score>" (engine.conversations.ratings.parse_tap)."""
    settings = rules(session, tenant_id)
    tenant = session.get(Tenant, tenant_id)
    language = (tenant.agent_language if tenant else "en")[:2] or "en"
    actions = [
        {"type": "QUICK_REPLY", "title": title, "id": bid} for bid, title in buttons("t", settings, language)
    ]
    name = f"parley_rating_{tenant_id}_{settings.scale}_{int(utcnow().timestamp())}"
    try:
        client = TwilioSender.for_tenant(session, tenant_id).client
        content = client.content.v1.contents.create(
            ContentList.ContentCreateRequest(
                {
                    "friendly_name": name,
                    "language": language,
                    "types": {
                        "twilio/quick-reply": {"body": question_for(settings, language), "actions": actions}
                    },
                }
            )
        )
        approval = client.content.v1.contents(content.sid).approval_create.create(
            ApprovalCreateList.ContentApprovalRequest({"name": name, "category": "UTILITY"})
        )
    except SenderNotConfigured as exc:
        raise RatingError(f"Connect WhatsApp first: {exc}") from exc
    except (TwilioException, requests.exceptions.RequestException) as exc:
        code, text = error_details(exc)
        raise RatingError(f"Twilio did not accept the template: {text} ({code or 'no code'})") from exc
    row = TenantScope(session, tenant_id).first(RatingSettings) or RatingSettings(tenant_id=tenant_id)
    row.template_sid = str(content.sid)
    row.template_status = STATUS_MAP.get(str(approval.status or "received").lower(), "pending")
    TenantScope(session, tenant_id).add(row)
    return rules(session, tenant_id)


def poll_template() -> int:
    """The job: refresh pending rating templates until WhatsApp decides."""
    with session_scope() as session:
        pending = list(
            session.execute(
                select(RatingSettings.tenant_id, RatingSettings.template_sid).where(
                    RatingSettings.template_status == "pending"
                )
            ).all()
        )
    for tenant_id, sid in pending:
        with session_scope() as session:
            try:
                client = TwilioSender.for_tenant(session, int(tenant_id)).client
                fetched = client.content.v1.contents(sid).approval_fetch().fetch()
            except (SenderNotConfigured, TwilioException, requests.exceptions.RequestException) as exc:
                log.info("rating template of tenant %s: %s", tenant_id, exc)
                continue
            row = TenantScope(session, int(tenant_id)).first(RatingSettings)
            if row is not None:
                status = str((fetched.whatsapp or {}).get("status") or "pending").lower()
                row.template_status = STATUS_MAP.get(status, "pending")
                session.add(row)
    return len(pending)


# ------------------------------------------------------------------------------------------------ helpers


def _ask_one(tenant_id: int, rating_id: int, clock: Clock, factory: outbound.SenderFactory | None) -> bool:
    now = clock()
    with session_scope() as session:
        claimed = session.execute(
            update(Rating).where(Rating.id == rating_id, Rating.status == "due").values(status="asking")
        ).rowcount
        if claimed != 1:
            return False
        scope = TenantScope(session, tenant_id)
        row = scope.require(Rating, rating_id)
        settings = rules(session, tenant_id)
        customer = scope.require(Customer, row.customer_id)
        conversation = scope.require(Conversation, row.conversation_id)
        reason = _skip_reason(session, tenant_id, row, settings, customer, conversation, now)
        last_inbound = _last_inbound(session, tenant_id, customer.id)
        in_session = last_inbound is not None and now - last_inbound < SESSION_WINDOW
        if (
            reason is None
            and not in_session
            and not (settings.template_sid and settings.template_status == "approved")
        ):
            reason = "outside_window"
        if reason is not None:
            row.status, row.skip_reason = "skipped", reason
            session.add(row)
            return False
        options = buttons(rating_id, settings, customer.language)
        question = question_for(settings, customer.language)
        message = RichMessageBuilder.button_message(question, options)
        if in_session:
            created = outbound.create_outbound(
                session, tenant_id, conversation.id, message, sender="system", now=now
            )
            row.via = "session"
        else:  # one template send, no recovery path: a crash leaves it `queued`, never asked twice
            created = scope.add(
                Message(
                    conversation_id=conversation.id,
                    direction="outbound",
                    sender="system",
                    body=question,
                    rich=message.to_dict(),
                    content_sid=settings.template_sid,
                    status="queued",
                    created_at=now,
                    updated_at=now,
                )
            )
            row.via = "template"
        row.status, row.asked_at, row.prompt_message_id = "asked", now, created.id
        session.add_all([row, created])
        message_id, conversation_id = int(created.id or 0), int(conversation.id or 0)
        to = customer.phone
    if in_session:
        outcome = outbound.deliver(tenant_id, message_id, sender_factory=factory, clock=clock)
        ok = outcome.ok or outcome.status == outbound.IN_FLIGHT
    else:
        ok = _send_template(tenant_id, message_id, conversation_id, to, str(settings.template_sid), now)
    if not ok:
        with session_scope() as session:
            session.execute(
                update(Rating)
                .where(Rating.id == rating_id)
                .values(status="skipped", skip_reason="send_failed")
            )
    return ok


def _skip_reason(
    session: Session,
    tenant_id: int,
    row: Rating,
    settings: RatingRules,
    customer: Customer,
    conversation: Conversation,
    now: datetime,
) -> str | None:
    if not settings.enabled:
        return "off"
    if customer.opted_out_at is not None:
        return "opted_out"
    if conversation.status != "closed":
        return "reopened"
    scope = TenantScope(session, tenant_id)
    if scope.first(Conversation, Conversation.customer_id == customer.id, Conversation.status == "handoff"):
        return "handoff"
    if settings.min_days_between:
        recent = scope.first(
            Rating,
            Rating.customer_id == customer.id,
            Rating.id != row.id,
            Rating.asked_at >= now - timedelta(days=settings.min_days_between),  # type: ignore[operator]
        )
        if recent is not None:
            return "rate_limited"
    return None


def _last_inbound(session: Session, tenant_id: int, customer_id: int | None) -> datetime | None:
    found = session.execute(
        select(func.max(Conversation.last_inbound_at)).where(
            Conversation.tenant_id == tenant_id,
            Conversation.customer_id == customer_id,
            Conversation.channel == "whatsapp",
        )
    ).scalar()
    return as_utc(found)


def _send_template(
    tenant_id: int, message_id: int, conversation_id: int, to: str, sid: str, now: datetime
) -> bool:
    with session_scope() as session:
        try:
            transport = CampaignTransport.for_tenant(session, tenant_id)
            from_ = default_sender_address(session, tenant_id)
        except SenderNotConfigured:
            transport = None
    result = transport.send(from_, to, sid, {}) if transport else None
    with session_scope() as session:
        message = TenantScope(session, tenant_id).require(Message, message_id)
        if result is not None and result.kind == "ok":
            message.status, message.provider_sid = result.status or "queued", result.provider_sid
        else:
            message.status = "failed"
            message.error_code = (result.error_code if result else "not_configured") or None
            message.error_message = (result.error_message if result else "WhatsApp is not connected") or None
        message.updated_at = now
        session.add(message)
    return result is not None and result.kind == "ok"


__all__ = ["acknowledge_taps", "ask_due", "poll_template", "submit_template"]
