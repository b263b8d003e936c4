"""The model chain (the default first, then the fallbacks in order) as a table with list prices, where each
model moves up or down or goes: one editor for Settings → AI providers and the Persona page.

A row is any object with `ref`, `model`, `role`, `note`, `price_in`, `price_out`, `first` and `last`; with
`numbered` also `position`, with `tier` also `tier`."""

from __future__ import annotations

from typing import Any

import reflex as rx

from console.components.columns import FROM_SM, phone_line


def _icon_button(icon: str, label: str, on_click: Any, disabled: Any, color: str = "gray", **props: Any):
    return rx.icon_button(
        rx.icon(icon, size=15),
        variant="ghost",
        color_scheme=color,
        size="1",
        on_click=on_click,
        disabled=disabled,
        aria_label=label,
        **props,
    )


def _role_badge(row: Any, numbered: bool) -> rx.Component:
    color = rx.cond(row.first, "grass", "gray")
    if numbered:
        return rx.badge(row.role, variant="soft", color_scheme=color, size="1", flex_shrink="0")
    return rx.badge(row.role, variant=rx.cond(row.first, "solid", "soft"), color_scheme=color, radius="full")


def _lead_cell(row: Any, numbered: bool) -> rx.Component:
    if not numbered:  # on a phone the role sits under the model's name
        return rx.table.cell(
            _role_badge(row, numbered), white_space="nowrap", vertical_align="middle", display=FROM_SM
        )
    return rx.table.cell(
        rx.center(
            rx.text(row.position, size="1", weight="bold"),
            width="24px",
            height="24px",
            border_radius="9999px",
            background_color=rx.cond(row.first, "var(--accent-a4)", "var(--gray-a3)"),
            color=rx.cond(row.first, "var(--accent-11)", "var(--gray-11)"),
        ),
        vertical_align="middle",
    )


def chain_table(
    rows: rx.Var,
    *,
    provider: Any,
    on_move: Any,
    on_remove: Any,
    testid: str,
    row_testid: str,
    numbered: bool = False,
    tier: bool = False,
    keep_one: bool = False,
) -> rx.Component:
    """`provider(row)` names the row's provider; `on_move(ref, step)`, `on_remove(ref)` change the chain.

    `numbered`: a position circle first and the role next to the name (else the role leads the row);
    `tier`: a "Good for" column; `keep_one`: the last model left cannot be removed."""

    def row_of(row: Any) -> rx.Component:
        # A model's id breaks at its hyphens, and inside a word only if the word is wider than the cell.
        name = rx.text(row.model, size="2", weight="medium", overflow_wrap="break-word")
        prices = rx.text(row.price_in, " in · ", row.price_out, " out", size="1", color_scheme="gray")
        return rx.table.row(
            _lead_cell(row, numbered),
            rx.table.cell(
                rx.vstack(
                    rx.hstack(name, _role_badge(row, numbered), spacing="2", align="center")
                    if numbered
                    else name,
                    rx.text(
                        provider(row),
                        rx.cond(row.note != "", rx.text(" · ", row.note, as_="span")),
                        size="1",
                        color_scheme="gray",
                    ),
                    phone_line(
                        rx.fragment() if numbered else _role_badge(row, numbered),
                        prices,
                        rx.text(row.tier, size="1", color_scheme="gray") if tier else rx.fragment(),
                        row_gap="2px",
                    ),
                    spacing="0",
                ),
                vertical_align="middle",
            ),
            rx.table.cell(
                rx.text(row.price_in, size="2"), vertical_align="middle", text_align="right", display=FROM_SM
            ),
            rx.table.cell(
                rx.text(row.price_out, size="2"), vertical_align="middle", text_align="right", display=FROM_SM
            ),
            *(
                [
                    rx.table.cell(
                        rx.text(row.tier, size="1", color_scheme="gray"),
                        vertical_align="middle",
                        display=FROM_SM,
                    )
                ]
                if tier
                else []
            ),
            rx.table.cell(
                rx.hstack(
                    _icon_button("arrow_up", "Move up", on_move(row.ref, -1), row.first),
                    _icon_button("arrow_down", "Move down", on_move(row.ref, 1), row.last),
                    _icon_button(
                        "x",
                        "Remove model",
                        on_remove(row.ref),
                        (row.first & row.last) if keep_one else False,
                        "red",
                        data_testid="remove-model",
                    ),
                    spacing=rx.breakpoints(initial="2", sm="3"),
                    justify="end",
                    align="center",
                ),
                vertical_align="middle",
            ),
            align="center",
            data_testid=row_testid,
        )

    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell(
                    "", width="44px" if numbered else "104px", display=None if numbered else FROM_SM
                ),
                rx.table.column_header_cell("Model"),
                rx.table.column_header_cell("Input", width="80px", text_align="right", display=FROM_SM),
                rx.table.column_header_cell("Output", width="80px", text_align="right", display=FROM_SM),
                *([rx.table.column_header_cell("Good for", width="128px", display=FROM_SM)] if tier else []),
                rx.table.column_header_cell("", width=rx.breakpoints(initial="96px", sm="112px")),
            ),
        ),
        rx.table.body(rx.foreach(rows, row_of)),
        variant="surface",
        size="1",
        width="100%",
        data_testid=testid,
    )
