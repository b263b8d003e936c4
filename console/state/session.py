"""Who is signed in: read from the HttpOnly session cookie and re-checked against the database every time.

The browser never holds the session token in JavaScript: `/api/auth/login` sets it as an HttpOnly cookie and
the websocket handshake carries it to the server, where `self.router.headers.cookie` exposes it to state (and
Reflex keeps it out of what is sent back to the browser). The ids that decide what a person may touch live in
backend-only vars (leading underscore); the public vars are only what the shell draws.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlencode

import reflex as rx

from console.navigation import LOGIN_ROUTE
from engine.accounts import sessions
from engine.accounts.errors import AuthenticationFailed
from engine.accounts.sessions import SESSION_COOKIE, SignedIn
from engine.db import session_scope
from engine.security.scopes import ROLE_LABELS, pages_for, parse_role


def token_from_cookie_header(header: str | None) -> str | None:
    """The session token from a raw `Cookie:` header, or None when absent or unparseable."""
    if not header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return None
    morsel = jar.get(SESSION_COOKIE)
    return morsel.value if morsel and morsel.value else None


def login_url(next_path: str | None = None, error: str | None = None) -> str:
    """Where to send someone whose session is missing or over, remembering the page they wanted."""
    query: dict[str, str] = {}
    if next_path and next_path.startswith("/") and not next_path.startswith(LOGIN_ROUTE):
        query["next"] = next_path
    if error:
        query["error"] = error
    return f"{LOGIN_ROUTE}?{urlencode(query)}" if query else LOGIN_ROUTE


def role_name(role: str) -> str:
    """ "Owner" from "owner": the short label the engine's ROLE_LABELS starts with."""
    try:
        return ROLE_LABELS[parse_role(role)].split(" — ")[0]
    except (ValueError, KeyError):
        return role.title()


def sentence(message: str) -> str:
    """Engine messages are lower-case clauses; the console shows them as sentences.

    The engine says "tenant" where the console, talking to shop staff, says "workspace".
    """
    message = message.strip().replace("tenant", "workspace")
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."


def initials(full_name: str, email: str) -> str:
    """Two letters for an avatar: from the name when there is one, else from the email."""
    words = [w for w in full_name.replace(".", " ").split() if w]
    if len(words) >= 2:
        return (words[0][0] + words[-1][0]).upper()
    if words:
        return words[0][:2].upper()
    return (email[:2] or "?").upper()


class SessionState(rx.State):
    """The signed-in person and their active tenant, as the shell shows them.

    Every page state calls `resolve_session()` at the start of every handler; nothing here is trusted from
    a previous event, because the session may have been revoked or the role changed in between.
    """

    _user_id: int = 0
    _tenant_id: int = 0
    _role: str = ""

    signed_in: bool = False
    user_name: str = ""
    user_email: str = ""
    user_initials: str = ""
    tenant_name: str = ""
    tenant_initials: str = ""
    tenant_key: str = ""
    role: str = ""
    role_label: str = ""
    pages: list[str] = []
    tenants: list[dict[str, str]] = []

    def session_token(self) -> str | None:
        """The token from the cookie the websocket handshake carried."""
        return token_from_cookie_header(self.router.headers.cookie)

    def resolve_session(self) -> SignedIn:
        """Re-read the session from the database and refresh what the shell shows.

        Raises AuthenticationFailed (and forgets everything) when there is no live session.
        """
        try:
            with session_scope() as db:
                who = sessions.resolve(db, self.session_token())
        except AuthenticationFailed:
            self.forget()
            raise
        self.remember(who)
        return who

    def remember(self, who: SignedIn) -> None:
        """Copy the few facts the shell draws; the ids stay backend-only."""
        self._user_id = who.user_id
        self._tenant_id = who.tenant_id
        self._role = who.role
        self.signed_in = True
        self.user_name = who.full_name or who.email.split("@")[0]
        self.user_email = who.email
        self.user_initials = initials(who.full_name, who.email)
        self.tenant_name = who.tenant_name
        self.tenant_initials = initials(who.tenant_name, who.tenant_slug)
        self.tenant_key = str(who.tenant_id)
        self.role = who.role
        self.role_label = role_name(who.role)
        self.pages = pages_for(who.role)
        self.tenants = [
            {
                "id": str(m.tenant_id),
                "name": m.tenant_name,
                "initials": initials(m.tenant_name, m.tenant_slug),
                "role": role_name(m.role),
            }
            for m in who.memberships
        ]

    def forget(self) -> None:
        """Drop everything about a session that is over."""
        self._user_id = 0
        self._tenant_id = 0
        self._role = ""
        self.signed_in = False
        self.user_name = self.user_email = self.user_initials = ""
        self.tenant_name = self.tenant_initials = self.tenant_key = ""
        self.role = self.role_label = ""
        self.pages = []
        self.tenants = []
