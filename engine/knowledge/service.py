"""The knowledge service: what the console page, the REST API and the agent call.

Every function takes the caller's session (one unit of work) and a tenant id, works through TenantScope, and
returns DTOs. Writes keep every version (`knowledge_entry_version`) and mirror themselves into the search
index before the caller commits (see engine.knowledge.index for how the two stores stay consistent).
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, or_
from sqlmodel import Session

from engine.accounts import audit
from engine.db import NotFound, TenantScope
from engine.knowledge import index as kindex
from engine.knowledge.records import FIELDS, data_of, to_dto, validate_fields, version_dto
from engine.knowledge.search import search
from engine.knowledge.types import (
    EntryData,
    EntryDTO,
    EntryPage,
    FieldDiff,
    KnowledgeError,
    VersionDTO,
)
from engine.models import KnowledgeEntry, KnowledgeEntryVersion, utcnow

__all__ = [
    "categories",
    "create_entry",
    "delete_entry",
    "diff_versions",
    "get_entry",
    "get_version",
    "list_entries",
    "list_versions",
    "restore_entry",
    "restore_version",
    "search",
    "update_entry",
]

MAX_PAGE_SIZE = 200

log = logging.getLogger(__name__)


def clean(data: EntryData | Mapping[str, Any]) -> EntryData:
    """Validated fields, or KnowledgeError listing every bad field."""
    raw = data.__dict__ if isinstance(data, EntryData) else data
    clean_data, errors = validate_fields(raw)
    if errors or clean_data is None:
        message = "; ".join(f"{e.field} {e.error}" for e in errors)
        raise KnowledgeError(message, errors)
    return clean_data


def _require(scope: TenantScope, entry_id: int) -> KnowledgeEntry:
    row = scope.get(KnowledgeEntry, entry_id)
    if row is None:
        raise NotFound(f"knowledge entry {entry_id} not found")
    return row


def _apply(row: KnowledgeEntry, data: EntryData) -> None:
    row.title = data.title
    row.content = data.content
    row.entry_type = data.entry_type
    row.category = data.category
    row.keywords = list(data.keywords)
    row.priority = data.priority
    row.is_active = data.is_active
    row.internal = data.internal


def _snapshot(scope: TenantScope, row: KnowledgeEntry, user_id: int | None) -> None:
    assert row.id is not None
    scope.add(
        KnowledgeEntryVersion(
            entry_id=row.id,
            version=row.version,
            entry_type=row.entry_type,
            title=row.title,
            content=row.content,
            keywords=list(row.keywords),
            category=row.category,
            priority=row.priority,
            is_active=row.is_active,
            internal=row.internal,
            created_by_user_id=user_id,
        )
    )


def get_entry(session: Session, tenant_id: int, entry_id: int) -> EntryDTO:
    """One entry, soft-deleted ones included; another tenant's id is NotFound like a missing one."""
    return to_dto(_require(TenantScope(session, tenant_id), entry_id))


def create_entry(
    session: Session,
    tenant_id: int,
    data: EntryData | Mapping[str, Any],
    *,
    user_id: int | None = None,
    source: str | None = None,
    source_position: int | None = None,
) -> EntryDTO:
    """A new entry at version 1, embedded and indexed before the caller commits."""
    return create_entries(
        session, tenant_id, [clean(data)], user_id=user_id, sources=[(source, source_position)]
    )[0]


def create_entries(
    session: Session,
    tenant_id: int,
    items: Sequence[EntryData],
    *,
    user_id: int | None = None,
    sources: Sequence[tuple[str | None, int | None]] | None = None,
    audit_action: str | None = "knowledge.create",
) -> list[EntryDTO]:
    """Many validated entries in one go (imports): bulk INSERTs, one batched embedding call, one index write.

    Core bulk inserts (with RETURNING for the ids) instead of ORM objects: building 20,000 SQLModel objects
    for a 10k-row import cost more than everything else together.
    """
    if not items:
        return []
    now = utcnow()
    values: list[dict[str, Any]] = []
    for i, data in enumerate(items):
        source, position = sources[i] if sources else (None, None)
        values.append(
            {
                "tenant_id": tenant_id,
                "entry_type": data.entry_type,
                "title": data.title,
                "content": data.content,
                "keywords": list(data.keywords),
                "category": data.category,
                "priority": data.priority,
                "is_active": data.is_active,
                "internal": data.internal,
                "version": 1,
                "source": source[:500] if source else None,
                "source_position": position,
                "created_at": now,
                "updated_at": now,
                "deleted_at": None,
            }
        )
    ids: list[int] = []
    for start in range(0, len(values), 1000):
        chunk = values[start : start + 1000]
        statement = insert(KnowledgeEntry).returning(KnowledgeEntry.id, sort_by_parameter_order=True)  # type: ignore[arg-type]
        ids.extend(session.scalars(statement, chunk).all())
    versions = [
        {
            "tenant_id": tenant_id,
            "entry_id": entry_id,
            "version": 1,
            "created_by_user_id": user_id,
            **{
                k: v[k]
                for k in ("entry_type", "title", "content", "keywords", "category", "priority", "is_active")
            },
            "internal": data.internal,
            "created_at": now,
        }
        for entry_id, v, data in zip(ids, values, items, strict=True)
    ]
    for start in range(0, len(versions), 1000):
        session.execute(insert(KnowledgeEntryVersion), versions[start : start + 1000])
    dtos = [
        EntryDTO(id=entry_id, **v) for entry_id, v in zip(ids, values, strict=True) for v in [_dto_fields(v)]
    ]
    kindex.write_entries(session, tenant_id, dtos)
    if audit_action and len(dtos) == 1:
        audit.record(
            session, tenant_id, audit_action, actor_user_id=user_id, target_type="knowledge_entry",
            target_id=dtos[0].id, details={"title": dtos[0].title},
        )  # fmt: skip
    return dtos


def _dto_fields(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k != "tenant_id"}


def update_entry(
    session: Session,
    tenant_id: int,
    entry_id: int,
    changes: EntryData | Mapping[str, Any],
    *,
    user_id: int | None = None,
    expected_version: int | None = None,
) -> EntryDTO:
    """Save changes as version n+1 (version n stays viewable and restorable). No change, no new version.

    `changes` may be partial; `expected_version` refuses the save when someone else saved in between.
    """
    scope = TenantScope(session, tenant_id)
    row = _require(scope, entry_id)
    if row.deleted_at is not None:
        raise KnowledgeError("this entry is deleted: restore it before editing")
    if expected_version is not None and expected_version != row.version:
        raise KnowledgeError(
            f"this entry was changed by someone else (now version {row.version}); reload and try again"
        )
    current = data_of(to_dto(row))
    if isinstance(changes, EntryData):
        merged: dict[str, Any] = dict(changes.__dict__)
    else:
        merged = {**current.__dict__, **{k: v for k, v in changes.items() if k in FIELDS}}
        unknown = sorted(set(changes) - set(FIELDS) - {"id", "version"})
        if unknown:
            raise KnowledgeError(f"unknown field {unknown[0]}")
    data = clean(merged)
    if data == current:
        return to_dto(row)
    return _save_new_version(session, scope, row, data, user_id, "knowledge.update")


def _save_new_version(
    session: Session,
    scope: TenantScope,
    row: KnowledgeEntry,
    data: EntryData,
    user_id: int | None,
    action: str,
) -> EntryDTO:
    _apply(row, data)
    row.version += 1
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    _snapshot(scope, row, user_id)
    dto = to_dto(row)
    kindex.write_entries(session, scope.tenant_id, [dto])
    audit.record(
        session, scope.tenant_id, action, actor_user_id=user_id, target_type="knowledge_entry",
        target_id=dto.id, details={"version": dto.version},
    )  # fmt: skip
    return dto


def delete_entry(session: Session, tenant_id: int, entry_id: int, *, user_id: int | None = None) -> EntryDTO:
    """Soft delete: hidden from search and the default list, restorable with `restore_entry`."""
    return _set_deleted(session, tenant_id, entry_id, True, user_id)


def restore_entry(session: Session, tenant_id: int, entry_id: int, *, user_id: int | None = None) -> EntryDTO:
    return _set_deleted(session, tenant_id, entry_id, False, user_id)


def _set_deleted(
    session: Session, tenant_id: int, entry_id: int, deleted: bool, user_id: int | None
) -> EntryDTO:
    scope = TenantScope(session, tenant_id)
    row = _require(scope, entry_id)
    if (row.deleted_at is not None) == deleted:
        return to_dto(row)
    row.deleted_at = utcnow() if deleted else None
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    dto = to_dto(row)
    kindex.write_entries(session, tenant_id, [dto])
    audit.record(
        session, tenant_id, "knowledge.delete" if deleted else "knowledge.restore", actor_user_id=user_id,
        target_type="knowledge_entry", target_id=entry_id,
    )  # fmt: skip
    return dto


def list_entries(
    session: Session,
    tenant_id: int,
    *,
    entry_type: str | None = None,
    category: str | None = None,
    active: bool | None = None,
    text: str | None = None,
    deleted: bool = False,
    page: int = 1,
    page_size: int = 25,
) -> EntryPage:
    """A page of entries, newest change first. `deleted=True` lists the bin (soft-deleted entries).

    `text` keeps the entries whose title, content, keywords or category contain it, case-insensitively (a
    substring, so a word typed halfway still finds). Content is encrypted in SQL, and decrypting every row of
    the tenant on each keystroke of the filter box cost seconds at 10k entries. The tenant's search index
    holds the same fields in clear, so:

    1. SQL applies the other filters and the order, reading only (id, version): no decryption;
    2. one columnar scan of the index marks the rows containing the text (`index.substring_matches`);
    3. a row counts on the index's word only when the index holds the same version of it (every change to
       title, content, keywords or category makes a new version); a row the index lacks or holds at another
       version (a write not yet mirrored, a repair pending) is decrypted and tested here, as before;
    4. the total is the number of matches; only the page's rows are loaded and decrypted.

    Not the full-text (BM25) index: it matches whole words, so "ship" would not find "shipping" and the
    list would stop agreeing with what the filter promises. When the index cannot be read, every row is
    decrypted and tested (the former way): slower, same answer.
    """
    page = max(1, int(page))
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    scope = TenantScope(session, tenant_id)
    query = scope.select(KnowledgeEntry)
    query = query.where(
        KnowledgeEntry.deleted_at.is_not(None) if deleted else KnowledgeEntry.deleted_at.is_(None)  # type: ignore[union-attr]
    )
    if entry_type:
        query = query.where(KnowledgeEntry.entry_type == entry_type.strip().lower())
    if category:
        query = query.where(KnowledgeEntry.category == " ".join(category.split()).lower())
    if active is not None:
        query = query.where(KnowledgeEntry.is_active.is_(active))  # type: ignore[attr-defined]
    order = (KnowledgeEntry.updated_at.desc(), KnowledgeEntry.id.desc())  # type: ignore[attr-defined,union-attr]
    needle = " ".join((text or "").split()).lower()
    if not needle:
        total = session.exec(query.with_only_columns(func.count()).order_by(None)).one()  # type: ignore[call-overload]
        rows = session.exec(query.order_by(*order).offset((page - 1) * page_size).limit(page_size)).all()
        return EntryPage([to_dto(r) for r in rows], int(total), page, page_size)
    start = (page - 1) * page_size
    matched = _matching_ids(session, tenant_id, query, order, needle)
    if matched is None:  # no usable index: decrypt and test every row
        matches = [
            dto
            for dto in (to_dto(r) for r in session.exec(query.order_by(*order)).all())
            if _contains(dto, needle)
        ]
        return EntryPage(matches[start : start + page_size], len(matches), page, page_size)
    page_ids = matched[start : start + page_size]
    rows = {r.id: r for r in scope.all(KnowledgeEntry, KnowledgeEntry.id.in_(page_ids))} if page_ids else {}  # type: ignore[union-attr]
    return EntryPage([to_dto(rows[i]) for i in page_ids if i in rows], len(matched), page, page_size)


def _contains(entry: EntryDTO, needle: str) -> bool:
    return (
        needle in entry.title.lower()
        or needle in entry.content.lower()
        or needle in (entry.category or "")
        or any(needle in k.lower() for k in entry.keywords)
    )


def _matching_ids(
    session: Session, tenant_id: int, query: Any, order: tuple[Any, ...], needle: str
) -> list[int] | None:
    """The ids of the filtered rows containing `needle`, in list order, tested on the search index where it
    holds the row's current version; None when the index cannot be read (see `list_entries`)."""
    try:
        indexed = kindex.substring_matches(tenant_id, needle)
    except Exception as exc:  # a damaged or unreadable table: the caller decrypts instead
        log.warning("tenant %s: knowledge list filter without the index: %s", tenant_id, exc)
        return None
    if indexed is None:
        return None
    ids_and_versions = query.with_only_columns(KnowledgeEntry.id, KnowledgeEntry.version).order_by(*order)
    candidates = [(int(i), int(v)) for i, v in session.execute(ids_and_versions).all()]
    verdict: dict[int, bool] = {}
    unsure: list[int] = []
    for entry_id, version in candidates:
        known = indexed.get(entry_id)
        if known is None or known[0] != version or (known[1] and ";" in needle):
            unsure.append(entry_id)  # not (yet) mirrored, another version, or keywords joined by ";"
        else:
            verdict[entry_id] = known[1]
    for start in range(0, len(unsure), 500):
        chunk = unsure[start : start + 500]
        for row in TenantScope(session, tenant_id).all(KnowledgeEntry, KnowledgeEntry.id.in_(chunk)):  # type: ignore[union-attr]
            verdict[row.id] = _contains(to_dto(row), needle)  # type: ignore[index]
    return [entry_id for entry_id, _ in candidates if verdict.get(entry_id)]


def categories(session: Session, tenant_id: int) -> list[str]:
    """Categories in use (for filter drop-downs)."""
    scope = TenantScope(session, tenant_id)
    query = (
        scope.select(KnowledgeEntry)
        .with_only_columns(KnowledgeEntry.category)
        .where(or_(KnowledgeEntry.category.is_not(None)), KnowledgeEntry.deleted_at.is_(None))  # type: ignore[union-attr]
        .distinct()
    )
    return sorted(c for c in session.exec(query).all() if c)  # type: ignore[call-overload]


def list_versions(session: Session, tenant_id: int, entry_id: int) -> list[VersionDTO]:
    """Every saved version, newest first."""
    scope = TenantScope(session, tenant_id)
    row = _require(scope, entry_id)
    versions = scope.all(KnowledgeEntryVersion, KnowledgeEntryVersion.entry_id == entry_id)
    return [version_dto(v, row.version) for v in sorted(versions, key=lambda v: -v.version)]


def get_version(session: Session, tenant_id: int, entry_id: int, version: int) -> VersionDTO:
    scope = TenantScope(session, tenant_id)
    row = _require(scope, entry_id)
    found = scope.first(
        KnowledgeEntryVersion,
        KnowledgeEntryVersion.entry_id == entry_id,
        KnowledgeEntryVersion.version == version,
    )
    if found is None:
        raise NotFound(f"version {version} of entry {entry_id} not found")
    return version_dto(found, row.version)


def restore_version(
    session: Session, tenant_id: int, entry_id: int, version: int, *, user_id: int | None = None
) -> EntryDTO:
    """Make an earlier version current again, as a new version (history is never rewritten)."""
    old = get_version(session, tenant_id, entry_id, version)
    scope = TenantScope(session, tenant_id)
    row = _require(scope, entry_id)
    if row.deleted_at is not None:
        raise KnowledgeError("this entry is deleted: restore it before restoring a version")
    data = data_of(old)
    if data == data_of(to_dto(row)):
        return to_dto(row)
    return _save_new_version(session, scope, row, data, user_id, "knowledge.restore_version")


def diff_versions(session: Session, tenant_id: int, entry_id: int, old: int, new: int) -> list[FieldDiff]:
    """Fields that differ between two versions; text fields come with a line diff for the page to show."""
    a = get_version(session, tenant_id, entry_id, old)
    b = get_version(session, tenant_id, entry_id, new)
    diffs: list[FieldDiff] = []
    for name in FIELDS:
        before, after = getattr(a, name), getattr(b, name)
        if before == after:
            continue
        lines: list[str] = []
        if name in ("content", "title"):
            lines = list(
                difflib.unified_diff(
                    str(before).splitlines(),
                    str(after).splitlines(),
                    fromfile=f"v{old}",
                    tofile=f"v{new}",
                    lineterm="",
                )  # fmt: skip
            )
        diffs.append(FieldDiff(field=name, old=before, new=after, lines=lines))
    return diffs
