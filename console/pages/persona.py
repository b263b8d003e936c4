"""Persona: who the agent is and how it behaves — the form, the live system prompt, and "Try a message".

Layout only: the pieces are in `console.components.persona`, the draft and its checks in PersonaState.
"""

from __future__ import annotations

import reflex as rx

from console.components.persona import LEAVE_GUARD_SCRIPT, persona_layout
from console.components.whatsapp import whatsapp_styles
from console.state.persona import PersonaState
from console.template import page


@page("/persona", "Persona", "persona", PersonaState)
def persona() -> rx.Component:
    return rx.box(
        whatsapp_styles(),
        persona_layout(),
        on_mount=rx.call_script(LEAVE_GUARD_SCRIPT),
        width="100%",
    )
