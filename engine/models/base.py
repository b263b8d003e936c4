"""Column types and key helpers shared by every table.

Key rule (DESIGN.md §3): every unique constraint and every foreign key between tenant-scoped tables includes
tenant_id, so the database itself refuses a row pointing at another tenant's row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import JSON, Column, DateTime, ForeignKeyConstraint, Index, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from engine.security.crypto import EncryptedJSON

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | str | None) -> datetime | None:
    """A timestamp read back from an aggregate: SQLite returns MIN()/MAX() of a timestamp without its column
    type, so as ISO text and without the UTC offset."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


@lru_cache(maxsize=512)
def zone_or_utc(time_zone: str | None) -> ZoneInfo:
    """A tenant's zone; an unknown name (a typo in settings) counts as UTC rather than failing every call."""
    try:
        return ZoneInfo(time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on every backend: SQLite keeps no offset, so it is restored on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are refused: use engine.models.base.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# JSON columns start empty through plain functions, not `list`/`dict`: pydantic asks every default factory
# for its signature on every model construction, and for a builtin that means parsing its text signature
# (half the cost of building a Message row: 530 -> 250 µs).
def _empty_list() -> list[Any]:
    return []


def _empty_dict() -> dict[str, Any]:
    return {}


def json_list() -> Any:
    """A JSON list column, never NULL, empty by default."""
    return Field(default_factory=_empty_list, sa_column=Column(JSON, nullable=False))


def json_dict() -> Any:
    """A JSON object column, never NULL, empty by default."""
    return Field(default_factory=_empty_dict, sa_column=Column(JSON, nullable=False))


def encrypted_json_list() -> Any:
    """A JSON list column stored encrypted (EncryptedJSON), never NULL, empty by default: for lists that can
    hold customer words or replies. Read and written like `json_list`."""
    return Field(default_factory=_empty_list, sa_column=Column(EncryptedJSON, nullable=False))


def encrypted_json_dict() -> Any:
    """A JSON object column stored encrypted (EncryptedJSON), never NULL, empty by default."""
    return Field(default_factory=_empty_dict, sa_column=Column(EncryptedJSON, nullable=False))


def created_at_field() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def time_field(*, index: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=True, index=index)


def tenant_field() -> Any:
    return Field(foreign_key="tenant.id", index=True, nullable=False)


class TenantOwned(SQLModel):
    """Mixin for tenant-scoped tables: integer key plus an indexed tenant_id."""

    id: int | None = Field(default=None, primary_key=True)
    tenant_id: int = tenant_field()


def tenant_keys(
    table: str, *extra: Any, refs: dict[str, str] | None = None, unique_id: bool = True
) -> tuple[Any, ...]:
    """__table_args__ for a tenant-scoped table.

    `unique (tenant_id, id)` lets children point at (tenant_id, id); `refs` maps a column to the parent table
    it references through a composite foreign key on (tenant_id, column).
    """
    args: list[Any] = []
    if unique_id:
        args.append(UniqueConstraint("tenant_id", "id"))
    for column, parent in (refs or {}).items():
        args.append(
            ForeignKeyConstraint(
                ["tenant_id", column],
                [f"{parent}.tenant_id", f"{parent}.id"],
                ondelete="CASCADE",
            )
        )
    args.extend(extra)
    return tuple(args)


__all__ = [
    "Field",
    "Index",
    "SQLModel",
    "TenantOwned",
    "UTCDateTime",
    "UniqueConstraint",
    "created_at_field",
    "encrypted_json_dict",
    "encrypted_json_list",
    "tenant_keys",
    "time_field",
    "utcnow",
]
