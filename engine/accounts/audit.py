"""Append-only record of who changed what in a tenant."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from engine.db import TenantScope
from engine.models import AuditLog


def record(
    session: Session,
    tenant_id: int,
    action: str,
    *,
    actor_user_id: int | None = None,
    actor_label: str = "system",
    target_type: str | None = None,
    target_id: str | int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditLog:
    return TenantScope(session, tenant_id).add(
        AuditLog(
            actor_user_id=actor_user_id,
            actor_label=actor_label,
            action=action,
            target_type=target_type,
            target_id=None if target_id is None else str(target_id),
            details=details or {},
        )
    )
