"""Top intents (unnested from JSON by the database) and the products and services talked about."""

from __future__ import annotations

from engine.analytics.topics import top_intents, top_items
from engine.db import session_scope
from tests.engine.analytics.conftest import PERIOD, Shop


def test_top_intents_of_the_turns_in_the_range(shop: Shop) -> None:
    with session_scope() as s:
        found = top_intents(s, shop.tenant_id, PERIOD)
    # B: greeting + opening_hours, opening_hours · C: refund · D: order_status · E: order_status + forgot
    assert [(c.key, c.count) for c in found] == [
        ("opening_hours", 2),
        ("order_status", 2),
        ("forgot", 1),
        ("greeting", 1),
        ("refund", 1),
    ]


def test_products_and_services_conversations_were_about(shop: Shop) -> None:
    with session_scope() as s:
        found = top_items(s, shop.tenant_id, PERIOD)
    assert [(c.label, c.count) for c in found] == [("Trail shoe", 2), ("Repair", 1)]
