"""Playground: chat with the agent as a customer, and see the trace of every turn; test cases below.

Layout only: the pieces are in `console.components.playground`, the chat and its trace in PlaygroundState.
"""

from __future__ import annotations

import reflex as rx

from console.components.playground import playground_layout
from console.components.whatsapp import whatsapp_styles
from console.state.playground import PlaygroundState
from console.template import page


@page("/playground", "Playground", "playground", PlaygroundState)
def playground() -> rx.Component:
    return rx.box(whatsapp_styles(), playground_layout(), width="100%")
