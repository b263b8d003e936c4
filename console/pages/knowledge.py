"""Knowledge: the policies, FAQs and procedures the agent answers from.

Layout only: the toolbar and the entries (or search results) in `components.knowledge_table`, the entry
drawer in `components.knowledge_drawer`, the import wizard in `components.knowledge_import`. The three states
behind them load with the page (each checks the session and `agent:manage` again).
"""

from __future__ import annotations

import reflex as rx

from console.components.knowledge_drawer import entry_drawer
from console.components.knowledge_import import import_dialog
from console.components.knowledge_index_warning import index_warning
from console.components.knowledge_table import entries_panel, first_entry_state, toolbar
from console.components.whatsapp import whatsapp_styles
from console.state.knowledge import KnowledgeState
from console.state.knowledge_editor import KnowledgeEditorState
from console.state.knowledge_import import KnowledgeImportState
from console.template import page


@page(
    "/knowledge",
    "Knowledge",
    "knowledge",
    KnowledgeState,
    extra_on_load=[KnowledgeEditorState.load_page, KnowledgeImportState.load_page],
)
def knowledge() -> rx.Component:
    return rx.vstack(
        whatsapp_styles(),  # the drawer's preview draws the shared WhatsApp bubble
        rx.cond(
            KnowledgeState.is_empty,
            first_entry_state(),
            rx.vstack(toolbar(), index_warning(), entries_panel(), spacing="4", width="100%"),
        ),
        entry_drawer(),
        import_dialog(),
        spacing="0",
        width="100%",
        data_testid="knowledge-page",
    )
