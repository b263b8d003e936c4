"""The agent's catalogue look-up (engine.agent.read.catalog_lookup): what a message names, best first.

A thing the customer already has ("my jeans") is what a service is done on: when the message names a service
too, the service comes first even though the product's name was written more fully."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import Session

from engine.accounts.tenants import create_tenant
from engine.agent.read import catalog_lookup
from engine.catalog import MATCH_THRESHOLD, invalidate_catalog_index
from engine.db import TenantScope, session_scope
from engine.models import Product, Service, utcnow


def _open_shop(
    name: str, products: list[tuple[str, str, str]], services: list[tuple[str, str, list[str]]]
) -> int:
    """A tenant with (sku, name, category) products and (code, name, aliases) services; its id."""
    now = utcnow()
    with session_scope() as s:
        tenant_id = int(create_tenant(s, name=name, slug=name.lower().replace(" ", "-")).id)
        scope = TenantScope(s, tenant_id)
        row = {"price": Decimal("20"), "created_at": now, "updated_at": now}
        for sku, title, category in products:
            scope.add(Product(sku=sku, name=title, category=category, stock=5, **row))
        for code, title, aliases in services:
            scope.add(Service(code=code, name=title, aliases=aliases, duration_minutes=20, **row))
        invalidate_catalog_index(tenant_id, s)
    return tenant_id


@pytest.fixture
def shop() -> int:
    return _open_shop(
        "Thread Shop",
        [
            ("JEANS", "Straight Leg Jeans", "Denim"),
            ("SCARF", "Wool Scarf", "Accessories"),
            ("BOOTS", "Chelsea Boots", "Shoes"),
        ],
        [("HEM", "Trouser Hemming", ["hem trousers"])],
    )


def first(session: Session, tenant_id: int, text: str) -> str:
    return catalog_lookup(session, tenant_id, text)[0].key


@pytest.mark.parametrize(
    "text", ["can you hem my jeans", "could you hem my old jeans please", "pueden hacer el hem de mis jeans"]
)
def test_a_service_on_a_thing_the_customer_has_comes_first(session: Session, shop: int, text: str) -> None:
    assert first(session, shop, text) == "HEM"


@pytest.mark.parametrize("text", ["do you have jeans", "I love my jeans, any more in blue?", "my jeans"])
def test_otherwise_the_fuller_match_comes_first(session: Session, shop: int, text: str) -> None:
    assert first(session, shop, text) == "JEANS"


@pytest.fixture
def deli() -> int:
    products = [
        ("OLIVES", "Marinated Green Olives"),
        ("OIL", "Extra Virgin Olive Oil"),
        ("SOUR", "Sourdough Loaf"),
        ("CARROT", "Carrot Cake Slice"),
    ]
    return _open_shop(
        "Deli", [(sku, name, "bakery") for sku, name in products], [("SLICE", "Bread Slicing", [])]
    )


@pytest.mark.parametrize("text", ["could you slice the sourdough for me", "can you slice my sourdough"])
def test_a_service_named_by_its_verb_comes_before_what_it_is_done_on(
    session: Session, deli: int, text: str
) -> None:
    # "slice" is also the Carrot Cake Slice's word: named by the verb alone, that is not what was asked.
    assert first(session, deli, text) == "SLICE"


def test_a_slice_of_the_cake_is_the_cake(session: Session, deli: int) -> None:
    assert first(session, deli, "a slice of carrot cake") == "CARROT"


def test_products_that_tie_keep_the_matchers_order(session: Session, deli: int) -> None:
    # "aceite de oliva" reads as "olive oil" on each word: the matcher puts the Olive Oil (both words) before
    # the Olives (one) at the same confidence, and the look-up must not re-sort them on phrase length.
    found = catalog_lookup(session, deli, "tienen aceite de oliva")
    assert found[0].confidence == found[1].confidence
    assert found[0].key == "OIL"


@pytest.fixture
def kitchen() -> int:
    products = [
        ("TOASTER", "2-Slice Toaster", "appliances"),
        ("MIXER", "Stand Mixer 5L", "appliances"),
        ("SHELF", "5-Tier Metal Shelving Unit", "storage"),
    ]
    return _open_shop("Kitchen Store", products, [("SHARPEN", "Knife Sharpening", [])])


@pytest.mark.parametrize(
    "text",
    [
        "can you repair my toaster",
        "my stand mixer stopped working can u fix it",
        "reparan mi tostadora?",
        "can someone come and put my shelves up",
    ],
)
def test_work_on_the_customers_own_thing_is_not_the_thing_for_sale(
    session: Session, kitchen: int, text: str
) -> None:
    assert not [m for m in catalog_lookup(session, kitchen, text) if m.confidence >= MATCH_THRESHOLD]


@pytest.mark.parametrize("text", ["do you have a toaster", "my toaster broke, i need a new toaster"])
def test_a_thing_wanted_new_is_still_found(session: Session, kitchen: int, text: str) -> None:
    assert first(session, kitchen, text) == "TOASTER"


@pytest.mark.parametrize("text", ["shelf", "shelves", "any shelves for the garage"])
def test_a_noun_is_found_in_its_ing_form(session: Session, kitchen: int, text: str) -> None:
    """The Shelving Unit: English makes "shelving" of a shelf, as it makes "shelves"."""
    assert first(session, kitchen, text) == "SHELF"
