"""REST-ready wrappers: query strings and JSON bodies in, JSON-ready dicts out, errors mapped to 404/422."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session

from engine.catalog import rest
from engine.catalog.errors import CatalogError, CatalogNotFound
from tests.factories import new_tenant


def test_a_product_round_trip_through_plain_dicts(session: Session) -> None:
    tenant = new_tenant(session)
    created = rest.create_product(session, tenant, {"sku": "A-1", "name": "Atlas Hiker", "price": 60})
    assert created["price"] == "60.00"
    updated = rest.update_product(session, tenant, created["id"], {"stock": "4"})
    assert updated["stock"] == 4 and updated["in_stock"] is True
    listed = rest.list_products(session, tenant, {"in_stock": "true", "page_size": "10"})
    assert [p["sku"] for p in listed["items"]] == ["A-1"] and listed["pages"] == 1
    found = rest.match(session, tenant, {"text": "the atlas hikers pls", "kind": "product"})
    assert found["matches"][0]["key"] == "A-1"
    fixed = rest.correct(session, tenant, {"text": "atlass hiker"})
    assert fixed["suggested_text"] == "atlas hiker"
    json.dumps([created, updated, listed, found, fixed])  # everything is JSON-ready
    csv_text = rest.export_csv(session, tenant, "products")
    assert rest.import_csv(session, tenant, "products", csv_text)["unchanged"] == 1
    assert rest.delete_product(session, tenant, created["id"]) == {"deleted": True, "id": created["id"]}


def test_services_and_import_reports(session: Session) -> None:
    tenant = new_tenant(session)
    service = rest.create_service(session, tenant, {"code": "GAIT", "name": "Gait Analysis", "price": "15"})
    assert rest.get_service(session, tenant, service["id"])["code"] == "GAIT"
    assert rest.list_services(session, tenant, {"bookable": "yes"})["total"] == 1
    report = rest.import_csv(session, tenant, "services", b"code,name,price\nX,,1\n", dry_run=True)
    assert report["ok"] is False and report["errors"] == [
        {"row": 2, "field": "name", "error": "must not be empty"}
    ]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda s, t: rest.list_products(s, t, {"in_stock": "maybe"}), "in_stock"),
        (lambda s, t: rest.list_products(s, t, {"page": "two"}), "page"),
        (lambda s, t: rest.match(s, t, {"text": " "}), "text"),
        (lambda s, t: rest.match(s, t, {"text": "x", "limit": "99"}), "limit"),
        (lambda s, t: rest.match(s, t, {"text": "x", "kind": "both"}), "kind"),
        (lambda s, t: rest.create_product(s, t, ["not", "an", "object"]), "body"),
        (lambda s, t: rest.export_csv(s, t, "orders"), "kind"),
    ],
)
def test_bad_input_becomes_a_422_naming_the_field(session: Session, call: object, field: str) -> None:
    tenant = new_tenant(session)
    with pytest.raises(CatalogError) as exc:
        call(session, tenant)  # type: ignore[operator]
    status, body = rest.error_response(exc.value)
    assert status == 422 and body["error"]["errors"][0]["field"] == field


def test_missing_rows_become_a_404(session: Session) -> None:
    tenant = new_tenant(session)
    with pytest.raises(CatalogNotFound) as exc:
        rest.get_product(session, tenant, 12345)
    assert rest.error_response(exc.value)[0] == 404
    with pytest.raises(RuntimeError):
        rest.error_response(RuntimeError("not ours"))
