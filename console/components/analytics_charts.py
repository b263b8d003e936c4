"""Analytics page — the charts (Reflex's recharts): conversations per day, agent alone vs with a person;
response times at the median and the 95th percentile; AI cost per day by model. Each has an empty state that
says what it will show, since a new shop has nothing to chart yet."""

from __future__ import annotations

import reflex as rx

from console.components.ui import section_card
from console.state.analytics import AnalyticsState as S

TICK = {"fontSize": 11, "fill": "var(--gray-11)"}
TOOLTIP = {
    "fontSize": "12px",
    "borderRadius": "8px",
    "border": "1px solid var(--gray-a5)",
    "background": "var(--color-panel-solid)",
}
COST_COLORS = ("var(--grass-9)", "var(--blue-9)", "var(--amber-9)", "var(--gray-8)")


def legend(**props: object) -> rx.Component:
    """A chart's legend: each series' name in the text colour beside its coloured dot (recharts paints the
    words in the series colour, and amber or pale green words on white are hard to read)."""
    return rx.recharts.legend(
        icon_type="circle",
        icon_size=8,
        # custom attributes: Reflex 0.10 nests a `wrapper_style` prop a level too deep, so it never applied
        custom_attrs={
            "labelStyle": {"color": "var(--gray-11)"},
            "wrapperStyle": {"fontSize": "12px"},
            **props,
        },
    )


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
        legend(),
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


def _time_bar(key: str, fill: str, name: str) -> rx.Component:
    return rx.recharts.bar(
        rx.recharts.label_list(
            data_key=f"{key}_label", position="top", fill="var(--gray-11)", custom_attrs={"fontSize": 10}
        ),
        data_key=f"{key}_v",
        fill=fill,
        radius=[3, 3, 0, 0],
        name=name,
        is_animation_active=False,
    )


def response_chart() -> rx.Component:
    """Half within / 95% within for each measure, in the unit the figures call for (time_scale in
    console/state/analytics_rows.py); each bar says its wait in words, and a bar past the top of the axis is
    drawn up to it and named under the chart."""
    first = S.time_rows[0]
    chart = rx.recharts.bar_chart(
        _time_bar("p50", "var(--grass-9)", "Half within"),
        _time_bar("p95", "var(--grass-6)", "95% within"),
        rx.recharts.cartesian_grid(vertical=False, stroke_dasharray="3 3", stroke="var(--gray-a5)"),
        # On a phone each measure's name wraps under its own bars instead of running into the next one's.
        rx.recharts.x_axis(
            data_key="what",
            tick_line=False,
            axis_line=False,
            tick={**TICK, "width": 96},
            interval=0,
            height=32,
        ),
        rx.recharts.y_axis(
            domain=[0, first["top"]],
            allow_data_overflow=True,
            allow_decimals=True,
            tick_line=False,
            axis_line=False,
            width=40,
            tick=TICK,
        ),
        legend(itemSorter="dataKey"),  # as drawn: half, then 95% (not alphabetical)
        data=S.time_rows,
        bar_gap=6,
        height=250,
        width="100%",
        margin={"top": 20, "right": 8, "left": 0, "bottom": 0},
    )
    unit = rx.text(
        "Waits in ",
        first["unit"],
        size="1",
        color_scheme="gray",
        data_testid="times-unit",
    )
    notes = rx.foreach(
        S.time_rows,
        lambda r: rx.cond(
            r["note"] != "",
            rx.text(
                rx.icon("arrow_up", size=12, display="inline", vertical_align="-2px"),
                " ",
                r["note"],
                " — above the top of the chart.",
                size="1",
                color_scheme="gray",
                data_testid="times-off-scale",
            ),
        ),
    )
    table = rx.table.root(
        rx.table.header(
            rx.table.row(
                *[
                    rx.table.column_header_cell(h)
                    for h in ("", "Half within", "95% within", "99% within", "Replies")
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
        "How long customers wait: for the first answer, for the agent's replies and for your team's, for "
        "half of them and for 95 in 100.",
        "chart-times-empty",
    )
    return section_card(
        "Response times",
        "From a customer's message to the answer: half are answered within the first bar, 95 in 100 within "
        "the second.",
        rx.box(
            _chart(
                rx.vstack(
                    unit,
                    chart,
                    rx.vstack(notes, spacing="1", width="100%"),
                    phone_table(table),
                    width="100%",
                    spacing="2",
                ),
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


# Analytics tables on a phone: headings and words wrap instead of running off the card (a clipped "Replic"),
# long model names break at their hyphens, and cells pad less; what still does not fit scrolls sideways.
_CELLS = "& th, & td"
PHONE_TABLE = {
    _CELLS: {"white_space": "normal", "overflow_wrap": "break-word"},
    "& th": {"line_height": "1.25"},
    "@media (max-width: 640px)": {
        _CELLS: {"padding_left": "6px", "padding_right": "6px", "hyphens": "auto"},
        "& th:first-child, & td:first-child": {"padding_left": "2px"},
    },
}


def phone_table(table: rx.Component) -> rx.Component:
    """An analytics table that fits a 390 px phone (see PHONE_TABLE)."""
    return rx.box(table, width="100%", min_width="0", overflow_x="auto", style=PHONE_TABLE)


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
