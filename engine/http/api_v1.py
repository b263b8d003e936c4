"""REST API v1: tenant-scoped, bearer-token authenticated, scope-checked. Each domain adds its router."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlmodel import Session

from engine.accounts.api_tokens import ApiPrincipal
from engine.accounts.tenants import tenant_info
from engine.catalog.errors import CatalogError, CatalogNotFound
from engine.http import catalog_api
from engine.http.deps import db_session, require_scope
from engine.http.knowledge_api import router as knowledge_router
from engine.models import Tenant
from engine.security.scopes import Scope


def _error(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, HTTPException):
        return JSONResponse(
            {"error": {"status": exc.status_code, "message": exc.detail}},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(
        {"error": {"status": 422, "message": "invalid request", "details": exc.errors()}},
        status_code=422,
    )


def create_api() -> FastAPI:
    """A sub-application so /api/v1 has its own OpenAPI document and JSON error bodies."""
    api = FastAPI(
        title="Parley API",
        version="1",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    api.add_exception_handler(HTTPException, _error)
    api.add_exception_handler(RequestValidationError, _error)
    api.include_router(tenant_router)
    api.include_router(catalog_api.router)
    api.include_router(knowledge_router)
    api.add_exception_handler(CatalogError, catalog_api.catalog_error)
    api.add_exception_handler(CatalogNotFound, catalog_api.catalog_error)
    return api


tenant_router = APIRouter(tags=["tenant"])


def _tenant_body(session: Session, tenant_id: int) -> dict[str, object]:
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise HTTPException(404, detail="tenant not found")
    info = tenant_info(session, tenant)
    return {"id": info.id, "name": info.name, "slug": info.slug, "whatsapp_senders": info.whatsapp_senders}


@tenant_router.get("/tenant")
def current_tenant(
    principal: ApiPrincipal = Depends(require_scope(Scope.ANALYTICS_VIEW.value)),
    session: Session = Depends(db_session),
) -> dict[str, object]:
    """The tenant this token belongs to (a cheap way to check a token and its scope)."""
    return _tenant_body(session, principal.tenant_id)


@tenant_router.get("/tenants/{tenant_id}")
def tenant_by_id(
    tenant_id: int,
    principal: ApiPrincipal = Depends(require_scope(Scope.ANALYTICS_VIEW.value)),
    session: Session = Depends(db_session),
) -> dict[str, object]:
    """A tenant by id: only the token's own (another tenant's id is refused with 403)."""
    return _tenant_body(session, principal.tenant_id)
