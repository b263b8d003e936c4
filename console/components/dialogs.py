"""The console's dialogs: a confirmation before anything that cannot be taken back, a form dialog's header and
buttons, the box that shows a secret once, and the card a role sees where it may not manage something."""

from __future__ import annotations

from typing import Any

import reflex as rx

from console.components.ui import card, icon_tile
from console.state.guard import ALLOWED, FORBIDDEN


def confirm_dialog(
    *title: Any,
    description: Any,
    confirm_label: str = "",
    on_confirm: Any = None,
    testid: str = "",
    color_scheme: str | None = "red",
    cancel_label: str = "Cancel",
    on_cancel: Any = None,
    action: rx.Component | None = None,
    extra: rx.Component | None = None,
    trigger: rx.Component | None = None,
    max_width: str = "440px",
    gap: str = "20px",
    **root_props: Any,
) -> rx.Component:
    """Title, what will happen, Cancel and the confirming button (or `action`, drawn as given)."""
    if action is None:
        button_props = {"color_scheme": color_scheme} if color_scheme else {}
        action = rx.alert_dialog.action(
            rx.button(confirm_label, on_click=on_confirm, data_testid=testid, **button_props)
        )
    cancel_props = {"on_click": on_cancel} if on_cancel is not None else {}
    return rx.alert_dialog.root(
        *([rx.alert_dialog.trigger(trigger)] if trigger is not None else []),
        rx.alert_dialog.content(
            rx.alert_dialog.title(*title),
            rx.alert_dialog.description(description, size="2"),
            *([extra] if extra is not None else []),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button(cancel_label, variant="soft", color_scheme="gray", **cancel_props)
                ),
                action,
                justify="end",
                spacing="3",
                margin_top=gap,
            ),
            max_width=max_width,
        ),
        **root_props,
    )


def dialog_header(icon: str, title: Any, description: Any, **props: Any) -> rx.Component:
    """A form dialog's icon, title and one line under it."""
    props.setdefault("margin_bottom", "20px")
    return rx.hstack(
        icon_tile(icon, size=18, box="36px"),
        rx.vstack(
            rx.dialog.title(title, margin="0", size="4"),
            rx.dialog.description(description, size="2", color_scheme="gray"),
            spacing="1",
        ),
        spacing="3",
        align="center",
        **props,
    )


def form_dialog(
    icon: str,
    title: Any,
    description: Any,
    body: rx.Component,
    *,
    open: rx.Var,
    on_open_change: Any,
    max_width: str,
    testid: str,
) -> rx.Component:
    """A dialog holding a form (or what the form produced): header, then `body`."""
    return rx.dialog.root(
        rx.dialog.content(
            dialog_header(icon, title, description), body, max_width=max_width, data_testid=testid
        ),
        open=open,
        on_open_change=on_open_change,
    )


def by_access(access: rx.Var, allowed: rx.Component, refused: rx.Component, height: str) -> rx.Component:
    """A settings tab: its panel when the role may use it, `refused` when not, a skeleton until known."""
    return rx.match(
        access, (ALLOWED, allowed), (FORBIDDEN, refused), rx.skeleton(height=height, width="100%")
    )


def form_buttons(icon: str, label: str, testid: str) -> rx.Component:
    """Cancel (closes the dialog) and the submit button, at the bottom right of a dialog's form."""
    return rx.hstack(
        rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
        rx.button(rx.icon(icon, size=14), label, type="submit", data_testid=testid),
        justify="end",
        spacing="3",
        width="100%",
        padding_top="8px",
    )


def shown_once(
    message: rx.Component,
    icon: str,
    secret: rx.Var,
    copied: str,
    code: rx.Component,
    note: Any,
    done_testid: str,
    copy_testid: str | None = None,
) -> rx.Component:
    """A secret the server keeps no copy of: the explanation, the value with a Copy button, Done."""
    return rx.vstack(
        rx.callout(message, icon=icon, color_scheme="grass", variant="surface", width="100%"),
        rx.hstack(
            code,
            rx.spacer(),
            rx.button(
                rx.icon("copy", size=14),
                "Copy",
                variant="soft",
                color_scheme="gray",
                flex_shrink="0",
                on_click=[rx.set_clipboard(secret), rx.toast.info(copied)],
                data_testid=copy_testid,
            ),
            width="100%",
            align="center",
            spacing="3",
            padding="12px 16px",
            border="1px dashed var(--gray-a7)",
            border_radius="var(--radius-3)",
            background_color="var(--gray-a2)",
        ),
        note if note is not None else rx.fragment(),
        rx.hstack(rx.dialog.close(rx.button("Done", data_testid=done_testid)), justify="end", width="100%"),
        spacing="4",
        width="100%",
    )


def not_allowed(heading: str, testid: str, *explanation: Any) -> rx.Component:
    """Where this role may not manage something: say who can."""
    return card(
        rx.vstack(
            icon_tile("lock_keyhole", size=22, box="48px", color="amber"),
            rx.heading(heading, size="4", weight="medium"),
            rx.text(*explanation, size="2", color_scheme="gray", align="center")
            if explanation
            else rx.fragment(),
            spacing="3",
            align="center",
        ),
        padding="48px 32px",
        data_testid=testid,
    )
