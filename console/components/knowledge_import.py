"""The Knowledge import wizard: choose a source and upload → preview with bad rows and fields marked →
confirm → progress (then a toast, and the table reloads)."""

from __future__ import annotations

import reflex as rx

from console.components import import_wizard as wizard
from console.components.dialogs import dialog_header
from console.state.knowledge_import import (
    DOCUMENT_ACCEPT,
    DOCUMENT_UPLOAD_ID,
    TABLE_ACCEPT,
    TABLE_UPLOAD_ID,
    ErrorGroup,
    KnowledgeImportState,
    PreviewCell,
    PreviewRow,
    SectionRow,
)
from engine.knowledge import documents, importing

W = KnowledgeImportState


def source_picker() -> rx.Component:
    return rx.segmented_control.root(
        rx.segmented_control.item(
            rx.hstack(rx.icon("sheet", size=14), rx.text("CSV, Excel or JSON"), spacing="2", align="center"),
            value="table",
        ),
        rx.segmented_control.item(
            rx.hstack(rx.icon("file_text", size=14), rx.text("Document"), spacing="2", align="center"),
            value="document",
        ),
        rx.segmented_control.item(
            rx.hstack(rx.icon("globe", size=14), rx.text("Web page"), spacing="2", align="center"),
            value="url",
        ),
        value=W.source,
        on_change=W.set_source,
        size="2",
        width="100%",
        data_testid="import-source",
    )


def dropzone(upload_id: str, accept: dict, max_bytes: int, handler, title: str, hint: str) -> rx.Component:
    return wizard.dropzone(
        upload_id,
        icon="cloud_upload",
        title=title,
        hint=hint,
        accept=accept,
        max_bytes=max_bytes,
        on_drop=handler(rx.upload_files(upload_id=upload_id, on_upload_progress=W.upload_progress)),
        testid=f"dropzone-{upload_id}",
        children=[rx.button("Choose a file", variant="soft", size="2", type="button", margin_top="4px")],
        on_drop_rejected=W.drop_rejected,
        padding="0",
        min_height="0",
        border=rx.cond(W.file_error != "", "1.5px dashed var(--red-8)", "1.5px dashed var(--gray-a7)"),
    )


def file_error() -> rx.Component:
    return rx.cond(
        W.file_error != "",
        rx.callout(
            W.file_error,
            icon="circle_alert",
            color_scheme="red",
            variant="surface",
            width="100%",
            data_testid="import-file-error",
        ),
    )


def upload_bar() -> rx.Component:
    return rx.cond(
        W.uploading,
        rx.vstack(
            rx.text("Uploading… ", W.upload_pct.to_string(), "%", size="1", color_scheme="gray"),
            rx.progress(value=W.upload_pct, size="1", width="100%"),
            spacing="1",
            width="100%",
        ),
    )


def table_source() -> rx.Component:
    return rx.vstack(
        dropzone(
            TABLE_UPLOAD_ID,
            TABLE_ACCEPT,
            importing.MAX_IMPORT_BYTES,
            W.receive_table,
            "Drop a CSV, Excel or JSON file here",
            "Up to 10,000 entries and 20 MB. Every row is checked before anything is saved.",
        ),
        upload_bar(),
        file_error(),
        rx.hstack(
            rx.icon("info", size=14, color="var(--gray-11)", flex_shrink="0", margin_top="3px"),
            rx.text(
                "Columns: ",
                rx.code("title"),
                " and ",
                rx.code("content"),
                " (required), ",
                rx.code("entry_type"),
                ", ",
                rx.code("category"),
                ", ",
                rx.code("keywords"),
                ", ",
                rx.code("priority"),
                ", ",
                rx.code("is_active"),
                ". Export gives you a file in this format.",
                size="2",
                color_scheme="gray",
            ),
            rx.spacer(),
            rx.button(
                rx.icon("file_down", size=14),
                "Template",
                variant="ghost",
                size="1",
                on_click=W.template,
                flex_shrink="0",
            ),
            spacing="2",
            align="start",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def category_input() -> rx.Component:
    return rx.vstack(
        rx.text("Category for these entries (optional)", size="2", weight="medium"),
        rx.input(
            value=W.category,
            on_change=W.set_category,
            placeholder="e.g. manual",
            size="2",
            width="100%",
            max_width="320px",
        ),
        spacing="1",
        width="100%",
    )


def document_source() -> rx.Component:
    return rx.vstack(
        dropzone(
            DOCUMENT_UPLOAD_ID,
            DOCUMENT_ACCEPT,
            documents.MAX_DOCUMENT_BYTES,
            W.receive_document,
            "Drop a PDF, Markdown, HTML or text file",
            "Split by its headings into entries of a few paragraphs each. Up to 15 MB.",
        ),
        upload_bar(),
        file_error(),
        category_input(),
        rx.text(
            "Importing the same file again later updates its entries instead of adding copies.",
            size="1",
            color_scheme="gray",
        ),
        spacing="3",
        width="100%",
    )


def url_source() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text("Address of the page", as_="label", size="2", weight="medium", html_for="import-url"),
            rx.hstack(
                rx.input(
                    rx.input.slot(rx.icon("link", size=14)),
                    id="import-url",
                    name="url",
                    value=W.url,
                    on_change=W.set_url,
                    placeholder="https://yourshop.example/help/returns",
                    type="url",
                    size="3",
                    flex="1",
                    color_scheme=rx.cond(W.url_error != "", "red", "gray"),
                    data_testid="import-url",
                ),
                rx.button(rx.icon("download", size=16), "Import page", type="submit", size="3"),
                spacing="2",
                width="100%",
            ),
            rx.cond(
                W.url_error != "",
                rx.hstack(
                    rx.icon("circle_alert", size=14),
                    rx.text(W.url_error, size="1"),
                    spacing="1",
                    align="center",
                    color="var(--red-11)",
                    data_testid="import-url-error",
                ),
                rx.text(
                    "The page is fetched once, now, and split by its headings. "
                    "Import it again to pick up changes.",
                    size="1",
                    color_scheme="gray",
                ),
            ),
            category_input(),
            spacing="2",
            width="100%",
        ),
        on_submit=W.import_url,
        reset_on_submit=False,
        width="100%",
    )


def working() -> rx.Component:
    """Progress while the server checks or writes: what it is doing, and for how long so far."""
    return rx.vstack(
        rx.spinner(size="3"),
        rx.text(W.progress_label, size="3", weight="medium", data_testid="import-progress"),
        rx.text(W.progress_detail, size="2", color_scheme="gray", align="center"),
        rx.progress(duration="8s", size="2", width="100%", max_width="420px"),
        rx.cond(W.elapsed > 1, rx.text(W.elapsed.to_string(), " s", size="1", color_scheme="gray")),
        spacing="3",
        align="center",
        padding="40px 24px",
        width="100%",
    )


# --- preview ------------------------------------------------------------------------------------------------


def preview_cell(cell: PreviewCell) -> rx.Component:
    bad = cell.error != ""
    return rx.table.cell(
        rx.vstack(
            rx.text(
                rx.cond(cell.value != "", cell.value, "(empty)"),
                size="1",
                color=rx.cond(cell.value != "", "var(--gray-12)", "var(--gray-11)"),
                style={"display": "-webkit-box", "-webkit-line-clamp": "2", "-webkit-box-orient": "vertical"},
                overflow="hidden",
                word_break="break-word",
            ),
            rx.cond(
                bad,
                rx.hstack(
                    rx.icon("circle_alert", size=12, flex_shrink="0", margin_top="2px"),
                    rx.text(cell.error, size="1", weight="medium"),
                    spacing="1",
                    align="start",
                    color="var(--red-11)",
                ),
            ),
            spacing="1",
        ),
        background_color=rx.cond(bad, "var(--red-a3)", "transparent"),
        box_shadow=rx.cond(bad, "inset 0 0 0 1px var(--red-a6)", "none"),
        data_testid=rx.cond(bad, "bad-cell", "cell"),
    )


def preview_row(row: PreviewRow) -> rx.Component:
    return rx.fragment(
        rx.table.row(
            rx.table.row_header_cell(
                rx.text(
                    row.number.to_string(),
                    size="1",
                    weight="medium",
                    color=rx.cond(row.has_error, "var(--red-11)", "var(--gray-11)"),
                ),
                box_shadow=rx.cond(row.has_error, "inset 3px 0 0 var(--red-9)", "none"),
            ),
            rx.foreach(row.cells, preview_cell),
            data_testid=rx.cond(row.has_error, "bad-row", "preview-row"),
        ),
        rx.cond(
            row.problem != "",
            rx.table.row(
                rx.table.cell(
                    rx.hstack(
                        rx.icon("circle_alert", size=12),
                        rx.text(row.problem, size="1", weight="medium"),
                        spacing="1",
                        align="center",
                        color="var(--red-11)",
                    ),
                    col_span=8,
                    background_color="var(--red-a2)",
                ),
            ),
        ),
    )


def preview_table() -> rx.Component:
    return rx.box(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Row", width="52px"),
                    rx.foreach(W.columns, lambda c: rx.table.column_header_cell(c)),
                ),
            ),
            rx.table.body(rx.foreach(W.rows, preview_row)),
            size="1",
            variant="ghost",
            width="100%",
            min_width="880px",
        ),
        width="100%",
        max_height="340px",
        overflow="auto",
        border="1px solid var(--gray-a5)",
        border_radius="var(--radius-3)",
        data_testid="import-preview-table",
    )


def error_group(group: ErrorGroup) -> rx.Component:
    return rx.hstack(
        rx.badge(
            group.count.to_string(),
            color_scheme="red",
            variant="solid",
            radius="full",
            size="1",
            min_width="28px",
            justify_content="center",
        ),
        rx.text(
            rx.text.strong(group.message),
            " ",
            rx.text(group.rows, color="var(--gray-11)", as_="span"),
            size="2",
        ),
        spacing="3",
        align="center",
    )


def file_summary() -> rx.Component:
    return rx.hstack(
        rx.hstack(
            rx.icon("file_spreadsheet", size=16, color="var(--gray-11)"),
            rx.text(W.file_name, size="2", weight="medium"),
            rx.badge(W.file_format, variant="surface", color_scheme="gray", size="1"),
            rx.text(W.file_size, size="1", color_scheme="gray"),
            spacing="2",
            align="center",
        ),
        rx.spacer(),
        rx.cond(
            W.source == "table",
            rx.cond(
                W.has_problems,
                rx.badge(
                    rx.icon("circle_x", size=12),
                    W.bad_rows.to_string(),
                    " of ",
                    W.rows_total.to_string(),
                    " rows need fixing",
                    color_scheme="red",
                    variant="soft",
                    size="2",
                    radius="full",
                    data_testid="import-problem-count",
                ),
                rx.badge(
                    rx.icon("circle_check", size=12),
                    "All ",
                    W.rows_total.to_string(),
                    " rows are ready",
                    color_scheme="grass",
                    variant="soft",
                    size="2",
                    radius="full",
                    data_testid="import-ready",
                ),
            ),
            rx.badge(
                rx.icon("circle_check", size=12),
                W.section_total.to_string(),
                " sections found",
                color_scheme="grass",
                variant="soft",
                size="2",
                radius="full",
            ),
        ),
        spacing="3",
        align="center",
        width="100%",
    )


def mode_choice() -> rx.Component:
    return rx.vstack(
        rx.text("What should happen to your current entries?", size="2", weight="medium"),
        rx.radio_cards.root(
            rx.radio_cards.item(
                rx.vstack(
                    rx.text("Keep them, add these", size="2", weight="medium"),
                    rx.text(
                        "The file's rows are added next to what you have.", size="1", color_scheme="gray"
                    ),
                    spacing="0",
                    align="start",
                ),
                value="append",
                padding="8px 12px",
                justify_content="start",
            ),
            rx.radio_cards.item(
                rx.vstack(
                    rx.text("Replace them with this file", size="2", weight="medium"),
                    rx.text(
                        "Current entries (not from documents) move to Deleted, and can be restored.",
                        size="1",
                        color_scheme="gray",
                    ),
                    spacing="0",
                    align="start",
                ),
                value="replace",
                padding="8px 12px",
                justify_content="start",
            ),
            value=W.mode,
            on_value_change=W.set_mode,
            columns="2",
            gap="3",
            size="1",
            width="100%",
        ),
        spacing="2",
        width="100%",
    )


def table_preview() -> rx.Component:
    return rx.vstack(
        file_summary(),
        rx.cond(
            W.file_problems.length() > 0,
            rx.callout(
                rx.vstack(rx.foreach(W.file_problems, lambda p: rx.text(p)), spacing="1"),
                icon="circle_x",
                color_scheme="red",
                variant="surface",
                width="100%",
                data_testid="import-file-problems",
            ),
        ),
        rx.cond(
            W.groups.length() > 0,
            rx.vstack(
                rx.text(
                    "Nothing has been imported. Fix these in your file and upload it again:",
                    size="2",
                    color="var(--gray-12)",
                ),
                rx.vstack(rx.foreach(W.groups, error_group), spacing="2", width="100%"),
                spacing="3",
                width="100%",
                padding="12px 16px",
                border_radius="var(--radius-3)",
                background_color="var(--red-a2)",
                border="1px solid var(--red-a5)",
                data_testid="import-error-groups",
            ),
        ),
        rx.cond(
            W.rows.length() > 0,
            rx.vstack(
                rx.text(
                    rx.cond(
                        W.has_problems,
                        "Rows with problems, as they are in your file",
                        "The first rows, as they will be saved",
                    ),
                    size="1",
                    weight="medium",
                    color="var(--gray-11)",
                    text_transform="uppercase",
                    letter_spacing="0.04em",
                ),
                preview_table(),
                spacing="2",
                width="100%",
            ),
        ),
        rx.cond(~W.has_problems, mode_choice()),
        spacing="4",
        width="100%",
    )


def section_item(section: SectionRow) -> rx.Component:
    return rx.hstack(
        rx.text(
            section.position.to_string(),
            size="1",
            color="var(--gray-11)",
            min_width="24px",
            font_variant_numeric="tabular-nums",
        ),
        rx.vstack(
            rx.text(section.title, size="2", weight="medium"),
            rx.text(section.excerpt, size="1", color_scheme="gray"),
            spacing="0",
            flex="1",
            min_width="0",
        ),
        rx.text(section.size, size="1", color_scheme="gray", white_space="nowrap"),
        spacing="3",
        align="start",
        width="100%",
        padding="8px 12px",
        border_bottom="1px solid var(--gray-a4)",
    )


def document_preview() -> rx.Component:
    return rx.vstack(
        file_summary(),
        rx.text("Each section becomes one entry of type Document:", size="2", color_scheme="gray"),
        rx.vstack(
            rx.foreach(W.sections, section_item),
            spacing="0",
            width="100%",
            max_height="300px",
            overflow_y="auto",
            border="1px solid var(--gray-a5)",
            border_radius="var(--radius-3)",
            data_testid="import-sections",
        ),
        category_input(),
        spacing="4",
        width="100%",
    )


# --- the dialog ---------------------------------------------------------------------------------------------


def body() -> rx.Component:
    return rx.match(
        W.step,
        ("checking", working()),
        ("importing", working()),
        ("preview", rx.cond(W.source == "table", table_preview(), document_preview())),
        rx.vstack(
            source_picker(),
            rx.match(W.source, ("document", document_source()), ("url", url_source()), table_source()),
            spacing="4",
            width="100%",
        ),
    )


def footer() -> rx.Component:
    return wizard.footer(
        rx.cond(
            W.step == "preview",
            rx.button(
                rx.icon("arrow_left", size=14),
                "Choose another file",
                variant="ghost",
                color_scheme="gray",
                size="2",
                on_click=W.start_over,
                data_testid="import-start-over",
            ),
        ),
        W.step == "importing",
        rx.cond(
            W.step == "preview",
            rx.button(
                rx.icon("check", size=14),
                W.confirm_label,
                size="2",
                disabled=W.has_problems,
                on_click=W.confirm,
                data_testid="import-confirm",
            ),
        ),
    )


def import_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.vstack(
                dialog_header(
                    "upload",
                    "Import knowledge",
                    "Bring in entries from a file, a document or your website. You see everything before it "
                    "is saved.",
                    margin_bottom="0",
                    width="100%",
                ),
                wizard.stepper(W.step_index, ["Upload", "Preview", "Import"], max_width="460px"),
                body(),
                rx.cond(
                    W.can_skip,
                    wizard.skip_bar(
                        W.good_rows,
                        W.bad_rows,
                        on_download=W.download_skipped,
                        on_import=W.confirm_good_rows,
                    ),
                ),
                footer(),
                spacing="5",
                width="100%",
            ),
            max_width="980px",
            width="94vw",
            data_testid="import-dialog",
        ),
        open=W.open,
        on_open_change=W.set_open,
    )
