"""Tokens and money per model, provider, day and conversation: Decimal sums checked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from engine.analytics.costs import costs
from engine.db import session_scope
from engine.llm.pricing import load_pricing
from tests.engine.analytics.conftest import PERIOD, Shop

LLAMA = "meta-llama/Llama-3.3-70B-Instruct-Turbo"


def test_totals_in_the_price_tables_currency_and_date(shop: Shop) -> None:
    with session_scope() as s:
        figures = costs(s, shop.tenant_id, PERIOD)
    assert (figures.currency, figures.prices_as_of) == ("USD", load_pricing().as_of)
    # 0.000123 + 0.000456 + 0.010000 + 0.001000 (discarded, still billed) + 0.000300; the two 1.00 calls are
    # outside the range and the other tenant's 5.00 is not ours.
    assert figures.total == Decimal("0.011879")
    assert (figures.calls, figures.tokens_in, figures.tokens_out) == (5, 6900, 1100)
    # B, C and D cost something: 0.011879 / 3 = 0.0039597
    assert figures.conversations == 3
    assert figures.per_conversation == Decimal("0.003960")


def test_per_model_provider_and_day(shop: Shop) -> None:
    with session_scope() as s:
        figures = costs(s, shop.tenant_id, PERIOD)
    assert [(m.model, m.calls, m.tokens_in, m.cost) for m in figures.per_model] == [
        ("gpt-4o", 2, 2000, Decimal("0.011000")),
        ("gpt-4o-mini", 2, 4000, Decimal("0.000579")),
        (LLAMA, 1, 900, Decimal("0.000300")),
    ]
    assert figures.per_provider == [("openai", Decimal("0.011579")), ("together", Decimal("0.000300"))]
    # D's call at 04:30 UTC Nov 2 is Nov 1 in New York (EST).
    assert figures.per_day == [
        (date(2026, 10, 31), "openai", "gpt-4o-mini", Decimal("0.000579")),
        (date(2026, 11, 1), "openai", "gpt-4o", Decimal("0.011000")),
        (date(2026, 11, 1), "together", LLAMA, Decimal("0.000300")),
    ]


def test_most_expensive_conversations_first(shop: Shop) -> None:
    with session_scope() as s:
        figures = costs(s, shop.tenant_id, PERIOD)
    c, b, d = shop.conversations["C"], shop.conversations["B"], shop.conversations["D"]
    assert [(x.conversation_id, x.calls, x.cost) for x in figures.top_conversations] == [
        (c, 2, Decimal("0.011000")),
        (b, 2, Decimal("0.000579")),
        (d, 1, Decimal("0.000300")),
    ]
