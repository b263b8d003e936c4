"""State of the Settings page: which tab is open. Each working tab has its own state (Team: `team.py`)."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from console.state.guard import PageState
from engine.accounts.sessions import SignedIn

# Tab keys in display order; `?tab=<key>` opens one directly (links from the checklist, the e2e screenshots).
SETTINGS_TABS: tuple[tuple[str, str, str], ...] = (
    ("general", "General", "building_2"),
    ("whatsapp", "WhatsApp", "smartphone"),
    ("ai", "AI providers", "cpu"),
    ("team", "Team", "users"),
    ("tokens", "API tokens", "key_round"),
    ("features", "Features", "toggle_right"),
)
TAB_KEYS: frozenset[str] = frozenset(key for key, _, _ in SETTINGS_TABS)


class SettingsState(PageState, rx.State):
    """Access to Settings (owners and admins) and the open tab."""

    page_key: ClassVar[str] = "settings"

    tab: str = "general"

    def on_allowed(self, who: SignedIn) -> Any:
        requested = self.router.url.query_parameters.get("tab", "")
        if requested in TAB_KEYS:
            self.tab = requested
        return None

    @rx.event
    async def set_tab(self, tab: str):
        """Open a tab; re-checked like every handler, and unknown keys are ignored."""
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        if tab in TAB_KEYS:
            self.tab = tab
        return None
