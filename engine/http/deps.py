"""Request dependencies: a database unit of work and bearer-token principals with scope checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from fastapi import Depends, HTTPException, Request, status
from sqlmodel import Session

from engine.accounts import api_tokens
from engine.accounts.api_tokens import ApiPrincipal
from engine.accounts.errors import AuthenticationFailed, Forbidden
from engine.db import session_scope


def db_session() -> Iterator[Session]:
    with session_scope() as session:
        yield session


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def require_scope(scope: str) -> Callable[..., ApiPrincipal]:
    """Dependency factory: a valid token of this tenant that carries `scope`, or 401/403 with a reason."""

    def dependency(request: Request, session: Session = Depends(db_session)) -> ApiPrincipal:
        try:
            principal = api_tokens.authenticate(session, _bearer(request))
        except AuthenticationFailed as exc:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                detail=str(exc),
                headers={"WWW-Authenticate": "Bearer"},
            ) from exc
        path_tenant = request.path_params.get("tenant_id")
        try:
            api_tokens.require_scope(
                principal, scope, tenant_id=int(path_tenant) if path_tenant is not None else None
            )
        except Forbidden as exc:
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=str(exc)) from exc
        return principal

    return dependency
