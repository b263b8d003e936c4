"""A tenant's customers as records: list (keyset pages), read, correct (name, opt-in, tags).

Erasing a customer on request lives beside it in engine.conversations.erasure. Permissions are the caller's
(the REST API checks `customers:manage`); these functions only keep every row inside `tenant_id`. They
return frozen DTOs and raise `CustomerError` naming the refused field, so the API can answer 422 with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session

from engine.accounts import audit
from engine.db import TenantScope
from engine.models import Customer, utcnow

NAME_MAX = 120
TAGS_MAX, TAG_CHARS = 20, 40
PAGE_MAX = 100


class CustomerError(ValueError):
    """A change refused; `field` names the input it is about."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True, slots=True)
class CustomerView:
    id: int
    phone: str
    name: str | None
    language: str | None
    opted_in: bool
    opted_in_at: datetime | None
    opted_out_at: datetime | None
    tags: list[str]
    created_at: datetime
    last_seen_at: datetime | None


@dataclass(frozen=True, slots=True)
class CustomerPage:
    items: list[CustomerView]
    next_before_id: int | None  # ask again with before_id=this for the next page; None: no more


def _view(row: Customer) -> CustomerView:
    assert row.id is not None
    return CustomerView(
        id=row.id,
        phone=row.phone.removeprefix("whatsapp:"),
        name=row.name,
        language=row.language,
        opted_in=row.opted_in,
        opted_in_at=row.opted_in_at,
        opted_out_at=row.opted_out_at,
        tags=list(row.tags or []),
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
    )


def list_customers(
    session: Session,
    tenant_id: int,
    *,
    before_id: int | None = None,
    limit: int = 25,
    tag: str | None = None,
    search: str | None = None,
) -> CustomerPage:
    """Newest first, `limit` at a time; ids only go down, so a page never repeats or skips a customer that
    was changed meanwhile. `tag` filters in Python on the page (tags are few per customer)."""
    limit = max(1, min(limit, PAGE_MAX))
    scope = TenantScope(session, tenant_id)
    query = scope.select(Customer)
    if before_id is not None:
        query = query.where(Customer.id < before_id)  # type: ignore[operator]
    term = (search or "").strip().lower()
    if term:
        digits = "".join(ch for ch in term if ch.isdigit())
        clause = func.lower(Customer.name).like(f"%{term}%")
        if digits:
            clause = clause | Customer.phone.like(f"%{digits}%")  # type: ignore[attr-defined]
        query = query.where(clause)
    items: list[CustomerView] = []
    cursor = before_id
    while len(items) <= limit:
        batch_query = query if cursor is None else query.where(Customer.id < cursor)  # type: ignore[operator]
        rows = list(session.exec(batch_query.order_by(Customer.id.desc()).limit(limit + 1)).all())  # type: ignore[union-attr]
        items.extend(_view(r) for r in rows if tag is None or tag in (r.tags or []))
        if len(rows) <= limit:
            break
        cursor = rows[-1].id
    more = len(items) > limit
    items = items[:limit]
    return CustomerPage(items=items, next_before_id=items[-1].id if more and items else None)


def get_customer(session: Session, tenant_id: int, customer_id: int) -> CustomerView:
    """One customer (NotFound when missing or another tenant's)."""
    return _view(TenantScope(session, tenant_id).require(Customer, customer_id))


def _tags(value: Any) -> list[str]:
    if not isinstance(value, list | tuple):
        raise CustomerError("tags", "must be a list of words")
    tags: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise CustomerError("tags", "must be a list of words")
        tag = " ".join(item.split()).lower()
        if not tag or len(tag) > TAG_CHARS:
            raise CustomerError("tags", f"each tag must be 1-{TAG_CHARS} characters")
        if tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_MAX:
        raise CustomerError("tags", f"at most {TAGS_MAX} tags")
    return tags


def update_customer(
    session: Session,
    tenant_id: int,
    customer_id: int,
    changes: dict[str, Any],
    *,
    actor_user_id: int | None = None,
    actor_label: str = "system",
) -> CustomerView:
    """Set name, opted_in and tags (any of them); audited with what changed. Opting in or out stamps the
    time as a WhatsApp opt-in/out does, so campaign audiences read one truth."""
    row = TenantScope(session, tenant_id).require(Customer, customer_id)
    changed: dict[str, Any] = {}
    if "name" in changes:
        name = changes["name"]
        if name is not None and not isinstance(name, str):
            raise CustomerError("name", "must be text")
        name = " ".join((name or "").split()) or None
        if name is not None and len(name) > NAME_MAX:
            raise CustomerError("name", f"at most {NAME_MAX} characters")
        if name != row.name:
            changed["name"] = True  # the name itself stays out of the audit trail
            row.name = name
    if "opted_in" in changes:
        value = changes["opted_in"]
        if not isinstance(value, bool):
            raise CustomerError("opted_in", "must be true or false")
        if value != row.opted_in:
            now = utcnow()
            row.opted_in = value
            row.opted_in_at, row.opted_out_at = (now, None) if value else (row.opted_in_at, now)
            changed["opted_in"] = value
    if "tags" in changes:
        tags = _tags(changes["tags"])
        if tags != list(row.tags or []):
            changed["tags"] = tags
            row.tags = tags
    if changed:
        session.add(row)
        session.flush()
        audit.record(
            session,
            tenant_id,
            "customer.updated",
            actor_user_id=actor_user_id,
            actor_label=actor_label,
            target_type="customer",
            target_id=customer_id,
            details=changed,
        )
    return _view(row)


__all__ = [
    "CustomerError",
    "CustomerPage",
    "CustomerView",
    "get_customer",
    "list_customers",
    "update_customer",
]
