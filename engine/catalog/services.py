"""Services (fittings, repairs, treatments): the same rules as products, with bookability instead of stock."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import String, cast, func, or_
from sqlmodel import Session, col, select

from engine.accounts import audit
from engine.catalog import index
from engine.catalog.errors import CatalogError, CatalogNotFound, FieldError
from engine.catalog.products import like_pattern, page_bounds
from engine.catalog.schemas import Page, ServiceDTO, ServiceInput, validate_input
from engine.db import TenantScope
from engine.models import Appointment, Service, utcnow

SERVICE_SORTS = {"name", "code", "price", "duration_minutes", "category", "updated_at", "created_at"}
EDITABLE = tuple(ServiceInput.model_fields)


def service_dto(row: Service) -> ServiceDTO:
    assert row.id is not None
    return ServiceDTO(
        id=row.id,
        code=row.code,
        name=row.name,
        aliases=tuple(row.aliases or ()),
        description=row.description or "",
        category=row.category,
        price=f"{row.price:.2f}",
        duration_minutes=row.duration_minutes,
        is_bookable=row.is_bookable,
        image_url=row.image_url,
        is_active=row.is_active,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _code_owner(scope: TenantScope, code: str) -> Service | None:
    return scope.first(Service, func.lower(Service.code) == code.lower())


def _require(scope: TenantScope, service_id: int) -> Service:
    row = scope.get(Service, service_id)
    if row is None:
        raise CatalogNotFound(f"service {service_id} not found")
    return row


def create_service(
    session: Session,
    tenant_id: int,
    data: Mapping[str, Any] | ServiceInput,
    *,
    actor_user_id: int | None = None,
    actor_label: str = "system",
) -> ServiceDTO:
    """Add a service; refuses a code already used in this tenant (any case)."""
    scope = TenantScope(session, tenant_id)
    parsed = validate_input(ServiceInput, data)
    existing = _code_owner(scope, parsed.code)
    if existing is not None:
        raise CatalogError(f"code {parsed.code!r} is already used by {existing.name!r}", field="code")
    now = utcnow()
    row = scope.add(Service(**parsed.model_dump(), created_at=now, updated_at=now))
    audit.record(
        session,
        tenant_id,
        "catalog.service_created",
        actor_user_id=actor_user_id,
        actor_label=actor_label,
        target_type="service",
        target_id=row.id,
        details={"code": row.code, "name": row.name},
    )
    index.invalidate(tenant_id, session)
    return service_dto(row)


def get_service(session: Session, tenant_id: int, service_id: int) -> ServiceDTO:
    return service_dto(_require(TenantScope(session, tenant_id), service_id))


def get_service_by_code(session: Session, tenant_id: int, code: str) -> ServiceDTO | None:
    row = _code_owner(TenantScope(session, tenant_id), code.strip())
    return service_dto(row) if row else None


def update_service(
    session: Session,
    tenant_id: int,
    service_id: int,
    changes: Mapping[str, Any],
    *,
    actor_user_id: int | None = None,
    actor_label: str = "system",
) -> ServiceDTO:
    """Apply a partial change, validated as a whole service."""
    scope = TenantScope(session, tenant_id)
    row = _require(scope, service_id)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise CatalogError([FieldError(name, "is not a known field") for name in unknown])
    before = {name: getattr(row, name) for name in EDITABLE}
    merged = validate_input(ServiceInput, {**before, **changes})
    if merged.code.lower() != row.code.lower():
        other = _code_owner(scope, merged.code)
        if other is not None and other.id != row.id:
            raise CatalogError(f"code {merged.code!r} is already used by {other.name!r}", field="code")
    changed = {k: v for k, v in merged.model_dump().items() if before.get(k) != v}
    if not changed:
        return service_dto(row)
    for name, value in changed.items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    audit.record(
        session,
        tenant_id,
        "catalog.service_updated",
        actor_user_id=actor_user_id,
        actor_label=actor_label,
        target_type="service",
        target_id=row.id,
        details={"code": row.code, "fields": sorted(changed)},
    )
    index.invalidate(tenant_id, session)
    return service_dto(row)


def set_service_active(
    session: Session,
    tenant_id: int,
    service_id: int,
    active: bool,
    *,
    actor_user_id: int | None = None,
    actor_label: str = "system",
) -> ServiceDTO:
    """Show or hide a service (hidden services are never offered by the agent)."""
    return update_service(
        session,
        tenant_id,
        service_id,
        {"is_active": active},
        actor_user_id=actor_user_id,
        actor_label=actor_label,
    )


def set_service_bookable(
    session: Session,
    tenant_id: int,
    service_id: int,
    bookable: bool,
    *,
    actor_user_id: int | None = None,
    actor_label: str = "system",
) -> ServiceDTO:
    """Open or close booking (walk-in-only services stay visible but cannot be booked)."""
    return update_service(
        session,
        tenant_id,
        service_id,
        {"is_bookable": bookable},
        actor_user_id=actor_user_id,
        actor_label=actor_label,
    )


def delete_service(
    session: Session,
    tenant_id: int,
    service_id: int,
    *,
    actor_user_id: int | None = None,
    actor_label: str = "system",
) -> None:
    """Delete a service that was never booked. A booked one is refused: deleting it would delete customers'
    appointments with it (the foreign key cascades), so it is deactivated instead."""
    scope = TenantScope(session, tenant_id)
    row = _require(scope, service_id)
    if scope.first(Appointment, Appointment.service_id == service_id) is not None:
        raise CatalogError(
            "this service has appointments: deactivate it instead of deleting it", field="service"
        )
    code = row.code
    scope.delete(row)
    audit.record(
        session,
        tenant_id,
        "catalog.service_deleted",
        actor_user_id=actor_user_id,
        actor_label=actor_label,
        target_type="service",
        target_id=service_id,
        details={"code": code},
    )
    index.invalidate(tenant_id, session)


def list_services(
    session: Session,
    tenant_id: int,
    *,
    search: str | None = None,
    category: str | None = None,
    bookable: bool | None = None,
    active: bool | None = None,
    sort: str = "name",
    descending: bool = False,
    page: int = 1,
    page_size: int = 25,
) -> Page[ServiceDTO]:
    """One page of services filtered in SQL: text in name/code/aliases/description, category, bookable."""
    page, page_size = page_bounds(page, page_size)
    if sort not in SERVICE_SORTS:
        raise CatalogError(f"must be one of {', '.join(sorted(SERVICE_SORTS))}", field="sort")
    scope = TenantScope(session, tenant_id)
    conditions: list[Any] = []
    if search and search.strip():
        pattern = like_pattern(search.strip())
        conditions.append(
            or_(
                func.lower(Service.name).like(pattern, escape="\\"),
                func.lower(Service.code).like(pattern, escape="\\"),
                func.lower(cast(Service.aliases, String)).like(pattern, escape="\\"),
                func.lower(Service.description).like(pattern, escape="\\"),
            )
        )
    if category and category.strip():
        conditions.append(func.lower(Service.category) == category.strip().lower())
    if bookable is not None:
        conditions.append(Service.is_bookable == bookable)
    if active is not None:
        conditions.append(Service.is_active == active)
    total = session.exec(
        select(func.count()).select_from(Service).where(Service.tenant_id == tenant_id, *conditions)
    ).one()
    order = getattr(Service, sort)
    statement = (
        scope.select(Service)
        .where(*conditions)
        .order_by(order.desc() if descending else order.asc(), col(Service.id).asc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    rows = session.exec(statement).all()
    return Page(items=tuple(service_dto(r) for r in rows), total=int(total), page=page, page_size=page_size)


def service_categories(session: Session, tenant_id: int) -> list[str]:
    rows = session.exec(
        select(Service.category)
        .where(Service.tenant_id == tenant_id, col(Service.category).is_not(None))
        .distinct()
        .order_by(Service.category)
    ).all()
    return [r for r in rows if r]
