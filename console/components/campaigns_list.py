"""Campaigns page — the list: one card per campaign with its status pill, template approval and a progress
bar that moves while it sends (the state polls), with Results, Edit, Pause, Resume and Cancel."""

from __future__ import annotations

import reflex as rx

from console.components.states import empty_state
from console.components.ui import card
from console.state.campaigns import CampaignsState as S
from console.state.campaigns_composer import ComposerState as C
from console.state.campaigns_rows import CampaignRow


def pill(label: rx.Var | str, color: rx.Var | str, testid: str) -> rx.Component:
    return rx.badge(label, color_scheme=color, variant="soft", radius="full", data_testid=testid)


def _actions(row: CampaignRow) -> rx.Component:
    manage = rx.fragment(
        rx.cond(
            row.status == "draft",
            rx.button(rx.icon("pencil", size=14), "Edit", variant="soft", size="2", on_click=C.edit(row.id)),
        ),
        rx.cond(
            row.can_pause,
            rx.button(
                rx.icon("pause", size=14),
                "Pause",
                variant="soft",
                color_scheme="amber",
                size="2",
                on_click=S.pause(row.id),
                data_testid="campaign-pause",
            ),
        ),
        rx.cond(
            row.can_resume,
            rx.button(
                rx.icon("play", size=14), "Resume", variant="soft", size="2", on_click=S.resume(row.id)
            ),
        ),
        rx.cond(
            row.can_cancel & (row.status != "draft"),
            rx.button("Cancel", variant="ghost", color_scheme="red", size="2", on_click=S.cancel(row.id)),
        ),
    )
    return rx.hstack(
        rx.cond(
            row.has_results,
            rx.button(
                rx.icon("chart_column", size=14),
                "Results",
                variant="soft",
                size="2",
                on_click=S.open_results(row.id),
                data_testid="campaign-results",
            ),
        ),
        rx.cond(S.can_manage, manage),
        spacing="2",
        wrap="wrap",
    )


def campaign_card(row: CampaignRow) -> rx.Component:
    return card(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.text(row.name, weight="medium", size="3", data_testid="campaign-name"),
                    rx.text(row.when, size="1", color_scheme="gray"),
                    spacing="1",
                    min_width="0",
                ),
                rx.spacer(),
                rx.hstack(
                    pill(row.status_label, row.status_color, "campaign-status"),
                    rx.cond(
                        row.status == "draft",
                        pill(row.template_label, row.template_color, "campaign-template"),
                    ),
                    spacing="2",
                    wrap="wrap",
                ),
                gap="3",
                wrap="wrap",
                width="100%",
                align="start",
            ),
            rx.cond(
                row.status != "draft",
                rx.vstack(
                    rx.progress(value=row.progress, max=100, size="2", color_scheme=row.status_color),
                    rx.hstack(
                        rx.text(row.progress_text, size="1", color_scheme="gray"),
                        rx.spacer(),
                        rx.text(
                            row.progress.to_string() + "%",
                            size="1",
                            color_scheme="gray",
                            data_testid="campaign-progress",
                        ),
                        width="100%",
                    ),
                    spacing="1",
                    width="100%",
                ),
            ),
            _actions(row),
            spacing="3",
            width="100%",
        ),
        data_testid="campaign-row",
    )


def list_view() -> rx.Component:
    new = rx.button(
        rx.icon("plus", size=16), "New campaign", size="2", on_click=C.start_new, data_testid="campaign-new"
    )
    empty = empty_state(
        "megaphone",
        "Reach customers who opted in",
        "Send a WhatsApp message with a picture and buttons to the customers you choose, now or at a set "
        "time, and see who received it, read it, tapped a button and bought.",
        features=[
            ("image", "A picture, video or PDF with your text and up to three buttons"),
            ("users", "Choose who gets it by tags, what they bought or when they last ordered"),
            ("chart_column", "Follow each campaign from sent to read, tapped and ordered"),
        ],
        action=rx.cond(S.can_manage, new),
        note="Campaigns only ever go to customers who opted in to receive them.",
    )
    return rx.cond(
        S.rows.length() == 0,
        empty,
        rx.vstack(
            rx.flex(
                rx.text(
                    "Messages to many customers at once. Only customers who opted in receive them.",
                    size="2",
                    color_scheme="gray",
                ),
                rx.spacer(),
                rx.cond(S.can_manage, new),
                gap="3",
                wrap="wrap",
                align="center",
                width="100%",
            ),
            rx.foreach(S.rows, campaign_card),
            spacing="3",
            width="100%",
        ),
    )


__all__ = ["list_view", "pill"]
