"""Conversations: the inbox. Until the inbox issue lands, an empty state that says what will be here."""

from __future__ import annotations

import reflex as rx

from console.components.states import empty_state
from console.components.ui import link_button, when_page_allowed
from console.state.conversations import ConversationsState
from console.template import page


@page("/conversations", "Conversations", "conversations", ConversationsState)
def conversations() -> rx.Component:
    return empty_state(
        "messages_square",
        "Your WhatsApp inbox",
        "When customers message your WhatsApp number, their chats land here. Parley answers on its own "
        "and passes a chat to your team the moment it needs a human.",
        features=[
            ("inbox", "Needs human, Agent and Closed tabs, with search across every chat"),
            (
                "message_circle_more",
                "WhatsApp-style transcripts, with the agent's confidence under each reply",
            ),
            (
                "hand",
                "Take over, hand back to the agent, or close, with the customer's context beside the chat",
            ),
        ],
        action=when_page_allowed(
            "settings",
            link_button("Connect WhatsApp", "/settings?tab=whatsapp", icon="arrow_right"),
            when_page_allowed("playground", link_button("Try the agent in the playground", "/playground")),
        ),
        soon=True,
    )
