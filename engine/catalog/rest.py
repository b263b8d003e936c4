"""REST-ready wrappers: JSON-compatible dicts in and out, so an HTTP router is a few lines per route.

The router lives in engine/http (arrows point down: http calls services, never the reverse). Each function
takes raw query parameters or a parsed JSON body, validates them with the same messages as the console,
and returns plain dicts; `error_response` maps catalog errors to an HTTP status and a JSON body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from engine.catalog import csv_io, matcher, products, services, spelling
from engine.catalog.errors import CatalogError, CatalogNotFound

_TRUE = {"true", "1", "yes", "y", "on"}
_FALSE = {"false", "0", "no", "n", "off"}
MAX_MATCH_LIMIT = 20


def _bool(params: Mapping[str, Any], name: str) -> bool | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CatalogError("must be true or false", field=name)


def _int(params: Mapping[str, Any], name: str, default: int) -> int:
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        return int(str(value))
    except ValueError:
        raise CatalogError("must be a whole number", field=name) from None


def _text(params: Mapping[str, Any], name: str) -> str | None:
    value = params.get(name)
    return None if value is None else str(value)


def _body(body: Any) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise CatalogError("the request body must be a JSON object", field="body")
    return body


def error_response(exc: Exception) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body) for an error a catalog function raised; re-raise anything else."""
    if isinstance(exc, CatalogNotFound):
        return 404, {"error": {"status": 404, "message": str(exc)}}
    if isinstance(exc, CatalogError):
        return 422, {"error": {"status": 422, **exc.as_dict()}}
    raise exc


# --- Products -----------------------------------------------------------------------------------------------


def list_products(session: Session, tenant_id: int, params: Mapping[str, Any]) -> dict[str, Any]:
    """GET /catalog/products?search=&category=&in_stock=&active=&sort=&descending=&page=&page_size="""
    page = products.list_products(
        session,
        tenant_id,
        search=_text(params, "search"),
        category=_text(params, "category"),
        in_stock=_bool(params, "in_stock"),
        active=_bool(params, "active"),
        sort=_text(params, "sort") or "name",
        descending=bool(_bool(params, "descending")),
        page=_int(params, "page", 1),
        page_size=_int(params, "page_size", 25),
    )
    return page.to_dict()


def get_product(session: Session, tenant_id: int, product_id: int) -> dict[str, Any]:
    return products.get_product(session, tenant_id, product_id).to_dict()


def create_product(
    session: Session, tenant_id: int, body: Any, *, actor_label: str = "api"
) -> dict[str, Any]:
    return products.create_product(session, tenant_id, _body(body), actor_label=actor_label).to_dict()


def update_product(
    session: Session, tenant_id: int, product_id: int, body: Any, *, actor_label: str = "api"
) -> dict[str, Any]:
    return products.update_product(
        session, tenant_id, product_id, _body(body), actor_label=actor_label
    ).to_dict()


def delete_product(
    session: Session, tenant_id: int, product_id: int, *, actor_label: str = "api"
) -> dict[str, Any]:
    products.delete_product(session, tenant_id, product_id, actor_label=actor_label)
    return {"deleted": True, "id": product_id}


# --- Services -----------------------------------------------------------------------------------------------


def list_services(session: Session, tenant_id: int, params: Mapping[str, Any]) -> dict[str, Any]:
    """GET /catalog/services?search=&category=&bookable=&active=&sort=&descending=&page=&page_size="""
    page = services.list_services(
        session,
        tenant_id,
        search=_text(params, "search"),
        category=_text(params, "category"),
        bookable=_bool(params, "bookable"),
        active=_bool(params, "active"),
        sort=_text(params, "sort") or "name",
        descending=bool(_bool(params, "descending")),
        page=_int(params, "page", 1),
        page_size=_int(params, "page_size", 25),
    )
    return page.to_dict()


def get_service(session: Session, tenant_id: int, service_id: int) -> dict[str, Any]:
    return services.get_service(session, tenant_id, service_id).to_dict()


def create_service(
    session: Session, tenant_id: int, body: Any, *, actor_label: str = "api"
) -> dict[str, Any]:
    return services.create_service(session, tenant_id, _body(body), actor_label=actor_label).to_dict()


def update_service(
    session: Session, tenant_id: int, service_id: int, body: Any, *, actor_label: str = "api"
) -> dict[str, Any]:
    return services.update_service(
        session, tenant_id, service_id, _body(body), actor_label=actor_label
    ).to_dict()


def delete_service(
    session: Session, tenant_id: int, service_id: int, *, actor_label: str = "api"
) -> dict[str, Any]:
    services.delete_service(session, tenant_id, service_id, actor_label=actor_label)
    return {"deleted": True, "id": service_id}


# --- CSV, matching, spelling --------------------------------------------------------------------------------


def import_csv(
    session: Session,
    tenant_id: int,
    kind: str,
    content: bytes | str,
    *,
    dry_run: bool = False,
    actor_label: str = "api",
) -> dict[str, Any]:
    """POST /catalog/{products|services}/import[?dry_run=true] with the CSV file as the body."""
    if kind == "products":
        report = csv_io.import_products_csv(
            session, tenant_id, content, dry_run=dry_run, actor_label=actor_label
        )
    elif kind == "services":
        report = csv_io.import_services_csv(
            session, tenant_id, content, dry_run=dry_run, actor_label=actor_label
        )
    else:
        raise CatalogError("must be 'products' or 'services'", field="kind")
    return {**report.to_dict(), "ok": report.ok}


def export_csv(session: Session, tenant_id: int, kind: str) -> str:
    """GET /catalog/{products|services}/export -> text/csv."""
    if kind == "products":
        return csv_io.export_products_csv(session, tenant_id)
    if kind == "services":
        return csv_io.export_services_csv(session, tenant_id)
    raise CatalogError("must be 'products' or 'services'", field="kind")


def match(session: Session, tenant_id: int, params: Mapping[str, Any]) -> dict[str, Any]:
    """GET /catalog/match?text=&kind=all|product|service&limit= -> ranked matches with confidence."""
    text = (_text(params, "text") or "").strip()
    if not text:
        raise CatalogError("is required", field="text")
    limit = _int(params, "limit", 5)
    if not 1 <= limit <= MAX_MATCH_LIMIT:
        raise CatalogError(f"must be between 1 and {MAX_MATCH_LIMIT}", field="limit")
    kind = _text(params, "kind") or "all"
    if kind == "product":
        found = matcher.match_product(session, tenant_id, text, limit)
    elif kind == "service":
        found = matcher.match_service(session, tenant_id, text, limit)
    elif kind == "all":
        found = matcher.match_catalog(session, tenant_id, text, limit)
    else:
        raise CatalogError("must be 'all', 'product' or 'service'", field="kind")
    return {"text": text, "matches": [m.to_dict() for m in found]}


def correct(session: Session, tenant_id: int, params: Mapping[str, Any]) -> dict[str, Any]:
    """GET /catalog/spelling?text= -> corrected text, proposals and what needs the customer's confirmation."""
    text = _text(params, "text") or ""
    result = spelling.correct_spelling(session, tenant_id, text)
    return {**result.to_dict(), "question": result.confirmation_question()}
