"""The API's OpenAPI document is valid and complete: every operation has its security requirement and scope,
its errors, and an example request and response."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from engine.http.app import create_app

METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return TestClient(create_app()).get("/api/v1/openapi.json").json()


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (m.upper(), path, op)
        for path, item in document["paths"].items()
        for m, op in item.items()
        if m in METHODS
    ]


def test_the_document_validates(document: dict[str, Any]) -> None:
    validate(document)


def test_every_route_of_issue_11_is_listed(document: dict[str, Any]) -> None:
    listed = {(m, p) for m, p, _ in _operations(document)}
    expected = {
        ("GET", "/agent-configuration"),
        ("PUT", "/agent-configuration"),
        ("GET", "/conversations"),
        ("GET", "/conversations/{conversation_id}"),
        ("POST", "/conversations/{conversation_id}/messages"),
        ("POST", "/conversations/{conversation_id}/take-over"),
        ("POST", "/conversations/{conversation_id}/hand-back"),
        ("POST", "/conversations/{conversation_id}/close"),
        ("GET", "/customers"),
        ("GET", "/customers/{customer_id}"),
        ("PATCH", "/customers/{customer_id}"),
        ("DELETE", "/customers/{customer_id}"),
    }
    assert expected <= listed


def test_every_operation_is_secured_and_names_its_scope_and_errors(document: dict[str, Any]) -> None:
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "prl_…",
        "description": "An API token (Settings → API tokens, or `python -m engine create-api-token`).",
    }
    for method, path, op in _operations(document):
        where = f"{method} {path}"
        assert op.get("security") == [{"bearerAuth": []}], where
        assert f"`{op['x-required-scope']}`" in op["description"], where
        assert {"401", "403", "429"} <= set(op["responses"]), where
        if op.get("parameters") or op.get("requestBody"):
            assert "422" in op["responses"], where


def test_every_operation_has_an_example_request_and_response(document: dict[str, Any]) -> None:
    missing = []
    for method, path, op in _operations(document):
        for media in op.get("requestBody", {}).get("content", {}).values():
            if "example" not in media and "examples" not in media:
                missing.append(f"{method} {path}: request")
        ok = [r for code, r in op["responses"].items() if code.startswith("2")]
        if not any("example" in m for r in ok for m in r.get("content", {}).values()):
            missing.append(f"{method} {path}: response")
    assert missing == []
