"""Lists edited as chips (traits, topics, aliases, sizes, related products): the chip, the row of chips, and
the input with Add that puts one more in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx


def chip(value: Any, on_remove: Any, color: Any = "gray", *lead: rx.Component, **props: Any) -> rx.Component:
    """One value with an × that removes it (`data_testid=None` for none)."""
    props.setdefault("data_testid", "chip")
    if props["data_testid"] is None:
        del props["data_testid"]
    return rx.badge(
        *lead,
        rx.text(value, trim="both"),
        rx.icon_button(
            rx.icon("x", size=11),
            variant="ghost",
            color_scheme=color,
            size="1",
            radius="full",
            on_click=on_remove,
            aria_label="Remove",
            type="button",
            margin_right="-4px",
            height="16px",
            width="16px",
            min_width="16px",
        ),
        variant="soft",
        color_scheme=color,
        radius="full",
        size="2",
        gap="1",
        padding_right="6px",
        **props,
    )


def chip_list(items: rx.Var, render: Callable[[rx.Var], rx.Component]) -> rx.Component:
    """The chips of a list, wrapping; nothing while it is empty."""
    return rx.cond(
        items.length() > 0,
        rx.flex(rx.foreach(items, render), wrap="wrap", gap="2", width="100%"),
    )


def chip_adder(name: str, placeholder: str, **input_props: Any) -> rx.Component:
    """An input and Add (Enter works too): submits its form with `name` set to what was typed.

    `custom_attrs={"form": ...}` ties both to a form elsewhere on the page (forms cannot nest)."""
    attrs = input_props.pop("custom_attrs", {})
    return rx.hstack(
        rx.input(
            name=name,
            placeholder=placeholder,
            size="2",
            width="100%",
            auto_complete="off",
            custom_attrs=dict(attrs),  # Reflex adds data-testid to this dict: one each
            data_testid=f"chip-input-{name}",
            **input_props,
        ),
        rx.button(
            rx.icon("plus", size=14),
            "Add",
            type="submit",
            variant="soft",
            color_scheme="gray",
            size="2",
            custom_attrs=dict(attrs),
            data_testid=f"chip-add-{name}",
        ),
        spacing="2",
        width="100%",
    )
