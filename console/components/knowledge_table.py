"""Knowledge page: the toolbar (search, Export, Import, New entry), the filter bar, the entries table with
paging, the ranked search results, and the empty states."""

from __future__ import annotations

import reflex as rx

from console.components.columns import column_from
from console.components.pager import pager as shared_pager
from console.components.states import empty_state
from console.components.ui import card
from console.state.knowledge import ACTIVE_CHOICES, ALL, PAGE_SIZES, KnowledgeState
from console.state.knowledge_editor import KnowledgeEditorState
from console.state.knowledge_import import KnowledgeImportState
from console.state.knowledge_rows import TYPE_CHOICES, EntryRow, HitRow

K = KnowledgeState

# Columns a narrow screen leaves out so the title keeps room to be read: the category from a laptop's width
# up, the version and the last change on a wide screen (all of them are in the entry's drawer).
FROM_MD = column_from("md")
FROM_LG = column_from("lg")


def type_badge(label: rx.Var | str, color: rx.Var | str) -> rx.Component:
    return rx.badge(label, color_scheme=color, variant="soft", radius="full", size="1")


def category_text(category: rx.Var) -> rx.Component:
    return rx.cond(
        category != "",
        rx.text(category, size="2", color="var(--gray-11)", text_transform="capitalize", truncate=True),
        rx.text("—", size="2", color="var(--gray-8)"),
    )


# --- toolbar ------------------------------------------------------------------------------------------------


def mode_badge() -> rx.Component:
    """Whether the box searches by meaning and words (hybrid) or by words only, with the reason on hover."""
    mode = rx.cond(K.search_mode != "", K.search_mode, K.index_mode)
    return rx.cond(
        mode != "",
        rx.tooltip(
            rx.badge(
                rx.cond(mode == "hybrid", rx.icon("sparkles", size=12), rx.icon("text_search", size=12)),
                rx.cond(mode == "hybrid", "Hybrid", "Words only"),
                color_scheme=rx.cond(mode == "hybrid", "grass", "amber"),
                variant="soft",
                radius="full",
                size="1",
                data_testid="search-mode",
            ),
            content=rx.cond(K.search_note != "", K.search_note, K.index_note),
        ),
    )


def search_box() -> rx.Component:
    return rx.input(
        rx.input.slot(
            rx.cond(K.searching, rx.spinner(size="2"), rx.icon("search", size=16)),
        ),
        rx.input.slot(
            mode_badge(),
            rx.cond(
                K.query != "",
                rx.icon_button(
                    rx.icon("x", size=14),
                    variant="ghost",
                    color_scheme="gray",
                    size="1",
                    on_click=K.clear_search,
                    aria_label="Clear search",
                ),
            ),
            padding_right="6px",
        ),
        value=K.query,
        on_change=K.search,
        debounce_timeout=350,
        placeholder="Ask as a customer would",
        size="3",
        width="100%",
        data_testid="knowledge-search",
    )


def export_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.icon("download", size=16),
                "Export",
                rx.icon("chevron_down", size=14),
                variant="soft",
                color_scheme="gray",
                size="3",
                data_testid="knowledge-export",
            ),
        ),
        rx.menu.content(
            rx.menu.item(
                rx.hstack(
                    rx.icon("sheet", size=14), rx.text("CSV (spreadsheets)"), spacing="2", align="center"
                ),
                on_select=K.export("csv"),
            ),
            rx.menu.item(
                rx.hstack(rx.icon("braces", size=14), rx.text("JSON"), spacing="2", align="center"),
                on_select=K.export("json"),
            ),
            rx.menu.separator(),
            rx.text(
                "Exports every entry in the format Import reads back.",
                size="1",
                color_scheme="gray",
                padding="4px 8px",
                max_width="220px",
            ),
            align="end",
        ),
    )


def toolbar() -> rx.Component:
    return rx.hstack(
        # 320 px: on a tablet its hint still fits beside the mode badge
        rx.box(search_box(), flex="1 1 320px", max_width="600px", min_width="0"),
        # on a phone the search box takes its whole line (the spacer would share it)
        rx.spacer(display=rx.breakpoints(initial="none", sm="block")),
        export_menu(),
        rx.button(
            rx.icon("upload", size=16),
            "Import",
            variant="soft",
            size="3",
            on_click=KnowledgeImportState.open_wizard("table"),
            data_testid="knowledge-import",
        ),
        rx.button(
            rx.icon("plus", size=16),
            "New entry",
            size="3",
            on_click=KnowledgeEditorState.open_new,
            data_testid="knowledge-new",
        ),
        spacing="3",
        align="center",
        width="100%",
        flex_wrap="wrap",  # on a phone the buttons go under the search box
    )


# --- filter bar ---------------------------------------------------------------------------------------------


# Both filters side by side on a 390 px phone; wider from a tablet up.
PHONE_TYPE_WIDTH = rx.breakpoints(initial="120px", sm="136px")
PHONE_CATEGORY_WIDTH = rx.breakpoints(initial="150px", sm="168px")


def _select(value: rx.Var, on_change, items: list, placeholder: str, testid: str, width) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(placeholder=placeholder, width=width, variant="surface", data_testid=testid),
        rx.select.content(*items, position="popper"),
        value=value,
        on_change=on_change,
        size="2",
    )


def filter_bar() -> rx.Component:
    type_items = [rx.select.item("All types", value=ALL)] + [
        rx.select.item(label, value=value) for value, label in TYPE_CHOICES
    ]
    category_items = [
        rx.select.item("All categories", value=ALL),
        rx.foreach(
            K.categories,
            lambda c: rx.select.item(rx.text(c, text_transform="capitalize"), value=c),
        ),
    ]
    status_items = [rx.select.item(label, value=value) for value, label in ACTIVE_CHOICES]
    deleted_label = rx.cond(K.deleted_total > 0, "Deleted (" + K.deleted_total.to_string() + ")", "Deleted")
    return rx.hstack(
        rx.icon("list_filter", size=16, color="var(--gray-11)"),
        _select(K.type_filter, K.set_type_filter, type_items, "Type", "filter-type", PHONE_TYPE_WIDTH),
        _select(
            K.category_filter,
            K.set_category_filter,
            category_items,
            "Category",
            "filter-category",
            PHONE_CATEGORY_WIDTH,
        ),
        rx.cond(
            ~K.search_active,
            _select(K.active_filter, K.set_active_filter, status_items, "Status", "filter-active", "120px"),
        ),
        rx.cond(
            K.filtered,
            rx.button("Clear", variant="ghost", color_scheme="gray", size="1", on_click=K.clear_filters),
        ),
        rx.spacer(),
        rx.cond(
            ~K.search_active,
            rx.hstack(
                rx.text(K.range_label, size="2", color_scheme="gray", data_testid="knowledge-range"),
                rx.divider(orientation="vertical", size="1", height="20px"),
                rx.text(
                    rx.hstack(
                        rx.switch(
                            checked=K.show_deleted,
                            on_change=K.set_show_deleted,
                            size="1",
                            disabled=(K.deleted_total == 0) & ~K.show_deleted,
                            data_testid="filter-deleted",
                        ),
                        rx.icon("trash_2", size=14, color="var(--gray-11)"),
                        deleted_label,
                        spacing="2",
                        align="center",
                    ),
                    as_="label",
                    size="2",
                    color="var(--gray-11)",
                ),
                spacing="4",
                align="center",
            ),
        ),
        spacing="3",
        align="center",
        width="100%",
        flex_wrap="wrap",  # on a phone the count and the deleted switch go under the filters
        padding="12px 16px",
        border_bottom="1px solid var(--gray-a5)",
        background_color="var(--gray-a2)",
        border_top_left_radius="var(--radius-4)",
        border_top_right_radius="var(--radius-4)",
    )


# --- table --------------------------------------------------------------------------------------------------


def title_cell(row: EntryRow) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(row.title, size="2", weight="medium", color="var(--gray-12)", truncate=True),
            rx.cond(
                row.source != "",
                rx.tooltip(
                    rx.icon("file_text", size=13, color="var(--gray-9)", flex_shrink="0"), content=row.source
                ),
            ),
            spacing="2",
            align="center",
            min_width="0",
            max_width="100%",
        ),
        rx.text(
            row.snippet,
            size="1",
            color="var(--gray-11)",
            white_space="nowrap",
            overflow="hidden",
            text_overflow="ellipsis",
            width="100%",
        ),
        spacing="1",
        min_width="0",
        width="100%",
    )


def active_cell(row: EntryRow) -> rx.Component:
    return rx.cond(
        row.deleted,
        rx.button(
            rx.icon("rotate_ccw", size=14),
            "Restore",
            variant="soft",
            size="1",
            on_click=K.restore_entry(row.id).stop_propagation,
            data_testid="row-restore",
        ),
        rx.tooltip(
            rx.switch(
                checked=row.is_active,
                on_change=lambda value: K.set_active(row.id, value),
                size="2",
                data_testid="row-active",
            ),
            content=rx.cond(
                row.is_active, "On: the agent uses this entry", "Off: the agent ignores this entry"
            ),
        ),
    )


def entry_row(row: EntryRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(title_cell(row), max_width="0", width="100%"),
        rx.table.cell(type_badge(row.type_label, row.type_color), vertical_align="middle"),
        rx.table.cell(
            category_text(row.category), vertical_align="middle", max_width="160px", display=FROM_MD
        ),
        rx.table.cell(
            rx.text(
                "v",
                row.version.to_string(),
                size="2",
                color="var(--gray-11)",
                font_variant_numeric="tabular-nums",
            ),
            vertical_align="middle",
            display=FROM_LG,
        ),
        rx.table.cell(
            rx.tooltip(
                rx.text(
                    rx.cond(row.deleted, row.deleted_when, row.updated),
                    size="2",
                    color="var(--gray-11)",
                    white_space="nowrap",
                ),
                content=rx.cond(row.deleted, "Deleted " + row.deleted_when, "Updated " + row.updated_full),
            ),
            vertical_align="middle",
            display=FROM_LG,
        ),
        rx.table.cell(
            active_cell(row),
            vertical_align="middle",
            text_align="right",
            on_click=rx.stop_propagation,
        ),
        on_click=KnowledgeEditorState.open_entry(row.id, "edit"),
        cursor="pointer",
        class_name="knowledge-row",
        opacity=rx.cond(row.is_active | row.deleted, "1", "0.72"),
        _hover={"background_color": "var(--gray-a2)"},
        data_testid="knowledge-row",
    )


def entries_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell("Title"),
                rx.table.column_header_cell("Type", width=rx.breakpoints(initial="88px", sm="112px")),
                rx.table.column_header_cell("Category", width="150px", display=FROM_MD),
                rx.table.column_header_cell("Version", width="88px", display=FROM_LG),
                rx.table.column_header_cell(
                    rx.cond(K.show_deleted, "Deleted", "Updated"), width="150px", display=FROM_LG
                ),
                rx.table.column_header_cell(
                    rx.cond(K.show_deleted, "", "Active"),
                    width=rx.breakpoints(initial="72px", sm="96px"),
                    text_align="right",
                ),
            ),
        ),
        rx.table.body(rx.foreach(K.rows, entry_row)),
        variant="ghost",
        size="2",
        width="100%",
        table_layout="fixed",
        data_testid="knowledge-table",
    )


def pager() -> rx.Component:
    return shared_pager(
        page=K.page,
        pages=K.pages,
        set_page=K.go_to_page,
        size=K.page_size,
        sizes=PAGE_SIZES,
        set_size=K.set_page_size,
        padding="12px 16px",
        border_top="1px solid var(--gray-a5)",
    )


def no_matches() -> rx.Component:
    return rx.vstack(
        rx.icon("search_x", size=28, color="var(--gray-9)"),
        rx.text(
            rx.cond(K.show_deleted, "Nothing is deleted.", "No entries match these filters."),
            size="3",
            weight="medium",
        ),
        rx.cond(
            K.filtered,
            rx.button("Clear filters", variant="soft", size="2", on_click=K.clear_filters),
        ),
        spacing="3",
        align="center",
        padding="48px 16px",
        width="100%",
    )


def deleted_notice() -> rx.Component:
    return rx.cond(
        K.show_deleted,
        rx.callout(
            "Deleted entries are hidden from the agent and from search. Restore one to use it again; "
            "its versions come back with it.",
            icon="trash_2",
            color_scheme="gray",
            variant="surface",
            size="1",
            margin="12px 16px 0",
        ),
    )


# --- search results -----------------------------------------------------------------------------------------


def reason_chip(reason: rx.Var) -> rx.Component:
    return rx.badge(
        reason["label"],
        color_scheme=reason["color"].to(str),
        variant="surface",
        radius="full",
        size="1",
        text_transform="none",
    )


def hit_card(hit: HitRow) -> rx.Component:
    entry = hit.entry
    return rx.hstack(
        rx.center(
            rx.text(hit.rank.to_string(), size="2", weight="bold"),
            width="28px",
            height="28px",
            min_width="28px",
            border_radius="999px",
            background_color=rx.cond(hit.rank == 1, "var(--accent-a4)", "var(--gray-a3)"),
            color=rx.cond(hit.rank == 1, "var(--accent-11)", "var(--gray-11)"),
        ),
        rx.vstack(
            rx.hstack(
                rx.text(entry.title, size="3", weight="medium", color="var(--gray-12)"),
                type_badge(entry.type_label, entry.type_color),
                rx.cond(
                    entry.category != "",
                    rx.text(entry.category, size="1", color="var(--gray-11)", text_transform="capitalize"),
                ),
                rx.cond(~entry.is_active, rx.badge("Off", color_scheme="gray", variant="outline", size="1")),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.text(entry.snippet, size="2", color="var(--gray-11)"),
            rx.hstack(
                rx.text("Why:", size="1", color="var(--gray-11)", weight="medium"),
                rx.foreach(hit.reasons, reason_chip),
                spacing="2",
                align="center",
                wrap="wrap",
                data_testid="hit-reasons",
            ),
            spacing="2",
            flex="1",
            min_width="0",
        ),
        rx.vstack(
            rx.text("Match", size="1", color="var(--gray-11)"),
            rx.text(hit.score, size="2", weight="medium"),
            rx.progress(value=hit.strength, size="1", width="72px", color_scheme="grass"),
            spacing="1",
            align="end",
            min_width="88px",
            data_testid="hit-score",
        ),
        spacing="4",
        align="start",
        width="100%",
        padding="16px",
        border_bottom="1px solid var(--gray-a4)",
        cursor="pointer",
        _hover={"background_color": "var(--gray-a2)"},
        on_click=KnowledgeEditorState.open_entry(entry.id, "preview"),
        data_testid="search-hit",
    )


def search_header() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.cond(
                K.searching & (K.search_for == ""),
                rx.text("Searching…", size="2", weight="medium"),
                rx.text(
                    K.hit_count_label,
                    " for “",
                    K.search_for,
                    "”",
                    size="2",
                    weight="medium",
                    data_testid="search-summary",
                ),
            ),
            rx.cond(
                K.search_mode == "hybrid",
                rx.badge(
                    rx.icon("sparkles", size=12),
                    "Hybrid: meaning + words",
                    color_scheme="grass",
                    variant="soft",
                    size="1",
                ),
                rx.cond(
                    K.search_mode == "lexical",
                    rx.badge(
                        rx.icon("text_search", size=12),
                        "Words only",
                        color_scheme="amber",
                        variant="soft",
                        size="1",
                    ),
                ),
            ),
            rx.cond(
                K.search_model != "", rx.code(K.search_model, size="1", variant="ghost", color_scheme="gray")
            ),
            rx.spacer(),
            rx.cond(K.search_ms != "", rx.text(K.search_ms, size="1", color_scheme="gray")),
            rx.button(
                rx.icon("x", size=14),
                "Back to all entries",
                variant="ghost",
                color_scheme="gray",
                size="1",
                on_click=K.clear_search,
            ),
            spacing="3",
            align="center",
            width="100%",
        ),
        rx.cond(
            K.search_note != "",
            rx.hstack(
                rx.icon("info", size=14, color="var(--amber-11)", flex_shrink="0"),
                rx.text(K.search_note, size="1", color="var(--gray-11)", data_testid="search-note"),
                spacing="2",
                align="center",
            ),
        ),
        rx.text(
            "Ranked the way the agent ranks them before it answers. "
            "Entries that are off or deleted never show.",
            size="1",
            color_scheme="gray",
        ),
        spacing="2",
        width="100%",
        padding="14px 16px",
        border_bottom="1px solid var(--gray-a5)",
    )


def search_results() -> rx.Component:
    return rx.vstack(
        search_header(),
        rx.cond(
            K.hits.length() > 0,
            rx.vstack(rx.foreach(K.hits, hit_card), spacing="0", width="100%", data_testid="search-results"),
            rx.cond(
                ~K.searching,
                rx.vstack(
                    rx.icon("message_circle_question", size=28, color="var(--gray-9)"),
                    rx.text("Nothing in your knowledge base answers this yet.", size="3", weight="medium"),
                    rx.text(
                        "If customers ask it, write an entry for it: the agent will find it from then on.",
                        size="2",
                        color_scheme="gray",
                    ),
                    rx.button(
                        rx.icon("plus", size=14),
                        "New entry",
                        size="2",
                        on_click=KnowledgeEditorState.open_new,
                    ),
                    spacing="3",
                    align="center",
                    padding="48px 16px",
                    width="100%",
                ),
                rx.vstack(
                    *[rx.skeleton(height="72px", width="100%") for _ in range(3)],
                    spacing="3",
                    padding="16px",
                    width="100%",
                ),
            ),
        ),
        spacing="0",
        width="100%",
    )


# --- the whole list -----------------------------------------------------------------------------------------


def table_skeleton() -> rx.Component:
    return rx.vstack(
        *[rx.skeleton(height="44px", width="100%") for _ in range(6)],
        spacing="3",
        padding="16px",
        width="100%",
    )


def entries_panel() -> rx.Component:
    return card(
        filter_bar(),
        rx.cond(
            K.search_active,
            search_results(),
            rx.cond(
                ~K.loaded,
                table_skeleton(),
                rx.cond(
                    K.rows.length() > 0,
                    rx.fragment(deleted_notice(), rx.box(entries_table(), padding="4px 8px 0"), pager()),
                    rx.fragment(deleted_notice(), no_matches()),
                ),
            ),
        ),
        padding="0",
        overflow="hidden",
        data_testid="knowledge-panel",
    )


def first_entry_state() -> rx.Component:
    """A workspace with no entries: what knowledge is for, and the two ways to start."""
    return empty_state(
        "book_open",
        "Teach the agent your policies and FAQs",
        "Add your opening hours, delivery areas, return rules and the answers you give every day. "
        "The agent looks them up before every reply, so it answers like your best staff member.",
        features=[
            ("file_up", "Import a CSV or JSON file, a PDF or Markdown document, or a page of your website"),
            ("search", "Search the way the agent does, and see why each entry matched"),
            ("history", "Every edit is versioned: compare two versions, restore one, or switch an entry off"),
        ],
        action=rx.hstack(
            rx.button(
                rx.icon("plus", size=16),
                "Write the first entry",
                size="3",
                on_click=KnowledgeEditorState.open_new,
                data_testid="empty-new",
            ),
            rx.button(
                rx.icon("upload", size=16),
                "Import a file",
                size="3",
                variant="soft",
                on_click=KnowledgeImportState.open_wizard("table"),
                data_testid="empty-import",
            ),
            rx.cond(
                K.deleted_total > 0,
                rx.button(
                    rx.icon("trash_2", size=16),
                    "Deleted (",
                    K.deleted_total.to_string(),
                    ")",
                    size="3",
                    variant="ghost",
                    color_scheme="gray",
                    on_click=K.set_show_deleted(True),
                ),
            ),
            spacing="3",
            align="center",
        ),
        note="Entries you add here are used by the agent and the playground straight away.",
    )
