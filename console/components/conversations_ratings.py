"""The inbox's context pane: how the customer rated this conversation (each resolution asks again)."""

from __future__ import annotations

import reflex as rx

from console.state.conversations import ConversationsState

S = ConversationsState


def _rating(row: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.badge(row["label"], color_scheme=row["tone"], variant="soft", size="2"),
            rx.text(row["when"], size="1", color="var(--gray-11)"),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.cond(row["comment"] != "", rx.text("“", row["comment"], "”", size="2", color="var(--gray-11)")),
        rx.text(row["by"], size="1", color="var(--gray-11)"),
        spacing="1",
        width="100%",
        data_testid="context-rating",
    )


def ratings_section() -> rx.Component:
    return rx.cond(
        S.ratings.length() > 0,
        rx.vstack(
            rx.el.div(rx.icon("star", size=13), "Ratings", class_name="pane-label"),
            rx.foreach(S.ratings, _rating),
            spacing="2",
            width="100%",
            padding="16px 20px",
            border_top="1px solid var(--gray-a4)",
            data_testid="context-ratings",
        ),
    )
