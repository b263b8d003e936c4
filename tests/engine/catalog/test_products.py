"""Products: validation names the field, SKUs are unique per tenant, lists filter and page in SQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import Session

from engine import catalog
from engine.catalog import CatalogError, CatalogNotFound
from engine.db import TenantScope
from engine.models import AuditLog, Product
from tests.factories import new_tenant


def _product(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {"sku": "RUN-1", "name": "Cloudstep 90", "price": "95.00", "stock": 3}
    data.update(overrides)
    return data


def _fields(exc: pytest.ExceptionInfo[CatalogError]) -> set[str]:
    return {e.field for e in exc.value.errors}


def test_create_returns_a_dto_with_the_price_as_text_and_writes_an_audit_entry(session: Session) -> None:
    tenant = new_tenant(session)
    dto = catalog.create_product(
        session,
        tenant,
        _product(aliases=["CS90", "cs90", " cloud  step ", "", "Cloudstep 90"], category=" running "),
        actor_label="owner",
    )
    assert dto.price == "95.00" and dto.in_stock and dto.available
    assert dto.aliases == ("CS90", "cloud step")  # deduplicated, cleaned, the name itself dropped
    assert dto.category == "running"
    assert isinstance(dto.to_dict()["created_at"], str)
    row = TenantScope(session, tenant).require(Product, dto.id)
    assert row.price == Decimal("95.00")
    log = TenantScope(session, tenant).first(AuditLog, AuditLog.action == "catalog.product_created")
    assert log is not None and log.target_id == str(dto.id) and log.actor_label == "owner"


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"price": "-1"}, "price", "0 or more"),
        ({"price": "9.999"}, "price", "2 decimal places"),
        ({"price": "abc"}, "price", "number"),
        ({"price": None}, "price", "number"),
        ({"sku": "has space"}, "sku", "SKU must be"),
        ({"sku": ""}, "sku", "SKU must be"),
        ({"name": "   "}, "name", "must not be empty"),
        ({"stock": -2}, "stock", "0 or more"),
        ({"stock": "1.5"}, "stock", "whole number"),
        ({"aliases": [f"alias {i}" for i in range(31)]}, "aliases", "at most 30"),
        ({"aliases": ["x" * 81]}, "aliases", "at most 80 characters"),
        ({"aliases": ["a|b", "c"]}, "aliases", "'|'"),
        ({"image_url": "javascript:alert(1)"}, "image_url", "http"),
        ({"colour": "red"}, "colour", "not a known field"),
    ],
)
def test_invalid_input_is_refused_with_a_message_naming_the_field(
    session: Session, overrides: dict[str, object], field: str, words: str
) -> None:
    tenant = new_tenant(session)
    with pytest.raises(CatalogError) as exc:
        catalog.create_product(session, tenant, _product(**overrides))
    assert field in _fields(exc)
    assert words in str(exc.value)


def test_missing_required_fields_are_all_reported_at_once(session: Session) -> None:
    tenant = new_tenant(session)
    with pytest.raises(CatalogError) as exc:
        catalog.create_product(session, tenant, {"sku": "X-1"})
    assert _fields(exc) == {"name", "price"}
    assert "is required" in str(exc.value)


def test_prices_accept_common_spellings_and_keep_two_decimals(session: Session) -> None:
    tenant = new_tenant(session)
    assert catalog.create_product(session, tenant, _product(sku="A", price=19.99)).price == "19.99"
    assert catalog.create_product(session, tenant, _product(sku="B", price="£1,250.5")).price == "1250.50"
    assert catalog.create_product(session, tenant, _product(sku="C", price=0)).price == "0.00"


def test_sku_is_unique_per_tenant_ignoring_case_but_free_across_tenants(session: Session) -> None:
    first, second = new_tenant(session), new_tenant(session)
    catalog.create_product(session, first, _product())
    with pytest.raises(CatalogError) as exc:
        catalog.create_product(session, first, _product(sku="run-1", name="Other"))
    assert _fields(exc) == {"sku"} and "already used by 'Cloudstep 90'" in str(exc.value)
    assert catalog.create_product(session, second, _product()).sku == "RUN-1"


def test_related_skus_must_exist_in_the_tenant(session: Session) -> None:
    tenant, other = new_tenant(session), new_tenant(session)
    catalog.create_product(session, other, _product(sku="SOCKS"))
    with pytest.raises(CatalogError) as exc:
        catalog.create_product(session, tenant, _product(related_skus=["SOCKS"]))
    assert "no product has SKU 'SOCKS'" in str(exc.value)
    catalog.create_product(session, tenant, _product(sku="SOCKS", name="Socks"))
    dto = catalog.create_product(session, tenant, _product(related_skus="socks"))
    assert dto.related_skus == ("socks",)


def test_update_is_partial_validated_as_a_whole_and_audited(session: Session) -> None:
    tenant = new_tenant(session)
    dto = catalog.create_product(session, tenant, _product(description="Soft"))
    updated = catalog.update_product(session, tenant, dto.id, {"price": "89.5", "aliases": "cs90|cs 90"})
    assert (updated.price, updated.aliases, updated.description) == ("89.50", ("cs90", "cs 90"), "Soft")
    with pytest.raises(CatalogError) as exc:
        catalog.update_product(session, tenant, dto.id, {"price": "-3", "name": ""})
    assert _fields(exc) == {"price", "name"}
    with pytest.raises(CatalogError):
        catalog.update_product(session, tenant, dto.id, {"id": 7})
    log = TenantScope(session, tenant).first(AuditLog, AuditLog.action == "catalog.product_updated")
    assert log is not None and log.details["fields"] == ["aliases", "price"]


def test_changing_the_sku_to_one_in_use_is_refused(session: Session) -> None:
    tenant = new_tenant(session)
    catalog.create_product(session, tenant, _product(sku="A"))
    b = catalog.create_product(session, tenant, _product(sku="B"))
    with pytest.raises(CatalogError, match="already used"):
        catalog.update_product(session, tenant, b.id, {"sku": "a"})


def test_availability_toggles(session: Session) -> None:
    tenant = new_tenant(session)
    dto = catalog.create_product(session, tenant, _product())
    assert not catalog.set_product_stock(session, tenant, dto.id, 0).in_stock
    hidden = catalog.set_product_active(session, tenant, dto.id, False)
    assert not hidden.is_active and not hidden.available


def test_another_tenants_product_is_not_found(session: Session) -> None:
    tenant, other = new_tenant(session), new_tenant(session)
    dto = catalog.create_product(session, other, _product())
    with pytest.raises(CatalogNotFound):
        catalog.get_product(session, tenant, dto.id)
    with pytest.raises(CatalogNotFound):
        catalog.update_product(session, tenant, dto.id, {"price": 1})
    with pytest.raises(CatalogNotFound):
        catalog.delete_product(session, tenant, dto.id)
    assert catalog.get_products(session, tenant, [dto.id]) == []


def test_delete_removes_the_product_and_references_to_it(session: Session) -> None:
    tenant = new_tenant(session)
    socks = catalog.create_product(session, tenant, _product(sku="SOCKS", name="Socks"))
    shoe = catalog.create_product(session, tenant, _product(related_skus=["SOCKS"]))
    catalog.delete_product(session, tenant, socks.id)
    assert catalog.get_product(session, tenant, shoe.id).related_skus == ()
    assert catalog.get_product_by_sku(session, tenant, "socks") is None


def test_list_filters_and_pages_in_sql(session: Session) -> None:
    tenant, other = new_tenant(session), new_tenant(session)
    for i in range(30):
        catalog.create_product(
            session,
            tenant,
            _product(
                sku=f"P-{i:02d}",
                name=f"Shoe {i:02d}",
                category="boots" if i % 3 == 0 else "running",
                stock=0 if i % 5 == 0 else 2,
                is_active=i != 7,
                aliases=["trail_special"] if i == 4 else [],
            ),
        )
    catalog.create_product(session, other, _product(sku="P-99", name="Shoe 99"))
    page = catalog.list_products(session, tenant, page=2, page_size=12)
    assert (page.total, page.pages, len(page.items)) == (30, 3, 12)
    assert [p.sku for p in page.items][:2] == ["P-12", "P-13"]
    assert catalog.list_products(session, tenant, category="BOOTS").total == 10
    assert catalog.list_products(session, tenant, in_stock=False).total == 6
    assert catalog.list_products(session, tenant, active=False).total == 1
    assert catalog.list_products(session, tenant, search="shoe 1").total == 10
    assert [p.sku for p in catalog.list_products(session, tenant, search="trail_special").items] == ["P-04"]
    assert catalog.list_products(session, tenant, search="%").total == 0  # a literal %, not a wildcard
    by_price = catalog.list_products(session, tenant, sort="sku", descending=True, page_size=1)
    assert by_price.items[0].sku == "P-29"
    assert catalog.product_categories(session, tenant) == ["boots", "running"]
    as_dict = page.to_dict()
    assert as_dict["pages"] == 3 and as_dict["items"][0]["price"] == "95.00"  # type: ignore[index]


@pytest.mark.parametrize(
    ("kwargs", "field"), [({"page": 0}, "page"), ({"page_size": 500}, "page_size"), ({"sort": "x"}, "sort")]
)
def test_list_refuses_bad_paging_and_sorting(session: Session, kwargs: dict[str, object], field: str) -> None:
    tenant = new_tenant(session)
    with pytest.raises(CatalogError) as exc:
        catalog.list_products(session, tenant, **kwargs)  # type: ignore[arg-type]
    assert _fields(exc) == {field}
