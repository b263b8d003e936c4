"""SQL rows to DTOs, field validation, and the fingerprint that tells whether the index row is current."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from engine.db import TenantScope
from engine.knowledge.types import (
    ENTRY_TYPES,
    MAX_CATEGORY,
    MAX_CONTENT,
    MAX_KEYWORD_LENGTH,
    MAX_KEYWORDS,
    MAX_TITLE,
    EntryData,
    EntryDTO,
    RowError,
    VersionDTO,
)
from engine.models import KnowledgeEntry, KnowledgeEntryVersion

FIELDS = ("title", "content", "entry_type", "category", "keywords", "priority", "is_active")


def to_dto(row: KnowledgeEntry) -> EntryDTO:
    assert row.id is not None
    return EntryDTO(
        id=row.id,
        entry_type=row.entry_type,
        title=row.title,
        content=row.content,
        keywords=list(row.keywords or []),
        category=row.category,
        priority=row.priority,
        is_active=row.is_active,
        version=row.version,
        source=row.source,
        source_position=row.source_position,
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted_at=row.deleted_at,
        internal=bool(row.internal),
    )


def version_dto(row: KnowledgeEntryVersion, current_version: int) -> VersionDTO:
    return VersionDTO(
        entry_id=row.entry_id,
        version=row.version,
        entry_type=row.entry_type,
        title=row.title,
        content=row.content,
        keywords=list(row.keywords or []),
        category=row.category,
        priority=row.priority,
        is_active=row.is_active,
        created_by_user_id=row.created_by_user_id,
        created_at=row.created_at,
        is_current=row.version == current_version,
        internal=bool(row.internal),
    )


def all_entries(session: Session, tenant_id: int) -> list[EntryDTO]:
    """Every entry of the tenant, soft-deleted ones included (the index mirrors them, flagged)."""
    scope = TenantScope(session, tenant_id)
    rows = session.exec(scope.select(KnowledgeEntry).order_by(KnowledgeEntry.id)).all()  # type: ignore[arg-type]
    return [to_dto(r) for r in rows]


def fingerprint(entry: EntryDTO) -> str:
    """Hash of everything the index stores for an entry: equal fingerprints mean the index row is current."""
    payload = [
        entry.id,
        entry.version,
        entry.title,
        entry.content,
        entry.keywords,
        entry.entry_type,
        entry.category,
        entry.priority,
        entry.is_active,
        entry.deleted_at is not None,
        entry.source,
        entry.source_position,
    ]
    if entry.internal:  # appended only when set, so the fingerprints of existing rows do not change
        payload.append("internal")
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()[:32]


# --- validation shared by the service and the importers -----------------------------------------------------


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "yes", "y", "1", "on", "active"):
        return True
    if text in ("false", "no", "n", "0", "off", "inactive"):
        return False
    raise ValueError("must be true or false")


def _as_keywords(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):  # a JSON list inside a CSV cell
            try:
                value = json.loads(stripped)
            except json.JSONDecodeError as exc:
                raise ValueError("is not a valid JSON list") from exc
        else:
            value = stripped.split(";") if ";" in stripped else stripped.split(",")
    if not isinstance(value, list | tuple):
        raise ValueError("must be a list of words or a comma-separated text")
    words: list[str] = []
    for item in value:
        if not isinstance(item, str | int | float):
            raise ValueError("must hold only text")
        word = " ".join(str(item).split())
        if len(word) > MAX_KEYWORD_LENGTH:
            raise ValueError(f"each keyword must be at most {MAX_KEYWORD_LENGTH} characters")
        if word and word.lower() not in (w.lower() for w in words):
            words.append(word)
    if len(words) > MAX_KEYWORDS:
        raise ValueError(f"at most {MAX_KEYWORDS} keywords")
    return words


def validate_fields(raw: Mapping[str, Any], *, row: int = 0) -> tuple[EntryData | None, list[RowError]]:
    """Check one entry's fields; returns clean data, or every problem found (not only the first)."""
    errors: list[RowError] = []

    def fail(field: str, message: str) -> None:
        errors.append(RowError(row=row, field=field, error=message))

    unknown = sorted(set(raw) - set(FIELDS) - {"id", "source", "source_position", "version", "internal"})
    for name in unknown:
        fail(name, "unknown field")

    title = " ".join(str(raw.get("title") or "").split())
    if not title:
        fail("title", "is required")
    elif len(title) > MAX_TITLE:
        fail("title", f"must be at most {MAX_TITLE} characters")

    content_raw = raw.get("content")
    content = str(content_raw).strip() if content_raw is not None else ""
    if not content:
        fail("content", "is required")
    elif len(content) > MAX_CONTENT:
        fail("content", f"must be at most {MAX_CONTENT} characters")

    entry_type = str(raw.get("entry_type") or "faq").strip().lower()
    if entry_type not in ENTRY_TYPES:
        fail("entry_type", f"must be one of {', '.join(ENTRY_TYPES)}")

    category_raw = raw.get("category")
    category = " ".join(str(category_raw).split()).lower() if category_raw not in (None, "") else None
    if category and len(category) > MAX_CATEGORY:
        fail("category", f"must be at most {MAX_CATEGORY} characters")

    keywords: list[str] = []
    try:
        keywords = _as_keywords(raw.get("keywords"))
    except ValueError as exc:
        fail("keywords", str(exc))

    priority = 0
    priority_raw = raw.get("priority")
    if priority_raw not in (None, ""):
        try:
            if isinstance(priority_raw, bool):
                raise ValueError
            as_float = float(priority_raw)
            if not as_float.is_integer():
                raise ValueError
            priority = int(as_float)
            if not -1000 <= priority <= 1000:
                fail("priority", "must be between -1000 and 1000")
        except (TypeError, ValueError):
            fail("priority", "must be a whole number")

    is_active = True
    if raw.get("is_active") not in (None, ""):
        try:
            is_active = _as_bool(raw.get("is_active"))
        except ValueError as exc:
            fail("is_active", str(exc))

    internal = False
    if raw.get("internal") not in (None, ""):
        try:
            internal = _as_bool(raw.get("internal"))
        except ValueError as exc:
            fail("internal", str(exc))

    if errors:
        return None, errors
    return (
        EntryData(
            title=title,
            content=content,
            entry_type=entry_type,
            category=category,
            keywords=keywords,
            priority=priority,
            is_active=is_active,
            internal=internal,
        ),
        [],
    )


def data_of(entry: EntryDTO | VersionDTO) -> EntryData:
    return EntryData(
        title=entry.title,
        content=entry.content,
        entry_type=entry.entry_type,
        category=entry.category,
        keywords=list(entry.keywords),
        priority=entry.priority,
        is_active=entry.is_active,
        internal=entry.internal,
    )
