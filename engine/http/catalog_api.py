"""REST: /api/v1/catalog — products, services, CSV import/export, matching and spelling of the tenant.

Reading needs `analytics:view`; writing needs `integrations:manage`. This module owns the HTTP side: query
strings are parsed here, and `catalog_error` maps the catalog's errors to 422 (each refused field named, with
the console's messages) or 404. Bodies stay JSON objects that the catalog validates itself
(engine/catalog/schemas), so the API and the console refuse the same input with the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from engine.accounts.api_tokens import ApiPrincipal
from engine.catalog import csv_io, matcher, products, services, spelling
from engine.catalog.errors import CatalogError, CatalogNotFound
from engine.http.api_docs import errors
from engine.http.deps import db_session, require_scope
from engine.http.paging import MAX_PAGE, Id
from engine.security.scopes import Scope

router = APIRouter(prefix="/catalog", tags=["catalog"])
read = require_scope(Scope.ANALYTICS_VIEW.value)
write = require_scope(Scope.INTEGRATIONS_MANAGE.value)
Kind = Literal["products", "services"]
MAX_MATCH_LIMIT = 20
MAX_PAGE_SIZE = 200
MAX_IMPORT_BYTES = 5 * 1024 * 1024  # a catalog of tens of thousands of rows
API_ACTOR = "api"  # what the audit trail names as the author of a change made through a token

_TRUE = {"true", "1", "yes", "y", "on"}
_FALSE = {"false", "0", "no", "n", "off"}


def catalog_error(request: Request, exc: Exception) -> JSONResponse:
    """422 naming each refused field, or 404; raised inside the request, so its unit of work rolls back."""
    if isinstance(exc, CatalogNotFound):
        return JSONResponse({"error": {"status": 404, "message": str(exc)}}, status_code=404)
    if isinstance(exc, CatalogError):
        return JSONResponse({"error": {"status": 422, **exc.as_dict()}}, status_code=422)
    raise exc


# --- Bodies -------------------------------------------------------------------------------------------------
# Prices are numeric(12, 2): a larger one ("1e309" is a valid decimal) would reach the database and fail
# there. Refused here with the field named, before the catalog sees it.
MAX_PRICE = Decimal("9999999999.99")


def _bounded(body: dict[str, Any]) -> dict[str, Any]:
    value = body.get("price")
    if value is None or isinstance(value, bool):
        return body
    try:
        price = Decimal(str(value).strip())
    except InvalidOperation:
        return body  # not a number at all: the catalog says so in its own words
    if not price.is_finite() or abs(price) > MAX_PRICE:
        raise CatalogError(f"must be at most {MAX_PRICE}", field="price")
    return body


# --- Query strings ------------------------------------------------------------------------------------------
# Parameters arrive as text and are read here rather than typed on the signature: a bad value then answers
# in the catalog's error shape (the field and a sentence), like a bad body, not in FastAPI's.


def _flag(value: str | None, name: str) -> bool | None:
    if value is None or value == "":
        return None
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CatalogError("must be true or false", field=name)


def _whole(value: str | None, name: str, default: int, *, high: int = MAX_PAGE) -> int:
    """A whole number from 1 to `high`: a page past the last is empty, but 2**63-1 overflows the database."""
    if value is None or value == "":
        return default
    try:
        number = int(value) if len(value) <= 12 else high + 1
    except ValueError:
        raise CatalogError("must be a whole number", field=name) from None
    if not 1 <= number <= high:
        raise CatalogError(f"must be between 1 and {high}", field=name)
    return number


@dataclass(frozen=True, slots=True)
class ListQuery:
    """The filters, order and page both lists take."""

    search: str | None
    category: str | None
    active: bool | None
    sort: str
    descending: bool
    page: int
    page_size: int


def list_query(
    search: str | None = None,
    category: str | None = None,
    active: str | None = Query(default=None, description="true or false"),
    sort: str | None = Query(default=None, description="a column name; name by default"),
    descending: str | None = Query(default=None, description="true or false"),
    page: str | None = Query(default=None, description="1 by default"),
    page_size: str | None = Query(default=None, description="25 by default"),
) -> ListQuery:
    return ListQuery(
        search=search,
        category=category,
        active=_flag(active, "active"),
        sort=sort or "name",
        descending=bool(_flag(descending, "descending")),
        page=_whole(page, "page", 1),
        page_size=_whole(page_size, "page_size", 25, high=MAX_PAGE_SIZE),
    )


# --- CSV, matching, spelling --------------------------------------------------------------------------------


CSV_BODY = {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}


@router.post(  # declared before /products/{product_id}: order matters
    "/{kind}/import", response_model=None, responses=errors(413, 422), openapi_extra={"requestBody": CSV_BODY}
)
async def import_csv(
    kind: Kind,
    request: Request,
    dry_run: bool = False,
    p: ApiPrincipal = Depends(write),
    s: Session = Depends(db_session),
) -> dict[str, Any] | JSONResponse:
    """The CSV file is the request body (text/csv); nothing is written unless every row is valid — else
    422 with every row's problem in `error.details`, as the knowledge import answers."""
    content = await request.body()
    if len(content) > MAX_IMPORT_BYTES:
        return JSONResponse(
            {"error": {"status": 413, "message": f"the file is larger than {MAX_IMPORT_BYTES} bytes"}},
            status_code=413,
        )
    importer = csv_io.import_products_csv if kind == "products" else csv_io.import_services_csv
    report = await run_in_threadpool(
        importer, s, p.tenant_id, content, dry_run=dry_run, actor_label=API_ACTOR
    )
    body = {**report.to_dict(), "ok": report.ok}
    if not report.ok:
        message = "the file has problems; nothing was imported"
        return JSONResponse({"error": {"status": 422, "message": message, "details": body}}, status_code=422)
    return body


@router.get("/{kind}/export", response_class=PlainTextResponse)
def export_csv(kind: Kind, p: ApiPrincipal = Depends(read), s: Session = Depends(db_session)) -> Any:
    exporter = csv_io.export_products_csv if kind == "products" else csv_io.export_services_csv
    return PlainTextResponse(exporter(s, p.tenant_id), media_type="text/csv")


@router.get("/match")
def match(
    text: str | None = None,
    kind: str | None = Query(default=None, description="all (default), product or service"),
    limit: str | None = Query(default=None, description=f"1 to {MAX_MATCH_LIMIT}; 5 by default"),
    p: ApiPrincipal = Depends(read),
    s: Session = Depends(db_session),
) -> dict[str, Any]:
    """Which products/services a customer's sentence names, ranked, with confidence."""
    text = (text or "").strip()
    if not text:
        raise CatalogError("is required", field="text")
    count = _whole(limit, "limit", 5, high=MAX_MATCH_LIMIT)
    finders = {
        "all": matcher.match_catalog,
        "product": matcher.match_product,
        "service": matcher.match_service,
    }
    find = finders.get(kind or "all")
    if find is None:
        raise CatalogError("must be 'all', 'product' or 'service'", field="kind")
    return {"text": text, "matches": [m.to_dict() for m in find(s, p.tenant_id, text, count)]}


@router.get("/spelling")
def correct_spelling(
    text: str = "", p: ApiPrincipal = Depends(read), s: Session = Depends(db_session)
) -> dict[str, Any]:
    """The corrected text, its proposals and what needs the customer's confirmation."""
    result = spelling.correct_spelling(s, p.tenant_id, text)
    return {**result.to_dict(), "question": result.confirmation_question()}


# --- Products -----------------------------------------------------------------------------------------------


@router.get("/products")
def list_products(
    q: ListQuery = Depends(list_query),
    in_stock: str | None = Query(default=None, description="true or false"),
    p: ApiPrincipal = Depends(read),
    s: Session = Depends(db_session),
) -> dict[str, Any]:
    page = products.list_products(
        s,
        p.tenant_id,
        search=q.search,
        category=q.category,
        in_stock=_flag(in_stock, "in_stock"),
        active=q.active,
        sort=q.sort,
        descending=q.descending,
        page=q.page,
        page_size=q.page_size,
    )
    return page.to_dict()


@router.post("/products", status_code=201)
def create_product(
    body: dict[str, Any] = Body(...), p: ApiPrincipal = Depends(write), s: Session = Depends(db_session)
) -> dict[str, Any]:
    return products.create_product(s, p.tenant_id, _bounded(body), actor_label=API_ACTOR).to_dict()


@router.get("/products/{product_id}")
def get_product(
    product_id: Id, p: ApiPrincipal = Depends(read), s: Session = Depends(db_session)
) -> dict[str, Any]:
    return products.get_product(s, p.tenant_id, product_id).to_dict()


@router.patch("/products/{product_id}")
def update_product(
    product_id: Id,
    body: dict[str, Any] = Body(...),
    p: ApiPrincipal = Depends(write),
    s: Session = Depends(db_session),
) -> dict[str, Any]:
    changed = products.update_product(s, p.tenant_id, product_id, _bounded(body), actor_label=API_ACTOR)
    return changed.to_dict()


@router.delete("/products/{product_id}")
def delete_product(
    product_id: Id, p: ApiPrincipal = Depends(write), s: Session = Depends(db_session)
) -> dict[str, Any]:
    products.delete_product(s, p.tenant_id, product_id, actor_label=API_ACTOR)
    return {"deleted": True, "id": product_id}


# --- Services -----------------------------------------------------------------------------------------------


@router.get("/services")
def list_services(
    q: ListQuery = Depends(list_query),
    bookable: str | None = Query(default=None, description="true or false"),
    p: ApiPrincipal = Depends(read),
    s: Session = Depends(db_session),
) -> dict[str, Any]:
    page = services.list_services(
        s,
        p.tenant_id,
        search=q.search,
        category=q.category,
        bookable=_flag(bookable, "bookable"),
        active=q.active,
        sort=q.sort,
        descending=q.descending,
        page=q.page,
        page_size=q.page_size,
    )
    return page.to_dict()


@router.post("/services", status_code=201)
def create_service(
    body: dict[str, Any] = Body(...), p: ApiPrincipal = Depends(write), s: Session = Depends(db_session)
) -> dict[str, Any]:
    return services.create_service(s, p.tenant_id, _bounded(body), actor_label=API_ACTOR).to_dict()


@router.get("/services/{service_id}")
def get_service(
    service_id: Id, p: ApiPrincipal = Depends(read), s: Session = Depends(db_session)
) -> dict[str, Any]:
    return services.get_service(s, p.tenant_id, service_id).to_dict()


@router.patch("/services/{service_id}")
def update_service(
    service_id: Id,
    body: dict[str, Any] = Body(...),
    p: ApiPrincipal = Depends(write),
    s: Session = Depends(db_session),
) -> dict[str, Any]:
    changed = services.update_service(s, p.tenant_id, service_id, _bounded(body), actor_label=API_ACTOR)
    return changed.to_dict()


@router.delete("/services/{service_id}")
def delete_service(
    service_id: Id, p: ApiPrincipal = Depends(write), s: Session = Depends(db_session)
) -> dict[str, Any]:
    services.delete_service(s, p.tenant_id, service_id, actor_label=API_ACTOR)
    return {"deleted": True, "id": service_id}


__all__ = ["catalog_error", "router"]
