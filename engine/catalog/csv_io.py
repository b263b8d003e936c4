"""CSV and Excel (.xlsx) import, and CSV export, of products and services.

Import is an upsert by SKU (products) or code (services), validated row by row before anything is written:
the result lists every (row, field, error), `row` being the file's line number (the header is line 1; problems
with the columns themselves are row 0), so the owner can fix the whole file in one go. By default a file with
any error writes nothing; with `skip_invalid` the good rows are written and the bad ones skipped. Columns left
out of the file, and blank cells, keep their current values (a new row gets the default), so a two-column
"sku,stock" file updates stock only. Column names are forgiving ("qty", "colour", "duration"...; see
`PRODUCT_SYNONYMS`), and an unknown column gets a "did you mean" suggestion. List cells separate values with
'|'. Variants (stock per size × colour) are written `UK 8 / Black = 3 | UK 9 / Black = 0`
(engine.catalog.variants); with variants a row's stock is their sum. Export writes every column, so
exporting and importing the result changes nothing.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
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
from engine.catalog.variants import format_variants
from engine.db import TenantScope
from engine.imports import Sheet, TableError, match_columns, read_sheet
from engine.imports.tabular import read_csv
from engine.models import Product, Service, utcnow
from engine.security.spreadsheet import safe_writer

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
    "variants",
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
_COMMON_SYNONYMS = {
    "title": "name",
    "alias": "aliases",
    "other_names": "aliases",
    "also_known_as": "aliases",
    "details": "description",
    "desc": "description",
    "group": "category",
    "department": "category",
    "collection": "category",
    "cost": "price",
    "amount": "price",
    "unit_price": "price",
    "image": "image_url",
    "picture": "image_url",
    "photo": "image_url",
    "image_link": "image_url",
    "active": "is_active",
    "enabled": "is_active",
}
PRODUCT_SYNONYMS = _COMMON_SYNONYMS | {
    "product": "name",
    "product_name": "name",
    "product_code": "sku",
    "item_code": "sku",
    "reference": "sku",
    "ref": "sku",
    "quantity": "stock",
    "qty": "stock",
    "inventory": "stock",
    "in_stock": "stock",
    "size": "sizes",
    "color": "colors",
    "colour": "colors",
    "colours": "colors",
    "related": "related_skus",
    "related_products": "related_skus",
    "variant": "variants",
    "variant_stock": "variants",
    "stock_by_size": "variants",
    "stock_per_variant": "variants",
}
SERVICE_SYNONYMS = _COMMON_SYNONYMS | {
    "service": "name",
    "service_name": "name",
    "service_code": "code",
    "reference": "code",
    "ref": "code",
    "duration": "duration_minutes",
    "minutes": "duration_minutes",
    "length": "duration_minutes",
    "bookable": "is_bookable",
    "can_book": "is_bookable",
}
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
    synonyms: Mapping[str, str]


PRODUCTS = _Kind(
    "products", Product, ProductInput, "sku", PRODUCT_COLUMNS, ("name", "price"), PRODUCT_SYNONYMS
)
SERVICES = _Kind(
    "services", Service, ServiceInput, "code", SERVICE_COLUMNS, ("name", "price"), SERVICE_SYNONYMS
)


def read_catalog_sheet(source: str | bytes) -> Sheet:
    """The file as a sheet (CSV text or bytes, or an Excel workbook); raises CatalogError when unreadable."""
    limit = f"the file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB"
    if len(source) > MAX_IMPORT_BYTES:
        raise CatalogError(limit, field="file")
    try:
        return read_sheet(source) if isinstance(source, bytes) else read_csv(source)
    except TableError as exc:
        raise CatalogError(f"the file {exc}", field="file") from None


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
    skip_invalid: bool = False,
) -> ImportReport:
    scope = TenantScope(session, tenant_id)
    try:
        sheet = read_catalog_sheet(source)
    except CatalogError as exc:
        return ImportReport(
            kind.name, 0, errors=(RowError(0, "file", exc.errors[0].message),), dry_run=dry_run
        )
    match = match_columns(sheet.header, kind.columns, kind.synonyms)
    header = [f or "" for f in match.fields]
    errors: list[RowError] = [RowError(0, c.name, c.message(kind.columns)) for c in match.unknown]
    for column in match.duplicates:
        errors.append(RowError(0, column, "this column appears more than once"))
    if kind.key not in match.present:
        errors.append(RowError(0, kind.key, f"the {kind.key} column is required"))
    data_rows = len(sheet.rows)
    if data_rows > MAX_IMPORT_ROWS:
        errors.append(RowError(0, "file", f"at most {MAX_IMPORT_ROWS} rows per file (got {data_rows})"))
    if errors:
        return ImportReport(kind.name, data_rows, errors=tuple(errors), dry_run=dry_run)

    existing: dict[str, Any] = {getattr(r, kind.key).lower(): r for r in scope.all(kind.model)}
    seen: dict[str, int] = {}
    planned: list[tuple[int, Any | None, BaseModel]] = []  # (row number, existing row or None, input)

    for source_row in sheet.rows:
        number, cells = source_row.line, list(source_row.cells)
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            errors.append(RowError(number, "row", f"{len(cells)} cells but {len(header)} columns"))
            continue
        given: dict[str, Any] = {}
        row_errors: list[RowError] = []
        for column, raw in zip(header, cells[: len(header)] + [""] * (len(header) - len(cells)), strict=True):
            if not raw.strip() and column != kind.key:
                continue  # a blank cell keeps the current value (a new row gets the default)
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
        known = set(existing) | {p.sku.lower() for _, _, p in planned}  # type: ignore[attr-defined]
        for number, _, parsed in planned:
            sku = parsed.sku.lower()  # type: ignore[attr-defined]
            for related in parsed.related_skus:  # type: ignore[attr-defined]
                if related.lower() == sku:
                    errors.append(RowError(number, "related_skus", f"{related!r} is this product itself"))
                elif related.lower() not in known:
                    errors.append(RowError(number, "related_skus", f"no product has SKU {related!r}"))

    errors.sort(key=lambda e: (e.row, e.field))
    reported = tuple(errors[:MAX_REPORTED_ERRORS])
    if errors and not (skip_invalid and planned):
        return ImportReport(kind.name, data_rows, errors=reported, dry_run=dry_run)
    skipped = {e.row for e in errors}
    planned = [p for p in planned if p[0] not in skipped]

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
        errors=reported,
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
        details={
            "rows": data_rows,
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
            "skipped": len(skipped),
        },
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
    skip_invalid: bool = False,
) -> ImportReport:
    """Upsert products from CSV or .xlsx (columns: PRODUCT_COLUMNS, 'sku' required). All rows or none are
    written, unless `skip_invalid`: then the good rows are, and `errors` lists the skipped ones."""
    return _import(
        session,
        tenant_id,
        PRODUCTS,
        source,
        dry_run=dry_run,
        actor_user_id=actor_user_id,
        actor_label=actor_label,
        skip_invalid=skip_invalid,
    )


def import_services_csv(
    session: Session,
    tenant_id: int,
    source: str | bytes,
    *,
    dry_run: bool = False,
    actor_user_id: int | None = None,
    actor_label: str = "system",
    skip_invalid: bool = False,
) -> ImportReport:
    """Upsert services from CSV or .xlsx (columns: SERVICE_COLUMNS, 'code' required); see
    `import_products_csv` for `skip_invalid`."""
    return _import(
        session,
        tenant_id,
        SERVICES,
        source,
        dry_run=dry_run,
        actor_user_id=actor_user_id,
        actor_label=actor_label,
        skip_invalid=skip_invalid,
    )


def _format(column: str, value: Any) -> str:
    if column in _LIST_COLUMNS:
        items = [str(v) for v in value or []]
        joined = LIST_SEPARATOR.join(items)
        # A lone value with a comma would be split on the comma when read back: a trailing '|' keeps it whole.
        return joined + LIST_SEPARATOR if len(items) == 1 and "," in items[0] else joined
    if column in _BOOL_COLUMNS:
        return "true" if value else "false"
    if column == "variants":
        return format_variants(value)
    if column == "price":
        return f"{value:.2f}"
    return "" if value is None else str(value)


def _export(session: Session, tenant_id: int, kind: _Kind) -> str:
    rows = TenantScope(session, tenant_id).all(kind.model)
    rows.sort(key=lambda r: getattr(r, kind.key).lower())
    out = io.StringIO(newline="")
    writer = safe_writer(out, lineterminator="\n")  # no cell a spreadsheet would run as a formula
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
