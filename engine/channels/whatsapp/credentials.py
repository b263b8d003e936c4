"""Which tenant a Twilio webhook belongs to, proven by its signature: sender → (tenant, auth token), cached.

Per-request database reads are the webhook's main cost, so the mapping is kept in memory for a minute. A
stale token is harmless: on a signature mismatch the mapping is reloaded once before the request is refused.
The HTTP layer turns the errors below into one status (403) with one body: a stranger must not learn which
sender numbers are registered by watching the answers. Nothing here knows about HTTP.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from engine.accounts import audit
from engine.accounts.secrets import delete_secret, get_secret
from engine.accounts.tenants import find_by_sender
from engine.channels.whatsapp.inbound import MalformedWebhook, signature_is_valid
from engine.db import session_scope

log = logging.getLogger(__name__)

CREDENTIALS_TTL = 60.0  # seconds a tenant's sender → auth token mapping is kept in memory
PREVIOUS_TOKEN = "twilio_auth_token_previous"  # engine.channels.whatsapp.connection keeps it on a change


class SignatureRefused(PermissionError):
    """The signature is missing, wrong, or cannot be checked; nothing may be stored."""


class UnknownSender(SignatureRefused):
    """No active tenant owns the WhatsApp sender the webhook names: no token to check the signature with,
    so it is refused like a bad signature (and answered alike, so senders cannot be probed)."""


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """What Twilio signed: the public URL of the request and its signature headers."""

    url: str
    signature: str | None
    settings_header: str | None = None


@dataclass(frozen=True, slots=True)
class _Credentials:
    tenant_id: int
    auth_token: str | None
    expires: float
    previous_token: str | None = None  # the token before a change, until a webhook confirms the new one


_credentials: dict[str, _Credentials] = {}
_credentials_guard = threading.Lock()


def _load(address: str) -> _Credentials | None:
    with session_scope() as session:
        tenant = find_by_sender(session, address)
        if tenant is None or not tenant.is_active or tenant.id is None:
            return None
        token = get_secret(session, tenant.id, "twilio_auth_token")
        previous = get_secret(session, tenant.id, PREVIOUS_TOKEN)
    creds = _Credentials(tenant.id, token, time.monotonic() + CREDENTIALS_TTL, previous)
    with _credentials_guard:
        _credentials[address] = creds
    return creds


def _cached(address: str) -> _Credentials | None:
    with _credentials_guard:
        creds = _credentials.get(address)
    if creds is not None and creds.expires > time.monotonic():
        return creds
    return _load(address)


def _retire_previous(address: str, creds: _Credentials) -> None:
    """A request signed with the new token proves Twilio uses it: the previous token stops being accepted."""
    with session_scope() as session:
        if get_secret(session, creds.tenant_id, PREVIOUS_TOKEN) is not None:
            delete_secret(session, creds.tenant_id, PREVIOUS_TOKEN)
            audit.record(
                session,
                creds.tenant_id,
                "whatsapp.token.confirmed",
                actor_label="twilio webhook",
                target_type="tenant",
                target_id=creds.tenant_id,
            )
    with _credentials_guard:
        for key, value in list(_credentials.items()):
            if value.tenant_id == creds.tenant_id:
                _credentials[key] = replace(value, previous_token=None)
    log.info("Twilio now signs with the new auth token for tenant %s: the previous one is retired", address)


def forget_credentials() -> None:
    """Drop the in-memory sender → token map (after a token rotation, and between tests)."""
    with _credentials_guard:
        _credentials.clear()


def status_sender(form: Mapping[str, Any]) -> str:
    """The sender a status callback is about: ours is its From (outbound); inbound ones name it in To."""
    address = (form.get("From") or "").strip()
    if _cached(address) is None:
        return (form.get("To") or "").strip() or address
    return address


def authenticate(address: str, form: Mapping[str, Any], signed: SignedRequest) -> int:
    """The id of the tenant owning `address`, once the signature checks out with its auth token."""
    if not address:
        raise MalformedWebhook("the sender address (To/From) is missing")
    creds = _cached(address)
    if creds is None:
        raise UnknownSender(f"no active tenant owns the WhatsApp sender {address[:40]}")
    if not signed.signature:
        raise SignatureRefused("X-Twilio-Signature is missing")

    def valid(token: str | None) -> bool:
        return bool(token) and signature_is_valid(
            token or "", signed.url, form, signed.signature, signed.settings_header
        )

    if valid(creds.auth_token):
        if creds.previous_token:
            _retire_previous(address, creds)
        return creds.tenant_id
    fresh = _load(address)  # the token may have been rotated since it was cached
    if fresh is not None and fresh != creds and valid(fresh.auth_token):
        if fresh.previous_token:
            _retire_previous(address, fresh)
        return fresh.tenant_id
    current = fresh or creds
    if current.previous_token and valid(current.previous_token):
        return current.tenant_id  # Twilio still signs with the old token: not switched over there yet
    if fresh is not None and not fresh.auth_token:
        raise SignatureRefused("the tenant has no Twilio auth token to check the signature with")
    log.warning("rejected a Twilio webhook for %s: bad signature for %s", address, signed.url)
    raise SignatureRefused("X-Twilio-Signature does not match")


__all__ = [
    "CREDENTIALS_TTL",
    "SignatureRefused",
    "SignedRequest",
    "UnknownSender",
    "authenticate",
    "forget_credentials",
    "status_sender",
]
