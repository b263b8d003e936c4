"""What a page shows when it has nothing yet, is still checking access, or may not be shown at all."""

from __future__ import annotations

import reflex as rx

from console.components.ui import card, icon_tile


def empty_state(
    icon: str,
    title: str,
    body: str,
    features: list[tuple[str, str]] | None = None,
    action: rx.Component | None = None,
    note: str | None = None,
    soon: bool = False,
) -> rx.Component:
    """A page-sized empty state: what this place is for, what will be here, and the first step to take.

    `soon` marks a page whose feature is not built yet, so nobody mistakes the empty state for missing data.
    """
    feature_list = (
        rx.grid(
            *[
                rx.hstack(
                    rx.icon(f_icon, size=16, color="var(--accent-11)", flex_shrink="0", margin_top="2px"),
                    rx.text(f_text, size="2", color="var(--gray-11)"),
                    spacing="3",
                    align="start",
                )
                for f_icon, f_text in features
            ],
            columns="1",
            spacing="3",
            width="100%",
            max_width="540px",
            padding="20px",
            border_radius="var(--radius-3)",
            background_color="var(--gray-a2)",
            text_align="left",
        )
        if features
        else rx.fragment()
    )
    return card(
        rx.vstack(
            rx.center(
                rx.icon(icon, size=28),
                width="64px",
                height="64px",
                border_radius="var(--radius-5)",
                background_color="var(--accent-a3)",
                color="var(--accent-11)",
                box_shadow="inset 0 0 0 1px var(--accent-a4)",
            ),
            rx.vstack(
                rx.badge("Coming soon", variant="soft", color_scheme="gray", radius="full", size="1")
                if soon
                else rx.fragment(),
                rx.heading(title, size="5", weight="medium", align="center"),
                rx.text(body, size="3", color_scheme="gray", align="center", max_width="520px"),
                spacing="2",
                align="center",
            ),
            feature_list,
            action if action is not None else rx.fragment(),
            rx.text(note, size="1", color_scheme="gray", align="center") if note else rx.fragment(),
            spacing="5",
            align="center",
            width="100%",
        ),
        padding="56px 32px",
    )


def no_access(page_title: str) -> rx.Component:
    """Shown instead of a page the signed-in role may not use (the server refused it too)."""
    return card(
        rx.vstack(
            icon_tile("lock_keyhole", size=24, box="56px", color="amber"),
            rx.heading("You don't have access to this page", size="5", weight="medium", align="center"),
            rx.text(
                f"Your role in this workspace doesn't include {page_title}. "
                "If you need it, ask an owner to change your role in Settings → Team.",
                size="3",
                color_scheme="gray",
                align="center",
                max_width="480px",
            ),
            rx.link(
                rx.button(rx.icon("arrow_left", size=16), "Back to overview", variant="soft", size="2"),
                href="/",
            ),
            spacing="4",
            align="center",
        ),
        padding="64px 32px",
        data_testid="no-access",
    )


def page_skeleton() -> rx.Component:
    """Placeholders in the page's shape while the session and access are checked."""
    return rx.vstack(
        rx.grid(
            *[rx.skeleton(height="96px", width="100%", border_radius="var(--radius-4)") for _ in range(4)],
            columns="4",
            spacing="4",
            width="100%",
        ),
        rx.skeleton(height="320px", width="100%", border_radius="var(--radius-4)"),
        spacing="5",
        width="100%",
    )
