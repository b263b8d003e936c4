"""Hostile input to the REST API is a 4xx, never a 500 (issue #14 item 3): numbers, pages and ids bounded,
NUL and other unusable code points cleaned from bodies and query strings, JSON nesting limited."""

from __future__ import annotations

import pytest

from engine.db import TenantScope, session_scope
from engine.models import Customer
from tests.engine.http.api_env import ApiEnv


@pytest.mark.parametrize("price", [1e308 * 10, "1e309", "NaN"])
def test_a_price_out_of_range_is_422(api: ApiEnv, price: object) -> None:
    body = '{"sku": "S1", "name": "Shoe", "price": %s}' % ("1e309" if price == 1e308 * 10 else f'"{price}"')
    response = api.call(
        "POST", "/catalog/products", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text


@pytest.mark.parametrize("body", ['{"price": NaN}', '{"price": Infinity}', '{"n": ' + "9" * 30 + "}"])
def test_numbers_json_cannot_hold_are_422(api: ApiEnv, body: str) -> None:
    response = api.call(
        "PUT", "/agent-configuration", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


@pytest.mark.parametrize("path", ["/catalog/products", "/catalog/services", "/knowledge"])
def test_an_enormous_page_number_is_422(api: ApiEnv, path: str) -> None:
    for page in (2**63 - 1, 2**63, 10**30):
        assert api.call("GET", path, params={"page": page}).status_code == 422


@pytest.mark.parametrize(
    "path",
    ["/catalog/products/", "/catalog/services/", "/knowledge/", "/conversations/", "/customers/"],
)
def test_a_25_digit_id_is_422(api: ApiEnv, path: str) -> None:
    assert api.call("GET", path + "1" * 25).status_code == 422


def test_a_25_digit_media_id_is_422(api: ApiEnv) -> None:
    response = api.client.get(
        "/api/media/" + "1" * 25 + "/0", headers={"Authorization": f"Bearer {api.tokens['all']}"}
    )
    assert response.status_code == 422


def test_nul_in_a_body_is_cleaned_before_it_is_stored(api: ApiEnv) -> None:
    body = '{"name": "Ada\\u0000 King\\ud800", "tags": ["v\\u0000ip"]}'  # escapes JSON allows
    response = api.call(
        "PATCH", f"/customers/{api.customer_a}", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    with session_scope() as s:
        customer = TenantScope(s, api.tenant_a).require(Customer, api.customer_a)
    assert (customer.name, customer.tags) == ("Ada King", ["vip"])


def test_nul_in_a_query_string_is_cleaned(api: ApiEnv) -> None:
    response = api.call("GET", "/customers", params={"search": "Ad\x00a"})
    assert response.status_code == 200 and [c["id"] for c in response.json()["items"]] == [api.customer_a]


def test_deeply_nested_json_is_422(api: ApiEnv) -> None:
    body = '{"agent_name": ' + "[" * 5000 + "]" * 5000 + "}"
    response = api.call(
        "PUT", "/agent-configuration", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


def test_a_failed_catalog_import_is_422_like_the_knowledge_import(api: ApiEnv) -> None:
    response = api.call("POST", "/catalog/products/import", content=b"sku,name,price\nS1,,abc\n")
    assert response.status_code == 422
    assert response.json()["error"]["details"]["ok"] is False
