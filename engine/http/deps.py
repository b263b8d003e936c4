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
from engine.security import rate_limits

# Requests one token may make: enough for a busy integration syncing, low enough that a leaked token or a
# runaway loop cannot crowd out the tenant's staff. Counted per token, across processes when Redis is set.
API_TOKEN_RATE = "600/minute"


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


def _path_tenant(value: str | None) -> int | None:
    """The tenant a path names, when it is a number; anything else is the route's 422, not ours to parse."""
    return int(value) if value is not None and value.isdigit() and len(value) <= 12 else None


def require_scope(scope: str) -> Callable[..., ApiPrincipal]:
    """Dependency factory: a valid token of this tenant that carries `scope`, or 401/403 with a reason, or
    429 with Retry-After once the token has made API_TOKEN_RATE requests (counted before checked).

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
        request.state.tenant_id = principal.tenant_id  # named in the request's log event (http/observe.py)
        refused = rate_limits.hit(f"api-token:{principal.token_id}", API_TOKEN_RATE)
        if refused is not None:
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                detail=f"rate limit exceeded: {API_TOKEN_RATE} per token",
                headers={"Retry-After": refused.header},
            )
        path_tenant = request.path_params.get("tenant_id")
        try:
            api_tokens.require_scope(principal, scope, tenant_id=_path_tenant(path_tenant))
        except Forbidden as exc:
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=str(exc)) from exc
        return principal

    dependency.scope = scope  # type: ignore[attr-defined]
    return dependency
