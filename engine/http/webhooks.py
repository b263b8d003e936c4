"""Twilio webhooks: inbound WhatsApp messages and delivery status callbacks.

The inbound handler does the least it can, because Twilio waits for it (15 s, then error 11205) and does not
retry a failed message webhook: find the tenant by `To`, check the signature with that tenant's auth token,
store the message once per MessageSid with its queue row, and acknowledge with an empty `<Response/>`. No LLM
and no Twilio call happen inside the request; the queue worker answers.

Answers: 200 `<Response/>` (text/xml) when stored or already stored · 400 with the reason when the form is
not a webhook we can read · 403 when the signature is missing or wrong, or no active tenant owns the `To` (or
`From` for status callbacks) sender — one status and one body for all three, so a stranger cannot probe which
numbers are registered (the log says which it was).

The signature is checked on the form exactly as sent; what is parsed and stored is the form cleaned at the
edge (engine.http.edge: NUL and other unusable code points dropped from every field, ChannelMetadata nesting
cut).

This module only reads the request and maps outcomes to answers: which tenant signed it is the channel's
business (engine/channels/whatsapp/credentials), retrying a write that lost a race is the database's
(engine.db.write_retrying).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from engine.campaigns.tracking import apply_callback as apply_status
from engine.channels.whatsapp.credentials import (
    SignatureRefused,
    SignedRequest,
    authenticate,
    status_sender,
)
from engine.channels.whatsapp.inbound import MalformedWebhook, parse_inbound, parse_status, public_url
from engine.config import get_settings
from engine.conversations.ingest import ingest_inbound
from engine.db import write_retrying
from engine.http.edge import clean_form
from engine.observability import logs, tracing

log = logging.getLogger(__name__)

router = APIRouter(tags=["webhooks"])

INBOUND_PATH = "/webhooks/twilio/whatsapp"
STATUS_PATH = "/webhooks/twilio/status"
ACK = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
REFUSED = "the request's X-Twilio-Signature could not be verified"  # the one answer to every refusal


class WebhookRejected(Exception):
    def __init__(self, status: int, reason: str) -> None:
        self.status, self.reason = status, reason
        super().__init__(reason)


def ack() -> Response:
    return Response(content=ACK, media_type="text/xml")


def _reject(status: int, reason: str) -> JSONResponse:
    return JSONResponse({"detail": reason}, status_code=status)


def _signed(request: Request) -> SignedRequest:
    query = request.url.query
    path = request.url.path + (f"?{query}" if query else "")
    headers = request.headers
    scheme = (headers.get("x-forwarded-proto") or request.url.scheme).split(",")[0].strip()
    host = (
        (headers.get("x-forwarded-host") or headers.get("host") or request.url.netloc).split(",")[0].strip()
    )
    return SignedRequest(
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


def _handle_inbound(form: FormData, signed: SignedRequest) -> Any:
    tenant_id = authenticate((form.get("To") or "").strip(), form, signed)  # type: ignore[union-attr]
    inbound = parse_inbound(clean_form(form.multi_items()))
    tracing.annotate(tenant_id=tenant_id)
    result = write_retrying(lambda session: ingest_inbound(session, tenant_id, inbound))
    logs.event(  # the request's own `webhook` event cannot know the tenant: it is found here
        "webhook.inbound",
        tenant_id=tenant_id,
        conversation_id=result.conversation_id,
        message_id=result.message_id,
        duplicate=result.duplicate,
        queued=result.queued,
    )
    return result


def _handle_status(form: FormData, signed: SignedRequest) -> Any:
    tenant_id = authenticate(status_sender(form), form, signed)
    key = (parse_qs(urlsplit(signed.url).query).get("k") or [""])[-1].strip()[:40] or None
    callback = replace(parse_status(clean_form(form.multi_items())), idempotency_key=key)
    tracing.annotate(tenant_id=tenant_id)
    logs.event("webhook.status", tenant_id=tenant_id, status=callback.status, error_code=callback.error_code)
    return write_retrying(lambda session: apply_status(session, tenant_id, callback))


async def _answer(request: Request, handle: Callable[[FormData, SignedRequest], Any]) -> Response:
    """Read, hand over to the channel and the store, and map what they refused to a status."""
    try:
        form = await _read_form(request)
        await run_in_threadpool(handle, form, _signed(request))
    except WebhookRejected as exc:
        return _reject(exc.status, exc.reason)
    except MalformedWebhook as exc:
        return _reject(400, str(exc))
    except SignatureRefused as exc:  # UnknownSender included: answered alike on purpose
        log.info("refused a Twilio webhook on %s: %s", request.url.path, exc)
        return _reject(403, REFUSED)
    return ack()


@router.post(INBOUND_PATH)
async def twilio_whatsapp_inbound(request: Request) -> Response:
    """Inbound WhatsApp message (Twilio's "A message comes in" webhook)."""
    return await _answer(request, _handle_inbound)


@router.post(STATUS_PATH)
async def twilio_status_callback(request: Request) -> Response:
    """Delivery status of a message we sent (the `status_callback` URL given on every send)."""
    return await _answer(request, _handle_status)


__all__ = ["ACK", "INBOUND_PATH", "STATUS_PATH", "router"]
