"""The inbox filtered by a handoff reason (console/state/conversations_filter.py through ConversationsState):
what Analytics' handoff links open. The URL is checked first: an unknown reason or range is ignored and the
normal inbox shows; a known one narrows the list, picks the tab its chats are in and shows as a removable chip
in the shop owner's words."""

from __future__ import annotations

from datetime import timedelta

import pytest

from console.state.conversations_filter import parse
from engine.db import TenantScope, session_scope
from engine.models import AgentInteraction, utcnow
from tests.console.conftest import router_for
from tests.console.test_conversations import Inbox, _open, filled, people  # noqa: F401 - fixtures
from tests.engine.conversations.harness import wa_fixture  # noqa: F401 - fixture


@pytest.fixture(name="box")
def box_fixture(filled: Inbox) -> Inbox:  # noqa: F811 - the fixture above, by another name
    """Ada with the agent, Ben waiting for a person (staff took him over), Cleo closed."""
    return filled


def _frustrated(box: Inbox, conversation_id: int) -> None:
    with session_scope() as s:
        TenantScope(s, box.wa.tenant_id).add(
            AgentInteraction(
                conversation_id=conversation_id,
                handoff=True,
                handoff_reason="frustration: the customer is frustrated (caps)",
                created_at=utcnow() - timedelta(hours=1),
            )
        )


def _url(event) -> str:
    return str(event.args)


async def test_a_link_from_analytics_opens_the_chats_of_that_reason(open_tab, box: Inbox) -> None:
    _frustrated(box, box.ids["ada"])  # Ada's chat went to a person, then back to the agent
    state = await _open(open_tab, box.tokens["owner"], "/conversations?handoff=frustration")
    assert state.filter_chip == "Customer sounds frustrated"
    assert state.tab == "bot"  # the first tab that has the reason's chats
    assert [r.name for r in state.rows] == ["Ada Lovelace"]
    assert (state.count_handoff, state.count_bot, state.count_closed) == (0, 1, 0)
    assert not state.inbox_empty

    event = await state.set_tab("handoff")  # the filter stays, in the URL too
    assert state.rows == [] and state.tab_empty_title == "No chat here was handed off for this reason"
    assert "handoff=frustration" in _url(event)

    event = await state.clear_filter()
    assert state.filter_chip == "" and [r.name for r in state.rows] == ["Ben Okafor"]
    assert (state.count_handoff, state.count_bot, state.count_closed) == (1, 1, 1)
    assert "handoff=" not in _url(event) and "tab=handoff" in _url(event)


async def test_staff_take_overs_and_the_range_of_the_link(open_tab, box: Inbox) -> None:
    today = utcnow().date()
    month = f"from={(today - timedelta(days=29)).isoformat()}&to={today.isoformat()}"
    state = await _open(open_tab, box.tokens["owner"], f"/conversations?handoff=staff&{month}")
    assert state.filter_chip.startswith("Taken over by your team · ")
    assert state.tab == "handoff" and [r.name for r in state.rows] == ["Ben Okafor"]

    last_year = "from=2025-01-01&to=2025-01-31"
    state = await _open(open_tab, box.tokens["owner"], f"/conversations?handoff=staff&{last_year}")
    assert state.filter_chip == "Taken over by your team · Jan 1 – Jan 31, 2025"
    assert state.rows == [] and state.count_handoff == state.count_bot == state.count_closed == 0
    assert not state.inbox_empty  # the filter found nothing; the inbox itself is not empty


async def test_an_unknown_reason_is_ignored_and_the_normal_inbox_shows(open_tab, box: Inbox) -> None:
    for query in ("handoff=nonsense", "handoff=%27%3B--", "handoff=", "reason=no_answer&tab=handoff"):
        state = await _open(open_tab, box.tokens["owner"], f"/conversations?{query}")
        assert state.filter_chip == "", query
        assert (state.count_handoff, state.count_bot, state.count_closed) == (1, 1, 1), query


def test_days_that_are_not_a_range_keep_the_reason_and_drop_the_days() -> None:
    for days in ({"from": "2026-13-01", "to": "2026-12-02"}, {"from": "2026-12-02", "to": "2026-11-01"}, {}):
        found = parse({"handoff": "no_answer", **days}, "UTC")
        assert found is not None and found.period is None
        assert found.chip == "No answer in your knowledge or catalog"
    unknown_zone = parse({"handoff": "staff", "from": "2026-11-01", "to": "2026-11-30"}, "Nowhere/Atlantis")
    assert unknown_zone is not None and unknown_zone.period is None
    assert parse({"handoff": "NO_ANSWER"}, "UTC") is None


async def test_opening_the_inbox_again_without_a_filter_drops_it(open_tab, box: Inbox) -> None:
    state = await _open(open_tab, box.tokens["owner"], "/conversations?handoff=staff")
    assert state.filter_chip
    root = state
    while root.parent_state is not None:
        root = root.parent_state
    root.router = router_for(box.tokens["owner"], "/conversations")  # the sidebar's link, same tab
    await state.load_page()
    assert state.filter_chip == "" and (state.count_handoff, state.count_bot, state.count_closed) == (1, 1, 1)
