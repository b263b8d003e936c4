"""Campaigns page — one campaign's results: headline figures, the funnel sent → delivered → read → tapped →
replied → ordered as a bar chart, taps per button, failures in words, and the recipients as CSV."""

from __future__ import annotations

import reflex as rx

from console.components.campaigns_list import pill
from console.components.ui import card, section_card
from console.state.campaigns import CampaignsState as S


def _figure(label: str, value: rx.Var, testid: str) -> rx.Component:
    return card(
        rx.vstack(
            rx.text(label, size="1", color_scheme="gray"),
            rx.text(value, size="6", weight="bold", data_testid=testid),
            spacing="1",
        ),
        padding="14px 16px",
    )


def funnel_chart() -> rx.Component:
    return rx.recharts.bar_chart(
        rx.recharts.bar(data_key="people", fill="var(--grass-9)", radius=[4, 4, 0, 0], name="People"),
        rx.recharts.x_axis(
            data_key="stage",
            tick_line=False,
            axis_line=False,
            tick={"fontSize": 12, "fill": "var(--gray-11)"},
        ),
        rx.recharts.y_axis(
            allow_decimals=False,
            tick_line=False,
            axis_line=False,
            width=36,
            tick={"fontSize": 11, "fill": "var(--gray-11)"},
        ),
        rx.recharts.graphing_tooltip(cursor={"fill": "var(--gray-a3)"}, separator=": "),
        data=S.funnel_data,
        height=240,
        width="100%",
        margin={"top": 8, "right": 8, "left": 0, "bottom": 0},
    )


def _funnel_legend() -> rx.Component:
    return rx.flex(
        rx.foreach(
            S.funnel,
            lambda f: rx.vstack(
                rx.text(f.stage, size="1", color_scheme="gray"),
                rx.hstack(
                    rx.text(f.people, size="3", weight="medium"),
                    rx.text(f.share, size="1", color_scheme="gray"),
                    spacing="1",
                    align="baseline",
                ),
                spacing="0",
                width="84px",
                flex_shrink="0",
                data_testid="funnel-step",
            ),
        ),
        gap="16px",
        wrap="wrap",
        width="100%",
    )


def _buttons_table() -> rx.Component:
    return rx.cond(
        S.buttons.length() == 0,
        rx.text("This message had no quick-reply buttons.", size="2", color_scheme="gray"),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Button"),
                    rx.table.column_header_cell("Taps", justify="end"),
                    rx.table.column_header_cell("Share", justify="end"),
                )
            ),
            rx.table.body(
                rx.foreach(
                    S.buttons,
                    lambda b: rx.table.row(
                        rx.table.cell(b.title),
                        rx.table.cell(b.taps, justify="end"),
                        rx.table.cell(b.share, justify="end"),
                        data_testid="button-row",
                    ),
                )
            ),
            variant="surface",
            width="100%",
        ),
    )


def _failures() -> rx.Component:
    return rx.cond(
        S.failures.length() == 0,
        rx.text("Nothing failed.", size="2", color_scheme="gray"),
        rx.vstack(
            rx.foreach(
                S.failures,
                lambda f: rx.hstack(
                    rx.icon("circle_alert", size=14, color="var(--red-10)"),
                    rx.text(f.reason, size="2"),
                    rx.spacer(),
                    rx.text(f.people, size="2", weight="medium"),
                    width="100%",
                    align="center",
                ),
            ),
            spacing="2",
            width="100%",
        ),
    )


def results_view() -> rx.Component:
    head = rx.flex(
        rx.button(
            rx.icon("arrow_left", size=14),
            "All campaigns",
            variant="soft",
            color_scheme="gray",
            on_click=S.show_list,
        ),
        rx.heading(S.result_name, size="5", weight="medium", data_testid="results-title"),
        pill(S.result_status_label, S.result_status_color, "results-status"),
        rx.spacer(),
        rx.button(
            rx.icon("download", size=14),
            "Export recipients (CSV)",
            variant="soft",
            on_click=S.export_recipients,
            data_testid="results-export",
        ),
        gap="3",
        wrap="wrap",
        align="center",
        width="100%",
    )
    figures = rx.grid(
        _figure("Recipients", S.result_recipients, "results-recipients"),
        _figure("Orders revenue (7 days after a tap)", S.result_revenue, "results-revenue"),
        _figure("Opted out", S.result_opted_out, "results-opted-out"),
        _figure("Failed", S.result_failed, "results-failed"),
        columns=rx.breakpoints(initial="2", md="4"),
        spacing="3",
        width="100%",
    )
    return rx.vstack(
        head,
        figures,
        section_card(
            "From sent to ordered",
            "How many people reached each step; the share is of those sent.",
            funnel_chart(),
            _funnel_legend(),
            data_testid="results-funnel",
        ),
        rx.grid(
            section_card("Taps per button", None, _buttons_table()),
            section_card("Failures", "Why some messages did not arrive.", _failures()),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="3",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


__all__ = ["results_view"]
