"""One campaign message to Twilio, and finding it again after a send that ended unclearly.

Built on the tenant's TwilioSender (engine.channels.whatsapp.sender: credentials, TWILIO_API_BASE_URL, the
pooled client and the status callback URL), but without its retries: the dispatcher owns the pace and the
retry of every recipient (a 429 puts the recipient back in the queue and slows the whole campaign, which a
per-call retry loop would not), so each call here is one request, classified:
ok (Twilio's SID) · throttled (429/20429: nothing was accepted) · unclear (5xx, timeout, dropped connection:
it may have been accepted — look before sending again) · refused (a permanent error, kept in words).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import requests
from sqlmodel import Session
from twilio.base.exceptions import TwilioException, TwilioRestException

from engine.channels.whatsapp.errors import words_for
from engine.channels.whatsapp.sender import TwilioSender
from engine.channels.whatsapp.twilio_client import error_details

CLOCK_SKEW = timedelta(minutes=2)
LOOKUP_PAGE = 20


@dataclass(frozen=True, slots=True)
class SendResult:
    kind: str  # ok | throttled | unclear | refused
    provider_sid: str | None = None
    status: str | None = None
    error_code: str | None = None
    error_message: str | None = None


def whatsapp_address(number: str) -> str:
    """`+447700900123` → `whatsapp:+447700900123`: Twilio sends on WhatsApp only to and from `whatsapp:`
    addresses, while customers imported from a CSV, the API or the console carry the bare number (Twilio
    then answers 21211, "not a valid phone number")."""
    number = number.strip()
    return number if number.startswith("whatsapp:") else f"whatsapp:{number}"


def template_params(content_sid: str, variables: dict[str, str], callback: str | None) -> dict[str, object]:
    params: dict[str, object] = {"content_sid": content_sid}
    if variables:
        params["content_variables"] = json.dumps(variables)
    if callback:
        params["status_callback"] = callback
    return params


def classify(exc: BaseException) -> SendResult:
    """A failed create call in the dispatcher's terms (the module docstring's four kinds)."""
    if isinstance(exc, TwilioRestException):
        code, text = error_details(exc)
        status = int(exc.status or 0)
        if status == 429 or code in ("20429", "63017"):
            return SendResult("throttled", error_code=code or "429", error_message=text)
        if status >= 500:
            return SendResult("unclear", error_code=code or str(status), error_message=text)
        return SendResult("refused", error_code=code or str(status), error_message=words_for(code, text))
    return SendResult("unclear", error_code="network", error_message=error_details(exc)[1])


class CampaignTransport:
    """The tenant's Twilio client for campaign sends."""

    def __init__(self, sender: TwilioSender) -> None:
        self.client = sender.client
        self.status_callback = sender.status_callback

    @classmethod
    def for_tenant(cls, session: Session, tenant_id: int) -> CampaignTransport:
        return cls(TwilioSender.for_tenant(session, tenant_id))

    def send(self, from_: str, to: str, content_sid: str, variables: dict[str, str]) -> SendResult:
        try:
            created = self.client.messages.create(
                from_=whatsapp_address(from_),
                to=whatsapp_address(to),
                **template_params(content_sid, variables, self.status_callback),
            )
        except (TwilioException, requests.exceptions.RequestException) as exc:
            return classify(exc)
        return SendResult("ok", provider_sid=created.sid, status=str(created.status or "queued"))

    def send_text(self, from_: str, to: str, body: str, *, media_url: str | None = None) -> SendResult:
        """A free-form text (confirmations, canned replies: always inside the customer's 24 hours)."""
        try:
            params: dict[str, object] = {"body": body}
            if media_url:
                params["media_url"] = [media_url]
            if self.status_callback:
                params["status_callback"] = self.status_callback
            created = self.client.messages.create(
                from_=whatsapp_address(from_), to=whatsapp_address(to), **params
            )
        except TwilioRestException as exc:
            code, text = error_details(exc)
            return SendResult("refused", error_code=code, error_message=words_for(code, text))
        except (requests.exceptions.RequestException, TwilioException) as exc:
            return SendResult("unclear", error_code="network", error_message=error_details(exc)[1])
        return SendResult("ok", provider_sid=created.sid, status=str(created.status or "queued"))

    def find_sent(self, from_: str, to: str, since: datetime, known: Iterable[str]) -> str | None:
        """The SID of a message from `from_` to `to` created since `since` that none of our rows holds: the
        one an interrupted send left at Twilio. Raises LookupError when Twilio's list cannot be read."""
        try:
            to, from_ = whatsapp_address(to), whatsapp_address(from_)
            rows = self.client.messages.list(to=to, from_=from_, limit=LOOKUP_PAGE, page_size=LOOKUP_PAGE)
        except (TwilioException, requests.exceptions.RequestException) as exc:
            raise LookupError(error_details(exc)[1]) from exc
        return unowned(rows, since, known)


def unowned(rows: Iterable[Any], since: datetime, known: Iterable[str]) -> str | None:
    """The first listed message (newest first) created since `since`, less the clock skew, whose SID none of
    our rows holds."""
    taken = set(known)
    window = since - CLOCK_SKEW
    for row in rows:
        if row.sid in taken:
            continue
        if row.date_created is not None and row.date_created < window:
            continue
        return str(row.sid)
    return None


__all__ = ["CampaignTransport", "SendResult", "classify", "template_params", "unowned", "whatsapp_address"]
