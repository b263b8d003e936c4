"""CSV import and export of products and services.

Import is an upsert by SKU (products) or code (services), validated row by row before anything is written:
the result lists every (row, field, error) so the owner can fix the whole file in one go, and a file with any
error writes nothing. Columns left out of the file keep their current values, so a two-column "sku,stock" file
updates stock only. List cells separate values with '|'. Export writes every column, so exporting and
importing the result changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from engine.accounts import audit
from engine.catalog import index
from engine.catalog.errors import CatalogError
from engine.catalog.schemas import (
    ImportReport,
    ProductInput,
    RowError,
    ServiceInput,
    dedupe,
    field_errors,
)
from engine.db import TenantScope
from engine.models import Product, Service, utcnow

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
MAX_REPORTED_ERRORS = 500
LIST_SEPARATOR = "|"

PRODUCT_COLUMNS = (
    "sku",
    "name",
    "aliases",
    "description",
    "category",
    "price",
    "stock",
    "sizes",
    "colors",
    "image_url",
    "related_skus",
    "is_active",
)
SERVICE_COLUMNS = (
    "code",
    "name",
    "aliases",
    "description",
    "category",
    "price",
    "duration_minutes",
    "is_bookable",
    "image_url",
    "is_active",
)
_LIST_COLUMNS = {"aliases", "sizes", "colors", "related_skus"}
_BOOL_COLUMNS = {"is_active", "is_bookable"}
_TRUE = {"true", "yes", "y", "1", "active", "on"}
_FALSE = {"false", "no", "n", "0", "inactive", "off"}


@dataclass(frozen=True)
class _Kind:
    name: str
    model: type[Any]
    schema: type[BaseModel]
    key: str
    columns: tuple[str, ...]
    required_new: tuple[str, ...]


PRODUCTS = _Kind("products", Product, ProductInput, "sku", PRODUCT_COLUMNS, ("name", "price"))
SERVICES = _Kind("services", Service, ServiceInput, "code", SERVICE_COLUMNS, ("name", "price"))


def _decode(source: str | bytes) -> str:
    if isinstance(source, bytes):
        if len(source) > MAX_IMPORT_BYTES:
            raise CatalogError(
                f"the file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB", field="file"
            )
        try:
            return source.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CatalogError("the file is not UTF-8 text: save it as 'CSV UTF-8'", field="file") from None
    if len(source) > MAX_IMPORT_BYTES:
        raise CatalogError(f"the file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB", field="file")
    return source.removeprefix("\ufeff")


def _reader(text: str) -> Iterator[list[str]]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _cell(column: str, raw: str) -> Any:
    value = raw.strip()
    if column in _LIST_COLUMNS:
        return [part for part in value.split(LIST_SEPARATOR)] if value else []
    if column in _BOOL_COLUMNS:
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError("must be true or false (yes/no, 1/0 also work)")
    return value


def _import(
    session: Session,
    tenant_id: int,
    kind: _Kind,
    source: str | bytes,
    *,
    dry_run: bool,
    actor_user_id: int | None,
    actor_label: str,
) -> ImportReport:
    scope = TenantScope(session, tenant_id)
    try:
        text = _decode(source)
    except CatalogError as exc:
        return ImportReport(
            kind.name, 0, errors=(RowError(0, "file", exc.errors[0].message),), dry_run=dry_run
        )
    rows = list(_reader(text))
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        return ImportReport(kind.name, 0, errors=(RowError(0, "file", "the file is empty"),), dry_run=dry_run)
    header = [h.strip().lower().replace(" ", "_") for h in rows[0]]
    errors: list[RowError] = []
    for column in header:
        if column not in kind.columns:
            expected = ", ".join(kind.columns)
            errors.append(RowError(1, column or "(blank)", f"unknown column; the columns are: {expected}"))
    for column in {c for c in header if header.count(c) > 1}:
        errors.append(RowError(1, column, "this column appears more than once"))
    if kind.key not in header:
        errors.append(RowError(1, kind.key, f"the {kind.key} column is required"))
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        errors.append(RowError(0, "file", f"at most {MAX_IMPORT_ROWS} rows per file (got {len(rows) - 1})"))
    if errors:
        return ImportReport(kind.name, len(rows) - 1, errors=tuple(errors), dry_run=dry_run)

    existing: dict[str, Any] = {getattr(r, kind.key).lower(): r for r in scope.all(kind.model)}
    seen: dict[str, int] = {}
    planned: list[tuple[int, Any | None, BaseModel]] = []  # (row number, existing row or None, input)

    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            errors.append(RowError(number, "row", f"{len(cells)} cells but {len(header)} columns"))
            continue
        given: dict[str, Any] = {}
        row_errors: list[RowError] = []
        for column, raw in zip(header, cells + [""] * (len(header) - len(cells)), strict=True):
            try:
                given[column] = _cell(column, raw)
            except ValueError as exc:
                row_errors.append(RowError(number, column, str(exc)))
        key = str(given.get(kind.key, "")).strip()
        if not key:
            row_errors.append(RowError(number, kind.key, "is required"))
        elif key.lower() in seen:
            row_errors.append(RowError(number, kind.key, f"{key!r} is also on row {seen[key.lower()]}"))
        else:
            seen[key.lower()] = number
        current = existing.get(key.lower()) if key else None
        if current is None:
            for column in kind.required_new:
                if column not in given:
                    row_errors.append(RowError(number, column, f"is required for a new {kind.name[:-1]}"))
            data = {c: v for c, v in given.items() if c in kind.columns}
        else:
            data = {c: getattr(current, c) for c in kind.columns}
            data.update(given)
            data[kind.key] = getattr(current, kind.key)  # matched ignoring case: keep the stored spelling
        # Validate the rest of the row even when a cell already failed, so the owner sees every problem.
        failed = {e.field for e in row_errors}
        data = {c: v for c, v in data.items() if c not in failed}
        try:
            parsed = kind.schema.model_validate(data)
        except ValidationError as exc:
            row_errors.extend(
                RowError(number, e.field, e.message) for e in field_errors(exc) if e.field not in failed
            )
        if row_errors:
            errors.extend(row_errors)
            continue
        if hasattr(parsed, "aliases"):
            parsed.aliases = dedupe(parsed.aliases, exclude=[parsed.name])  # type: ignore[attr-defined]
        planned.append((number, current, parsed))

    if kind is PRODUCTS:
        known = set(existing) | set(seen)
        for number, _, parsed in planned:
            sku = parsed.sku.lower()  # type: ignore[attr-defined]
            for related in parsed.related_skus:  # type: ignore[attr-defined]
                if related.lower() == sku:
                    errors.append(RowError(number, "related_skus", f"{related!r} is this product itself"))
                elif related.lower() not in known:
                    errors.append(RowError(number, "related_skus", f"no product has SKU {related!r}"))

    data_rows = sum(1 for cells in rows[1:] if any(c.strip() for c in cells))
    if errors:
        errors.sort(key=lambda e: (e.row, e.field))
        return ImportReport(kind.name, data_rows, errors=tuple(errors[:MAX_REPORTED_ERRORS]), dry_run=dry_run)

    created = updated = unchanged = 0
    changes: list[tuple[Any | None, dict[str, Any]]] = []
    for _, current, parsed in planned:
        values = parsed.model_dump()
        if current is None:
            created += 1
            changes.append((None, values))
            continue
        diff = {k: v for k, v in values.items() if getattr(current, k) != v}
        if diff:
            updated += 1
            changes.append((current, diff))
        else:
            unchanged += 1
    report = ImportReport(
        kind.name,
        data_rows,
        created,
        updated,
        unchanged,
        applied=not dry_run and bool(changes),
        dry_run=dry_run,
    )
    if dry_run or not changes:
        return report

    now = utcnow()
    with session.begin_nested():  # a failure half-way leaves the caller's transaction as it was
        for current, values in changes:
            if current is None:
                scope.add(kind.model(**values, created_at=now, updated_at=now))
            else:
                for name, value in values.items():
                    setattr(current, name, value)
                current.updated_at = now
                session.add(current)
        session.flush()
    audit.record(
        session,
        tenant_id,
        f"catalog.{kind.name}_imported",
        actor_user_id=actor_user_id,
        actor_label=actor_label,
        target_type=kind.name[:-1],
        details={"rows": data_rows, "created": created, "updated": updated, "unchanged": unchanged},
    )
    index.invalidate(tenant_id, session)
    return report


def import_products_csv(
    session: Session,
    tenant_id: int,
    source: str | bytes,
    *,
    dry_run: bool = False,
    actor_user_id: int | None = None,
    actor_label: str = "system",
) -> ImportReport:
    """Upsert products from CSV (columns: PRODUCT_COLUMNS, 'sku' required). All rows or none are written."""
    return _import(
        session,
        tenant_id,
        PRODUCTS,
        source,
        dry_run=dry_run,
        actor_user_id=actor_user_id,
        actor_label=actor_label,
    )


def import_services_csv(
    session: Session,
    tenant_id: int,
    source: str | bytes,
    *,
    dry_run: bool = False,
    actor_user_id: int | None = None,
    actor_label: str = "system",
) -> ImportReport:
    """Upsert services from CSV (columns: SERVICE_COLUMNS, 'code' required). All rows or none are written."""
    return _import(
        session,
        tenant_id,
        SERVICES,
        source,
        dry_run=dry_run,
        actor_user_id=actor_user_id,
        actor_label=actor_label,
    )


def _format(column: str, value: Any) -> str:
    if column in _LIST_COLUMNS:
        items = [str(v) for v in value or []]
        joined = LIST_SEPARATOR.join(items)
        # A lone value with a comma would be split on the comma when read back: a trailing '|' keeps it whole.
        return joined + LIST_SEPARATOR if len(items) == 1 and "," in items[0] else joined
    if column in _BOOL_COLUMNS:
        return "true" if value else "false"
    if column == "price":
        return f"{value:.2f}"
    return "" if value is None else str(value)


def _export(session: Session, tenant_id: int, kind: _Kind) -> str:
    rows = TenantScope(session, tenant_id).all(kind.model)
    rows.sort(key=lambda r: getattr(r, kind.key).lower())
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(kind.columns)
    for row in rows:
        writer.writerow([_format(c, getattr(row, c)) for c in kind.columns])
    return out.getvalue()


def export_products_csv(session: Session, tenant_id: int) -> str:
    """Every product, every column, sorted by SKU: importing it back changes nothing."""
    return _export(session, tenant_id, PRODUCTS)


def export_services_csv(session: Session, tenant_id: int) -> str:
    """Every service, every column, sorted by code: importing it back changes nothing."""
    return _export(session, tenant_id, SERVICES)


def csv_template(kind: str) -> str:
    """An empty file with the header row, for the console's 'download template' link."""
    columns: Mapping[str, tuple[str, ...]] = {"products": PRODUCT_COLUMNS, "services": SERVICE_COLUMNS}
    if kind not in columns:
        raise CatalogError("must be 'products' or 'services'", field="kind")
    return ",".join(columns[kind]) + "\n"
