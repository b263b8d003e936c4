"""A price reads the same in the console and in a WhatsApp reply (issue 10, item 6): one formatter."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from console.state import conversations_rows, formatting
from engine.agent.retrieval import describe_item
from engine.channels.whatsapp.rich import RichMessageBuilder
from engine.llm.offline import KnowledgeHit, OfflineContext, answer
from engine.models import Product

PRICE = Decimal("1234.50")
EXPECTED = {"GBP": "£1,234.50", "EUR": "€1,234.50", "USD": "$1,234.50", "INR": "₹1,234.50", "JPY": "¥1,235"}


@pytest.mark.parametrize(("currency", "text"), EXPECTED.items())
def test_console_and_whatsapp_render_one_price_alike(currency: str, text: str) -> None:
    product = SimpleNamespace(sku="RUN-1", name="Cloudstep", description="", price=PRICE, stock=2)
    card = RichMessageBuilder.product_card(product, currency=currency)
    hit = KnowledgeHit(
        kind="product", id="RUN-1", title="Cloudstep", score=0.9, price=PRICE, currency=currency
    )
    offline = answer(OfflineContext(query="cloudstep?", hits=[hit])).reply
    row = Product(tenant_id=1, sku="RUN-1", name="Cloudstep", price=PRICE, stock=2)
    shown = {
        "console table": formatting.money(PRICE, currency),
        "console inbox": conversations_rows.money("1234.50", currency),
        "whatsapp card": (card.subtitle or "").split(" · ")[0],
    }
    assert set(shown.values()) == {text}, shown
    assert f"Cloudstep — {text}" in offline  # the offline provider's reply
    assert f"— {text}, in stock" in describe_item(row, currency)  # what the model is told to quote
