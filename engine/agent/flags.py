"""The per-tenant switch between the AI agent pipeline and the simple rule-based responder.

Stored in `tenant.feature_flags["ai_agent"]` (missing means on). Why keep the rule-based responder at all: a
shop can fall back to it in one click if the agent misbehaves, without losing the channel; it needs no
model, no knowledge index and no configuration.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from engine.accounts import audit
from engine.models import Tenant

AGENT_FLAG = "ai_agent"


def agent_enabled(tenant: Tenant | None) -> bool:
    flags: dict[str, Any] = (tenant.feature_flags if tenant else None) or {}
    return bool(flags.get(AGENT_FLAG, True))


def set_agent_enabled(
    session: Session, tenant_id: int, enabled: bool, *, actor_user_id: int | None = None
) -> bool:
    """Turn the AI agent on or off for a tenant (audited); returns the new value."""
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise LookupError(f"tenant {tenant_id} not found")
    flags = dict(tenant.feature_flags or {})
    if flags.get(AGENT_FLAG, True) != enabled:
        flags[AGENT_FLAG] = bool(enabled)
        tenant.feature_flags = flags  # a new dict: JSON columns are compared by identity
        session.add(tenant)
        audit.record(
            session,
            tenant_id,
            "agent.enabled" if enabled else "agent.disabled",
            actor_user_id=actor_user_id,
            actor_label="console",
            target_type="tenant",
            target_id=tenant_id,
        )
        session.flush()
    return enabled


__all__ = ["AGENT_FLAG", "agent_enabled", "set_agent_enabled"]
