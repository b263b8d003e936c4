"""The entry drawer's History tab: every saved version, what changed between two (a field-by-field diff),
and restoring an old version as a new one.
"""

from __future__ import annotations

import reflex as rx

from console.components.dialogs import confirm_dialog
from console.state.knowledge_editor import KnowledgeEditorState
from console.state.knowledge_rows import DiffLine, DiffRow, VersionRow

E = KnowledgeEditorState


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
            ("hunk", "var(--gray-11)"),
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
