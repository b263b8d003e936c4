"""Forgiving imports, the same for knowledge and catalog: column synonyms and "did you mean", blank cells that
keep what is there, the good rows imported with the bad ones skipped (and downloadable with the reason), the
file's own line numbers, and Excel files."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from sqlmodel import Session

from engine import catalog
from engine.db import TenantScope, session_scope
from engine.imports import match_columns, read_sheet, skipped_rows_csv
from engine.knowledge import importing
from engine.knowledge.records import FIELDS
from engine.models import KnowledgeEntry
from tests.factories import new_tenant


def xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _knowledge_titles(tenant: int) -> list[str]:
    with session_scope() as s:
        return sorted(e.title for e in TenantScope(s, tenant).all(KnowledgeEntry))


def _knowledge_tenant() -> int:
    with session_scope() as s:
        return new_tenant(s)


# --- the shared pieces ----


def test_columns_match_by_synonym_and_suggest_the_closest_field() -> None:
    match = match_columns(["Question", "Answer", "Type", "entry tipe", "zzz"], FIELDS, importing.SYNONYMS)
    assert match.fields[:3] == ("title", "content", "entry_type")
    assert [(u.name, u.suggestion) for u in match.unknown] == [("entry tipe", "entry_type"), ("zzz", None)]
    assert match.unknown[0].message(FIELDS) == "unknown column: did you mean entry_type?"


def test_rows_keep_the_files_line_numbers_through_blank_lines_and_multiline_cells() -> None:
    sheet = read_sheet(b'title,content\nA,"two\nlines"\n\nB,b\n')
    assert [r.line for r in sheet.rows] == [2, 5]
    book = read_sheet(xlsx([["title", "content"], ["A", "a"], [None, None], ["B", 2.0]]))
    assert [(r.line, r.cells) for r in book.rows] == [(2, ("A", "a")), (4, ("B", "2"))]


# --- knowledge ----


def test_knowledge_synonyms_and_blank_cells_take_the_defaults() -> None:
    tenant = _knowledge_tenant()
    data = b"Question,Answer,Type,Tags,Priority,Active\nOpening hours?,9 to 5,,hours; open,,\n"
    with session_scope() as s:
        report = importing.import_entries(s, tenant, data, filename="faq.csv")
    assert report.ok and report.created == 1
    with session_scope() as s:
        (entry,) = TenantScope(s, tenant).all(KnowledgeEntry)
        assert (entry.entry_type, entry.priority, entry.is_active) == ("faq", 0, True)


def test_knowledge_unknown_column_suggests_the_field() -> None:
    tenant = _knowledge_tenant()
    with session_scope() as s:
        report = importing.import_entries(s, tenant, b"title,content,entry_typ\nA,B,faq\n", filename="a.csv")
    assert [(e.row, e.field, e.error) for e in report.errors] == [
        (0, "entry_typ", "unknown column: did you mean entry_type?")
    ]


def test_knowledge_partial_import_skips_bad_rows_and_lists_them() -> None:
    tenant = _knowledge_tenant()
    data = (
        b"title,content,entry_type\nGood one,Fine,faq\n,No title,faq\nGood two,Fine,rumour\nGood three,Ok,\n"
    )
    with session_scope() as s:
        all_or_nothing = importing.import_entries(s, tenant, data, filename="kb.csv")
    assert all_or_nothing.created == 0 and {e.row for e in all_or_nothing.errors} == {3, 4}
    with session_scope() as s:
        report = importing.import_entries(s, tenant, data, filename="kb.csv", skip_invalid=True)
    assert report.created == 2 and {e.row for e in report.errors} == {3, 4}
    assert _knowledge_titles(tenant) == ["Good one", "Good three"]

    skipped = list(csv.reader(io.StringIO(skipped_rows_csv(read_sheet(data), report.errors))))
    assert skipped[0] == ["line", "title", "content", "entry_type", "problem"]
    assert skipped[1] == ["3", "", "No title", "faq", "title: is required"]
    assert skipped[2][:4] == ["4", "Good two", "Fine", "rumour"] and "entry_type" in skipped[2][4]


def test_knowledge_reads_excel() -> None:
    tenant = _knowledge_tenant()
    data = xlsx([["Title", "Content", "Priority"], ["Returns", "30 days", 5], ["Delivery", "2 days", None]])
    with session_scope() as s:
        report = importing.import_entries(s, tenant, data, filename="kb.xlsx")
    assert report.ok and report.created == 2
    assert importing.detect_format("kb.xlsx", None, data) == "xlsx"
    assert _knowledge_titles(tenant) == ["Delivery", "Returns"]


# --- catalog ----


def test_catalog_synonyms_and_blank_cells_keep_current_values(session: Session) -> None:
    tenant = new_tenant(session)
    created = catalog.import_products_csv(
        session, tenant, "Product code,Product name,Cost,Qty,Colour\nRUN-1,Cloudstep,95,3,Black|White\n"
    )
    assert created.ok and created.created == 1
    # A blank price and colour keep what is stored; the stock changes.
    report = catalog.import_products_csv(session, tenant, "sku,price,stock,colors\nRUN-1,,7,\n")
    assert report.ok and report.updated == 1
    shoe = catalog.get_product_by_sku(session, tenant, "RUN-1")
    assert shoe is not None and (shoe.price, shoe.stock, shoe.colors) == ("95.00", 7, ("Black", "White"))
    # A new row with a blank required cell is still refused, on the file's line.
    new = catalog.import_products_csv(session, tenant, "sku,name,price\nNEW-1,Sock,\n")
    assert [(e.row, e.field) for e in new.errors] == [(2, "price")]


def test_catalog_unknown_column_suggests_the_field(session: Session) -> None:
    tenant = new_tenant(session)
    report = catalog.import_services_csv(session, tenant, "code,name,price,duration_minuts\nX,Y,1,30\n")
    assert [(e.row, e.field, e.error) for e in report.errors] == [
        (0, "duration_minuts", "unknown column: did you mean duration_minutes?")
    ]


def test_catalog_partial_import_skips_bad_rows_and_lists_them(session: Session) -> None:
    tenant = new_tenant(session)
    text = "sku,name,price\nA-1,Good,10\nA-2,Bad price,abc\nA-3,Also good,5\n"
    refused = catalog.import_products_csv(session, tenant, text)
    assert not refused.applied and catalog.list_products(session, tenant).total == 0
    report = catalog.import_products_csv(session, tenant, text, skip_invalid=True)
    assert report.applied and report.created == 2 and [e.row for e in report.errors] == [3]
    assert catalog.get_product_by_sku(session, tenant, "A-2") is None
    skipped = list(csv.reader(io.StringIO(skipped_rows_csv(read_sheet(text.encode()), report.errors))))
    assert skipped[1][:4] == ["3", "A-2", "Bad price", "abc"] and skipped[1][4].startswith("price:")


def test_catalog_reads_excel(session: Session) -> None:
    tenant = new_tenant(session)
    data = xlsx([["code", "name", "price", "duration"], ["SVC-1", "Gait analysis", 15, 30]])
    report = catalog.import_services_csv(session, tenant, data)
    assert report.ok and report.created == 1
    service = catalog.get_service_by_code(session, tenant, "SVC-1")
    assert service is not None and service.duration_minutes == 30
