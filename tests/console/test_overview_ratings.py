"""The Overview's ratings: the CSAT card, low ratings under Needs attention (comment, transcript link, back
to a person, seen), and "Resolved by the agent" by the one definition (engine/analytics/resolution.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from console.state.overview import OverviewState
from console.state.overview_ratings import OverviewRatingsState
from engine.db import TenantScope, session_scope
from engine.models import Conversation, Customer, Message, Rating

NOW = datetime.now(UTC)


def _rated(tenant_id: int, name: str, score: int, *, low: bool, comment: str | None = None) -> int:
    with session_scope() as s:
        scope = TenantScope(s, tenant_id)
        customer = scope.add(Customer(phone=f"whatsapp:+4477009{abs(hash(name)) % 100000:05d}", name=name))
        conversation = scope.add(
            Conversation(customer_id=customer.id, status="closed", closed_at=NOW, last_activity_at=NOW)
        )
        scope.add(
            Rating(
                conversation_id=conversation.id,
                customer_id=customer.id,
                status="answered",
                score=score,
                is_low=low,
                comment=comment,
                answered_at=NOW - timedelta(hours=1),
                resolved_at=NOW,
            )
        )
        return int(conversation.id or 0)


async def open_page(open_tab, shop, role: str = "owner") -> OverviewRatingsState:
    state = open_tab(OverviewRatingsState, shop.people[role].token, "/")
    assert await state.load_page() is None
    return state


async def test_csat_and_a_low_rating_waiting_for_attention(open_tab, workspace) -> None:
    _rated(workspace.tenant_id, "Ada", 3, low=False)
    _rated(workspace.tenant_id, "Ben", 3, low=False)
    low = _rated(workspace.tenant_id, "Cleo", 1, low=True, comment="nobody answered my question")
    state = await open_page(open_tab, workspace)
    assert (state.csat, state.rated, state.rated_good) == ("67%", 3, 2)
    (item,) = state.low
    assert (item["customer"], item["score"], item["comment"]) == (
        "Cleo",
        "🙁 Bad",
        "nobody answered my question",
    )
    assert item["href"] == f"/conversations?tab=all&c={low}" and item["open"] is False

    await state.to_person(item["id"])
    with session_scope() as s:
        conversation = TenantScope(s, workspace.tenant_id).require(Conversation, low)
    assert conversation.status == "handoff"
    assert state.low == []


async def test_seen_clears_it_and_viewers_cannot_act(open_tab, workspace) -> None:
    _rated(workspace.tenant_id, "Dan", 1, low=True)
    viewer = await open_page(open_tab, workspace, role="viewer")
    (item,) = viewer.low
    await viewer.seen(item["id"])
    assert len(viewer.low) == 1  # refused: viewers read, they do not act
    owner = await open_page(open_tab, workspace)
    await owner.seen(item["id"])
    assert owner.low == []


async def test_resolved_by_the_agent_uses_the_one_definition(open_tab, workspace) -> None:
    with session_scope() as s:
        scope = TenantScope(s, workspace.tenant_id)
        chats = []
        for i, hours_ago in enumerate((20, 15, 2)):  # two quiet past the 12 h window, one still open
            customer = scope.add(Customer(phone=f"whatsapp:+44770091{i:04d}"))
            at = NOW - timedelta(hours=hours_ago)
            chat = scope.add(Conversation(customer_id=customer.id, created_at=at, last_activity_at=at))
            chats.append(chat)
            scope.add(Message(conversation_id=chat.id, direction="inbound", body="hi", created_at=at))
            scope.add(Message(conversation_id=chat.id, direction="outbound", sender="agent", created_at=at))
        came_back = chats[0]
        scope.add(
            Message(
                conversation_id=came_back.id,
                direction="inbound",
                body="?",
                created_at=NOW - timedelta(hours=19),
            )
        )
    state = open_tab(OverviewState, workspace.people["owner"].token, "/")
    assert await state.load_page() is None
    assert state.kpi_resolved == "50%"  # 1 of the 2 decided; the third is still within its window
