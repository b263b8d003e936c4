"""Stock per size and colour in the Catalog drawer: a switch, then a grid of sizes × colours.

The sizes and colours are the chips above it, so the grid follows them as they are added. Each cell is a
plain number input inside the drawer's form (named `variant::<size>|<colour>`), read when the form is saved;
the product's stock becomes the grid's sum. Off, the product keeps its one stock figure.
"""

from __future__ import annotations

import reflex as rx

from console.state.catalog_editor import CatalogEditorState

E = CatalogEditorState
MUTED = "var(--gray-11)"


def _cell(cell: rx.Var) -> rx.Component:
    return rx.table.cell(
        rx.input(
            name="variant::" + cell[0].to(str),
            default_value=cell[1].to(str),
            type="number",
            min="0",
            step="1",
            size="1",
            width="72px",
            aria_label="Stock in " + cell[0].to(str).replace("|", " · "),
            data_testid="variant-stock",
        ),
        padding="4px 6px",
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(row[0][0].to(str), size="2", weight="medium"), padding="4px 8px"),
        rx.foreach(row[1:].to(list[list[str]]), _cell),
    )


def variant_grid() -> rx.Component:
    """The switch and, when it is on, the grid with the total under it."""
    return rx.vstack(
        rx.hstack(
            rx.vstack(
                rx.text("Stock per size and colour", size="2", weight="medium"),
                rx.text(
                    "Tell the agent exactly what is left, so it can say “in stock in UK 8” or offer the "
                    "nearest size.",
                    size="1",
                    color=MUTED,
                ),
                spacing="0",
            ),
            rx.spacer(),
            rx.switch(
                checked=E.per_variant, on_change=E.set_per_variant, size="2", data_testid="field-per_variant"
            ),
            align="center",
            width="100%",
        ),
        rx.cond(
            E.per_variant,
            rx.vstack(
                rx.box(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(
                                rx.table.column_header_cell(rx.text("Size", size="1", color=MUTED)),
                                rx.foreach(
                                    E.grid_colors,
                                    lambda c: rx.table.column_header_cell(
                                        rx.text(rx.cond(c == "", "Stock", c), size="1", color=MUTED)
                                    ),
                                ),
                            )
                        ),
                        rx.table.body(rx.foreach(E.stock_grid, _row)),
                        size="1",
                        variant="surface",
                    ),
                    overflow_x="auto",
                    width="100%",
                    data_testid="variant-grid",
                ),
                rx.text(
                    "Saved stock in total: ",
                    E.variant_total,
                    ". Add sizes or colours above to add rows or columns.",
                    size="1",
                    color=MUTED,
                ),
                rx.cond(
                    E.errors.get("variants", "") != "",
                    rx.text(
                        E.errors.get("variants", ""),
                        size="1",
                        color="var(--red-11)",
                        data_testid="error-variants",
                    ),
                    rx.fragment(),
                ),
                spacing="2",
                width="100%",
            ),
            rx.fragment(),
        ),
        spacing="3",
        width="100%",
        padding="12px 14px",
        border="1px solid var(--gray-a5)",
        border_radius="var(--radius-3)",
    )


__all__ = ["variant_grid"]
