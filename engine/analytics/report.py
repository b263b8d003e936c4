"""The Analytics page's data in one call, with the KPI cards' previous period, and its tables as CSV.

The console and the benchmark call `page_report`; the REST API calls the figure modules one by one. The
KPI cards compare with the same number of days just before the range (Period.previous), computed by the same
functions, so a card's change is never a different definition from its figure.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session

from engine.analytics.costs import Costs, costs, total_cost
from engine.analytics.handoffs import Handoffs, handoffs
from engine.analytics.performance import Performance, first_response, performance
from engine.analytics.periods import Period, make_period
from engine.analytics.resolution import summarize
from engine.analytics.satisfaction import Satisfaction, satisfaction
from engine.analytics.topics import Topics, topics
from engine.analytics.traffic import Traffic, started, traffic
from engine.models import Tenant
from engine.security.spreadsheet import safe_writer


@dataclass(frozen=True, slots=True)
class Kpi:
    value: float | None
    previous: float | None

    @property
    def change_pct(self) -> int | None:
        """The change against the previous period, in percent of it (None: nothing to compare with)."""
        if self.value is None or not self.previous:
            return None
        return round((self.value - self.previous) * 100 / self.previous)


@dataclass(frozen=True, slots=True)
class AnalyticsReport:
    period: Period
    traffic: Traffic
    handoffs: Handoffs
    performance: Performance
    costs: Costs
    topics: Topics
    conversations: Kpi
    resolved_pct: Kpi
    handoff_pct: Kpi
    first_response_p50: Kpi
    spend: Kpi
    satisfaction: Satisfaction = Satisfaction()


def tenant_zone(session: Session, tenant_id: int) -> str:
    """The tenant's time zone: where its days begin."""
    return session.execute(select(Tenant.time_zone).where(Tenant.id == tenant_id)).scalar() or "UTC"


def default_period(session: Session, tenant_id: int, days: int = 30, granularity: str = "day") -> Period:
    return make_period(None, None, tenant_zone(session, tenant_id), granularity)


def _f(value: int | float | Decimal | None) -> float | None:
    return None if value is None else float(value)


def page_report(
    session: Session, tenant_id: int, period: Period, *, now: datetime | None = None
) -> AnalyticsReport:
    before = period.previous()
    now_satisfaction = satisfaction(session, tenant_id, period, now=now, knowledge=False)
    now_traffic = traffic(session, tenant_id, period, now=now, summary=now_satisfaction.total.summary())
    then_resolved = summarize(session, tenant_id, since=before.since, until=before.until, now=now)
    now_handoffs, then_handoffs = handoffs(session, tenant_id, period), handoffs(session, tenant_id, before)
    now_performance = performance(session, tenant_id, period)
    then_first = first_response(session, tenant_id, before)
    now_costs = costs(session, tenant_id, period)
    return AnalyticsReport(
        period=period,
        traffic=now_traffic,
        handoffs=now_handoffs,
        performance=now_performance,
        costs=now_costs,
        topics=topics(session, tenant_id, period),
        conversations=Kpi(now_traffic.conversations, started(session, tenant_id, before)),
        resolved_pct=Kpi(_f(now_traffic.resolved_by_agent_pct), _f(then_resolved.by_agent_pct)),
        handoff_pct=Kpi(_f(now_handoffs.rate_pct), _f(then_handoffs.rate_pct)),
        first_response_p50=Kpi(now_performance.first_response.p50, then_first.p50),
        spend=Kpi(_f(now_costs.total), _f(total_cost(session, tenant_id, before))),
        satisfaction=now_satisfaction,
    )


def to_csv(header: list[str], rows: list[list[object]]) -> str:
    """One table as CSV text (what every table's Export button downloads). Cells can quote customers (a gap's
    question) or the shop (a product name): a leading = + - @ is neutralised (engine.security.spreadsheet)."""
    out = io.StringIO()
    writer = safe_writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


__all__ = ["AnalyticsReport", "Kpi", "default_period", "page_report", "tenant_zone", "to_csv"]
