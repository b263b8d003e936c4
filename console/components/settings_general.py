"""Settings → General: the workspace's name, time zone, currency, the agent's language and business hours."""

from __future__ import annotations

import reflex as rx

from console.components.ui import error_line, field_hint, section_card
from console.state.settings_general import CURRENCIES, DAY_LABELS, LANGUAGES, GeneralSettingsState

S = GeneralSettingsState


def _label(text: str, html_for: str = "") -> rx.Component:
    return rx.text(text, as_="label", size="2", weight="medium", html_for=html_for)


def _zone_picker() -> rx.Component:
    return rx.vstack(
        _label("Time zone", "ws-zone"),
        rx.flex(  # the search goes under the zone on a phone rather than cutting its hint
            rx.badge(
                rx.icon("globe", size=12), S.time_zone, size="2", variant="soft", data_testid="ws-zone-now"
            ),
            rx.input(
                id="ws-zone",
                placeholder="Search, e.g. London or Kolkata",
                value=S.zone_query,
                on_change=S.set_zone_query,
                debounce_timeout=200,
                flex="1 1 240px",
                data_testid="ws-zone-search",
            ),
            gap="8px",
            width="100%",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            S.zone_matches.length() > 0,
            rx.flex(
                rx.foreach(
                    S.zone_matches,
                    lambda z: rx.button(
                        z, size="1", variant="soft", color_scheme="gray", on_click=S.pick_zone(z)
                    ),
                ),
                wrap="wrap",
                gap="6px",
            ),
        ),
        field_hint("Every time in the console and the agent's opening hours use this zone."),
        error_line(S.errors.get("time_zone", ""), "ws-zone-error"),
        spacing="2",
        width="100%",
    )


def _select(
    label: str, key: str, options: list[list[str]], value: rx.Var, on_change, hint: str
) -> rx.Component:
    return rx.vstack(
        _label(label),
        rx.select.root(
            rx.select.trigger(width="100%", data_testid=f"ws-{key}"),
            rx.select.content(*[rx.select.item(name, value=code) for code, name in options]),
            value=value,
            on_change=on_change,
        ),
        field_hint(hint),
        error_line(S.errors.get(key, ""), f"ws-{key}-error"),
        spacing="2",
        width="100%",
    )


def _period(day: str, index: int, period: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.input(
            type="time",
            value=period[0],
            on_change=lambda v: S.set_time(day, index, 0, v),
            size="1",
            width="112px",
        ),
        rx.text("–", color="var(--gray-11)"),
        rx.input(
            type="time",
            value=period[1],
            on_change=lambda v: S.set_time(day, index, 1, v),
            size="1",
            width="112px",
        ),
        rx.cond(
            index > 0,
            rx.icon_button(
                rx.icon("x", size=12),
                size="1",
                variant="ghost",
                color_scheme="gray",
                on_click=S.remove_period(day, index),
                aria_label="Remove this period",
            ),
        ),
        spacing="2",
        align="center",
    )


def _day(day: str, name: str) -> rx.Component:
    periods = S.weekly.get(day, [])
    is_open = periods.length() > 0
    return rx.flex(
        rx.hstack(
            rx.switch(
                checked=is_open,
                on_change=lambda v: S.set_day_open(day, v),
                size="1",
                data_testid=f"ws-open-{day}",
            ),
            rx.text(name, size="2", weight=rx.cond(is_open, "medium", "regular"), width="92px"),
            spacing="3",
            align="center",
        ),
        rx.cond(
            is_open,
            rx.flex(
                rx.foreach(periods, lambda p, i: _period(day, i, p)),
                rx.button(
                    rx.icon("coffee", size=12),
                    "Add a break",
                    size="1",
                    variant="ghost",
                    on_click=S.add_break(day),
                ),
                wrap="wrap",
                gap="8px",
                align="center",
            ),
            rx.text("Closed", size="2", color="var(--gray-11)"),
        ),
        error_line(S.errors.get(f"hours.{day}", ""), f"ws-hours-error-{day}"),
        direction={"initial": "column", "sm": "row"},
        gap="8px",
        align={"initial": "start", "sm": "center"},
        padding_y="6px",
        border_top="1px solid var(--gray-a3)",
        width="100%",
    )


def general_tab() -> rx.Component:
    return rx.vstack(
        section_card(
            "Your workspace",
            "How your shop appears in Parley, and the money and clock everything uses.",
            rx.vstack(
                _label("Workspace name", "ws-name"),
                rx.input(
                    id="ws-name",
                    value=S.name,
                    on_change=S.set_name,
                    debounce_timeout=300,
                    width="100%",
                    color_scheme=rx.cond(S.errors.get("name", "") != "", "red", "gray"),
                    data_testid="ws-name",
                ),
                error_line(S.errors.get("name", ""), "ws-name-error"),
                spacing="2",
                width="100%",
            ),
            _zone_picker(),
            rx.grid(
                _select(
                    "Currency",
                    "currency",
                    CURRENCIES,
                    S.currency,
                    S.set_currency,
                    "Prices, orders and spend are shown in it.",
                ),
                _select(
                    "Agent language",
                    "agent_language",
                    LANGUAGES,
                    S.language,
                    S.set_language,
                    "The agent starts in this language and follows a customer who writes in another.",
                ),
                columns={"initial": "1", "md": "2"},
                spacing="4",
                width="100%",
            ),
        ),
        section_card(
            "Business hours",
            "When your team answers. Outside them the agent tells customers when a person will be back. "
            "Add a break for lunch; switch a day off when you are closed.",
            rx.vstack(*[_day(day, name) for day, name in DAY_LABELS], spacing="0", width="100%"),
            error_line(S.errors.get("hours", ""), "ws-hours-error"),
            data_testid="ws-hours",
        ),
        rx.hstack(
            rx.cond(
                S.dirty,
                rx.text("Unsaved changes", size="2", weight="medium", color="var(--amber-11)"),
                rx.hstack(
                    rx.icon("circle_check", size=16, color="var(--grass-11)"),
                    rx.text(S.saved_note, size="2"),
                    spacing="2",
                    align="center",
                ),
            ),
            rx.spacer(),
            rx.cond(S.dirty, rx.button("Discard", variant="soft", color_scheme="gray", on_click=S.discard)),
            rx.button(
                rx.icon("save", size=16), "Save", on_click=S.save, disabled=~S.dirty, data_testid="ws-save"
            ),
            width="100%",
            align="center",
            padding="12px 16px",
            border="1px solid var(--gray-a5)",
            border_radius="var(--radius-4)",
            background_color="var(--color-panel-solid)",
            position=rx.cond(S.dirty, "sticky", "static"),  # follows the scroll only with unsaved changes
            bottom="16px",
        ),
        spacing="5",
        width="100%",
        data_testid="general-tab",
    )
