"""The pager under a table (Knowledge, Catalog): what is shown, rows per page, previous / next.

One piece so every table pages alike, and so a phone is handled once: "Page 2 of 3" and "1–25 of 75" never
break inside their words, and "Rows per page" keeps only its picker (a 25 beside the page numbers says
enough) where three words on three lines squeezed the page numbers to a letter per line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import reflex as rx

MUTED = "var(--gray-11)"
FROM_SM = rx.breakpoints(initial="none", sm="block")


def pager(
    *,
    page: rx.Var,
    pages: rx.Var,
    set_page: Callable[..., Any],
    range_label: rx.Var | None = None,
    size: rx.Var | None = None,
    sizes: Sequence[str] = (),
    set_size: Callable[..., Any] | None = None,
    testid: str = "page",
    **props: Any,
) -> rx.Component:
    """`range_label` ("1–25 of 75 products") on the left when given; the rows-per-page picker when `set_size`
    is; then previous, "Page n of m", next. Buttons are `{testid}-prev` / `{testid}-next`."""
    size_picker = (
        rx.hstack(
            rx.text("Rows per page", size="2", color=MUTED, white_space="nowrap", display=FROM_SM),
            rx.select.root(
                rx.select.trigger(
                    variant="surface", aria_label="Rows per page", data_testid=f"{testid}-size"
                ),
                rx.select.content(*[rx.select.item(s, value=s) for s in sizes]),
                value=size.to_string() if size is not None else "",
                on_change=set_size,
                size="1",
            ),
            spacing="2",
            align="center",
        )
        if set_size is not None
        else rx.fragment()
    )
    arrows = rx.hstack(
        rx.icon_button(
            rx.icon("chevron_left", size=16),
            variant="soft",
            color_scheme="gray",
            size="1",
            disabled=page <= 1,
            on_click=set_page(page - 1),
            aria_label="Previous page",
            data_testid=f"{testid}-prev",
        ),
        rx.text(
            "Page ",
            page.to_string(),
            " of ",
            pages.to_string(),
            size="2",
            color=MUTED,
            white_space="nowrap",
            align="center",
            min_width="72px",
            data_testid=f"{testid}-position",
        ),
        rx.icon_button(
            rx.icon("chevron_right", size=16),
            variant="soft",
            color_scheme="gray",
            size="1",
            disabled=page >= pages,
            on_click=set_page(page + 1),
            aria_label="Next page",
            data_testid=f"{testid}-next",
        ),
        spacing="2",
        align="center",
        flex_shrink="0",
        margin_left="auto",  # at the right end, also when a phone puts them on a line of their own
    )
    return rx.flex(
        rx.text(range_label, size="2", color=MUTED, white_space="nowrap", data_testid=f"{testid}-range")
        if range_label is not None
        else rx.fragment(),
        rx.spacer(),
        size_picker,
        arrows,
        align="center",
        width="100%",
        column_gap="16px",
        row_gap="8px",
        wrap="wrap",
        **props,
    )
