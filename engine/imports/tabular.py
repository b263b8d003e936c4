"""CSV and Excel (.xlsx) files as a header and numbered rows of text cells.

Rows carry the file's own line number: for CSV the line a record starts on (a quoted cell may span lines, so
this is not the record's position), for Excel the sheet's row number. Blank rows are dropped but never
renumber the others, so a problem reported "on line 12" is on line 12 of what the owner opens.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from engine.security.spreadsheet import restore_cell

XLSX_MAGIC = b"PK\x03\x04"
DELIMITERS = (",", ";", "\t")


class TableError(ValueError):
    """The file cannot be read as a table at all (not text, a broken workbook, no header)."""


@dataclass(frozen=True)
class SheetRow:
    """One non-blank data row: the file's line number and its cells as text."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    """The header cells as written, and the data rows under it."""

    header: tuple[str, ...]
    rows: tuple[SheetRow, ...]
    header_line: int = 1


def is_xlsx(data: bytes, filename: str | None = None) -> bool:
    """An Excel workbook: named .xlsx, or a zip holding xl/workbook.xml (a renamed file still opens)."""
    if (filename or "").lower().endswith((".xlsx", ".xlsm")):
        return True
    if not data.startswith(XLSX_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without the BOM spreadsheets add), else Windows-1252, which Excel on Windows saves."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_sheet(data: bytes, filename: str | None = None) -> Sheet:
    """The first sheet of an .xlsx workbook, or a CSV/TSV file (delimiter taken from the header line)."""
    if is_xlsx(data, filename):
        return read_xlsx(data)
    return read_csv(decode_text(data))


def read_csv(text: str) -> Sheet:
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count)  # content cells are full of commas: the header decides
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: tuple[str, ...] | None = None
    header_line = 1
    rows: list[SheetRow] = []
    previous_end = 0
    for cells in reader:
        start, previous_end = previous_end + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header, header_line = tuple(c.strip() for c in cells), start
            continue
        rows.append(SheetRow(start, tuple(restore_cell(c) for c in cells)))  # our exports quote formulas
    if header is None:
        raise TableError("is empty")
    return Sheet(header, tuple(rows), header_line)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal | float):
        return format(value, "f").rstrip("0").rstrip(".") if "." in format(value, "f") else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def read_xlsx(data: bytes) -> Sheet:
    """The workbook's first sheet, values as shown (formulas read as their last computed result)."""
    from openpyxl import load_workbook  # imported here: only Excel uploads need it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a broken file
        raise TableError("could not be opened as an Excel workbook: save it again, or as CSV") from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise TableError("has no sheets")
        header: tuple[str, ...] | None = None
        header_line = 1
        rows: list[SheetRow] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = tuple(_text(v) for v in values)
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header, header_line = tuple(c.strip() for c in cells), number
                continue
            rows.append(SheetRow(number, cells))
    finally:
        workbook.close()
    if header is None:
        raise TableError("is empty")
    # Excel pads every row to the sheet's widest: drop trailing blank header cells and the cells under them.
    width = len(header)
    while width and not header[width - 1]:
        width -= 1
    trimmed = tuple(
        SheetRow(r.line, r.cells[:width] + tuple(c for c in r.cells[width:] if c.strip())) for r in rows
    )
    return Sheet(header[:width], trimmed, header_line)
