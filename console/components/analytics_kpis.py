"""Analytics page — the range picker (presets, custom dates, day/week/month) and the KPI cards with their
change against the previous period of the same length."""

from __future__ import annotations

import reflex as rx

from console.components.ui import card
from console.state.analytics import GRANULARITY_LABELS, PRESET_LABELS
from console.state.analytics import AnalyticsState as S


def _custom_range() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.input(
                type="date",
                name="date_from",
                default_value=S.date_from,
                aria_label="First day",
                data_testid="range-from",
            ),
            rx.text("to", size="2", color_scheme="gray"),
            rx.input(
                type="date",
                name="date_to",
                default_value=S.date_to,
                aria_label="Last day",
                data_testid="range-to",
            ),
            rx.button("Show", type="submit", variant="soft", data_testid="range-apply"),
            gap="2",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            S.range_error != "",
            rx.text(S.range_error, size="1", color_scheme="red", data_testid="range-error"),
        ),
        on_submit=S.apply_dates,
        reset_on_submit=False,
    )


def range_bar() -> rx.Component:
    presets = rx.segmented_control.root(
        *[rx.segmented_control.item(label, value=value) for value, label in PRESET_LABELS],
        value=S.preset,
        on_change=S.set_preset,
        size=rx.breakpoints(initial="1", sm="2"),  # all four, Custom included, within a phone's width
        data_testid="range-presets",
    )
    grain = rx.select.root(
        rx.select.trigger(aria_label="Group by", data_testid="range-granularity"),
        rx.select.content(*[rx.select.item(label, value=value) for value, label in GRANULARITY_LABELS]),
        value=S.granularity,
        on_change=S.set_granularity,
        size="2",
    )
    return rx.vstack(
        rx.flex(
            rx.box(presets, max_width="100%", overflow_x="auto"),
            grain,
            rx.spacer(),
            rx.hstack(
                rx.cond(S.loading, rx.spinner(size="2")),
                rx.text(S.range_label, size="2", color_scheme="gray", data_testid="range-label"),
                align="center",
                spacing="2",
            ),
            gap="3",
            wrap="wrap",
            align="center",
            width="100%",
        ),
        rx.cond(S.preset == "custom", _custom_range()),
        spacing="2",
        width="100%",
    )


def _kpi(item: rx.Var) -> rx.Component:
    return card(
        rx.vstack(
            rx.hstack(
                rx.text(item["label"], size="2", color_scheme="gray", weight="medium"),
                rx.tooltip(
                    rx.icon("info", size=13, color="var(--gray-9)", tab_index=0, aria_label=item["meaning"]),
                    content=item["meaning"],
                ),
                width="100%",
                align="center",
            ),
            rx.text(
                item["value"],
                size="6",
                weight="bold",
                line_height="1",
                data_testid="kpi-" + item["key"].to(str),
            ),
            rx.text(item["change"], size="1", color=f"var(--{item['color']}-11)"),
            spacing="2",
        ),
        padding="16px 20px",
    )


def kpi_skeleton() -> rx.Component:
    return rx.grid(
        *[rx.skeleton(height="104px", width="100%", border_radius="var(--radius-4)") for _ in range(5)],
        columns=rx.breakpoints(initial="1", sm="2", lg="5"),
        spacing="3",
        width="100%",
    )


def kpi_cards() -> rx.Component:
    return rx.cond(
        S.loaded,
        rx.grid(
            rx.foreach(S.kpis, _kpi),
            columns=rx.breakpoints(initial="1", sm="2", lg="5"),
            spacing="3",
            width="100%",
            data_testid="analytics-kpis",
        ),
        kpi_skeleton(),
    )
