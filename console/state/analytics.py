"""State of the Analytics page: a range of days (presets or two dates), the report for it, the tables as CSV.

The page guards first (PageState), then loads in the background (engine.analytics.report.page_report: one
call, the figures and the previous period for the cards) so the skeletons show meanwhile; every handler
re-checks the signed-in person. Rows are built by console/state/analytics_rows.py and kept as page-sized DTOs.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from typing import Any, ClassVar

import reflex as rx

from console.state import analytics_rows as rows
from console.state import analytics_satisfaction as sat
from console.state.formatting import money, percent
from console.state.guard import PageState
from engine.accounts.sessions import SignedIn
from engine.analytics import gaps
from engine.analytics.periods import Period, PeriodError, last_days, make_period
from engine.analytics.report import page_report, tenant_zone, to_csv
from engine.analytics.satisfaction import by_knowledge_entry
from engine.db import session_scope

log = logging.getLogger(__name__)

PRESETS: dict[str, int] = {"7": 7, "30": 30, "90": 90}
# "Last" goes without saying, and the four fit a phone's width.
PRESET_LABELS = [("7", "7 days"), ("30", "30 days"), ("90", "90 days"), ("custom", "Custom")]
SOURCES = {
    "conversations": "conversation_rows",
    "times": "time_rows",
    "costs": "cost_rows",
    "handoffs": "handoff_rows",
    "quality": "quality_rows",
    "topics": "topic_rows",
    "gaps": "gap_rows",
}
GRANULARITY_LABELS = [("day", "By day"), ("week", "By week"), ("month", "By month")]


def _period(db: Any, tenant_id: int, preset: str, first: str, last: str, granularity: str) -> Period:
    zone = tenant_zone(db, tenant_id)
    if preset in PRESETS:
        return last_days(PRESETS[preset], zone, granularity=granularity)
    return make_period(date.fromisoformat(first), date.fromisoformat(last), zone, granularity)


def load_report(tenant_id: int, preset: str, first: str, last: str, granularity: str) -> dict[str, Any]:
    """Everything the page shows for one range (run in a thread: a few SQL aggregates)."""
    with session_scope() as db:
        period = _period(db, tenant_id, preset, first, last, granularity)
        report = page_report(db, tenant_id, period)
        found = gaps.list_gaps(db, tenant_id)
    satisfaction = report.satisfaction
    return {
        "period": period,
        "kpis": rows.kpi_cards(report),
        "conversation_series": rows.conversation_series(report),
        "conversation_rows": rows.conversation_rows(report),
        "time_rows": rows.time_rows(report),
        "cost_series": rows.cost_series(report),
        "cost_names": rows.cost_series_names(report),
        "cost_rows": rows.cost_rows(report),
        "cost_total": money(report.costs.total, report.costs.currency, precise=True),
        "cost_per_conversation": money(report.costs.per_conversation, report.costs.currency, precise=True),
        "currency_note": rows.currency_note(report),
        "handoff_rows": rows.handoff_rows(report),
        "handoff_note": f"{percent(report.handoffs.rate_pct)} of answered chats went to a person",
        "quality_rows": rows.quality_rows(report),
        "topic_rows": rows.topic_rows(report),
        "gap_rows": rows.gap_rows(found),
        "sat_summary": sat.summary(satisfaction),
        "sat_series": sat.trend_series(satisfaction),
        "sat_handler_rows": sat.handler_rows(satisfaction),
        "sat_topic_rows": sat.topic_rows(satisfaction),
        "sat_comment_rows": sat.comment_rows(satisfaction, period.tz),
        "sat_has_data": satisfaction.total.conversations > 0 or satisfaction.total.rated > 0,
        "has_data": report.traffic.conversations > 0
        or report.performance.turns > 0
        or report.costs.calls > 0,
    }


def load_knowledge(
    tenant_id: int, preset: str, first: str, last: str, granularity: str
) -> list[dict[str, str]]:
    """Satisfaction by knowledge entry (engine.analytics.satisfaction.by_knowledge_entry), loaded after the
    page's figures: it unnests each turn's entry ids, the page's slowest aggregate."""
    with session_scope() as db:
        period = _period(db, tenant_id, preset, first, last, granularity)
        return sat.knowledge_rows(by_knowledge_entry(db, tenant_id, period))


class AnalyticsState(PageState, rx.State):
    """Access to the Analytics page (scope from PAGE_SCOPES["analytics"]) and its figures."""

    page_key: ClassVar[str] = "analytics"

    preset: str = "30"
    date_from: str = ""
    date_to: str = ""
    granularity: str = "day"
    range_label: str = ""
    range_error: str = ""
    loading: bool = True
    loaded: bool = False
    has_data: bool = False

    kpis: list[dict[str, str]] = []
    conversation_series: list[dict[str, Any]] = []
    conversation_rows: list[dict[str, str]] = []
    time_rows: list[dict[str, Any]] = []
    cost_series: list[dict[str, Any]] = []
    cost_names: list[str] = ["", "", "", rows.OTHER]
    cost_rows: list[dict[str, str]] = []
    cost_total: str = ""
    cost_per_conversation: str = ""
    currency_note: str = ""
    handoff_rows: list[dict[str, str]] = []
    handoff_note: str = ""
    quality_rows: list[dict[str, str]] = []
    topic_rows: list[dict[str, str]] = []
    gap_rows: list[dict[str, str]] = []
    sat_summary: dict[str, str] = {}
    sat_series: list[dict[str, Any]] = []
    sat_handler_rows: list[dict[str, str]] = []
    sat_topic_rows: list[dict[str, str]] = []
    sat_comment_rows: list[dict[str, str]] = []
    sat_knowledge_rows: list[dict[str, str]] = []
    sat_has_data: bool = False
    sat_knowledge_loaded: bool = False

    _seq: int = 0

    @rx.var
    def preset_options(self) -> list[list[str]]:
        return [list(p) for p in PRESET_LABELS]

    def on_allowed(self, who: SignedIn) -> Any:
        self.loading = True
        return AnalyticsState.refresh

    def on_refused(self) -> None:
        self.loaded = self.has_data = False
        self.kpis = self.conversation_series = self.conversation_rows = self.time_rows = []
        self.cost_series = self.cost_rows = self.handoff_rows = self.quality_rows = []
        self.topic_rows = self.gap_rows = []
        self.sat_series = self.sat_handler_rows = self.sat_topic_rows = []
        self.sat_comment_rows = self.sat_knowledge_rows = []
        self.sat_summary, self.sat_has_data, self.sat_knowledge_loaded = {}, False, False
        self.cost_total = self.cost_per_conversation = self.currency_note = self.handoff_note = ""

    # --- the range ------------------------------------------------------------------------------------------

    @rx.event
    async def set_preset(self, preset: str | list[str]):
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        preset = preset[0] if isinstance(preset, list) and preset else str(preset or "")
        if preset not in (*PRESETS, "custom"):
            return None
        self.preset = preset
        self.range_error = ""
        return None if preset == "custom" else AnalyticsState.refresh

    @rx.event
    async def set_granularity(self, granularity: str):
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        if granularity in dict(GRANULARITY_LABELS):
            self.granularity = granularity
        return AnalyticsState.refresh

    @rx.event
    async def apply_dates(self, form: dict[str, Any]):
        """The custom range's two dates, checked inline before anything loads."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        first, last = str(form.get("date_from") or ""), str(form.get("date_to") or "")
        self.date_from, self.date_to = first, last
        try:
            with session_scope() as db:
                zone = tenant_zone(db, who.tenant_id)
            make_period(date.fromisoformat(first), date.fromisoformat(last), zone, self.granularity)
        except ValueError as exc:
            self.range_error = (
                exc.message.replace("`from`", "the first day").replace("`to`", "the last day")
                if isinstance(exc, PeriodError)
                else "Pick both days of the range."
            )
            return None
        self.preset, self.range_error = "custom", ""
        return AnalyticsState.refresh

    # --- loading --------------------------------------------------------------------------------------------

    @rx.event(background=True)
    async def refresh(self):
        async with self:
            who, refusal = await self.authorize_or_refuse()
            if who is None:
                yield refusal
                return
            self._seq += 1
            seq, self.loading = self._seq, True
            args = (who.tenant_id, self.preset, self.date_from, self.date_to, self.granularity)
        try:
            data = await asyncio.to_thread(load_report, *args)
        except Exception:
            log.exception("analytics failed to load for tenant %s", args[0])
            async with self:
                self.loading = False
            yield rx.toast.error("The figures could not be loaded. Try again in a moment.")
            return
        async with self:
            if seq != self._seq:
                return  # a newer range replaced this one
            period: Period = data.pop("period")
            for key, value in data.items():
                setattr(self, key, value)
            self.date_from, self.date_to = period.first.isoformat(), period.last.isoformat()
            self.range_label = _range_label(period)
            self.loading, self.loaded = False, True
            self.sat_knowledge_loaded = False
        try:
            knowledge = await asyncio.to_thread(load_knowledge, *args)
        except Exception:
            log.exception("satisfaction by knowledge entry failed to load for tenant %s", args[0])
            knowledge = []
        async with self:
            if seq == self._seq:
                self.sat_knowledge_rows, self.sat_knowledge_loaded = knowledge, True

    # --- CSV ------------------------------------------------------------------------------------------------

    @rx.event
    async def export(self, table: str):
        """One table of the page as CSV: the rows on screen, for the range on screen."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        if table in sat.CSV_TABLES:
            stem, header, keys = sat.csv_columns(table)
            source = getattr(self, sat.SOURCES[table])
        elif table in rows.CSV_TABLES:
            stem, header, keys = rows.csv_columns(table)
            source = getattr(self, SOURCES[table])
        else:
            return None
        text = to_csv(header, [[row.get(k, "") for k in keys] for row in source])
        return rx.download(data=text, filename=f"{stem}-{self.date_from}-to-{self.date_to}.csv")


def _range_label(period: Period) -> str:
    first, last = period.first, period.last
    start = f"{first:%b} {first.day}" + (f", {first.year}" if first.year != last.year else "")
    return f"{start} – {last:%b} {last.day}, {last.year}"
