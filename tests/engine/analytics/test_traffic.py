"""Conversations and messages per local day, across the end of daylight saving time (conftest's shop)."""

from __future__ import annotations

from datetime import date

from engine.analytics.periods import Period
from engine.analytics.traffic import traffic
from engine.db import session_scope
from tests.engine.analytics.conftest import NOW, PERIOD, TZ, Shop


def test_conversations_per_local_day_split_by_who_handled_them(shop: Shop) -> None:
    with session_scope() as s:
        figures = traffic(s, shop.tenant_id, PERIOD, now=NOW)
    by_day = {d.day: (d.conversations, d.by_agent, d.with_person) for d in figures.days}
    # Oct 31: B (agent). Nov 1: C (a person) and D, which started 23:30 EST — Nov 2 at the summer offset.
    # Nov 2: E at 23:59. A (a minute before) and F (the minute after) and the playground chat are out.
    assert by_day == {
        date(2026, 10, 31): (1, 1, 0),
        date(2026, 11, 1): (2, 1, 1),
        date(2026, 11, 2): (1, 1, 0),
    }
    assert (figures.conversations, figures.with_person) == (4, 1)


def test_messages_per_local_day_both_directions(shop: Shop) -> None:
    with session_scope() as s:
        figures = traffic(s, shop.tenant_id, PERIOD, now=NOW)
    by_day = {d.day: (d.messages_in, d.messages_out) for d in figures.days}
    # B: 3 in, 2 out · C: 2 in, 2 out and D: 1 in, 1 out on Nov 1 · E: 1 in, 1 out
    assert by_day == {date(2026, 10, 31): (3, 2), date(2026, 11, 1): (3, 3), date(2026, 11, 2): (1, 1)}
    assert (figures.messages_in, figures.messages_out) == (7, 6)


def test_resolution_comes_from_the_one_definition(shop: Shop) -> None:
    with session_scope() as s:
        figures = traffic(s, shop.tenant_id, PERIOD, now=NOW)
    # B, D and E: the agent answered and the customer did not come back within 12 h; C: a person closed it.
    assert (figures.resolved_by_agent, figures.resolved_by_person, figures.unresolved) == (3, 1, 0)
    assert figures.resolved_by_agent_pct == 75


def test_weekly_buckets_start_on_monday_and_keep_empty_ones(shop: Shop) -> None:
    weekly = Period(date(2026, 10, 25), date(2026, 11, 14), TZ, "week")
    with session_scope() as s:
        figures = traffic(s, shop.tenant_id, weekly, now=NOW)
    # Oct 25 is a Sunday: its week began Monday Oct 19. B (Sat Oct 31) is in the week of Oct 26; A too,
    # locally Friday Oct 30. C, D (Sun Nov 1) as well; E (Mon Nov 2) and F (Tue Nov 3) in the week of Nov 2.
    assert [(d.day, d.conversations) for d in figures.days] == [
        (date(2026, 10, 19), 0),
        (date(2026, 10, 26), 4),
        (date(2026, 11, 2), 2),
        (date(2026, 11, 9), 0),
    ]


def test_another_tenant_sees_none_of_it(shop: Shop) -> None:
    with session_scope() as s:
        figures = traffic(s, shop.other_tenant_id, PERIOD, now=NOW)
    assert figures.conversations == 1 and figures.with_person == 1
