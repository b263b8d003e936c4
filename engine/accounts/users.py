"""Staff accounts and their memberships (one role per tenant)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlmodel import Session, select

from engine.accounts import audit
from engine.accounts.errors import AccountError, AuthenticationFailed, Forbidden
from engine.db import TenantScope
from engine.models import Membership, Tenant, User
from engine.security.passwords import WeakPassword, check_strength, hash_password, verify_password
from engine.security.rate_limits import ProgressiveDelay
from engine.security.scopes import Role, Scope, parse_role, role_has

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Wrong "current password" answers are counted per user, like failed sign-ins: a borrowed session must not
# become a way to guess the password.
# Wrong current passwords slow down (5 free, then 1, 2, 4 ... 60 s), they never lock the account.
PASSWORD_CHECK_DELAY = ProgressiveDelay("password-check", free=5, base=1, cap=60)


class PasswordRefused(AccountError):
    """A password change was refused; `field` says which input is wrong ("current" or "new")."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class MemberInfo:
    user_id: int
    email: str
    full_name: str
    role: str
    is_active: bool
    invited: bool = False  # never signed in (User.last_login_at unset): shown as "Invited", not a member yet


@dataclass(frozen=True)
class TenantMembership:
    tenant_id: int
    tenant_name: str
    tenant_slug: str
    role: str


@dataclass(frozen=True)
class InviteResult:
    member: MemberInfo
    temporary_password: str | None  # set when the invite created the account: shown once


def normalize_email(email: str) -> str:
    email = email.strip().lower()
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise AccountError(f"{email!r} is not a valid email address")
    return email


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def create_user(session: Session, *, email: str, password: str, full_name: str | None = None) -> User:
    email = normalize_email(email)
    if get_user_by_email(session, email):
        raise AccountError(f"a user with email {email} already exists")
    try:
        password_hash = hash_password(password)
    except WeakPassword as exc:
        raise AccountError(str(exc)) from exc
    user = User(email=email, password_hash=password_hash, full_name=(full_name or "").strip() or None)
    session.add(user)
    session.flush()
    return user


def add_membership(session: Session, tenant_id: int, user_id: int, role: str) -> Membership:
    try:
        parsed = parse_role(role)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc
    scope = TenantScope(session, tenant_id)
    if scope.first(Membership, Membership.user_id == user_id):
        raise AccountError("that person is already a member of this workspace")
    return scope.add(Membership(user_id=user_id, role=parsed.value))


def memberships_of(session: Session, user_id: int) -> list[TenantMembership]:
    rows = session.exec(
        select(Membership, Tenant)
        .join(Tenant, Tenant.id == Membership.tenant_id)
        .where(Membership.user_id == user_id, Tenant.is_active == True)  # noqa: E712
        .order_by(Tenant.name)
    ).all()
    return [
        TenantMembership(tenant_id=t.id, tenant_name=t.name, tenant_slug=t.slug, role=m.role)
        for m, t in rows
        if t.id is not None
    ]


def role_in(session: Session, tenant_id: int, user_id: int) -> str | None:
    row = TenantScope(session, tenant_id).first(Membership, Membership.user_id == user_id)
    return row.role if row else None


def list_members(session: Session, tenant_id: int) -> list[MemberInfo]:
    rows = session.exec(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.tenant_id == tenant_id)
        .order_by(User.email)
    ).all()
    return [_member(m, u) for m, u in rows]


def _member(membership: Membership, user: User) -> MemberInfo:
    assert user.id is not None
    return MemberInfo(
        user_id=user.id,
        email=user.email,
        full_name=user.full_name or "",
        role=membership.role,
        is_active=user.is_active,
        invited=user.last_login_at is None,
    )


def _require_team_manager(session: Session, tenant_id: int, actor_user_id: int) -> None:
    role = role_in(session, tenant_id, actor_user_id)
    if role is None or not role_has(role, Scope.TEAM_MANAGE):
        raise Forbidden("only an owner can manage the team")


def _owner_count(session: Session, tenant_id: int) -> int:
    return len(TenantScope(session, tenant_id).all(Membership, Membership.role == Role.OWNER.value))


def invite_member(
    session: Session, tenant_id: int, actor_user_id: int, *, email: str, role: str
) -> InviteResult:
    """Add a person to the tenant; a new account gets a one-time temporary password to hand over."""
    _require_team_manager(session, tenant_id, actor_user_id)
    email = normalize_email(email)
    user = get_user_by_email(session, email)
    temporary = None
    if user is None:
        temporary = secrets.token_urlsafe(12)
        user = create_user(session, email=email, password=temporary)
    assert user.id is not None
    membership = add_membership(session, tenant_id, user.id, role)
    audit.record(
        session,
        tenant_id,
        "team.invite",
        actor_user_id=actor_user_id,
        target_type="user",
        target_id=user.id,
        details={"email": email, "role": membership.role},
    )
    return InviteResult(member=_member(membership, user), temporary_password=temporary)


def change_role(
    session: Session, tenant_id: int, actor_user_id: int, *, user_id: int, role: str
) -> MemberInfo:
    _require_team_manager(session, tenant_id, actor_user_id)
    try:
        new_role = parse_role(role)
    except ValueError as exc:
        raise AccountError(str(exc)) from exc
    scope = TenantScope(session, tenant_id)
    membership = scope.first(Membership, Membership.user_id == user_id)
    if membership is None:
        raise AccountError("that person is not a member of this workspace")
    if (
        membership.role == Role.OWNER.value
        and new_role != Role.OWNER
        and _owner_count(session, tenant_id) <= 1
    ):
        raise AccountError("a workspace needs at least one owner: make someone else owner first")
    old = membership.role
    membership.role = new_role.value
    session.add(membership)
    session.flush()
    audit.record(
        session,
        tenant_id,
        "team.role_changed",
        actor_user_id=actor_user_id,
        target_type="user",
        target_id=user_id,
        details={"from": old, "to": new_role.value},
    )
    user = session.get(User, user_id)
    assert user is not None
    return _member(membership, user)


def remove_member(session: Session, tenant_id: int, actor_user_id: int, *, user_id: int) -> None:
    _require_team_manager(session, tenant_id, actor_user_id)
    scope = TenantScope(session, tenant_id)
    membership = scope.first(Membership, Membership.user_id == user_id)
    if membership is None:
        raise AccountError("that person is not a member of this workspace")
    if membership.role == Role.OWNER.value and _owner_count(session, tenant_id) <= 1:
        raise AccountError("the last owner cannot be removed")
    scope.delete(membership)
    audit.record(
        session,
        tenant_id,
        "team.removed",
        actor_user_id=actor_user_id,
        target_type="user",
        target_id=user_id,
    )


def change_password(
    session: Session,
    user_id: int,
    current: str,
    new: str,
    *,
    keep_token: str | None = None,
) -> int:
    """Change a user's own password; returns how many of their other sessions were ended.

    The current password must be right (argon2 check, failures throttled), the new one must pass the same
    rules as every password (engine.security.passwords: at least 10 characters, no surrounding spaces) and
    differ from the current one. Every other session of the user is revoked; the one behind `keep_token` (the
    browser that made the change) stays signed in. Each workspace the user belongs to gets an audit row.

    There is no "must change password" flag to clear: the user table has no such column, so nothing yet
    forces an invited person to replace their temporary password.
    """
    from engine.accounts.sessions import end_other_sessions  # sessions imports this module

    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise AuthenticationFailed("this account is disabled")
    subject = str(user_id)
    if wait := PASSWORD_CHECK_DELAY.admit(subject):  # the slot is taken before the check: see rate_limits
        raise PasswordRefused(f"too many wrong passwords: try again in {wait.header} seconds", "current")
    if not current or not verify_password(user.password_hash, current):
        PASSWORD_CHECK_DELAY.failed(subject)
        raise PasswordRefused("your current password is not right", "current")
    PASSWORD_CHECK_DELAY.succeeded(subject)
    if new == current:
        raise PasswordRefused("the new password must be different from the current one", "new")
    try:
        check_strength(new)
    except WeakPassword as exc:
        raise PasswordRefused(str(exc), "new") from exc
    user.password_hash = hash_password(new)
    session.add(user)
    session.flush()
    ended = end_other_sessions(session, user_id, keep_token)
    for membership in session.exec(select(Membership).where(Membership.user_id == user_id)).all():
        audit.record(
            session,
            membership.tenant_id,
            "account.password_changed",
            actor_user_id=user_id,
            actor_label=user.email,
            target_type="user",
            target_id=user_id,
            details={"other_sessions_ended": ended},
        )
    return ended
