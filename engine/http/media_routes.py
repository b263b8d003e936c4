"""`GET /api/media/{message_id}/{index}`: a customer's photo, voice note or document, proxied from Twilio.

Twilio's media URLs need the tenant's credentials, so the console's transcript points `<img>`, `<audio>` and
file links here instead. Who may read: a console session (the HttpOnly cookie) whose role in its active
workspace reads conversations (`conversations:reply`), or an API token with that scope. The message is looked
up in that workspace only, so another workspace's message is a 404, the same answer as a message that does not
exist. Twilio's failures (not connected, error answers, timeouts, oversize media, a URL that is not Twilio's)
are a 502 with the reason in `detail`.

Served files are kept from running as pages on the console's origin: `nosniff`, a sandboxing CSP, and only
images, audio, video and PDF are shown inline; anything else (HTML, SVG, office files) is a download.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, status
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from engine.accounts import api_tokens, sessions
from engine.accounts.errors import AuthenticationFailed, Forbidden
from engine.channels.whatsapp import media
from engine.channels.whatsapp.inbound import MAX_MEDIA
from engine.db import session_scope
from engine.http.paging import MAX_ID
from engine.security.scopes import Scope

router = APIRouter(prefix="/api/media", tags=["media"])

READ_SCOPE = Scope.CONVERSATIONS_REPLY.value
CACHE_CONTROL = "private, max-age=3600"  # media never change; private: only this browser keeps it
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"})
INLINE_MAJORS = frozenset({"audio", "video"})


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def reader_tenant(request: Request) -> int:
    """The workspace whose media this request may read; 401 without a live session or token, 403 without the
    scope that reads conversations."""
    cookie = request.cookies.get(sessions.SESSION_COOKIE)
    bearer = _bearer(request)
    with session_scope() as session:
        try:
            if cookie or not bearer:
                who = sessions.resolve(session, cookie)
                if READ_SCOPE not in who.scopes:
                    raise Forbidden("your role does not include the conversations")
                return who.tenant_id
            principal = api_tokens.authenticate(session, bearer)
            api_tokens.require_scope(principal, READ_SCOPE)
            return principal.tenant_id
        except AuthenticationFailed as exc:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=str(exc)) from exc
        except Forbidden as exc:
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=str(exc)) from exc


def _disposition(content_type: str, message_id: int, index: int) -> str:
    major = content_type.split("/")[0]
    inline = content_type in INLINE_TYPES or major in INLINE_MAJORS
    name = f"message-{message_id}-{index}"
    return f'{"inline" if inline else "attachment"}; filename="{name}"'


@router.get("/{message_id}/{index}")
def message_media(
    request: Request,
    message_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    index: Annotated[int, Path(ge=0, lt=MAX_MEDIA)],
) -> StreamingResponse:
    tenant_id = reader_tenant(request)
    try:
        with session_scope() as session:
            source = media.locate_media(session, tenant_id, message_id, index)
        stream = media.open_source(source)
    except media.MediaNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=str(exc)) from exc
    except media.MediaUnavailable as exc:
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, detail=str(exc)) from exc
    headers = {
        "Cache-Control": CACHE_CONTROL,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Content-Disposition": _disposition(stream.content_type, message_id, index),
    }
    if stream.content_length is not None:
        headers["Content-Length"] = str(stream.content_length)
    return StreamingResponse(
        stream.chunks,
        media_type=stream.content_type,
        headers=headers,
        background=BackgroundTask(stream.close),
    )


__all__ = ["reader_tenant", "router"]
