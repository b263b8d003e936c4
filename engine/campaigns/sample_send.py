""" "Send a test to my number": the campaign as one customer would get it, to the manager's own phone.

Once WhatsApp approved the template the test goes out exactly as the campaign will (the template, with the
sample values its variables take when a customer has none). Before approval WhatsApp only lets a business
write freely inside a customer's 24 hours, so the test goes as plain text with the media, and a number that
has not written to the shop in the last day gets WhatsApp's refusal in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from engine.campaigns import variables as V
from engine.campaigns.errors import CampaignError, CampaignStateError
from engine.campaigns.rules import e164
from engine.campaigns.start import customer_values
from engine.campaigns.templates import MediaUrl
from engine.campaigns.transport import CampaignTransport
from engine.channels.whatsapp.sender import SenderNotConfigured, default_sender_address
from engine.db import TenantScope
from engine.models import Campaign, CampaignMessage, Customer, Tenant


@dataclass(frozen=True, slots=True)
class SampleSent:
    to: str
    provider_sid: str
    as_template: bool


def send_sample(
    session: Session, tenant_id: int, campaign_id: int, to: str, *, media_url: MediaUrl | None = None
) -> SampleSent:
    """Send the campaign to `to` (E.164); CampaignError for a bad number, CampaignStateError with Twilio's or
    WhatsApp's words when it cannot go."""
    number = e164("".join(ch for ch in to or "" if ch.isdigit() or ch == "+"))
    if number is None:
        raise CampaignError("test_number", "a phone number in international form, like +447700900123", 15)
    scope = TenantScope(session, tenant_id)
    campaign = scope.require(Campaign, campaign_id)
    message = scope.first(CampaignMessage, CampaignMessage.campaign_id == campaign_id)
    if message is None or not message.body:
        raise CampaignStateError("write the message first")
    tenant = session.get(Tenant, tenant_id)
    names = V.names_in(message.body)
    sample = V.resolve(
        names, V.CustomerValues(shop_name=tenant.name if tenant else None), dict(message.fallbacks or {})
    )
    try:
        transport = CampaignTransport.for_tenant(session, tenant_id)
        sender = campaign.sender_address or default_sender_address(session, tenant_id)
    except SenderNotConfigured as exc:
        raise CampaignStateError(str(exc)) from exc
    approved = campaign.template_status == "approved" and bool(campaign.content_sid)
    if approved:
        result = transport.send(sender, number, str(campaign.content_sid), V.template_values(names, sample))
    else:
        body = V.render(message.body, sample)
        titles = [b.get("title", "") for b in message.buttons or []]
        if titles:
            body += "\n\n" + "\n".join(f"▸ {t}" for t in titles)
        url = media_url(tenant_id, message.media_url) if (message.media_url and media_url) else None
        result = transport.send_text(sender, number, body, media_url=url)
    if result.kind != "ok" or not result.provider_sid:
        raise CampaignStateError(
            f"the test did not go out: {result.error_message or 'Twilio did not answer'}"
            + ("" if approved else " (before approval a test reaches only a number that wrote to you today)")
        )
    return SampleSent(to=number, provider_sid=result.provider_sid, as_template=approved)


@dataclass(frozen=True, slots=True)
class SampleCustomer:
    """Whose values fill the composer's preview: the most recent opted-in customer with a name."""

    label: str  # "Ada Lovelace" or "a customer with no details yet"
    known: dict[str, str]  # what we know of them: name, last_product, last_order, shop_name (may be empty)


def sample_customer(session: Session, tenant_id: int) -> SampleCustomer:
    """The preview's customer: the newest opted-in customer with a name, with what the variables know."""
    row = session.execute(
        select(Customer.id, Customer.name)
        .where(Customer.tenant_id == tenant_id, Customer.opted_in.is_(True), Customer.name.is_not(None))
        .order_by(Customer.id.desc())
        .limit(1)
    ).first()
    if row is None:
        tenant = session.get(Tenant, tenant_id)
        return SampleCustomer("a customer with no details yet", {"shop_name": tenant.name if tenant else ""})
    values = customer_values(session, tenant_id, [int(row[0])])[int(row[0])]
    known = {
        "name": values.name or "",
        "last_product": values.last_product or "",
        "last_order": values.last_order or "",
        "shop_name": values.shop_name or "",
    }
    return SampleCustomer(str(row[1]), known)


def preview_text(body: str, known: dict[str, str], fallbacks: dict[str, str]) -> str:
    """`body` as the sample customer reads it: their values, else the fallbacks (the start's rule)."""
    values = V.CustomerValues(
        **{k: (known.get(k) or None) for k in ("name", "last_product", "last_order", "shop_name")}
    )
    return V.render(body, V.resolve(V.names_in(body), values, fallbacks))


__all__ = ["SampleCustomer", "SampleSent", "preview_text", "sample_customer", "send_sample"]
