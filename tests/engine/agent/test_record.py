"""engine/agent/record.py writes the turn's agent_interaction with its knowledge entry ids in clear (for SQL
analytics) beside the encrypted hits; the model keeps the two in step on every later write too."""

from __future__ import annotations

from engine.agent import playground
from engine.agent.pipeline import process_message
from engine.db import TenantScope, session_scope
from engine.models import AgentInteraction, KnowledgeEntry
from tests.engine.agent.conftest import Shop


def test_a_turn_records_the_ids_of_the_entries_its_answer_used(shop: Shop) -> None:
    with session_scope() as s:
        conversation_id = playground.start_playground(s, shop.tenant_id, user_id=7).conversation_id
    result = process_message(shop.tenant_id, conversation_id, "what time do u open on sundya?")
    with session_scope() as s:
        scope = TenantScope(s, shop.tenant_id)
        row = scope.get(AgentInteraction, result.interaction_id)
        assert row is not None
        hours = next(e for e in scope.all(KnowledgeEntry) if e.title == "Store opening hours")
        assert row.knowledge_hits and row.knowledge_hit_count == len(row.knowledge_hits)
        assert row.knowledge_entry_ids == list(dict.fromkeys(h["id"] for h in row.knowledge_hits))
        assert row.knowledge_entry_ids[0] == hours.id

        row.knowledge_hits = [{"id": 5, "title": "x"}, {"id": "doc", "title": "y"}, {"id": 5, "title": "x"}]
        s.add(row)
    with session_scope() as s:
        again = TenantScope(s, shop.tenant_id).get(AgentInteraction, result.interaction_id)
        assert again is not None and again.knowledge_entry_ids == [5]
