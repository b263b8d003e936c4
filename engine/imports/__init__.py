"""Reading spreadsheets people actually have: CSV or Excel, loose column names, some bad rows.

`tabular` reads a file into rows numbered as the file's own lines (so "line 7" is where the owner looks);
`columns` maps the header onto an importer's fields through synonyms and suggests the closest field for an
unknown column; `report` writes the rows an import skipped, with the reason for each, as a CSV to download.
The knowledge and catalog importers both use them, so both count lines and word problems the same way.
"""

from engine.imports.columns import ColumnMatch, UnknownColumn, match_columns, normalize_column
from engine.imports.report import problems_by_line, skipped_rows_csv
from engine.imports.tabular import Sheet, SheetRow, TableError, is_xlsx, read_sheet

__all__ = [
    "ColumnMatch",
    "Sheet",
    "SheetRow",
    "TableError",
    "UnknownColumn",
    "is_xlsx",
    "match_columns",
    "normalize_column",
    "problems_by_line",
    "read_sheet",
    "skipped_rows_csv",
]
