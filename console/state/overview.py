"""State of the Overview page.

It guards the page and loads, through the engine: the KPI cards and the needs-attention list
(`engine.analytics.overview`), the setup checklist (`engine.accounts.setup_progress`) and the spend card
(`engine.llm.service.spend_summary`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar

import reflex as rx

from console.state.formatting import NO_FIGURE, duration, money, month_label, percent
from console.state.guard import PageState
from engine.accounts.sessions import SignedIn
from engine.accounts.setup_progress import setup_progress
from engine.analytics.overview import overview_figures
from engine.analytics.resolution import summarize as resolution_summary
from engine.db import session_scope
from engine.llm import service
from engine.observability.alerts import open_alerts
from engine.security.scopes import PAGE_SCOPES, Scope

# Spend is an analytics figure: roles that may see analytics or change the AI settings see the card.
SPEND_SCOPES = frozenset({Scope.ANALYTICS_VIEW.value, PAGE_SCOPES["settings"]})

SPEND_STATES: dict[str, tuple[str, str]] = {
    "ok": ("On track", "grass"),
    "soft": ("Past the soft limit", "amber"),
    "hard": ("Budget used up", "red"),
}


STEP_KEYS = ("settings", "persona", "knowledge", "catalog", "playground")


# AI providers bill in their own currency; the Overview says which, beside prices in the shop's own.
CURRENCY_NAMES = {"USD": "US dollars", "EUR": "euros", "GBP": "pounds sterling"}


class OverviewState(PageState, rx.State):
    """Access to the Overview page (scope from PAGE_SCOPES["overview"]), its figures, checklist and spend."""

    page_key: ClassVar[str] = "overview"

    kpi_today: str = NO_FIGURE
    kpi_resolved: str = NO_FIGURE
    kpi_handoff: str = NO_FIGURE
    kpi_first_response: str = NO_FIGURE
    needs_human: int = 0
    failed_sends: int = 0
    alerts: list[dict[str, str]] = []  # open in-app alerts (engine.observability.alerts), in words
    steps_done: list[str] = []
    setup_done: int = 0
    has_chats: bool = False  # customers wrote in the last seven days: the figures mean something

    spend_visible: bool = False
    spend_loaded: bool = False
    spent: str = ""
    budget: str = ""
    remaining: str = ""
    spend_currency: str = ""  # the AI provider's billing currency (US dollars), not the shop's
    spend_month: str = ""
    used_pct: int = 0
    spend_state_label: str = ""
    spend_state_color: str = "grass"
    has_budget: bool = True
    can_manage_ai: bool = False

    def on_allowed(self, who: SignedIn) -> Any:
        self._load_figures(who.tenant_id)
        self.spend_visible = bool(SPEND_SCOPES & who.scopes)
        self.can_manage_ai = PAGE_SCOPES["settings"] in who.scopes
        if self.spend_visible:
            self._load_spend(who.tenant_id)
        return None

    def on_refused(self) -> None:
        self.kpi_today = self.kpi_resolved = self.kpi_handoff = self.kpi_first_response = NO_FIGURE
        self.needs_human = self.failed_sends = self.setup_done = 0
        self.steps_done = []
        self.alerts = []
        self.has_chats = False
        self.spend_visible = self.spend_loaded = self.can_manage_ai = False
        self.spent = self.budget = self.remaining = self.spend_month = self.spend_state_label = ""
        self.used_pct = 0

    def _load_figures(self, tenant_id: int) -> None:
        with session_scope() as db:
            figures = overview_figures(db, tenant_id)
            progress = setup_progress(db, tenant_id)
            # the one definition of "resolved by the agent" (engine/analytics/resolution.py), 7 days
            resolved = resolution_summary(db, tenant_id, since=datetime.now(UTC) - timedelta(days=7))
            alerts = open_alerts(db, tenant_id)
        self.kpi_today = str(figures.conversations_today)
        self.kpi_resolved = percent(resolved.by_agent_pct)
        self.kpi_handoff = percent(figures.handoff_pct)
        self.kpi_first_response = duration(figures.first_response_seconds)
        self.needs_human, self.failed_sends = figures.needs_human, figures.failed_sends
        self.alerts = [{"kind": a.kind, "title": a.title, "detail": a.detail} for a in alerts]
        self.steps_done = [key for key in STEP_KEYS if progress.step_done(key)]
        self.setup_done = progress.done
        self.has_chats = figures.active_in_window > 0

    def _load_spend(self, tenant_id: int) -> None:
        with session_scope() as db:
            summary = service.spend_summary(db, tenant_id)
        status = summary.status
        budget = Decimal(status.budget)
        self.spent = money(status.spent, status.currency, precise=True)
        self.budget = money(status.budget, status.currency)
        self.remaining = money(status.remaining, status.currency)
        self.spend_currency = CURRENCY_NAMES.get(status.currency.upper(), status.currency.upper())
        self.spend_month = month_label(status.month)
        self.has_budget = budget > 0
        self.used_pct = 100 if budget <= 0 else min(100, int(status.spent * 100 / budget))
        state = summary.state if budget > 0 else "hard"
        self.spend_state_label, self.spend_state_color = SPEND_STATES.get(state, SPEND_STATES["ok"])
        if budget <= 0:
            self.spend_state_label = "No budget"
        self.spend_loaded = True
