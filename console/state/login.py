"""The sign-in page's state: only what the page shows; the password never passes through here.

The form posts straight to the engine's `/api/auth/login`, which sets the HttpOnly cookie and redirects; it
comes back here with `error` (and the email typed) in the query string when the sign-in was refused.
"""

from __future__ import annotations

import reflex as rx

from console.state.session import SessionState, sentence
from engine.accounts.errors import AuthenticationFailed


def safe_next(target: str | None) -> str:
    """A same-site path to go to after signing in; anything else (absolute URLs, //host) becomes "/"."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if target.startswith("/login"):
        return "/"
    return target


class LoginState(rx.State):
    """Error message, remembered email and the page to return to."""

    error: str = ""
    email: str = ""
    next_path: str = "/"

    @rx.event
    async def load_page(self):
        """Read the query string; someone already signed in goes straight on to where they were headed."""
        params = self.router.url.query_parameters
        self.error = sentence((params.get("error") or "")[:200])
        self.email = (params.get("email") or "")[:254]
        self.next_path = safe_next(params.get("next"))
        shell = await self.get_state(SessionState)
        try:
            shell.resolve_session()
        except AuthenticationFailed:
            return None
        return rx.redirect(self.next_path, replace=True)
