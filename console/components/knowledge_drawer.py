"""The entry drawer on the Knowledge page: tabs Edit (the form, errors beside fields, keywords as chips),
History (versions, a diff of two, restore) and Preview (what the agent reads, what a customer is quoted,
and whether a customer's question finds the entry)."""

from __future__ import annotations

import reflex as rx

from console.components.dialogs import confirm_dialog
from console.components.ui import error_line, icon_tile
from console.state.knowledge import KnowledgeState
from console.state.knowledge_editor import KnowledgeEditorState
from console.state.knowledge_rows import TYPE_CHOICES, DiffLine, DiffRow, VersionRow

E = KnowledgeEditorState
DRAWER_WIDTH = "min(680px, 100vw)"


# --- pieces -------------------------------------------------------------------------------------------------


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


# --- Edit ---------------------------------------------------------------------------------------------------


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


# --- History ------------------------------------------------------------------------------------------------


def version_item(v: VersionRow) -> rx.Component:
    picked = E.picked.contains(v.version)
    return rx.hstack(
        rx.checkbox(
            checked=picked,
            on_change=lambda _: E.pick_version(v.version),
            on_click=rx.stop_propagation,  # the row toggles too: one toggle per click
            size="2",
            aria_label="Compare this version",
        ),
        rx.vstack(
            rx.hstack(
                rx.text("Version ", v.version.to_string(), size="2", weight="medium"),
                rx.cond(
                    v.is_current,
                    rx.badge("Current", color_scheme="grass", variant="soft", size="1", radius="full"),
                ),
                rx.cond(~v.is_active, rx.badge("Off", color_scheme="gray", variant="outline", size="1")),
                spacing="2",
                align="center",
            ),
            rx.text(v.when, " · ", v.author, size="1", color_scheme="gray"),
            spacing="0",
            flex="1",
            min_width="0",
        ),
        rx.cond(
            ~v.is_current & ~E.deleted,
            rx.button(
                rx.icon("history", size=14),
                "Restore",
                variant="ghost",
                size="1",
                on_click=E.ask_restore(v.version),
                data_testid="version-restore",
            ),
        ),
        spacing="3",
        align="center",
        width="100%",
        padding="10px 12px",
        border_radius="var(--radius-3)",
        background_color=rx.cond(picked, "var(--accent-a2)", "transparent"),
        border=rx.cond(picked, "1px solid var(--accent-a5)", "1px solid transparent"),
        cursor="pointer",
        on_click=E.pick_version(v.version),
        data_testid="version-item",
    )


def diff_line(line: DiffLine) -> rx.Component:
    return rx.hstack(
        rx.text(
            rx.match(line.kind, ("add", "+"), ("del", "−"), ""),
            width="16px",
            min_width="16px",
            color=rx.match(line.kind, ("add", "var(--grass-11)"), ("del", "var(--red-11)"), "var(--gray-9)"),
        ),
        rx.text(line.text, white_space="pre-wrap", word_break="break-word"),
        spacing="1",
        width="100%",
        padding="1px 8px",
        font_family="var(--code-font-family)",
        font_size="12.5px",
        line_height="1.6",
        background_color=rx.match(
            line.kind,
            ("add", "var(--grass-a3)"),
            ("del", "var(--red-a3)"),
            ("hunk", "var(--gray-a2)"),
            "transparent",
        ),
        color=rx.match(
            line.kind,
            ("del", "var(--red-12)"),
            ("add", "var(--grass-12)"),
            ("hunk", "var(--gray-9)"),
            "var(--gray-11)",
        ),
        text_decoration=rx.cond(line.kind == "del", "line-through", "none"),
        text_decoration_color="var(--red-a7)",
    )


def diff_block(d: DiffRow) -> rx.Component:
    field_body = rx.cond(
        d.is_text,
        rx.vstack(
            rx.foreach(d.lines, diff_line),
            spacing="0",
            width="100%",
            border="1px solid var(--gray-a5)",
            border_radius="var(--radius-3)",
            overflow="hidden",
            padding_y="4px",
        ),
        rx.cond(
            d.field == "keywords",
            rx.flex(
                rx.foreach(
                    d.removed,
                    lambda w: rx.badge(
                        rx.icon("minus", size=11),
                        w,
                        color_scheme="red",
                        variant="soft",
                        radius="full",
                        text_decoration="line-through",
                    ),
                ),
                rx.foreach(
                    d.added,
                    lambda w: rx.badge(
                        rx.icon("plus", size=11), w, color_scheme="grass", variant="soft", radius="full"
                    ),
                ),
                wrap="wrap",
                gap="6px",
            ),
            rx.hstack(
                rx.text(
                    d.old,
                    size="2",
                    color="var(--red-11)",
                    text_decoration="line-through",
                    background_color="var(--red-a3)",
                    padding="2px 6px",
                    border_radius="var(--radius-2)",
                ),
                rx.icon("arrow_right", size=14, color="var(--gray-9)", flex_shrink="0"),
                rx.text(
                    d.new,
                    size="2",
                    color="var(--grass-11)",
                    background_color="var(--grass-a3)",
                    padding="2px 6px",
                    border_radius="var(--radius-2)",
                ),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
        ),
    )
    return rx.vstack(
        rx.text(
            d.label,
            size="1",
            weight="medium",
            color="var(--gray-11)",
            text_transform="uppercase",
            letter_spacing="0.04em",
        ),
        field_body,
        spacing="2",
        width="100%",
        data_testid="diff-field",
    )


def diff_panel() -> rx.Component:
    return rx.cond(
        E.diff_new > 0,
        rx.vstack(
            rx.hstack(
                rx.icon("git_compare", size=16, color="var(--accent-11)"),
                rx.text(
                    "Changes from version ",
                    E.diff_old.to_string(),
                    " to version ",
                    E.diff_new.to_string(),
                    size="2",
                    weight="medium",
                ),
                spacing="2",
                align="center",
            ),
            rx.cond(
                E.diff_rows.length() > 0,
                rx.vstack(rx.foreach(E.diff_rows, diff_block), spacing="4", width="100%"),
                rx.text("These two versions are the same.", size="2", color_scheme="gray"),
            ),
            spacing="3",
            width="100%",
            padding="16px",
            border="1px solid var(--gray-a5)",
            border_radius="var(--radius-4)",
            background_color="var(--color-panel-solid)",
            data_testid="version-diff",
        ),
        rx.cond(
            E.can_compare,
            rx.text("Tick two versions to see what changed between them.", size="2", color_scheme="gray"),
        ),
    )


def history_tab() -> rx.Component:
    return rx.cond(
        E.is_new,
        rx.vstack(
            rx.icon("history", size=28, color="var(--gray-9)"),
            rx.text("History starts when you save.", size="3", weight="medium"),
            rx.text(
                "Every save keeps the previous version, so you can compare and restore.",
                size="2",
                color_scheme="gray",
            ),
            spacing="2",
            align="center",
            padding="48px 0",
            width="100%",
        ),
        rx.vstack(
            rx.text(
                "Every save is kept. Tick two versions to compare them; restoring one saves its text as "
                "a new version, so nothing is ever lost.",
                size="2",
                color_scheme="gray",
            ),
            rx.vstack(
                rx.foreach(E.versions, version_item),
                spacing="1",
                width="100%",
                padding="4px",
                border="1px solid var(--gray-a5)",
                border_radius="var(--radius-4)",
                max_height="260px",
                overflow_y="auto",
                data_testid="version-list",
            ),
            diff_panel(),
            spacing="4",
            width="100%",
        ),
    )


def restore_dialog() -> rx.Component:
    return confirm_dialog(
        "Restore version ",
        E.restore_target.to_string(),
        "?",
        description="Its title, answer, keywords and settings become current again, saved as a new version. "
        "The text you have now stays in the history.",
        confirm_label="Restore",
        on_confirm=E.restore_version,
        testid="confirm-restore-version",
        color_scheme=None,
        on_cancel=E.cancel_restore,
        open=E.restore_target > 0,
    )


# --- Preview ------------------------------------------------------------------------------------------------


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
        rx.box(
            rx.cond(
                E.preview_reply != "",
                rx.box(
                    rx.text(
                        E.preview_reply,
                        white_space="pre-wrap",
                        size="2",
                        color=rx.color_mode_cond(light="#111b21", dark="#e9edef"),
                    ),
                    rx.text(
                        "✓✓",
                        size="1",
                        color="#53bdeb",
                        align="right",
                        margin_top="2px",
                    ),
                    max_width="85%",
                    padding="6px 9px 4px",
                    background_color=rx.color_mode_cond(light="#d9fdd3", dark="#005c4b"),
                    border_radius="8px 0 8px 8px",
                    box_shadow="0 1px 0.5px rgba(11,20,26,.13)",
                    margin_left="auto",
                    data_testid="preview-bubble",
                ),
                rx.text(
                    "Write an answer to see it here.",
                    size="2",
                    color="var(--gray-10)",
                    align="center",
                    width="100%",
                ),
            ),
            width="100%",
            padding="16px",
            border_radius="var(--radius-4)",
            background_color=rx.color_mode_cond(light="#efeae2", dark="#0b141a"),
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


# --- the drawer ---------------------------------------------------------------------------------------------


def header() -> rx.Component:
    return rx.hstack(
        rx.cond(
            E.is_new,
            icon_tile("file_plus", size=18, box="36px"),
            icon_tile("file_text", size=18, box="36px"),
        ),
        rx.vstack(
            rx.dialog.title(
                rx.cond(E.is_new, "New entry", E.saved_title),
                size="4",
                weight="medium",
                margin="0",
                letter_spacing="-0.01em",
                line_height="1.3",
                data_testid="drawer-title",
            ),
            rx.dialog.description(
                rx.cond(E.is_new, "Write it once; the agent uses it in every chat.", E.meta_line),
                size="1",
                color="var(--gray-10)",
            ),
            spacing="1",
            flex="1",
            min_width="0",
        ),
        rx.icon_button(
            rx.icon("x", size=18),
            variant="ghost",
            color_scheme="gray",
            size="2",
            on_click=E.set_open(False),
            aria_label="Close",
            data_testid="drawer-close",
        ),
        spacing="3",
        align="start",
        width="100%",
        padding="20px 24px 16px",
    )


def notices() -> rx.Component:
    return rx.fragment(
        rx.cond(
            E.conflict_version > 0,
            rx.callout(
                rx.vstack(
                    rx.text(
                        "Someone saved version ",
                        E.conflict_version.to_string(),
                        " while you were editing, so your changes were not saved over theirs.",
                    ),
                    rx.hstack(
                        rx.button(
                            "Load their version", size="1", on_click=E.load_latest, data_testid="load-latest"
                        ),
                        rx.text(
                            "Your draft is still here: copy what you need first.",
                            size="1",
                            color_scheme="gray",
                        ),
                        spacing="3",
                        align="center",
                    ),
                    spacing="2",
                ),
                icon="triangle_alert",
                color_scheme="amber",
                variant="surface",
                margin="0 24px 12px",
                data_testid="conflict",
            ),
        ),
        rx.cond(
            E.deleted,
            rx.callout(
                rx.hstack(
                    rx.text("This entry is deleted. Restore it to edit it or let the agent use it again."),
                    rx.button(
                        rx.icon("rotate_ccw", size=14), "Restore", size="1", on_click=E.restore_deleted
                    ),
                    spacing="3",
                    align="center",
                    justify="between",
                    width="100%",
                ),
                icon="trash_2",
                color_scheme="gray",
                variant="surface",
                margin="0 24px 12px",
            ),
        ),
    )


def tab_trigger(value: str, label: str, icon: str) -> rx.Component:
    return rx.tabs.trigger(
        rx.hstack(rx.icon(icon, size=14), rx.text(label), spacing="2", align="center"),
        value=value,
        data_testid=f"drawer-tab-{value}",
    )


def footer() -> rx.Component:
    return rx.hstack(
        rx.cond(
            ~E.is_new & ~E.deleted,
            rx.button(
                rx.icon("trash_2", size=14),
                "Delete",
                variant="ghost",
                color_scheme="red",
                size="2",
                on_click=E.delete,
                data_testid="entry-delete",
            ),
        ),
        rx.spacer(),
        rx.cond(
            E.dirty,
            rx.badge(
                rx.icon("circle_dot", size=11),
                "Unsaved changes",
                color_scheme="amber",
                variant="soft",
                radius="full",
            ),
        ),
        rx.button("Cancel", variant="soft", color_scheme="gray", size="2", on_click=E.set_open(False)),
        rx.button(
            rx.icon("check", size=14),
            rx.cond(E.is_new, "Add entry", "Save"),
            size="2",
            on_click=E.save,
            disabled=E.deleted | (~E.dirty & ~E.is_new),
            data_testid="entry-save",
        ),
        spacing="3",
        align="center",
        width="100%",
        padding="14px 24px",
        border_top="1px solid var(--gray-a5)",
        background_color="var(--color-panel-solid)",
    )


def discard_dialog() -> rx.Component:
    return confirm_dialog(
        "Discard your changes?",
        description="You changed this entry and did not save. Closing now loses those changes.",
        confirm_label="Discard",
        on_confirm=E.discard,
        testid="confirm-discard",
        cancel_label="Keep editing",
        on_cancel=E.keep_editing,
        max_width="420px",
        open=E.confirm_discard,
    )


# The drawer is a Radix Themes dialog drawn as a sheet on the right: selects, menus and confirmations inside
# it are Radix Themes layers too, so they stack and dismiss correctly (no second dialog library).
SLIDE_KEYFRAMES = """
@keyframes kb-sheet-in { from { transform: translateX(100%); } to { transform: translateX(0); } }
@keyframes kb-sheet-out { from { transform: translateX(0); } to { transform: translateX(100%); } }
"""

SHEET_STYLE = {
    "position": "fixed",
    "top": "0",
    "right": "0",
    "bottom": "0",
    "margin": "0",
    "width": DRAWER_WIDTH,
    "max_width": "100vw",
    "height": "100vh",
    "max_height": "100vh",
    "padding": "0",
    "border_radius": "0",
    "overflow": "hidden",
    "border_left": "1px solid var(--gray-a5)",
    "box_shadow": "-16px 0 40px var(--black-a3)",
    "&[data-state='open']": {"animation": "kb-sheet-in 240ms cubic-bezier(0.16, 1, 0.3, 1)"},
    "&[data-state='closed']": {"animation": "kb-sheet-out 160ms ease-in"},
}


def entry_drawer() -> rx.Component:
    return rx.fragment(
        rx.el.style(SLIDE_KEYFRAMES),
        rx.dialog.root(
            rx.dialog.content(
                rx.flex(
                    header(),
                    notices(),
                    rx.tabs.root(
                        rx.tabs.list(
                            tab_trigger("edit", "Edit", "pencil"),
                            tab_trigger("history", "History", "history"),
                            tab_trigger("preview", "Preview", "eye"),
                            size="2",
                            padding_x="24px",
                        ),
                        rx.box(
                            rx.tabs.content(edit_tab(), value="edit"),
                            rx.tabs.content(history_tab(), value="history"),
                            rx.tabs.content(preview_tab(), value="preview"),
                            padding="20px 24px 28px",
                            flex="1",
                            overflow_y="auto",
                        ),
                        value=E.tab,
                        on_change=E.set_tab,
                        display="flex",
                        flex_direction="column",
                        flex="1",
                        min_height="0",
                    ),
                    footer(),
                    direction="column",
                    height="100%",
                    width="100%",
                ),
                style=SHEET_STYLE,
                data_testid="entry-drawer",
            ),
            open=E.open,
            on_open_change=E.set_open,
        ),
        discard_dialog(),
        restore_dialog(),
    )
