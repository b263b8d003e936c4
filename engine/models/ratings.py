"""Satisfaction ratings asked in the chat after each resolution, and the tenant's rating rules.

One owner: engine/conversations/ratings*.py writes every row here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column

from engine.models.base import (
    Field,
    Index,
    TenantOwned,
    UniqueConstraint,
    created_at_field,
    json_list,
    tenant_keys,
    time_field,
)
from engine.security.crypto import EncryptedText

# A rating button's id is "rate:<rating id>:<score>": ingest recognises the tap by it, and the resolution
# definition does not count the tap as the customer coming back.
RATING_PAYLOAD_PREFIX = "rate:"


class RatingSettings(TenantOwned, table=True):
    """How a tenant asks: the scale and its wording, how often, and what a low rating does."""

    __tablename__ = "rating_settings"
    __table_args__ = tenant_keys("rating_settings", UniqueConstraint("tenant_id"))

    enabled: bool = Field(default=True)
    scale: int = Field(default=3)  # 2 or 3 quick-reply buttons (WhatsApp allows 3 in a session)
    # the shop's own button titles, best first (empty: the customer's language's defaults)
    titles: list[str] = json_list()
    question: str | None = Field(default=None, max_length=300)  # the shop's own question (None: defaults)
    low_at_most: int = Field(default=1)  # a score at or under this is low: follow-up and Needs attention
    reopen_on_low: bool = Field(default=False)  # a low rating hands the conversation to a person
    min_days_between: int = Field(default=7)  # a customer is asked at most once in this many days (0: always)
    # after the agent's last answer, silence this long counts as resolved by the agent (engine/analytics/
    # resolution.py), and the agent then closes the conversation, which asks for a rating
    resolution_window_hours: int = Field(default=12)
    # outside the 24-hour window: an approved WhatsApp template (Content API) or nothing
    template_sid: str | None = Field(default=None, max_length=64)
    template_status: str = Field(default="none", max_length=16)  # none | pending | approved | rejected
    updated_at: datetime = created_at_field()


class Rating(TenantOwned, table=True):
    """One request for a rating after one resolution (every close asks again), and the customer's answer."""

    __tablename__ = "rating"
    __table_args__ = tenant_keys(
        "rating",
        UniqueConstraint("tenant_id", "conversation_id", "resolved_at"),
        Index("ix_rating_status_created_at", "status", "created_at"),
        Index("ix_rating_tenant_id_answered_at", "tenant_id", "answered_at"),
        refs={"conversation_id": "conversation", "customer_id": "customer"},
    )

    conversation_id: int = Field(index=True)
    customer_id: int = Field(index=True)
    resolved_at: datetime = created_at_field()  # the close this request follows
    resolved_by: str = Field(default="staff", max_length=16)  # agent | staff
    # due (waiting for the job) | asked | answered | skipped (not asked: skip_reason says why)
    status: str = Field(default="due", max_length=16)
    skip_reason: str | None = Field(default=None, max_length=32)  # opted_out | handoff | rate_limited | ...
    via: str | None = Field(default=None, max_length=16)  # session | template
    prompt_message_id: int | None = Field(default=None)
    asked_at: datetime | None = time_field()
    score: int | None = Field(default=None)
    scale: int = Field(default=3)
    is_low: bool | None = Field(default=None)
    answered_at: datetime | None = time_field()
    follow_up_asked_at: datetime | None = time_field()
    comment: str | None = Field(default=None, sa_column=Column(EncryptedText))  # the customer's words
    attention_cleared_at: datetime | None = time_field()  # staff dealt with a low rating
    created_at: datetime = created_at_field()


__all__ = ["RATING_PAYLOAD_PREFIX", "Rating", "RatingSettings"]
