"""CSV/JSON import is validated row by row and all-or-nothing; export gives back what import takes."""

from __future__ import annotations

import csv
import io
import json

import pytest

from engine.db import TenantScope, session_scope
from engine.knowledge import importing, service
from engine.knowledge import index as kindex
from engine.knowledge.records import FIELDS
from engine.knowledge.types import MAX_IMPORT_ROWS, RowError
from engine.models import KnowledgeEntry
from tests.factories import new_tenant

GOOD_CSV = (
    "title,content,entry_type,category,keywords,priority,is_active\n"
    'Returns,"Unworn items within 30 days, full refund.",policy,Returns,"refund; money back",5,true\n'
    "Gift cards,Gift cards last 24 months.,faq,payment,voucher,0,yes\n"
    "Old promo,Spring promo ended.,info,,,,false\n"
)


def _tenant() -> int:
    with session_scope() as s:
        return new_tenant(s)


def _import(tenant: int, data: bytes, **kwargs: object) -> importing.ImportReport:
    with session_scope() as s:
        return importing.import_entries(s, tenant, data, **kwargs)  # type: ignore[arg-type]


def _count(tenant: int) -> int:
    with session_scope() as s:
        return len(TenantScope(s, tenant).all(KnowledgeEntry))


def test_a_good_csv_is_imported_indexed_and_searchable() -> None:
    tenant = _tenant()
    report = _import(tenant, GOOD_CSV.encode(), filename="kb.csv")
    assert report.ok and (report.rows, report.created) == (3, 3)
    with session_scope() as s:
        page = service.list_entries(s, tenant, page_size=10)
        returns = next(e for e in page.items if e.title == "Returns")
        assert (returns.category, returns.keywords, returns.priority) == (
            "returns",
            ["refund", "money back"],
            5,
        )
        assert service.list_entries(s, tenant, active=False).items[0].title == "Old promo"
        assert service.search(s, tenant, "money back").hits[0].entry.title == "Returns"
        assert kindex.status(s, tenant).consistent


def test_every_bad_row_is_reported_and_nothing_is_written() -> None:
    tenant = _tenant()
    bad = (
        "title,content,entry_type,priority,is_active\n"
        "Fine,Fine content,faq,1,true\n"
        ",No title here,faq,1,true\n"
        "Bad type,Content,rumour,1.5,maybe\n"
        f"{'x' * 201},Content,faq,1,true\n"
    )
    report = _import(tenant, bad.encode(), filename="kb.csv")
    assert not report.ok and report.created == 0
    # Rows are numbered as the file's lines: the header is line 1.
    assert report.errors == [
        RowError(3, "title", "is required"),
        RowError(4, "entry_type", "must be one of faq, policy, procedure, document, info"),
        RowError(4, "priority", "must be a whole number"),
        RowError(4, "is_active", "must be true or false"),
        RowError(5, "title", "must be at most 200 characters"),
    ]
    assert _count(tenant) == 0


def test_file_level_problems_are_row_0() -> None:
    tenant = _tenant()
    assert _import(tenant, b"colour,size\nA,B\n", filename="a.csv").errors == [
        RowError(0, "colour", "unknown column; the columns are: " + ", ".join(FIELDS)),
        RowError(0, "size", "unknown column; the columns are: " + ", ".join(FIELDS)),
        RowError(0, "title", "column is missing"),
        RowError(0, "content", "column is missing"),
    ]
    assert _import(tenant, b"[{", filename="a.json").errors[0].field == "file"
    assert (
        _import(tenant, b'{"title": "x"}', filename="a.json")
        .errors[0]
        .error.startswith("must be a JSON list")
    )
    assert _import(tenant, b"", filename="a.csv").errors == [RowError(0, "file", "is empty")]
    report = _import(tenant, b'[{"title": "A", "content": "B", "colour": "red"}, 3]', filename="a.json")
    assert report.errors == [RowError(1, "colour", "unknown field"), RowError(2, "row", "must be an object")]


def test_more_than_10000_rows_are_refused_before_anything_else() -> None:
    tenant = _tenant()
    rows = [{"title": f"T{i}", "content": "c"} for i in range(MAX_IMPORT_ROWS + 1)]
    report = _import(tenant, json.dumps(rows).encode(), filename="big.json")
    assert report.errors == [RowError(0, "file", "has 10001 rows; at most 10000 in one import")]


def test_a_dry_run_previews_without_writing() -> None:
    tenant = _tenant()
    report = _import(tenant, GOOD_CSV.encode(), filename="kb.csv", dry_run=True)
    assert (
        report.ok
        and report.dry_run
        and [p.title for p in report.preview] == ["Returns", "Gift cards", "Old promo"]
    )
    assert _count(tenant) == 0


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_then_import_gives_back_the_same_entries(fmt: str) -> None:
    source, target = _tenant(), _tenant()
    with session_scope() as s:
        service.create_entry(
            s,
            source,
            {"title": "Semi; colon", "content": 'Quotes " and, commas\nand lines', "keywords": ["a;b", "c"]},
        )
    _import(source, GOOD_CSV.encode(), filename="kb.csv")
    with session_scope() as s:
        exported = importing.export_entries(s, source, fmt)
    report = _import(target, exported, filename=f"kb.{fmt}")
    assert report.ok and report.created == 4
    with session_scope() as s:
        again = importing.export_entries(s, target, fmt)
    assert again == exported
    if fmt == "csv":
        assert list(csv.DictReader(io.StringIO(exported.decode())))[0]["keywords"] == '["a;b", "c"]'


def test_replace_mode_retires_the_current_entries_restorably() -> None:
    tenant = _tenant()
    with session_scope() as s:
        old = service.create_entry(s, tenant, {"title": "Old", "content": "Old content"})
    report = _import(tenant, GOOD_CSV.encode(), filename="kb.csv", mode="replace")
    assert (report.created, report.replaced) == (3, 1)
    with session_scope() as s:
        assert service.get_entry(s, tenant, old.id).deleted
        assert service.list_entries(s, tenant).total == 3
        assert kindex.status(s, tenant).consistent


def test_a_semicolon_separated_csv_from_a_spreadsheet_imports() -> None:
    tenant = _tenant()
    data = "\ufefftitle;content;keywords\nReturns;Thirty days, no questions;refund, money back\n".encode()
    report = _import(tenant, data, filename="kb.csv")
    assert report.ok
    with session_scope() as s:
        assert service.list_entries(s, tenant).items[0].keywords == ["refund", "money back"]


def test_bulk_imported_content_is_encrypted_at_rest() -> None:
    from sqlalchemy import text

    tenant = _tenant()
    _import(tenant, GOOD_CSV.encode(), filename="kb.csv")
    with session_scope() as s:
        raw = s.connection().execute(text("SELECT content FROM knowledge_entry")).scalars().all()
        raw_versions = (
            s.connection().execute(text("SELECT content FROM knowledge_entry_version")).scalars().all()
        )
    assert len(raw) == 3 and len(raw_versions) == 3
    assert not any("refund" in value or "24 months" in value for value in raw + raw_versions)
