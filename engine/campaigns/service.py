"""Campaign records: create, edit, read with counts, list, and the state changes a manager makes.

States: draft → scheduled → sending ⇄ paused → sent, and cancelled from any but sent. Every change is one
conditional UPDATE (`WHERE status IN (...)`), so a pause racing the dispatcher's completion, or two managers
clicking at once, cannot leave a campaign in a state nobody chose; the dispatcher re-reads the status before
every batch, so a pause, resume or cancel takes effect within a second.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session

from engine.analytics.campaigns import Progress, progress
from engine.campaigns import audience as A
from engine.campaigns.composer import Content, validate_content
from engine.campaigns.errors import CampaignError, CampaignStateError
from engine.db import NotFound, TenantScope
from engine.models import Campaign, CampaignMessage, CampaignRecipient, CampaignSettings, utcnow

LIST_MAX = 100
EDITABLE = ("draft",)
SCHEDULABLE = ("draft", "scheduled", "paused")


@dataclass(frozen=True, slots=True)
class CampaignView:
    """A campaign as the console and the API show it."""

    id: int
    name: str
    status: str
    body: str
    media_key: str | None
    media_type: str | None
    buttons: list[dict[str, Any]]
    fallbacks: dict[str, Any]
    audience: dict[str, Any]
    template_status: str
    template_reason: str | None
    sender_address: str | None
    created_at: datetime
    scheduled_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    exclusions: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)
    progress: float = 0.0


def settings_for(session: Session, tenant_id: int) -> CampaignSettings:
    """The tenant's campaign rules (defaults until they change them)."""
    row = TenantScope(session, tenant_id).first(CampaignSettings)
    return row or CampaignSettings(tenant_id=tenant_id)


def update_settings(session: Session, tenant_id: int, changes: Mapping[str, Any]) -> CampaignSettings:
    scope = TenantScope(session, tenant_id)
    row = scope.first(CampaignSettings) or scope.add(CampaignSettings())
    for key in ("frequency_cap", "frequency_days", "messages_per_second"):
        if key in changes:
            value = int(changes[key])
            low, high = {
                "frequency_cap": (0, 50),
                "frequency_days": (1, 90),
                "messages_per_second": (1, 400),
            }[key]
            if not low <= value <= high:
                raise CampaignError(key, f"between {low} and {high}")
            setattr(row, key, value)
    for key in ("quiet_start", "quiet_end"):
        if key in changes:
            value = str(changes[key])
            try:
                hours, minutes = (int(p) for p in value.split(":"))
                assert 0 <= hours < 24 and 0 <= minutes < 60
            except (ValueError, AssertionError):
                raise CampaignError(key, "a time like 21:00") from None
            setattr(row, key, f"{hours:02d}:{minutes:02d}")
    session.add(row)
    session.flush()
    return row


def _message(scope: TenantScope, campaign_id: int) -> CampaignMessage:
    row = scope.first(CampaignMessage, CampaignMessage.campaign_id == campaign_id)
    return row or CampaignMessage(tenant_id=scope.tenant_id, campaign_id=campaign_id)


def _view(campaign: Campaign, message: CampaignMessage, counts: Progress | None) -> CampaignView:
    counts = counts or Progress()
    return CampaignView(
        id=int(campaign.id or 0),
        name=campaign.name,
        status=campaign.status,
        body=message.body,
        media_key=message.media_url,
        media_type=message.media_type,
        buttons=list(message.buttons or []),
        fallbacks=dict(message.fallbacks or {}),
        audience=dict(campaign.audience or {}),
        template_status=campaign.template_status,
        template_reason=campaign.template_reason,
        sender_address=campaign.sender_address,
        created_at=campaign.created_at,
        scheduled_at=campaign.scheduled_at,
        started_at=campaign.started_at,
        completed_at=campaign.completed_at,
        exclusions=dict(campaign.exclusions or {}),
        counts={
            "total": counts.total,
            "pending": counts.pending,
            "sending": counts.sending,
            "done": counts.done,
            "failed": counts.failed,
            "cancelled": counts.cancelled,
        },
        progress=round(counts.ratio, 4),
    )


def _apply(
    campaign: Campaign, message: CampaignMessage, content: Content, audience: A.AudienceFilter
) -> None:
    changed_text = (
        message.body != content.body
        or message.media_url != content.media_key
        or [b.to_dict() for b in content.buttons] != list(message.buttons or [])
    )
    campaign.name = content.name
    campaign.audience = audience.to_dict()
    message.body = content.body
    message.media_url = content.media_key
    message.media_type = content.media_type
    message.buttons = [b.to_dict() for b in content.buttons]
    message.fallbacks = dict(content.fallbacks)
    if changed_text:  # a different message needs its own template, approved again
        campaign.content_sid = None
        campaign.template_status = "none"
        campaign.template_reason = None
        campaign.template_variables = content.variable_names
    campaign.updated_at = utcnow()


def create_campaign(
    session: Session, tenant_id: int, raw: Mapping[str, Any], *, user_id: int | None = None
) -> CampaignView:
    """A draft campaign from the composer's fields; raises CampaignError naming the field and limit."""
    content = validate_content(raw)
    audience = A.parse_filter(raw.get("audience"))
    scope = TenantScope(session, tenant_id)
    campaign = scope.add(Campaign(name=content.name, created_by_user_id=user_id, sender_address=_sender(raw)))
    message = CampaignMessage(tenant_id=tenant_id, campaign_id=int(campaign.id or 0))
    _apply(campaign, message, content, audience)
    campaign.template_variables = content.variable_names
    session.add(campaign)
    scope.add(message)
    return _view(campaign, message, None)


def _sender(raw: Mapping[str, Any]) -> str | None:
    value = raw.get("sender_address")
    return str(value)[:40] if value else None


def update_campaign(
    session: Session, tenant_id: int, campaign_id: int, raw: Mapping[str, Any]
) -> CampaignView:
    scope = TenantScope(session, tenant_id)
    campaign = scope.require(Campaign, campaign_id)
    if campaign.status not in EDITABLE:
        raise CampaignStateError("only a draft can be edited; this campaign has started")
    content = validate_content(raw)
    audience = A.parse_filter(raw.get("audience"))
    message = _message(scope, campaign_id)
    _apply(campaign, message, content, audience)
    if "sender_address" in raw:
        campaign.sender_address = _sender(raw)
    session.add(campaign)
    session.add(message)
    session.flush()
    return _view(campaign, message, None)


def get_campaign(session: Session, tenant_id: int, campaign_id: int) -> CampaignView:
    scope = TenantScope(session, tenant_id)
    campaign = scope.require(Campaign, campaign_id)
    counts = progress(session, tenant_id, [campaign_id]).get(campaign_id)
    return _view(campaign, _message(scope, campaign_id), counts)


def list_campaigns(
    session: Session, tenant_id: int, *, before_id: int | None = None, limit: int = 25
) -> tuple[list[CampaignView], int | None]:
    """Newest first, a page at a time; returns (views, next before_id or None)."""
    limit = max(1, min(limit, LIST_MAX))
    query = select(Campaign).where(Campaign.tenant_id == tenant_id)
    if before_id:
        query = query.where(Campaign.id < before_id)
    rows = list(session.execute(query.order_by(Campaign.id.desc()).limit(limit + 1)).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [int(c.id or 0) for c in rows]
    messages = {
        m.campaign_id: m
        for m in session.execute(
            select(CampaignMessage).where(
                CampaignMessage.tenant_id == tenant_id, CampaignMessage.campaign_id.in_(ids)
            )
        ).scalars()
    }
    counts = progress(session, tenant_id, ids)
    views = [
        _view(
            c,
            messages.get(int(c.id or 0)) or CampaignMessage(campaign_id=int(c.id or 0)),
            counts.get(int(c.id or 0)),
        )
        for c in rows
    ]
    return views, (ids[-1] if more else None)


def _move(
    session: Session,
    tenant_id: int,
    campaign_id: int,
    allowed: tuple[str, ...],
    values: dict[str, Any],
    refusal: str,
) -> CampaignView:
    TenantScope(session, tenant_id).require(Campaign, campaign_id)
    done = session.execute(
        update(Campaign)
        .where(Campaign.tenant_id == tenant_id, Campaign.id == campaign_id, Campaign.status.in_(allowed))
        .values(updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not done:
        raise CampaignStateError(refusal)
    session.expire_all()
    return get_campaign(session, tenant_id, campaign_id)


def schedule(session: Session, tenant_id: int, campaign_id: int, at: datetime | None = None) -> CampaignView:
    """Send at `at` (UTC-aware; None: now). Refused unless WhatsApp approved the template."""
    campaign = TenantScope(session, tenant_id).require(Campaign, campaign_id)
    if campaign.template_status != "approved":
        raise CampaignStateError(
            "WhatsApp has not approved this message yet: it can be sent once its template is approved"
            if campaign.template_status in ("none", "pending")
            else "WhatsApp refused this message's template "
            f"({campaign.template_reason or campaign.template_status})"
        )
    when = at or datetime.now(UTC)
    if when.tzinfo is None:
        raise CampaignError("send_at", "a time with its time zone")
    return _move(
        session,
        tenant_id,
        campaign_id,
        SCHEDULABLE if campaign.started_at is None else ("paused",),
        {"status": "scheduled" if campaign.started_at is None else "sending", "scheduled_at": when},
        f"a {campaign.status} campaign cannot be scheduled",
    )


def pause(session: Session, tenant_id: int, campaign_id: int) -> CampaignView:
    return _move(
        session,
        tenant_id,
        campaign_id,
        ("scheduled", "sending"),
        {"status": "paused"},
        "only a scheduled or sending campaign can be paused",
    )


def resume(session: Session, tenant_id: int, campaign_id: int) -> CampaignView:
    campaign = TenantScope(session, tenant_id).require(Campaign, campaign_id)
    target = "sending" if campaign.started_at else "scheduled"
    return _move(
        session,
        tenant_id,
        campaign_id,
        ("paused",),
        {"status": target},
        "only a paused campaign can be resumed",
    )


def cancel(session: Session, tenant_id: int, campaign_id: int) -> CampaignView:
    view = _move(
        session,
        tenant_id,
        campaign_id,
        ("draft", "scheduled", "sending", "paused"),
        {"status": "cancelled", "completed_at": utcnow()},
        "a sent or cancelled campaign cannot be cancelled",
    )
    session.execute(
        update(CampaignRecipient)
        .where(
            CampaignRecipient.tenant_id == tenant_id,
            CampaignRecipient.campaign_id == campaign_id,
            CampaignRecipient.status == "pending",
        )
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )
    return get_campaign(session, tenant_id, view.id)


def recipients_page(
    session: Session, tenant_id: int, campaign_id: int, *, after_id: int | None = None, limit: int = 100
) -> tuple[list[CampaignRecipient], int | None]:
    """Recipients in id order, `limit` at a time, from after `after_id` (cursor paging)."""
    TenantScope(session, tenant_id).require(Campaign, campaign_id)
    limit = max(1, min(limit, 1000))
    query = select(CampaignRecipient).where(
        CampaignRecipient.tenant_id == tenant_id, CampaignRecipient.campaign_id == campaign_id
    )
    if after_id:
        query = query.where(CampaignRecipient.id > after_id)
    rows = list(session.execute(query.order_by(CampaignRecipient.id).limit(limit + 1)).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (int(rows[-1].id or 0) if more and rows else None)


def count_recipients(session: Session, tenant_id: int, campaign_id: int) -> int:
    return int(
        session.execute(
            select(func.count()).where(
                CampaignRecipient.tenant_id == tenant_id, CampaignRecipient.campaign_id == campaign_id
            )
        ).scalar_one()
    )


def require(session: Session, tenant_id: int, campaign_id: int) -> Campaign:
    try:
        return TenantScope(session, tenant_id).require(Campaign, campaign_id)
    except NotFound:
        raise NotFound("no such campaign") from None


__all__ = [
    "CampaignView",
    "cancel",
    "create_campaign",
    "get_campaign",
    "list_campaigns",
    "pause",
    "recipients_page",
    "resume",
    "schedule",
    "settings_for",
    "update_campaign",
    "update_settings",
]
