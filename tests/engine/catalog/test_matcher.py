"""Fuzzy matching: mentions in whole sentences, typos, plurals, word order; an index fresh after writes."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from engine import catalog
from engine.catalog import index as catalog_index
from engine.catalog.index import IndexedItem, build_index, product_phrases
from engine.catalog.matcher import match_in_index
from engine.db import session_scope
from tests.factories import new_tenant

PRODUCTS = [
    ("RUN-CS90", "Cloudstep 90 Running Shoe", ["CS90", "cloudstep"], "running", 5),
    ("RUN-CS90W", "Cloudstep 90 Wide Fit", ["cloudstep wide"], "running", 0),
    ("BOT-CHL", "Camden Chelsea Boot", ["chelsea boots"], "boots", 4),
    ("TRN-C78", "Court 78 Leather Trainer", ["white trainers"], "trainers", 9),
    ("ACC-BAG", "Commuter Gym Duffel", ["gym bag", "holdall"], "accessories", 2),
]


@pytest.fixture
def tenant(session: Session) -> int:
    tenant_id = new_tenant(session)
    for sku, name, aliases, category, stock in PRODUCTS:
        catalog.create_product(
            session,
            tenant_id,
            {
                "sku": sku,
                "name": name,
                "aliases": aliases,
                "category": category,
                "price": "10",
                "stock": stock,
            },
        )
    catalog.create_service(session, tenant_id, {"code": "SVC-GAIT", "name": "Gait Analysis", "price": "15"})
    return tenant_id


def _top(session: Session, tenant: int, text: str) -> str | None:
    found = catalog.match_product(session, tenant, text, limit=1, min_confidence=catalog.MATCH_THRESHOLD)
    return found[0].key if found else None


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("do u have the cloudstpe 90s in size 9?", "RUN-CS90"),  # typo, plural, extra words, a size
        ("CLOUDSTEP", "RUN-CS90"),
        ("cloud step running shoes", "RUN-CS90"),  # split word
        ("cloudstep90", "RUN-CS90"),  # joined words
        ("wide fit cloudstep 90", "RUN-CS90W"),  # word order, the more specific item wins
        ("any chelsae boots in brown", "BOT-CHL"),
        ("boots chelsea camden", "BOT-CHL"),
        ("trainer court 78 leather", "TRN-C78"),
        ("the white trainers pls", "TRN-C78"),
        ("tienen la bolsa gym bag?", "ACC-BAG"),
        ("price of run-cs90w?", "RUN-CS90W"),  # a SKU typed as is
        ("what are your opening hours?", None),
        ("can I pay with klarna", None),
        ("hi", None),
        ("", None),
    ],
)
def test_mentions_are_found_in_sentences(session: Session, tenant: int, text: str, sku: str | None) -> None:
    assert _top(session, tenant, text) == sku


def test_a_match_says_what_matched_with_confidence_and_availability(session: Session, tenant: int) -> None:
    exact = catalog.match_product(session, tenant, "Camden Chelsea Boot")[0]
    assert (exact.matched_field, exact.confidence) == ("name", 1.0)
    typo = catalog.match_product(session, tenant, "have you got the cloudstpe wide")[0]
    assert typo.key == "RUN-CS90W" and 0.5 < typo.confidence < 1.0
    assert typo.mention == "cloudstpe wide" and typo.matched_text == "cloudstep wide"
    assert not typo.available  # out of stock: still matched, flagged
    by_sku = catalog.match_product(session, tenant, "BOT-CHL")[0]
    assert by_sku.matched_field == "sku" and by_sku.confidence == 1.0
    ranked = catalog.match_product(session, tenant, "cloudstep", limit=5)
    assert [m.key for m in ranked][:2] == ["RUN-CS90", "RUN-CS90W"]
    assert all(0.0 <= m.confidence <= 1.0 for m in ranked)
    assert ranked == sorted(ranked, key=lambda m: -m.confidence)
    assert ranked[0].to_dict()["price"] == "10.00"


def test_services_and_both_kinds_together(session: Session, tenant: int) -> None:
    assert catalog.match_service(session, tenant, "can i book a gait analyis?")[0].key == "SVC-GAIT"
    both = catalog.match_catalog(session, tenant, "gait analysis and a gym bag", limit=2)
    assert {m.key for m in both} == {"SVC-GAIT", "ACC-BAG"}


def test_writes_refresh_the_index_at_once(session: Session, tenant: int) -> None:
    assert _top(session, tenant, "ridgeline trail") is None
    product = catalog.create_product(
        session, tenant, {"sku": "RUN-TRL", "name": "Ridgeline Trail Runner", "price": "115"}
    )
    assert _top(session, tenant, "ridgline trail") == "RUN-TRL"
    catalog.update_product(session, tenant, product.id, {"aliases": ["fell runners"]})
    assert _top(session, tenant, "fell runners") == "RUN-TRL"
    catalog.set_product_active(session, tenant, product.id, False)
    assert _top(session, tenant, "ridgeline trail") is None  # hidden products are not offered
    assert (
        catalog.match_product(session, tenant, "ridgeline trail", include_inactive=True)[0].key == "RUN-TRL"
    )
    catalog.import_products_csv(session, tenant, "sku,name,price\nRUN-X,Xenon Racer,99\n")
    assert _top(session, tenant, "xenon racer") == "RUN-X"


def test_a_write_in_another_process_is_seen_through_the_shared_token(session: Session, tenant: int) -> None:
    before = catalog_index.get_index(session, tenant, "product")
    catalog_index.invalidate(tenant)  # what another process's write leaves in the shared cache
    assert catalog_index.get_index(session, tenant, "product") is not before
    again = catalog_index.get_index(session, tenant, "product")
    assert catalog_index.get_index(session, tenant, "product") is again  # cached until the next write


def test_tenants_never_see_each_others_catalogue(session: Session, tenant: int) -> None:
    other = new_tenant(session)
    assert catalog.match_product(session, other, "cloudstep 90") == []
    catalog.create_product(session, other, {"sku": "Z", "name": "Cloudstep Imitation", "price": "1"})
    assert {m.key for m in catalog.match_product(session, other, "cloudstep")} == {"Z"}


def test_committed_writes_in_one_session_are_seen_by_the_next() -> None:
    with session_scope() as s:
        tenant = new_tenant(s)
        assert _top(s, tenant, "harbor canvas") is None
    with session_scope() as s:
        catalog.create_product(s, tenant, {"sku": "NEW", "name": "Harbour Canvas Low", "price": "45"})
    with session_scope() as s:
        assert _top(s, tenant, "harbor canvas") == "NEW"


def test_a_semantic_scorer_can_raise_but_never_lower_a_confidence(session: Session, tenant: int) -> None:
    bag = catalog.get_product_by_sku(session, tenant, "ACC-BAG")
    assert bag is not None
    calls: list[str] = []

    def scorer(text: str, kind: str, limit: int) -> list[tuple[int, float]]:
        calls.append(kind)
        return [(bag.id, 0.9)]

    plain = catalog.match_product(session, tenant, "something to carry my kit to the gym in")
    boosted = catalog.match_product(
        session, tenant, "something to carry my kit to the gym in", semantic=scorer
    )
    assert calls == ["product"]
    assert boosted[0].key == "ACC-BAG"
    assert boosted[0].confidence > max((m.confidence for m in plain if m.key == "ACC-BAG"), default=0.0)


def test_the_pure_index_works_without_a_database() -> None:
    rows = [
        (
            IndexedItem(i, f"SKU-{i}", name, None, "1.00", True, True, frozenset()),
            product_phrases(f"SKU-{i}", name, [], None),
        )
        for i, name in enumerate(["Nimbus Trail 3", "Nimbus Road 3", "Atlas Hiker"], start=1)
    ]
    index = build_index("product", rows)
    assert match_in_index(index, "nimbus trial 3")[0].key == "SKU-1"
    assert match_in_index(index, "atlas hikers")[0].key == "SKU-3"


def test_a_big_catalogue_keeps_answering_while_its_index_is_rebuilt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_index, "BACKGROUND_FROM", 1)
    with session_scope() as s:
        tenant = new_tenant(s)
        catalog.create_product(s, tenant, {"sku": "A", "name": "Atlas Hiker", "price": "1"})
    with session_scope() as s:
        first = catalog_index.get_index(s, tenant, "product")  # no index yet: built on the spot
        assert catalog.correct_spelling(s, tenant, "boreallis").suggested_text == "boreallis"
        catalog.create_product(s, tenant, {"sku": "B", "name": "Borealis Runner", "price": "1"})
    with session_scope() as s:
        assert catalog_index.get_index(s, tenant, "product") is first  # stale, but answering at once
        assert catalog.correct_spelling(s, tenant, "boreallis").suggested_text == "boreallis"
    catalog_index.wait_for_rebuilds()
    with session_scope() as s:
        assert _top(s, tenant, "borealis runner") == "B"
        assert catalog.correct_spelling(s, tenant, "boreallis").suggested_text == "borealis"
