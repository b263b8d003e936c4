"""The banner every page shows while the tenant's customers are answered by the offline provider.

Loaded with every page (the `@page` decorator adds `load_banner` to each on_load) from
`engine.llm.service.offline_status`; Settings → AI providers refreshes it after a save. Everyone signed in
sees the reason; only roles that may change the AI settings get the link to fix it.
"""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from console.state.guard import PageState
from engine.accounts.errors import AuthenticationFailed, Forbidden
from engine.accounts.sessions import SignedIn
from engine.db import session_scope
from engine.llm import service
from engine.security.scopes import PAGE_SCOPES

# reason: (title, link label)
REASONS: dict[str, tuple[str, str]] = {
    "configured": ("Offline mode", "Connect an AI provider"),
    "no_credentials": ("No AI key", "Add an API key"),
    "budget": ("AI budget used up", "Review the budget"),
}


class OfflineBannerState(PageState, rx.State):
    """Whether customers get offline answers, and why. Wiped with the page states on sign-out and switch."""

    page_key: ClassVar[str] = "overview"  # console:view: every signed-in role sees the banner

    offline: bool = False
    reason: str = ""
    title: str = ""
    message: str = ""
    link_label: str = ""
    can_fix: bool = False

    @rx.event
    async def load_banner(self):
        """Part of every page's on_load. Says nothing when the page itself will refuse or redirect."""
        try:
            who = await self.authorize()
        except (AuthenticationFailed, Forbidden):
            self.on_refused()
            return None
        self.refresh(who)
        return None

    def refresh(self, who: SignedIn) -> None:
        with session_scope() as db:
            status = service.offline_status(db, who.tenant_id)
        if not status.offline:
            self.on_refused()
            return
        reason = status.reason or "configured"
        title, link = REASONS.get(reason, REASONS["configured"])
        self.offline = True
        self.reason = reason
        self.title = title
        self.message = status.message or ""
        self.link_label = link
        self.can_fix = PAGE_SCOPES["settings"] in who.scopes

    def on_refused(self) -> None:
        self.offline = False
        self.reason = self.title = self.message = self.link_label = ""
        self.can_fix = False
