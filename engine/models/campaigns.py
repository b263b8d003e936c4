"""Broadcast campaigns: their rich content, their audience and each recipient's delivery story."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from engine.models.base import (
    Field,
    TenantOwned,
    UniqueConstraint,
    created_at_field,
    json_dict,
    json_list,
    tenant_keys,
    time_field,
)


class Campaign(TenantOwned, table=True):
    __table_args__ = tenant_keys("campaign")

    name: str = Field(max_length=120)
    status: str = Field(default="draft", max_length=16)  # draft | scheduled | sending | sent | cancelled
    audience: dict[str, Any] = json_dict()
    content_sid: str | None = Field(default=None, max_length=64)
    created_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
    scheduled_at: datetime | None = time_field()
    started_at: datetime | None = time_field()
    completed_at: datetime | None = time_field()


class CampaignMessage(TenantOwned, table=True):
    __tablename__ = "campaign_message"
    __table_args__ = tenant_keys("campaign_message", refs={"campaign_id": "campaign"})

    campaign_id: int = Field(index=True)
    position: int = Field(default=0)
    body: str = Field(default="", max_length=1600)
    media_url: str | None = Field(default=None, max_length=500)
    media_type: str | None = Field(default=None, max_length=64)
    caption: str | None = Field(default=None, max_length=1024)
    buttons: list[dict[str, Any]] = json_list()


class CampaignRecipient(TenantOwned, table=True):
    __tablename__ = "campaign_recipient"
    __table_args__ = tenant_keys(
        "campaign_recipient",
        UniqueConstraint("tenant_id", "campaign_id", "customer_id"),
        UniqueConstraint("tenant_id", "provider_sid"),
        refs={"campaign_id": "campaign", "customer_id": "customer"},
    )

    campaign_id: int = Field(index=True)
    customer_id: int = Field(index=True)
    status: str = Field(default="pending", max_length=16)
    provider_sid: str | None = Field(default=None, max_length=64)
    error_code: str | None = Field(default=None, max_length=16)
    sent_at: datetime | None = time_field()
    delivered_at: datetime | None = time_field()
    read_at: datetime | None = time_field()
    clicked_at: datetime | None = time_field()
    failed_at: datetime | None = time_field()
