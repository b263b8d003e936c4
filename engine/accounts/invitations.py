"""Inviting someone to a workspace, and telling them by email when the workspace can send mail.

The membership is committed first and the email sent after: a slow or refusing mail server must never undo
the invite, and the owner is told plainly whether an email went (the dialog still shows a temporary password
to hand over when none did).
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.accounts import mailer, users
from engine.db import session_scope
from engine.security.scopes import ROLE_LABELS, parse_role


@dataclass(frozen=True)
class InviteOutcome:
    invite: users.InviteResult
    email: mailer.SendResult


def invite_and_email(
    tenant_id: int, actor_user_id: int, *, email: str, role: str, sign_in_url: str
) -> InviteOutcome:
    """Add the person (engine.accounts.users.invite_member rules), then email them if mail is set up."""
    with session_scope() as session:
        result = users.invite_member(session, tenant_id, actor_user_id, email=email, role=role)
    with session_scope() as session:
        sent = mailer.send_invitation(
            session,
            tenant_id,
            to=result.member.email,
            role_label=ROLE_LABELS[parse_role(result.member.role)].split(" — ")[0],
            sign_in_url=sign_in_url,
            temporary_password=result.temporary_password,
        )
    return InviteOutcome(result, sent)


__all__ = ["InviteOutcome", "invite_and_email"]
