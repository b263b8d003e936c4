"""The inbox's handoff filter (engine/conversations/inbox_filter.py): the chats behind an Analytics handoff
count, by category and range, within one tenant — whatever their status now."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session

from engine.accounts import audit
from engine.analytics.handoffs import handoffs
from engine.analytics.periods import last_days
from engine.conversations import inbox, lifecycle
from engine.conversations.inbox_filter import HandoffFilter
from engine.db import TenantScope, session_scope
from engine.models import AgentInteraction, Conversation, utcnow
from tests.factories import make_row, new_tenant, new_user

NOW = utcnow().replace(microsecond=0)


def _chat(session: Session, tenant_id: int, *, status: str = "bot", channel: str = "whatsapp") -> int:
    conversation = make_row(session, tenant_id, Conversation)
    conversation.status, conversation.channel = status, channel
    session.add(conversation)
    session.flush()
    return int(conversation.id)


def _turn(
    session: Session,
    tenant_id: int,
    conversation_id: int,
    category: str | None,
    *,
    at: datetime,
    handoff=True,
) -> None:
    TenantScope(session, tenant_id).add(
        AgentInteraction(
            conversation_id=conversation_id,
            handoff=handoff,
            handoff_reason=f"{category}: why" if category else None,
            handoff_category=category,
            created_at=at,
        )
    )


def _seed() -> tuple[int, int, dict[str, int]]:
    """One shop's chats, each handed off (or not) for one reason, and a second shop that must never show."""
    with session_scope() as s:
        shop, other = new_tenant(s), new_tenant(s)
        ids = {
            "frustrated_now": _chat(s, shop, status="handoff"),
            "frustrated_long_ago": _chat(s, shop, status="closed"),
            "asked_for_person": _chat(s, shop, status="bot"),  # handed back since
            "no_category": _chat(s, shop, status="handoff"),
            "taken_over": _chat(s, shop),
            "not_handed_off": _chat(s, shop),
            "playground": _chat(s, shop, status="handoff", channel="playground"),
        }
        _turn(s, shop, ids["frustrated_now"], "frustration", at=NOW - timedelta(days=2))
        _turn(s, shop, ids["frustrated_now"], "frustration", at=NOW - timedelta(days=1))  # twice: one row
        _turn(s, shop, ids["frustrated_long_ago"], "frustration", at=NOW - timedelta(days=45))
        _turn(s, shop, ids["asked_for_person"], "explicit_request", at=NOW - timedelta(days=3))
        _turn(s, shop, ids["no_category"], None, at=NOW - timedelta(days=3))
        _turn(s, shop, ids["not_handed_off"], "frustration", at=NOW - timedelta(days=1), handoff=False)
        _turn(s, shop, ids["playground"], "frustration", at=NOW - timedelta(days=1))
        lifecycle.take_over(s, shop, ids["taken_over"], new_user(s, shop, role="agent"))

        theirs = _chat(s, other, status="handoff")
        _turn(s, other, theirs, "frustration", at=NOW - timedelta(days=1))
        # another shop's audit row naming this shop's conversation id: target_id is free text, not a key
        audit.record(
            s, other, "conversation.take_over", target_type="conversation", target_id=ids["no_category"]
        )
        lifecycle.take_over(s, other, theirs, None)
    return shop, other, ids


def _listed(tenant_id: int, f: HandoffFilter, tab: str = "all") -> tuple[set[int], dict[str, int]]:
    with session_scope() as s:
        found = inbox.list_conversations(s, tenant_id, tab=tab, handoff=f, page_size=100)
    return {c.id for c in found.items}, found.counts


def test_each_category_lists_the_chats_handed_off_for_it_whatever_their_status_now() -> None:
    shop, _, ids = _seed()
    frustrated, counts = _listed(shop, HandoffFilter("frustration"))
    assert frustrated == {ids["frustrated_now"], ids["frustrated_long_ago"]}
    assert counts == {"handoff": 1, "closed": 1, "bot": 0, "all": 2}  # the tab badges follow the filter
    assert _listed(shop, HandoffFilter("frustration"), tab="closed")[0] == {ids["frustrated_long_ago"]}
    assert _listed(shop, HandoffFilter("explicit_request"))[0] == {ids["asked_for_person"]}
    assert _listed(shop, HandoffFilter("handoff"))[0] == {
        ids["no_category"]
    }  # Analytics' "Passed to your team"
    assert _listed(shop, HandoffFilter("staff"))[0] == {ids["taken_over"]}
    assert _listed(shop, HandoffFilter("topic")) == (set(), {"bot": 0, "handoff": 0, "closed": 0, "all": 0})


def test_a_range_keeps_the_handoffs_that_happened_in_it() -> None:
    shop, _, ids = _seed()
    month = HandoffFilter("frustration", since=NOW - timedelta(days=30), until=NOW + timedelta(minutes=1))
    assert _listed(shop, month)[0] == {ids["frustrated_now"]}
    last_day = HandoffFilter("frustration", since=NOW - timedelta(hours=36), until=NOW)
    assert _listed(shop, last_day)[0] == {ids["frustrated_now"]}  # its second handoff is in the range
    assert _listed(shop, HandoffFilter("frustration", until=NOW - timedelta(days=30)))[0] == {
        ids["frustrated_long_ago"]
    }
    taken_earlier = HandoffFilter("staff", since=NOW - timedelta(days=30), until=NOW - timedelta(days=1))
    assert _listed(shop, taken_earlier)[0] == set()


def test_another_shops_handoffs_never_list_here() -> None:
    shop, other, ids = _seed()
    (theirs,) = _listed(other, HandoffFilter("frustration"))[0]
    assert theirs not in ids.values()
    assert _listed(other, HandoffFilter("staff"))[0] == {theirs}
    assert ids["no_category"] not in _listed(shop, HandoffFilter("staff"))[0]


def test_the_filter_and_search_combine() -> None:
    shop, _, ids = _seed()
    frustrated = HandoffFilter("frustration")
    with session_scope() as s:
        ada = inbox.list_conversations(s, shop, tab="all", search="ada", handoff=frustrated)
        nobody = inbox.list_conversations(s, shop, tab="all", search="nobody", handoff=frustrated)
    assert {c.id for c in ada.items} == {ids["frustrated_now"], ids["frustrated_long_ago"]}
    assert nobody.total == 0


def test_what_analytics_counts_is_what_the_inbox_lists() -> None:
    """Each category of the Handoffs table, for the last 30 days, lists the chats its count was made of."""
    shop, _, _ = _seed()
    period = last_days(30, "UTC", today=NOW.date())
    with session_scope() as s:
        reasons = handoffs(s, shop, period).reasons
        for reason in reasons:
            listed = inbox.list_conversations(
                s, shop, tab="all", handoff=HandoffFilter(reason.category, period.since, period.until)
            )
            assert 1 <= listed.total <= reason.count, reason
    assert {r.category for r in reasons} == {"frustration", "explicit_request", "handoff", "staff"}


@pytest.mark.parametrize("code", ["", "Frustration", "a b", "x" * 33, "../", "frustration'--"])
def test_what_cannot_be_a_category_is_refused(code: str) -> None:
    with pytest.raises(ValueError):
        HandoffFilter(code)


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        HandoffFilter("staff", since=NOW, until=NOW - timedelta(days=1))
