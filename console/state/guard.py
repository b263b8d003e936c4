"""The access check every page state shares: who is signed in, and may they use this page?

Hiding a page in the sidebar is only a courtesy: any client can send any registered event over the websocket.
So every page's `load_page` (its on_load) and every event handler begin with `authorize()`, which re-resolves
the session cookie against the database and checks the page's scope from `engine.security.scopes`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from console.state.session import SessionState, login_url
from engine.accounts.errors import AuthenticationFailed, Forbidden
from engine.accounts.sessions import SignedIn
from engine.security.scopes import PAGE_SCOPES

# What a page shows while its on_load runs, once it passed, and when the role may not use it.
LOADING = "loading"
ALLOWED = "ok"
FORBIDDEN = "forbidden"


async def wipe_pages(state: rx.State) -> None:
    """Drop every page's rows from this browser tab's state.

    Called when the session ends or the workspace changes: Reflex keeps a tab's state across page loads (and
    sends it on hydrate), so rows loaded for one person or workspace must not wait for the next on_load to go.
    """
    for page_cls in PageState.__subclasses__():
        page = await state.get_state(page_cls)
        page.access = LOADING
        page.on_refused()


class PageState(rx.State, mixin=True):
    """Mixed into one state per page. Subclasses set `page_key` (a key of PAGE_SCOPES) and may override
    `on_allowed(who)` to load their data and `on_refused()` to drop it."""

    page_key: ClassVar[str] = "overview"

    access: str = LOADING

    def here(self) -> str:
        """This page's path and query, to come back to after signing in (e.g. /settings?tab=team)."""
        url = self.router.url
        return f"{url.path}?{url.query}" if url.query else url.path

    async def authorize(self, scope: str | None = None) -> SignedIn:
        """The signed-in person, if they may use this page (or hold `scope`); raises otherwise.

        Raises AuthenticationFailed when there is no live session and Forbidden when the role lacks the scope.
        """
        shell = await self.get_state(SessionState)
        who = shell.resolve_session()
        needed = scope or PAGE_SCOPES[self.page_key]
        if needed not in who.scopes:
            raise Forbidden("your role does not allow this")
        return who

    async def authorize_or_refuse(self, scope: str | None = None) -> tuple[SignedIn | None, Any]:
        """`authorize()` for event handlers: (who, None) when allowed, else (None, events to return).

        A missing session sends the browser to sign in; a forbidden action is refused with a toast and the
        page falls back to its "no access" state, since the role must have changed under it.
        """
        try:
            return await self.authorize(scope), None
        except AuthenticationFailed as exc:
            await wipe_pages(self)
            return None, rx.redirect(login_url(self.here(), str(exc)))
        except Forbidden:
            if scope is None or scope == PAGE_SCOPES[self.page_key]:
                self.access = FORBIDDEN
                self.on_refused()
            return None, rx.toast.error("You don't have access to do that.")

    @rx.event
    async def load_page(self):
        """The page's on_load: sign-in check, access check, then the page's own data."""
        try:
            who = await self.authorize()
        except AuthenticationFailed as exc:
            await wipe_pages(self)
            # No cookie at all is the normal first visit: no message. An ended session says why.
            shell = await self.get_state(SessionState)
            message = str(exc) if shell.session_token() else None
            return rx.redirect(login_url(self.here(), message), replace=True)
        except Forbidden:
            self.access = FORBIDDEN
            self.on_refused()
            return None
        self.access = ALLOWED
        return self.on_allowed(who)

    def on_allowed(self, who: SignedIn) -> Any:
        """Load the page's data for `who`; may return events. Empty pages have nothing to load yet."""
        return None

    def on_refused(self) -> None:
        """Drop whatever rows the page holds: the person behind this tab may not see them any more."""
