"""The entry drawer's Preview tab: whether the agent sees the entry, the text search reads, the reply a
customer gets when no model is available (drawn with the shared WhatsApp bubble), and a question to check
that search finds the entry.
"""

from __future__ import annotations

import reflex as rx

from console.components.whatsapp import bubble
from console.state.knowledge_editor import KnowledgeEditorState

E = KnowledgeEditorState


def preview_status() -> rx.Component:
    return rx.cond(
        E.deleted,
        rx.callout(
            "Deleted: the agent does not see this entry.",
            icon="trash_2",
            color_scheme="gray",
            variant="surface",
            width="100%",
        ),
        rx.cond(
            ~E.is_active,
            rx.callout(
                "Off: the agent does not see this entry until you switch it on.",
                icon="eye_off",
                color_scheme="amber",
                variant="surface",
                width="100%",
            ),
            rx.cond(
                E.dirty | E.is_new,
                rx.callout(
                    "This is your unsaved draft. The agent sees it once you save.",
                    icon="pencil",
                    color_scheme="blue",
                    variant="surface",
                    width="100%",
                ),
                rx.callout(
                    "On: the agent can find and quote this entry now.",
                    icon="circle_check",
                    color_scheme="grass",
                    variant="surface",
                    width="100%",
                ),
            ),
        ),
    )


def agent_card() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("bot", size=16, color="var(--accent-11)"),
            rx.text("What the agent reads", size="2", weight="medium"),
            rx.spacer(),
            rx.badge(E.type_label, color_scheme=E.type_color, variant="soft", radius="full"),
            rx.cond(
                E.category != "", rx.badge(E.category, color_scheme="gray", variant="surface", radius="full")
            ),
            spacing="2",
            align="center",
            width="100%",
        ),
        rx.text(
            E.preview_index_text,
            white_space="pre-wrap",
            size="2",
            font_family="var(--code-font-family)",
            color="var(--gray-12)",
            padding="12px 14px",
            border_radius="var(--radius-3)",
            background_color="var(--gray-a2)",
            border="1px solid var(--gray-a4)",
            width="100%",
            max_height="220px",
            overflow_y="auto",
            data_testid="preview-index-text",
        ),
        rx.text(
            "Title first, then keywords, then the answer: this is the text search compares with a customer's "
            "question, and what the agent is given to answer from.",
            size="1",
            color_scheme="gray",
        ),
        spacing="2",
        width="100%",
    )


def whatsapp_bubble() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("smartphone", size=16, color="var(--accent-11)"),
            rx.text("What a customer is sent when no AI model is available", size="2", weight="medium"),
            spacing="2",
            align="center",
        ),
        rx.cond(
            E.preview_bubbles.length() > 0,
            rx.el.div(
                rx.foreach(E.preview_bubbles, bubble),
                class_name="wa wa-wallpaper",
                display="flex",
                flex_direction="column",
                padding="8px 0 14px",
                border_radius="var(--radius-4)",
                width="100%",
                data_testid="preview-bubble",
            ),
            rx.box(
                rx.text(
                    "Write an answer to see it here.",
                    size="2",
                    color="var(--gray-11)",
                    align="center",
                    width="100%",
                ),
                class_name="wa wa-wallpaper",
                width="100%",
                padding="16px",
                border_radius="var(--radius-4)",
            ),
        ),
        rx.text(
            "With a model connected, the agent writes its own reply from this entry, "
            "in your persona's voice.",
            size="1",
            color_scheme="gray",
        ),
        spacing="2",
        width="100%",
    )


def probe_result() -> rx.Component:
    return rx.cond(
        E.probe_done,
        rx.cond(
            E.probe_found,
            rx.callout(
                rx.text(
                    rx.text.strong("Found at #", E.probe_rank.to_string()),
                    " of ",
                    E.probe_count.to_string(),
                    rx.cond(E.probe_mode == "hybrid", " (meaning + words). ", " (words only). "),
                    E.probe_summary,
                ),
                icon="circle_check",
                color_scheme=rx.cond(E.probe_rank == 1, "grass", "amber"),
                variant="surface",
                width="100%",
                data_testid="probe-result",
            ),
            rx.callout(
                rx.text(
                    rx.text.strong("Not found. "),
                    rx.cond(
                        E.probe_others.length() > 0,
                        rx.text("The agent would answer from: ", E.probe_others.join(", "), ". "),
                        rx.text("Nothing matched. "),
                    ),
                    rx.cond(
                        ~E.is_active,
                        "Switch the entry on first.",
                        "Add the customer's words as keywords, or put them in the title.",
                    ),
                ),
                icon="circle_alert",
                color_scheme="red",
                variant="surface",
                width="100%",
                data_testid="probe-result",
            ),
        ),
    )


def probe_box() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("message_circle_question", size=16, color="var(--accent-11)"),
            rx.text("Would the agent find it?", size="2", weight="medium"),
            spacing="2",
            align="center",
        ),
        rx.cond(
            E.is_new,
            rx.text(
                "Save the entry first, then ask a question the way a customer would.",
                size="2",
                color_scheme="gray",
            ),
            rx.form(
                rx.hstack(
                    rx.input(
                        name="question",
                        value=E.probe_query,
                        on_change=E.set_probe_query,
                        placeholder="Ask the way a customer would…",
                        size="2",
                        flex="1",
                        data_testid="probe-input",
                    ),
                    rx.button(
                        rx.cond(E.probing, rx.spinner(size="1"), rx.icon("search", size=14)),
                        "Test",
                        type="submit",
                        variant="soft",
                        size="2",
                        disabled=E.probing,
                    ),
                    spacing="2",
                    width="100%",
                ),
                on_submit=E.probe,
                reset_on_submit=False,
                width="100%",
            ),
        ),
        probe_result(),
        spacing="2",
        width="100%",
    )


def preview_tab() -> rx.Component:
    return rx.vstack(
        preview_status(),
        agent_card(),
        whatsapp_bubble(),
        probe_box(),
        spacing="5",
        width="100%",
    )
