"""The plain counts a turn keeps beside its encrypted columns, so analytics can count in SQL."""

from __future__ import annotations

from engine.db import TenantScope, session_scope
from engine.models import AgentInteraction
from engine.models.analytics import handoff_category_of
from tests.factories import new_tenant


def test_counts_follow_the_encrypted_columns_on_insert_and_update() -> None:
    with session_scope() as s:
        scope = TenantScope(s, new_tenant(s))
        turn = scope.add(
            AgentInteraction(
                handoff=True,
                handoff_reason="no_answer: nothing about gift wrapping",
                knowledge_hits=[{"title": "Returns"}, {"title": "Delivery"}],
                suggestions=[{"key": "A", "accepted": None}, {"key": "B", "accepted": None}],
            )
        )
        s.flush()
        assert (turn.handoff_category, turn.knowledge_hit_count, turn.suggestion_count) == ("no_answer", 2, 2)
        assert turn.suggestions_accepted == 0
        turn.suggestions = [{"key": "A", "accepted": True}, {"key": "B", "accepted": None}]
        s.add(turn)
        s.flush()
        assert turn.suggestions_accepted == 1


def test_category_of_a_reason() -> None:
    assert handoff_category_of("explicit_request: the customer asked for a person") == "explicit_request"
    assert handoff_category_of("frustration") == "frustration"
    assert handoff_category_of("The customer wants a refund: now") == "handoff"  # free text, no code
    assert handoff_category_of(None) == "handoff"
