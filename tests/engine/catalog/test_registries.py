"""The per-process registries of match indexes and spelling vocabularies are bounded: past their size, the
least recently used tenant's goes, and using one keeps it (cachetools.LRUCache, as engine/llm/factory)."""

from __future__ import annotations

import pytest
from cachetools import LRUCache
from sqlmodel import Session

from engine import catalog
from engine.catalog import index as catalog_index
from engine.catalog import spelling
from tests.factories import new_tenant


def _shops(session: Session, count: int) -> list[int]:
    tenants = []
    for n in range(count):
        tenant_id = new_tenant(session)
        catalog.create_product(session, tenant_id, {"sku": f"S{n}", "name": f"Widget {n}", "price": "1"})
        tenants.append(tenant_id)
    return tenants


def test_the_index_registry_is_bounded_by_its_size() -> None:
    assert isinstance(catalog_index._indexes, LRUCache)
    assert catalog_index._indexes.maxsize == catalog_index.MAX_INDEXES


def test_past_its_size_the_least_recently_used_index_goes(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_index, "_indexes", LRUCache(maxsize=2))
    first, second, third = _shops(session, 3)
    for tenant_id in (first, second, first, third):  # the first is used again before the third comes
        catalog_index.get_index(session, tenant_id, "product")
    assert set(catalog_index._indexes) == {(first, "product"), (third, "product")}


def test_the_vocabulary_registry_is_bounded_by_its_size() -> None:
    assert isinstance(spelling._vocabularies, LRUCache)
    assert spelling._vocabularies.maxsize == spelling.MAX_VOCABULARIES


def test_past_its_size_the_least_recently_used_vocabulary_goes(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spelling, "_vocabularies", LRUCache(maxsize=2))
    first, second, third = _shops(session, 3)
    for tenant_id in (first, second, first, third):
        spelling.get_vocabulary(session, tenant_id)
    assert set(spelling._vocabularies) == {first, third}
