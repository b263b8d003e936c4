"""A shop's webhook endpoints: register, change, rotate the secret, pause or resume, remove.

The secret is shown once — returned by `create` and `rotate_secret`, never by a read — and kept encrypted.
Every change is checked here (`validate_…`), so the console and the REST API refuse the same things with the
same words, and each change leaves an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete as sql_delete
from sqlmodel import Session

from engine.accounts import audit
from engine.db import TenantScope
from engine.integrations import signing
from engine.integrations.catalog import EVENT_TYPES
from engine.integrations.transport import check_url
from engine.models import WebhookDelivery, WebhookEndpoint, utcnow
from engine.security import outbound

NAME_MAX = 120
URL_MAX = 500
MAX_ENDPOINTS = 20


class IntegrationError(ValueError):
    """A change refused; `field` names the form field, the message fits beside it."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class EndpointView:
    """An endpoint as Settings and the API show it (never the secret)."""

    id: int
    name: str
    url: str
    events: list[str]
    include_customer_text: bool
    is_active: bool
    disabled_reason: str | None
    failing_since: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Created:
    endpoint: EndpointView
    secret: str  # shown once


def view(row: WebhookEndpoint) -> EndpointView:
    return EndpointView(
        id=int(row.id or 0),
        name=row.name,
        url=row.url,
        events=list(row.events),
        include_customer_text=row.include_customer_text,
        is_active=row.is_active,
        disabled_reason=row.disabled_reason,
        failing_since=row.failing_since,
        created_at=row.created_at,
    )


def validate_name(name: str) -> str:
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise IntegrationError("Give the endpoint a name, such as “Our CRM”.", "name")
    if len(cleaned) > NAME_MAX:
        raise IntegrationError(f"Keep the name under {NAME_MAX} characters.", "name")
    return cleaned


def validate_url(url: str, resolve: outbound.Resolver = outbound.system_resolver) -> str:
    if len((url or "").strip()) > URL_MAX:
        raise IntegrationError(f"The URL is longer than {URL_MAX} characters.", "url")
    try:
        return check_url(url or "", resolve)
    except outbound.OutboundRefused as exc:
        raise IntegrationError(f"This URL can't receive events: {exc}.", "url") from exc
    except outbound.OutboundFailed as exc:
        raise IntegrationError(f"This URL can't receive events: {exc}.", "url") from exc
    except Exception as exc:  # httpx.InvalidURL and friends: a malformed address
        raise IntegrationError(
            "This is not a web address: it should look like https://example.com/hook.", "url"
        ) from exc


def validate_events(events: list[str]) -> list[str]:
    chosen = [e.strip() for e in events if e and e.strip()]
    if not chosen:
        raise IntegrationError("Pick at least one event to send.", "events")
    unknown = [e for e in chosen if e not in EVENT_TYPES]
    if unknown:
        raise IntegrationError(
            f"Unknown event {unknown[0]!r}; choose from {', '.join(EVENT_TYPES)}.", "events"
        )
    return [e for e in EVENT_TYPES if e in chosen]  # one order everywhere


def list_endpoints(session: Session, tenant_id: int) -> list[EndpointView]:
    rows = TenantScope(session, tenant_id).all(WebhookEndpoint)
    return [view(r) for r in sorted(rows, key=lambda r: int(r.id or 0))]


def get(session: Session, tenant_id: int, endpoint_id: int) -> EndpointView:
    return view(TenantScope(session, tenant_id).require(WebhookEndpoint, endpoint_id))


def create(
    session: Session,
    tenant_id: int,
    *,
    name: str,
    url: str,
    events: list[str],
    include_customer_text: bool = False,
    user_id: int | None = None,
    resolve: outbound.Resolver = outbound.system_resolver,
) -> Created:
    scope = TenantScope(session, tenant_id)
    if len(scope.all(WebhookEndpoint)) >= MAX_ENDPOINTS:
        raise IntegrationError(f"A shop can have up to {MAX_ENDPOINTS} endpoints; remove one first.")
    secret = signing.new_secret()
    row = scope.add(
        WebhookEndpoint(
            name=validate_name(name),
            url=validate_url(url, resolve),
            events=validate_events(events),
            include_customer_text=bool(include_customer_text),
            secret=secret,
            created_by_user_id=user_id,
        )
    )
    _audit(session, tenant_id, "webhook.create", row, user_id)
    return Created(view(row), secret)


def update(
    session: Session,
    tenant_id: int,
    endpoint_id: int,
    *,
    name: str | None = None,
    url: str | None = None,
    events: list[str] | None = None,
    include_customer_text: bool | None = None,
    is_active: bool | None = None,
    user_id: int | None = None,
    resolve: outbound.Resolver = outbound.system_resolver,
) -> EndpointView:
    """Change what is given. Turning an endpoint back on clears its disabled notice and failure clock."""
    row = TenantScope(session, tenant_id).require(WebhookEndpoint, endpoint_id)
    if name is not None:
        row.name = validate_name(name)
    if url is not None:
        row.url = validate_url(url, resolve)
    if events is not None:
        row.events = validate_events(events)
    if include_customer_text is not None:
        row.include_customer_text = bool(include_customer_text)
    if is_active is not None:
        row.is_active = bool(is_active)
        if is_active:
            row.disabled_reason = None
            row.failing_since = None
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    _audit(session, tenant_id, "webhook.update", row, user_id)
    return view(row)


def rotate_secret(session: Session, tenant_id: int, endpoint_id: int, *, user_id: int | None = None) -> str:
    """A new secret, effective for the next delivery; the old one stops verifying at once."""
    row = TenantScope(session, tenant_id).require(WebhookEndpoint, endpoint_id)
    row.secret = signing.new_secret()
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    _audit(session, tenant_id, "webhook.rotate_secret", row, user_id)
    return row.secret


def delete(session: Session, tenant_id: int, endpoint_id: int, *, user_id: int | None = None) -> None:
    """Gone, with its delivery log (the outbox rows stay for other endpoints)."""
    scope = TenantScope(session, tenant_id)
    row = scope.require(WebhookEndpoint, endpoint_id)
    _audit(session, tenant_id, "webhook.delete", row, user_id)
    session.execute(
        sql_delete(WebhookDelivery).where(
            WebhookDelivery.tenant_id == tenant_id,  # type: ignore[arg-type]
            WebhookDelivery.endpoint_id == endpoint_id,  # type: ignore[arg-type]
        )
    )
    scope.delete(row)


def _audit(session: Session, tenant_id: int, action: str, row: WebhookEndpoint, user_id: int | None) -> None:
    audit.record(
        session,
        tenant_id,
        action,
        actor_user_id=user_id,
        actor_label="staff" if user_id else "system",
        target_type="webhook_endpoint",
        target_id=row.id,
        details={"name": row.name, "url": row.url, "events": list(row.events)},
    )


__all__ = [
    "Created",
    "EndpointView",
    "IntegrationError",
    "create",
    "delete",
    "get",
    "list_endpoints",
    "rotate_secret",
    "update",
    "validate_events",
    "validate_name",
    "validate_url",
]
