"""REST: /api/v1/knowledge — entries, search and imports for the token's tenant (scope integrations:manage).

Another tenant's entry answers 404 exactly like a missing one. Bad input answers 422 in the API's error
shape; imports put their per-row report in `error.details`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path, Query, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from engine.accounts.api_tokens import ApiPrincipal
from engine.db import NotFound
from engine.http.deps import db_session, require_scope
from engine.http.paging import MAX_ID, MAX_PAGE, Id
from engine.knowledge import documents, importing, service
from engine.knowledge.types import ENTRY_TYPES, KnowledgeError, KnowledgeIndexError
from engine.security.scopes import Scope

router = APIRouter(prefix="/knowledge", tags=["knowledge"])
manage = require_scope(Scope.INTEGRATIONS_MANAGE.value)


class EntryIn(BaseModel):
    title: str = Field(max_length=200)
    content: str
    entry_type: str = Field(default="faq", description=f"one of {', '.join(ENTRY_TYPES)}")
    category: str | None = None
    keywords: list[str] = Field(default_factory=list)
    priority: int = 0
    is_active: bool = True


class EntryUpdate(BaseModel):
    title: str | None = None
    content: str | None = None
    entry_type: str | None = None
    category: str | None = None
    keywords: list[str] | None = None
    priority: int | None = None
    is_active: bool | None = None
    expected_version: int | None = Field(default=None, description="refuse the save if the entry moved on")


def _unprocessable(message: str, details: Any) -> JSONResponse:
    return JSONResponse({"error": {"status": 422, "message": message, "details": details}}, status_code=422)


def _field_errors(exc: KnowledgeError) -> JSONResponse:
    details = [{"field": e.field, "error": e.error} for e in exc.errors]
    return _unprocessable(str(exc), details)


def _not_found(entry_id: int) -> HTTPException:
    return HTTPException(404, detail=f"knowledge entry {entry_id} not found")


def _index_unavailable(exc: KnowledgeIndexError) -> HTTPException:
    return HTTPException(503, detail=str(exc))


@router.get("")
def list_entries(
    entry_type: str | None = None,
    category: str | None = None,
    active: bool | None = None,
    q: str | None = Query(default=None, description="text contained in title, content, keywords or category"),
    deleted: bool = False,
    page: int = Query(default=1, ge=1, le=MAX_PAGE),
    page_size: int = Query(default=25, ge=1, le=200),
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    result = service.list_entries(
        session,
        principal.tenant_id,
        entry_type=entry_type,
        category=category,
        active=active,
        text=q,
        deleted=deleted,
        page=page,
        page_size=page_size,
    )
    return result.to_dict()


@router.post("", status_code=201, response_model=None)
def create_entry(
    body: EntryIn, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> dict[str, Any] | JSONResponse:
    try:
        return service.create_entry(session, principal.tenant_id, body.model_dump()).to_dict()
    except KnowledgeError as exc:
        return _field_errors(exc)
    except KnowledgeIndexError as exc:
        raise _index_unavailable(exc) from exc


@router.get("/search")
def search(
    q: str = Query(min_length=1, max_length=500),
    limit: int = Query(default=5, ge=1, le=50),
    entry_type: str | None = None,
    category: str | None = None,
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """Hybrid (meaning + words) or, without an embedding model, word search; `mode` says which ran."""
    result = service.search(
        session, principal.tenant_id, q, limit=limit, entry_type=entry_type, category=category
    )
    return result.to_dict()


@router.get("/export")
def export(
    format: Literal["csv", "json"] = "csv",
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
) -> Response:
    body = importing.export_entries(session, principal.tenant_id, format)
    media = "application/json" if format == "json" else "text/csv; charset=utf-8"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="knowledge.{format}"'}
    )


@router.post("/import", response_model=None)
def import_file(
    file: UploadFile = File(..., description="CSV or JSON with title, content, entry_type, category, ..."),
    mode: Literal["append", "replace"] = Form("append"),
    dry_run: bool = Form(False),
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
) -> dict[str, Any] | JSONResponse:
    """All-or-nothing: 422 with every (row, field, error) when any row is bad, and nothing written."""
    data = file.file.read(importing.MAX_IMPORT_BYTES + 1)
    try:
        report = importing.import_entries(
            session,
            principal.tenant_id,
            data,
            filename=file.filename,
            content_type=file.content_type,
            mode=mode,
            dry_run=dry_run,
        )
    except KnowledgeIndexError as exc:
        raise _index_unavailable(exc) from exc
    if not report.ok:
        return _unprocessable(
            f"{len(report.errors)} problem(s) found; nothing was imported", report.to_dict()
        )
    return report.to_dict()


@router.post("/documents", response_model=None)
def import_document(
    file: UploadFile | None = File(default=None),
    url: str | None = Form(default=None),
    category: str | None = Form(default=None),
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
) -> dict[str, Any] | JSONResponse:
    """A PDF, Markdown, text or HTML document (upload or URL) split into entries; re-import replaces."""
    try:
        data = file.file.read(documents.MAX_DOCUMENT_BYTES + 1) if file is not None else None
        result = documents.import_document(
            session,
            principal.tenant_id,
            data=data,
            filename=file.filename if file is not None else None,
            content_type=file.content_type if file is not None else None,
            url=url or None,
            category=category,
        )
    except KnowledgeError as exc:
        return _unprocessable(str(exc), [])
    except KnowledgeIndexError as exc:
        raise _index_unavailable(exc) from exc
    return result.to_dict()


@router.get("/{entry_id}")
def get_entry(
    entry_id: Id, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> dict[str, Any]:
    try:
        return service.get_entry(session, principal.tenant_id, entry_id).to_dict()
    except NotFound as exc:
        raise _not_found(entry_id) from exc


@router.put("/{entry_id}", response_model=None)
def update_entry(
    entry_id: Id,
    body: EntryUpdate,
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
) -> dict[str, Any] | JSONResponse:
    changes = body.model_dump(exclude_unset=True)
    expected = changes.pop("expected_version", None)
    try:
        return service.update_entry(
            session, principal.tenant_id, entry_id, changes, expected_version=expected
        ).to_dict()
    except NotFound as exc:
        raise _not_found(entry_id) from exc
    except KnowledgeError as exc:
        if "changed by someone else" in str(exc):
            raise HTTPException(409, detail=str(exc)) from exc
        return _field_errors(exc)
    except KnowledgeIndexError as exc:
        raise _index_unavailable(exc) from exc


@router.delete("/{entry_id}")
def delete_entry(
    entry_id: Id, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> dict[str, Any]:
    """Soft delete: the entry leaves search at once and can be restored (POST /knowledge/{id}/restore)."""
    try:
        return service.delete_entry(session, principal.tenant_id, entry_id).to_dict()
    except NotFound as exc:
        raise _not_found(entry_id) from exc
    except KnowledgeIndexError as exc:
        raise _index_unavailable(exc) from exc


@router.post("/{entry_id}/restore")
def restore_entry(
    entry_id: Id, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> dict[str, Any]:
    try:
        return service.restore_entry(session, principal.tenant_id, entry_id).to_dict()
    except NotFound as exc:
        raise _not_found(entry_id) from exc
    except KnowledgeIndexError as exc:
        raise _index_unavailable(exc) from exc


@router.get("/{entry_id}/versions")
def list_versions(
    entry_id: Id, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> list[dict[str, Any]]:
    try:
        return [v.to_dict() for v in service.list_versions(session, principal.tenant_id, entry_id)]
    except NotFound as exc:
        raise _not_found(entry_id) from exc


@router.post("/{entry_id}/versions/{version}/restore")
def restore_version(
    entry_id: Id,
    version: Annotated[int, Path(ge=1, le=MAX_ID)],
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """Make an earlier version current again (saved as a new version)."""
    try:
        return service.restore_version(session, principal.tenant_id, entry_id, version).to_dict()
    except NotFound as exc:
        raise HTTPException(404, detail=str(exc)) from exc
    except KnowledgeError as exc:
        raise HTTPException(409, detail=str(exc)) from exc
    except KnowledgeIndexError as exc:
        raise _index_unavailable(exc) from exc
