"""REST: /api/v1/settings/whatsapp — the Twilio account, the sender numbers, the webhook URLs, the test.

Scope `integrations:manage`. Everything goes through engine.channels.whatsapp.connection, the service the
console's WhatsApp tab and the CLI call: the same refusals in the same words, the same audit rows, and an auth
token change that keeps the old token valid for webhooks until Twilio signs with the new one.

Secrets never leave: the auth token and the API key secret come back as `{"set": true, "ends_with": "1234"}`,
and the account and key SIDs with their middle hidden. A sender is named in the path by its id or its number
(`+14155550100`, or `whatsapp:+14155550100`); another tenant's number or id answers 404.

The connection test fetches the account from Twilio (read-only; honours TWILIO_API_BASE_URL) and answers 200
with the result in words whatever Twilio said: the test ran, its finding is the resource. Without stored
credentials it answers "not_configured" without any network call, which is also what keeps the property-based
API test (tests/engine/http/test_api_fuzz.py, a fresh tenant per operation) off the network.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from engine.accounts.api_tokens import ApiPrincipal
from engine.accounts.errors import AccountError
from engine.accounts.token_roles import token_holder
from engine.channels.whatsapp import connection
from engine.channels.whatsapp.connection import SenderInfo
from engine.db import NotFound
from engine.http.api_docs import errors
from engine.http.deps import db_session
from engine.http.settings_common import (
    API_ACTOR,
    SecretState,
    manage,
    mask_identifier,
    refused,
    secret_state,
)
from engine.security import rate_limits

router = APIRouter(prefix="/settings/whatsapp", tags=["settings"])
TEST_RATE = "10/minute"  # per tenant: each test is a request to Twilio with the tenant's credentials

SenderRef = Annotated[
    str,
    Path(
        pattern=r"^(\d{1,10}|(whatsapp:)?\+\d{6,15})$",
        description="the sender's id, or its number (+14155550100 or whatsapp:+14155550100)",
        examples=["+14155550100"],
    ),
]


class Sender(BaseModel):
    id: int
    address: str = Field(description="as Twilio names it: whatsapp:+E164")
    number: str = Field(description="the number alone, +E164")
    label: str
    is_default: bool = Field(description="the number campaigns and the playground send from")


class WhatsAppSettings(BaseModel):
    connected: bool = Field(description="an account SID and a token (or API key) are stored")
    account_sid: str = Field(description="masked: AC••••cdef ('' when none)")
    auth_token: SecretState
    api_key_sid: str = Field(description="masked: SK••••cdef ('' when none)")
    api_key_secret: SecretState
    previous_token_pending: bool = Field(
        description="a changed auth token not yet confirmed by a webhook: the old one is still accepted"
    )
    senders: list[Sender]
    inbound_webhook_url: str = Field(description="set it as the sender's 'When a message comes in' URL")
    status_webhook_url: str = Field(description="set it as the sender's status callback URL")


class CredentialsUpdate(BaseModel):
    """The account SID (leave out to keep the stored one) and a secret: an auth token, or an API key SID and
    its secret. A secret left out or blank keeps the stored one."""

    model_config = ConfigDict(extra="forbid")

    account_sid: str | None = Field(default=None, max_length=64, description="AC followed by 32 hex digits")
    auth_token: str = Field(default="", max_length=128, description="32 hex digits; write-only")
    api_key_sid: str = Field(default="", max_length=64, description="SK followed by 32 hex digits")
    api_key_secret: str = Field(default="", max_length=128, description="write-only")


class SenderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    address: str = Field(
        max_length=40, description="+E164 or whatsapp:+E164; the first number is the default"
    )
    label: str = Field(default="", max_length=80, description="a name for the team, e.g. 'Shop'")


class SenderDeleted(BaseModel):
    deleted: bool
    id: int
    address: str


class ConnectionCheck(BaseModel):
    ok: bool
    kind: str = Field(
        description="ok · not_configured · wrong_credentials · suspended · closed · unreachable · error"
    )
    title: str
    detail: str


def _sender(info: SenderInfo) -> Sender:
    return Sender(
        id=info.id or 0,
        address=info.address,
        number=info.address.removeprefix("whatsapp:"),
        label=info.label,
        is_default=info.is_default,
    )


def _settings(session: Session, tenant_id: int, request: Request) -> WhatsAppSettings:
    own_url = f"{request.url.scheme}://{request.url.netloc}"  # PUBLIC_BASE_URL wins when set
    conn = connection.whatsapp_connection(session, tenant_id, request_base_url=own_url)
    return WhatsAppSettings(
        connected=conn.connected,
        account_sid=mask_identifier(conn.account_sid),
        auth_token=secret_state(conn.auth_token_masked),
        api_key_sid=mask_identifier(conn.api_key_sid),
        api_key_secret=secret_state(conn.api_key_masked),
        previous_token_pending=conn.previous_token_pending,
        senders=[_sender(s) for s in conn.senders],
        inbound_webhook_url=conn.inbound_url,
        status_webhook_url=conn.status_url,
    )


def _find_sender(session: Session, tenant_id: int, ref: str) -> SenderInfo:
    """The tenant's sender by id or number; NotFound (404) for anything else, another tenant's included."""
    wanted_address = "whatsapp:" + ref.removeprefix("whatsapp:")
    for info in connection.senders(session, tenant_id):
        if (ref.isdigit() and info.id == int(ref)) or info.address == wanted_address:
            return info
    raise NotFound(f"sender {ref} not found")


@router.get("")
def get_whatsapp(
    request: Request, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> WhatsAppSettings:
    """The connection (secrets masked), the sender numbers and the two webhook URLs to set in Twilio."""
    return _settings(session, principal.tenant_id, request)


@router.put("/credentials", responses=errors(422))
def put_credentials(
    body: CredentialsUpdate,
    request: Request,
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
) -> WhatsAppSettings:
    """Store the Twilio credentials (checked for shape, not against Twilio: use POST /settings/whatsapp/test).
    422 names every refused field and nothing is saved; audited without the secrets."""
    stored_sid = connection.whatsapp_connection(session, principal.tenant_id).account_sid
    holder = token_holder(session, principal.tenant_id, principal.token_id)
    try:
        connection.save_credentials(
            session,
            principal.tenant_id,
            account_sid=body.account_sid if body.account_sid is not None else stored_sid,
            auth_token=body.auth_token,
            api_key_sid=body.api_key_sid,
            api_key_secret=body.api_key_secret,
            actor_user_id=holder.user_id,
            actor_label=API_ACTOR,
        )
    except connection.CredentialsRefused as exc:
        raise refused(422, [(p.field, p.message) for p in exc.problems]) from exc
    return _settings(session, principal.tenant_id, request)


@router.post("/senders", status_code=201, responses=errors(409, 422))
def add_sender(
    body: SenderCreate, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> Sender:
    """Connect a WhatsApp number to this workspace (audited). 409 when it is connected already — here or to
    another workspace: Twilio's `To` must name exactly one."""
    holder = token_holder(session, principal.tenant_id, principal.token_id)
    try:
        info = connection.add_sender(
            session,
            principal.tenant_id,
            body.address,
            label=body.label,
            actor_user_id=holder.user_id,
            actor_label=API_ACTOR,
        )
    except connection.SenderTaken as exc:
        raise HTTPException(409, detail=str(exc)) from exc
    except AccountError as exc:
        raise refused(422, [("address", str(exc))]) from exc
    return _sender(info)


@router.delete("/senders/{sender}", responses=errors(404, 422))
def remove_sender(
    sender: SenderRef, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> SenderDeleted:
    """Disconnect a number (audited); when it was the default, the oldest remaining number becomes it."""
    info = _find_sender(session, principal.tenant_id, sender)
    holder = token_holder(session, principal.tenant_id, principal.token_id)
    connection.remove_sender(
        session, principal.tenant_id, info.address, actor_user_id=holder.user_id, actor_label=API_ACTOR
    )
    return SenderDeleted(deleted=True, id=info.id or 0, address=info.address)


@router.post("/senders/{sender}/default", responses=errors(404, 422))
def make_default_sender(
    sender: SenderRef, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> Sender:
    """Make this number the one campaigns and the playground send from (audited)."""
    info = _find_sender(session, principal.tenant_id, sender)
    holder = token_holder(session, principal.tenant_id, principal.token_id)
    connection.set_default_sender(
        session, principal.tenant_id, info.address, actor_user_id=holder.user_id, actor_label=API_ACTOR
    )
    return _sender(_find_sender(session, principal.tenant_id, info.address))


@router.post("/test")
def run_connection_test(
    principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> ConnectionCheck:
    """Ask Twilio for the account with the stored credentials (nothing is sent to anyone) and say what it
    found: `ok`, or why not in words. At most 10 tests a minute per workspace (429 past that)."""
    limited = rate_limits.hit(f"settings-test:whatsapp:{principal.tenant_id}", TEST_RATE)
    if limited is not None:
        raise HTTPException(
            429, detail=f"at most {TEST_RATE} connection tests", headers={"Retry-After": limited.header}
        )
    check = connection.test_connection(session, principal.tenant_id)
    return ConnectionCheck(ok=check.ok, kind=check.kind, title=check.title, detail=check.detail)


__all__ = ["router"]
