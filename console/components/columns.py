"""Tables on a phone: columns that need room show from a breakpoint up (sm 768 px, md 1024, lg 1280), and
what they said moves under the row's first cell in a line shown only below `sm`. A table never scrolls
sideways, and no column is squeezed to a letter per line.

A module of its own (no console imports) so every table can use it without an import cycle.
"""

from __future__ import annotations

import reflex as rx


def column_from(breakpoint: str) -> rx.Breakpoints:
    """`display` for a table cell (header and body alike) shown only from `breakpoint` up."""
    return rx.breakpoints(initial="none", **{breakpoint: "table-cell"})


PHONE_ONLY = rx.breakpoints(initial="flex", sm="none")
FROM_SM = column_from("sm")


def phone_line(*children: rx.Component | str | rx.Var, **props) -> rx.Component:
    """The facts of a row's hidden columns, under its first cell, on a phone only."""
    return rx.hstack(
        *children, spacing="2", align="center", wrap="wrap", display=PHONE_ONLY, padding_top="4px", **props
    )
