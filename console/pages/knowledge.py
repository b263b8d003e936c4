"""Knowledge: what the agent knows. Until the knowledge issue lands, an empty state saying what comes."""

from __future__ import annotations

import reflex as rx

from console.components.states import empty_state
from console.state.knowledge import KnowledgeState
from console.template import page


@page("/knowledge", "Knowledge", "knowledge", KnowledgeState)
def knowledge() -> rx.Component:
    return empty_state(
        "book_open",
        "Teach the agent your policies and FAQs",
        "Add your opening hours, delivery areas, return rules and the answers you give every day. "
        "The agent looks them up before every reply, so it answers like your best staff member.",
        features=[
            ("file_up", "Write entries one by one, or import a CSV or JSON file with a preview first"),
            ("search", "Hybrid search over every entry, the same way the agent finds them"),
            ("history", "Every edit is versioned: compare, restore, or switch an entry off"),
        ],
        note="Entries you add here are used by the agent and the playground straight away.",
        soon=True,
    )
