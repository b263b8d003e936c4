"""Customer media (photos, voice notes, documents) fetched from Twilio for the console with the tenant's keys.

Inbound media stay at Twilio: the webhook gives `MediaUrl{N}` and the message row keeps them (`Message.media`,
a list of `{"url", "content_type"}`). Those URLs need HTTP basic auth with the tenant's account SID and auth
token, so the browser cannot load them; `engine.http.media_routes` proxies them through these functions.

Decisions, and why:
- The URL comes from a webhook, i.e. from outside. Only Twilio's own API host (`https://*.twilio.com`) or the
  configured `TWILIO_API_BASE_URL` origin is ever fetched, and the tenant's credentials are only ever sent
  there: anything else stored on a message (a forged webhook, an outbound product image, an internal address)
  is refused, so the proxy cannot be turned into a request forger (SSRF) or leak a token.
- Twilio answers a media URL with a redirect to its CDN. Redirects are followed by hand (at most
  MAX_REDIRECTS), each target checked against Twilio's media hosts, and the credentials are not sent to them.
- Size is capped (16 MB, WhatsApp's largest media) before a byte reaches the browser: a declared
  Content-Length over the cap is refused at once; without one, the body is read up to the cap first. Timeouts
  cover connecting, each read, and the whole transfer.
- The content type is Twilio's answer (the real type), not what the webhook claimed; the stored one is only a
  fallback.
- The database lookup (`locate_media`) is separate from the download (`open_source`), so the route does not
  hold a database connection while Twilio streams a 16 MB voice note.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from sqlmodel import Session

from engine.channels.whatsapp.inbound import MAX_MEDIA
from engine.channels.whatsapp.rest_login import RestLogin, rest_login
from engine.channels.whatsapp.twilio_client import rewrite_url
from engine.config import get_settings
from engine.db import TenantScope
from engine.models import Message

MAX_MEDIA_BYTES = 16 * 1024 * 1024  # WhatsApp's limit per message (documents); images are ≤ 5 MB
CONNECT_TIMEOUT = 5.0  # seconds to open a connection
READ_TIMEOUT = 20.0  # seconds between two bytes
TOTAL_TIMEOUT = 60.0  # seconds for the whole transfer
MAX_REDIRECTS = 3
CHUNK_BYTES = 64 * 1024

# Hosts Twilio redirects media downloads to (its CDN, historically fronted by S3). Credentials never go there.
_CDN_SUFFIXES = ("twiliocdn.com", "amazonaws.com")
_CONTENT_TYPE_RE = re.compile(r"^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+$")
FALLBACK_CONTENT_TYPE = "application/octet-stream"


class MediaError(Exception):
    """Base class; the message is safe to show to staff."""


class MediaNotFound(MediaError):
    """No such message in this tenant, or no media item at that index."""


class MediaUnavailable(MediaError):
    """Twilio could not give the media (not connected, error answer, timeout, network): a bad gateway."""


class MediaRefused(MediaUnavailable):
    """The stored URL (or a redirect) does not point at Twilio: never fetched."""


class MediaTooLarge(MediaUnavailable):
    """The media is larger than the cap."""


@dataclass(frozen=True, slots=True)
class MediaSource:
    """Where one media item lives and the credentials to fetch it (never logged, never sent to a browser)."""

    tenant_id: int
    message_id: int
    index: int
    url: str
    stored_content_type: str
    login: RestLogin = field(repr=False)
    base_url: str | None = None


@dataclass(slots=True)
class MediaStream:
    """An open download: its content type, declared length, and the bytes as chunks (closes when done)."""

    content_type: str
    content_length: int | None
    _chunks: Iterator[bytes]
    _response: Any = None

    @property
    def chunks(self) -> Iterator[bytes]:
        return self._chunks

    def read(self) -> bytes:
        try:
            return b"".join(self._chunks)
        finally:
            self.close()

    def close(self) -> None:
        if self._response is not None:
            self._response.close()
            self._response = None


# ------------------------------------------------------------------------------------------------ URL checks


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port or default


def _host_in(host: str, suffixes: tuple[str, ...]) -> bool:
    return any(host == s or host.endswith("." + s) for s in suffixes)


def _no_userinfo(url: str) -> bool:
    parts = urlsplit(url)
    return parts.username is None and parts.password is None


def is_twilio_api_url(url: str, base_url: str | None = None) -> bool:
    """True for `https://<…>.twilio.com/…` or a URL on the configured TWILIO_API_BASE_URL's origin."""
    if not isinstance(url, str) or not url or not _no_userinfo(url):
        return False
    scheme, host, port = _origin(url)
    if scheme == "https" and port == 443 and _host_in(host, ("twilio.com",)):
        return True
    return bool(base_url) and host != "" and _origin(url) == _origin(str(base_url))


def is_twilio_media_host(url: str, base_url: str | None = None) -> bool:
    """Where a Twilio media download may be redirected: its API hosts, the base URL, or its media CDN."""
    if is_twilio_api_url(url, base_url):
        return True
    if not _no_userinfo(url):
        return False
    scheme, host, port = _origin(url)
    return scheme == "https" and port == 443 and _host_in(host, _CDN_SUFFIXES)


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def _clean_content_type(value: str | None) -> str | None:
    main = (value or "").split(";")[0].strip().lower()
    return main if _CONTENT_TYPE_RE.match(main) else None


# ------------------------------------------------------------------------------------------------ lookup


def media_items(message: Message) -> list[dict[str, Any]]:
    return [m for m in (message.media or []) if isinstance(m, dict)]


def locate_media(session: Session, tenant_id: int, message_id: int, index: int) -> MediaSource:
    """Media item `index` of this tenant's message `message_id`, checked and with the tenant's credentials.

    Raises MediaNotFound (another tenant's message is "not found" too), MediaRefused for a URL that is not
    Twilio's, MediaUnavailable when the tenant has no Twilio credentials.
    """
    if index < 0 or index >= MAX_MEDIA:
        raise MediaNotFound("no such media item")
    message = TenantScope(session, tenant_id).get(Message, message_id)
    if message is None:
        raise MediaNotFound("no such message")
    items = media_items(message)
    if index >= len(items):
        raise MediaNotFound("this message has no media item at that position")
    item = items[index]
    url = str(item.get("url") or "")
    base_url = get_settings().twilio_api_base_url
    if not is_twilio_api_url(url, base_url):
        raise MediaRefused("this media address is not a Twilio media URL, so it is not fetched")
    login = rest_login(session, tenant_id)
    if login is None:
        raise MediaUnavailable("Twilio is not connected for this workspace: add the credentials in Settings")
    return MediaSource(
        tenant_id=tenant_id,
        message_id=message_id,
        index=index,
        url=url,
        stored_content_type=_clean_content_type(str(item.get("content_type") or "")) or FALLBACK_CONTENT_TYPE,
        login=login,
        base_url=base_url,
    )


# ------------------------------------------------------------------------------------------------ download


def _get(url: str, auth: tuple[str, str] | None, timeout: tuple[float, float]) -> requests.Response:
    try:
        return requests.get(
            url,
            auth=auth,
            stream=True,
            allow_redirects=False,
            timeout=timeout,
            headers={"Accept": "*/*", "User-Agent": "parley-media-proxy"},
        )
    except requests.exceptions.Timeout as exc:
        raise MediaUnavailable("Twilio did not answer in time") from exc
    except requests.exceptions.RequestException as exc:
        raise MediaUnavailable(f"could not reach Twilio ({type(exc).__name__})") from exc


def _limited(response: requests.Response, max_bytes: int, deadline: float) -> Iterator[bytes]:
    """The body in chunks, never more than `max_bytes` and never past `deadline`; closes the response."""
    total = 0
    try:
        for chunk in response.iter_content(CHUNK_BYTES):
            if not chunk:
                continue
            total += len(chunk)
            if total > max_bytes:
                raise MediaTooLarge(f"the media is larger than {_size(max_bytes)} (the limit)")
            if time.monotonic() > deadline:
                raise MediaUnavailable("Twilio took too long to send the media")
            yield chunk
    except requests.exceptions.RequestException as exc:
        raise MediaUnavailable(f"the download from Twilio broke off ({type(exc).__name__})") from exc
    finally:
        response.close()


def open_source(
    source: MediaSource,
    *,
    max_bytes: int | None = None,
    connect_timeout: float | None = None,
    read_timeout: float | None = None,
    total_timeout: float | None = None,
) -> MediaStream:
    """Start downloading `source` from Twilio. Errors come before the first byte wherever they can:
    refused redirects, error answers and oversize bodies raise here, not halfway through the stream."""
    # Defaults are read at call time, so a test or a deployment can lower them on the module.
    max_bytes = MAX_MEDIA_BYTES if max_bytes is None else max_bytes
    deadline = time.monotonic() + (TOTAL_TIMEOUT if total_timeout is None else total_timeout)
    timeout = (
        CONNECT_TIMEOUT if connect_timeout is None else connect_timeout,
        READ_TIMEOUT if read_timeout is None else read_timeout,
    )
    credentials = source.login.basic_auth
    current = rewrite_url(source.url, source.base_url)
    for _ in range(MAX_REDIRECTS + 1):
        auth = credentials if is_twilio_api_url(current, source.base_url) else None
        response = _get(current, auth, timeout)
        if not response.is_redirect:
            break
        location = response.headers.get("location") or ""
        response.close()
        target = urljoin(current, location)
        if not location or not is_twilio_media_host(target, source.base_url):
            raise MediaRefused("Twilio redirected the download somewhere that is not Twilio's: refused")
        current = rewrite_url(target, source.base_url)
    else:
        raise MediaUnavailable("Twilio redirected the download too many times")

    if response.status_code >= 400:
        status = response.status_code
        response.close()
        if status == 404:
            raise MediaUnavailable("Twilio no longer has this media (404): it may have been deleted")
        if status in (401, 403):
            raise MediaUnavailable(f"Twilio refused the workspace's credentials ({status})")
        raise MediaUnavailable(f"Twilio answered {status} for this media")
    if response.status_code != 200:
        status = response.status_code
        response.close()
        raise MediaUnavailable(f"Twilio answered {status} for this media")

    content_type = _clean_content_type(response.headers.get("content-type")) or source.stored_content_type
    declared = response.headers.get("content-length")
    length: int | None = int(declared) if declared and declared.isdigit() else None
    too_large = MediaTooLarge(f"the media is larger than {_size(max_bytes)} (the limit)")
    if length is not None and length > max_bytes:
        response.close()
        raise too_large
    if length is None:
        # No declared length: read it all (up to the cap) before answering, so "too large" is a clean 502.
        body = bytearray()
        try:
            for chunk in response.iter_content(CHUNK_BYTES):
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise too_large
                if time.monotonic() > deadline:
                    raise MediaUnavailable("Twilio took too long to send the media")
        except requests.exceptions.RequestException as exc:
            raise MediaUnavailable(f"the download from Twilio broke off ({type(exc).__name__})") from exc
        finally:
            response.close()
        return MediaStream(content_type, len(body), iter([bytes(body)] if body else []))
    return MediaStream(content_type, length, _limited(response, max_bytes, deadline), response)


def open_media(session: Session, tenant_id: int, message_id: int, index: int, **options: Any) -> MediaStream:
    """`locate_media` then `open_source`: media item `index` of a message, ready to stream."""
    return open_source(locate_media(session, tenant_id, message_id, index), **options)


@dataclass(frozen=True, slots=True)
class FetchedMedia:
    content: bytes
    content_type: str


def fetch_media(
    session: Session, tenant_id: int, message_id: int, index: int, **options: Any
) -> FetchedMedia:
    """The whole media item in memory (≤ the cap), with Twilio's content type."""
    stream = open_media(session, tenant_id, message_id, index, **options)
    return FetchedMedia(content=stream.read(), content_type=stream.content_type)


__all__ = [
    "FetchedMedia",
    "MAX_MEDIA_BYTES",
    "MediaError",
    "MediaNotFound",
    "MediaRefused",
    "MediaSource",
    "MediaStream",
    "MediaTooLarge",
    "MediaUnavailable",
    "fetch_media",
    "is_twilio_api_url",
    "is_twilio_media_host",
    "locate_media",
    "open_media",
    "open_source",
]
