"""Analytics: what the agent resolves, how fast, what it costs and what it could not answer, for a range of
days. Layout only: the range bar and KPI cards, the charts and satisfaction, then the tables; one column on a
phone."""

from __future__ import annotations

import reflex as rx

from console.components.analytics_charts import conversations_chart, cost_chart, response_chart
from console.components.analytics_kpis import kpi_cards, range_bar
from console.components.analytics_satisfaction import satisfaction_section
from console.components.analytics_tables import (
    cost_table,
    gaps_list,
    handoff_table,
    quality_table,
    topic_table,
)
from console.state.analytics import AnalyticsState
from console.template import page

TWO = rx.breakpoints(initial="1", lg="2")


@page("/analytics", "Analytics", "analytics", AnalyticsState)
def analytics() -> rx.Component:
    return rx.vstack(
        range_bar(),
        kpi_cards(),
        conversations_chart(),
        satisfaction_section(),
        rx.grid(response_chart(), cost_chart(), columns=TWO, spacing="4", width="100%"),
        cost_table(),
        rx.grid(handoff_table(), quality_table(), columns=TWO, spacing="4", width="100%"),
        gaps_list(),
        topic_table(),
        spacing="4",
        width="100%",
        min_width="0",
        data_testid="analytics-page",
    )
