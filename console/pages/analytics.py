"""Analytics: what the agent does and costs. A placeholder until the analytics issue: says what comes."""

from __future__ import annotations

import reflex as rx

from console.components.states import empty_state
from console.state.analytics import AnalyticsState
from console.template import page


@page("/analytics", "Analytics", "analytics", AnalyticsState)
def analytics() -> rx.Component:
    return empty_state(
        "chart_line",
        "See what the agent resolves, and what it costs",
        "Once customers start writing, this page charts conversations per day, how many the agent "
        "resolved on its own, handoff reasons, response times and spend per model.",
        features=[
            ("chart_column", "Conversations per day, agent and human side by side"),
            ("timer", "Median first response time and handoff rate, over the range you pick"),
            ("wallet", "Tokens and spend per model against your monthly budget"),
        ],
        soon=True,
    )
