"""The Catalog page through its states: real states, real engine services, a session cookie per role.

What must hold: the tables page and filter in SQL and show money in the tenant's currency and times in its
time zone; the drawer shows each refused field's own message and writes nothing; availability toggles write
through the engine; a CSV with problems writes nothing and a clean one writes every row; a booked service
cannot be deleted but can be hidden; every handler refuses roles without `agent:manage`.
"""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import reflex as rx

from console.state.catalog import CatalogState
from console.state.catalog_editor import CatalogEditorState, field_message
from console.state.catalog_import import CatalogImportState, check_file
from console.state.guard import ALLOWED, FORBIDDEN
from engine import catalog
from engine.db import TenantScope, session_scope
from engine.models import Appointment, Customer, Order, Tenant, utcnow
from tests.console.conftest import redirect_path, toast_text


def add_products(tenant_id: int, count: int = 30) -> None:
    categories = ("running", "walking", "socks")
    with session_scope() as db:
        for n in range(1, count + 1):
            catalog.create_product(
                db,
                tenant_id,
                {
                    "sku": f"SKU-{n:03d}",
                    "name": f"Product {n:03d}",
                    "price": f"{n}.50",
                    "stock": 0 if n % 10 == 0 else n,
                    "category": categories[n % 3],
                    "aliases": ["zoomy"] if n == 7 else [],
                },
            )


def add_shop(tenant_id: int) -> dict[str, int]:
    """A service with one booking, and a customer with an order: enough for every tab."""
    with session_scope() as db:
        tenant = db.get(Tenant, tenant_id)
        assert tenant is not None
        tenant.currency, tenant.time_zone = "GBP", "Europe/London"
        db.add(tenant)
        gait = catalog.create_service(
            db,
            tenant_id,
            {"code": "SVC-GAIT", "name": "Gait analysis", "price": "25", "duration_minutes": 45},
        )
        catalog.create_service(db, tenant_id, {"code": "SVC-REP", "name": "Sole repair", "price": "30"})
        scope = TenantScope(db, tenant_id)
        customer = scope.add(Customer(phone="whatsapp:+447700900101", name="Amelia Hughes"))
        assert customer.id is not None
        scope.add(
            Order(
                customer_id=customer.id,
                order_number="STR-10457",
                status="shipped",
                items=[{"sku": "SKU-001", "name": "Product 001", "qty": 2, "price": "1.50"}],
                total=Decimal("1234.50"),
            )
        )
        scope.add(
            Appointment(
                customer_id=customer.id,
                service_id=gait.id,
                starts_at=utcnow() + timedelta(days=3),
                status="booked",
            )
        )
        return {"gait": gait.id, "customer": customer.id}


def product_count(tenant_id: int) -> int:
    with session_scope() as db:
        return catalog.list_products(db, tenant_id, page_size=1).total


def product(tenant_id: int, sku: str) -> catalog.ProductDTO:
    with session_scope() as db:
        found = catalog.get_product_by_sku(db, tenant_id, sku)
    assert found is not None
    return found


async def open_catalog(open_tab, workspace, role: str = "manager", path: str = "/catalog") -> CatalogState:
    state = open_tab(CatalogState, workspace.people[role].token, path)
    assert await state.load_page() is None
    assert state.access == ALLOWED
    return state


async def sibling(state: rx.State, cls: type[Any]) -> Any:
    return await state.get_state(cls)


def upload(name: str, data: bytes) -> rx.UploadFile:
    return rx.UploadFile(file=io.BytesIO(data), path=Path(name), size=len(data))


async def drain(events) -> list[Any]:
    """Run an async-generator handler to its end; the events it yielded."""
    return [event async for event in events]


# -- access ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "admin", "manager"])
async def test_roles_with_agent_manage_get_the_page(open_tab, workspace, role: str) -> None:
    state = await open_catalog(open_tab, workspace, role)
    assert state.loaded


@pytest.mark.parametrize("role", ["agent", "viewer"])
async def test_other_roles_get_no_rows(open_tab, workspace, role: str) -> None:
    add_products(workspace.tenant_id, 3)
    state = open_tab(CatalogState, workspace.people[role].token, "/catalog")
    await state.load_page()
    assert state.access == FORBIDDEN
    assert state.products == [] and state.product_count == 0


async def test_handlers_without_a_session_go_to_sign_in(open_tab, workspace) -> None:
    state = open_tab(CatalogState, None, "/catalog")
    assert redirect_path(await state.set_product_search("x")).startswith("/login")
    editor = await sibling(state, CatalogEditorState)
    assert redirect_path(await editor.save({"name": "x"})).startswith("/login")


@pytest.mark.parametrize("role", ["agent", "viewer"])
async def test_forged_events_from_other_roles_change_nothing(open_tab, workspace, role: str) -> None:
    """A client that skips the UI and sends every catalog event anyway is refused by each handler."""
    add_products(workspace.tenant_id, 3)
    ids = add_shop(workspace.tenant_id)
    target = product(workspace.tenant_id, "SKU-001")
    state = open_tab(CatalogState, workspace.people[role].token, "/catalog")
    editor = await sibling(state, CatalogEditorState)
    importer = await sibling(state, CatalogImportState)

    refused = [
        await state.set_product_active(target.id, False),
        await state.mark_out_of_stock(target.id),
        await state.set_service_bookable(ids["gait"], False),
        await state.set_service_active(ids["gait"], False),
        await state.ask_delete("product", target.id, target.name),
        await state.set_product_search("Product"),
        await editor.open_edit("product", target.id),
        await editor.open_new("product"),
        await editor.save({"sku": "NEW-1", "name": "Forged", "price": "1"}),
        await importer.open_import("products"),
        await importer.export_csv("products"),
        await importer.download_template("products"),
    ]
    state.delete_kind, state.delete_id = "product", target.id  # even with a forged confirmation target
    refused.append(await state.confirm_delete())
    editor.kind, editor.item_id = "product", target.id
    refused.append(await editor.save({"sku": "SKU-001", "name": "Renamed", "price": "999"}))
    importer._source, importer.step = b"sku,name,price\nNEW-2,Forged,1\n", "review"
    refused.extend(await drain(importer.confirm_import()))
    refused.extend(await drain(importer.handle_upload([upload("p.csv", b"sku,name,price\nNEW-3,F,1\n")])))

    assert all("error" in toast_text(event) for event in refused), refused
    assert state.products == [] and editor.open is False and importer.open is False
    assert product(workspace.tenant_id, "SKU-001") == target
    assert product_count(workspace.tenant_id) == 3
    with session_scope() as db:
        assert catalog.get_service(db, workspace.tenant_id, ids["gait"]).is_bookable is True


# -- tables ------------------------------------------------------------------------------------------------


async def test_tabs_show_money_in_the_tenants_currency_and_times_in_its_zone(open_tab, workspace) -> None:
    add_products(workspace.tenant_id, 12)
    add_shop(workspace.tenant_id)
    state = await open_catalog(open_tab, workspace, path="/catalog?tab=orders")
    assert state.tab == "orders"
    assert (state.product_count, state.service_count, state.order_count, state.appointment_count) == (
        12,
        2,
        1,
        1,
    )
    assert state.currency == "GBP" and state.time_zone == "Europe/London"
    first = state.products[0]
    assert (first.name, first.sku, first.price) == ("Product 001", "SKU-001", "£1.50")
    assert first.stock_label == "Low · 1 left" and first.stock_color == "amber"
    out = next(r for r in state.products if r.sku == "SKU-010")
    assert (out.stock_label, out.stock_color) == ("Out of stock", "red")
    assert next(r for r in state.products if r.sku == "SKU-007").aliases == ["zoomy"]
    assert state.products[-1].stock_label == "In stock · 12"

    order = state.orders[0]
    assert (order.number, order.total, order.status_label, order.status_color) == (
        "STR-10457",
        "£1,234.50",
        "Shipped",
        "cyan",
    )
    assert order.summary == "Product 001 × 2"
    assert order.customer  # the customer's name when the engine gives it, else which customer record
    appointment = state.appointments[0]
    assert appointment.service == "Gait analysis" and appointment.duration == "45 min"
    assert appointment.upcoming and appointment.status_label == "Booked"
    assert " – " in appointment.time  # start and end, in the tenant's zone

    assert {s.name: s.duration for s in state.services} == {
        "Gait analysis": "45 min",
        "Sole repair": "30 min",
    }

    await state.set_appointment_when("past")
    assert state.appointments == [] and state.appointment_total == 0
    await state.set_appointment_when(["all"])
    assert state.appointment_total == 1
    await state.set_order_status("delivered")
    assert state.orders == [] and state.order_count == 1


async def test_products_filter_sort_and_page_in_sql(open_tab, workspace) -> None:
    add_products(workspace.tenant_id, 30)
    state = await open_catalog(open_tab, workspace)
    assert state.product_total == 30 and len(state.products) == 25 and state.product_pages == 2

    await state.set_product_page_size("10")
    assert len(state.products) == 10 and state.product_pages == 3
    await state.set_product_page(2)
    assert [r.sku for r in state.products][:2] == ["SKU-011", "SKU-012"]
    assert state.product_range == "11–20 of 30 products"
    await state.set_product_page(99)  # clamped to the last page
    assert state.product_page == 3 and state.products[-1].sku == "SKU-030"

    await state.set_product_search("zoomy")  # aliases are searched too; filters go back to page 1
    assert state.product_page == 1 and [r.sku for r in state.products] == ["SKU-007"]
    assert state.product_filtered

    await state.clear_product_filters()
    await state.set_product_category("socks")
    assert state.product_total == 10 and {r.category for r in state.products} == {"Socks"}
    await state.set_product_availability("out_of_stock")
    assert [r.sku for r in state.products] == ["SKU-020"]  # socks (20 % 3 == 2) with stock 0

    await state.clear_product_filters()
    await state.sort_products("price")
    assert state.products[0].sku == "SKU-001"
    await state.sort_products("price")  # again: descending
    assert state.product_descending and state.products[0].sku == "SKU-030"
    await state.sort_products("not-a-column")
    assert state.product_sort == "price"
    assert state.product_categories == ["running", "socks", "walking"]


# -- the drawer --------------------------------------------------------------------------------------------


async def test_new_product_with_field_errors_writes_nothing(open_tab, workspace) -> None:
    state = await open_catalog(open_tab, workspace)
    editor = await sibling(state, CatalogEditorState)
    await editor.open_new("product")
    assert editor.open and editor.is_new and editor.values == {"stock": "0"}

    result = await editor.save(
        {"name": "  ", "sku": "bad sku!", "price": "12.345", "stock": "-3", "image_url": "ftp://x"}
    )
    assert result is None and editor.open
    assert set(editor.errors) == {"name", "sku", "price", "stock", "image_url"}
    assert editor.errors["name"] == "Name must not be empty."
    assert editor.errors["price"] == "Price must have at most 2 decimal places."
    assert editor.errors["stock"] == "Stock must be 0 or more."
    assert editor.errors["sku"].startswith("SKU must be 1-64 letters")
    assert editor.values["sku"] == "bad sku!"  # what was typed stays in the form
    assert editor.error_count == 5
    assert product_count(workspace.tenant_id) == 0


async def test_create_then_edit_a_product_with_chips(open_tab, workspace) -> None:
    add_products(workspace.tenant_id, 2)
    state = await open_catalog(open_tab, workspace)
    editor = await sibling(state, CatalogEditorState)
    await editor.open_new("product")
    await editor.add_chips("aliases", {"aliases": "CS90, cloud step|cloudstpe"})
    await editor.add_chips("aliases", {"aliases": "cs90"})  # a duplicate, ignoring case
    await editor.add_chips("sizes", {"sizes": "UK 7|UK 8"})
    await editor.add_chips("colors", {"colors": "Black/White"})
    await editor.remove_chip("aliases", "cloudstpe")
    await editor.search_related("Product 00")
    assert {o["sku"] for o in editor.related_options} == {"SKU-001", "SKU-002"}
    await editor.add_related("SKU-002", "Product 002")
    await editor.add_related_typed({"related": "NOPE-1"})
    assert editor.errors["related_skus"] == "No product has SKU \u201cNOPE-1\u201d."
    await editor.add_related_typed({"related": "sku-001"})  # an exact SKU, any case
    assert "related_skus" not in editor.errors
    assert [r["name"] for r in editor.related] == ["Product 002", "Product 001"]
    assert editor.aliases == ["CS90", "cloud step"]

    toast = toast_text(
        await editor.save(
            {"name": "Cloudstep 90", "sku": "STR-CS90", "price": "95", "stock": "24", "category": "running"}
        )
    )
    assert "success" in toast and "Cloudstep 90" in toast
    assert editor.open is False
    saved = product(workspace.tenant_id, "STR-CS90")
    assert saved.aliases == ("CS90", "cloud step") and saved.sizes == ("UK 7", "UK 8")
    assert saved.colors == ("Black/White",) and saved.related_skus == ("SKU-002", "SKU-001")
    assert state.product_count == 3 and any(r.sku == "STR-CS90" for r in state.products)

    await editor.open_edit("product", saved.id)
    assert editor.values["price"] == "95.00" and editor.values["stock"] == "24"
    assert editor.updated.startswith("Last changed")
    await editor.set_is_active(False)
    await editor.remove_related("SKU-001")
    assert "success" in toast_text(
        await editor.save({**editor.values, "price": "89.90", "description": "Neutral road shoe"})
    )
    changed = product(workspace.tenant_id, "STR-CS90")
    assert changed.price == "89.90" and changed.is_active is False and changed.related_skus == ("SKU-002",)
    assert changed.description == "Neutral road shoe"


async def test_duplicate_sku_is_shown_next_to_the_sku(open_tab, workspace) -> None:
    add_products(workspace.tenant_id, 1)
    state = await open_catalog(open_tab, workspace)
    editor = await sibling(state, CatalogEditorState)
    await editor.open_new("product")
    await editor.save({"name": "Copy", "sku": "sku-001", "price": "1"})
    assert editor.errors == {"sku": "SKU 'sku-001' is already used by 'Product 001'."}
    assert product_count(workspace.tenant_id) == 1


async def test_services_in_the_drawer(open_tab, workspace) -> None:
    state = await open_catalog(open_tab, workspace)
    editor = await sibling(state, CatalogEditorState)
    await editor.open_new("service")
    assert editor.values == {"duration_minutes": "30"}
    await editor.save({"name": "Fitting", "code": "SVC-FIT", "price": "10", "duration_minutes": "2000"})
    assert editor.errors == {"duration_minutes": "Duration must be between 1 and 1440 minutes."}
    await editor.set_is_bookable(False)
    await editor.save({"name": "Fitting", "code": "SVC-FIT", "price": "10", "duration_minutes": "60"})
    assert editor.open is False
    assert [(s.name, s.duration, s.is_bookable) for s in state.services] == [("Fitting", "1 h", False)]


async def test_editing_an_item_of_another_workspace_is_not_found(open_tab, workspace) -> None:
    from tests.console.conftest import make_tenant

    other = make_tenant("Other Shop", "other-shop")
    add_products(other, 1)
    foreign = product(other, "SKU-001")
    state = await open_catalog(open_tab, workspace)
    editor = await sibling(state, CatalogEditorState)
    assert "no longer exists" in toast_text(await editor.open_edit("product", foreign.id))
    assert editor.open is False
    assert "no longer exists" in toast_text(await state.set_product_active(foreign.id, False))
    assert product(other, "SKU-001").is_active is True


def test_field_messages_read_as_sentences() -> None:
    assert field_message("price", "must be a number like 19.99") == "Price must be a number like 19.99."
    assert field_message("related_skus", "no product has SKU 'X'") == "No product has SKU 'X'."


# -- availability, delete ----------------------------------------------------------------------------------


async def test_availability_toggles_write_through_the_engine(open_tab, workspace) -> None:
    add_products(workspace.tenant_id, 3)
    ids = add_shop(workspace.tenant_id)
    state = await open_catalog(open_tab, workspace)
    target = product(workspace.tenant_id, "SKU-002")

    assert "hidden" in toast_text(await state.set_product_active(target.id, False))
    assert product(workspace.tenant_id, "SKU-002").is_active is False
    assert next(r for r in state.products if r.sku == "SKU-002").is_active is False
    await state.set_product_availability("hidden")
    assert [r.sku for r in state.products] == ["SKU-002"]

    assert "out of stock" in toast_text(await state.mark_out_of_stock(target.id))
    assert product(workspace.tenant_id, "SKU-002").stock == 0

    assert "no longer be booked" in toast_text(await state.set_service_bookable(ids["gait"], False))
    await state.set_service_active(ids["gait"], False)
    with session_scope() as db:
        gait = catalog.get_service(db, workspace.tenant_id, ids["gait"])
    assert gait.is_bookable is False and gait.is_active is False
    await state.set_service_availability("not_bookable")
    assert [s.name for s in state.services] == ["Gait analysis"]


async def test_delete_product_and_booked_service(open_tab, workspace) -> None:
    add_products(workspace.tenant_id, 2)
    ids = add_shop(workspace.tenant_id)
    state = await open_catalog(open_tab, workspace)
    target = product(workspace.tenant_id, "SKU-001")
    editor = await sibling(state, CatalogEditorState)
    await editor.open_edit("product", target.id)

    await state.ask_delete("product", target.id, target.name)
    assert state.delete_open and state.delete_name == "Product 001"
    assert "deleted" in toast_text(await state.confirm_delete())
    assert product_count(workspace.tenant_id) == 1 and state.product_count == 1
    assert editor.open is False  # the drawer of the deleted product closes

    await state.ask_delete("service", ids["gait"], "Gait analysis")
    assert await state.confirm_delete() is None
    assert state.delete_open and state.delete_error.startswith("This service has appointments")
    assert "hidden" in toast_text(await state.deactivate_instead())
    assert state.delete_open is False
    with session_scope() as db:
        assert catalog.get_service(db, workspace.tenant_id, ids["gait"]).is_active is False


# -- CSV import, export ------------------------------------------------------------------------------------

BAD_CSV = (
    "sku,name,price,stock,aliases\n"
    "NEW-1,Trail runner,89.00,4,trail shoe|trail runners\n"
    "NEW-2,,12.50,2,\n"
    "NEW-3,Sock pack,abc,-1,\n"
    "NEW-1,Duplicate,5,1,\n"
)
GOOD_CSV = (
    "sku,name,price,stock,aliases,category\n"
    "NEW-1,Trail runner,89.00,4,trail shoe|trail runners,running\n"
    "NEW-2,Road racer,120,2,,running\n"
    "NEW-3,Sock pack,9.99,40,socks 3 pack,socks\n"
)


async def test_import_preview_with_errors_writes_nothing_then_a_clean_file_writes_all(
    open_tab, workspace
) -> None:
    state = await open_catalog(open_tab, workspace)
    importer = await sibling(state, CatalogImportState)
    await importer.open_import("products")
    assert importer.open and importer.step == "upload"

    await drain(importer.handle_upload([upload("products.csv", BAD_CSV.encode())]))
    assert importer.step == "review" and importer.file_name == "products.csv"
    assert importer.rows == 4 and importer.error_count == 4 and not importer.can_import
    assert {(p.where, p.column) for p in importer.problems} == {
        ("Line 3", "name"),
        ("Line 4", "price"),
        ("Line 4", "stock"),
        ("Line 5", "sku"),
    }
    assert [h.name for h in importer.header] == ["sku", "name", "price", "stock", "aliases"]
    assert [r.number for r in importer.preview] == [3, 4, 5]  # only the rows with problems
    row4 = importer.preview[1]
    assert row4.bad and [c.bad for c in row4.cells] == [False, False, True, True, False]
    assert row4.cells[2].message == "Must be a number like 19.99."
    assert "3 of 4 rows need fixing" in importer.preview_note
    assert product_count(workspace.tenant_id) == 0

    # Confirming a file with problems does nothing.
    assert await drain(importer.confirm_import()) == []
    assert product_count(workspace.tenant_id) == 0

    await importer.start_over()
    assert importer.step == "upload" and importer.open
    await drain(importer.handle_upload([upload("products.csv", GOOD_CSV.encode())]))
    assert importer.error_count == 0 and importer.can_import
    assert (importer.created, importer.updated) == (3, 0)
    assert [r.number for r in importer.preview] == [2, 3, 4] and not any(r.bad for r in importer.preview)
    assert product_count(workspace.tenant_id) == 0  # still a preview

    events = await drain(importer.confirm_import())
    assert "Imported products.csv: 3 new, 0 updated" in toast_text(events[-1])
    assert importer.open is False and importer._source == b""
    assert product_count(workspace.tenant_id) == 3
    assert product(workspace.tenant_id, "NEW-1").aliases == ("trail shoe", "trail runners")
    assert state.product_count == 3 and state.product_categories == ["running", "socks"]

    # The same file again changes nothing, and says so.
    await importer.open_import("products")
    await drain(importer.handle_upload([upload("products.csv", GOOD_CSV.encode())]))
    assert importer.unchanged == 3 and not importer.can_import


async def test_header_problems_and_switching_to_services(open_tab, workspace) -> None:
    state = await open_catalog(open_tab, workspace)
    importer = await sibling(state, CatalogImportState)
    await importer.open_import("products")
    text = "code,name,price,duration_minutes,colour\nSVC-1,Fitting,10,30,red\n"
    await drain(importer.handle_upload([upload("services.csv", text.encode())]))
    # "colour" is a known name for the colors column; the others are not product columns.
    assert {(p.where, p.column) for p in importer.problems} == {
        ("Column", "code"),
        ("Column", "duration_minutes"),
        ("Column", "sku"),
    }
    assert [h.bad for h in importer.header] == [True, False, False, True, False]

    # The file was meant for services: switching re-runs the preview on the same file.
    event = await importer.set_kind("services")
    assert event is not None
    await importer.recheck()
    assert importer.kind == "services"
    assert {(p.where, p.column) for p in importer.problems} == {("Column", "colour")}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("catalog.pdf", b"%PDF-1.4", "Choose a .csv or .xlsx file"),
        ("catalog.xlsx", b"sku,name\n", "not a workbook"),
        ("catalog.csv", b"PK\x03\x04rest", "not a spreadsheet"),
        ("catalog.csv", b"\xd0\xcf\x11\xe0rest", "old Excel"),
        ("catalog.csv", b"sku,name\x00,price\n", "not a text file"),
        ("catalog.csv", b"  \n", "empty"),
    ],
)
def test_uploads_are_checked_on_the_server(name: str, data: bytes, message: str) -> None:
    problem = check_file(name, data)
    assert problem is not None and message in problem


async def test_refused_upload_writes_nothing_and_says_why(open_tab, workspace, monkeypatch) -> None:
    import console.state.catalog_import as module

    monkeypatch.setattr(module, "MAX_IMPORT_BYTES", 64)
    state = await open_catalog(open_tab, workspace)
    importer = await sibling(state, CatalogImportState)
    await importer.open_import("products")
    await drain(importer.handle_upload([upload("big.csv", b"sku,name,price\n" + b"A,B,1\n" * 20)]))
    assert importer.step == "upload" and "larger than" in importer.upload_error
    assert importer._source == b""
    await drain(importer.handle_upload([]))
    assert importer.upload_error == "Choose a CSV or Excel file to import."


async def test_export_and_template_download(open_tab, workspace) -> None:
    add_products(workspace.tenant_id, 2)
    state = await open_catalog(open_tab, workspace)
    importer = await sibling(state, CatalogImportState)
    exported = await importer.export_csv("products")
    text = str(exported)
    assert "_download" in text and "green-leaf-products-" in text
    template = str(await importer.download_template("services"))
    assert "services-template.csv" in template
    assert await importer.export_csv("customers") is None


def test_rows_name_the_customer_when_the_engine_does() -> None:
    """Orders and appointments show the customer's name and number once the history DTOs carry them."""
    from dataclasses import dataclass

    from console.state.catalog_rows import _customer

    @dataclass
    class Named:
        customer_id: int = 7
        customer_name: str | None = "Amelia Hughes"
        customer_phone: str = "whatsapp:+447700900101"

    assert _customer(Named()) == ("Amelia Hughes", "+44 7700 900101", "AH")  # the number as people read it
    assert _customer(Named(customer_name=None)) == ("+44 7700 900101", "", "#")
    assert _customer(Named(customer_name="+447700900101")) == ("+44 7700 900101", "", "#")
    assert _customer(Named(customer_name=None, customer_phone="")) == ("Customer #7", "", "C")
