"""Satisfaction by knowledge entry as an SQL aggregate over agent_interaction.knowledge_entry_ids: the figures
of test_satisfaction.py's shop without decrypting the turns (only the titles of the entries shown), and the
TOP entries by conversations, ties by id, each conversation once per entry."""

from __future__ import annotations

from datetime import date

import pytest

import engine.security.crypto as crypto
from engine.accounts import tenants
from engine.analytics.periods import Period
from engine.analytics.satisfaction import TOP, by_knowledge_entry
from engine.db import TenantScope, session_scope
from engine.models import AgentInteraction, KnowledgeEntry
from tests.engine.analytics.test_satisfaction import GONE, NOW, PERIOD, TZ, Shop, seed, utc


def test_the_figures_come_from_sql_not_from_each_turns_hits(monkeypatch: pytest.MonkeyPatch) -> None:
    tenant_id, _, k1 = seed()
    with session_scope() as s:  # 30 more answered conversations on K1, on Nov 2: thirty more turns to decrypt
        shop = Shop(TenantScope(s, tenant_id))
        shop.n = 100
        for minute in range(30):
            c = shop.chat(utc(2, 16, minute))
            shop.say(c, utc(2, 16, minute), "outbound", "agent")
            shop.turn(c, utc(2, 16, minute), "order_status", [(k1, "Delivery times"), (k1, "Delivery times")])
    decrypted: list[str] = []
    real = crypto.decrypt

    def counting(token: str) -> str:
        decrypted.append(token)
        return real(token)

    monkeypatch.setattr(crypto, "decrypt", counting)
    with session_scope() as s:
        found = by_knowledge_entry(s, tenant_id, PERIOD, now=NOW)
    assert [(g.key, g.label, g.figures.conversations, g.figures.by_agent) for g in found] == [
        (f"knowledge:{k1}", "Delivery times", 32, 31),  # A B and the thirty (a hit twice in a turn: once)
        (f"knowledge:{GONE}", "Refunds (old)", 2, 0),  # B C
    ]
    # K1's title (encrypted on the entry) and one turn's hits for the deleted K2's title: not 33 turns
    assert len(decrypted) == 2


def test_the_top_entries_by_conversations_ties_by_id() -> None:
    with session_scope() as s:
        tenant_id = int(tenants.create_tenant(s, name="Many", slug="harbor-sat-many", time_zone=TZ).id)
        scope = TenantScope(s, tenant_id)
        shop = Shop(scope)
        entries = [int(scope.add(KnowledgeEntry(title=f"E{i}", content=".")).id or 0) for i in range(TOP + 2)]
        # entry i is used by i + 1 conversations, except the last two: one each (a tie, below the rest)
        for i, entry in enumerate(entries):
            for j in range(i + 1 if i < TOP else 1):
                c = shop.chat(utc(3, 10 + j % 10, i))
                shop.turn(c, utc(3, 10 + j % 10, i), "faq", [(entry, f"E{i}")])
        c = shop.chat(utc(3, 23))  # an id that is no entry's number is no entry
        scope.add(AgentInteraction(conversation_id=c.id, knowledge_hits=[{"id": "doc-7", "title": "?"}]))
    with session_scope() as s:
        found = by_knowledge_entry(s, tenant_id, Period(date(2026, 11, 3), date(2026, 11, 3), TZ), now=NOW)
    expected = sorted(range(TOP + 2), key=lambda i: (-(i + 1 if i < TOP else 1), entries[i]))[:TOP]
    assert [g.label for g in found] == [f"E{i}" for i in expected]
    assert [g.figures.conversations for g in found] == [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]


def test_entries_deleted_since_keep_the_titles_their_latest_turn_recorded() -> None:
    with session_scope() as s:
        tenant_id = int(tenants.create_tenant(s, name="Gone", slug="harbor-sat-gone", time_zone=TZ).id)
        shop = Shop(TenantScope(s, tenant_id))
        c = shop.chat(utc(3, 10))
        shop.turn(c, utc(3, 10), "refund", [(GONE, "Refunds (old)")])
        shop.turn(c, utc(3, 11), "refund", [(GONE, "Refunds"), (GONE + 1, "Returns")])
    with session_scope() as s:
        found = by_knowledge_entry(s, tenant_id, Period(date(2026, 11, 3), date(2026, 11, 3), TZ), now=NOW)
    assert [(g.key, g.label) for g in found] == [
        (f"knowledge:{GONE}", "Refunds"),
        (f"knowledge:{GONE + 1}", "Returns"),
    ]
