"""The API's OpenAPI document: security, the scope of each route, every error it can answer, examples.

Routes declare what is theirs (their body and response models with examples, `responses=errors(404, 409)`
for the errors only they give). What every authenticated route shares is added here once, from the routes
themselves: the scope (read from the `require_scope` dependency) goes into the description and
`x-required-scope`; 401, 403 and 429 join each secured operation, 413 and 422 each one that reads input,
400 each one that reads a form (an unreadable multipart body). A test walks the document to hold every
operation to it, and a property-based test checks the app answers nothing the document does not list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from engine.http.api_examples import EXAMPLES

try:
    from fastapi.routing import iter_route_contexts
except ImportError:  # FastAPI before included routers were kept lazily: api.routes lists APIRoutes
    iter_route_contexts = None  # type: ignore[assignment]


class ErrorDetail(BaseModel):
    status: int = Field(examples=[404])
    message: str = Field(examples=["conversation 42 not found"])
    details: Any | None = Field(default=None, description="per field or per row, when there is more to say")


class ErrorBody(BaseModel):
    """Every error the API answers has this shape."""

    error: ErrorDetail


ERROR_TEXT: dict[int, tuple[str, str]] = {
    400: ("The request cannot be read.", "the request is malformed"),
    401: ("Missing, unknown, revoked or expired token.", "missing bearer token"),
    403: ("The token lacks the scope (or its creator the role) this needs.", "this token lacks the scope"),
    404: ("No such resource in the token's tenant (another tenant's ids answer the same).", "not found"),
    409: ("The resource changed or is in a state that refuses this.", "this conversation is closed"),
    413: ("The body is too large.", "the body is larger than 1048576 bytes"),
    422: ("Invalid input; `details` names each field.", "invalid request"),
    429: ("Too many requests for this token; retry after `Retry-After` seconds.", "rate limit exceeded"),
    503: ("A dependency (search index, mail server, Twilio) is unavailable.", "the index is unavailable"),
}


# Errors of the older routers (knowledge, catalog) that their decorators do not declare.
_KNOWLEDGE_WRITES = ("POST /knowledge", "PUT /knowledge/{entry_id}", "DELETE /knowledge/{entry_id}")
EXTRA_ERRORS: dict[str, tuple[int, ...]] = {
    **{key: (503,) for key in _KNOWLEDGE_WRITES},
    "PUT /knowledge/{entry_id}": (409, 503),
    "POST /knowledge/import": (503,),
    "POST /knowledge/documents": (503,),
    "POST /knowledge/{entry_id}/restore": (503,),
    "POST /knowledge/{entry_id}/versions/{version}/restore": (409, 503),
    "GET /knowledge/search": (503,),
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for the given error statuses, each with the error body and an example."""
    out: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        description, message = ERROR_TEXT[code]
        entry: dict[str, Any] = {
            "model": ErrorBody,
            "description": description,
            "content": {"application/json": {"example": {"error": {"status": code, "message": message}}}},
        }
        if code == 429:
            retry = {"description": "seconds to wait", "schema": {"type": "integer"}}
            entry["headers"] = {"Retry-After": retry}
        out[code] = entry
    return out


def _scope_of(dependant: Dependant) -> str | None:
    call: Callable[..., Any] | None = dependant.call
    if call is not None and getattr(call, "scope", None):
        return str(call.scope)  # type: ignore[attr-defined]
    for sub in dependant.dependencies:
        found = _scope_of(sub)
        if found:
            return found
    return None


def _api_routes(api: FastAPI) -> list[Any]:
    """The app's operations with their dependencies. FastAPI 0.165 keeps included routers lazily
    (`_IncludedRouter`); `iter_route_contexts` flattens them, older versions list APIRoutes directly."""
    candidates: list[Any] = list(iter_route_contexts(api.routes) if iter_route_contexts else api.routes)
    return [
        r
        for r in candidates
        if getattr(r, "dependant", None) is not None
        and getattr(r, "include_in_schema", False)
        and (isinstance(r, APIRoute) or not isinstance(r, type))
        and r.path_format
    ]


def _reads_input(operation: dict[str, Any]) -> bool:
    return bool(operation.get("parameters") or operation.get("requestBody"))


def _add_error(operation: dict[str, Any], code: int) -> None:
    responses = operation.setdefault("responses", {})
    if str(code) in responses:
        return
    entry = errors(code)[code]
    description, example = entry["description"], entry["content"]["application/json"]["example"]
    responses[str(code)] = {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}, "example": example}
        },
        **({"headers": entry["headers"]} if "headers" in entry else {}),
    }


def _add_examples(key: str, operation: dict[str, Any]) -> None:
    example = EXAMPLES.get(key)
    if example is None:
        return
    request, response = example
    body = operation.get("requestBody", {}).get("content", {})
    if request is not None:
        for media in body.values():
            media.setdefault("example", request)
    for status, answer in operation.get("responses", {}).items():
        if status.startswith("2"):
            for media in answer.setdefault("content", {"application/json": {}}).values():
                media.setdefault("example", response)


def build_document(api: FastAPI) -> dict[str, Any]:
    """The document FastAPI generates, completed as the module docstring says."""
    document = get_openapi(
        title=api.title,
        version=api.version,
        description=api.description,
        routes=api.routes,
        servers=[{"url": "/api/v1"}],
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorBody", ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}"))
    schemas.setdefault("ErrorDetail", ErrorDetail.model_json_schema())
    schemas["ErrorBody"].pop("$defs", None)
    for route in _api_routes(api):
        scope = _scope_of(route.dependant)
        for method in route.methods:
            operation = document["paths"][route.path_format][method.lower()]
            if scope:
                operation["x-required-scope"] = scope
                note = f"**Scope:** `{scope}`."
                operation["description"] = f"{operation.get('description', '').strip()}\n\n{note}".strip()
                for code in (401, 403, 429):
                    _add_error(operation, code)
            if "{" in route.path_format:  # an id of another tenant answers 404 like a missing one
                _add_error(operation, 404)
            for code in EXTRA_ERRORS.get(f"{method} {route.path_format}", ()):
                _add_error(operation, code)
            if _reads_input(operation):
                _add_error(operation, 422)
            if operation.get("requestBody"):
                _add_error(operation, 413)
                forms = ("multipart/form-data", "application/x-www-form-urlencoded")
                if any(kind in forms for kind in operation["requestBody"].get("content", {})):
                    _add_error(operation, 400)  # a form that cannot be parsed: Starlette answers 400
            _add_examples(f"{method} {route.path_format}", operation)
    return document


def install(api: FastAPI) -> None:
    """Serve `build_document(api)` at the API's openapi_url (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            api.openapi_schema = build_document(api)
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]


__all__ = ["ERROR_TEXT", "ErrorBody", "build_document", "errors", "install"]
