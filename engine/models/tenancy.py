"""Tenants, staff accounts and their access: memberships, login sessions, API tokens, secrets, audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, event
from sqlalchemy.orm import Session as OrmSession

from engine.cache import get_cache
from engine.models.agent import agent_config_cache_key
from engine.models.base import (
    Field,
    Index,
    SQLModel,
    TenantOwned,
    UniqueConstraint,
    UTCDateTime,
    created_at_field,
    encrypted_json_dict,
    json_dict,
    json_list,
    tenant_keys,
    time_field,
)
from engine.security.crypto import EncryptedText


class Tenant(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    slug: str = Field(max_length=63, unique=True, index=True)
    time_zone: str = Field(default="UTC", max_length=64)
    currency: str = Field(default="USD", max_length=3)
    # When the team answers, in the tenant's `time_zone`: {"weekly": {"mon": [["09:00", "12:30"], ...]}}.
    # The one home of business hours (Settings → General); the agent's handoff notice reads them from here.
    business_hours: dict[str, Any] = json_dict()
    agent_language: str = Field(default="en", max_length=16)  # the language the agent starts in (BCP 47)
    # Outgoing mail (Settings → Email): host, port, tls, sender, username; the password is a `secret`.
    email_settings: dict[str, Any] = json_dict()
    feature_flags: dict[str, Any] = json_dict()
    plan_limits: dict[str, Any] = json_dict()
    is_active: bool = Field(default=True)
    created_at: datetime = created_at_field()


class WhatsAppSender(TenantOwned, table=True):
    """A tenant's Twilio WhatsApp sender; globally unique so an inbound `To` names exactly one tenant."""

    __tablename__ = "whatsapp_sender"
    __table_args__ = tenant_keys("whatsapp_sender")

    address: str = Field(max_length=40, unique=True, index=True)
    label: str | None = Field(default=None, max_length=80)
    is_default: bool = Field(default=False)  # the number the shop sends from first (campaigns, playground)
    created_at: datetime = created_at_field()


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    full_name: str | None = Field(default=None, max_length=120)
    password_hash: str = Field(max_length=255)
    is_active: bool = Field(default=True)
    created_at: datetime = created_at_field()
    last_login_at: datetime | None = time_field()


class Membership(TenantOwned, table=True):
    __table_args__ = tenant_keys("membership", UniqueConstraint("tenant_id", "user_id"))

    user_id: int = Field(foreign_key="user.id", index=True)
    role: str = Field(max_length=16)
    created_at: datetime = created_at_field()


class UserSession(SQLModel, table=True):
    """A console login. Only the token's hash is stored; the cookie carries the token."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    active_tenant_id: int | None = Field(default=None, foreign_key="tenant.id")
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    revoked_at: datetime | None = time_field()
    user_agent: str | None = Field(default=None, max_length=255)


class ApiToken(TenantOwned, table=True):
    __tablename__ = "api_token"
    __table_args__ = tenant_keys("api_token")

    name: str = Field(max_length=80)
    token_prefix: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    scopes: list[str] = json_list()
    created_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
    last_used_at: datetime | None = time_field()
    expires_at: datetime | None = time_field()
    revoked_at: datetime | None = time_field()


class Secret(TenantOwned, table=True):
    """Provider credentials (OpenAI, Together, Twilio), encrypted; only the last four characters are shown."""

    __table_args__ = tenant_keys("secret", UniqueConstraint("tenant_id", "kind"))

    kind: str = Field(max_length=40)
    value: str = Field(sa_column=Column(EncryptedText, nullable=False))
    last4: str = Field(default="", max_length=4)
    updated_at: datetime = created_at_field()


class AuditLog(TenantOwned, table=True):
    __tablename__ = "audit_log"
    __table_args__ = tenant_keys("audit_log", Index("ix_audit_log_tenant_id_action", "tenant_id", "action"))

    actor_user_id: int | None = Field(default=None, foreign_key="user.id")
    actor_label: str = Field(default="system", max_length=120)
    action: str = Field(max_length=64)
    target_type: str | None = Field(default=None, max_length=40)
    target_id: str | None = Field(default=None, max_length=64)
    details: dict[str, Any] = encrypted_json_dict()  # titles, names and values of what changed
    created_at: datetime = created_at_field()


# The agent reads the tenant's business hours, time zone and language through its cached persona
# (engine.agent.persona): a committed write to a tenant clears that cache in every process, whoever wrote it.
_TENANT_WRITTEN = "tenant_written"


@event.listens_for(OrmSession, "after_flush")
def _note_tenant_writes(session: OrmSession, _context: Any) -> None:
    written = {row.id for row in (*session.new, *session.dirty) if isinstance(row, Tenant) and row.id}
    if written:
        session.info.setdefault(_TENANT_WRITTEN, set()).update(written)


@event.listens_for(OrmSession, "after_commit")
def _forget_cached_tenant_settings(session: OrmSession) -> None:
    for tenant_id in session.info.pop(_TENANT_WRITTEN, ()):
        get_cache().delete(agent_config_cache_key(tenant_id))


@event.listens_for(OrmSession, "after_rollback")
def _drop_noted_tenant_writes(session: OrmSession) -> None:
    session.info.pop(_TENANT_WRITTEN, None)
