"""The knowledge entry drawer: a sheet on the right with the entry's header, its notices, the Edit / History /
Preview tabs (console.components.knowledge_drawer_edit, _history, _preview) and the Save / Discard footer.
"""

from __future__ import annotations

import reflex as rx

from console.components.dialogs import confirm_dialog
from console.components.knowledge_drawer_edit import edit_tab
from console.components.knowledge_drawer_history import history_tab, restore_dialog
from console.components.knowledge_drawer_preview import preview_tab
from console.components.ui import icon_tile
from console.state.knowledge_editor import KnowledgeEditorState

E = KnowledgeEditorState
DRAWER_WIDTH = "min(680px, 100vw)"


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
                color="var(--gray-11)",
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
