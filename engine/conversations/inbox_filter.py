"""The inbox's handoff filter: the conversations handed to a person for one reason, optionally within a range.

Why here and in these terms: Analytics counts handoffs by category (engine/analytics/handoffs.py) and each
count links to the inbox, so a shop owner can read the chats behind "Customer sounds frustrated: 12". The
filter matches a conversation by the same evidence that count reads, so the two cannot disagree on what a
category means:
  - an agent turn that handed off (agent_interaction.handoff) with that category code
    (agent_interaction.handoff_category, the plain copy of the encrypted reason); turns with no code are
    counted by Analytics under "handoff", and so are they here;
  - "staff": a person took the conversation over without the agent asking (the audit log's
    `conversation.take_over` rows, whose target is the conversation).
The range, when given, bounds when that turn or take-over happened ([since, until), UTC; the caller turns the
tenant's local days into it). Every subquery is filtered by tenant_id, on top of the listing's own filter.

Which codes exist and how they read is engine.agent.labels.HANDOFF_CATEGORIES (the console checks a code there
and shows its words); this module only refuses what cannot be a code at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, cast, or_, select
from sqlalchemy.sql.elements import ColumnElement

from engine.models import AgentInteraction, AuditLog, Conversation

DEFAULT = "handoff"  # a handoff turn that recorded no category (engine/analytics/handoffs.py counts it so)
STAFF = "staff"  # staff took over (engine/analytics/handoffs.py: STAFF)
TAKE_OVER = "conversation.take_over"  # engine/conversations/lifecycle.py's audit action
CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")  # agent_interaction.handoff_category is at most 32 characters


@dataclass(frozen=True, slots=True)
class HandoffFilter:
    """Conversations handed off for `category`; `since`/`until` (UTC, until excluded) bound when."""

    category: str
    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        if not CODE.match(self.category or ""):
            raise ValueError(f"not a handoff category: {self.category!r}")
        if self.since is not None and self.until is not None and self.until <= self.since:
            raise ValueError("the range ends before it starts")


def _within(column: Any, f: HandoffFilter) -> list[ColumnElement[bool]]:
    bounds: list[ColumnElement[bool]] = []
    if f.since is not None:
        bounds.append(column >= f.since)
    if f.until is not None:
        bounds.append(column < f.until)
    return bounds


def handed_off(tenant_id: int, f: HandoffFilter) -> ColumnElement[bool]:
    """A WHERE clause on Conversation: it was handed off for `f.category` (within `f`'s range)."""
    if f.category == STAFF:
        taken = select(AuditLog.target_id).where(
            AuditLog.tenant_id == tenant_id,
            AuditLog.action == TAKE_OVER,
            AuditLog.target_type == "conversation",
            *_within(AuditLog.created_at, f),
        )
        return and_(Conversation.tenant_id == tenant_id, cast(Conversation.id, String).in_(taken))
    t = AgentInteraction
    if f.category == DEFAULT:
        category = or_(t.handoff_category.is_(None), t.handoff_category == DEFAULT)  # type: ignore[union-attr]
    else:
        category = t.handoff_category == f.category
    turns = select(t.conversation_id).where(
        t.tenant_id == tenant_id,
        t.handoff.is_(True),  # type: ignore[attr-defined]
        t.conversation_id.is_not(None),  # type: ignore[union-attr]
        category,
        *_within(t.created_at, f),
    )
    return and_(Conversation.tenant_id == tenant_id, Conversation.id.in_(turns))  # type: ignore[union-attr]


__all__ = ["DEFAULT", "STAFF", "HandoffFilter", "handed_off"]
