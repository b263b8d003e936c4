"""REST API v1 catalog routes: thin wrappers over engine.catalog.rest (validation and messages live there).

Reading needs `analytics:view`; writing needs `integrations:manage`.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from engine.accounts.api_tokens import ApiPrincipal
from engine.catalog import rest
from engine.catalog.errors import CatalogError, CatalogNotFound
from engine.http.deps import db_session, require_scope
from engine.security.scopes import Scope

router = APIRouter(prefix="/catalog", tags=["catalog"])
read = require_scope(Scope.ANALYTICS_VIEW.value)
write = require_scope(Scope.INTEGRATIONS_MANAGE.value)
Kind = Literal["products", "services"]

__all__ = ["CatalogError", "CatalogNotFound", "catalog_error", "router"]


def catalog_error(request: Request, exc: Exception) -> JSONResponse:
    """422 naming each field, or 404; raised inside the request, so its unit of work rolls back."""
    status, body = rest.error_response(exc)
    return JSONResponse(body, status_code=status)


@router.post("/{kind}/import")  # declared before /products/{product_id}: order matters
async def import_csv(
    kind: Kind,
    request: Request,
    dry_run: bool = False,
    p: ApiPrincipal = Depends(write),
    s: Session = Depends(db_session),
) -> Any:
    """The CSV file is the request body (text/csv); nothing is written unless every row is valid."""
    content = await request.body()
    return await run_in_threadpool(rest.import_csv, s, p.tenant_id, kind, content, dry_run=dry_run)


@router.get("/{kind}/export", response_class=PlainTextResponse)
def export_csv(kind: Kind, p: ApiPrincipal = Depends(read), s: Session = Depends(db_session)) -> Any:
    return PlainTextResponse(rest.export_csv(s, p.tenant_id, kind), media_type="text/csv")


@router.get("/match")
def match(request: Request, p: ApiPrincipal = Depends(read), s: Session = Depends(db_session)) -> Any:
    """Which products/services a customer's sentence names, with confidence."""
    return rest.match(s, p.tenant_id, dict(request.query_params))


@router.get("/spelling")
def spelling(request: Request, p: ApiPrincipal = Depends(read), s: Session = Depends(db_session)) -> Any:
    return rest.correct(s, p.tenant_id, dict(request.query_params))


@router.get("/products")
def list_products(request: Request, p: ApiPrincipal = Depends(read), s: Session = Depends(db_session)) -> Any:
    return rest.list_products(s, p.tenant_id, dict(request.query_params))


@router.post("/products", status_code=201)
def create_product(
    body: dict[str, Any] = Body(...), p: ApiPrincipal = Depends(write), s: Session = Depends(db_session)
) -> Any:
    return rest.create_product(s, p.tenant_id, body)


@router.get("/products/{product_id}")
def get_product(product_id: int, p: ApiPrincipal = Depends(read), s: Session = Depends(db_session)) -> Any:
    return rest.get_product(s, p.tenant_id, product_id)


@router.patch("/products/{product_id}")
def update_product(
    product_id: int,
    body: dict[str, Any] = Body(...),
    p: ApiPrincipal = Depends(write),
    s: Session = Depends(db_session),
) -> Any:
    return rest.update_product(s, p.tenant_id, product_id, body)


@router.delete("/products/{product_id}")
def delete_product(
    product_id: int, p: ApiPrincipal = Depends(write), s: Session = Depends(db_session)
) -> Any:
    return rest.delete_product(s, p.tenant_id, product_id)


@router.get("/services")
def list_services(request: Request, p: ApiPrincipal = Depends(read), s: Session = Depends(db_session)) -> Any:
    return rest.list_services(s, p.tenant_id, dict(request.query_params))


@router.post("/services", status_code=201)
def create_service(
    body: dict[str, Any] = Body(...), p: ApiPrincipal = Depends(write), s: Session = Depends(db_session)
) -> Any:
    return rest.create_service(s, p.tenant_id, body)


@router.get("/services/{service_id}")
def get_service(service_id: int, p: ApiPrincipal = Depends(read), s: Session = Depends(db_session)) -> Any:
    return rest.get_service(s, p.tenant_id, service_id)


@router.patch("/services/{service_id}")
def update_service(
    service_id: int,
    body: dict[str, Any] = Body(...),
    p: ApiPrincipal = Depends(write),
    s: Session = Depends(db_session),
) -> Any:
    return rest.update_service(s, p.tenant_id, service_id, body)


@router.delete("/services/{service_id}")
def delete_service(
    service_id: int, p: ApiPrincipal = Depends(write), s: Session = Depends(db_session)
) -> Any:
    return rest.delete_service(s, p.tenant_id, service_id)
