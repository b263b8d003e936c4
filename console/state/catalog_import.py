"""State of the Catalog import wizard (CSV or Excel): upload → dry-run preview → confirm → import; plus export
and template.

The uploaded file never touches disk here and never goes near Reflex's public upload folder: its bytes are
checked on the server (size, that it really is a CSV text or an .xlsx workbook) and kept in a backend-only var
while the wizard is open. The preview is the engine's own dry run (`dry_run=True`, nothing written), with
every (row, column, message) it reports drawn on the file's rows, numbered as the file's lines. Confirming
runs the same import for real: all rows, or, when the owner chose "Import the N good rows, skip M", the good
ones (the skipped ones can be downloaded with the reason for each, in the Knowledge importer's format).
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date
from typing import Any, ClassVar

import reflex as rx

from console.state.catalog import CatalogState, actor
from console.state.formatting import size_label, upload_name
from console.state.guard import PageState
from console.state.session import sentence
from engine import catalog
from engine.accounts.sessions import SignedIn
from engine.catalog import CatalogError, ImportReport
from engine.catalog.csv_io import MAX_IMPORT_BYTES, PRODUCT_COLUMNS, SERVICE_COLUMNS, read_catalog_sheet
from engine.db import session_scope
from engine.imports import Sheet, is_xlsx, normalize_column, skipped_rows_csv

UPLOAD_ID = "catalog-csv"
KINDS = ("products", "services")
COLUMNS: dict[str, tuple[str, ...]] = {"products": PRODUCT_COLUMNS, "services": SERVICE_COLUMNS}
SUFFIXES = (".csv", ".txt", ".xlsx")
# What other files start with: refused with a message that says what to do instead.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (
        b"\xd0\xcf\x11\xe0",
        "This is an old Excel (.xls) workbook. Save it as .xlsx or \u201cCSV UTF-8\u201d first.",
    ),
    (b"%PDF", "This is a PDF, not a CSV file."),
    (b"\x89PNG", "This is an image, not a CSV file."),
    (b"\xff\xd8\xff", "This is an image, not a CSV file."),
)
PREVIEW_CLEAN_ROWS = 8
PREVIEW_BAD_ROWS = 50
PROBLEMS_SHOWN = 200
CELL_CHARS = 48


@dataclasses.dataclass
class PreviewCell:
    text: str = ""
    bad: bool = False
    message: str = ""


@dataclasses.dataclass
class PreviewRow:
    number: int = 0
    bad: bool = False
    cells: list[PreviewCell] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class HeaderCell:
    name: str = ""
    bad: bool = False


@dataclasses.dataclass
class Problem:
    where: str = ""
    column: str = ""
    message: str = ""


def check_file(name: str, data: bytes) -> str | None:
    """Why this upload cannot be a catalog CSV or Excel file, or None. The browser's checks are a courtesy."""
    if not name.lower().endswith(SUFFIXES):
        return "Choose a .csv or .xlsx file."
    if len(data) > MAX_IMPORT_BYTES:
        return f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB. Split it into smaller files."
    if not data.strip():
        return "The file is empty."
    if is_xlsx(data, name):
        return None if data.startswith(b"PK\x03\x04") else "This file is named .xlsx but is not a workbook."
    if data.startswith(b"PK\x03\x04"):
        return "This is a zip or office file, not a spreadsheet. Upload a .csv or .xlsx file."
    for signature, message in SIGNATURES:
        if data.startswith(signature):
            return message
    if b"\x00" in data[:65536]:
        return "This is not a text file. Export your sheet as \u201cCSV UTF-8\u201d or .xlsx and upload that."
    return None


def read_sheet_or_empty(data: bytes) -> Sheet:
    """The file's rows as the engine reads them (same reader, same line numbers), for drawing the preview."""
    try:
        return read_catalog_sheet(data)
    except CatalogError:
        return Sheet((), ())


def _clip(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= CELL_CHARS else value[: CELL_CHARS - 1] + "\u2026"


class CatalogImportState(PageState, rx.State):
    """The import dialog and the export / template downloads."""

    page_key: ClassVar[str] = "catalog"

    open: bool = False
    kind: str = "products"
    step: str = "upload"  # upload · checking · review · importing
    file_name: str = ""
    file_size: str = ""
    upload_error: str = ""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    problems: list[Problem] = []
    more_problems: int = 0
    header: list[HeaderCell] = []
    preview: list[PreviewRow] = []
    preview_note: str = ""
    good_rows: int = 0  # rows without a problem: what "Import the N good rows, skip M" would write
    bad_rows: int = 0

    _source: bytes = b""
    _skipped_csv: str = ""

    @rx.var
    def step_number(self) -> int:
        """0 choosing a file, 1 checking or reviewing it, 2 importing: the stepper's position."""
        return {"upload": 0, "checking": 1, "review": 1, "importing": 2}.get(self.step, 0)

    @rx.var
    def columns_hint(self) -> str:
        return ", ".join(COLUMNS.get(self.kind, PRODUCT_COLUMNS))

    @rx.var
    def key_column(self) -> str:
        return "sku" if self.kind == "products" else "code"

    @rx.var
    def can_import(self) -> bool:
        return self.step == "review" and self.error_count == 0 and (self.created + self.updated) > 0

    @rx.var
    def can_skip(self) -> bool:
        """Some rows have problems, the others are fine, and the columns themselves are right."""
        return self.step == "review" and self.bad_rows > 0 and self.good_rows > 0

    # -- lifecycle ------------------------------------------------------------------------------------------

    def on_allowed(self, who: SignedIn) -> Any:
        self._reset()
        return None

    def on_refused(self) -> None:
        self._reset()

    def _reset(self, *, keep_open: bool = False) -> None:
        self.open = keep_open and self.open
        self.step = "upload"
        self.file_name = self.file_size = self.upload_error = ""
        self._clear_report()
        self._source = b""

    def _clear_report(self) -> None:
        self.rows = self.created = self.updated = self.unchanged = self.error_count = 0
        self.good_rows = self.bad_rows = 0
        self._skipped_csv = ""
        self.problems, self.more_problems = [], 0
        self.header, self.preview, self.preview_note = [], [], ""

    @rx.event
    async def open_import(self, kind: str):
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        self._reset()
        self.kind = kind if kind in KINDS else "products"
        self.open = True
        return None

    @rx.event
    def set_open(self, is_open: bool):
        """Closing drops the file. An import in progress finishes on its own; only its toast is missed."""
        if not is_open and self.step != "importing":
            self._reset()

    @rx.event
    async def set_kind(self, kind: str | list[str]):
        """Products or services: chosen before the file, and again after (the preview is run again)."""
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        kind = kind if isinstance(kind, str) else (kind[0] if kind else "")
        if kind in KINDS and self.step in ("upload", "review"):
            self.kind = kind
            if self._source:
                return CatalogImportState.recheck
        return None

    @rx.event
    async def start_over(self):
        """Back to choosing a file."""
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        if self.step != "importing":
            self._reset(keep_open=True)
        return None

    # -- upload and dry run ---------------------------------------------------------------------------------

    @rx.event
    async def handle_upload(self, files: list[rx.UploadFile]):
        """Check the uploaded file on the server, then preview the import without writing anything."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            yield refusal
            return
        self._clear_report()
        self._source = b""
        self.upload_error = ""
        if not files:
            self.upload_error = "Choose a CSV or Excel file to import."
            return
        if len(files) > 1:
            self.upload_error = "Choose one file at a time."
            return
        upload = files[0]
        name = upload_name(upload, "catalog.csv", 120)
        data = await upload.read(MAX_IMPORT_BYTES + 1)
        self.file_name = name
        self.file_size = size_label(len(data))
        problem = check_file(name, data)
        if problem is not None:
            self.step = "upload"
            self.upload_error = problem
            return
        self._source = data
        self.step = "checking"
        yield
        self._dry_run(who)

    @rx.event
    async def recheck(self):
        """Run the preview again (after switching between products and services)."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        if self._source and self.step in ("upload", "review"):
            self._dry_run(who)
        return None

    def _dry_run(self, who: SignedIn) -> None:
        importer = catalog.import_products_csv if self.kind == "products" else catalog.import_services_csv
        with session_scope() as db:
            report = importer(db, who.tenant_id, self._source, dry_run=True, skip_invalid=True, **actor(who))
        self._show_report(report)
        self.step = "review"

    def _show_report(self, report: ImportReport) -> None:
        self._clear_report()
        self.rows = report.rows
        self.created, self.updated, self.unchanged = report.created, report.updated, report.unchanged
        self.error_count = len(report.errors)
        sheet = read_sheet_or_empty(self._source)
        raw_header = list(sheet.header)
        names = [normalize_column(h) for h in raw_header]
        file_wide = any(e.row == 0 for e in report.errors)
        self.bad_rows = 0 if file_wide else len({e.row for e in report.errors})
        self.good_rows = 0 if file_wide else max(0, report.rows - self.bad_rows)
        labels = dict(zip(names, raw_header, strict=True))
        self._skipped_csv = skipped_rows_csv(sheet, report.errors, labels) if self.bad_rows else ""

        by_row: dict[int, dict[str, str]] = {}
        bad_columns: set[str] = set()
        problems: list[Problem] = []
        for error in report.errors:
            column = error.field
            if error.row <= 0:
                bad_columns.add(column)
                where = "File" if column == "file" else "Column"
            else:
                by_row.setdefault(error.row, {}).setdefault(column, error.error)
                where = f"Line {error.row}"
            problems.append(Problem(where=where, column=column, message=sentence(error.error)))
        self.problems = problems[:PROBLEMS_SHOWN]
        self.more_problems = max(0, len(problems) - PROBLEMS_SHOWN)
        self.header = [
            HeaderCell(name=h.strip() or "(blank)", bad=(h.strip() or "(blank)") in bad_columns)
            for h in raw_header
        ]

        numbered = [(row.line, list(row.cells)) for row in sheet.rows]
        if by_row:
            shown = [(n, c) for n, c in numbered if n in by_row][:PREVIEW_BAD_ROWS]
            bad_rows = len(by_row)
            self.preview_note = (
                f"{bad_rows} of {report.rows} rows need fixing"
                + (f" (first {PREVIEW_BAD_ROWS} shown)" if bad_rows > PREVIEW_BAD_ROWS else "")
                + ". Hover a red cell to see why; rows are numbered as the file's lines."
            )
        else:
            shown = numbered[:PREVIEW_CLEAN_ROWS]
            if report.errors:
                self.preview_note = "Fix the problems above; the first rows of the file are shown below."
            elif report.rows > len(shown):
                self.preview_note = f"The first {len(shown)} of {report.rows} rows."
            else:
                self.preview_note = f"All {report.rows} rows." if report.rows != 1 else "The one row."
        rows: list[PreviewRow] = []
        for number, cells in shown:
            faults = by_row.get(number, {})
            whole_row = faults.get("row", "")
            padded = cells + [""] * (len(names) - len(cells))
            row_cells = [
                PreviewCell(
                    text=_clip(value),
                    bad=bool(whole_row) or name in faults,
                    message=sentence(faults.get(name, whole_row)) if (whole_row or name in faults) else "",
                )
                for name, value in zip(names, padded[: len(names)], strict=True)
            ]
            rows.append(PreviewRow(number=number, bad=bool(faults), cells=row_cells))
        self.preview = rows

    # -- import ---------------------------------------------------------------------------------------------

    @rx.event
    async def download_skipped(self):
        """The rows with problems, cells as they were plus the reason, to fix and import again."""
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        if not self._skipped_csv:
            return None
        stem = self.file_name.rsplit(".", 1)[0] or self.kind
        return rx.download(data=self._skipped_csv, filename=f"{stem}-skipped-rows.csv", mime_type="text/csv")

    @rx.event
    async def confirm_import(self, skip_bad: bool = False):
        """Import for real; the file was checked moments ago, and the engine checks it again. All rows, or
        with `skip_bad` the good ones only."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            yield refusal
            return
        if self.step != "review" or not self._source:
            return
        if self.error_count and not (skip_bad and self.can_skip):
            return
        skipped = self.bad_rows if skip_bad else 0
        self.step = "importing"
        yield
        kind, source, name = self.kind, self._source, self.file_name
        importer = catalog.import_products_csv if kind == "products" else catalog.import_services_csv

        def run() -> ImportReport:
            with session_scope() as db:
                return importer(
                    db, who.tenant_id, source, dry_run=False, skip_invalid=bool(skipped), **actor(who)
                )

        try:
            report = await asyncio.to_thread(run)
        except CatalogError as exc:
            self.step = "review"
            yield rx.toast.error(sentence(str(exc)))
            return
        if report.errors and not (skipped and report.applied):
            # The catalogue changed since the preview (another tab, the API): show the new problems.
            self._show_report(report)
            self.step = "review"
            yield rx.toast.error(
                "The catalog changed since the preview: nothing was imported. See the rows below."
            )
            return
        self._reset()
        page = await self.get_state(CatalogState)
        page.refresh(who, kind)
        page.tab = kind
        parts = [f"{report.created} new", f"{report.updated} updated"]
        if report.unchanged:
            parts.append(f"{report.unchanged} unchanged")
        if skipped:
            parts.append(f"{len({e.row for e in report.errors})} skipped")
        yield rx.toast.success(f"Imported {name}: {', '.join(parts)}.")

    # -- export and template --------------------------------------------------------------------------------

    @rx.event
    async def export_csv(self, kind: str):
        """Every product (or service), every column: editing it and importing it back is a bulk edit."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        if kind not in KINDS:
            return None
        with session_scope() as db:
            text = (
                catalog.export_products_csv(db, who.tenant_id)
                if kind == "products"
                else catalog.export_services_csv(db, who.tenant_id)
            )
        filename = f"{who.tenant_slug}-{kind}-{date.today().isoformat()}.csv"
        return rx.download(data=text, filename=filename, mime_type="text/csv")

    @rx.event
    async def download_template(self, kind: str):
        """An empty file with the header row, to fill in a spreadsheet app."""
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        if kind not in KINDS:
            return None
        return rx.download(
            data=catalog.csv_template(kind), filename=f"{kind}-template.csv", mime_type="text/csv"
        )
