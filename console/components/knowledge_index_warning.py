"""The Knowledge page's warning when a new search index could not be built (a refused AI key, a model that
would not load): what happened in words, that search still answers from the previous index, and Retry.

Why a visible callout and not only the search badge's tooltip: a failed build used to leave search on words
only without a word on screen; now the old index keeps serving, but the owner still has to fix the key, so the
page says so where it cannot be missed.
"""

from __future__ import annotations

import reflex as rx

from console.state.knowledge import KnowledgeState as K


def index_warning() -> rx.Component:
    return rx.cond(
        K.index_warning != "",
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle_alert", size=16)),
            rx.flex(
                rx.callout.text(K.index_warning, data_testid="index-warning-text"),
                rx.flex(
                    rx.button(
                        rx.icon("rotate_cw", size=14),
                        "Retry",
                        size="1",
                        variant="soft",
                        color_scheme="amber",
                        loading=K.retrying_index,
                        on_click=K.retry_index,
                        data_testid="index-retry",
                    ),
                    rx.link(
                        "Check the AI keys",
                        href="/settings?tab=ai",
                        size="1",
                        weight="medium",
                    ),
                    gap="12px",
                    align="center",
                    wrap="wrap",
                ),
                direction="column",
                gap="8px",
            ),
            color_scheme="amber",
            variant="surface",
            size="1",
            width="100%",
            data_testid="index-warning",
        ),
    )
