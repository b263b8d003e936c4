"""Handoff rate and reasons by category (conftest's shop)."""

from __future__ import annotations

from engine.analytics.handoffs import handoffs
from engine.db import session_scope
from tests.engine.analytics.conftest import PERIOD, Shop


def test_rate_is_over_the_conversations_the_agent_answered(shop: Shop) -> None:
    with session_scope() as s:
        figures = handoffs(s, shop.tenant_id, PERIOD)
    # Turns in the range: B, C, D, E (A's and F's are outside, P is the playground); C was handed off.
    assert (figures.conversations, figures.handed_off, figures.rate_pct) == (4, 1, 25)


def test_reasons_by_category_with_staff_take_overs(shop: Shop) -> None:
    with session_scope() as s:
        figures = handoffs(s, shop.tenant_id, PERIOD)
    # C: "no_answer: …" from the agent; one take-over by staff on Nov 2 (audit log).
    assert [(r.category, r.count, r.share_pct) for r in figures.reasons] == [
        ("no_answer", 1, 50),
        ("staff", 1, 50),
    ]
    assert figures.taken_over == 1
