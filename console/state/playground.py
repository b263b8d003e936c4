"""State of the Playground page.

For now it only guards the page; the phone-frame chat and its turn trace will load here.
"""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from console.state.guard import PageState


class PlaygroundState(PageState, rx.State):
    """Access to the Playground page (scope from PAGE_SCOPES["playground"])."""

    page_key: ClassVar[str] = "playground"
