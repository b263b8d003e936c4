"""Campaign templates: the message created through Twilio's Content API, submitted for WhatsApp approval, and
its approval status polled until WhatsApp decides.

Business-initiated messages may only go out as approved templates, so a campaign cannot be scheduled until its
template is `approved` (service.schedule). Named variables become numbered ones ({{first_name}} → {{1}}, with
the fallback as the sample WhatsApp's reviewers see). A message with buttons is a `twilio/card` (media, text
and up to three buttons of any kind); without buttons, `twilio/media` or `twilio/text`. Requests go through
the tenant's TwilioSender client, so TWILIO_API_BASE_URL applies as to every other Twilio call.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import requests
from sqlalchemy import select
from sqlmodel import Session
from twilio.base.exceptions import TwilioException
from twilio.rest.content.v1.content import ContentList
from twilio.rest.content.v1.content.approval_create import ApprovalCreateList

from engine.campaigns import variables as V
from engine.campaigns.errors import CampaignStateError
from engine.channels.whatsapp.sender import TwilioSender
from engine.channels.whatsapp.twilio_client import error_details
from engine.db import TenantScope, session_scope
from engine.models import Campaign, CampaignMessage, Tenant, utcnow

log = logging.getLogger(__name__)
CATEGORIES = ("MARKETING", "UTILITY")
# WhatsApp's words → ours: what the console shows
STATUS_MAP = {
    "approved": "approved",
    "rejected": "rejected",
    "paused": "paused",
    "disabled": "disabled",
    "pending": "pending",
    "received": "pending",
    "unsubmitted": "pending",
    "in_appeal": "pending",
}
MediaUrl = Callable[[int, str], str]  # (tenant_id, media key) → a URL Twilio can fetch


def template_name(campaign: Campaign) -> str:
    """WhatsApp template names: lowercase letters, digits and underscores, unique per account."""
    slug = re.sub(r"[^a-z0-9]+", "_", campaign.name.lower()).strip("_")[:80] or "campaign"
    return f"{slug}_{campaign.tenant_id}_{campaign.id}"


def content_types(message: CampaignMessage, names: list[str], media_url: str | None) -> dict[str, Any]:
    body = V.numbered(message.body, names)
    actions = []
    for b in message.buttons or []:
        if b.get("type") == "url":
            actions.append({"type": "URL", "title": b["title"], "url": b["url"]})
        elif b.get("type") == "call":
            actions.append({"type": "PHONE_NUMBER", "title": b["title"], "phone": b["phone"]})
        else:
            actions.append({"type": "QUICK_REPLY", "title": b["title"], "id": b["id"]})
    if actions:
        card: dict[str, Any] = {"title": body, "actions": actions}
        if media_url:
            card["media"] = [media_url]
        return {"twilio/card": card}
    if media_url:
        return {"twilio/media": {"body": body, "media": [media_url]}}
    return {"twilio/text": {"body": body}}


def submit(
    session: Session,
    tenant_id: int,
    campaign_id: int,
    *,
    media_url: MediaUrl | None = None,
    category: str = "MARKETING",
) -> Campaign:
    """Create the campaign's content at Twilio and ask WhatsApp to approve it; the campaign's template is then
    `pending`. Raises CampaignStateError with Twilio's words when either call is refused."""
    scope = TenantScope(session, tenant_id)
    campaign = scope.require(Campaign, campaign_id)
    if campaign.status not in ("draft", "scheduled", "paused"):
        raise CampaignStateError("this campaign has already gone out")
    message = scope.first(CampaignMessage, CampaignMessage.campaign_id == campaign_id)
    if message is None:
        raise CampaignStateError("write the message first")
    category = category.upper() if category.upper() in CATEGORIES else "MARKETING"
    names = V.names_in(message.body)
    url = media_url(tenant_id, message.media_url) if (message.media_url and media_url) else None
    tenant = session.get(Tenant, tenant_id)
    samples = {
        str(i + 1): (message.fallbacks or {}).get(n) or V.VARIABLES[n][1] or "Sample"
        for i, n in enumerate(names)
    }
    client = TwilioSender.for_tenant(session, tenant_id).client
    name = template_name(campaign)
    try:
        content = client.content.v1.contents.create(
            ContentList.ContentCreateRequest(
                {
                    "friendly_name": name,
                    "language": (tenant.agent_language if tenant else "en")[:2] or "en",
                    "variables": samples,
                    "types": content_types(message, names, url),
                }
            )
        )
        approval = client.content.v1.contents(content.sid).approval_create.create(
            ApprovalCreateList.ContentApprovalRequest({"name": name, "category": category})
        )
    except (TwilioException, requests.exceptions.RequestException) as exc:
        code, text = error_details(exc)
        raise CampaignStateError(f"Twilio did not accept the template: {text} ({code or 'no code'})") from exc
    campaign.content_sid = str(content.sid)
    campaign.template_name = name
    campaign.template_category = category
    campaign.template_variables = names
    campaign.template_status = STATUS_MAP.get(str(approval.status or "received").lower(), "pending")
    campaign.template_reason = approval.rejection_reason or None
    campaign.template_checked_at = utcnow()
    session.add(campaign)
    session.flush()
    return campaign


def refresh(session: Session, tenant_id: int, campaign_id: int) -> Campaign:
    """Ask Twilio for the template's approval status now."""
    campaign = TenantScope(session, tenant_id).require(Campaign, campaign_id)
    if not campaign.content_sid:
        return campaign
    client = TwilioSender.for_tenant(session, tenant_id).client
    try:
        fetched = client.content.v1.contents(campaign.content_sid).approval_fetch().fetch()
    except (TwilioException, requests.exceptions.RequestException) as exc:
        log.info("template status of campaign %s: %s", campaign_id, error_details(exc))
        return campaign
    whatsapp = fetched.whatsapp or {}
    status = STATUS_MAP.get(str(whatsapp.get("status") or "pending").lower(), "pending")
    campaign.template_status = status
    campaign.template_reason = (
        (str(whatsapp.get("rejection_reason") or "") or None) if status != "approved" else None
    )
    campaign.template_checked_at = utcnow()
    session.add(campaign)
    session.flush()
    return campaign


def poll_pending() -> int:
    """The job: refresh every pending template (WhatsApp's review takes minutes to two days)."""
    with session_scope() as session:
        pending = session.execute(
            select(Campaign.tenant_id, Campaign.id).where(Campaign.template_status == "pending")
        ).all()
    for tenant_id, campaign_id in pending:
        with session_scope() as session:
            refresh(session, int(tenant_id), int(campaign_id))
    return len(pending)


__all__ = ["content_types", "poll_pending", "refresh", "submit", "template_name"]
