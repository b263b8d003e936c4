"""The inbox's reply box: staff write to the customer on WhatsApp, with why they cannot when they cannot
(role, status, the 24-hour window).
"""

from __future__ import annotations

import reflex as rx

from console.components.conversations_style import BORDER
from console.state.conversations import ConversationsState
from console.state.session import SessionState

S = ConversationsState


def composer() -> rx.Component:
    note = rx.cond(
        S.composer_note != "",
        rx.hstack(
            rx.icon(
                rx.cond(S.can_reply, rx.cond(S.header.status == "closed", "archive", "info"), "lock_keyhole"),
                size=14,
                flex_shrink="0",
                margin_top="2px",
            ),
            rx.text(S.composer_note, size="1"),
            spacing="2",
            align="start",
            color=rx.cond(S.can_reply, "var(--gray-11)", "var(--amber-11)"),
            data_testid="composer-note",
        ),
    )
    window = rx.cond(
        S.composer_enabled & ~S.pane.window_open,
        rx.hstack(
            rx.icon("clock_alert", size=14, flex_shrink="0", margin_top="2px"),
            rx.text(
                "The 24-hour window is closed: WhatsApp refuses free-form replies until the customer writes "
                "again.",
                size="1",
            ),
            spacing="2",
            align="start",
            color="var(--amber-11)",
        ),
    )
    return rx.form(
        rx.vstack(
            note,
            window,
            rx.hstack(
                rx.text_area(
                    name="reply",
                    id="reply",
                    placeholder=rx.cond(
                        S.composer_enabled,
                        "Write a reply on WhatsApp…",
                        "",
                    ),
                    enter_key_submit=True,
                    disabled=~S.composer_enabled,
                    rows="2",
                    resize="none",
                    max_length=1600,
                    size="2",
                    variant="soft",
                    color_scheme="gray",
                    flex="1",
                    data_testid="reply-input",
                ),
                rx.button(
                    rx.icon("send_horizontal", size=16),
                    "Send",
                    type="submit",
                    size="3",
                    loading=S.sending,
                    disabled=~S.composer_enabled,
                    data_testid="send-reply",
                ),
                align="end",
                spacing="3",
                width="100%",
            ),
            rx.cond(
                S.composer_enabled & (S.composer_note == "") & S.pane.window_open,
                rx.text(
                    rx.icon("corner_down_left", size=11, display="inline", vertical_align="-1px"),
                    " Enter to send · Shift + Enter for a new line · sent as ",
                    rx.text.strong(SessionState.user_name),
                    size="1",
                    color="var(--gray-11)",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=S.send_reply,
        reset_on_submit=False,
        class_name="composer",
        width="100%",
        padding="12px 16px 14px",
        border_top=BORDER,
        background_color="var(--color-panel-solid)",
    )
