"""Twilio's inbound WhatsApp webhook and status callback, parsed into typed values, and their signatures.

Every parameter Twilio documents is read (and unknown ones are kept), because what we drop here is gone: the
webhook is not retried and the customer will not send the same photo twice.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from twilio.request_validator import RequestValidator, get_signature_algorithm

WHATSAPP_PREFIX = "whatsapp:"
SID_RE = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")
MAX_MEDIA = 10  # Twilio's per-message maximum for inbound media parameters

# Parameters read into typed fields; anything else Twilio sends is kept in `extra`.
_KNOWN = {
    "MessageSid",
    "SmsMessageSid",
    "SmsSid",
    "AccountSid",
    "MessagingServiceSid",
    "From",
    "To",
    "Body",
    "NumMedia",
    "NumSegments",
    "ProfileName",
    "WaId",
    "Forwarded",
    "FrequentlyForwarded",
    "ButtonText",
    "ButtonPayload",
    "ListId",
    "ListTitle",
    "Latitude",
    "Longitude",
    "Address",
    "Label",
    "OriginalRepliedMessageSid",
    "OriginalRepliedMessageSender",
    "MessageType",
    "ChannelMetadata",
    "SmsStatus",
    "ApiVersion",
}


class MalformedWebhook(ValueError):
    """The request is not a webhook we can store; the message says which parameter and why (answered 400)."""


@dataclass(frozen=True, slots=True)
class InboundMedia:
    url: str
    content_type: str

    def to_dict(self) -> dict[str, str]:
        return {"url": self.url, "content_type": self.content_type}


@dataclass(frozen=True, slots=True)
class Location:
    latitude: float
    longitude: float
    address: str | None = None
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "latitude": self.latitude,
            "longitude": self.longitude,
            "address": self.address,
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One customer message as Twilio delivered it."""

    message_sid: str
    from_: str  # whatsapp:+E164, the customer
    to: str  # whatsapp:+E164, the tenant's sender
    body: str = ""
    account_sid: str | None = None
    messaging_service_sid: str | None = None
    media: tuple[InboundMedia, ...] = ()
    num_segments: int | None = None
    profile_name: str | None = None
    wa_id: str | None = None
    forwarded: bool = False
    frequently_forwarded: bool = False
    button_text: str | None = None
    button_payload: str | None = None
    list_id: str | None = None
    list_title: str | None = None
    location: Location | None = None
    replied_to_sid: str | None = None
    replied_to_sender: str | None = None
    message_type: str | None = None
    channel_metadata: dict[str, Any] | None = None
    referral: dict[str, str] = field(default_factory=dict)
    sms_status: str | None = None
    api_version: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_interactive_reply(self) -> bool:
        return bool(self.button_payload or self.list_id)

    def metadata(self) -> dict[str, Any]:
        """What the message row keeps beyond body, media and button (stored under `rich["inbound"]`)."""
        data: dict[str, Any] = {"to": self.to}
        optional: dict[str, Any] = {
            "account_sid": self.account_sid,
            "messaging_service_sid": self.messaging_service_sid,
            "profile_name": self.profile_name,
            "wa_id": self.wa_id,
            "num_segments": self.num_segments,
            "forwarded": self.forwarded or None,
            "frequently_forwarded": self.frequently_forwarded or None,
            "list_id": self.list_id,
            "list_title": self.list_title,
            "location": self.location.to_dict() if self.location else None,
            "replied_to": (
                {"sid": self.replied_to_sid, "sender": self.replied_to_sender}
                if self.replied_to_sid
                else None
            ),
            "message_type": self.message_type,
            "channel_metadata": self.channel_metadata,
            "referral": self.referral or None,
            "extra": self.extra or None,
        }
        data.update({k: v for k, v in optional.items() if v is not None})
        return data


def _text(form: Mapping[str, str], name: str) -> str | None:
    value = form.get(name)
    if value is None:
        return None
    value = str(value)
    return value if value.strip() else None


def _whatsapp_address(form: Mapping[str, str], name: str) -> str:
    value = (form.get(name) or "").strip()
    if not value:
        raise MalformedWebhook(f"{name} is missing")
    if not value.startswith(WHATSAPP_PREFIX + "+") or not value[len(WHATSAPP_PREFIX) + 1 :].isdigit():
        raise MalformedWebhook(f"{name} must be a whatsapp:+<number> address, got {value[:40]!r}")
    return value


def _int(form: Mapping[str, str], name: str, *, low: int, high: int) -> int | None:
    raw = form.get(name)
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise MalformedWebhook(f"{name} must be an integer, got {str(raw)[:20]!r}") from None
    if not low <= value <= high:
        raise MalformedWebhook(f"{name} must be between {low} and {high}, got {value}")
    return value


def _float(form: Mapping[str, str], name: str, low: float, high: float) -> float:
    raw = str(form.get(name) or "").strip()
    try:
        value = float(raw)
    except ValueError:
        raise MalformedWebhook(f"{name} must be a number, got {raw[:20]!r}") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise MalformedWebhook(f"{name} must be between {low} and {high}, got {raw[:20]}")
    return value


def _bool(form: Mapping[str, str], name: str) -> bool:
    return str(form.get(name) or "").strip().lower() in ("true", "1", "yes")


def message_sid_of(form: Mapping[str, str]) -> str:
    sid = (form.get("MessageSid") or form.get("SmsMessageSid") or form.get("SmsSid") or "").strip()
    if not sid:
        raise MalformedWebhook("MessageSid is missing")
    if not SID_RE.match(sid):
        raise MalformedWebhook(f"MessageSid {sid[:40]!r} is not a Twilio message SID")
    return sid


def parse_inbound(form: Mapping[str, str]) -> InboundMessage:
    """Typed view of an inbound webhook's form; raises MalformedWebhook with the reason."""
    sid = message_sid_of(form)
    from_ = _whatsapp_address(form, "From")
    to = _whatsapp_address(form, "To")

    num_media = _int(form, "NumMedia", low=0, high=MAX_MEDIA) or 0
    media = []
    for i in range(num_media):
        url = (form.get(f"MediaUrl{i}") or "").strip()
        if not url:
            raise MalformedWebhook(f"NumMedia is {num_media} but MediaUrl{i} is missing")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise MalformedWebhook(f"MediaUrl{i} is not an http(s) URL")
        content_type = (form.get(f"MediaContentType{i}") or "application/octet-stream").strip()
        media.append(InboundMedia(url=url, content_type=content_type))

    location = None
    has_lat, has_lon = bool(_text(form, "Latitude")), bool(_text(form, "Longitude"))
    if has_lat != has_lon:
        raise MalformedWebhook("Latitude and Longitude must come together")
    if has_lat:
        location = Location(
            latitude=_float(form, "Latitude", -90, 90),
            longitude=_float(form, "Longitude", -180, 180),
            address=_text(form, "Address"),
            label=_text(form, "Label"),
        )

    channel_metadata = None
    raw_metadata = _text(form, "ChannelMetadata")
    if raw_metadata:
        try:
            parsed = json.loads(raw_metadata)
            channel_metadata = parsed if isinstance(parsed, dict) else {"value": parsed}
        except json.JSONDecodeError:
            channel_metadata = {"raw": raw_metadata[:2000]}

    referral = {k: str(v) for k, v in form.items() if k.startswith("Referral") and str(v).strip()}
    extra = {
        k: str(v)[:2000]
        for k, v in form.items()
        if k not in _KNOWN
        and not k.startswith(("Referral", "MediaUrl", "MediaContentType"))
        and str(v).strip()
    }
    return InboundMessage(
        message_sid=sid,
        from_=from_,
        to=to,
        body=str(form.get("Body") or ""),
        account_sid=_text(form, "AccountSid"),
        messaging_service_sid=_text(form, "MessagingServiceSid"),
        media=tuple(media),
        num_segments=_int(form, "NumSegments", low=0, high=1000),
        profile_name=(_text(form, "ProfileName") or "").strip()[:120] or None,
        wa_id=(_text(form, "WaId") or "").strip()[:32] or None,
        forwarded=_bool(form, "Forwarded"),
        frequently_forwarded=_bool(form, "FrequentlyForwarded"),
        button_text=(_text(form, "ButtonText") or "")[:256] or None,
        button_payload=(_text(form, "ButtonPayload") or "")[:256] or None,
        list_id=(_text(form, "ListId") or "")[:256] or None,
        list_title=(_text(form, "ListTitle") or "")[:256] or None,
        location=location,
        replied_to_sid=_text(form, "OriginalRepliedMessageSid"),
        replied_to_sender=_text(form, "OriginalRepliedMessageSender"),
        message_type=_text(form, "MessageType"),
        channel_metadata=channel_metadata,
        referral=referral,
        sms_status=_text(form, "SmsStatus"),
        api_version=_text(form, "ApiVersion"),
        extra=extra,
    )


# ------------------------------------------------------------------------------------------ status callback

STATUS_VALUES = frozenset(
    {
        "accepted",
        "scheduled",
        "queued",
        "sending",
        "sent",
        "delivered",
        "read",
        "undelivered",
        "failed",
        "canceled",
        "receiving",
        "received",
    }
)


@dataclass(frozen=True, slots=True)
class StatusCallback:
    message_sid: str
    status: str
    from_: str | None
    to: str | None
    error_code: str | None = None
    error_message: str | None = None
    event_type: str | None = None
    # The `?k=` of the callback URL (engine.channels.whatsapp.sender.with_key): names our message even when
    # its SID is not recorded yet (covered by the signature, which signs the URL with its query).
    idempotency_key: str | None = None


def parse_status(form: Mapping[str, str]) -> StatusCallback:
    sid = message_sid_of(form)
    status = (form.get("MessageStatus") or form.get("SmsStatus") or "").strip().lower()
    if not status:
        raise MalformedWebhook("MessageStatus is missing")
    if status not in STATUS_VALUES:
        raise MalformedWebhook(f"MessageStatus {status[:20]!r} is not a Twilio message status")
    error_code = (form.get("ErrorCode") or "").strip() or None
    if error_code is not None and not error_code.isdigit():
        raise MalformedWebhook("ErrorCode must be numeric")
    return StatusCallback(
        message_sid=sid,
        status=status,
        from_=(form.get("From") or "").strip() or None,
        to=(form.get("To") or "").strip() or None,
        error_code=error_code,
        error_message=(form.get("ChannelStatusMessage") or form.get("ErrorMessage") or "").strip()[:500]
        or None,
        event_type=(form.get("EventType") or "").strip() or None,
    )


# --------------------------------------------------------------------------------------------- signatures


def public_url(path_and_query: str, *, base_url: str | None, scheme: str, host: str) -> str:
    """The URL Twilio signed. Behind a TLS-terminating proxy the app sees http://internal-host, so the
    configured PUBLIC_BASE_URL wins; without it the (forwarded) scheme and host of the request are used."""
    if base_url:
        return base_url.rstrip("/") + path_and_query
    return f"{scheme}://{host}{path_and_query}"


def signature_is_valid(
    auth_token: str,
    url: str,
    params: Any,
    signature: str | None,
    signature_settings: str | None = None,
) -> bool:
    """twilio-python's RequestValidator (both port forms, and HMAC-SHA256 when the settings header asks)."""
    if not signature or not auth_token:
        return False
    algorithm = get_signature_algorithm(signature_settings)
    return bool(RequestValidator(auth_token).validate(url, params, signature, algorithm=algorithm))


__all__ = [
    "InboundMedia",
    "InboundMessage",
    "Location",
    "MalformedWebhook",
    "StatusCallback",
    "parse_inbound",
    "parse_status",
    "public_url",
    "signature_is_valid",
]
