"""State of Settings → Account: the signed-in person changes their own password.

Every role may: it is the person's own account, not the workspace's, so the check is only "signed in here"
(`console:view`, which every role holds). The engine checks the current password, the rules for the new one,
ends the person's other sessions and writes the audit rows; this state only checks that the form is complete
and the two new passwords match, and puts each refusal under its own field.
"""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from console.state.guard import PageState, wipe_pages
from console.state.session import SessionState, login_url, sentence
from engine.accounts import users
from engine.accounts.errors import AuthenticationFailed
from engine.accounts.users import PasswordRefused
from engine.db import session_scope
from engine.security.passwords import MIN_PASSWORD_LENGTH

PASSWORD_RULE = f"At least {MIN_PASSWORD_LENGTH} characters, different from your current password."


class AccountState(PageState, rx.State):
    """The Account tab. `page_key` "overview" = scope console:view: every member of the workspace."""

    page_key: ClassVar[str] = "overview"

    current_error: str = ""
    new_error: str = ""
    confirm_error: str = ""
    # Bumped after a change so the form is drawn afresh: three empty fields, no password left in the page.
    form_version: int = 0

    def on_refused(self) -> None:
        self._clear_errors()

    def _clear_errors(self) -> None:
        self.current_error = self.new_error = self.confirm_error = ""

    @rx.event
    async def change_password(self, form: dict[str, Any]):
        """Check the form, then let the engine change the password; this browser stays signed in."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        current = str(form.get("current_password") or "")
        new = str(form.get("new_password") or "")
        confirm = str(form.get("confirm_password") or "")
        self._clear_errors()
        if not current:
            self.current_error = "Enter your current password."
        if not new:
            self.new_error = "Choose a new password."
        elif len(new) < MIN_PASSWORD_LENGTH:
            self.new_error = f"Use at least {MIN_PASSWORD_LENGTH} characters."
        elif confirm != new:
            self.confirm_error = "This doesn't match the new password."
        if self.current_error or self.new_error or self.confirm_error:
            return None
        shell = await self.get_state(SessionState)
        try:
            with session_scope() as db:
                ended = users.change_password(db, who.user_id, current, new, keep_token=shell.session_token())
        except PasswordRefused as exc:
            message = sentence(str(exc))
            if exc.field == "current":
                self.current_error = message
            else:
                self.new_error = message
            return None
        except AuthenticationFailed as exc:
            await wipe_pages(self)
            return rx.redirect(login_url(self.here(), str(exc)))
        self.form_version += 1
        if ended:
            signed_out = "1 other session was" if ended == 1 else f"{ended} other sessions were"
            return rx.toast.success(f"Password changed. {signed_out} signed out.")
        return rx.toast.success("Password changed.")
