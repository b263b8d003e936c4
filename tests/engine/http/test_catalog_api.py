"""/api/v1/catalog over HTTP: scopes, round trips, query strings parsed in http/, and errors in the API's
shape (422 naming each field, 404)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from engine.accounts import api_tokens
from engine.db import session_scope
from engine.http.api_v1 import create_api
from tests.factories import new_tenant


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_api())


@pytest.fixture
def auth() -> dict[str, str]:
    """A token that may read and write the catalog of a fresh tenant."""
    with session_scope() as s:
        tenant = new_tenant(s)
        token = api_tokens.create_token(
            s, tenant, name="t", scopes="integrations:manage,analytics:view"
        ).token
    return {"Authorization": f"Bearer {token}"}


def test_catalog_routes_validate_scope_and_round_trip(client: TestClient) -> None:
    with session_scope() as s:
        tenant = new_tenant(s)
        token = api_tokens.create_token(
            s, tenant, name="t", scopes="integrations:manage,analytics:view"
        ).token
        reader = api_tokens.create_token(s, tenant, name="r", scopes="analytics:view").token
    auth = {"Authorization": f"Bearer {token}"}
    created = client.post(
        "/catalog/products", json={"sku": "A", "name": "Atlas Hiker", "price": "5"}, headers=auth
    )
    assert created.status_code == 201, created.text
    product_id = created.json()["id"]
    refused = client.post("/catalog/products", json={"sku": "B", "name": "", "price": "-1"}, headers=auth)
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json()["error"]["errors"]} == {"name", "price"}
    assert client.get("/catalog/products/999999", headers=auth).status_code == 404
    readonly = {"Authorization": f"Bearer {reader}"}
    assert client.post("/catalog/products", json={}, headers=readonly).status_code == 403
    assert client.get("/catalog/products?in_stock=false", headers=readonly).json()["total"] == 1
    assert client.get("/catalog/match?text=atlas+hikers", headers=readonly).json()["matches"][0]["key"] == "A"
    exported = client.get("/catalog/products/export", headers=readonly)
    assert exported.headers["content-type"].startswith("text/csv")
    imported = client.post(
        "/catalog/products/import?dry_run=true",
        content=exported.content,
        headers={**auth, "content-type": "text/csv"},
    )
    assert imported.json()["unchanged"] == 1, imported.text
    assert client.delete(f"/catalog/products/{product_id}", headers=auth).json()["deleted"] is True


def test_a_product_round_trip_through_json(client: TestClient, auth: dict[str, str]) -> None:
    created = client.post(
        "/catalog/products", json={"sku": "A-1", "name": "Atlas Hiker", "price": 60}, headers=auth
    ).json()
    assert created["price"] == "60.00"
    updated = client.patch(f"/catalog/products/{created['id']}", json={"stock": "4"}, headers=auth).json()
    assert updated["stock"] == 4 and updated["in_stock"] is True
    listed = client.get("/catalog/products?in_stock=true&page_size=10", headers=auth).json()
    assert [p["sku"] for p in listed["items"]] == ["A-1"] and listed["pages"] == 1
    found = client.get("/catalog/match?text=the atlas hikers pls&kind=product", headers=auth).json()
    assert found["matches"][0]["key"] == "A-1"
    fixed = client.get("/catalog/spelling?text=atlass hiker", headers=auth).json()
    assert fixed["suggested_text"] == "atlas hiker" and "question" in fixed
    json.dumps([created, updated, listed, found, fixed])
    csv_text = client.get("/catalog/products/export", headers=auth).text
    again = client.post("/catalog/products/import", content=csv_text, headers=auth).json()
    assert again["unchanged"] == 1 and again["ok"] is True
    gone = client.delete(f"/catalog/products/{created['id']}", headers=auth).json()
    assert gone == {"deleted": True, "id": created["id"]}


def test_services_and_import_reports(client: TestClient, auth: dict[str, str]) -> None:
    service = client.post(
        "/catalog/services", json={"code": "GAIT", "name": "Gait Analysis", "price": "15"}, headers=auth
    ).json()
    assert client.get(f"/catalog/services/{service['id']}", headers=auth).json()["code"] == "GAIT"
    assert client.get("/catalog/services?bookable=yes", headers=auth).json()["total"] == 1
    refused = client.post(
        "/catalog/services/import?dry_run=true", content=b"code,name,price\nX,,1\n", headers=auth
    )
    assert refused.status_code == 422  # like the knowledge import: a failed import is not a 200
    report = refused.json()["error"]["details"]
    assert report["ok"] is False and [e["field"] for e in report["errors"]] == ["name"]


@pytest.mark.parametrize(
    ("path", "field", "message"),
    [
        ("/catalog/products?in_stock=maybe", "in_stock", "must be true or false"),
        ("/catalog/products?page=two", "page", "must be a whole number"),
        ("/catalog/services?active=perhaps", "active", "must be true or false"),
        ("/catalog/match?text=%20", "text", "is required"),
        ("/catalog/match?text=x&limit=99", "limit", "must be between 1 and 20"),
        ("/catalog/match?text=x&kind=both", "kind", "must be 'all', 'product' or 'service'"),
    ],
)
def test_bad_query_strings_answer_422_naming_the_field(
    client: TestClient, auth: dict[str, str], path: str, field: str, message: str
) -> None:
    response = client.get(path, headers=auth)
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "status": 422,
            "message": f"{field}: {message}",
            "errors": [{"field": field, "message": message}],
        }
    }


def test_a_body_that_is_not_an_object_or_an_unknown_kind_is_refused(
    client: TestClient, auth: dict[str, str]
) -> None:
    assert client.post("/catalog/products", json=["not", "an", "object"], headers=auth).status_code == 422
    assert client.get("/catalog/orders/export", headers=auth).status_code in (404, 422)


def test_missing_rows_answer_404_in_the_api_shape(client: TestClient, auth: dict[str, str]) -> None:
    response = client.get("/catalog/products/12345", headers=auth)
    assert response.status_code == 404
    assert response.json() == {"error": {"status": 404, "message": "product 12345 not found"}}
