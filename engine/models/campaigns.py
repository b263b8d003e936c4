"""Broadcast campaigns: their rich content, their audience and each recipient's delivery story.

One owner: engine/campaigns writes every row here (the status callback and button taps call it).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from engine.models.base import (
    Field,
    Index,
    TenantOwned,
    UniqueConstraint,
    created_at_field,
    encrypted_json_dict,
    json_dict,
    json_list,
    tenant_keys,
    time_field,
)


class Campaign(TenantOwned, table=True):
    __table_args__ = tenant_keys("campaign")

    name: str = Field(max_length=120)
    # draft | scheduled | sending | paused | sent | cancelled
    status: str = Field(default="draft", max_length=16)
    # the filter; encrypted: it can hold the phone numbers of an uploaded list
    audience: dict[str, Any] = encrypted_json_dict()
    content_sid: str | None = Field(default=None, max_length=64)
    created_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
    scheduled_at: datetime | None = time_field()
    started_at: datetime | None = time_field()
    completed_at: datetime | None = time_field()
    # the WhatsApp number it goes out from (None: the tenant's default sender when it starts)
    sender_address: str | None = Field(default=None, max_length=40)
    # the approved template it goes out as: none | pending | approved | rejected | paused | disabled
    template_status: str = Field(default="none", max_length=16)
    template_name: str | None = Field(default=None, max_length=120)
    template_category: str = Field(default="MARKETING", max_length=16)
    template_reason: str | None = Field(default=None, max_length=500)  # WhatsApp's rejection reason
    template_checked_at: datetime | None = time_field()
    # the numbered variables of the template, in order: ["first_name", "last_product"]
    template_variables: list[str] = json_list()
    # what the audience filter excluded when recipients were materialized: {"opted_out": 3, ...}
    exclusions: dict[str, Any] = json_dict()
    # one dispatcher at a time: its worker id and until when its lease runs (renewed every batch)
    dispatch_owner: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = time_field()
    updated_at: datetime = created_at_field()


class CampaignMessage(TenantOwned, table=True):
    __tablename__ = "campaign_message"
    __table_args__ = tenant_keys("campaign_message", refs={"campaign_id": "campaign"})

    campaign_id: int = Field(index=True)
    position: int = Field(default=0)
    body: str = Field(default="", max_length=1600)  # the text; the caption under the media when it has one
    media_url: str | None = Field(default=None, max_length=500)  # a stored media key (engine.campaigns.media)
    media_type: str | None = Field(default=None, max_length=64)
    caption: str | None = Field(default=None, max_length=1024)
    # [{"type": "quick_reply"|"url"|"call", "title", "id"|"url"|"phone", "action", "reply", "product_id"}]
    buttons: list[dict[str, Any]] = json_list()
    fallbacks: dict[str, Any] = json_dict()  # {"first_name": "there"}: used when a customer has no value


class CampaignRecipient(TenantOwned, table=True):
    __tablename__ = "campaign_recipient"
    __table_args__ = tenant_keys(
        "campaign_recipient",
        UniqueConstraint("tenant_id", "campaign_id", "customer_id"),
        UniqueConstraint("tenant_id", "provider_sid"),
        Index("ix_campaign_recipient_campaign_status", "campaign_id", "status"),
        refs={"campaign_id": "campaign", "customer_id": "customer"},
    )

    campaign_id: int = Field(index=True)
    customer_id: int = Field(index=True)
    # pending | sending (claimed) | queued | sent | delivered | read | clicked | failed | undelivered |
    # cancelled
    status: str = Field(default="pending", max_length=16)
    provider_sid: str | None = Field(default=None, max_length=64)
    error_code: str | None = Field(default=None, max_length=16)
    error_message: str | None = Field(default=None, max_length=300)  # the failure in the shop owner's words
    phone: str | None = Field(default=None, max_length=40)  # the number at materialization
    variables: dict[str, Any] = encrypted_json_dict()  # the template's values for this customer (encrypted)
    not_before: datetime | None = time_field()  # quiet hours: not sent before this moment
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = time_field()
    needs_lookup: bool = Field(default=False)  # an earlier send ended unclearly: look at Twilio first
    attempts: int = Field(default=0)
    sent_at: datetime | None = time_field()
    delivered_at: datetime | None = time_field()
    read_at: datetime | None = time_field()
    clicked_at: datetime | None = time_field()
    failed_at: datetime | None = time_field()
    tapped_payload: str | None = Field(default=None, max_length=128)
    replied_at: datetime | None = time_field()
    ordered_at: datetime | None = time_field()
    order_id: int | None = Field(default=None)
    revenue: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)


class CampaignSettings(TenantOwned, table=True):
    """A tenant's campaign rules: the frequency cap, quiet hours and the sender's pace."""

    __tablename__ = "campaign_settings"
    __table_args__ = tenant_keys("campaign_settings", UniqueConstraint("tenant_id"))

    frequency_cap: int = Field(default=2)  # campaigns a customer may get per window (0: no cap)
    frequency_days: int = Field(default=7)
    quiet_start: str = Field(default="21:00", max_length=5)  # local time, HH:MM
    quiet_end: str = Field(default="09:00", max_length=5)
    messages_per_second: int = Field(default=80)  # the sender's throughput setting at Twilio


class CampaignAction(TenantOwned, table=True):
    """Work a reply from a customer leaves for the campaign job: an opt-out/opt-in confirmation to send, or a
    tapped button's canned reply, catalog card or handoff. Claimed like a recipient, done once."""

    __tablename__ = "campaign_action"
    __table_args__ = tenant_keys(
        "campaign_action",
        Index("ix_campaign_action_status", "status"),
        refs={"customer_id": "customer"},
    )

    customer_id: int = Field(index=True)
    conversation_id: int | None = Field(default=None)
    campaign_id: int | None = Field(default=None)
    kind: str = Field(max_length=16)  # opt_out | opt_in | reply | product | person
    language: str = Field(default="en", max_length=8)
    # encrypted: it quotes the tapped button's title as the customer's WhatsApp sent it
    payload: dict[str, Any] = encrypted_json_dict()
    status: str = Field(default="pending", max_length=16)  # pending | claimed | done | failed
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = time_field()
    provider_sid: str | None = Field(default=None, max_length=64)
    error: str | None = Field(default=None, max_length=300)
    created_at: datetime = created_at_field()
    done_at: datetime | None = time_field()
