"""What products and services share: one code per tenant ignoring case, audited writes that invalidate the
match index, validated partial updates, and filtered, sorted, paged lists.

Products (SKU, stock) and services (code, bookability) differ only in their columns and their extra rules,
which stay in engine.catalog.products and engine.catalog.services; the mechanics live here once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import String, cast, func, or_
from sqlmodel import Session, SQLModel, col, select

from engine.accounts import audit
from engine.catalog import index
from engine.catalog.errors import CatalogError, CatalogNotFound, FieldError
from engine.catalog.schemas import Page, validate_input
from engine.db import TenantScope
from engine.models import utcnow

MAX_PAGE_SIZE = 200

Row = TypeVar("Row", bound=SQLModel)
DTO = TypeVar("DTO")
Input = TypeVar("Input", bound=BaseModel)


def like_pattern(text: str) -> str:
    """A LIKE pattern that matches `text` literally anywhere (% and _ typed by a user are not wildcards)."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def page_bounds(page: int, page_size: int) -> tuple[int, int]:
    if page < 1:
        raise CatalogError("must be 1 or more", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise CatalogError(f"must be between 1 and {MAX_PAGE_SIZE}", field="page_size")
    return page, page_size


def code_owner(scope: TenantScope, model: type[Row], column: str, code: str) -> Row | None:
    """Codes (SKUs, service codes) are unique per tenant ignoring case: 'str-1' and 'STR-1' would confuse
    staff and customers."""
    return scope.first(model, func.lower(getattr(model, column)) == code.lower())


def require(scope: TenantScope, model: type[Row], item_id: int, noun: str) -> Row:
    row = scope.get(model, item_id)
    if row is None:
        raise CatalogNotFound(f"{noun} {item_id} not found")
    return row


def refuse_taken_code(
    scope: TenantScope, model: type[Row], column: str, code: str, *, label: str, own_id: int | None = None
) -> None:
    other = code_owner(scope, model, column, code)
    if other is not None and other.id != own_id:  # type: ignore[attr-defined]
        raise CatalogError(f"{label} {code!r} is already used by {other.name!r}", field=column)  # type: ignore[attr-defined]


def record(
    session: Session,
    tenant_id: int,
    action: str,
    *,
    target_type: str,
    target_id: int | None,
    details: dict[str, Any],
    actor_user_id: int | None,
    actor_label: str,
) -> None:
    """Every catalogue write is audited and makes every process rebuild its match index."""
    audit.record(
        session,
        tenant_id,
        action,
        actor_user_id=actor_user_id,
        actor_label=actor_label,
        target_type=target_type,
        target_id=target_id,
        details=details,
    )
    index.invalidate(tenant_id, session)


def merged_update(
    row: SQLModel, schema: type[Input], editable: Sequence[str], changes: Mapping[str, Any]
) -> tuple[Input, dict[str, Any]]:
    """The row with `changes` applied, validated as a whole (so rules never drift apart), and what differs."""
    unknown = sorted(set(changes) - set(editable))
    if unknown:
        raise CatalogError([FieldError(name, "is not a known field") for name in unknown])
    before = {name: getattr(row, name) for name in editable}
    merged = validate_input(schema, {**before, **changes})
    changed = {k: v for k, v in merged.model_dump().items() if before.get(k) != v}
    return merged, changed


def apply(session: Session, row: SQLModel, changed: Mapping[str, Any]) -> None:
    for name, value in changed.items():
        setattr(row, name, value)
    row.updated_at = utcnow()  # type: ignore[attr-defined]
    session.add(row)
    session.flush()


def list_page(
    session: Session,
    tenant_id: int,
    model: type[Row],
    to_dto: Callable[[Row], DTO],
    *,
    code_column: str,
    sorts: set[str],
    search: str | None,
    category: str | None,
    conditions: Sequence[Any],
    sort: str,
    descending: bool,
    page: int,
    page_size: int,
) -> Page[DTO]:
    """One page filtered in SQL: text in name/code/aliases/description, category, and the caller's own
    conditions (stock, bookable, active)."""
    page, page_size = page_bounds(page, page_size)
    if sort not in sorts:
        raise CatalogError(f"must be one of {', '.join(sorted(sorts))}", field="sort")
    where: list[Any] = list(conditions)
    if search and search.strip():
        pattern = like_pattern(search.strip())
        columns = (
            model.name,  # type: ignore[attr-defined]
            getattr(model, code_column),
            cast(model.aliases, String),  # type: ignore[attr-defined]
            model.description,  # type: ignore[attr-defined]
        )
        where.append(or_(*(func.lower(c).like(pattern, escape="\\") for c in columns)))
    if category and category.strip():
        where.append(func.lower(model.category) == category.strip().lower())  # type: ignore[attr-defined]
    total = session.exec(
        select(func.count()).select_from(model).where(model.tenant_id == tenant_id, *where)  # type: ignore[attr-defined]
    ).one()
    order = getattr(model, sort)
    statement = (
        TenantScope(session, tenant_id)
        .select(model)
        .where(*where)
        .order_by(order.desc() if descending else order.asc(), col(model.id).asc())  # type: ignore[attr-defined]
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    rows = session.exec(statement).all()
    return Page(items=tuple(to_dto(r) for r in rows), total=int(total), page=page, page_size=page_size)


def categories(session: Session, tenant_id: int, model: type[SQLModel]) -> list[str]:
    """Distinct categories, for the console's filter dropdown."""
    column = model.category  # type: ignore[attr-defined]
    rows = session.exec(
        select(column)
        .where(model.tenant_id == tenant_id, col(column).is_not(None))  # type: ignore[attr-defined]
        .distinct()
        .order_by(column)
    ).all()
    return [r for r in rows if r]
