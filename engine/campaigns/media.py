"""Campaign media: uploads checked by what they are, kept in the tenant's own storage, and handed to Twilio
through signed URLs that expire.

Why each step:
- **Real content type.** A file's name and the browser's MIME type are the sender's claim; WhatsApp refuses a
  template whose media is not what its header says, and a disguised file must never reach customers. The first
  bytes are read with `filetype` (magic numbers): only JPEG, PNG, MP4 and PDF pass, each under WhatsApp's size
  limit for its kind (pictures 5 MB, video 16 MB, documents 100 MB).
- **The tenant's own storage.** Files live under `<tenant id>/<random name>.<ext>` in a local folder
  (data/media by default) or in S3-compatible object storage when `MEDIA_STORAGE_URI` says so
  (`s3://bucket/prefix`, through fsspec and the `s3` extra's s3fs; endpoint and keys from the usual AWS_*
  variables, AWS_ENDPOINT_URL for a non-AWS store). Both are tested, S3 against moto's S3-compatible server
  (tests/engine/campaigns/test_media_on_s3.py). Names are ours (random), never the uploader's.
- **Signed, expiring URLs.** Twilio fetches the media when the template is created and when each message
  goes out, without our session. `signed_url` adds `exp` (a Unix time) and `sig`, an HMAC-SHA256 over the
  key and expiry with a key derived from PARLEY_SECRET_KEYS (every configured key verifies, so rotation keeps
  links alive); engine/http/media_public.py answers 403 to a wrong or expired signature.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import time
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import filetype
import fsspec

from engine.campaigns.errors import CampaignError
from engine.config import get_settings
from engine.security.crypto import configured_keys

MB = 1024 * 1024
# real content type → (extension, kind, WhatsApp's limit in bytes)
ALLOWED: dict[str, tuple[str, str, int]] = {
    "image/jpeg": ("jpg", "image", 5 * MB),
    "image/png": ("png", "image", 5 * MB),
    "video/mp4": ("mp4", "video", 16 * MB),
    "application/pdf": ("pdf", "document", 100 * MB),
}
UPLOAD_MAX = max(limit for _, _, limit in ALLOWED.values())
URL_TTL_SECONDS = 3 * 24 * 3600  # Twilio fetches at template creation and at each send of a campaign
ROUTE = "/api/campaign-media"
KEY_RE = re.compile(r"^(\d{1,12})/([a-f0-9]{24})\.(jpg|png|mp4|pdf)$")
_SIGNING_LABEL = b"parley campaign media url v1"


@dataclass(frozen=True, slots=True)
class StoredMedia:
    key: str  # "<tenant id>/<random>.<ext>": what the campaign stores
    content_type: str
    kind: str  # image | video | document
    size: int


def sniff(data: bytes) -> tuple[str, str, str]:
    """(content type, extension, kind) of `data` read from its bytes; CampaignError when WhatsApp would not
    take it as a campaign's media or it is over the limit for its kind."""
    if not data:
        raise CampaignError("media", "the file is empty")
    guess = filetype.guess(data[:8192])
    mime = guess.mime if guess else ""
    if mime not in ALLOWED:
        raise CampaignError(
            "media", "a campaign can carry one JPEG or PNG picture, MP4 video or PDF document"
        )
    ext, kind, limit = ALLOWED[mime]
    if len(data) > limit:
        raise CampaignError(
            "media",
            f"WhatsApp takes a {kind} of at most {limit // MB} MB (this one is {len(data) / MB:.1f} MB)",
            limit,
        )
    return mime, ext, kind


def _root() -> str:
    uri = os.environ.get("MEDIA_STORAGE_URI", "").strip()
    return uri.rstrip("/") if uri else str(get_settings().data_dir / "media")


def _fs() -> tuple[fsspec.AbstractFileSystem, str]:
    fs, root = fsspec.core.url_to_fs(_root())
    return fs, root.rstrip("/")


def store(tenant_id: int, data: bytes) -> StoredMedia:
    """Check `data` and keep it in the tenant's storage under a name of ours."""
    mime, ext, kind = sniff(data)
    key = f"{int(tenant_id)}/{secrets.token_hex(12)}.{ext}"
    fs, root = _fs()
    fs.makedirs(f"{root}/{tenant_id}", exist_ok=True)
    with fs.open(f"{root}/{key}", "wb") as handle:
        handle.write(data)
    return StoredMedia(key=key, content_type=mime, kind=kind, size=len(data))


def parse_key(key: str) -> tuple[int, str] | None:
    """(tenant id, content type) of a well-formed key, else None (no path tricks reach the storage)."""
    match = KEY_RE.match(key or "")
    if not match:
        return None
    ext = match.group(3)
    mime = next(m for m, (e, _, _) in ALLOWED.items() if e == ext)
    return int(match.group(1)), mime


def read(tenant_id: int, key: str) -> bytes:
    """The stored bytes of `key`, which must belong to `tenant_id`; FileNotFoundError otherwise."""
    parsed = parse_key(key)
    if parsed is None or parsed[0] != int(tenant_id):
        raise FileNotFoundError(key)
    fs, root = _fs()
    with fs.open(f"{root}/{key}", "rb") as handle:
        return handle.read()


def _signing_keys() -> list[bytes]:
    return [hmac.new(k.encode(), _SIGNING_LABEL, hashlib.sha256).digest() for k in configured_keys()]


def _mac(secret: bytes, key: str, expires: int) -> str:
    return hmac.new(secret, f"{key}\n{expires}".encode(), hashlib.sha256).hexdigest()


def signature(key: str, expires: int) -> str:
    return _mac(_signing_keys()[0], key, expires)


def verify(key: str, expires: int | str, sig: str, *, now: float | None = None) -> bool:
    """True when `sig` signs `key` until `expires` with any configured key and that moment has not passed."""
    try:
        until = int(expires)
    except (TypeError, ValueError):
        return False
    if until < (time.time() if now is None else now):
        return False
    return any(hmac.compare_digest(_mac(k, key, until), sig or "") for k in _signing_keys())


def signed_path(key: str, *, ttl: int = URL_TTL_SECONDS, now: float | None = None) -> str:
    expires = int((time.time() if now is None else now) + ttl)
    query = urlencode({"exp": expires, "sig": signature(key, expires)})
    return f"{ROUTE}/{quote(key)}?{query}"


def signed_url(tenant_id: int, key: str, *, ttl: int = URL_TTL_SECONDS) -> str:
    """An absolute URL Twilio can fetch (PUBLIC_BASE_URL + the signed path); the console uses the path."""
    base = (get_settings().public_base_url or "").rstrip("/")
    return f"{base}{signed_path(key, ttl=ttl)}"


__all__ = [
    "ALLOWED",
    "UPLOAD_MAX",
    "StoredMedia",
    "parse_key",
    "read",
    "signed_path",
    "signed_url",
    "sniff",
    "store",
    "verify",
]
