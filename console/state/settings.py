"""State of the Settings page: which tab is open. Each working tab has its own state (Team: `team.py`).

The page opens for every member, because the Account tab (your own password) is everyone's. The workspace
tabs need `settings:manage` (owners and admins): they are hidden from other roles, refused when asked for
anyway, and their own states check the scope again on every handler.
"""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from console.state.guard import PageState
from engine.accounts.sessions import SignedIn
from engine.security.scopes import Scope

# Tab keys in display order; `?tab=<key>` opens one directly (links from the checklist, the e2e screenshots).
SETTINGS_TABS: tuple[tuple[str, str, str], ...] = (
    ("general", "General", "building_2"),
    ("whatsapp", "WhatsApp", "smartphone"),
    ("ai", "AI providers", "cpu"),
    ("team", "Team", "users"),
    ("tokens", "API tokens", "key_round"),
    ("features", "Features", "toggle_right"),
    ("email", "Email", "mail"),
    ("integrations", "Integrations", "webhook"),
    ("account", "Account", "circle_user_round"),
)
TAB_KEYS: frozenset[str] = frozenset(key for key, _, _ in SETTINGS_TABS)
# Tabs about the signed-in person rather than the workspace: open to every role.
PERSONAL_TABS: frozenset[str] = frozenset({"account"})
MANAGE_SCOPE = Scope.SETTINGS_MANAGE.value
PAGE_SCOPE = Scope.CONSOLE_VIEW.value


class SettingsState(PageState, rx.State):
    """Access to Settings (every member; workspace tabs for owners and admins) and the open tab."""

    page_key: ClassVar[str] = "settings"

    tab: str = "general"
    can_manage: bool = False

    async def authorize(self, scope: str | None = None) -> SignedIn:
        """The page itself needs only a live session here (`console:view`); tabs are checked on their own."""
        return await super().authorize(scope or PAGE_SCOPE)

    def on_allowed(self, who: SignedIn) -> Any:
        self.can_manage = MANAGE_SCOPE in who.scopes
        requested = self.router.url.query_parameters.get("tab", "")
        if requested in TAB_KEYS and (self.can_manage or requested in PERSONAL_TABS):
            self.tab = requested
        elif not self.can_manage and self.tab not in PERSONAL_TABS:
            self.tab = "account"
        return None

    def on_refused(self) -> None:
        self.can_manage = False

    @rx.event
    async def set_tab(self, tab: str):
        """Open a tab; re-checked like every handler, and unknown keys are ignored."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        self.can_manage = MANAGE_SCOPE in who.scopes
        if tab not in TAB_KEYS:
            return None
        if tab not in PERSONAL_TABS and not self.can_manage:
            return rx.toast.error("You don't have access to do that.")
        self.tab = tab
        return None
