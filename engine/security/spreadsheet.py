"""CSV cells that a spreadsheet will not run: formula prefixes neutralised on the way out (CSV injection).

Excel, LibreOffice and Google Sheets treat a cell starting with `=`, `+`, `-` or `@` as a formula (and a
leading tab or carriage return can hide one), so an export carrying a product description or a knowledge
title typed as `=HYPERLINK(...)` would run it on the shop owner's machine. OWASP's remedy: prefix such cells
with a single quote, which every spreadsheet shows as text. `restore_cell` undoes it, for importers reading
back a file we exported.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, with a quote in front when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def restore_cell(value: str) -> str:
    """The text before `safe_cell`: the quote is dropped only where safe_cell would have added it."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


class SafeWriter:
    """csv.writer with every cell passed through `safe_cell`."""

    def __init__(self, stream: Any, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """csv.DictWriter with every value passed through `safe_cell` (the header is ours, left as it is)."""

    def writerow(self, rowdict: Any) -> Any:
        return super().writerow({k: safe_cell(v) for k, v in rowdict.items()})


def safe_writer(stream: Any, **options: Any) -> SafeWriter:
    return SafeWriter(stream, **options)


__all__ = ["FORMULA_PREFIXES", "SafeDictWriter", "restore_cell", "safe_cell", "safe_writer"]
