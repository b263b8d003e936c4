"""The inbox's list pane: the Needs human / Agent / Closed tabs, search, the rows and the pager; and the
first-chat state the page shows before any customer has written.
"""

from __future__ import annotations

import reflex as rx

from console.components.conversations_style import BORDER, LIST_WIDTH, TRUNCATE
from console.components.states import empty_state
from console.components.ui import link_button, when_page_allowed
from console.state.conversations import (
    ConversationRow,
    ConversationsState,
)

S = ConversationsState


def _tab(key: str, label: str, count: rx.Var, color: str, solid_when_waiting: bool = False) -> rx.Component:
    variant = rx.cond(count > 0, "solid", "soft") if solid_when_waiting else "soft"
    return rx.el.button(
        label,
        rx.badge(count, color_scheme=color, variant=variant, radius="full", size="1"),
        class_name="inbox-tab",
        data_active=rx.cond(S.tab == key, "true", "false"),
        on_click=S.set_tab(key),
        type="button",
        data_testid=f"tab-{key}",
    )


def _search() -> rx.Component:
    return rx.input(
        rx.input.slot(rx.icon("search", size=15)),
        rx.cond(
            S.search != "",
            rx.input.slot(
                rx.icon_button(
                    rx.icon("x", size=13),
                    variant="ghost",
                    color_scheme="gray",
                    size="1",
                    on_click=[rx.set_value("inbox-search", ""), S.clear_search],
                    aria_label="Clear search",
                ),
            ),
        ),
        id="inbox-search",
        placeholder="Search by name or number",
        default_value=S.search,
        on_change=S.set_search.debounce(350),
        size="2",
        width="100%",
        data_testid="inbox-search",
    )


def _filter_chip() -> rx.Component:
    """The handoff reason the list is narrowed to (a link from Analytics), with an × back to every chat."""
    return rx.cond(
        S.filter_chip != "",
        rx.hstack(
            rx.icon("filter", size=13, color="var(--orange-11)", flex_shrink="0"),
            rx.text(
                rx.text.span("Handed off: ", color="var(--gray-11)"),
                S.filter_chip,
                size="1",
                weight="medium",
                color="var(--orange-12)",
                min_width="0",
                flex="1",
            ),
            rx.icon_button(
                rx.icon("x", size=12),
                variant="ghost",
                color_scheme="orange",
                size="1",
                radius="full",
                on_click=S.clear_filter,
                aria_label="Remove the filter: show every chat",
                title="Show every chat",
                type="button",
                data_testid="inbox-filter-clear",
            ),
            align="center",
            spacing="2",
            width="100%",
            padding="4px 4px 4px 10px",
            border_radius="var(--radius-5)",
            background_color="var(--orange-a3)",
            data_testid="inbox-filter-chip",
        ),
    )


def _row_tick(row: ConversationRow) -> rx.Component:
    """The last message's own delivery state (a refused reply is never drawn as delivered)."""
    icon = rx.match(
        row.ticks,
        (-1, rx.icon("circle_alert", size=14, color="var(--red-10)", flex_shrink="0")),
        (0, rx.icon("clock_3", size=13, color="var(--gray-9)", flex_shrink="0")),
        (1, rx.icon("check", size=14, color="var(--gray-9)", flex_shrink="0")),
        (2, rx.icon("check_check", size=14, color="var(--gray-9)", flex_shrink="0")),
        (3, rx.icon("check_check", size=14, color="var(--blue-10)", flex_shrink="0")),
        rx.fragment(),
    )
    return rx.el.span(
        icon,
        aria_label=row.tick_label,
        title=row.tick_label,
        display="inline-flex",
        flex_shrink="0",  # else a long preview squeezes it to nothing and the tick lies over the first letter
        data_ticks=row.ticks,
        data_testid="row-tick",
    )


def _row(row: ConversationRow) -> rx.Component:
    unread = row.unread > 0
    return rx.box(
        rx.hstack(
            rx.avatar(fallback=row.initials, size="3", radius="full", color_scheme=row.color, variant="soft"),
            rx.vstack(
                rx.hstack(
                    rx.text(
                        row.name,
                        size="2",
                        weight=rx.cond(unread, "bold", "medium"),
                        **TRUNCATE,
                        color="var(--gray-12)",
                    ),
                    rx.spacer(),
                    rx.text(
                        row.time,
                        size="1",
                        color=rx.cond(unread, "var(--accent-11)", "var(--gray-11)"),
                        white_space="nowrap",
                        weight=rx.cond(unread, "medium", "regular"),
                    ),
                    width="100%",
                    align="center",
                    spacing="2",
                ),
                rx.hstack(
                    rx.cond(row.outbound, _row_tick(row)),
                    rx.text(row.preview, size="2", color="var(--gray-11)", **TRUNCATE),
                    rx.spacer(),
                    rx.cond(
                        unread,
                        rx.badge(row.unread, variant="solid", radius="full", size="1", color_scheme="grass"),
                    ),
                    width="100%",
                    align="center",
                    spacing="1",
                ),
                rx.hstack(
                    rx.badge(
                        row.status_label,
                        color_scheme=row.status_color,
                        variant="soft",
                        radius="full",
                        size="1",
                    ),
                    rx.cond(
                        row.assigned != "",
                        rx.text(
                            rx.icon("user_round", size=11, display="inline", vertical_align="-1px"),
                            " ",
                            row.assigned,
                            size="1",
                            color="var(--gray-11)",
                            **TRUNCATE,
                        ),
                    ),
                    align="center",
                    spacing="2",
                    min_width="0",
                ),
                spacing="1",
                min_width="0",
                flex="1",
            ),
            spacing="3",
            align="start",
            width="100%",
        ),
        class_name="inbox-row",
        data_selected=rx.cond(S.selected_id == row.id, "true", "false"),
        on_click=S.open_conversation(row.id),
        padding="12px 16px",
        border_bottom="1px solid var(--gray-a3)",
        cursor="pointer",
        data_testid="conversation-row",
    )


def _list_empty() -> rx.Component:
    return rx.vstack(
        rx.center(
            rx.icon(
                rx.cond(S.search != "", "search_x", rx.cond(S.tab == "handoff", "coffee", "inbox")), size=22
            ),
            width="48px",
            height="48px",
            border_radius="var(--radius-4)",
            background_color="var(--accent-a3)",
            color="var(--accent-11)",
        ),
        rx.text(S.tab_empty_title, size="2", weight="medium", align="center"),
        rx.text(S.tab_empty_body, size="2", color_scheme="gray", align="center", max_width="260px"),
        align="center",
        spacing="2",
        padding="48px 24px",
        data_testid="list-empty",
    )


def _list_skeleton() -> rx.Component:
    return rx.vstack(
        *[
            rx.hstack(
                rx.skeleton(width="40px", height="40px", border_radius="50%"),
                rx.vstack(
                    rx.skeleton(height="14px", width="60%"), rx.skeleton(height="12px", width="90%"), flex="1"
                ),
                width="100%",
                padding="12px 16px",
                spacing="3",
            )
            for _ in range(6)
        ],
        width="100%",
        spacing="0",
    )


def _pager() -> rx.Component:
    return rx.cond(
        S.pages > 1,
        rx.hstack(
            rx.text(S.range_label, size="1", color_scheme="gray"),
            rx.spacer(),
            rx.icon_button(
                rx.icon("chevron_left", size=16),
                variant="soft",
                color_scheme="gray",
                size="1",
                disabled=S.page <= 1,
                on_click=S.previous_page,
                aria_label="Previous page",
                data_testid="page-previous",
            ),
            rx.icon_button(
                rx.icon("chevron_right", size=16),
                variant="soft",
                color_scheme="gray",
                size="1",
                disabled=S.page >= S.pages,
                on_click=S.next_page,
                aria_label="Next page",
                data_testid="page-next",
            ),
            align="center",
            width="100%",
            padding="8px 16px",
            border_top=BORDER,
            spacing="2",
        ),
    )


def list_pane() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.hstack(
                rx.heading("Inbox", size="4", weight="medium"),
                rx.spacer(),
                rx.cond(
                    S.live,
                    rx.tooltip(
                        rx.hstack(
                            rx.box(class_name="live-dot"),
                            rx.text("Live", size="1", color="var(--gray-11)"),
                            spacing="2",
                            align="center",
                        ),
                        content="New messages appear here as they arrive",
                    ),
                ),
                width="100%",
                align="center",
            ),
            _search(),
            _filter_chip(),
            rx.hstack(
                _tab("handoff", "Needs human", S.count_handoff, "orange", solid_when_waiting=True),
                _tab("bot", "Agent", S.count_bot, "grass"),
                _tab("closed", "Closed", S.count_closed, "gray"),
                justify="between",
                spacing="1",  # the three tabs and their badges fit the 308 px list without clipping "Closed"
                width="100%",
                margin_bottom="-1px",
            ),
            spacing="3",
            padding="16px 16px 0",
            border_bottom=BORDER,
            width="100%",
        ),
        rx.box(
            rx.cond(
                S.list_loaded,
                rx.cond(S.rows.length() > 0, rx.foreach(S.rows, _row), _list_empty()),
                _list_skeleton(),
            ),
            flex="1",
            min_height="0",
            overflow_y="auto",
            width="100%",
            data_testid="conversation-list",
        ),
        _pager(),
        direction="column",
        width=LIST_WIDTH,
        min_width=LIST_WIDTH,
        border_right=BORDER,
        height="100%",
        class_name="inbox-pane inbox-list",
    )


def empty_inbox() -> rx.Component:
    return empty_state(
        "messages_square",
        "Your WhatsApp inbox",
        "When customers message your WhatsApp number, their chats land here. Parley answers on its own "
        "and passes a chat to your team the moment it needs a human.",
        features=[
            ("inbox", "Needs human, Agent and Closed tabs, with search across every chat"),
            (
                "message_circle_more",
                "WhatsApp-style transcripts, with the agent's confidence under each reply",
            ),
            (
                "hand",
                "Take over, hand back to the agent, or close, with the customer's context beside the chat",
            ),
        ],
        action=when_page_allowed(
            "settings",
            link_button("Connect WhatsApp", "/settings?tab=whatsapp", icon="arrow_right"),
            when_page_allowed("playground", link_button("Try the agent in the playground", "/playground")),
        ),
        note="New chats appear here by themselves: no need to reload the page.",
    )
