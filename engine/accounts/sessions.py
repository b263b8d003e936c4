"""Console logins: password check, server-side sessions behind an HttpOnly cookie, tenant switching."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import Session, select

from engine.accounts.errors import AuthenticationFailed, Forbidden, SignInThrottled
from engine.accounts.users import TenantMembership, get_user_by_email, memberships_of
from engine.config import get_settings
from engine.models import User, UserSession, utcnow
from engine.security.passwords import DUMMY_HASH, hash_password, needs_rehash, verify_password
from engine.security.rate_limits import ProgressiveDelay, RetryAfter
from engine.security.scopes import role_scopes
from engine.security.tokens import hash_token, new_token

SESSION_COOKIE = "parley_session"
# Sign-in guesses slow down instead of locking anyone out (engine.security.rate_limits.ProgressiveDelay):
# per account, 5 free failures, then 1, 2, 4 ... 60 s between checked attempts; per client address, across
# every account it tries, 20 free failures, then 1, 2, 4 ... 300 s.
ACCOUNT_DELAY = ProgressiveDelay("signin-account", free=5, base=1, cap=60)
ADDRESS_DELAY = ProgressiveDelay("signin-address", free=20, base=1, cap=300)


@dataclass(frozen=True)
class SignedIn:
    """Who is behind a session cookie and what they may do in their active tenant."""

    user_id: int
    email: str
    full_name: str
    tenant_id: int
    tenant_name: str
    tenant_slug: str
    role: str
    scopes: frozenset[str]
    memberships: tuple[TenantMembership, ...]


def throttled(wait: RetryAfter) -> SignInThrottled:
    return SignInThrottled(
        f"too many failed sign-ins: try again in {wait.header} seconds", retry_after=wait.seconds
    )


def login(
    session: Session,
    email: str,
    password: str,
    *,
    user_agent: str | None = None,
    client_address: str | None = None,
) -> str:
    """Check the password and open a session; returns the cookie token (shown to nobody else).

    Guessing is slowed per account and per client address (shared through Redis when set): each attempt
    takes its slot before the password is checked, so concurrent guesses cannot slip past the count. The
    address is taken first, so an address that is waiting does not use up the account's slot.
    """
    account = (email or "").strip().lower()
    if client_address and (wait := ADDRESS_DELAY.admit(client_address)):
        raise throttled(wait)
    if wait := ACCOUNT_DELAY.admit(account):
        raise throttled(wait)
    user = get_user_by_email(session, email or "")
    if user is None or not verify_password(user.password_hash, password or ""):
        if user is None:
            verify_password(DUMMY_HASH, password or "")  # the same time as a wrong password
        ACCOUNT_DELAY.failed(account)
        if client_address:  # never cleared by a success: signing in to one's own account would reset it
            ADDRESS_DELAY.failed(client_address)
        raise AuthenticationFailed("wrong email or password")
    ACCOUNT_DELAY.succeeded(account)
    if not user.is_active:
        raise AuthenticationFailed("this account is disabled")
    assert user.id is not None
    memberships = memberships_of(session, user.id)
    if not memberships:
        raise AuthenticationFailed("this account belongs to no workspace yet")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.add(user)
    token = new_token()
    session.add(
        UserSession(
            token_hash=hash_token(token),
            user_id=user.id,
            active_tenant_id=memberships[0].tenant_id,
            expires_at=utcnow() + timedelta(hours=get_settings().session_ttl_hours),
            user_agent=(user_agent or "")[:255] or None,
        )
    )
    session.flush()
    return token


def _live_session(session: Session, token: str | None) -> UserSession:
    if not token:
        raise AuthenticationFailed("please sign in")
    row = session.exec(select(UserSession).where(UserSession.token_hash == hash_token(token))).first()
    if row is None or row.revoked_at is not None:
        raise AuthenticationFailed("your session has ended: please sign in again")
    if row.expires_at <= utcnow():
        raise AuthenticationFailed("your session has expired: please sign in again")
    return row


def resolve(session: Session, token: str | None) -> SignedIn:
    """The signed-in user and active tenant behind a cookie token, re-read from the database each time."""
    row = _live_session(session, token)
    user = session.get(User, row.user_id)
    if user is None or not user.is_active or user.id is None:
        raise AuthenticationFailed("this account is disabled")
    memberships = memberships_of(session, user.id)
    if not memberships:
        raise AuthenticationFailed("this account belongs to no workspace any more")
    active = next((m for m in memberships if m.tenant_id == row.active_tenant_id), memberships[0])
    return SignedIn(
        user_id=user.id,
        email=user.email,
        full_name=user.full_name or "",
        tenant_id=active.tenant_id,
        tenant_name=active.tenant_name,
        tenant_slug=active.tenant_slug,
        role=active.role,
        scopes=role_scopes(active.role),
        memberships=tuple(memberships),
    )


def switch_tenant(session: Session, token: str | None, tenant_id: int) -> SignedIn:
    row = _live_session(session, token)
    if not any(m.tenant_id == tenant_id for m in memberships_of(session, row.user_id)):
        raise Forbidden("you are not a member of that workspace")
    row.active_tenant_id = tenant_id
    session.add(row)
    session.flush()
    return resolve(session, token)


def logout(session: Session, token: str | None) -> None:
    if not token:
        return
    row = session.exec(select(UserSession).where(UserSession.token_hash == hash_token(token))).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.flush()


def end_other_sessions(session: Session, user_id: int, keep_token: str | None = None) -> int:
    """Revoke every live session of a user except the one behind `keep_token`; returns how many ended.

    Used after a password change: whoever knew the old password is signed out everywhere else.
    """
    keep = hash_token(keep_token) if keep_token else None
    rows = session.exec(
        select(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at == None)  # noqa: E711
    ).all()
    now = utcnow()
    ended = 0
    for row in rows:
        if keep is not None and row.token_hash == keep:
            continue
        row.revoked_at = now
        session.add(row)
        ended += 1
    session.flush()
    return ended
