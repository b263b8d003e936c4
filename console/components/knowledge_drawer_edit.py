"""The entry drawer's Edit tab: title, type, category, keywords as chips, the answer, and its switches; each
field with its error beside it (the engine's validation, KnowledgeEditorState).
"""

from __future__ import annotations

import reflex as rx

from console.components.ui import error_line
from console.state.knowledge import KnowledgeState
from console.state.knowledge_editor import KnowledgeEditorState
from console.state.knowledge_rows import TYPE_CHOICES

E = KnowledgeEditorState


def field_error(key: str) -> rx.Component:
    return error_line(E.errors.get(key, ""), f"error-{key}")


def form_field(
    label: str, control: rx.Component, key: str, hint: str | rx.Var | None = None, html_for: str | None = None
) -> rx.Component:
    return rx.vstack(
        rx.text(label, as_="label", size="2", weight="medium", html_for=html_for),
        control,
        rx.cond(
            E.errors.contains(key),
            field_error(key),
            rx.text(hint, size="1", color_scheme="gray") if hint is not None else rx.fragment(),
        ),
        spacing="1",
        width="100%",
    )


def invalid(key: str) -> dict[str, rx.Var]:
    """Props that mark a field with an error: red accent and a red border (Radix draws it as a shadow)."""
    bad = E.errors.contains(key)
    return {
        "color_scheme": rx.cond(bad, "red", "gray"),
        "box_shadow": rx.cond(bad, "inset 0 0 0 1px var(--red-8)", "inset 0 0 0 1px var(--gray-a7)"),
    }


def keyword_chip(word: rx.Var) -> rx.Component:
    return rx.badge(
        word,
        rx.icon(
            "x",
            size=12,
            cursor="pointer",
            on_click=E.remove_keyword(word),
            aria_label="Remove keyword",
        ),
        variant="soft",
        color_scheme="grass",
        radius="full",
        size="2",
        gap="4px",
        data_testid="keyword-chip",
    )


def keywords_input() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.foreach(E.keywords, keyword_chip),
            rx.el.input(
                name="keyword",
                value=E.keyword_draft,
                on_change=E.set_keyword_draft,
                on_key_down=E.keyword_key,
                on_blur=E.keyword_blur,
                placeholder=rx.cond(
                    E.keywords.length() > 0, "Add another…", "refund, send back, money back…"
                ),
                auto_complete="off",
                style={
                    "flex": "1",
                    "min_width": "140px",
                    "border": "none",
                    "outline": "none",
                    "background": "transparent",
                    "font_size": "var(--font-size-2)",
                    "color": "var(--gray-12)",
                    "padding": "4px 2px",
                },
                data_testid="keyword-input",
            ),
            wrap="wrap",
            gap="6px",
            align="center",
            width="100%",
            padding="6px 8px",
            min_height="40px",
            border=rx.cond(
                E.errors.contains("keywords"), "1px solid var(--red-8)", "1px solid var(--gray-a7)"
            ),
            border_radius="var(--radius-3)",
            background_color="var(--color-surface)",
            _focus_within={"outline": "2px solid var(--focus-8)", "outline_offset": "-1px"},
        ),
        on_submit=E.add_keywords,
        reset_on_submit=False,
        width="100%",
    )


def type_select() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(width="100%", data_testid="entry-type"),
        rx.select.content(
            *[rx.select.item(label, value=value) for value, label in TYPE_CHOICES],
            position="popper",
        ),
        value=E.entry_type,
        on_change=E.set_entry_type,
        size="3",
        disabled=E.deleted,
    )


def edit_tab() -> rx.Component:
    return rx.vstack(
        rx.cond(
            E.errors.contains("form"),
            rx.callout(
                E.errors["form"], icon="circle_alert", color_scheme="red", variant="surface", width="100%"
            ),
        ),
        form_field(
            "Title",
            rx.input(
                id="entry-title",
                value=E.title,
                on_change=E.set_title,
                placeholder="e.g. Can I return shoes I have worn?",
                size="3",
                width="100%",
                **invalid("title"),
                disabled=E.deleted,
                data_testid="entry-title",
            ),
            "title",
            "A question as customers ask it, or the name of the policy.",
            html_for="entry-title",
        ),
        rx.grid(
            form_field("Type", type_select(), "entry_type", E.type_hint),
            form_field(
                "Category",
                rx.fragment(
                    rx.input(
                        id="entry-category",
                        value=E.category,
                        on_change=E.set_category,
                        placeholder="e.g. returns",
                        list="knowledge-categories",
                        size="3",
                        width="100%",
                        **invalid("category"),
                        disabled=E.deleted,
                        data_testid="entry-category",
                    ),
                    rx.el.datalist(
                        rx.foreach(KnowledgeState.categories, lambda c: rx.el.option(value=c)),
                        id="knowledge-categories",
                    ),
                ),
                "category",
                "Groups entries for filters. Optional.",
                html_for="entry-category",
            ),
            columns="2",
            spacing="4",
            width="100%",
        ),
        form_field(
            "Answer",
            rx.vstack(
                rx.text_area(
                    id="entry-content",
                    value=E.content,
                    on_change=E.set_content,
                    placeholder="Write the answer the way you would tell a customer: facts, numbers, steps.",
                    rows="9",
                    size="3",
                    width="100%",
                    resize="vertical",
                    **invalid("content"),
                    disabled=E.deleted,
                    data_testid="entry-content",
                ),
                rx.text(E.content_length, size="1", color_scheme="gray", align="right", width="100%"),
                spacing="1",
                width="100%",
            ),
            "content",
            html_for="entry-content",
        ),
        form_field(
            "Keywords",
            keywords_input(),
            "keywords",
            "Other words customers use for this. Press Enter or a comma after each.",
        ),
        rx.grid(
            form_field(
                "Priority",
                rx.input(
                    id="entry-priority",
                    value=E.priority,
                    on_change=E.set_priority,
                    type="number",
                    min="-1000",
                    max="1000",
                    step="1",
                    size="3",
                    width="100%",
                    **invalid("priority"),
                    disabled=E.deleted,
                    data_testid="entry-priority",
                ),
                "priority",
                "When two entries match equally, the higher one wins.",
                html_for="entry-priority",
            ),
            rx.vstack(
                rx.text("Status", size="2", weight="medium"),
                rx.hstack(
                    rx.switch(
                        checked=E.is_active,
                        on_change=E.set_is_active,
                        size="2",
                        disabled=E.deleted,
                        data_testid="entry-active",
                    ),
                    rx.vstack(
                        rx.text(rx.cond(E.is_active, "On", "Off"), size="2", weight="medium"),
                        rx.text(
                            rx.cond(
                                E.is_active, "The agent uses this entry.", "Kept, but the agent ignores it."
                            ),
                            size="1",
                            color_scheme="gray",
                        ),
                        spacing="0",
                    ),
                    spacing="3",
                    align="center",
                    padding="8px 12px",
                    border="1px solid var(--gray-a5)",
                    border_radius="var(--radius-3)",
                    width="100%",
                    min_height="48px",
                ),
                spacing="1",
                width="100%",
            ),
            columns="2",
            spacing="4",
            width="100%",
        ),
        spacing="5",
        width="100%",
        data_testid="entry-form",
    )
