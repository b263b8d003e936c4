"""Small periodic clean-ups that keep tables from growing without bound."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, or_

from engine.db import session_scope
from engine.models import UserSession, utcnow


def purge_dead_sessions(grace: timedelta = timedelta(days=7)) -> int:
    """Delete console sessions that expired or were revoked more than `grace` ago."""
    cutoff = utcnow() - grace
    with session_scope() as session:
        result = session.execute(
            delete(UserSession).where(or_(UserSession.expires_at < cutoff, UserSession.revoked_at < cutoff))
        )
        return int(result.rowcount or 0)
