"""REST: /api/v1/integrations — the shop's webhook endpoints, their secrets, test deliveries and the log.

Scope `integrations:manage`. Through engine.integrations, as Settings → Integrations does: the same checks in
the same words (422 naming the field), the secret shown once (create, rotate-secret) and never read back.
A test delivery is sent while the request waits, so its answer says how the endpoint answered; every other
delivery runs on the worker. docs/webhooks.md is the guide.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from engine.accounts.api_tokens import ApiPrincipal
from engine.accounts.token_roles import token_holder
from engine.db import session_scope
from engine.http.api_docs import errors
from engine.http.deps import db_session
from engine.http.paging import Id, Limit
from engine.http.settings_common import manage, refused
from engine.integrations import delivery, endpoints, log
from engine.integrations.catalog import EVENT_TYPES
from engine.security import rate_limits

router = APIRouter(prefix="/integrations", tags=["integrations"])
TEST_RATE = "10/minute"  # per tenant: a test delivery makes the server POST to an address the caller chose
EVENTS_NOTE = "event types: " + ", ".join(EVENT_TYPES)


class EventType(BaseModel):
    type: str
    description: str


class Endpoint(BaseModel):
    id: int
    name: str
    url: str
    events: list[str] = Field(description=EVENTS_NOTE)
    include_customer_text: bool = Field(description="the customer's own words are sent only when true")
    active: bool
    disabled_reason: str | None = Field(description="why Parley turned it off (a day of failed deliveries)")
    failing_since: datetime | None
    created_at: datetime


class EndpointCreated(Endpoint):
    secret: str = Field(description="the signing secret, shown this once: keep it in your receiver")


class EndpointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200, description="what the shop calls it, e.g. Our CRM")
    url: str = Field(max_length=600, description="a public https:// address")
    events: list[str] = Field(max_length=20, description=EVENTS_NOTE)
    include_customer_text: bool = False


class EndpointUpdate(BaseModel):
    """Any subset; the others stay as they are. `active: true` clears a disabled notice."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=600)
    events: list[str] | None = Field(default=None, max_length=20, description=EVENTS_NOTE)
    include_customer_text: bool | None = None
    active: bool | None = None


class Secret(BaseModel):
    secret: str = Field(description="the new signing secret, shown this once; the old one stops verifying")


class Deleted(BaseModel):
    deleted: bool


class Delivery(BaseModel):
    id: int
    event_id: str = Field(description="the same on every try and resend: de-duplicate on it")
    event_type: str
    status: str = Field(description="pending (waiting to retry) · delivering · delivered · failed")
    attempts: int
    status_code: int | None = Field(description="the endpoint's last HTTP status (none: no answer)")
    latency_ms: int | None
    response_excerpt: str | None = Field(description="the start of the endpoint's last answer")
    error: str | None
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime | None


class DeliveryPage(BaseModel):
    items: list[Delivery]
    total: int


def _endpoint(view: endpoints.EndpointView) -> Endpoint:
    return Endpoint(
        id=view.id,
        name=view.name,
        url=view.url,
        events=view.events,
        include_customer_text=view.include_customer_text,
        active=view.is_active,
        disabled_reason=view.disabled_reason,
        failing_since=view.failing_since,
        created_at=view.created_at,
    )


def _delivery(line: log.DeliveryLine) -> Delivery:
    return Delivery(
        id=line.id,
        event_id=line.event_id,
        event_type=line.event_type,
        status=line.status,
        attempts=line.attempts,
        status_code=line.status_code,
        latency_ms=line.latency_ms,
        response_excerpt=line.response_excerpt,
        error=line.error,
        created_at=line.created_at,
        delivered_at=line.delivered_at,
        next_attempt_at=line.next_attempt_at,
    )


def _refused(exc: endpoints.IntegrationError) -> Exception:
    return refused(422, [(exc.field or "body", str(exc))])


def _user(session: Session, principal: ApiPrincipal) -> int | None:
    return token_holder(session, principal.tenant_id, principal.token_id).user_id


@router.get("/events")
def list_events(principal: ApiPrincipal = Depends(manage)) -> list[EventType]:
    """The event types an endpoint can subscribe to."""
    return [EventType(type=t, description=d) for t, d in EVENT_TYPES.items()]


@router.get("/endpoints")
def list_endpoints(
    principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> list[Endpoint]:
    """The workspace's endpoints, oldest first (never their secrets)."""
    return [_endpoint(v) for v in endpoints.list_endpoints(session, principal.tenant_id)]


@router.post("/endpoints", status_code=201, responses=errors(422))
def create_endpoint(
    body: EndpointCreate, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> EndpointCreated:
    """Register an endpoint; the answer holds its signing secret, shown this once. A private or unresolvable
    address is refused (422 on `url`)."""
    try:
        created = endpoints.create(
            session,
            principal.tenant_id,
            name=body.name,
            url=body.url,
            events=body.events,
            include_customer_text=body.include_customer_text,
            user_id=_user(session, principal),
        )
    except endpoints.IntegrationError as exc:
        raise _refused(exc) from exc
    return EndpointCreated(**_endpoint(created.endpoint).model_dump(), secret=created.secret)


@router.get("/endpoints/{endpoint_id}")
def get_endpoint(
    endpoint_id: Id, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> Endpoint:
    return _endpoint(endpoints.get(session, principal.tenant_id, endpoint_id))


@router.patch("/endpoints/{endpoint_id}", responses=errors(422))
def update_endpoint(
    endpoint_id: Id,
    body: EndpointUpdate,
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
) -> Endpoint:
    """Change the fields given; 422 names a refused field and nothing is saved."""
    try:
        view = endpoints.update(
            session,
            principal.tenant_id,
            endpoint_id,
            name=body.name,
            url=body.url,
            events=body.events,
            include_customer_text=body.include_customer_text,
            is_active=body.active,
            user_id=_user(session, principal),
        )
    except endpoints.IntegrationError as exc:
        raise _refused(exc) from exc
    return _endpoint(view)


@router.delete("/endpoints/{endpoint_id}")
def delete_endpoint(
    endpoint_id: Id, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> Deleted:
    """Remove the endpoint and its delivery log (audited)."""
    endpoints.delete(session, principal.tenant_id, endpoint_id, user_id=_user(session, principal))
    return Deleted(deleted=True)


@router.post("/endpoints/{endpoint_id}/rotate-secret")
def rotate_secret(
    endpoint_id: Id, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> Secret:
    """A new signing secret, shown this once; the old one stops verifying with the next delivery."""
    secret = endpoints.rotate_secret(
        session, principal.tenant_id, endpoint_id, user_id=_user(session, principal)
    )
    return Secret(secret=secret)


@router.post("/endpoints/{endpoint_id}/test", responses=errors(409))
def send_test(endpoint_id: Id, principal: ApiPrincipal = Depends(manage)) -> Delivery:
    """Send a test event now and answer with how the endpoint answered. At most 10 a minute per workspace
    (429 past that); 409 while the endpoint is turned off."""
    limited = rate_limits.hit(f"integrations-test:{principal.tenant_id}", TEST_RATE)
    if limited is not None:
        raise HTTPException(
            429, detail=f"at most {TEST_RATE} test deliveries", headers={"Retry-After": limited.header}
        )
    with session_scope() as session:
        try:
            delivery_id = delivery.send_test(session, principal.tenant_id, endpoint_id)
        except delivery.DeliveryError as exc:
            raise HTTPException(409, detail=str(exc)) from exc
    delivery.deliver_one(delivery_id)
    return _line(principal.tenant_id, delivery_id)


@router.get("/endpoints/{endpoint_id}/deliveries")
def list_deliveries(
    endpoint_id: Id,
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
    limit: Limit = 25,
    offset: int = Query(default=0, ge=0, le=100_000, description="deliveries to skip"),
) -> DeliveryPage:
    """The endpoint's delivery log, newest first: status, tries, the endpoint's answer and its time."""
    page = log.deliveries(session, principal.tenant_id, endpoint_id, limit=limit, offset=offset)
    return DeliveryPage(items=[_delivery(line) for line in page.lines], total=page.total)


@router.post("/deliveries/{delivery_id}/resend", status_code=202, responses=errors(409))
def resend(
    delivery_id: Id, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> Delivery:
    """Send that delivery's event again (same event id) as a new line of the log; the worker sends it within
    seconds. 409 while the endpoint is turned off."""
    try:
        new_id = delivery.resend(session, principal.tenant_id, delivery_id)
    except delivery.DeliveryError as exc:
        raise HTTPException(409, detail=str(exc)) from exc
    session.flush()
    return _delivery(log.delivery(session, principal.tenant_id, new_id))


def _line(tenant_id: int, delivery_id: int) -> Delivery:
    with session_scope() as session:
        return _delivery(log.delivery(session, tenant_id, delivery_id))


__all__ = ["router"]
