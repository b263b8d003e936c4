"""The inbox's context pane shows how the customer rated the open conversation, newest first, with the
comment, or why they were not asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from console.state.conversations import ConversationsState
from engine.db import TenantScope, session_scope
from engine.models import Conversation, Customer, Message, Rating

NOW = datetime.now(UTC)


async def test_the_context_pane_lists_the_ratings(open_tab, workspace) -> None:
    with session_scope() as s:
        scope = TenantScope(s, workspace.tenant_id)
        customer = scope.add(Customer(phone="whatsapp:+447700900555", name="Ada"))
        chat = scope.add(Conversation(customer_id=customer.id, status="closed", closed_at=NOW))
        scope.add(Message(conversation_id=chat.id, direction="inbound", body="hello", created_at=NOW))
        first, second = NOW - timedelta(days=2), NOW - timedelta(hours=1)
        scope.add(
            Rating(
                conversation_id=chat.id,
                customer_id=customer.id,
                resolved_at=first,
                resolved_by="agent",
                status="answered",
                score=1,
                is_low=True,
                comment="too slow",
                answered_at=first,
                asked_at=first,
                created_at=first,
            )
        )
        scope.add(
            Rating(
                conversation_id=chat.id,
                customer_id=customer.id,
                resolved_at=second,
                status="skipped",
                skip_reason="rate_limited",
                created_at=second,
            )
        )
        chat_id = int(chat.id or 0)
    state = open_tab(
        ConversationsState, workspace.people["owner"].token, f"/conversations?tab=closed&c={chat_id}"
    )
    await state.load_page()
    await state.open_conversation(chat_id)
    assert [(r["label"], r["comment"], r["tone"], r["by"]) for r in state.ratings] == [
        ("Not asked: asked recently", "", "gray", "after your team closed it"),
        ("🙁 Bad", "too slow", "red", "after the agent resolved it"),
    ]
