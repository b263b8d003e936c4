"""State of the Conversations page. For now it only guards the page; the three-pane inbox will load here."""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from console.state.guard import PageState


class ConversationsState(PageState, rx.State):
    """Access to the Conversations page (scope from PAGE_SCOPES["conversations"])."""

    page_key: ClassVar[str] = "conversations"
