"""State of the Campaigns page: the list with live progress, and one campaign's results.

Who: the page needs `analytics:view` (viewers read results); pausing, resuming and cancelling need
`campaigns:manage`, checked in each handler (the composer's own state does the same for composing and
sending). While a campaign is scheduled or sending, a background task re-reads the page's campaigns every
second, so the progress bars move without a reload and stop polling once nothing is moving.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, ClassVar

import reflex as rx

from console.state.campaigns_rows import (
    ACTIVE,
    ButtonRow,
    CampaignRow,
    FailureRow,
    FunnelStep,
    button_rows,
    campaign_row,
    failure_rows,
    funnel_steps,
)
from console.state.formatting import count, money
from console.state.guard import ALLOWED, PageState
from engine.accounts import tenants
from engine.accounts.sessions import SignedIn
from engine.analytics.campaigns import funnel
from engine.campaigns import export, service
from engine.campaigns.errors import CampaignStateError
from engine.db import NotFound, session_scope
from engine.security.scopes import Scope

MANAGE = Scope.CAMPAIGNS_MANAGE.value
POLL_SECONDS = 1.0
LIST_SIZE = 50


class CampaignsState(PageState, rx.State):
    """The list and the results (scope from PAGE_SCOPES["campaigns"])."""

    page_key: ClassVar[str] = "campaigns"

    can_manage: bool = False
    loaded: bool = False
    view: str = "list"  # list | compose | results
    rows: list[CampaignRow] = []
    watching: bool = False
    time_zone: str = "UTC"
    currency: str = "USD"

    # results of one campaign
    result_id: int = 0
    result_name: str = ""
    result_status: str = ""
    result_status_label: str = ""
    result_status_color: str = "gray"
    result_recipients: str = "0"
    result_revenue: str = ""
    result_opted_out: str = "0"
    result_failed: str = "0"
    funnel: list[FunnelStep] = []
    funnel_data: list[dict[str, Any]] = []  # the same steps as plain rows: recharts takes dicts
    buttons: list[ButtonRow] = []
    failures: list[FailureRow] = []

    def on_allowed(self, who: SignedIn) -> Any:
        self.can_manage = MANAGE in who.scopes
        with session_scope() as db:
            display = tenants.display_settings(db, who.tenant_id)
            self.time_zone, self.currency = display.time_zone, display.currency
        self.view = "list"
        self._reload(who.tenant_id)
        self.loaded = True
        return CampaignsState.watch if self._moving() else None

    def on_refused(self) -> None:
        self.rows, self.funnel, self.funnel_data, self.buttons, self.failures = [], [], [], [], []
        self.loaded, self.can_manage, self.result_id, self.view = False, False, 0, "list"

    def _moving(self) -> bool:
        return any(r.status in ACTIVE for r in self.rows) or self.result_status in ACTIVE

    def _reload(self, tenant_id: int) -> None:
        with session_scope() as db:
            views, _ = service.list_campaigns(db, tenant_id, limit=LIST_SIZE)
            self.rows = [campaign_row(v, self.time_zone) for v in views]
            if self.view == "results" and self.result_id:
                self._load_results(db, tenant_id, self.result_id)

    def _load_results(self, db: Any, tenant_id: int, campaign_id: int) -> None:
        view = service.get_campaign(db, tenant_id, campaign_id)
        figures = funnel(db, tenant_id, campaign_id)
        row = campaign_row(view, self.time_zone)
        self.result_id, self.result_name, self.result_status = view.id, view.name, view.status
        self.result_status_label, self.result_status_color = row.status_label, row.status_color
        self.result_recipients = row.recipients
        self.result_revenue = money(figures.revenue, self.currency)
        self.result_opted_out, self.result_failed = count(figures.opted_out), count(figures.failed)
        self.funnel = funnel_steps(figures)
        self.funnel_data = [{"stage": f.stage, "people": f.people} for f in self.funnel]
        self.buttons = button_rows(figures, view.buttons)
        self.failures = failure_rows(figures)

    @rx.event(background=True)
    async def watch(self):
        """Re-read the campaigns every second while one is scheduled or sending."""
        async with self:
            if self.watching:
                return
            self.watching = True
        try:
            while True:
                await asyncio.sleep(POLL_SECONDS)
                async with self:
                    if self.access != ALLOWED or self.view == "compose":
                        break
                    who, _ = await self.authorize_or_refuse()
                    if who is None:
                        break
                    self._reload(who.tenant_id)
                    if not self._moving():
                        break
        finally:
            async with self:
                self.watching = False

    @rx.event
    async def refresh(self):
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        self._reload(who.tenant_id)
        return CampaignsState.watch if self._moving() else None

    @rx.event
    async def show_list(self):
        self.view = "list"
        return CampaignsState.refresh

    @rx.event
    async def open_results(self, campaign_id: int):
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                self._load_results(db, who.tenant_id, int(campaign_id))
        except NotFound:
            return rx.toast.error("That campaign is no longer here.")
        self.view = "results"
        return CampaignsState.watch if self._moving() else None

    async def _change(self, campaign_id: int, move: Callable[..., Any], done: str):
        who, refusal = await self.authorize_or_refuse(MANAGE)
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                move(db, who.tenant_id, int(campaign_id))
        except (CampaignStateError, NotFound) as exc:
            return rx.toast.error(str(exc).capitalize())
        self._reload(who.tenant_id)
        events: list[Any] = [rx.toast.success(done)]
        if self._moving():
            events.append(CampaignsState.watch)
        return events

    @rx.event
    async def pause(self, campaign_id: int):
        return await self._change(campaign_id, service.pause, "Paused. Nobody else gets it until you resume.")

    @rx.event
    async def resume(self, campaign_id: int):
        return await self._change(campaign_id, service.resume, "Resumed.")

    @rx.event
    async def cancel(self, campaign_id: int):
        return await self._change(campaign_id, service.cancel, "Cancelled. Nobody else will get it.")

    @rx.event
    async def export_recipients(self):
        """The recipients with their status as CSV (cells that look like formulas are neutralized)."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                text = export.recipients_csv(db, who.tenant_id, self.result_id, self.time_zone)
        except NotFound:
            return rx.toast.error("That campaign is no longer here.")
        return rx.download(data=text, filename=f"campaign-{self.result_id}-recipients.csv")


__all__ = ["CampaignsState"]
