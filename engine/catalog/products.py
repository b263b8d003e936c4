"""Products: validated create/update/delete, availability toggles, filtered and paged lists.

Every function takes the tenant id explicitly and reads and writes through TenantScope; every write records an
audit entry and invalidates the tenant's match index (here and in every other process, see catalog.index).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import String, cast, func
from sqlmodel import Session, col, select

from engine.catalog import items
from engine.catalog.errors import CatalogError, FieldError
from engine.catalog.schemas import Page, ProductDTO, ProductInput, validate_input
from engine.db import TenantScope
from engine.models import Product, utcnow

PRODUCT_SORTS = {"name", "sku", "price", "stock", "category", "updated_at", "created_at"}
EDITABLE = tuple(ProductInput.model_fields)


def product_dto(row: Product) -> ProductDTO:
    assert row.id is not None
    return ProductDTO(
        id=row.id,
        sku=row.sku,
        name=row.name,
        aliases=tuple(row.aliases or ()),
        description=row.description or "",
        category=row.category,
        price=f"{row.price:.2f}",
        stock=row.stock,
        in_stock=row.stock > 0,
        sizes=tuple(row.sizes or ()),
        colors=tuple(row.colors or ()),
        image_url=row.image_url,
        related_skus=tuple(row.related_skus or ()),
        is_active=row.is_active,
        created_at=row.created_at,
        updated_at=row.updated_at,
        variants=tuple(dict(v) for v in row.variants or ()),
    )


def _sku_owner(scope: TenantScope, sku: str) -> Product | None:
    return items.code_owner(scope, Product, "sku", sku)


def _check_references(scope: TenantScope, data: ProductInput, known_skus: set[str] | None = None) -> None:
    if not data.related_skus:
        return
    if known_skus is None:
        wanted = [s.lower() for s in data.related_skus]
        rows = scope.session.exec(
            select(Product.sku).where(
                Product.tenant_id == scope.tenant_id, func.lower(Product.sku).in_(wanted)
            )
        ).all()
        known_skus = {s.lower() for s in rows}
    errors: list[FieldError] = []
    for sku in data.related_skus:
        if sku.lower() == data.sku.lower():
            errors.append(FieldError("related_skus", f"{sku!r} is this product itself"))
        elif sku.lower() not in known_skus:
            errors.append(FieldError("related_skus", f"no product has SKU {sku!r}"))
    if errors:
        raise CatalogError(errors)


def create_product(
    session: Session,
    tenant_id: int,
    data: Mapping[str, Any] | ProductInput,
    *,
    actor_user_id: int | None = None,
    actor_label: str = "system",
) -> ProductDTO:
    """Add a product; refuses a SKU already used in this tenant (any case) and unknown related SKUs."""
    scope = TenantScope(session, tenant_id)
    parsed = validate_input(ProductInput, data)
    items.refuse_taken_code(scope, Product, "sku", parsed.sku, label="SKU")
    _check_references(scope, parsed)
    now = utcnow()
    row = scope.add(Product(**parsed.model_dump(), created_at=now, updated_at=now))
    items.record(
        session,
        tenant_id,
        "catalog.product_created",
        target_type="product",
        target_id=row.id,
        details={"sku": row.sku, "name": row.name},
        actor_user_id=actor_user_id,
        actor_label=actor_label,
    )
    return product_dto(row)


def _require(scope: TenantScope, product_id: int) -> Product:
    return items.require(scope, Product, product_id, "product")


def get_product(session: Session, tenant_id: int, product_id: int) -> ProductDTO:
    return product_dto(_require(TenantScope(session, tenant_id), product_id))


def get_product_by_sku(session: Session, tenant_id: int, sku: str) -> ProductDTO | None:
    row = _sku_owner(TenantScope(session, tenant_id), sku.strip())
    return product_dto(row) if row else None


def get_products(session: Session, tenant_id: int, product_ids: list[int]) -> list[ProductDTO]:
    """Several products by id, in the order asked (the agent's suggestions and last-viewed items)."""
    if not product_ids:
        return []
    rows = TenantScope(session, tenant_id).all(Product, col(Product.id).in_(product_ids))
    by_id = {r.id: r for r in rows}
    return [product_dto(by_id[i]) for i in product_ids if i in by_id]


def update_product(
    session: Session,
    tenant_id: int,
    product_id: int,
    changes: Mapping[str, Any],
    *,
    actor_user_id: int | None = None,
    actor_label: str = "system",
) -> ProductDTO:
    """Apply a partial change; the merged product is validated as a whole, so rules never drift apart."""
    scope = TenantScope(session, tenant_id)
    row = _require(scope, product_id)
    merged, changed = items.merged_update(row, ProductInput, EDITABLE, changes)
    if merged.sku.lower() != row.sku.lower():
        items.refuse_taken_code(scope, Product, "sku", merged.sku, label="SKU", own_id=row.id)
    _check_references(scope, merged)
    if not changed:
        return product_dto(row)
    items.apply(session, row, changed)
    items.record(
        session,
        tenant_id,
        "catalog.product_updated",
        target_type="product",
        target_id=row.id,
        details={"sku": row.sku, "fields": sorted(changed)},
        actor_user_id=actor_user_id,
        actor_label=actor_label,
    )
    return product_dto(row)


def set_product_active(
    session: Session,
    tenant_id: int,
    product_id: int,
    active: bool,
    *,
    actor_user_id: int | None = None,
    actor_label: str = "system",
) -> ProductDTO:
    """Show or hide a product (hidden products are never offered by the agent)."""
    return update_product(
        session,
        tenant_id,
        product_id,
        {"is_active": active},
        actor_user_id=actor_user_id,
        actor_label=actor_label,
    )


def set_product_stock(
    session: Session,
    tenant_id: int,
    product_id: int,
    stock: int,
    *,
    actor_user_id: int | None = None,
    actor_label: str = "system",
) -> ProductDTO:
    """Set the stock count; 0 marks the product out of stock (the agent then offers alternatives)."""
    return update_product(
        session, tenant_id, product_id, {"stock": stock}, actor_user_id=actor_user_id, actor_label=actor_label
    )


def delete_product(
    session: Session,
    tenant_id: int,
    product_id: int,
    *,
    actor_user_id: int | None = None,
    actor_label: str = "system",
) -> None:
    """Delete a product for good. Orders keep their own copy of name and price, so history stays intact;
    other products' related SKUs that pointed at it are cleaned up."""
    scope = TenantScope(session, tenant_id)
    row = _require(scope, product_id)
    sku = row.sku
    for other in scope.all(Product, cast(Product.related_skus, String).contains(sku)):
        if other.id != row.id and sku in (other.related_skus or []):
            other.related_skus = [s for s in other.related_skus if s != sku]
            session.add(other)
    scope.delete(row)
    items.record(
        session,
        tenant_id,
        "catalog.product_deleted",
        target_type="product",
        target_id=product_id,
        details={"sku": sku},
        actor_user_id=actor_user_id,
        actor_label=actor_label,
    )


def list_products(
    session: Session,
    tenant_id: int,
    *,
    search: str | None = None,
    category: str | None = None,
    in_stock: bool | None = None,
    active: bool | None = None,
    sort: str = "name",
    descending: bool = False,
    page: int = 1,
    page_size: int = 25,
) -> Page[ProductDTO]:
    """One page of products filtered in SQL: text in name/SKU/aliases/description, category, stock, active."""
    conditions: list[Any] = []
    if in_stock is not None:
        conditions.append(Product.stock > 0 if in_stock else Product.stock <= 0)
    if active is not None:
        conditions.append(Product.is_active == active)
    return items.list_page(
        session,
        tenant_id,
        Product,
        product_dto,
        code_column="sku",
        sorts=PRODUCT_SORTS,
        search=search,
        category=category,
        conditions=conditions,
        sort=sort,
        descending=descending,
        page=page,
        page_size=page_size,
    )


def product_categories(session: Session, tenant_id: int) -> list[str]:
    """Distinct categories, for the console's filter dropdown."""
    return items.categories(session, tenant_id, Product)
