"""The conversations of a tenant as a keyset-paged feed, for systems that sync them (the REST API).

The inbox pages by number and sorts by last activity, which suits a person looking at the top of a list
but not a program walking all of it: activity moves conversations between pages while it reads. Here the
order is the id, newest first, and a page is "the `limit` conversations older than `before_id`" — a walk
never sees one twice or misses one. The rows are summarised exactly as the inbox shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from engine.conversations import inbox
from engine.conversations.inbox import ConversationSummary
from engine.conversations.inbox_filter import HandoffFilter, handed_off
from engine.db import TenantScope
from engine.models import Conversation, Customer

STATUSES = ("bot", "handoff", "closed")
PAGE_MAX = 100


@dataclass(frozen=True, slots=True)
class ConversationFeedPage:
    items: list[ConversationSummary]
    next_before_id: int | None  # None: this was the last page


def conversation_feed(
    session: Session,
    tenant_id: int,
    *,
    status: str | None = None,
    handoff: HandoffFilter | None = None,
    before_id: int | None = None,
    limit: int = 25,
) -> ConversationFeedPage:
    """WhatsApp conversations (playground chats stay out, as in the inbox), optionally of one status and
    handed to a person for one reason (the inbox's and Analytics' meaning of it: engine.conversations
    .inbox_filter)."""
    if status is not None and status not in STATUSES:
        raise inbox.InboxError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    limit = max(1, min(limit, PAGE_MAX))
    query = (
        select(Conversation, Customer)
        .where(
            Conversation.tenant_id == tenant_id,
            Conversation.channel == "whatsapp",
            Customer.tenant_id == tenant_id,
            Customer.id == Conversation.customer_id,
        )
        .order_by(Conversation.id.desc())  # type: ignore[union-attr]
        .limit(limit + 1)
    )
    if status is not None:
        query = query.where(Conversation.status == status)
    if handoff is not None:
        query = query.where(handed_off(tenant_id, handoff))
    if before_id is not None:
        query = query.where(Conversation.id < before_id)  # type: ignore[operator]
    rows = list(session.exec(query).all())
    more = len(rows) > limit
    rows = rows[:limit]
    items = inbox._summaries(TenantScope(session, tenant_id), [(c, cu) for c, cu in rows])  # noqa: SLF001
    return ConversationFeedPage(items=items, next_before_id=items[-1].id if more and items else None)


__all__ = ["STATUSES", "ConversationFeedPage", "conversation_feed"]
