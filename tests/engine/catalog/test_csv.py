"""CSV import: validated row by row, all or nothing, upsert by SKU/code; export round-trips."""

from __future__ import annotations

from sqlmodel import Session

from engine import catalog
from engine.catalog import RowError
from tests.factories import new_tenant

GOOD = """sku,name,aliases,category,price,stock,sizes,related_skus,is_active
RUN-1,Cloudstep 90,CS90|cloud step,running,95.00,3,UK 8|UK 9,SOCK-1,true
SOCK-1,Running Socks,"socks, 3 pack|",socks,15,10,,,yes
"""


def test_a_valid_file_creates_then_updates_and_reports_counts(session: Session) -> None:
    tenant = new_tenant(session)
    report = catalog.import_products_csv(session, tenant, GOOD.encode("utf-8-sig"), actor_label="owner")
    assert (report.ok, report.applied, report.created, report.rows) == (True, True, 2, 2)
    shoe = catalog.get_product_by_sku(session, tenant, "RUN-1")
    assert shoe is not None and shoe.aliases == ("CS90", "cloud step") and shoe.sizes == ("UK 8", "UK 9")
    socks = catalog.get_product_by_sku(session, tenant, "SOCK-1")
    assert socks is not None and socks.aliases == ("socks, 3 pack",)

    # Only the columns present change: a stock-only file keeps names, prices and aliases.
    report = catalog.import_products_csv(session, tenant, "sku;stock\nrun-1;0\nSOCK-1;10\n")
    assert (report.updated, report.unchanged, report.created) == (1, 1, 0)
    shoe = catalog.get_product_by_sku(session, tenant, "RUN-1")
    assert shoe is not None and shoe.stock == 0 and shoe.name == "Cloudstep 90" and shoe.sku == "RUN-1"


def test_every_error_is_reported_with_row_and_field_and_nothing_is_written(session: Session) -> None:
    tenant = new_tenant(session)
    bad = (
        "sku,name,price,stock,is_active,related_skus\n"
        "A-1,Good,10,1,true,\n"
        "A-2,,abc,-1,maybe,\n"
        "A-1,Again,5,1,true,\n"
        ",No sku,5,1,true,\n"
        "A-3,Refers,5,1,true,NOPE\n"
    )
    report = catalog.import_products_csv(session, tenant, bad)
    assert not report.applied and not report.ok
    got = {(e.row, e.field) for e in report.errors}
    assert got == {
        (3, "name"),
        (3, "price"),
        (3, "stock"),
        (3, "is_active"),
        (4, "sku"),
        (5, "sku"),
        (6, "related_skus"),
    }
    assert RowError(4, "sku", "'A-1' is also on row 2") in report.errors
    assert catalog.list_products(session, tenant).total == 0


def test_header_problems_stop_before_any_row(session: Session) -> None:
    tenant = new_tenant(session)
    report = catalog.import_products_csv(session, tenant, "name,price,flavour\nShoe,1,red\n")
    assert {(e.row, e.field) for e in report.errors} == {(0, "flavour"), (0, "sku")}


def test_windows_spreadsheet_text_is_read_and_empty_files_are_refused_clearly(session: Session) -> None:
    tenant = new_tenant(session)
    report = catalog.import_products_csv(session, tenant, "sku,name,price\nA,Caf\xe9,1\n".encode("cp1252"))
    assert report.ok and catalog.get_product_by_sku(session, tenant, "A").name == "Café"  # type: ignore[union-attr]
    assert catalog.import_products_csv(session, tenant, "").errors[0].error == "the file is empty"


def test_new_rows_need_name_and_price_and_dry_run_writes_nothing(session: Session) -> None:
    tenant = new_tenant(session)
    report = catalog.import_products_csv(session, tenant, "sku,stock\nNEW-1,4\n")
    assert {(e.row, e.field) for e in report.errors} == {(2, "name"), (2, "price")}
    report = catalog.import_products_csv(session, tenant, GOOD, dry_run=True)
    assert (report.ok, report.applied, report.created) == (True, False, 2)
    assert catalog.list_products(session, tenant).total == 0


def test_export_then_import_changes_nothing(session: Session) -> None:
    tenant = new_tenant(session)
    catalog.import_products_csv(session, tenant, GOOD)
    catalog.create_product(
        session,
        tenant,
        {
            "sku": "X/9",
            "name": 'Quote "Shoe", comma',
            "price": "1.5",
            "description": "two\nlines",
            "stock": 0,
        },
    )
    exported = catalog.export_products_csv(session, tenant)
    assert exported.splitlines()[0] == ",".join(catalog.PRODUCT_COLUMNS)
    report = catalog.import_products_csv(session, tenant, exported)
    assert (report.ok, report.unchanged, report.updated, report.created) == (True, 3, 0, 0)
    assert catalog.export_products_csv(session, tenant) == exported


def test_services_import_and_round_trip(session: Session) -> None:
    tenant = new_tenant(session)
    text = (
        "code,name,aliases,price,duration_minutes,is_bookable\n"
        "SVC-GAIT,Gait Analysis,gate analysis|run analysis,15,30,true\n"
        "SVC-WRAP,Gift Wrapping,,4,5,no\n"
    )
    report = catalog.import_services_csv(session, tenant, text)
    assert (report.ok, report.created) == (True, 2)
    wrap = catalog.get_service_by_code(session, tenant, "SVC-WRAP")
    assert wrap is not None and not wrap.is_bookable
    bad = catalog.import_services_csv(session, tenant, "code,name,price,duration_minutes\nX,Y,1,0\n")
    assert [(e.row, e.field) for e in bad.errors] == [(2, "duration_minutes")]
    exported = catalog.export_services_csv(session, tenant)
    assert catalog.import_services_csv(session, tenant, exported).unchanged == 2
    assert catalog.csv_template("services").startswith("code,name")
