"""Playground: chat with the agent as a customer. Until the playground issue lands, an empty state."""

from __future__ import annotations

import reflex as rx

from console.components.states import empty_state
from console.state.playground import PlaygroundState
from console.template import page


@page("/playground", "Playground", "playground", PlaygroundState)
def playground() -> rx.Component:
    return empty_state(
        "flask_conical",
        "Chat with your agent before your customers do",
        "Write as a customer in a WhatsApp-style phone and watch how the agent answers: which knowledge "
        "it found, which product it matched, the model it used, and what the reply cost.",
        features=[
            ("smartphone", "A phone preview where buttons, lists and cards can be tapped"),
            ("list_tree", "A trace of every turn: spelling fixes, knowledge hits, model, tokens and timing"),
            ("circle_check", "Saved test cases you can run all at once after changing the persona"),
        ],
        soon=True,
    )
