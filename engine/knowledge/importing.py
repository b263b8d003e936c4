"""CSV and JSON import/export of knowledge entries.

Import is all-or-nothing: every row is validated first and the report lists every (row, field, error); only a
file with no error is written, in one batch (one flush, batched embeddings, one index write). Export writes
the same fields in the same format, so an exported file imports back to the same entries.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import Session

from engine.accounts import audit
from engine.db import TenantScope
from engine.knowledge import index as kindex
from engine.knowledge.records import FIELDS, validate_fields
from engine.knowledge.service import create_entries
from engine.knowledge.types import MAX_IMPORT_ROWS, EntryData, EntryDTO, ImportReport, RowError
from engine.models import KnowledgeEntry, utcnow

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_REPORTED_ERRORS = 1_000
PREVIEW_ROWS = 20
FORMATS = ("csv", "json")


def detect_format(filename: str | None, content_type: str | None = None, data: bytes = b"") -> str:
    """csv or json, from the file name, then the content type, then the first character."""
    name = (filename or "").lower()
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
    if fmt != "csv":
        return [], [RowError(0, "file", f"format must be one of {', '.join(FORMATS)}")]
    # The delimiter comes from the header line alone: content cells are full of commas and semicolons.
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    errors = [RowError(0, h or "(blank)", "unknown column") for h in header if h not in FIELDS]
    for required in ("title", "content"):
        if required not in header:
            errors.append(RowError(0, required, "column is missing"))
    if errors:
        return [], errors
    reader.fieldnames = header
    rows = []
    for record in reader:
        extra = record.pop(None, None)  # type: ignore[call-overload]
        row = {k: v for k, v in record.items() if k}
        if extra:
            row["__extra__"] = extra
        if any((v or "").strip() for v in row.values() if isinstance(v, str)) or extra:
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
        if "__not_an_object__" in raw:
            continue  # already reported by parse_rows
        if "__extra__" in raw:
            errors.append(RowError(i, "row", "has more cells than the header"))
            continue
        data, row_errors = validate_fields({k: v for k, v in raw.items() if k != "id"}, row=i)
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
) -> ImportReport:
    """Validate the whole file, then (unless `dry_run` or any error) write every row at once.

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
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        if len(errors) > MAX_REPORTED_ERRORS:
            shown.append(RowError(0, "file", f"{len(errors) - MAX_REPORTED_ERRORS} more errors not shown"))
        return ImportReport(rows=len(rows), errors=shown, dry_run=dry_run)
    if dry_run:
        return ImportReport(rows=len(rows), dry_run=True, preview=clean[:PREVIEW_ROWS])
    replaced = _retire_current(session, tenant_id) if mode == "replace" else []
    created = create_entries(session, tenant_id, clean, user_id=user_id, audit_action=None)
    if replaced:
        kindex.write_entries(session, tenant_id, replaced)
    if len(created) >= 500:
        kindex.optimize_tenant(tenant_id)  # fold the batch into the FTS index now rather than at the next job
    audit.record(
        session, tenant_id, "knowledge.import", actor_user_id=user_id, target_type="knowledge_entry",
        details={"rows": len(created), "mode": mode, "replaced": len(replaced), "file": filename},
    )  # fmt: skip
    return ImportReport(rows=len(rows), created=len(created), replaced=len(replaced))


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
    writer = csv.DictWriter(buffer, fieldnames=list(FIELDS), lineterminator="\n")
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
