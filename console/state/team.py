"""State of Settings → Team: members, invites, role changes and removals, through engine.accounts.users.

Only owners hold `team:manage`. The engine re-checks the actor's role itself; this state checks first so the
page can say "not allowed" instead of failing, and so a forged event never reaches the database.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import reflex as rx

from console.state.guard import PageState
from console.state.session import initials, role_name, sentence
from engine.accounts import mailer, users
from engine.accounts.errors import AccountError, Forbidden
from engine.accounts.invitations import invite_and_email
from engine.accounts.sessions import SignedIn
from engine.db import session_scope
from engine.security.scopes import ROLE_LABELS, Role, Scope

TEAM_SCOPE = Scope.TEAM_MANAGE.value

# (value, name, what the role may do), from the engine's labels, most powerful first.
ROLE_CHOICES: tuple[tuple[str, str, str], ...] = tuple(
    (role.value, *ROLE_LABELS[role].split(" — ", 1)) for role in Role
)

ROLE_COLORS: dict[str, str] = {
    Role.OWNER.value: "grass",
    Role.ADMIN.value: "blue",
    Role.MANAGER.value: "violet",
    Role.AGENT.value: "amber",
    Role.VIEWER.value: "gray",
}


@dataclasses.dataclass
class MemberRow:
    """One row of the members table: display strings only."""

    user_id: str = ""
    email: str = ""
    name: str = ""
    initials: str = ""
    role: str = ""
    role_name: str = ""
    color: str = "gray"
    is_you: bool = False
    invited: bool = False  # has not signed in yet


class TeamState(PageState, rx.State):
    """The Team tab. `page_key` "team" means scope team:manage: only owners see the members."""

    page_key: ClassVar[str] = "team"

    members: list[MemberRow] = []

    invite_open: bool = False
    invite_email_note: str = ""  # whether the invitation was emailed (Settings → Email), said in the dialog
    invite_error: str = ""
    created_email: str = ""
    created_password: str = ""

    remove_open: bool = False
    remove_user_id: str = ""
    remove_email: str = ""

    @rx.var
    def member_count(self) -> int:
        return len(self.members)

    def on_allowed(self, who: SignedIn) -> Any:
        self._load_members(who)
        return None

    def on_refused(self) -> None:
        self.members = []
        self._reset_invite()
        self._close_remove()

    def _load_members(self, who: SignedIn) -> None:
        with session_scope() as db:
            rows = users.list_members(db, who.tenant_id)
        self.members = [
            MemberRow(
                user_id=str(m.user_id),
                email=m.email,
                name=m.full_name,
                initials=initials(m.full_name, m.email),
                role=m.role,
                role_name=role_name(m.role),
                color=ROLE_COLORS.get(m.role, "gray"),
                is_you=m.user_id == who.user_id,
                invited=m.invited,
            )
            for m in rows
        ]

    def _reset_invite(self) -> None:
        self.invite_open = False
        self.invite_error = ""
        self.created_email = ""
        self.created_password = ""

    @rx.event
    async def open_invite(self):
        """Open an empty invite dialog."""
        _, refusal = await self.authorize_or_refuse(TEAM_SCOPE)
        if refusal is not None:
            return refusal
        self._reset_invite()
        self.invite_open = True
        return None

    @rx.event
    def set_invite_open(self, is_open: bool):
        """Closing the dialog forgets the temporary password: it is shown once, then gone.

        Opening goes through `open_invite`, which checks the role; this only closes, so it needs no check.
        """
        if not is_open:
            self._reset_invite()
        return None

    def _sign_in_url(self) -> str:
        headers = self.router.headers
        host = getattr(headers, "host", "") or "localhost:3000"
        origin = getattr(headers, "origin", "") or f"http://{host}"
        return f"{origin.rstrip('/')}/login"

    @rx.event
    async def invite(self, form: dict[str, Any]):
        """Invite by email with a role; a newly created account gets a temporary password shown once."""
        who, refusal = await self.authorize_or_refuse(TEAM_SCOPE)
        if who is None:
            return refusal
        email = str(form.get("email") or "").strip()
        role = str(form.get("role") or Role.AGENT.value)
        if not email:
            self.invite_error = "Enter the email address of the person to invite."
            return None
        try:
            outcome = invite_and_email(
                who.tenant_id, who.user_id, email=email, role=role, sign_in_url=self._sign_in_url()
            )
            result = outcome.invite
        except AccountError as exc:
            self.invite_error = sentence(str(exc))
            return None
        except Forbidden as exc:
            self._reset_invite()
            return rx.toast.error(sentence(str(exc)))
        self._load_members(who)
        verb = "invited" if result.member.invited else "added"  # "added": someone who has signed in before
        added = f"{result.member.email} was {verb} as {role_name(result.member.role)}."
        self.invite_email_note = self._email_note(who.tenant_id, result.member.email, outcome.email)
        added = f"{added} {self.invite_email_note}"
        if result.temporary_password:
            self.invite_error = ""
            self.created_email = result.member.email
            self.created_password = result.temporary_password
            return rx.toast.success(added)
        self._reset_invite()
        return rx.toast.success(added)

    @staticmethod
    def _email_note(tenant_id: int, email: str, sent: mailer.SendResult) -> str:
        """Whether the invitation went by email, in one sentence for the dialog and the toast."""
        if sent.sent:
            return f"An invitation email was sent to {email}."
        with session_scope() as db:
            configured = mailer.mail_settings(db, tenant_id).configured
        if not configured:
            return "No invitation email was sent: this workspace has no mail server (Settings → Email)."
        return f"The invitation email could not be sent: {sent.message[0].lower()}{sent.message[1:]}"

    @rx.event
    async def change_role(self, user_id: str, role: str):
        """Give a member another role; the engine refuses to leave the tenant without an owner."""
        who, refusal = await self.authorize_or_refuse(TEAM_SCOPE)
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                member = users.change_role(db, who.tenant_id, who.user_id, user_id=int(user_id), role=role)
        except (AccountError, ValueError) as exc:
            self._load_members(who)
            return rx.toast.error(sentence(str(exc)))
        except Forbidden as exc:
            return rx.toast.error(sentence(str(exc)))
        self._load_members(who)
        return rx.toast.success(f"{member.email} is now {role_name(member.role)}.")

    @rx.event
    async def ask_remove(self, user_id: str, email: str):
        """Open the confirmation for removing a member."""
        _, refusal = await self.authorize_or_refuse(TEAM_SCOPE)
        if refusal is not None:
            return refusal
        self.remove_user_id = user_id
        self.remove_email = email
        self.remove_open = True
        return None

    @rx.event
    def set_remove_open(self, is_open: bool):
        """Cancel the remove confirmation. Opening goes through `ask_remove`, which checks the role."""
        if not is_open:
            self._close_remove()

    def _close_remove(self) -> None:
        self.remove_open = False
        self.remove_user_id = self.remove_email = ""

    @rx.event
    async def confirm_remove(self):
        """Remove the member named in the confirmation; the engine keeps the last owner."""
        who, refusal = await self.authorize_or_refuse(TEAM_SCOPE)
        if who is None:
            return refusal
        email = self.remove_email
        try:
            user_id = int(self.remove_user_id)
            with session_scope() as db:
                users.remove_member(db, who.tenant_id, who.user_id, user_id=user_id)
        except (AccountError, ValueError) as exc:
            self._close_remove()
            return rx.toast.error(sentence(str(exc)))
        except Forbidden as exc:
            self._close_remove()
            return rx.toast.error(sentence(str(exc)))
        self._close_remove()
        self._load_members(who)
        return rx.toast.success(f"{email} no longer has access to this workspace.")
