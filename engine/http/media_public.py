"""GET /api/campaign-media/{tenant_id}/{name}?exp=…&sig=… — campaign media for Twilio, by signed URL only.

Twilio fetches a campaign's picture, video or PDF without our session, so the URL itself is the credential:
engine.campaigns.media signs the key and an expiry with a key derived from PARLEY_SECRET_KEYS. A missing,
wrong or expired signature answers 403 (never a hint which); a signed key that is gone answers 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import Response

from engine.campaigns import media

router = APIRouter(prefix=media.ROUTE, tags=["media"], include_in_schema=False)


@router.get("/{tenant_id}/{name}")
def campaign_media(
    tenant_id: Annotated[int, Path(ge=1, le=10**12)],
    name: Annotated[str, Path(max_length=40)],
    exp: Annotated[str, Query(max_length=20)] = "",
    sig: Annotated[str, Query(max_length=128)] = "",
) -> Response:
    key = f"{tenant_id}/{name}"
    parsed = media.parse_key(key)
    if parsed is None or not media.verify(key, exp, sig):
        raise HTTPException(403, detail="this link is not valid or has expired")
    try:
        data = media.read(tenant_id, key)
    except FileNotFoundError:
        raise HTTPException(404, detail="not found") from None
    return Response(
        content=data,
        media_type=parsed[1],
        headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


__all__ = ["router"]
