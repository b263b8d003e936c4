"""Tenant credentials (OpenAI, Together, Twilio) stored encrypted; read back only by the engine."""

from __future__ import annotations

from sqlmodel import Session

from engine.accounts.errors import AccountError
from engine.db import TenantScope
from engine.models import Secret, utcnow

SECRET_KINDS = frozenset(
    {
        "openai_api_key",
        "together_api_key",
        "openai_compatible_api_key",
        "twilio_account_sid",
        "twilio_auth_token",
        "twilio_auth_token_previous",  # kept after a change until a webhook signed with the new one arrives
        "twilio_api_key_sid",
        "twilio_api_key_secret",
        "smtp_password",
    }
)


def set_secret(session: Session, tenant_id: int, kind: str, value: str) -> str:
    """Store or replace a secret; returns the last four characters, the only part ever shown again."""
    if kind not in SECRET_KINDS:
        raise AccountError(f"unknown secret kind {kind!r}")
    value = value.strip()
    if not value:
        raise AccountError("the secret is empty")
    scope = TenantScope(session, tenant_id)
    row = scope.first(Secret, Secret.kind == kind)
    last4 = value[-4:]
    if row is None:
        scope.add(Secret(kind=kind, value=value, last4=last4))
    else:
        row.value, row.last4, row.updated_at = value, last4, utcnow()
        session.add(row)
        session.flush()
    return last4


def get_secret(session: Session, tenant_id: int, kind: str) -> str | None:
    row = TenantScope(session, tenant_id).first(Secret, Secret.kind == kind)
    return row.value if row else None


def masked_secrets(session: Session, tenant_id: int) -> dict[str, str]:
    """kind -> '••••1234', for showing which keys are set without revealing them."""
    return {row.kind: f"••••{row.last4}" for row in TenantScope(session, tenant_id).all(Secret)}


def delete_secret(session: Session, tenant_id: int, kind: str) -> bool:
    scope = TenantScope(session, tenant_id)
    row = scope.first(Secret, Secret.kind == kind)
    if row is None:
        return False
    scope.delete(row)
    return True
