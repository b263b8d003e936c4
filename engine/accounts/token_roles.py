"""Whose powers an API token carries: the staff member who created it, as their role is now.

Scopes say what a token may touch; some acts also need the creator to still hold a high enough role — erasing
a customer needs an owner or an admin, so a token made by an admin who was later demoted (or removed) loses
that power with them. A token made on the command line (`create-api-token`) has no creator: it was issued by
the operator, who already holds the database, and counts as an owner's.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from engine.db import TenantScope
from engine.models import ApiToken, Membership
from engine.security.scopes import Role

ERASE_ROLES = frozenset({Role.OWNER.value, Role.ADMIN.value})


@dataclass(frozen=True, slots=True)
class TokenHolder:
    user_id: int | None  # the creator; None for an operator's token
    role: str | None  # the creator's role in the tenant now; "owner" for an operator's token


def token_holder(session: Session, tenant_id: int, token_id: int) -> TokenHolder:
    scope = TenantScope(session, tenant_id)
    token = scope.get(ApiToken, token_id)
    if token is None:
        return TokenHolder(user_id=None, role=None)
    if token.created_by_user_id is None:
        return TokenHolder(user_id=None, role=Role.OWNER.value)
    membership = scope.first(Membership, Membership.user_id == token.created_by_user_id)
    return TokenHolder(user_id=token.created_by_user_id, role=membership.role if membership else None)


def may_erase_customers(holder: TokenHolder) -> bool:
    return holder.role in ERASE_ROLES


__all__ = ["ERASE_ROLES", "TokenHolder", "may_erase_customers", "token_holder"]
