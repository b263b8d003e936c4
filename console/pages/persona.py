"""Persona: who the agent is. Until the persona issue lands, an empty state that says what will be here."""

from __future__ import annotations

import reflex as rx

from console.components.states import empty_state
from console.state.persona import PersonaState
from console.template import page


@page("/persona", "Persona", "persona", PersonaState)
def persona() -> rx.Component:
    return empty_state(
        "sparkles",
        "Give your agent a personality",
        "Name your agent, choose its tone, and set the rules it must follow: what it never promises, "
        "which disclaimers it adds, and when a chat should go to a person.",
        features=[
            ("id_card", "Identity: name, traits and tone of voice"),
            ("list_checks", "Behaviour: restrictions, required disclaimers, rich replies and spelling help"),
            ("cpu", "Models: a default model and ordered fallbacks, with their prices"),
            ("hand", "Handoff: confidence threshold, sensitive topics and business hours"),
        ],
        note="The system prompt will be previewed live beside the form, with a box to try a message.",
        soon=True,
    )
