"""The inbox's right pane: who the customer is, what the agent remembers (key facts, summary, topic, what
they looked at) and their orders and appointments.
"""

from __future__ import annotations

import reflex as rx

from console.components.conversations_ratings import ratings_section
from console.components.conversations_style import BORDER, CONTEXT_WIDTH, TRUNCATE
from console.components.conversations_transcript import back_button
from console.state.conversations import (
    AppointmentRow,
    ConversationsState,
    Fact,
    OrderRow,
    ViewedItem,
)

S = ConversationsState


def _label(icon: str, text: str) -> rx.Component:
    return rx.el.div(rx.icon(icon, size=13), text, class_name="pane-label")


def _section(icon: str, title: str, *children: rx.Component, **props) -> rx.Component:
    return rx.vstack(
        _label(icon, title),
        *children,
        spacing="2",
        width="100%",
        padding="16px 20px",
        border_top="1px solid var(--gray-a4)",
        **props,
    )


def _quiet(text: str) -> rx.Component:
    return rx.text(text, size="1", color="var(--gray-11)")


def _fact(f: Fact) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(f.label, min_width="96px"),
        rx.data_list.value(f.value),
        align="start",
    )


def _viewed(item: ViewedItem) -> rx.Component:
    return rx.hstack(
        rx.cond(
            item.image_url != "",
            rx.image(
                src=item.image_url,
                width="48px",
                height="48px",
                object_fit="cover",
                border_radius="var(--radius-3)",
                background_color="var(--gray-a3)",
                flex_shrink="0",
            ),
            rx.center(
                rx.icon(rx.cond(item.kind == "Product", "package", "calendar_check"), size=20),
                width="48px",
                height="48px",
                border_radius="var(--radius-3)",
                background_color="var(--gray-a3)",
                color="var(--gray-11)",
                flex_shrink="0",
            ),
        ),
        rx.vstack(
            rx.text(item.name, size="2", weight="medium", **TRUNCATE, width="100%"),
            rx.text(item.kind, " · ", item.code, size="1", color="var(--gray-11)", **TRUNCATE),
            rx.hstack(
                rx.text(item.price, size="2", weight="medium"),
                rx.badge(
                    item.availability,
                    color_scheme=rx.cond(item.available, "grass", "red"),
                    variant="soft",
                    size="1",
                ),
                spacing="2",
                align="center",
            ),
            spacing="0",
            min_width="0",
            flex="1",
        ),
        spacing="3",
        width="100%",
        align="start",
    )


def _order(o: OrderRow) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text(o.number, size="2", weight="medium", font_family="var(--code-font-family)"),
            rx.badge(o.status, color_scheme=o.color, variant="soft", size="1"),
            rx.spacer(),
            rx.text(o.total, size="2", weight="medium"),
            align="center",
            spacing="2",
            width="100%",
        ),
        rx.text(o.date, " · ", o.lines, size="1", color="var(--gray-11)", **TRUNCATE),
        width="100%",
        padding="8px 10px",
        border_radius="var(--radius-3)",
        background_color="var(--gray-a2)",
    )


def _appointment(a: AppointmentRow) -> rx.Component:
    return rx.hstack(
        rx.center(
            rx.icon(rx.cond(a.upcoming, "calendar_clock", "calendar_check_2"), size=16),
            width="32px",
            height="32px",
            border_radius="var(--radius-3)",
            background_color=rx.cond(a.upcoming, "var(--blue-a3)", "var(--gray-a3)"),
            color=rx.cond(a.upcoming, "var(--blue-11)", "var(--gray-11)"),
            flex_shrink="0",
        ),
        rx.vstack(
            rx.hstack(
                rx.text(a.service, size="2", weight="medium", **TRUNCATE),
                rx.badge(a.status, color_scheme=a.color, variant="soft", size="1"),
                spacing="2",
                align="center",
                min_width="0",
            ),
            rx.text(a.when, size="1", color="var(--gray-11)"),
            rx.cond(a.notes != "", rx.text(a.notes, size="1", color="var(--gray-11)")),
            spacing="0",
            min_width="0",
        ),
        spacing="3",
        align="start",
        width="100%",
    )


def context_pane() -> rx.Component:
    p = S.pane
    customer = rx.vstack(
        rx.hstack(
            rx.avatar(fallback=p.initials, size="4", radius="full", color_scheme=p.color, variant="soft"),
            rx.vstack(
                rx.heading(p.name, size="3", weight="medium", **TRUNCATE, width="100%"),
                rx.hstack(
                    rx.icon("phone", size=12, color="var(--gray-11)"),
                    rx.text(p.phone, size="2", color="var(--gray-11)"),
                    spacing="1",
                    align="center",
                ),
                spacing="1",
                min_width="0",
            ),
            spacing="3",
            align="center",
            width="100%",
        ),
        rx.flex(
            rx.badge(
                rx.icon("bell_ring", size=11), p.opt_label, color_scheme=p.opt_color, variant="soft", size="1"
            ),
            rx.cond(
                p.language != "",
                rx.badge(
                    rx.icon("languages", size=11),
                    p.language,
                    color_scheme="gray",
                    variant="soft",
                    size="1",
                    title="Language the customer writes in (the agent answers in it)",
                ),
            ),
            wrap="wrap",
            gap="6px",
        ),
        rx.vstack(
            rx.hstack(
                rx.icon("clock", size=13, color=rx.cond(p.window_open, "var(--grass-10)", "var(--amber-10)")),
                rx.text(
                    p.window_label,
                    size="1",
                    color=rx.cond(p.window_open, "var(--gray-11)", "var(--amber-11)"),
                ),
                spacing="2",
                align="center",
            ),
            rx.hstack(
                rx.icon("calendar", size=13, color="var(--gray-11)"),
                rx.text("Customer since ", p.since, " · ", p.conversations, size="1", color="var(--gray-11)"),
                spacing="2",
                align="center",
            ),
            spacing="1",
        ),
        spacing="3",
        padding="20px",
        width="100%",
        data_testid="context-customer",
    )
    knows_nothing = (p.topic == "") & (p.pending == "") & (p.summary == "") & (p.facts.length() == 0)
    agent_notes = _section(
        "brain",
        "What the agent knows",
        rx.cond(
            knows_nothing,
            _quiet(
                "Nothing yet: the agent notes the topic, a summary and facts such as sizes or preferences as "
                "the chat goes on."
            ),
            rx.vstack(
                rx.cond(
                    p.topic != "",
                    rx.hstack(
                        rx.text("Topic", size="1", color="var(--gray-11)", min_width="64px"),
                        rx.text(p.topic, size="2", weight="medium"),
                        spacing="2",
                        align="baseline",
                    ),
                ),
                rx.cond(
                    p.pending != "",
                    rx.hstack(
                        rx.text("Next step", size="1", color="var(--gray-11)", min_width="64px"),
                        rx.text(p.pending, size="2"),
                        spacing="2",
                        align="baseline",
                    ),
                ),
                rx.cond(
                    p.summary != "",
                    rx.text(
                        p.summary,
                        size="2",
                        color="var(--gray-11)",
                        padding="8px 10px",
                        border_radius="var(--radius-3)",
                        background_color="var(--gray-a2)",
                        border_left="3px solid var(--accent-8)",
                        data_testid="context-summary",
                    ),
                ),
                rx.cond(
                    p.facts.length() > 0,
                    rx.data_list.root(
                        rx.foreach(p.facts, _fact), size="1", spacing="2", orientation="horizontal"
                    ),
                ),
                spacing="2",
                width="100%",
            ),
        ),
        data_testid="context-agent",
    )
    viewed = rx.cond(
        p.viewed.length() > 0,
        _section("eye", "Last viewed", rx.foreach(p.viewed, _viewed)),
    )
    orders = _section(
        "shopping_bag",
        "Orders",
        rx.cond(
            p.orders.length() > 0,
            rx.vstack(rx.foreach(p.orders, _order), spacing="2", width="100%"),
            _quiet("No orders from this customer yet."),
        ),
    )
    appointments = _section(
        "calendar_days",
        "Appointments",
        rx.cond(
            p.appointments.length() > 0,
            rx.vstack(rx.foreach(p.appointments, _appointment), spacing="3", width="100%"),
            _quiet("No bookings."),
        ),
    )
    return rx.cond(
        S.selected_id != 0,
        rx.box(
            rx.hstack(
                back_button("Back to the chat", "chat", "back-to-chat"),
                rx.text("Customer details", size="3", weight="medium"),
                align="center",
                spacing="2",
                padding="12px 16px 0",
                class_name="inbox-narrow-only",
            ),
            customer,
            ratings_section(),
            agent_notes,
            viewed,
            orders,
            appointments,
            width=CONTEXT_WIDTH,
            min_width=CONTEXT_WIDTH,
            height="100%",
            overflow_y="auto",
            border_left=BORDER,
            background_color="var(--color-panel-solid)",
            class_name="inbox-pane inbox-context",
            data_testid="context-pane",
        ),
    )
