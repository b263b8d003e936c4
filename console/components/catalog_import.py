"""The Catalog CSV wizard: choose products or services and a file → preview with bad rows and cells
highlighted → import with progress → toast. Export and the template are in the tab bar's Export menu."""

from __future__ import annotations

import reflex as rx

from console.components import import_wizard as wizard
from console.components.dialogs import dialog_header
from console.components.ui import icon_tile
from console.state.catalog_import import (
    UPLOAD_ID,
    CatalogImportState,
    HeaderCell,
    PreviewCell,
    PreviewRow,
    Problem,
)
from engine.catalog.csv_io import MAX_IMPORT_BYTES

I = CatalogImportState  # noqa: E741 - the state's one-letter alias, as in the other catalog components
MUTED = "var(--gray-11)"

STEPS = ["Choose a file", "Check the preview", "Import"]


# -- step 1: the file --------------------------------------------------------------------------------------


def kind_picker() -> rx.Component:
    return rx.segmented_control.root(
        rx.segmented_control.item(
            rx.hstack(rx.icon("package", size=14), rx.text("Products"), spacing="2", align="center"),
            value="products",
        ),
        rx.segmented_control.item(
            rx.hstack(rx.icon("calendar_check", size=14), rx.text("Services"), spacing="2", align="center"),
            value="services",
        ),
        value=I.kind,
        on_change=I.set_kind,
        size="2",
        data_testid="import-kind",
    )


def dropzone() -> rx.Component:
    return wizard.dropzone(
        UPLOAD_ID,
        icon="file_up",
        title="Drop a CSV or Excel file here, or click to choose one",
        hint=f"An .xlsx workbook (first sheet) or CSV, up to {MAX_IMPORT_BYTES // (1024 * 1024)} MB. "
        "Column names like \u201cqty\u201d or \u201ccolour\u201d are understood.",
        accept={
            "text/csv": [".csv"],
            "text/plain": [".csv", ".txt"],
            "application/vnd.ms-excel": [".csv"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
        },
        max_bytes=MAX_IMPORT_BYTES,
        on_drop=I.handle_upload(rx.upload_files(upload_id=UPLOAD_ID)),
        testid="import-dropzone",
        padding="36px 24px",
        border="2px dashed var(--gray-a6)",
    )


def how_it_works() -> rx.Component:
    tips = [
        (
            "key_round",
            rx.text(
                "Rows are matched by ", rx.code(I.key_column), ": new ones are added, existing ones updated."
            ),
        ),
        (
            "columns_3",
            rx.text(
                "Columns you leave out, and blank cells, keep their current values (a new item gets the "
                "default), so ",
                rx.code(rx.cond(I.kind == "products", "sku,stock", "code,price")),
                rx.cond(I.kind == "products", " updates stock only.", " updates prices only."),
            ),
        ),
        ("list", rx.text("Separate several aliases, sizes or colours with ", rx.code("|"), ".")),
        (
            "shield_check",
            rx.text(
                "Nothing is saved until you confirm. If some rows have problems, you can import the "
                "others and download the skipped ones with the reason for each."
            ),
        ),
    ]
    return rx.vstack(
        *[
            rx.hstack(
                rx.icon(icon, size=15, color="var(--accent-11)", flex_shrink="0", margin_top="2px"),
                rx.box(text, font_size="var(--font-size-2)", color="var(--gray-11)"),
                spacing="3",
                align="start",
            )
            for icon, text in tips
        ],
        rx.hstack(
            rx.text("Columns: ", rx.code(I.columns_hint, size="1", variant="ghost"), size="1", color=MUTED),
            rx.spacer(),
            rx.button(
                rx.icon("file_down", size=14),
                "Download template",
                variant="ghost",
                size="1",
                type="button",
                on_click=I.download_template(I.kind),
                data_testid="import-template",
            ),
            align="center",
            width="100%",
            padding_top="4px",
        ),
        spacing="3",
        width="100%",
        padding="16px",
        border_radius="var(--radius-3)",
        background_color="var(--gray-a2)",
    )


def upload_step() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.text("Import", size="2", weight="medium"), kind_picker(), spacing="3", align="center"),
        dropzone(),
        rx.cond(
            I.upload_error != "",
            rx.callout(
                rx.text(rx.cond(I.file_name != "", rx.text.strong(I.file_name, ": "), ""), I.upload_error),
                icon="file_x",
                color_scheme="red",
                variant="surface",
                width="100%",
                data_testid="upload-error",
            ),
        ),
        how_it_works(),
        spacing="4",
        width="100%",
    )


def checking_step() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.spinner(size="3"),
            rx.text("Checking ", rx.text.strong(I.file_name), "\u2026", size="3"),
            rx.text("Every row is validated; nothing is saved yet.", size="2", color=MUTED),
            spacing="3",
            align="center",
        ),
        padding="72px 24px",
        width="100%",
    )


# -- step 2: the preview -----------------------------------------------------------------------------------


def stat(label: str, value: rx.Var, color: str, testid: str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color=MUTED, weight="medium"),
        rx.text(
            value,
            size="6",
            weight="bold",
            color=f"var(--{color}-11)" if color != "gray" else "var(--gray-12)",
        ),
        spacing="0",
        padding="10px 14px",
        border="1px solid var(--gray-a5)",
        border_radius="var(--radius-3)",
        background_color="var(--color-panel-solid)",
        flex="1",
        data_testid=testid,
    )


def file_line() -> rx.Component:
    return rx.hstack(
        rx.icon("file_text", size=18, color="var(--gray-11)"),
        rx.text(I.file_name, size="2", weight="medium"),
        rx.text(I.file_size, size="2", color=MUTED),
        rx.spacer(),
        kind_picker(),
        rx.button(
            rx.icon("rotate_ccw", size=14),
            "Choose another file",
            variant="soft",
            color_scheme="gray",
            size="2",
            type="button",
            on_click=I.start_over,
            data_testid="import-start-over",
        ),
        spacing="3",
        align="center",
        width="100%",
    )


def problem_line(problem: Problem) -> rx.Component:
    return rx.hstack(
        rx.badge(
            problem.where, color_scheme="red", variant="soft", size="1", min_width="64px", justify="center"
        ),
        rx.code(problem.column, size="1", color_scheme="gray", variant="soft"),
        rx.text(problem.message, size="2"),
        spacing="2",
        align="center",
        width="100%",
        data_testid="import-problem",
    )


def verdict() -> rx.Component:
    return rx.cond(
        I.error_count > 0,
        rx.vstack(
            rx.callout(
                rx.text(
                    rx.text.strong(I.error_count, rx.cond(I.error_count == 1, " problem", " problems")),
                    " in this file. Fix the file and choose it again, or import the good rows below.",
                ),
                icon="circle_alert",
                color_scheme="red",
                variant="surface",
                width="100%",
                data_testid="import-has-errors",
            ),
            rx.scroll_area(
                rx.vstack(
                    rx.foreach(I.problems, problem_line),
                    rx.cond(
                        I.more_problems > 0,
                        rx.text("\u2026 and ", I.more_problems, " more.", size="2", color=MUTED),
                    ),
                    spacing="2",
                    width="100%",
                    padding_right="12px",
                ),
                type="auto",
                scrollbars="vertical",
                max_height="132px",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        rx.callout(
            rx.cond(
                (I.created + I.updated) > 0,
                rx.text(
                    "Ready to import: ",
                    rx.text.strong(I.created, " new"),
                    " and ",
                    rx.text.strong(I.updated, " updated"),
                    rx.cond(I.kind == "products", " products.", " services."),
                    " Nothing has been saved yet.",
                ),
                rx.text("Every row matches what is already in the catalog: there is nothing to import."),
            ),
            icon="circle_check",
            color_scheme="grass",
            variant="surface",
            width="100%",
            data_testid="import-ready",
        ),
    )


def header_cell(cell: HeaderCell) -> rx.Component:
    return rx.table.column_header_cell(
        rx.hstack(
            rx.cond(cell.bad, rx.icon("circle_alert", size=12)),
            rx.text(cell.name),
            spacing="1",
            align="center",
        ),
        white_space="nowrap",
        color=rx.cond(cell.bad, "var(--red-11)", "var(--gray-12)"),
        background_color=rx.cond(cell.bad, "var(--red-a3)", "transparent"),
    )


def preview_cell(cell: PreviewCell) -> rx.Component:
    return rx.table.cell(
        rx.vstack(
            rx.text(
                rx.cond(cell.text != "", cell.text, "\u00a0"),
                size="1",
                white_space="nowrap",
                color=rx.cond(cell.bad, "var(--red-12)", "var(--gray-12)"),
            ),
            rx.cond(
                cell.bad,
                rx.text(
                    cell.message, size="1", color="var(--red-11)", white_space="normal", min_width="160px"
                ),
            ),
            spacing="1",
        ),
        background_color=rx.cond(cell.bad, "var(--red-a3)", "transparent"),
        box_shadow=rx.cond(cell.bad, "inset 0 0 0 1px var(--red-a6)", "none"),
        custom_attrs={"title": cell.message},
        data_bad=rx.cond(cell.bad, "true", "false"),
    )


def preview_row(row: PreviewRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.text(row.number, size="1", weight="medium"),
            color=rx.cond(row.bad, "var(--red-11)", "var(--gray-11)"),
            background_color=rx.cond(row.bad, "var(--red-a2)", "var(--gray-a2)"),
            text_align="right",
        ),
        rx.foreach(row.cells, preview_cell),
        data_testid=rx.cond(row.bad, "preview-bad-row", "preview-row"),
    )


def preview_table() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text("Preview", size="2", weight="medium"),
            rx.text(I.preview_note, size="2", color=MUTED),
            spacing="2",
            align="baseline",
        ),
        rx.scroll_area(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Row", width="52px", text_align="right"),
                        rx.foreach(I.header, header_cell),
                    )
                ),
                rx.table.body(rx.foreach(I.preview, preview_row)),
                size="1",
                variant="surface",
                data_testid="import-preview",
            ),
            type="auto",
            scrollbars="both",
            max_height="300px",
            width="100%",
        ),
        spacing="2",
        width="100%",
    )


def review_step() -> rx.Component:
    return rx.vstack(
        file_line(),
        rx.hstack(
            stat("Rows", I.rows, "gray", "stat-rows"),
            stat("New", I.created, "grass", "stat-created"),
            stat("Updated", I.updated, "blue", "stat-updated"),
            stat("Unchanged", I.unchanged, "gray", "stat-unchanged"),
            stat_problems(),
            spacing="3",
            width="100%",
        ),
        verdict(),
        rx.cond(I.preview.length() > 0, preview_table()),
        spacing="4",
        width="100%",
    )


def stat_problems() -> rx.Component:
    return rx.vstack(
        rx.text("Problems", size="1", color=MUTED, weight="medium"),
        rx.text(
            I.error_count,
            size="6",
            weight="bold",
            color=rx.cond(I.error_count > 0, "var(--red-11)", "var(--gray-12)"),
        ),
        spacing="0",
        padding="10px 14px",
        border=rx.cond(I.error_count > 0, "1px solid var(--red-a6)", "1px solid var(--gray-a5)"),
        border_radius="var(--radius-3)",
        background_color=rx.cond(I.error_count > 0, "var(--red-a2)", "var(--color-panel-solid)"),
        flex="1",
        data_testid="stat-errors",
    )


# -- step 3: importing -------------------------------------------------------------------------------------


def importing_step() -> rx.Component:
    return rx.center(
        rx.vstack(
            icon_tile("database", size=22, box="48px"),
            rx.text(
                "Importing ",
                rx.text.strong(I.created + I.updated),
                rx.cond(I.kind == "products", " products", " services"),
                "\u2026",
                size="3",
            ),
            rx.progress(duration="1.2s", width="320px", size="2", data_testid="import-progress"),
            rx.text(
                "All rows are saved together: if anything fails, nothing changes.", size="2", color=MUTED
            ),
            spacing="3",
            align="center",
        ),
        padding="64px 24px",
        width="100%",
    )


# -- the dialog --------------------------------------------------------------------------------------------


def footer() -> rx.Component:
    return wizard.footer(
        rx.cond(
            I.step == "review",
            rx.text(
                rx.cond(
                    I.error_count > 0, "Fix the file to continue.", "Nothing is saved until you press Import."
                ),
                size="1",
                color=MUTED,
            ),
        ),
        I.step == "importing",
        rx.cond(
            I.step == "review",
            rx.button(
                rx.icon("upload", size=15),
                "Import ",
                I.created + I.updated,
                rx.cond(I.kind == "products", " products", " services"),
                disabled=~I.can_import,
                on_click=I.confirm_import(False),
                data_testid="import-confirm",
            ),
        ),
        margin_top="4px",
    )


def import_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            dialog_header(
                "file_spreadsheet",
                rx.cond(I.kind == "products", "Import products", "Import services"),
                "From a CSV or Excel file: new items are added and existing ones updated. Blank cells keep "
                "the current value.",
                margin_bottom="0",
            ),
            wizard.stepper(I.step_number + 1, STEPS, padding="14px 0 4px"),
            rx.box(
                rx.match(
                    I.step,
                    ("checking", checking_step()),
                    ("review", review_step()),
                    ("importing", importing_step()),
                    upload_step(),
                ),
                padding_top="16px",
                width="100%",
            ),
            rx.cond(
                I.can_skip,
                rx.box(
                    wizard.skip_bar(
                        I.good_rows,
                        I.bad_rows,
                        on_download=I.download_skipped,
                        on_import=I.confirm_import(True),
                    ),
                    padding_top="12px",
                ),
            ),
            footer(),
            max_width=rx.cond(I.step == "review", "1040px", "640px"),
            width="100%",
            data_testid="import-dialog",
        ),
        open=I.open,
        on_open_change=I.set_open,
    )
