"""The "needs human" count on the sidebar's Conversations entry.

Drawn only inside the Conversations link (itself drawn only for roles that may open the inbox); it loads its
count when the sidebar mounts, and the Conversations page keeps it fresh while it is open.
"""

from __future__ import annotations

import reflex as rx

from console.state.conversations import InboxBadgeState


def needs_human_badge() -> rx.Component:
    """A small amber pill with how many chats wait for a person; nothing when none do."""
    return rx.box(
        rx.cond(
            InboxBadgeState.needs_human > 0,
            rx.badge(
                InboxBadgeState.needs_human,
                color_scheme="orange",
                variant="solid",
                radius="full",
                size="1",
                title="Conversations waiting for a human",
                data_testid="needs-human-badge",
            ),
        ),
        margin_left="auto",
        display="flex",
        align_items="center",
        on_mount=InboxBadgeState.load_badge,
    )
