"""Analytics page — Satisfaction (issue #18): whether chats end resolved and how customers rate them. The
three figures and their trend (Reflex's recharts), then small tables by who handled the chat, by topic and by
knowledge entry (each exports as CSV) and the latest comments. A new shop sees what each part will show."""

from __future__ import annotations

import reflex as rx

from console.components.analytics_charts import (
    TICK,
    TOOLTIP,
    chart_empty,
    chart_skeleton,
    export_button,
    legend,
    phone_table,
)
from console.components.analytics_tables import NARROW, WIDE
from console.components.ui import section_card
from console.state.analytics import AnalyticsState as S

TWO = rx.breakpoints(initial="1", lg="2")
COLUMNS = ("Chats", "Resolved", "CSAT", "Rated")  # short enough for five columns on a phone


def _figure(label: str, value: rx.Var, detail: rx.Var | str, test_id: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray"),
        rx.text(value, size="6", weight="bold", data_testid=test_id),
        rx.text(detail, size="1", color="var(--gray-11)"),
        spacing="1",
        padding="12px",
        border_radius="var(--radius-3)",
        background_color="var(--gray-a2)",
        width="100%",
        min_width="0",
    )


def _figures() -> rx.Component:
    return rx.grid(
        _figure(
            "Resolved by the agent",
            S.sat_summary["by_agent"],
            "rated well, or no need to write again",
            "sat-by-agent",
        ),
        _figure("Resolved in all", S.sat_summary["resolved"], S.sat_summary["decided"], "sat-resolved"),
        _figure("Good ratings (CSAT)", S.sat_summary["csat"], S.sat_summary["rated"], "sat-csat"),
        columns=rx.breakpoints(initial="1", sm="3"),
        spacing="3",
        width="100%",
    )


def _trend() -> rx.Component:
    return rx.recharts.line_chart(
        rx.recharts.line(
            data_key="resolved",
            stroke="var(--grass-9)",
            stroke_width=2,
            connect_nulls=True,
            name="Resolved by the agent (%)",
        ),
        rx.recharts.line(
            data_key="csat",
            stroke="var(--blue-9)",
            stroke_width=2,
            connect_nulls=True,
            name="Good ratings (%)",
        ),
        rx.recharts.cartesian_grid(vertical=False, stroke_dasharray="3 3", stroke="var(--gray-a5)"),
        rx.recharts.x_axis(data_key="day", tick_line=False, axis_line=False, tick=TICK, min_tick_gap=16),
        rx.recharts.y_axis(domain=[0, 100], tick_line=False, axis_line=False, width=40, tick=TICK),
        rx.recharts.graphing_tooltip(separator=": ", content_style=TOOLTIP),
        legend(),
        data=S.sat_series,
        height=220,
        width="100%",
        margin={"top": 8, "right": 8, "left": 0, "bottom": 0},
    )


def satisfaction_overview() -> rx.Component:
    empty = chart_empty(
        "smile",
        "Once customers chat with your agent, this shows how many chats end resolved — by the agent alone or "
        "with your team — and how customers rate them after each resolution, day by day.",
        "satisfaction-empty",
    )
    return section_card(
        "Satisfaction",
        "Chats that ended resolved, and the share of good ratings customers gave.",
        rx.box(
            rx.cond(
                S.loaded,
                rx.cond(S.sat_has_data, rx.vstack(_figures(), _trend(), spacing="4", width="100%"), empty),
                chart_skeleton(),
            ),
            width="100%",
            data_testid="satisfaction",
        ),
    )


def _table(first: list[str], rows: rx.Var, cells: list[str], test_id: str, fold: str = "") -> rx.Component:
    """`fold`: a column a phone shows under the first one instead of in its own (as the cost table does)."""

    def row(r: rx.Var) -> rx.Component:
        name = rx.table.row_header_cell(
            r[cells[0]], *([rx.text(r[fold], size="1", color_scheme="gray", display=NARROW)] if fold else [])
        )
        return rx.table.row(
            name,
            *[rx.table.cell(r[key], display=WIDE if key == fold else None) for key in cells[1:]],
            data_testid=f"{test_id}-row",
        )

    headers = [*first, *COLUMNS]
    folded = {first[cells.index(fold)]} if fold else set()
    return phone_table(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[rx.table.column_header_cell(h, display=WIDE if h in folded else None) for h in headers]
                )
            ),
            rx.table.body(rx.foreach(rows, row)),
            size="1",
            width="100%",
        )
    )


def _card(title: str, note: str, body: rx.Component, empty: str, rows: rx.Var, table: str) -> rx.Component:
    return section_card(
        title,
        note,
        rx.cond(
            S.loaded,
            rx.cond(
                rows.length() > 0,
                body,
                rx.text(empty, size="2", color_scheme="gray", data_testid=f"{table}-empty"),
            ),
            chart_skeleton("120px"),
        ),
        action=export_button(table),
        data_testid=f"table-{table}",
    )


FIGURE_KEYS = ["conversations", "resolved", "csat", "rated"]


def handler_table() -> rx.Component:
    return _card(
        "By who handled the chat",
        "Resolved: of the chats decided, the share that ended resolved.",
        _table(["Handled by"], S.sat_handler_rows, ["name", *FIGURE_KEYS], "sat-handler"),
        "Chats handled by the agent alone and with your team will be compared here.",
        S.sat_handler_rows,
        "satisfaction_handlers",
    )


def topic_table() -> rx.Component:
    return _card(
        "By topic",
        "What customers asked for, and the products and services chats were about.",
        _table(["Topic", "Kind"], S.sat_topic_rows, ["name", "kind", *FIGURE_KEYS], "sat-topic", fold="kind"),
        "Nothing yet: how each kind of request and each product fares will show here.",
        S.sat_topic_rows,
        "satisfaction_topics",
    )


def knowledge_table() -> rx.Component:
    body = rx.cond(
        S.sat_knowledge_loaded,
        _table(["Knowledge entry"], S.sat_knowledge_rows, ["name", *FIGURE_KEYS], "sat-knowledge"),
        chart_skeleton("120px"),
    )
    return section_card(
        "By knowledge entry used",
        "The entries the agent's answers drew on, and how those chats ended.",
        rx.cond(
            S.sat_knowledge_loaded & (S.sat_knowledge_rows.length() == 0),
            rx.text(
                "No answers drew on your knowledge in this range. When they do, each entry's chats and "
                "ratings show here, so you see which answers work.",
                size="2",
                color_scheme="gray",
                data_testid="satisfaction_knowledge-empty",
            ),
            body,
        ),
        action=export_button("satisfaction_knowledge"),
        data_testid="table-satisfaction_knowledge",
    )


def _comment(r: rx.Var) -> rx.Component:
    return rx.flex(
        rx.badge(r["score"], color_scheme=r["color"], variant="soft", flex_shrink="0"),
        rx.vstack(
            rx.text(r["comment"], size="2"),
            rx.link(r["when"], " · open the chat", href=r["href"], size="1", color_scheme="gray"),
            spacing="1",
            min_width="0",
        ),
        gap="3",
        align="start",
        padding_y="8px",
        border_bottom="1px solid var(--gray-a4)",
        width="100%",
        data_testid="sat-comment",
    )


def comments_list() -> rx.Component:
    return _card(
        "What customers wrote",
        "The latest comments left with a rating, newest first.",
        rx.vstack(rx.foreach(S.sat_comment_rows, _comment), spacing="0", width="100%"),
        "No comments in this range. After a low rating the customer is asked what went wrong; their answers "
        "show here.",
        S.sat_comment_rows,
        "satisfaction_comments",
    )


def satisfaction_section() -> rx.Component:
    return rx.vstack(
        satisfaction_overview(),
        rx.grid(handler_table(), topic_table(), columns=TWO, spacing="4", width="100%"),
        rx.grid(knowledge_table(), comments_list(), columns=TWO, spacing="4", width="100%"),
        spacing="4",
        width="100%",
        min_width="0",
    )


__all__ = ["satisfaction_section"]
