"""Request dependencies: a database unit of work and bearer-token principals with scope checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from fastapi import Depends, HTTPException, Request, Security, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from engine.accounts import api_tokens
from engine.accounts.api_tokens import ApiPrincipal
from engine.accounts.errors import AuthenticationFailed, Forbidden
from engine.db import session_scope


def db_session() -> Iterator[Session]:
    with session_scope() as session:
        yield session


# Declared as a security dependency so the OpenAPI document carries the scheme and, on every route that
# needs a token, its security requirement; auto_error=False: the 401 keeps the API's own error body.
bearer = HTTPBearer(
    scheme_name="bearerAuth",
    bearerFormat="prl_…",
    description="An API token (Settings → API tokens, or `python -m engine create-api-token`).",
    auto_error=False,
)


def require_scope(scope: str) -> Callable[..., ApiPrincipal]:
    """Dependency factory: a valid token of this tenant that carries `scope`, or 401/403 with a reason.

    The scope is kept on the dependency (`.scope`) so the OpenAPI document can name it on each route."""

    def dependency(
        request: Request,
        credentials: HTTPAuthorizationCredentials | None = Security(bearer),
        session: Session = Depends(db_session),
    ) -> ApiPrincipal:
        token = credentials.credentials.strip() if credentials is not None else None
        try:
            principal = api_tokens.authenticate(session, token or None)
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

    dependency.scope = scope  # type: ignore[attr-defined]
    return dependency
