"""A page's tabs that fit every screen: the tab bar from 520 px up (wrapping onto a second line when there are
more tabs than room, as Settings has on a tablet), and on a phone one full-width picker naming the open tab.

Radix's tab list scrolls sideways when its tabs do not fit, which on a phone hides most of them with no sign
they are there (Catalog's Orders and Appointments, seven of Settings' nine). Both pickers drive the same
`value` and `on_change`, so the page's state does not know which one was used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import reflex as rx

PHONE_ONLY = rx.breakpoints(initial="flex", xs="none")
FROM_XS = rx.breakpoints(initial="none", xs="flex")


@dataclass(frozen=True)
class Tab:
    """One tab: its key (the state's value), its words and icon, an optional count badge, and an optional
    condition for tabs only some roles see."""

    key: str
    label: str
    icon: str
    count: rx.Var | None = None
    shown: rx.Var | None = None


def _when(tab: Tab, component: rx.Component) -> rx.Component:
    return component if tab.shown is None else rx.cond(tab.shown, component)


def _label(tab: Tab) -> rx.Component:
    badge = (
        rx.badge(tab.count, variant="soft", color_scheme="gray", radius="full", size="1")
        if tab.count is not None
        else rx.fragment()
    )
    return rx.hstack(
        rx.icon(tab.icon, size=15, flex_shrink="0"),
        rx.text(tab.label, white_space="nowrap"),
        badge,
        spacing="2",
        align="center",
    )


def _tab_bar(tabs: Sequence[Tab]) -> rx.Component:
    return rx.tabs.list(
        *[_when(t, rx.tabs.trigger(_label(t), value=t.key, data_testid=f"tab-{t.key}")) for t in tabs],
        size="2",
        display=FROM_XS,
        flex="1 1 auto",
        flex_wrap="wrap",  # never a hidden sideways scroll: a second line of tabs instead
        overflow="visible",
        box_shadow="none",  # the bar's own line is drawn under the whole row, actions included
    )


def _phone_picker(
    tabs: Sequence[Tab], value: rx.Var, on_change: Callable[..., Any], testid: str
) -> rx.Component:
    return rx.box(
        rx.select.root(
            rx.select.trigger(width="100%", variant="surface", data_testid=f"{testid}-picker"),
            rx.select.content(
                *[
                    _when(t, rx.select.item(_label(t), value=t.key, data_testid=f"pick-{t.key}"))
                    for t in tabs
                ],
                position="popper",
            ),
            value=value,
            on_change=on_change,
            size="3",
        ),
        display=PHONE_ONLY,
        flex_direction="column",
        width="100%",
        padding_bottom="12px",
    )


def page_tabs(
    tabs: Sequence[Tab],
    *,
    value: rx.Var,
    on_change: Callable[..., Any],
    panels: dict[str, rx.Component],
    actions: rx.Component | None = None,
    padding_top: str = "20px",
    testid: str = "page-tabs",
) -> rx.Component:
    """Tabs over `panels` (one per tab key), with the page's `actions` at the bar's right end (under it when
    both do not fit)."""
    return rx.tabs.root(
        rx.flex(
            _phone_picker(tabs, value, on_change, testid),
            _tab_bar(tabs),
            rx.box(actions, padding_bottom="6px", margin_left="auto")
            if actions is not None
            else rx.fragment(),
            align="end",
            width="100%",
            column_gap="16px",
            row_gap="8px",
            wrap="wrap",
            border_bottom=rx.breakpoints(initial="none", xs="1px solid var(--gray-a5)"),
            data_testid=testid,
        ),
        *[_when(t, rx.tabs.content(panels[t.key], value=t.key, padding_top=padding_top)) for t in tabs],
        value=value,
        on_change=on_change,
        width="100%",
    )
