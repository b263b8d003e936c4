"""Analytics page — the charts (Reflex's recharts): conversations per day, agent alone vs with a person;
response times at the median and the 95th percentile; AI cost per day by model. Each has an empty state that
says what it will show, since a new shop has nothing to chart yet."""

from __future__ import annotations

import reflex as rx

from console.components.ui import section_card
from console.state.analytics import AnalyticsState as S

TICK = {"fontSize": 11, "fill": "var(--gray-10)"}
TOOLTIP = {
    "fontSize": "12px",
    "borderRadius": "8px",
    "border": "1px solid var(--gray-a5)",
    "background": "var(--color-panel-solid)",
}
COST_COLORS = ("var(--grass-9)", "var(--blue-9)", "var(--amber-9)", "var(--gray-8)")


def chart_skeleton(height: str = "240px") -> rx.Component:
    return rx.skeleton(height=height, width="100%", border_radius="var(--radius-3)")


def chart_empty(icon: str, text: str, test_id: str) -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon(icon, size=22, color="var(--gray-9)"),
            rx.text(text, size="2", color_scheme="gray", text_align="center", max_width="420px"),
            align="center",
            spacing="2",
        ),
        height="200px",
        width="100%",
        border_radius="var(--radius-3)",
        background_color="var(--gray-a2)",
        data_testid=test_id,
    )


def _axes(key: str = "day", decimals: bool = False) -> list[rx.Component]:
    return [
        rx.recharts.cartesian_grid(vertical=False, stroke_dasharray="3 3", stroke="var(--gray-a5)"),
        rx.recharts.x_axis(data_key=key, tick_line=False, axis_line=False, tick=TICK, min_tick_gap=16),
        rx.recharts.y_axis(allow_decimals=decimals, tick_line=False, axis_line=False, width=52, tick=TICK),
        rx.recharts.graphing_tooltip(
            cursor={"fill": "var(--gray-a3)"}, separator=": ", content_style=TOOLTIP
        ),
        rx.recharts.legend(icon_type="circle", icon_size=8, wrapper_style={"fontSize": "12px"}),
    ]


def _chart(body: rx.Component, empty: rx.Component, has: rx.Var) -> rx.Component:
    return rx.cond(S.loaded, rx.cond(has, body, empty), chart_skeleton())


def conversations_chart() -> rx.Component:
    chart = rx.recharts.bar_chart(
        rx.recharts.bar(data_key="agent", stack_id="c", fill="var(--grass-9)", name="Agent alone"),
        rx.recharts.bar(
            data_key="person", stack_id="c", fill="var(--amber-9)", radius=[3, 3, 0, 0], name="With a person"
        ),
        *_axes(),
        data=S.conversation_series,
        height=260,
        width="100%",
        margin={"top": 8, "right": 8, "left": 0, "bottom": 0},
    )
    empty = chart_empty(
        "messages_square",
        "Each day's WhatsApp conversations will show here: green for the ones the agent handled alone, "
        "amber for the ones a person joined.",
        "chart-conversations-empty",
    )
    return section_card(
        "Conversations per day",
        "Who handled them: the agent alone, or a person with it.",
        rx.box(_chart(chart, empty, S.has_data), width="100%", data_testid="chart-conversations"),
        action=export_button("conversations"),
    )


def response_chart() -> rx.Component:
    chart = rx.recharts.bar_chart(
        rx.recharts.bar(
            data_key="p50_s", fill="var(--grass-9)", radius=[3, 3, 0, 0], name="Median (seconds)"
        ),
        rx.recharts.bar(
            data_key="p95_s", fill="var(--grass-6)", radius=[3, 3, 0, 0], name="95% within (seconds)"
        ),
        *_axes("what"),
        data=S.time_rows,
        height=220,
        width="100%",
        margin={"top": 8, "right": 8, "left": 0, "bottom": 0},
    )
    table = rx.table.root(
        rx.table.header(
            rx.table.row(
                *[
                    rx.table.column_header_cell(h)
                    for h in ("", "Median", "95% within", "99% within", "Replies")
                ]
            )
        ),
        rx.table.body(
            rx.foreach(
                S.time_rows,
                lambda r: rx.table.row(
                    rx.table.row_header_cell(r["what"]),
                    rx.table.cell(r["p50"], data_testid="time-p50"),
                    rx.table.cell(r["p95"]),
                    rx.table.cell(r["p99"]),
                    rx.table.cell(r["count"]),
                ),
            )
        ),
        size="1",
        width="100%",
    )
    empty = chart_empty(
        "timer",
        "How long customers wait: for the first answer, for the agent's replies and for your team's, at the "
        "median and for 95% of them.",
        "chart-times-empty",
    )
    return section_card(
        "Response times",
        "From a customer's message to the answer.",
        rx.box(
            _chart(
                rx.vstack(chart, rx.box(table, overflow_x="auto", width="100%"), width="100%"),
                empty,
                S.has_data,
            ),
            width="100%",
            data_testid="chart-times",
        ),
        action=export_button("times"),
    )


def cost_chart() -> rx.Component:
    bars = [
        rx.recharts.bar(
            data_key=key,
            stack_id="m",
            fill=color,
            name=S.cost_names[i],
            legend_type=rx.cond(S.cost_names[i] == "", "none", "circle"),
        )
        for i, (key, color) in enumerate(zip(("m1", "m2", "m3", "other"), COST_COLORS, strict=True))
    ]
    chart = rx.recharts.bar_chart(
        *bars,
        *_axes(decimals=True),
        data=S.cost_series,
        height=240,
        width="100%",
        margin={"top": 8, "right": 8, "left": 8, "bottom": 0},
    )
    empty = chart_empty(
        "wallet",
        "What each model costs per day will show here once the agent answers with an AI model.",
        "chart-costs-empty",
    )
    return section_card(
        "AI cost per day, by model",
        S.currency_note,
        rx.box(_chart(chart, empty, S.cost_rows.length() > 0), width="100%", data_testid="chart-costs"),
    )


def export_button(table: str) -> rx.Component:
    return rx.button(
        rx.icon("download", size=14),
        rx.text("CSV", display=rx.breakpoints(initial="none", sm="inline")),
        variant="soft",
        color_scheme="gray",
        size="1",
        on_click=S.export(table),
        aria_label=f"Export {table} as CSV",
        data_testid=f"export-{table}",
    )
