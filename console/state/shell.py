"""Actions of the frame around every page: the phone-size navigation drawer, switching workspace and
signing out.

Switching and signing out end what the tab currently shows, so both wipe every page state first (see
`wipe_pages`).
"""

from __future__ import annotations

import reflex as rx

from console.state.guard import wipe_pages
from console.state.session import SessionState, login_url, sentence
from engine.accounts import sessions
from engine.accounts.errors import AuthenticationFailed, Forbidden
from engine.db import session_scope

SIGN_OUT_FORM_ID = "parley-sign-out"


class ShellState(rx.State):
    """The shell draws `SessionState`; this holds whether the phone-size navigation drawer is open, and the
    shell's event handlers. (Above 1024 px the sidebar is always shown and `nav_open` does nothing.)"""

    nav_open: bool = False

    @rx.event
    def toggle_nav(self):
        self.nav_open = not self.nav_open

    @rx.event
    def close_nav(self):
        """A link was followed or the scrim tapped: the drawer must not cover the page it opens."""
        self.nav_open = False

    @rx.event
    async def switch_tenant(self, tenant_id: str):
        """Make another of the person's workspaces the active one, then start again from its overview.

        A full page load (not a client-side route change) so every page loads afresh for the new workspace.
        """
        shell = await self.get_state(SessionState)
        try:
            target = int(tenant_id)
        except (TypeError, ValueError):
            return rx.toast.error("That workspace does not exist.")
        try:
            with session_scope() as db:
                who = sessions.switch_tenant(db, shell.session_token(), target)
        except AuthenticationFailed as exc:
            shell.forget()
            await wipe_pages(self)
            return rx.redirect(login_url("/", str(exc)))
        except Forbidden as exc:
            return rx.toast.error(sentence(str(exc)))
        shell.remember(who)
        await wipe_pages(self)
        return rx.call_script("window.location.assign('/')")

    @rx.event
    async def sign_out(self):
        """Forget this tab's rows, then post the hidden sign-out form so the server revokes the cookie."""
        shell = await self.get_state(SessionState)
        shell.forget()
        await wipe_pages(self)
        return rx.call_script(f"document.getElementById('{SIGN_OUT_FORM_ID}').submit()")
