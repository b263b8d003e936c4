"""API tokens for /api/v1: scoped to one tenant, stored hashed, shown once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from engine.accounts import audit
from engine.accounts.errors import AccountError, AuthenticationFailed, Forbidden
from engine.db import TenantScope
from engine.models import ApiToken, utcnow
from engine.security.scopes import parse_api_scopes
from engine.security.tokens import API_TOKEN_PREFIX, hash_token, new_token


@dataclass(frozen=True)
class TokenInfo:
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


@dataclass(frozen=True)
class IssuedToken:
    info: TokenInfo
    token: str  # the only time the secret exists outside the caller's hands


@dataclass(frozen=True)
class ApiPrincipal:
    tenant_id: int
    token_id: int
    scopes: frozenset[str]


def _info(row: ApiToken) -> TokenInfo:
    assert row.id is not None
    return TokenInfo(
        id=row.id,
        name=row.name,
        prefix=row.token_prefix,
        scopes=list(row.scopes),
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked=row.revoked_at is not None,
    )


def create_token(
    session: Session,
    tenant_id: int,
    *,
    name: str,
    scopes: list[str] | str,
    created_by_user_id: int | None = None,
    expires_at: datetime | None = None,
) -> IssuedToken:
    name = name.strip()
    if not name or len(name) > 80:
        raise AccountError("token name must be 1-80 characters")
    try:
        parsed = parse_api_scopes(scopes)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc
    token = new_token(API_TOKEN_PREFIX)
    row = TenantScope(session, tenant_id).add(
        ApiToken(
            name=name,
            token_prefix=token[:10],
            token_hash=hash_token(token),
            scopes=parsed,
            created_by_user_id=created_by_user_id,
            expires_at=expires_at,
        )
    )
    audit.record(
        session,
        tenant_id,
        "api_token.created",
        actor_user_id=created_by_user_id,
        target_type="api_token",
        target_id=row.id,
        details={"name": name, "scopes": parsed},
    )
    return IssuedToken(info=_info(row), token=token)


def list_tokens(session: Session, tenant_id: int) -> list[TokenInfo]:
    scope = TenantScope(session, tenant_id)
    rows = session.exec(scope.select(ApiToken).order_by(ApiToken.created_at.desc())).all()
    return [_info(r) for r in rows]


def revoke_token(
    session: Session, tenant_id: int, token_id: int, *, actor_user_id: int | None = None
) -> None:
    row = TenantScope(session, tenant_id).get(ApiToken, token_id)
    if row is None:
        raise AccountError("no such token")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        audit.record(
            session,
            tenant_id,
            "api_token.revoked",
            actor_user_id=actor_user_id,
            target_type="api_token",
            target_id=token_id,
        )


def authenticate(session: Session, token: str | None) -> ApiPrincipal:
    if not token:
        raise AuthenticationFailed("missing bearer token")
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).first()
    if row is None:
        raise AuthenticationFailed("invalid API token")
    if row.revoked_at is not None:
        raise AuthenticationFailed("this API token has been revoked")
    if row.expires_at is not None and row.expires_at <= utcnow():
        raise AuthenticationFailed("this API token has expired")
    assert row.id is not None
    row.last_used_at = utcnow()
    session.add(row)
    return ApiPrincipal(tenant_id=row.tenant_id, token_id=row.id, scopes=frozenset(row.scopes))


def require_scope(principal: ApiPrincipal, scope: str, *, tenant_id: int | None = None) -> None:
    if scope not in principal.scopes:
        raise Forbidden(f"this token lacks the scope {scope!r}")
    if tenant_id is not None and tenant_id != principal.tenant_id:
        raise Forbidden("this token belongs to another tenant")
