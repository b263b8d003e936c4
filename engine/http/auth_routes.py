"""Console sign-in and sign-out: the session token travels only in an HttpOnly cookie."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from engine.accounts import sessions
from engine.accounts.errors import AuthenticationFailed
from engine.config import get_settings
from engine.db import session_scope

router = APIRouter(prefix="/api/auth", tags=["console auth"])


def _requested_next(form_next: str, request: Request) -> str:
    """The form's `next`, else the one in the sign-in page's own URL.

    The console fills the hidden field after its websocket connects; a fast submit can beat that, and the
    page the person asked for must not be lost because of it.
    """
    if form_next and form_next != "/":
        return form_next
    referer = urlsplit(request.headers.get("referer", ""))
    return parse_qs(referer.query).get("next", [form_next])[0]


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an attacker-supplied absolute URL must not become an open redirect.
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.post("/login")
def login(
    request: Request,
    email: str = Form(default=""),
    password: str = Form(default=""),
    next: str = Form(default="/"),
) -> RedirectResponse:
    target = _safe_next(_requested_next(next, request))
    try:
        with session_scope() as session:
            token = sessions.login(
                session,
                email,
                password,
                user_agent=request.headers.get("user-agent"),
                client_address=request.client.host if request.client else None,
            )
    except AuthenticationFailed as exc:
        query = urlencode({"error": str(exc), "next": target, "email": email.strip()[:254]})
        return RedirectResponse(f"/login?{query}", status_code=303)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        sessions.SESSION_COOKIE,
        token,
        max_age=get_settings().session_ttl_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@router.post("/logout")
def logout(request: Request) -> RedirectResponse:
    with session_scope() as session:
        sessions.logout(session, request.cookies.get(sessions.SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(sessions.SESSION_COOKIE, path="/")
    return response
