"""Response times (nearest-rank percentiles) and the quality rates of the agent's turns (conftest's shop)."""

from __future__ import annotations

from engine.analytics.performance import performance
from engine.db import session_scope
from tests.engine.analytics.conftest import PERIOD, Shop


def test_first_response_per_conversation_started_in_the_range(shop: Shop) -> None:
    with session_scope() as s:
        first = performance(s, shop.tenant_id, PERIOD).first_response
    # B 10 s, C 20 s, D 30 s, E 40 s: p50 is the 2nd of 4, p95 and p99 the 4th.
    assert (first.count, first.p50, first.p95, first.p99) == (4, 20.0, 40.0, 40.0)


def test_reply_time_counts_from_the_first_unanswered_message(shop: Shop) -> None:
    with session_scope() as s:
        figures = performance(s, shop.tenant_id, PERIOD)
    agent = figures.agent_reply
    # Agent: B 10 s and 60 s (from 04:05:00, not the second message at 04:05:30), C 20, D 30, E 40.
    # Sorted 10, 20, 30, 40, 60: p50 the 3rd, p95 and p99 the 5th.
    assert (agent.count, agent.p50, agent.p95, agent.p99) == (5, 30.0, 60.0, 60.0)
    person = figures.person_reply
    assert (person.count, person.p50, person.p99) == (1, 600.0, 600.0)  # C: 04:31 → 04:41


def test_quality_rates_of_the_turns(shop: Shop) -> None:
    with session_scope() as s:
        figures = performance(s, shop.tenant_id, PERIOD)
    assert figures.turns == 5  # B ×2, C, D, E
    assert (figures.knowledge_hits.part, figures.knowledge_hits.pct) == (1, 20)  # B's first turn
    assert (figures.suggestions_accepted.part, figures.suggestions_accepted.whole) == (1, 2)  # D
    assert (figures.forgot_recovered.part, figures.forgot_recovered.whole) == (1, 2)  # D found, E not
    # Spelling: yes on Oct 31 and Nov 2, no on Nov 1 (the yes on Nov 3 is after the range).
    assert (
        figures.spelling_accepted.part,
        figures.spelling_accepted.whole,
        figures.spelling_accepted.pct,
    ) == (
        2,
        3,
        67,
    )
    assert figures.message_kinds == [("text", 3), ("buttons", 1), ("list", 1)]
