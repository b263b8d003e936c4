"""State of the Knowledge import wizard: upload → preview (bad rows and fields marked) → confirm → progress.

Three sources: a CSV, Excel or JSON file of entries (`importing.import_entries`, checked with `dry_run=True`
first: nothing is written until the owner confirms; then all of it, or with "Import the N good rows, skip M"
the good rows, the skipped ones downloadable with the reason per row, numbered as the file's lines), a
document split into entries by its headings (`documents.import_document`), or a web page fetched once by the
server.

Uploads are checked here, on the server: size, and that the bytes are what the name says (a PDF starts with
%PDF-, a CSV is text, an .xlsx is a workbook). The accepted file is kept
compressed in a backend-only var between preview and confirm (it never reaches the browser, nor Reflex's
public upload folder), and dropped when the wizard closes. Checking and importing run in background events
with progress; every handler that reads or writes re-checks the session and `agent:manage`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
import zlib
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

import reflex as rx

from console.state.formatting import size_label, upload_name
from console.state.guard import ALLOWED, PageState
from console.state.knowledge import KnowledgeState
from console.state.knowledge_rows import FIELD_LABELS, TYPE_LABELS, count_label, snippet
from console.state.session import sentence
from engine.accounts.sessions import SignedIn
from engine.db import session_scope
from engine.imports import TableError, is_xlsx, read_sheet, skipped_rows_csv
from engine.knowledge import documents, importing
from engine.knowledge.records import FIELDS
from engine.knowledge.types import ImportReport, KnowledgeError, RowError

log = logging.getLogger(__name__)

T = TypeVar("T")

TABLE_UPLOAD_ID = "knowledge-table-upload"
DOCUMENT_UPLOAD_ID = "knowledge-document-upload"
TABLE_ACCEPT: dict[str, list[str]] = {
    "text/csv": [".csv", ".tsv"],
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
    "application/json": [".json"],
    "text/plain": [".txt"],
}
DOCUMENT_ACCEPT: dict[str, list[str]] = {
    "application/pdf": [".pdf"],
    "text/markdown": [".md", ".markdown"],
    "text/html": [".html", ".htm"],
    "text/plain": [".txt"],
}
TABLE_EXTENSIONS = (".csv", ".tsv", ".json", ".txt", ".xlsx")
DOCUMENT_EXTENSIONS = (".pdf", ".md", ".markdown", ".html", ".htm", ".txt")
KIND_LABELS = {"pdf": "PDF", "markdown": "Markdown", "html": "Web page", "text": "Text"}
PREVIEW_ROWS = 20  # clean rows shown before confirming
PROBLEM_ROWS = 50  # rows with problems shown (the grouped list below the table covers every error)
SECTION_ROWS = 30
TICK_SECONDS = 0.5

# A file to try the format on, shown behind "Download a template".
TEMPLATE_CSV = (
    "title,content,entry_type,category,keywords,priority,is_active\n"
    '"Opening hours","We are open Monday to Saturday, 9:00 to 18:00, and Sunday 11:00 to 17:00.",'
    'info,store,"hours; open; closing time",5,true\n'
    '"Can I return a gift?","Yes: gifts can be returned within 30 days with the gift receipt, for store '
    'credit.",policy,returns,"gift; return; receipt",0,true\n'
)


def _text_like(data: bytes) -> bool:
    head = data[:8192]
    return b"\x00" not in head and not head.startswith((b"PK\x03\x04", b"%PDF-", b"\xd0\xcf\x11\xe0"))


def check_table_file(name: str, data: bytes) -> tuple[str, str | None]:
    """(format, problem) for an uploaded CSV/JSON file: the bytes must be text of that kind."""
    lowered = name.lower()
    if len(data) > importing.MAX_IMPORT_BYTES:
        return (
            "",
            f"This file is {size_label(len(data))}; the limit is {size_label(importing.MAX_IMPORT_BYTES)}.",
        )
    if not data.strip():
        return "", "This file is empty."
    if data.startswith(b"%PDF-"):
        return "", "This is a PDF. Choose “Document” to split it into entries."
    if is_xlsx(data, name):
        if not data.startswith(b"PK\x03\x04"):
            return "", "This file is named .xlsx but is not an Excel workbook."
        return "xlsx", None
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or lowered.endswith((".xls", ".numbers")):
        return "", "Save this spreadsheet as .xlsx or CSV (UTF-8) and upload that."
    if not lowered.endswith(TABLE_EXTENSIONS) or not _text_like(data):
        return "", "Upload a CSV, Excel or JSON file (.csv, .xlsx, .json)."
    fmt = importing.detect_format(name, None, data)
    if fmt == "json" and data.lstrip()[:1] not in (b"[", b"{"):
        return "", "This .json file does not hold JSON. Check it, or save your entries as CSV."
    return fmt, None


def check_document_file(name: str, data: bytes) -> tuple[str, str | None]:
    """(kind, problem) for an uploaded document: PDF, Markdown, HTML or plain text, checked by content."""
    lowered = name.lower()
    if len(data) > documents.MAX_DOCUMENT_BYTES:
        limit = size_label(documents.MAX_DOCUMENT_BYTES)
        return "", f"This document is {size_label(len(data))}; the limit is {limit}."
    if not data.strip():
        return "", "This file is empty."
    if not lowered.endswith(DOCUMENT_EXTENSIONS):
        return "", "Upload a PDF, Markdown (.md), web page (.html) or text (.txt) file."
    kind = documents.detect_kind(name, None, data)
    if lowered.endswith(".pdf") and not data.startswith(b"%PDF-"):
        return "", "This file is named .pdf but is not a PDF."
    if kind != "pdf" and not _text_like(data):
        return "", "This file is not text. Upload a PDF, Markdown, HTML or text file."
    return kind, None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return snippet(str(value), 90)


@dataclasses.dataclass
class PreviewCell:
    value: str = ""
    error: str = ""


@dataclasses.dataclass
class PreviewRow:
    """One row of the file as the preview table draws it: its number in the file, a cell per field."""

    number: int = 0
    cells: list[PreviewCell] = dataclasses.field(default_factory=list)
    problem: str = ""
    has_error: bool = False


@dataclasses.dataclass
class ErrorGroup:
    """One kind of problem and the rows that have it: "Type must be one of … — rows 3, 7, 12"."""

    field: str = ""
    message: str = ""
    rows: str = ""
    count: int = 0


@dataclasses.dataclass
class SectionRow:
    position: int = 0
    title: str = ""
    excerpt: str = ""
    size: str = ""


def preview_rows(raw: list[dict[str, Any]], errors: list[RowError]) -> list[PreviewRow]:
    """Rows with problems (the first PROBLEM_ROWS), each bad cell carrying its message. `number` is the
    file's line (CSV, Excel) or the entry's position (JSON), as the engine reports it."""
    by_line = {int(r.get(importing.LINE_KEY, i)): r for i, r in enumerate(raw, start=1)}
    by_row: dict[int, dict[str, str]] = {}
    for error in errors:
        if error.row > 0:
            by_row.setdefault(error.row, {}).setdefault(error.field, error.error)
    rows: list[PreviewRow] = []
    for number in sorted(by_row)[:PROBLEM_ROWS]:
        problems = by_row[number]
        record = by_line.get(number, {})
        cells = [
            PreviewCell(
                value=_cell(record.get(name)), error=sentence(problems[name]) if name in problems else ""
            )
            for name in FIELDS
        ]
        other = [
            f"{name}: {message}" if name != "row" else f"This row {message}"
            for name, message in problems.items()
            if name not in FIELDS
        ]
        rows.append(
            PreviewRow(
                number=number,
                cells=cells,
                problem=sentence("; ".join(other)) if other else "",
                has_error=True,
            )
        )
    return rows


def clean_rows(report: ImportReport) -> list[PreviewRow]:
    """The first rows as they will be saved (types defaulted, categories tidied, keywords split)."""
    rows: list[PreviewRow] = []
    for number, item in enumerate(report.preview[:PREVIEW_ROWS], start=1):
        values = {
            "title": item.title,
            "content": item.content,
            "entry_type": TYPE_LABELS.get(item.entry_type, item.entry_type),
            "category": item.category or "",
            "keywords": item.keywords,
            "priority": item.priority,
            "is_active": item.is_active,
        }
        rows.append(PreviewRow(number=number, cells=[PreviewCell(value=_cell(values[n])) for n in FIELDS]))
    return rows


def error_groups(errors: list[RowError]) -> tuple[list[str], list[ErrorGroup]]:
    """File-level problems (row 0) as sentences, and row problems grouped by field and message."""
    file_problems: list[str] = []
    groups: dict[tuple[str, str], list[int]] = {}
    for error in errors:
        if error.row == 0:
            if error.field in ("file", "mode"):
                file_problems.append(sentence(f"The {error.field} {error.error}"))
            else:
                file_problems.append(sentence(f"Column “{error.field}”: {error.error}"))
            continue
        groups.setdefault((error.field, error.error), []).append(error.row)
    out: list[ErrorGroup] = []
    for (field, message), numbers in groups.items():
        shown = ", ".join(str(n) for n in numbers[:12])
        more = f" and {len(numbers) - 12:,} more" if len(numbers) > 12 else ""
        label = FIELD_LABELS.get(field, field)
        out.append(
            ErrorGroup(
                field=label,
                message=sentence(f"{label} {message}" if field != "row" else f"The row {message}"),
                rows=("Line " if len(numbers) == 1 else "Lines ") + shown + more,
                count=len(numbers),
            )
        )
    out.sort(key=lambda g: -g.count)
    return file_problems, out


def check_table(
    tenant_id: int, data: bytes, name: str, fmt: str
) -> tuple[ImportReport, list[dict[str, Any]]]:
    """The dry run: the engine's full validation of every row (the good ones previewed even when some are
    bad), and the raw rows to draw the bad ones."""
    with session_scope() as db:
        report = importing.import_entries(
            db, tenant_id, data, filename=name, fmt=fmt, dry_run=True, skip_invalid=True
        )
    raw, _ = importing.parse_rows(data, fmt) if report.errors else ([], [])
    return report, raw


def skipped_file(data: bytes, fmt: str, report: ImportReport) -> str:
    """The rows with problems as a CSV (the file's columns, its line, the reason), or "" for JSON files."""
    if fmt not in ("csv", "xlsx") or not any(e.row > 0 for e in report.errors):
        return ""
    try:
        return skipped_rows_csv(read_sheet(data), report.errors, FIELD_LABELS)
    except TableError:
        return ""


def write_table(
    tenant_id: int, user_id: int, data: bytes, name: str, fmt: str, mode: str, skip_invalid: bool = False
) -> ImportReport:
    with session_scope() as db:
        return importing.import_entries(
            db,
            tenant_id,
            data,
            filename=name,
            fmt=fmt,
            mode=mode,
            dry_run=False,
            user_id=user_id,
            skip_invalid=skip_invalid,
        )


def split_document(data: bytes, kind: str, name: str) -> list[documents.Section]:
    return documents.extract_sections(data, kind, name)


def write_document(
    tenant_id: int,
    user_id: int,
    *,
    data: bytes | None,
    name: str | None,
    url: str | None,
    category: str | None,
) -> documents.DocumentImportResult:
    with session_scope() as db:
        if url is not None:
            return documents.import_document(db, tenant_id, url=url, category=category, user_id=user_id)
        return documents.import_document(
            db, tenant_id, data=data, filename=name, category=category, user_id=user_id
        )


def document_summary(result: documents.DocumentImportResult) -> str:
    parts = []
    if result.created:
        parts.append(f"{result.created:,} added")
    if result.updated:
        parts.append(f"{result.updated:,} updated")
    if result.unchanged:
        parts.append(f"{result.unchanged:,} unchanged")
    if result.removed:
        parts.append(f"{result.removed:,} removed")
    return ", ".join(parts) or "nothing to change"


class KnowledgeImportState(PageState, rx.State):
    """The import wizard: its step, the uploaded file's check, the preview, and the progress."""

    page_key: ClassVar[str] = "knowledge"

    _staged: bytes = b""
    _staged_name: str = ""
    _staged_format: str = ""  # csv | json for tables; pdf | markdown | html | text for documents

    open: bool = False
    step: str = "source"  # source → checking → preview → importing
    source: str = "table"  # table | document | url
    mode: str = "append"  # append | replace (tables)
    category: str = ""  # documents and pages: optional category for every section
    url: str = ""

    upload_pct: int = 0
    uploading: bool = False
    file_error: str = ""
    url_error: str = ""
    file_name: str = ""
    file_size: str = ""
    file_format: str = ""

    rows_total: int = 0
    error_count: int = 0
    bad_rows: int = 0
    good_rows: int = 0  # what "Import the N good rows, skip M" writes
    skip_bad: bool = False
    _skipped_csv: str = ""
    file_problems: list[str] = []
    groups: list[ErrorGroup] = []
    rows: list[PreviewRow] = []
    sections: list[SectionRow] = []
    section_total: int = 0

    progress_label: str = ""
    progress_detail: str = ""
    elapsed: int = 0

    @rx.var
    def columns(self) -> list[str]:
        return [FIELD_LABELS.get(name, name) for name in FIELDS]

    @rx.var
    def has_problems(self) -> bool:
        return self.error_count > 0 or bool(self.file_problems)

    @rx.var
    def can_skip(self) -> bool:
        """Some rows have problems, others are fine, and nothing is wrong with the file as a whole."""
        return self.step == "preview" and self.bad_rows > 0 and self.good_rows > 0 and not self.file_problems

    @rx.var
    def step_index(self) -> int:
        return {"source": 1, "checking": 1, "preview": 2, "importing": 3}.get(self.step, 1)

    @rx.var
    def confirm_label(self) -> str:
        if self.error_count or self.file_problems:
            return "Fix the file to import"
        if self.source == "document":
            return f"Import {count_label(self.section_total, 'section')}"
        return f"Import {count_label(self.rows_total, 'entry', 'entries')}"

    # --- lifecycle ----------------------------------------------------------------------------------------

    def on_allowed(self, who: SignedIn) -> Any:
        self._reset()
        return None

    def on_refused(self) -> None:
        self._reset()

    def _reset(self, *, keep_open: bool = False, source: str | None = None) -> None:
        self._staged = b""
        self._staged_name = self._staged_format = ""
        self.open = keep_open
        self.step = "source"
        self.source = source or self.source
        self.mode = "append"
        self.category = self.url = ""
        self.upload_pct = 0
        self.uploading = False
        self.file_error = self.url_error = ""
        self.file_name = self.file_size = self.file_format = ""
        self._clear_preview()
        self.progress_label = self.progress_detail = ""
        self.elapsed = 0

    def _clear_preview(self) -> None:
        self.rows_total = self.error_count = self.bad_rows = self.section_total = self.good_rows = 0
        self.skip_bad = False
        self._skipped_csv = ""
        self.file_problems = []
        self.groups = []
        self.rows = []
        self.sections = []

    def _ui_allowed(self) -> bool:
        """Handlers that only move the wizard along (no data read or written): the page check suffices."""
        return self.access == ALLOWED and self.open

    @rx.event
    async def open_wizard(self, source: str = "table"):
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        self._reset(keep_open=True, source=source if source in ("table", "document", "url") else "table")
        return None

    @rx.event
    def set_open(self, is_open: bool):
        """Closing (Esc, Cancel, the overlay) drops the staged file; not while an import is being written."""
        if is_open or self.step in ("checking", "importing"):
            return None
        self._reset()
        return None

    @rx.event
    def set_source(self, source: str | list[str]):
        source = source[0] if isinstance(source, list) and source else str(source)
        if self._ui_allowed() and self.step == "source" and source in ("table", "document", "url"):
            self.source = source
            self.file_error = self.url_error = ""

    @rx.event
    def set_mode(self, mode: str):
        if self._ui_allowed() and mode in ("append", "replace"):
            self.mode = mode

    @rx.event
    def set_category(self, value: str):
        if self._ui_allowed():
            self.category = value[:80]

    @rx.event
    def set_url(self, value: str):
        if self._ui_allowed():
            self.url = value
            self.url_error = ""

    @rx.event
    def start_over(self):
        """Back to choosing a file (after a preview with problems, or to pick another one)."""
        if self._ui_allowed() and self.step == "preview":
            source = self.source
            self._reset(keep_open=True, source=source)

    @rx.event
    def upload_progress(self, progress: dict[str, Any]):
        if self._ui_allowed():
            self.uploading = True
            self.upload_pct = int(round(100 * float(progress.get("progress") or 0)))

    @rx.event
    def drop_rejected(self, rejected: list[dict[str, Any]]):
        """The browser refused the file (type or size) before sending it: say why, next to the drop zone."""
        if self._ui_allowed():
            self.file_error = (
                "Upload a CSV, Excel or JSON file, up to 20 MB."
                if self.source == "table"
                else "Upload a PDF, Markdown, HTML or text file, up to 15 MB."
            )

    @rx.event
    def template(self):
        """A two-row CSV in the import format."""
        return rx.download(data=TEMPLATE_CSV, filename="knowledge-template.csv", mime_type="text/csv")

    # --- upload and check ---------------------------------------------------------------------------------

    async def _receive(self, files: list[rx.UploadFile], source: str):
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        self.uploading = False
        self.upload_pct = 0
        if not self.open or self.step != "source":
            return None
        if len(files) != 1:
            self.file_error = "Choose one file."
            return None
        upload = files[0]
        name = upload_name(upload, "upload", 200)
        limit = importing.MAX_IMPORT_BYTES if source == "table" else documents.MAX_DOCUMENT_BYTES
        data = upload.file.read(limit + 1)  # never more than the limit plus one byte, whatever was sent
        checker = check_table_file if source == "table" else check_document_file
        fmt, problem = checker(name, data)
        if problem:
            self.file_error = problem
            return None
        self.source = source
        self.file_error = ""
        self._staged = zlib.compress(data, 6)
        self._staged_name = name
        self._staged_format = fmt
        self.file_name = name
        self.file_size = size_label(len(data))
        self.file_format = (
            ("Excel" if fmt == "xlsx" else fmt.upper()) if source == "table" else KIND_LABELS.get(fmt, fmt)
        )
        self.step = "checking"
        self.progress_label = "Checking every row…" if source == "table" else "Reading the document…"
        self.progress_detail = f"{name} · {self.file_size}"
        self.elapsed = 0
        return KnowledgeImportState.check_staged

    @rx.event
    async def receive_table(self, files: list[rx.UploadFile]):
        """A CSV or JSON file dropped on the wizard: checked on the server, then previewed."""
        return await self._receive(files, "table")

    @rx.event
    async def receive_document(self, files: list[rx.UploadFile]):
        """A document dropped on the wizard: checked on the server, then split into sections to preview."""
        return await self._receive(files, "document")

    async def _run_with_ticks(self, work: Callable[[], T]) -> T:
        """Run `work` in a thread; meanwhile tell the page every half second that it is still going."""
        task = asyncio.ensure_future(asyncio.to_thread(work))
        started = time.monotonic()
        while True:
            done, _ = await asyncio.wait({task}, timeout=TICK_SECONDS)
            if done:
                return task.result()
            async with self:
                self.elapsed = int(time.monotonic() - started)

    @rx.event(background=True)
    async def check_staged(self):
        """Validate the staged file without writing anything: the whole table (dry run), or the sections a
        document becomes."""
        async with self:
            who, refusal = await self.authorize_or_refuse()
            if who is None:
                yield refusal
                return
            if self.step != "checking" or not self._staged:
                return
            data = zlib.decompress(self._staged)
            name, fmt, source, tenant_id = self._staged_name, self._staged_format, self.source, who.tenant_id
        try:
            if source == "table":
                report, raw = await self._run_with_ticks(lambda: check_table(tenant_id, data, name, fmt))
            else:
                sections = await self._run_with_ticks(lambda: split_document(data, fmt, name))
        except KnowledgeError as exc:
            async with self:
                self.step = "source"
                self.file_error = sentence(str(exc))
                self._staged = b""
            return
        except Exception:
            log.exception("knowledge import check failed for tenant %s", tenant_id)
            async with self:
                self.step = "source"
                self.file_error = "This file could not be read. Check that it opens, then try again."
                self._staged = b""
            return
        async with self:
            if self.step != "checking":
                return  # closed meanwhile
            self._clear_preview()
            if source == "table":
                self.rows_total = report.rows
                self.error_count = len(report.errors)
                self.file_problems, self.groups = error_groups(report.errors)
                self.bad_rows = len({e.row for e in report.errors if e.row > 0})
                self.good_rows = 0 if self.file_problems else max(0, report.rows - self.bad_rows)
                self.rows = preview_rows(raw, report.errors) if report.errors else clean_rows(report)
                self._skipped_csv = skipped_file(data, fmt, report)
                if report.errors and not (self.good_rows and self.bad_rows):
                    self._staged = b""  # nothing from this file can be imported
            else:
                self.section_total = len(sections)
                self.sections = [
                    SectionRow(
                        position=s.position + 1,
                        title=s.title,
                        excerpt=snippet(s.content, 180),
                        size=f"{len(s.content):,} characters",
                    )
                    for s in sections[:SECTION_ROWS]
                ]
            self.step = "preview"

    # --- confirm and import -------------------------------------------------------------------------------

    @rx.event
    def download_skipped(self):
        """The rows with problems, cells as they were plus the reason, to fix and import again."""
        if not self._ui_allowed() or not self._skipped_csv:
            return None
        stem = self.file_name.rsplit(".", 1)[0] or "knowledge"
        return rx.download(data=self._skipped_csv, filename=f"{stem}-skipped-rows.csv", mime_type="text/csv")

    @rx.event
    def confirm_good_rows(self):
        """Import the rows without problems and skip the others."""
        if self._ui_allowed() and self.can_skip:
            self.skip_bad = True
            return KnowledgeImportState.confirm
        return None

    @rx.event(background=True)
    async def confirm(self):
        """Write the previewed file: all rows at once (or none), or every section of the document."""
        async with self:
            who, refusal = await self.authorize_or_refuse()
            if who is None:
                yield refusal
                return
            skip = self.skip_bad and self.can_skip
            if self.step != "preview" or not self._staged or (self.has_problems and not skip):
                return
            data = zlib.decompress(self._staged)
            name, fmt, source, mode = self._staged_name, self._staged_format, self.source, self.mode
            category = " ".join(self.category.split()).lower() or None  # as the service stores categories
            tenant_id, user_id = who.tenant_id, who.user_id
            self.step = "importing"
            self.elapsed = 0
            if source == "table":
                self.progress_label = f"Importing {count_label(self.rows_total, 'entry', 'entries')}…"
                self.progress_detail = "Saving every row and adding it to search, all at once."
            else:
                self.progress_label = f"Importing {count_label(self.section_total, 'section')}…"
                self.progress_detail = "Saving each section as an entry and adding it to search."
        try:
            if source == "table":
                report = await self._run_with_ticks(
                    lambda: write_table(tenant_id, user_id, data, name, fmt, mode, skip_invalid=skip)
                )
                if report.errors and not (skip and report.created):
                    raise KnowledgeError(report.errors[0].error)  # checked a moment ago: only a race
                message = f"Imported {count_label(report.created, 'entry', 'entries')} from {name}."
                if skip:
                    skipped_rows = len({e.row for e in report.errors if e.row > 0})
                    message += f" Skipped {count_label(skipped_rows, 'row')}."
                detail = (
                    f"{count_label(report.replaced, 'earlier entry', 'earlier entries')} moved to Deleted."
                    if report.replaced
                    else "The agent can use them now."
                )
            else:
                result = await self._run_with_ticks(
                    lambda: write_document(
                        tenant_id, user_id, data=data, name=name, url=None, category=category
                    )
                )
                message = f"Imported {name}: {document_summary(result)}."
                detail = "Each section is an entry; importing the same file again updates them."
        except KnowledgeError as exc:
            async with self:
                self.step = "preview"
                self.file_problems = [sentence(str(exc))]
            yield rx.toast.error("Nothing was imported.")
            return
        except Exception:
            log.exception("knowledge import failed for tenant %s", tenant_id)
            async with self:
                self.step = "preview"
            yield rx.toast.error("The import failed and nothing was saved. Try again in a moment.")
            return
        async with self:
            self._reset()
        yield [rx.toast.success(message, description=detail), KnowledgeState.reload]

    @rx.event(background=True)
    async def import_url(self, form: dict[str, Any] | None = None):
        """Fetch a web page once and split it into entries (the same page again updates them)."""
        async with self:
            who, refusal = await self.authorize_or_refuse()
            if who is None:
                yield refusal
                return
            if self.step != "source":
                return
            url = str((form or {}).get("url") or self.url).strip()
            self.url = url
            if not url.lower().startswith(("http://", "https://")):
                self.url_error = "Enter the full address, starting with https://"
                return
            category = " ".join(self.category.split()).lower() or None  # as the service stores categories
            tenant_id, user_id = who.tenant_id, who.user_id
            self.url_error = ""
            self.step = "importing"
            self.elapsed = 0
            self.progress_label = "Fetching the page…"
            self.progress_detail = url
        try:
            result = await self._run_with_ticks(
                lambda: write_document(tenant_id, user_id, data=None, name=None, url=url, category=category)
            )
        except KnowledgeError as exc:
            async with self:
                self.step = "source"
                self.url_error = sentence(str(exc))
            return
        except Exception:
            log.exception("knowledge URL import failed for tenant %s", tenant_id)
            async with self:
                self.step = "source"
                self.url_error = "The page could not be imported. Check the address and try again."
            return
        async with self:
            self._reset()
        yield [
            rx.toast.success(
                f"Imported the page: {document_summary(result)}.",
                description="Importing the same address again updates these entries.",
            ),
            KnowledgeState.reload,
        ]
