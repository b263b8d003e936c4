"""Every change of a conversation's status, in one place: bot ⇄ handoff, → closed, closed → bot.

    hand_off   bot → handoff       the agent (or the worker, when the agent keeps failing) asks for a person
    take_over  bot/handoff → handoff, assigned to a staff member
    hand_back  handoff → bot       the agent answers again
    close      any → closed        the customer's next message opens a new conversation
    reopen     closed → bot        only while the customer has no other open conversation

Why one module: each change has companions that are easy to forget when it is written inline — the audit row,
the queued bot work that must stop, the handoff fields to set or clear, and `last_activity_at`, which moves
the inbox change marker (engine.conversations.inbox.inbox_marker) so open consoles reload. A static test
(tests/engine/conversations/test_lifecycle.py) proves no other module assigns `Conversation.status`.

Every function works inside the caller's session (so a reply and its handoff commit together) and takes the
tenant explicitly; a refused change raises `ConversationActionError`, whose message fits a toast.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session

from engine.accounts import audit
from engine.conversations import happenings, rating_requests
from engine.db import TenantScope
from engine.models import Conversation, MessageQueue, utcnow
from engine.observability import instrument

REASON_MAX = 255


class ConversationActionError(ValueError):
    """A change of status that cannot be done as asked; the message is fit to show in a toast."""


def hand_off(
    session: Session,
    tenant_id: int,
    conversation_id: int,
    *,
    reason: str,
    category: str | None = None,
    actor_label: str = "agent",
    now: datetime | None = None,
) -> Conversation:
    """A person is needed (the agent decided, or could not answer): the bot goes quiet until handed back.

    Only a conversation the bot holds moves; one a person or nobody (closed) holds is left as it is."""
    now = now or utcnow()
    conversation = _require(session, tenant_id, conversation_id)
    if conversation.status != "bot":
        return conversation
    conversation.status = "handoff"
    conversation.handoff_reason = (reason or "handoff")[:REASON_MAX]
    _changed(session, conversation, now)
    _stop_queue(session, tenant_id, conversation_id, now)
    _audit(session, tenant_id, "conversation.handoff", conversation_id, None, actor_label, category, reason)
    happenings.handed_off(session, conversation, category=category, reason=reason, now=now)  # webhooks
    instrument.handoff(tenant_id, conversation_id, category, actor_label)  # /metrics and the log, by category
    return conversation


def take_over(
    session: Session,
    tenant_id: int,
    conversation_id: int,
    user_id: int | None,
    *,
    reason: str | None = None,
    now: datetime | None = None,
) -> Conversation:
    """A person answers from now on: status handoff, assigned to `user_id`, queued bot work dropped."""
    now = now or utcnow()
    conversation = _require_open(session, tenant_id, conversation_id)
    conversation.status = "handoff"
    conversation.assigned_user_id = user_id
    reason = reason or conversation.handoff_reason or "taken over by staff"
    conversation.handoff_reason = reason[:REASON_MAX]
    _changed(session, conversation, now)
    _stop_queue(session, tenant_id, conversation_id, now)
    _audit(session, tenant_id, "conversation.take_over", conversation_id, user_id, "system", None, reason)
    return conversation


def hand_back(
    session: Session,
    tenant_id: int,
    conversation_id: int,
    user_id: int | None,
    *,
    actor_label: str = "system",
    now: datetime | None = None,
) -> Conversation:
    """The agent answers again; messages that arrived while a person owned it stay theirs (not re-queued)."""
    conversation = _require_open(session, tenant_id, conversation_id)
    conversation.status = "bot"
    _clear_handoff(conversation)
    _changed(session, conversation, now or utcnow())
    _audit(session, tenant_id, "conversation.hand_back", conversation_id, user_id, actor_label)
    return conversation


def close(
    session: Session,
    tenant_id: int,
    conversation_id: int,
    user_id: int | None,
    *,
    actor_label: str = "system",
    now: datetime | None = None,
) -> Conversation:
    """Closed: the customer's next message opens a new conversation."""
    now = now or utcnow()
    conversation = _require(session, tenant_id, conversation_id)
    conversation.status = "closed"
    conversation.closed_at = now
    _changed(session, conversation, now)
    _stop_queue(session, tenant_id, conversation_id, now)
    _audit(session, tenant_id, "conversation.close", conversation_id, user_id, actor_label)
    by = "agent" if actor_label == "agent" else "staff"
    happenings.resolved(session, conversation, by=by, now=now)  # webhooks
    rating_requests.request(session, conversation, by=by, now=now)  # each close asks again
    return conversation


def reopen(
    session: Session,
    tenant_id: int,
    conversation_id: int,
    user_id: int | None,
    *,
    actor_label: str = "system",
    now: datetime | None = None,
) -> Conversation:
    """A closed conversation back to the bot. Refused while the customer has another open conversation:
    inbound messages go to the customer's one open conversation, and two would make that ambiguous."""
    scope = TenantScope(session, tenant_id)
    conversation = _require(session, tenant_id, conversation_id)
    if conversation.status != "closed":
        raise ConversationActionError("this conversation is not closed")
    other = scope.first(
        Conversation,
        Conversation.customer_id == conversation.customer_id,
        Conversation.channel == conversation.channel,
        Conversation.status != "closed",
    )
    if other is not None:
        raise ConversationActionError("this customer already has an open conversation")
    conversation.status = "bot"
    conversation.closed_at = None
    _clear_handoff(conversation)
    _changed(session, conversation, now or utcnow())
    _audit(session, tenant_id, "conversation.reopen", conversation_id, user_id, actor_label)
    return conversation


# ------------------------------------------------------------------------------------------------ helpers


def _require(session: Session, tenant_id: int, conversation_id: int) -> Conversation:
    return TenantScope(session, tenant_id).require(Conversation, conversation_id)


def _require_open(session: Session, tenant_id: int, conversation_id: int) -> Conversation:
    conversation = _require(session, tenant_id, conversation_id)
    if conversation.status == "closed":
        raise ConversationActionError("this conversation is closed")
    return conversation


def _clear_handoff(conversation: Conversation) -> None:
    conversation.assigned_user_id = None
    conversation.handoff_reason = None
    conversation.low_confidence_turns = 0


def _changed(session: Session, conversation: Conversation, now: datetime) -> None:
    """Moves the inbox change marker (max last_activity_at), so every open inbox reloads."""
    conversation.last_activity_at = now
    session.add(conversation)


def _stop_queue(session: Session, tenant_id: int, conversation_id: int, now: datetime) -> None:
    """The bot must not answer messages that a person now owns (a batch mid-generation is dropped by the
    worker, which re-checks the status before replying)."""
    session.execute(
        update(MessageQueue)
        .where(
            MessageQueue.tenant_id == tenant_id,  # type: ignore[arg-type]
            MessageQueue.conversation_id == conversation_id,  # type: ignore[arg-type]
            MessageQueue.status == "pending",  # type: ignore[arg-type]
        )
        .values(status="skipped", processed_at=now)
    )


def _audit(
    session: Session,
    tenant_id: int,
    action: str,
    conversation_id: int,
    user_id: int | None,
    actor_label: str,
    category: str | None = None,
    reason: str | None = None,
) -> None:
    details: dict[str, Any] = {}
    if category:
        details["category"] = category
    if reason:
        details["reason"] = reason[:REASON_MAX]
    audit.record(
        session,
        tenant_id,
        action,
        actor_user_id=user_id,
        actor_label=actor_label,
        target_type="conversation",
        target_id=conversation_id,
        details=details,
    )
    session.flush()


__all__ = ["ConversationActionError", "close", "hand_back", "hand_off", "reopen", "take_over"]
