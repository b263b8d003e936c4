"""State of the Persona page.

For now it only guards the page; the persona form and its live system-prompt preview will load here.
"""

from __future__ import annotations

from typing import ClassVar

import reflex as rx

from console.state.guard import PageState


class PersonaState(PageState, rx.State):
    """Access to the Persona page (scope from PAGE_SCOPES["persona"])."""

    page_key: ClassVar[str] = "persona"
