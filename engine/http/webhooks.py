"""Twilio webhooks: inbound WhatsApp messages and delivery status callbacks.

The inbound handler does the least it can, because Twilio waits for it (15 s, then error 11205) and does not
retry a failed message webhook: find the tenant by `To`, check the signature with that tenant's auth token,
store the message once per MessageSid with its queue row, and acknowledge with an empty `<Response/>`. No LLM
and no Twilio call happen inside the request; the queue worker answers.

Answers: 200 `<Response/>` (text/xml) when stored or already stored · 400 with the reason when the form is
not a webhook we can read · 403 when the signature is missing or wrong (nothing stored) · 404 when no active
tenant owns the `To` (or `From` for status callbacks) sender.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from engine.accounts.secrets import get_secret
from engine.accounts.tenants import find_by_sender
from engine.channels.whatsapp.inbound import (
    MalformedWebhook,
    parse_inbound,
    parse_status,
    public_url,
    signature_is_valid,
)
from engine.channels.whatsapp.status import apply_status
from engine.config import get_settings
from engine.conversations.ingest import ingest_inbound
from engine.db import get_engine, session_scope

log = logging.getLogger(__name__)
router = APIRouter(tags=["webhooks"])

INBOUND_PATH = "/webhooks/twilio/whatsapp"
STATUS_PATH = "/webhooks/twilio/status"
ACK = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
CREDENTIALS_TTL = 60.0  # seconds a tenant's sender → auth token mapping is kept in memory
INGEST_ATTEMPTS = 3
T = TypeVar("T")


class WebhookRejected(Exception):
    def __init__(self, status: int, reason: str) -> None:
        self.status, self.reason = status, reason
        super().__init__(reason)


def ack() -> Response:
    return Response(content=ACK, media_type="text/xml")


def _reject(status: int, reason: str) -> JSONResponse:
    return JSONResponse({"detail": reason}, status_code=status)


# ---------------------------------------------------------------------------------------- tenant credentials


@dataclass(frozen=True, slots=True)
class _Credentials:
    tenant_id: int
    auth_token: str | None
    expires: float


_credentials: dict[str, _Credentials] = {}
_credentials_guard = threading.Lock()


def _load_credentials(address: str) -> _Credentials | None:
    with session_scope() as session:
        tenant = find_by_sender(session, address)
        if tenant is None or not tenant.is_active or tenant.id is None:
            return None
        token = get_secret(session, tenant.id, "twilio_auth_token")
    creds = _Credentials(tenant.id, token, time.monotonic() + CREDENTIALS_TTL)
    with _credentials_guard:
        _credentials[address] = creds
    return creds


def _cached_credentials(address: str) -> _Credentials | None:
    """Per-request database reads are the webhook's main cost: keep sender → (tenant, token) for a minute.

    A stale token is harmless: on a signature mismatch the handler reloads once before refusing.
    """
    with _credentials_guard:
        creds = _credentials.get(address)
    if creds is not None and creds.expires > time.monotonic():
        return creds
    return _load_credentials(address)


def forget_credentials() -> None:
    """Drop the in-memory sender → token map (after a token rotation, and between tests)."""
    with _credentials_guard:
        _credentials.clear()


# ------------------------------------------------------------------------------------------------ helpers


@dataclass(frozen=True, slots=True)
class _Signed:
    url: str
    signature: str | None
    settings_header: str | None


def _signed(request: Request) -> _Signed:
    query = request.url.query
    path = request.url.path + (f"?{query}" if query else "")
    headers = request.headers
    scheme = (headers.get("x-forwarded-proto") or request.url.scheme).split(",")[0].strip()
    host = (
        (headers.get("x-forwarded-host") or headers.get("host") or request.url.netloc).split(",")[0].strip()
    )
    return _Signed(
        url=public_url(path, base_url=get_settings().public_base_url, scheme=scheme, host=host),
        signature=headers.get("x-twilio-signature"),
        settings_header=headers.get("x-twilio-webhooks-signature-settings"),
    )


async def _read_form(request: Request) -> FormData:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise WebhookRejected(400, "expected an application/x-www-form-urlencoded body")
    try:
        return await request.form()
    except Exception as exc:  # noqa: BLE001 - any parse failure is the sender's malformed request
        raise WebhookRejected(400, f"the form could not be parsed: {type(exc).__name__}") from exc


def _authenticate(address: str, form: FormData, signed: _Signed) -> int:
    """The tenant id owning `address`, once the signature checks out with its auth token."""
    if not address:
        raise WebhookRejected(400, "the sender address (To/From) is missing")
    creds = _cached_credentials(address)
    if creds is None:
        raise WebhookRejected(404, f"no active tenant owns the WhatsApp sender {address[:40]}")
    if not signed.signature:
        raise WebhookRejected(403, "X-Twilio-Signature is missing")

    def valid(c: _Credentials) -> bool:
        return bool(c.auth_token) and signature_is_valid(
            c.auth_token or "", signed.url, form, signed.signature, signed.settings_header
        )

    if valid(creds):
        return creds.tenant_id
    fresh = _load_credentials(address)  # the token may have been rotated since it was cached
    if fresh is not None and fresh != creds and valid(fresh):
        return fresh.tenant_id
    if fresh is not None and not fresh.auth_token:
        raise WebhookRejected(403, "the tenant has no Twilio auth token to check the signature with")
    log.warning("rejected a Twilio webhook for %s: bad signature for %s", address, signed.url)
    raise WebhookRejected(403, "X-Twilio-Signature does not match")


_sqlite_writes = threading.Lock()


def _retrying(action: Callable[[], T]) -> T:
    """Run a unit of work, retried in a fresh transaction when it lost a race (unique key taken, busy).

    On SQLite the writes of this process are queued on a lock first: SQLite allows one writer, and its own
    busy handler polls with sleeps of up to 100 ms, which turns a burst of webhooks into seconds of latency.
    """
    guard = _sqlite_writes if get_engine().dialect.name == "sqlite" else contextlib.nullcontext()
    for attempt in range(1, INGEST_ATTEMPTS + 1):
        try:
            with guard:
                return action()
        except (IntegrityError, OperationalError):
            if attempt == INGEST_ATTEMPTS:
                raise
            time.sleep(0.005 * attempt)
    raise AssertionError("unreachable")


# -------------------------------------------------------------------------------------------------- routes


def _handle_inbound(form: FormData, signed: _Signed) -> Any:
    tenant_id = _authenticate((form.get("To") or "").strip(), form, signed)  # type: ignore[union-attr]
    try:
        inbound = parse_inbound(form)  # type: ignore[arg-type]
    except MalformedWebhook as exc:
        raise WebhookRejected(400, str(exc)) from exc

    def store() -> Any:
        with session_scope() as session:
            return ingest_inbound(session, tenant_id, inbound)

    return _retrying(store)


def _handle_status(form: FormData, signed: _Signed) -> Any:
    # Status callbacks of our outbound messages come From our sender; fall back to To for inbound ones.
    address = (form.get("From") or "").strip()  # type: ignore[union-attr]
    if not _cached_credentials(address):
        address = (form.get("To") or "").strip() or address  # type: ignore[union-attr]
    tenant_id = _authenticate(address, form, signed)
    try:
        callback = parse_status(form)  # type: ignore[arg-type]
    except MalformedWebhook as exc:
        raise WebhookRejected(400, str(exc)) from exc

    def store() -> Any:
        with session_scope() as session:
            return apply_status(session, tenant_id, callback)

    return _retrying(store)


@router.post(INBOUND_PATH)
async def twilio_whatsapp_inbound(request: Request) -> Response:
    """Inbound WhatsApp message (Twilio's "A message comes in" webhook)."""
    try:
        form = await _read_form(request)
        await run_in_threadpool(_handle_inbound, form, _signed(request))
    except WebhookRejected as exc:
        return _reject(exc.status, exc.reason)
    return ack()


@router.post(STATUS_PATH)
async def twilio_status_callback(request: Request) -> Response:
    """Delivery status of a message we sent (the `status_callback` URL given on every send)."""
    try:
        form = await _read_form(request)
        await run_in_threadpool(_handle_status, form, _signed(request))
    except WebhookRejected as exc:
        return _reject(exc.status, exc.reason)
    return ack()


__all__ = ["ACK", "INBOUND_PATH", "STATUS_PATH", "forget_credentials", "router"]
