"""The inbox's middle pane: the chat's header (status, Take over / Hand back / Close), the handoff strip, the
WhatsApp transcript (console.components.whatsapp, shared with the Playground) and the composer under it.
"""

from __future__ import annotations

import reflex as rx

from console.components.conversations_composer import composer
from console.components.conversations_style import BORDER, TRUNCATE
from console.components.dialogs import confirm_dialog
from console.components.whatsapp import transcript
from console.state.conversations import ConversationsState

S = ConversationsState


def _action_button(label: str, icon: str, handler: rx.EventHandler, test_id: str, **props) -> rx.Component:
    button = rx.button(
        rx.icon(icon, size=15),
        rx.el.span(label, class_name="inbox-label"),
        size="2",
        on_click=handler,
        disabled=~S.can_reply,
        aria_label=label,
        data_testid=test_id,
        **props,
    )
    return rx.cond(
        S.can_reply,
        button,
        rx.tooltip(rx.box(button, display="inline-flex"), content="Your role cannot do this"),
    )


def back_button(label: str, view: str, test_id: str) -> rx.Component:
    """Phones and tablets: back one pane (hidden where all three panes show)."""
    return rx.icon_button(
        rx.icon("arrow_left", size=18),
        variant="ghost",
        color_scheme="gray",
        size="2",
        on_click=S.show_view(view),
        aria_label=label,
        title=label,
        class_name="inbox-back",
        data_testid=test_id,
    )


def _close_confirm() -> rx.Component:
    return confirm_dialog(
        "Close this conversation?",
        description="It moves to Closed and the agent stops answering it. If the customer writes again, a "
        "new conversation opens.",
        confirm_label="Close conversation",
        on_confirm=S.close_conversation,
        testid="confirm-close",
        color_scheme=None,
        cancel_label="Keep it open",
        trigger=rx.box(
            rx.tooltip(
                rx.button(
                    rx.icon("circle_check", size=16),
                    rx.el.span("Close", class_name="inbox-label"),
                    size="2",
                    variant="soft",
                    color_scheme="gray",
                    disabled=~S.can_reply,
                    aria_label="Close the conversation",
                    data_testid="close-conversation",
                ),
                content="Close the conversation: it moves to Closed",
            ),
            display="inline-flex",
        ),
        max_width="420px",
        gap="16px",
    )


def transcript_header() -> rx.Component:
    h = S.header
    return rx.hstack(
        back_button("Back to the inbox", "list", "back-to-list"),
        rx.avatar(
            fallback=h.initials,
            size="3",
            radius="full",
            color_scheme=h.color,
            variant="soft",
            class_name="header-avatar",
        ),
        rx.vstack(
            rx.text(h.name, size="3", weight="medium", width="100%", **TRUNCATE),
            rx.hstack(
                rx.badge(
                    rx.icon(h.status_icon, size=12),
                    h.status_label,
                    color_scheme=h.status_color,
                    variant="soft",
                    radius="full",
                    size="1",
                    flex_shrink="0",
                    data_testid="transcript-status",
                ),
                align="center",
                spacing="2",
                width="100%",
                min_width="0",
            ),
            spacing="1",
            min_width="0",
            flex="1",
            overflow="hidden",
        ),
        rx.hstack(
            rx.cond(
                (h.status == "bot") | ((h.status == "handoff") & ~h.mine),
                _action_button("Take over", "hand", S.take_over, "take-over"),
            ),
            rx.cond(
                h.status == "handoff",
                _action_button(
                    "Hand back", "bot", S.hand_back, "hand-back", variant="soft", color_scheme="grass"
                ),
            ),
            rx.cond(h.status != "closed", _close_confirm()),
            rx.tooltip(
                rx.icon_button(
                    rx.icon("user_round", size=17),
                    size="2",
                    variant="soft",
                    color_scheme="gray",
                    on_click=S.show_view("context"),
                    aria_label="Customer details",
                    class_name="inbox-narrow-only",
                    data_testid="show-context",
                ),
                content="Customer details",
            ),
            spacing="2",
            align="center",
            flex_shrink="0",
        ),
        align="center",
        spacing="3",
        width="100%",
        padding="12px 16px 12px 20px",
        class_name="transcript-header",
        border_bottom=BORDER,
        background_color="var(--color-panel-solid)",
        data_testid="transcript-header",
    )


def _handoff_strip() -> rx.Component:
    """Who has this chat and why it left the agent, under the header, while a person owns it."""
    h = S.header
    return rx.cond(
        h.status == "handoff",
        rx.hstack(
            rx.icon("hand", size=14, flex_shrink="0"),
            rx.text(
                rx.cond(
                    h.assigned != "",
                    rx.text.strong("With ", h.assigned),
                    rx.text.strong("Waiting for a human"),
                ),
                rx.cond(h.handoff_reason != "", rx.fragment(" · ", h.handoff_reason)),
                size="1",
                **TRUNCATE,
            ),
            align="center",
            spacing="2",
            width="100%",
            padding="7px 20px",
            background_color="var(--orange-a3)",
            color="var(--orange-12)",  # step 11 on the orange strip read at 4:1
            border_bottom="1px solid var(--orange-a4)",
            data_testid="handoff-reason",
        ),
    )


def _older() -> rx.Component:
    return rx.cond(
        S.has_more,
        rx.center(
            rx.button(
                rx.icon("history", size=14),
                "Earlier messages",
                variant="surface",
                color_scheme="gray",
                radius="full",
                size="1",
                on_click=S.load_older,
                data_testid="load-older",
            ),
            padding="4px 0 8px",
        ),
    )


def _no_selection() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.center(
                rx.icon("messages_square", size=26),
                width="60px",
                height="60px",
                border_radius="var(--radius-5)",
                background_color="var(--accent-a3)",
                color="var(--accent-11)",
                box_shadow="inset 0 0 0 1px var(--accent-a4)",
            ),
            rx.heading("Your WhatsApp inbox", size="5", weight="medium", align="center"),
            rx.text(
                "Pick a conversation to read the chat as the customer sees it, take it over from the agent "
                "and reply. New messages appear here as they arrive.",
                size="2",
                color_scheme="gray",
                align="center",
                max_width="400px",
            ),
            rx.cond(  # the whole inbox's counts; a handoff filter's counts are on its tabs
                S.filter_chip == "",
                rx.hstack(
                    rx.badge(
                        rx.icon("hand", size=12),
                        S.count_handoff,
                        " need a human",
                        color_scheme="orange",
                        variant="soft",
                        radius="full",
                    ),
                    rx.badge(
                        rx.icon("bot", size=12), S.count_bot, " with the agent", variant="soft", radius="full"
                    ),
                    spacing="2",
                ),
            ),
            align="center",
            spacing="3",
            padding="32px",
        ),
        flex="1",
        class_name="wa wa-wallpaper",
        data_testid="no-selection",
    )


def transcript_pane() -> rx.Component:
    return rx.flex(
        rx.cond(
            S.selected_id != 0,
            rx.flex(
                transcript_header(),
                _handoff_strip(),
                transcript(
                    S.bubbles,
                    header=_older(),
                    on_retry=S.retry_reply,
                    flex="1",
                    min_height="0",
                    data_testid="transcript",
                ),
                composer(),
                direction="column",
                width="100%",
                height="100%",
            ),
            _no_selection(),
        ),
        direction="column",
        flex="1",
        min_width="0",
        height="100%",
        class_name="inbox-pane inbox-chat",
    )
