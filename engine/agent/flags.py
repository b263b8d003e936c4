"""The per-tenant agent mode: the AI agent, the simple rule-based responder, or off (staff answer everything).

Stored in `tenant.feature_flags["agent_mode"]`; tenants from before the mode existed carry the older boolean
`ai_agent` (missing means on), read as "ai" or "rules". Why keep the rule-based responder at all: a shop can
fall back to it in one click if the agent misbehaves, without losing the channel; it needs no model, no
knowledge index and no configuration. Why "off": some shops want every message read by a person for a while
(a launch, a crisis); the queue then leaves each inbound message for staff with a plain reason.

Every process reads the mode from the tenant row for each burst (engine.agent.channel), so a switch takes
effect on the next message everywhere, with no cache to go stale.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from engine.accounts import audit
from engine.models import Tenant

AGENT_FLAG = "ai_agent"  # the older boolean, still read
MODE_FLAG = "agent_mode"
AGENT_MODES: tuple[str, ...] = ("ai", "rules", "off")
MODE_LABELS: dict[str, str] = {
    "ai": "AI agent",
    "rules": "Rule-based responder",
    "off": "Off — staff answer everything",
}
MODE_DESCRIPTIONS: dict[str, str] = {
    "ai": "The AI agent answers every message from your knowledge, catalog and persona, and hands a chat "
    "to your team when it should.",
    "rules": "A simple responder thanks the customer and answers from your catalog when they name a "
    "product; no AI model is used.",
    "off": "Nothing answers automatically: every new message waits in Conversations under Needs a person.",
}
OFF_REASON = "the automatic agent is switched off: a person answers every message"


def agent_mode(tenant: Tenant | None) -> str:
    flags: dict[str, Any] = (tenant.feature_flags if tenant else None) or {}
    mode = flags.get(MODE_FLAG)
    if mode in AGENT_MODES:
        return str(mode)
    return "ai" if bool(flags.get(AGENT_FLAG, True)) else "rules"


def tenant_agent_mode(session: Session, tenant_id: int) -> str:
    """The mode of one tenant, read fresh (what Settings → Features shows)."""
    return agent_mode(session.get(Tenant, tenant_id))


def agent_enabled(tenant: Tenant | None) -> bool:
    """The AI agent answers (mode "ai")."""
    return agent_mode(tenant) == "ai"


def set_agent_mode(
    session: Session,
    tenant_id: int,
    mode: str,
    *,
    actor_user_id: int | None = None,
    actor_label: str = "console",
) -> str:
    """Switch the tenant's agent mode (audited with from and to); returns the new mode."""
    if mode not in AGENT_MODES:
        raise ValueError(f"agent mode must be one of {', '.join(AGENT_MODES)}")
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise LookupError(f"tenant {tenant_id} not found")
    before = agent_mode(tenant)
    if before != mode:
        flags = {k: v for k, v in (tenant.feature_flags or {}).items() if k != AGENT_FLAG}
        flags[MODE_FLAG] = mode
        tenant.feature_flags = flags  # a new dict: JSON columns are compared by identity
        session.add(tenant)
        audit.record(
            session,
            tenant_id,
            "agent.mode",
            actor_user_id=actor_user_id,
            actor_label=actor_label,
            target_type="tenant",
            target_id=tenant_id,
            details={"from": before, "to": mode},
        )
        session.flush()
    return mode


def set_agent_enabled(
    session: Session, tenant_id: int, enabled: bool, *, actor_user_id: int | None = None
) -> bool:
    """Turn the AI agent on, or over to the rule-based responder (audited); returns the new value."""
    set_agent_mode(session, tenant_id, "ai" if enabled else "rules", actor_user_id=actor_user_id)
    return enabled


__all__ = [
    "AGENT_FLAG",
    "AGENT_MODES",
    "MODE_DESCRIPTIONS",
    "MODE_LABELS",
    "OFF_REASON",
    "agent_enabled",
    "agent_mode",
    "set_agent_enabled",
    "set_agent_mode",
    "tenant_agent_mode",
]
