"""State of the Overview page.

It guards the page and loads the spend card from `engine.llm.service.spend_summary`; the other KPI cards, the
needs-attention list and the setup checklist will load here when their services exist.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

import reflex as rx

from console.state.formatting import money, month_label
from console.state.guard import PageState
from engine.accounts.sessions import SignedIn
from engine.db import session_scope
from engine.llm import service
from engine.security.scopes import PAGE_SCOPES, Scope

# Spend is an analytics figure: roles that may see analytics or change the AI settings see the card.
SPEND_SCOPES = frozenset({Scope.ANALYTICS_VIEW.value, PAGE_SCOPES["settings"]})

SPEND_STATES: dict[str, tuple[str, str]] = {
    "ok": ("On track", "grass"),
    "soft": ("Past the soft limit", "amber"),
    "hard": ("Budget used up", "red"),
}


class OverviewState(PageState, rx.State):
    """Access to the Overview page (scope from PAGE_SCOPES["overview"]) and its spend card."""

    page_key: ClassVar[str] = "overview"

    spend_visible: bool = False
    spend_loaded: bool = False
    spent: str = ""
    budget: str = ""
    remaining: str = ""
    spend_month: str = ""
    used_pct: int = 0
    spend_state_label: str = ""
    spend_state_color: str = "grass"
    has_budget: bool = True
    can_manage_ai: bool = False

    def on_allowed(self, who: SignedIn) -> Any:
        self.spend_visible = bool(SPEND_SCOPES & who.scopes)
        self.can_manage_ai = PAGE_SCOPES["settings"] in who.scopes
        if self.spend_visible:
            self._load_spend(who.tenant_id)
        return None

    def on_refused(self) -> None:
        self.spend_visible = self.spend_loaded = self.can_manage_ai = False
        self.spent = self.budget = self.remaining = self.spend_month = self.spend_state_label = ""
        self.used_pct = 0

    def _load_spend(self, tenant_id: int) -> None:
        with session_scope() as db:
            summary = service.spend_summary(db, tenant_id)
        status = summary.status
        budget = Decimal(status.budget)
        self.spent = money(status.spent, status.currency)
        self.budget = money(status.budget, status.currency)
        self.remaining = money(status.remaining, status.currency)
        self.spend_month = month_label(status.month)
        self.has_budget = budget > 0
        self.used_pct = 100 if budget <= 0 else min(100, int(status.spent * 100 / budget))
        state = summary.state if budget > 0 else "hard"
        self.spend_state_label, self.spend_state_color = SPEND_STATES.get(state, SPEND_STATES["ok"])
        if budget <= 0:
            self.spend_state_label = "No budget"
        self.spend_loaded = True
