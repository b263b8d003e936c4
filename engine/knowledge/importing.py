"""CSV, Excel (.xlsx) and JSON import/export of knowledge entries.

Every row is validated first and the report lists every (row, field, error), `row` being the file's line
number (the header is line 1; for JSON, the entry's position). By default a file with any error writes
nothing; with `skip_invalid` the good rows are written and the bad ones skipped (the console offers that as
"Import the N good rows, skip M", with the skipped rows to download). Writing is one batch (one flush, batched
embeddings, one index write). Column names are forgiving ("question"/"answer", "type", "tags"...; see
`SYNONYMS`), and an unknown column gets a "did you mean" suggestion. Export writes the same fields in the same
format, so an exported file imports back to the same entries.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session

from engine.accounts import audit
from engine.db import TenantScope
from engine.imports import TableError, is_xlsx, match_columns, read_sheet
from engine.knowledge import index as kindex
from engine.knowledge.records import FIELDS, validate_fields
from engine.knowledge.service import create_entries
from engine.knowledge.types import MAX_IMPORT_ROWS, EntryData, EntryDTO, ImportReport, RowError
from engine.models import KnowledgeEntry, utcnow
from engine.security.spreadsheet import SafeDictWriter

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_REPORTED_ERRORS = 1_000
PREVIEW_ROWS = 20
FORMATS = ("csv", "json", "xlsx")
LINE_KEY = "__line__"  # each parsed row's line in the file, for reports that point where the owner looks

# Column names people use for the import fields (normalised: lower case, words joined by "_").
SYNONYMS: dict[str, str] = {
    "question": "title",
    "name": "title",
    "heading": "title",
    "subject": "title",
    "answer": "content",
    "body": "content",
    "text": "content",
    "response": "content",
    "description": "content",
    "type": "entry_type",
    "kind": "entry_type",
    "entrytype": "entry_type",
    "section": "category",
    "group": "category",
    "topic": "category",
    "tags": "keywords",
    "tag": "keywords",
    "keyword": "keywords",
    "search_terms": "keywords",
    "weight": "priority",
    "importance": "priority",
    "active": "is_active",
    "enabled": "is_active",
    "published": "is_active",
    "live": "is_active",
}


def detect_format(filename: str | None, content_type: str | None = None, data: bytes = b"") -> str:
    """csv, json or xlsx, from the file name, then the content type, then the first bytes."""
    name = (filename or "").lower()
    if is_xlsx(data, filename):
        return "xlsx"
    if name.endswith(".json"):
        return "json"
    if name.endswith((".csv", ".tsv", ".txt")):
        return "csv"
    if content_type and "json" in content_type:
        return "json"
    if content_type and "csv" in content_type:
        return "csv"
    return "json" if data.lstrip()[:1] in (b"[", b"{") else "csv"


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # spreadsheets on Windows save in cp1252


def parse_rows(data: bytes, fmt: str) -> tuple[list[dict[str, Any]], list[RowError]]:
    """Raw rows of a CSV or JSON file, or file-level errors (row 0) when the file cannot be read at all."""
    if len(data) > MAX_IMPORT_BYTES:
        return [], [RowError(0, "file", f"is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB")]
    text = _decode(data)
    if not text.strip():
        return [], [RowError(0, "file", "is empty")]
    if fmt == "json":
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            return [], [RowError(0, "file", f"is not valid JSON: {exc.msg} (line {exc.lineno})")]
        if isinstance(payload, Mapping) and isinstance(payload.get("entries"), list):
            payload = payload["entries"]
        if not isinstance(payload, list):
            return [], [RowError(0, "file", 'must be a JSON list of entries (or {"entries": [...]})')]
        rows: list[dict[str, Any]] = []
        errors: list[RowError] = []
        for i, item in enumerate(payload, start=1):
            if isinstance(item, Mapping):
                rows.append(dict(item))
            else:
                errors.append(RowError(i, "row", "must be an object"))
                rows.append({"__not_an_object__": True})
        return rows, errors
    if fmt not in ("csv", "xlsx"):
        return [], [RowError(0, "file", f"format must be one of {', '.join(FORMATS)}")]
    return _parse_table(data)


def _parse_table(data: bytes) -> tuple[list[dict[str, Any]], list[RowError]]:
    """CSV or Excel rows keyed by field, each with its line number; column problems as row 0."""
    try:
        sheet = read_sheet(data)
    except TableError as exc:
        return [], [RowError(0, "file", str(exc))]
    columns = match_columns(sheet.header, FIELDS, SYNONYMS)
    errors = [RowError(0, c.name, c.message(FIELDS)) for c in columns.unknown]
    errors += [RowError(0, name, "column appears more than once") for name in columns.duplicates]
    for required in ("title", "content"):
        if required not in columns.present:
            errors.append(RowError(0, required, "column is missing"))
    if errors:
        return [], errors
    rows: list[dict[str, Any]] = []
    width = len(columns.fields)
    for source in sheet.rows:
        row: dict[str, Any] = {LINE_KEY: source.line}
        for name, value in zip(columns.fields, source.cells, strict=False):
            if name:
                row[name] = value
        if len(source.cells) > width and any(c.strip() for c in source.cells[width:]):
            row["__extra__"] = list(source.cells[width:])
        rows.append(row)
    return rows, []


def validate_rows(rows: Sequence[Mapping[str, Any]]) -> tuple[list[EntryData], list[RowError]]:
    errors: list[RowError] = []
    if len(rows) > MAX_IMPORT_ROWS:
        return [], [RowError(0, "file", f"has {len(rows)} rows; at most {MAX_IMPORT_ROWS} in one import")]
    if not rows:
        return [], [RowError(0, "file", "has no rows")]
    clean: list[EntryData] = []
    for i, raw in enumerate(rows, start=1):
        line = int(raw.get(LINE_KEY, i))
        if "__not_an_object__" in raw:
            continue  # already reported by parse_rows
        if "__extra__" in raw:
            errors.append(RowError(line, "row", "has more cells than the header"))
            continue
        fields = {k: v for k, v in raw.items() if k not in ("id", LINE_KEY)}
        data, row_errors = validate_fields(fields, row=line)
        errors.extend(row_errors)
        if data is not None:
            clean.append(data)
    return clean, errors


def import_entries(
    session: Session,
    tenant_id: int,
    data: bytes,
    *,
    filename: str | None = None,
    content_type: str | None = None,
    fmt: str | None = None,
    mode: str = "append",
    dry_run: bool = False,
    user_id: int | None = None,
    skip_invalid: bool = False,
) -> ImportReport:
    """Validate the whole file, then (unless `dry_run` or any error) write every row at once.

    With `skip_invalid`, rows with problems are left out and the rest written; `errors` still lists what was
    skipped, and `created` says what was written. A problem with the file itself (row 0) still stops it all.

    `mode` "append" adds the rows; "replace" also soft-deletes the tenant's current entries that did not come
    from a document (restorable from the bin), which makes export → edit → import a full round trip.
    """
    if mode not in ("append", "replace"):
        return ImportReport(rows=0, errors=[RowError(0, "mode", "must be append or replace")])
    fmt = fmt or detect_format(filename, content_type, data)
    rows, errors = parse_rows(data, fmt)
    clean: list[EntryData] = []
    if not any(e.row == 0 for e in errors):
        clean, row_errors = validate_rows(rows)
        errors = sorted(errors + row_errors, key=lambda e: e.row)
    shown = errors[:MAX_REPORTED_ERRORS]
    if len(errors) > MAX_REPORTED_ERRORS:
        shown.append(RowError(0, "file", f"{len(errors) - MAX_REPORTED_ERRORS} more errors not shown"))
    partial = skip_invalid and bool(clean) and not any(e.row == 0 for e in errors)
    if errors and not partial:
        return ImportReport(rows=len(rows), errors=shown, dry_run=dry_run)
    if dry_run:
        return ImportReport(rows=len(rows), dry_run=True, preview=clean[:PREVIEW_ROWS], errors=shown)
    replaced = _retire_current(session, tenant_id) if mode == "replace" else []
    created = create_entries(session, tenant_id, clean, user_id=user_id, audit_action=None)
    if replaced:
        kindex.write_entries(session, tenant_id, replaced)
    if len(created) >= 500:
        kindex.optimize_tenant(tenant_id)  # fold the batch into the FTS index now rather than at the next job
    audit.record(
        session, tenant_id, "knowledge.import", actor_user_id=user_id, target_type="knowledge_entry",
        details={"rows": len(created), "mode": mode, "replaced": len(replaced), "file": filename,
                 "skipped": len({e.row for e in errors if e.row > 0})},
    )  # fmt: skip
    return ImportReport(rows=len(rows), created=len(created), replaced=len(replaced), errors=shown)


def _retire_current(session: Session, tenant_id: int) -> list[EntryDTO]:
    from engine.knowledge.records import to_dto

    scope = TenantScope(session, tenant_id)
    now = utcnow()
    rows = scope.all(
        KnowledgeEntry,
        KnowledgeEntry.deleted_at.is_(None),  # type: ignore[union-attr]
        KnowledgeEntry.source.is_(None),  # type: ignore[union-attr]
    )
    for row in rows:
        row.deleted_at, row.updated_at = now, now
        session.add(row)
    session.flush()
    return [to_dto(r) for r in rows]


# --- export -------------------------------------------------------------------------------------------------


def _export_dicts(session: Session, tenant_id: int, include_inactive: bool) -> list[dict[str, Any]]:
    from engine.knowledge.records import to_dto

    scope = TenantScope(session, tenant_id)
    where = [KnowledgeEntry.deleted_at.is_(None)]  # type: ignore[union-attr]
    if not include_inactive:
        where.append(KnowledgeEntry.is_active.is_(True))  # type: ignore[attr-defined]
    rows = session.exec(scope.select(KnowledgeEntry).where(*where).order_by(KnowledgeEntry.id)).all()  # type: ignore[arg-type]
    out = []
    for dto in (to_dto(r) for r in rows):
        out.append({name: getattr(dto, name) for name in FIELDS})
    return out


def _keywords_cell(words: list[str]) -> str:
    if any(";" in w for w in words):
        return json.dumps(words, ensure_ascii=False)
    return "; ".join(words)


def export_entries(
    session: Session, tenant_id: int, fmt: str = "csv", *, include_inactive: bool = True
) -> bytes:
    """Every live entry in the import format (fields title, content, entry_type, category, keywords, ...)."""
    items = _export_dicts(session, tenant_id, include_inactive)
    if fmt == "json":
        return json.dumps(items, ensure_ascii=False, indent=2).encode()
    if fmt != "csv":
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=list(FIELDS), lineterminator="\n")  # formulas neutralised
    writer.writeheader()
    for item in items:
        writer.writerow(
            {
                **item,
                "category": item["category"] or "",
                "keywords": _keywords_cell(item["keywords"]),
                "is_active": "true" if item["is_active"] else "false",
            }
        )
    return buffer.getvalue().encode()
