"""REST API v1: tenant-scoped, bearer-token authenticated, scope-checked. Each domain adds its router.

This module assembles the sub-application: the routers, the input hygiene in front of them
(engine.http.api_edge), the mapping of the services' errors to statuses in one JSON shape, and the OpenAPI
document (engine.http.api_docs). Services raise their own errors and know nothing of HTTP; they are mapped
here: NotFound → 404 (another tenant's id answers exactly like a missing one), a refused value → 422 naming
the field, a refused change of state → 409.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlmodel import Session

from engine.accounts.api_tokens import ApiPrincipal
from engine.accounts.tenants import tenant_info
from engine.agent.persona import PersonaValidationError
from engine.catalog.errors import CatalogError, CatalogNotFound
from engine.conversations.customers import CustomerError
from engine.conversations.lifecycle import ConversationActionError
from engine.db import NotFound
from engine.http import (
    agent_config_api,
    api_docs,
    campaigns_api,
    catalog_api,
    conversations_api,
    customers_api,
)
from engine.http.analytics_api import router as analytics_router
from engine.http.api_edge import CleanInput
from engine.http.deps import db_session, require_scope
from engine.http.integrations_api import router as integrations_router
from engine.http.knowledge_api import router as knowledge_router
from engine.http.paging import Id
from engine.http.settings_api import install as install_settings
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
        {"error": {"status": 422, "message": "invalid request", "details": _jsonable(exc.errors())}},
        status_code=422,
    )


def _jsonable(details: Any) -> Any:
    """Validation errors echo the input and may hold a ValueError in `ctx`: keep them JSON."""
    return json.loads(json.dumps(details, default=str))


def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    """The services' refusals, as statuses (see the module docstring)."""
    if isinstance(exc, NotFound):
        return _json(404, str(exc) or "not found")
    if isinstance(exc, PersonaValidationError):
        details = [{"field": p.field, "message": p.message} for p in exc.problems]
        return _json(422, str(exc), details)
    if isinstance(exc, CustomerError):
        return _json(422, str(exc), [{"field": exc.field, "message": exc.message}])
    if isinstance(exc, ConversationActionError):
        text = str(exc)
        if text.startswith("the reply"):
            return _json(422, text, [{"field": "text", "message": text}])
        if text.startswith("unknown"):
            return _json(422, text)
        return _json(409, text)
    raise exc


def _json(status: int, message: str, details: Any = None) -> JSONResponse:
    error: dict[str, Any] = {"status": status, "message": message}
    if details is not None:
        error["details"] = details
    return JSONResponse({"error": error}, status_code=status)


DESCRIPTION = """Parley's REST API: the agent's configuration, conversations, customers, knowledge and catalog
of the tenant a token belongs to. Send `Authorization: Bearer <token>`; each operation names the scope it
needs. Errors are JSON: `{"error": {"status", "message", "details"}}`. Guide: docs/api.md."""


def create_api() -> FastAPI:
    """A sub-application so /api/v1 has its own OpenAPI document and JSON error bodies."""
    api = FastAPI(
        title="Parley API",
        version="1",
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    api.add_exception_handler(HTTPException, _error)
    api.add_exception_handler(RequestValidationError, _error)
    for error in (NotFound, PersonaValidationError, CustomerError, ConversationActionError):
        api.add_exception_handler(error, _domain_error)
    api.include_router(tenant_router)
    api.include_router(agent_config_api.router)
    api.include_router(conversations_api.router)
    api.include_router(customers_api.router)
    api.include_router(campaigns_api.router)
    api.include_router(analytics_router)
    api.include_router(catalog_api.router)
    api.include_router(knowledge_router)
    api.include_router(integrations_router)
    install_settings(api)
    api.add_exception_handler(CatalogError, catalog_api.catalog_error)
    api.add_exception_handler(CatalogNotFound, catalog_api.catalog_error)
    api.add_middleware(CleanInput)
    api_docs.install(api)
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
    tenant_id: Id,
    principal: ApiPrincipal = Depends(require_scope(Scope.ANALYTICS_VIEW.value)),
    session: Session = Depends(db_session),
) -> dict[str, object]:
    """A tenant by id: only the token's own (another tenant's id is refused with 403)."""
    return _tenant_body(session, principal.tenant_id)
