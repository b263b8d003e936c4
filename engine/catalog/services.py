"""Services (fittings, repairs, treatments): the same rules as products, with bookability instead of stock."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from engine.catalog import items
from engine.catalog.errors import CatalogError
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
    return items.code_owner(scope, Service, "code", code)


def _require(scope: TenantScope, service_id: int) -> Service:
    return items.require(scope, Service, service_id, "service")


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
    items.refuse_taken_code(scope, Service, "code", parsed.code, label="code")
    now = utcnow()
    row = scope.add(Service(**parsed.model_dump(), created_at=now, updated_at=now))
    items.record(
        session,
        tenant_id,
        "catalog.service_created",
        target_type="service",
        target_id=row.id,
        details={"code": row.code, "name": row.name},
        actor_user_id=actor_user_id,
        actor_label=actor_label,
    )
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
    merged, changed = items.merged_update(row, ServiceInput, EDITABLE, changes)
    if merged.code.lower() != row.code.lower():
        items.refuse_taken_code(scope, Service, "code", merged.code, label="code", own_id=row.id)
    if not changed:
        return service_dto(row)
    items.apply(session, row, changed)
    items.record(
        session,
        tenant_id,
        "catalog.service_updated",
        target_type="service",
        target_id=row.id,
        details={"code": row.code, "fields": sorted(changed)},
        actor_user_id=actor_user_id,
        actor_label=actor_label,
    )
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
    items.record(
        session,
        tenant_id,
        "catalog.service_deleted",
        target_type="service",
        target_id=service_id,
        details={"code": code},
        actor_user_id=actor_user_id,
        actor_label=actor_label,
    )


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
    conditions: list[Any] = []
    if bookable is not None:
        conditions.append(Service.is_bookable == bookable)
    if active is not None:
        conditions.append(Service.is_active == active)
    return items.list_page(
        session,
        tenant_id,
        Service,
        service_dto,
        code_column="code",
        sorts=SERVICE_SORTS,
        search=search,
        category=category,
        conditions=conditions,
        sort=sort,
        descending=descending,
        page=page,
        page_size=page_size,
    )


def service_categories(session: Session, tenant_id: int) -> list[str]:
    return items.categories(session, tenant_id, Service)
