"""Conversations: the live inbox in three panes — the list, a WhatsApp transcript, the customer's context.

Below ~1024 px one pane shows at a time (list → chat → customer details, with back buttons), chosen by
`ConversationsState.view` and the inbox style sheet. Layout only: the panes are
`components.conversations_list`, `conversations_transcript` (with `conversations_composer`) and
`conversations_context`; ConversationsState loads and acts. The page uses the full width (CONSOLE.md: "the
inbox uses the full width").
"""

from __future__ import annotations

import reflex as rx

from console.components.conversations_context import context_pane
from console.components.conversations_list import empty_inbox, list_pane
from console.components.conversations_style import BORDER, FIT_SCRIPT, INBOX_CSS, INBOX_HEIGHT
from console.components.conversations_transcript import transcript_pane
from console.components.whatsapp import whatsapp_styles
from console.state.conversations import ConversationsState
from console.template import page


@page("/conversations", "Conversations", "conversations", ConversationsState, full_width=True)
def conversations() -> rx.Component:
    inbox = rx.flex(
        list_pane(),
        transcript_pane(),
        context_pane(),
        width="100%",
        height=INBOX_HEIGHT,
        min_height="420px",
        border=BORDER,
        border_radius="var(--radius-4)",
        overflow="hidden",
        background_color="var(--color-panel-solid)",
        box_shadow="0 1px 2px var(--black-a2)",
        id="inbox",
        data_view=ConversationsState.view,
        data_testid="inbox",
        on_mount=rx.call_script(FIT_SCRIPT),
    )
    return rx.fragment(
        whatsapp_styles(),
        rx.el.style(INBOX_CSS),
        rx.cond(
            ConversationsState.inbox_empty & ConversationsState.list_loaded,
            rx.box(empty_inbox(), max_width="1200px", margin_x="auto"),
            inbox,
        ),
    )
