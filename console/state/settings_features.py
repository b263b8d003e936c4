"""State of Settings → Features: the agent mode (AI agent, rule-based responder, or off). Audited by the
engine (engine.agent.flags); the worker reads the mode for every burst, so it applies to the next message."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from console.state.guard import PageState
from engine.accounts.sessions import SignedIn
from engine.agent.flags import AGENT_MODES, MODE_DESCRIPTIONS, MODE_LABELS, set_agent_mode, tenant_agent_mode
from engine.db import session_scope
from engine.security.scopes import PAGE_SCOPES

SETTINGS_SCOPE = PAGE_SCOPES["settings"]
__all__ = ["MODE_DESCRIPTIONS", "MODE_LABELS", "FeaturesState"]


class FeaturesState(PageState, rx.State):
    page_key: ClassVar[str] = "settings"

    mode: str = "ai"

    def on_allowed(self, who: SignedIn) -> Any:
        with session_scope() as db:
            self.mode = tenant_agent_mode(db, who.tenant_id)
        return None

    def on_refused(self) -> None:
        self.mode = "ai"

    @rx.event
    async def set_mode(self, mode: str):
        who, refusal = await self.authorize_or_refuse(SETTINGS_SCOPE)
        if who is None:
            return refusal
        if mode not in AGENT_MODES:
            return None
        with session_scope() as db:
            self.mode = set_agent_mode(db, who.tenant_id, mode, actor_user_id=who.user_id)
        return rx.toast.success(f"{MODE_LABELS[mode].split(' — ')[0]} from the next message on.")
