"""The development shops and how a catalogue query is scored on them: shared by the hand-written set
(test_dev_catalog.py) and the synthetic short-word typos (test_dev_short_typos.py), so both measure the
same way — spelling correction, then the agent's catalogue look-up at MATCH_THRESHOLD."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from types import ModuleType
from typing import Any

from sqlmodel import Session

from engine import catalog
from engine.accounts.tenants import create_tenant
from engine.agent.read import catalog_lookup
from engine.catalog import invalidate_catalog_index
from engine.db import TenantScope, session_scope
from engine.models import Product, Service, utcnow
from tests.quality.dev import catalog as pets
from tests.quality.dev import catalog_beauty as beauty
from tests.quality.dev import catalog_hardware as hardware


@dataclass(frozen=True)
class DevShop:
    """A development shop and the figures it reached: a drop below a floor fails."""

    name: str
    slug: str
    module: ModuleType
    floors: dict[str, float]

    @property
    def products(self) -> list[dict[str, Any]]:
        return self.module.PRODUCTS  # type: ignore[no-any-return]

    @property
    def services(self) -> list[dict[str, Any]]:
        return self.module.SERVICES  # type: ignore[no-any-return]

    @property
    def queries(self) -> list[tuple[str, str | None, str]]:
        return self.module.QUERIES  # type: ignore[no-any-return]


# The figures each shop reached (issue #13 work, 2026-12): a drop below fails.
SHOPS = [
    DevShop("Whiskers & Wags", "whiskers-wags", pets, {"top1": 1.0, "not_sold": 1.0}),
    DevShop(hardware.SHOP_NAME, hardware.SHOP_SLUG, hardware, {"top1": 0.988, "not_sold": 1.0}),
    DevShop(beauty.SHOP_NAME, beauty.SHOP_SLUG, beauty, {"top1": 0.956, "not_sold": 0.953}),
]


def load_shop(shop: DevShop) -> int:
    """The shop as a tenant with its products and services; returns the tenant id."""
    now = utcnow()
    with session_scope() as s:
        tenant_id = int(create_tenant(s, name=shop.name, slug=shop.slug).id)
        scope = TenantScope(s, tenant_id)
        for spec in shop.products:
            scope.add(Product(**{**spec, "price": Decimal(spec["price"])}, created_at=now, updated_at=now))
        for spec in shop.services:
            scope.add(Service(**{**spec, "price": Decimal(spec["price"])}, created_at=now, updated_at=now))
        invalidate_catalog_index(tenant_id, s)
    return tenant_id


def look_up(session: Session, tenant_id: int, text: str) -> tuple[str, list[tuple[str, float]]]:
    """The message as the agent reads it (spelling corrected) and the items it names at MATCH_THRESHOLD or
    above, best first."""
    fixed = catalog.correct_spelling(session, tenant_id, text).text
    found = catalog_lookup(session, tenant_id, fixed)
    return fixed, [(m.key, m.confidence) for m in found if m.confidence >= catalog.MATCH_THRESHOLD]
