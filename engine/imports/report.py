"""The rows an import skipped, as a CSV the owner can download, fix and import again.

Both importers report problems as (row, field, error) with `row` the file's line number (0: the whole file);
this turns them into one reason per line and writes the skipped lines with their original cells, so the fixed
file imports with the same columns.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Protocol

from engine.imports.tabular import Sheet
from engine.security.spreadsheet import safe_writer


class RowProblem(Protocol):
    """What both importers' RowError look like."""

    row: int
    field: str
    error: str


def problems_by_line(errors: Iterable[RowProblem], labels: Mapping[str, str] | None = None) -> dict[int, str]:
    """One reason per line: "price: must be a number; name: is required" (fields in the order found)."""
    labels = labels or {}
    out: dict[int, list[str]] = {}
    for error in errors:
        if error.row <= 0:
            continue
        where = "this row" if error.field == "row" else labels.get(error.field, error.field)
        out.setdefault(error.row, []).append(f"{where}: {error.error}")
    return {line: "; ".join(parts) for line, parts in sorted(out.items())}


def skipped_rows_csv(
    sheet: Sheet, errors: Iterable[RowProblem], labels: Mapping[str, str] | None = None
) -> str:
    """The file's header plus "line" and "problem", and every line that had a problem, cells as they were."""
    reasons = problems_by_line(errors, labels)
    out = io.StringIO(newline="")
    writer = safe_writer(out, lineterminator="\n")  # the uploaded cells go back out: no formulas
    writer.writerow(["line", *sheet.header, "problem"])
    width = len(sheet.header)
    for row in sheet.rows:
        if row.line in reasons:
            cells = list(row.cells[:width]) + [""] * (width - len(row.cells))
            writer.writerow([row.line, *cells, reasons[row.line]])
    return out.getvalue()
