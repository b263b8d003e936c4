"""What a campaign will cost before it goes out: recipients per country × that country's template price.

WhatsApp charges each delivered marketing template by the recipient's country, and Twilio adds its own fee.
Prices change a few times a year and no API publishes them, so the table ships with the project
(engine/campaigns/data/template_prices.json) and carries its date: the console shows the date beside the
estimate, so an old table is seen as old. The country comes from the number's calling code (longest match).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from engine.campaigns import audience as A
from engine.campaigns.rules import e164
from engine.campaigns.service import settings_for
from engine.models import Customer

PRICES_FILE = Path(__file__).with_name("data") / "template_prices.json"


@dataclass(frozen=True, slots=True)
class PriceTable:
    as_of: str
    label: str
    currency: str
    fee: Decimal
    other: tuple[str, Decimal]
    prefixes: dict[str, tuple[str, Decimal]]

    def price_for(self, phone: str) -> tuple[str, Decimal]:
        """(country, price per message with Twilio's fee) for an E.164 number."""
        digits = phone.lstrip("+")
        for length in (3, 2, 1):
            hit = self.prefixes.get(digits[:length])
            if hit:
                return hit[0], hit[1] + self.fee
        return self.other[0], self.other[1] + self.fee


@dataclass(frozen=True, slots=True)
class CostEstimate:
    recipients: int
    cost: Decimal
    currency: str
    as_of: str
    label: str
    by_country: list[tuple[str, int, Decimal]] = field(default_factory=list)  # (country, people, cost)
    exclusions: dict[str, int] = field(default_factory=dict)


@lru_cache(maxsize=1)
def price_table() -> PriceTable:
    raw: dict[str, Any] = json.loads(PRICES_FILE.read_text(encoding="utf-8"))
    return PriceTable(
        as_of=str(raw["as_of"]),
        label=str(raw.get("label", "")),
        currency=str(raw.get("currency", "USD")),
        fee=Decimal(str(raw.get("twilio_fee", "0"))),
        other=(str(raw["other"]["country"]), Decimal(str(raw["other"]["price"]))),
        prefixes={str(p): (str(v["country"]), Decimal(str(v["price"]))) for p, v in raw["prefixes"].items()},
    )


def estimate_for_numbers(numbers: list[str], table: PriceTable | None = None) -> CostEstimate:
    table = table or price_table()
    per: dict[str, list[Any]] = {}
    for number in numbers:
        country, price = table.price_for(number)
        entry = per.setdefault(country, [0, Decimal("0")])
        entry[0] += 1
        entry[1] += price
    rows = sorted(
        ((c, n, cost.quantize(Decimal("0.01"))) for c, (n, cost) in per.items()), key=lambda r: -r[1]
    )
    total = sum((cost for _, (_, cost) in per.items()), Decimal("0")).quantize(Decimal("0.01"))
    return CostEstimate(
        recipients=len(numbers),
        cost=total,
        currency=table.currency,
        as_of=table.as_of,
        label=table.label,
        by_country=rows,
    )


def estimate_cost(session: Session, tenant_id: int, audience: dict[str, Any] | None) -> CostEstimate:
    """Who the audience reaches now (the same count the start uses) and what sending to them costs."""
    rules = settings_for(session, tenant_id)
    counted = A.count_audience(
        session, tenant_id, A.parse_filter(audience), cap=rules.frequency_cap, cap_days=rules.frequency_days
    )
    wanted = set(counted.eligible)
    phones = [
        e164(phone) or ""
        for cid, phone in session.execute(
            select(Customer.id, Customer.phone).where(Customer.tenant_id == tenant_id)
        ).all()
        if cid in wanted
    ]
    estimate = estimate_for_numbers(phones)
    return CostEstimate(
        recipients=estimate.recipients,
        cost=estimate.cost,
        currency=estimate.currency,
        as_of=estimate.as_of,
        label=estimate.label,
        by_country=estimate.by_country,
        exclusions={k: v for k, v in counted.exclusions.items() if v},
    )


__all__ = ["CostEstimate", "PriceTable", "estimate_cost", "estimate_for_numbers", "price_table"]
