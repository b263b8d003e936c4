"""Catalog page pieces: the four tabs' toolbars, tables, pagers and empty states, and the delete confirmation.

The drawer lives in catalog_drawer.py and the CSV wizard in catalog_import.py.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from console.components.columns import FROM_SM, column_from, phone_line
from console.components.dialogs import confirm_dialog
from console.components.pager import pager
from console.components.states import empty_state
from console.components.tabs import Tab, page_tabs
from console.components.ui import icon_tile
from console.state.catalog import (
    ALL,
    APPOINTMENT_STATUS_CHOICES,
    APPOINTMENT_WHEN,
    CATALOG_TABS,
    ORDER_STATUS_CHOICES,
    PAGE_SIZES,
    PRODUCT_AVAILABILITY,
    SERVICE_AVAILABILITY,
    CatalogState,
)
from console.state.catalog_editor import CatalogEditorState
from console.state.catalog_import import CatalogImportState
from console.state.catalog_rows import AppointmentRow, OrderRow, ProductRow, ServiceRow

S = CatalogState
E = CatalogEditorState
IMP = CatalogImportState

MUTED = "var(--gray-11)"
FROM_LG = column_from("lg")  # the aliases: a wide screen has room for their chips


# -- small pieces ------------------------------------------------------------------------------------------


def thumbnail(image_url: rx.Var, tint: rx.Var, icon: str, *, size: str = "40px") -> rx.Component:
    """The item's picture on a tile tinted by its category; the tile and its icon show when there is no
    picture, or when the picture cannot be loaded (an empty alt keeps a broken image invisible)."""
    return rx.box(
        rx.center(
            rx.icon(icon, size=18, stroke_width=1.75),
            width="100%",
            height="100%",
            color=f"var(--{tint}-11)",
        ),
        rx.cond(
            image_url != "",
            rx.image(
                src=image_url,
                alt="",
                loading="lazy",
                position="absolute",
                inset="0",
                width="100%",
                height="100%",
                object_fit="cover",
            ),
        ),
        position="relative",
        width=size,
        height=size,
        min_width=size,
        overflow="hidden",
        border_radius="var(--radius-3)",
        background_color=rx.cond(tint == "gray", "var(--gray-a3)", f"var(--{tint}-a3)"),
        box_shadow="inset 0 0 0 1px var(--gray-a4)",
    )


def alias_chips(aliases: rx.Var, more: rx.Var) -> rx.Component:
    return rx.flex(
        rx.foreach(
            aliases,
            lambda alias: rx.badge(
                alias, variant="surface", color_scheme="gray", radius="full", size="1", max_width="140px"
            ),
        ),
        rx.cond(
            more > 0,
            rx.badge("+", more, variant="soft", color_scheme="gray", radius="full", size="1"),
        ),
        rx.cond(
            (aliases.length() == 0) & (more == 0),
            rx.text("None yet", size="1", color="var(--gray-11)"),
        ),
        wrap="wrap",
        gap="1",
        max_width="260px",
    )


def stop(component: rx.Component) -> rx.Component:
    """Controls inside a clickable row: their clicks must not also open the drawer."""
    return rx.box(component, on_click=rx.stop_propagation, display="inline-flex", align_items="center")


def sort_header(label: str, column: str, sort: rx.Var, descending: rx.Var, handler, **props) -> rx.Component:
    active = sort == column
    return rx.table.column_header_cell(
        rx.hstack(
            rx.text(label),
            rx.cond(
                active,
                rx.cond(descending, rx.icon("arrow_down", size=13), rx.icon("arrow_up", size=13)),
                rx.icon("arrow_up_down", size=13, color="var(--gray-8)"),
            ),
            spacing="1",
            align="center",
            justify=props.pop("justify", "start"),
        ),
        on_click=handler(column),
        cursor="pointer",
        user_select="none",
        _hover={"color": "var(--gray-12)"},
        **props,
    )


def search_box(value: rx.Var, on_change, placeholder: str, testid: str) -> rx.Component:
    return rx.input(
        rx.input.slot(rx.icon("search", size=15)),
        rx.cond(
            value != "",
            rx.input.slot(
                rx.icon_button(
                    rx.icon("x", size=13),
                    variant="ghost",
                    color_scheme="gray",
                    size="1",
                    on_click=on_change(""),
                    aria_label="Clear search",
                ),
            ),
        ),
        value=value,
        on_change=on_change,
        debounce_timeout=300,
        placeholder=placeholder,
        size="2",
        width=rx.breakpoints(initial="100%", sm="320px"),
        data_testid=testid,
    )


def select_filter(
    value: rx.Var, on_change, choices: list[tuple[str, str]], testid: str, *, width: str = "190px"
) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(
            data_testid=testid,
            width=width,
            variant="surface",
        ),
        rx.select.content(*[rx.select.item(label, value=key) for key, label in choices]),
        value=value,
        on_change=on_change,
        size="2",
    )


def category_filter(value: rx.Var, on_change, categories: rx.Var, testid: str) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(data_testid=testid, width="180px", variant="surface"),
        rx.select.content(
            rx.select.item("All categories", value=ALL),
            rx.cond(categories.length() > 0, rx.select.separator()),
            rx.foreach(
                categories,
                lambda c: rx.select.item(c[0].upper() + c[1:], value=c),  # as the table shows it
            ),
        ),
        value=value,
        on_change=on_change,
        size="2",
    )


def filtered_empty(noun: str, clear) -> rx.Component:
    """A filter that matches nothing: say so, and offer the way back."""
    return rx.center(
        rx.vstack(
            icon_tile("search_x", size=20, box="44px", color="gray"),
            rx.text(f"No {noun} match these filters", size="3", weight="medium"),
            rx.text("Try another search, or clear the filters to see everything.", size="2", color=MUTED),
            rx.button(
                rx.icon("filter_x", size=14), "Clear filters", variant="soft", on_click=clear, size="2"
            ),
            spacing="3",
            align="center",
        ),
        padding="56px 24px",
        width="100%",
        border="1px dashed var(--gray-a6)",
        border_radius="var(--radius-4)",
    )


def row_menu(kind: str, row, extra: list[rx.Component] | None = None) -> rx.Component:
    return stop(
        rx.menu.root(
            rx.menu.trigger(
                rx.icon_button(
                    rx.icon("ellipsis", size=16),
                    variant="ghost",
                    color_scheme="gray",
                    size="2",
                    aria_label=f"{kind.title()} actions",
                    data_testid=f"{kind}-actions",
                ),
            ),
            rx.menu.content(
                rx.menu.item(
                    rx.hstack(rx.icon("pencil", size=14), rx.text("Edit"), spacing="2", align="center"),
                    on_select=E.open_edit(kind, row.id),
                ),
                *(extra or []),
                rx.menu.separator(),
                rx.menu.item(
                    rx.hstack(rx.icon("trash_2", size=14), rx.text("Delete"), spacing="2", align="center"),
                    color_scheme="red",
                    on_select=S.ask_delete(kind, row.id, row.name),
                    data_testid=f"delete-{kind}",
                ),
                align="end",
                min_width="200px",
            ),
        )
    )


def name_cell(row, code: rx.Var, icon: str, phone: rx.Component | None = None) -> rx.Component:
    """Picture, name (and "Hidden"), code; on a phone also `phone`, the facts of the columns it leaves out."""
    return rx.hstack(
        thumbnail(row.image_url, row.tint, icon),
        rx.vstack(
            rx.hstack(
                rx.text(row.name, size="2", weight="medium", color="var(--gray-12)", trim="both"),
                rx.cond(
                    ~row.is_active,
                    rx.badge(
                        rx.icon("eye_off", size=11), "Hidden", color_scheme="gray", variant="soft", size="1"
                    ),
                ),
                spacing="2",
                align="center",
            ),
            rx.code(code, size="1", variant="ghost", color_scheme="gray"),
            phone if phone is not None else rx.fragment(),
            spacing="1",
            min_width="0",
        ),
        spacing="3",
        align="center",
        opacity=rx.cond(row.is_active, "1", "0.72"),
    )


# -- products and services: the same table, toolbar and panel ---------------------------------------------


def _of(kind: str, name: str):
    """The state's var or handler for one list: `_of("product", "search")` is `S.product_search`."""
    return getattr(S, f"{kind}_{name}")


def shown_switch(checked: rx.Var, on_change, label: str, testid: str) -> rx.Component:
    """A switch column (Shown, Bookable): from a tablet's width up; on a phone it is in the drawer."""
    return rx.table.cell(
        stop(rx.switch(checked=checked, on_change=on_change, size="1", aria_label=label, data_testid=testid)),
        display=FROM_SM,
    )


def item_row(
    kind: str, row, code: rx.Var, icon: str, middle: Callable[[], rx.Component], *cells: rx.Component
):
    """Name, category, price, `middle()` (stock or duration), aliases, then `cells` (switches, menu). On a
    phone: the name (with price and `middle()` under it) and the menu."""
    price = rx.text(row.price, size="2", weight="medium", white_space="nowrap")
    return rx.table.row(
        rx.table.cell(name_cell(row, code, icon, phone_line(price, middle()))),
        rx.table.cell(
            rx.cond(
                row.category != "",
                rx.text(row.category, size="2", color=MUTED),
                rx.text("—", size="2", color="var(--gray-8)"),
            ),
            display=FROM_SM,
        ),
        rx.table.cell(price, text_align="right", display=FROM_SM),
        rx.table.cell(middle(), display=FROM_SM),
        rx.table.cell(alias_chips(row.aliases, row.more_aliases), display=FROM_LG),
        *cells,
        on_click=E.open_edit(kind, row.id),
        cursor="pointer",
        _hover={"background_color": "var(--gray-a2)"},
        align="center",
        data_testid=f"{kind}-row",
    )


def list_table(kind: str, row, *headers: rx.Component) -> rx.Component:
    """One page of `kind`s under their column headers."""
    return rx.table.root(
        rx.table.header(rx.table.row(*headers)),
        rx.table.body(rx.foreach(getattr(S, f"{kind}s"), row)),
        variant="surface",
        size="2",
        width="100%",
        data_testid=f"{kind}s-table",
    )


def item_table(kind: str, title: str, middle: tuple[str, str, str], row, *tail: rx.Component):
    """The sortable header (`middle` is the fourth column: label, sort key, width) over one page of rows."""
    sort, descending, handler = _of(kind, "sort"), _of(kind, "descending"), getattr(S, f"sort_{kind}s")
    return list_table(
        kind,
        row,
        sort_header(title, "name", sort, descending, handler),
        sort_header("Category", "category", sort, descending, handler, width="140px", display=FROM_SM),
        sort_header(
            "Price", "price", sort, descending, handler, width="110px", justify="end", display=FROM_SM
        ),
        sort_header(middle[0], middle[1], sort, descending, handler, width=middle[2], display=FROM_SM),
        rx.table.column_header_cell("Aliases", display=FROM_LG),  # in the drawer below 1280 px
        *tail,
        rx.table.column_header_cell("Shown", width="72px", display=FROM_SM),
        rx.table.column_header_cell("", width="52px"),
    )


def item_toolbar(kind: str, placeholder: str, availability: dict) -> rx.Component:
    return rx.hstack(
        search_box(_of(kind, "search"), getattr(S, f"set_{kind}_search"), placeholder, f"{kind}-search"),
        category_filter(
            _of(kind, "category"),
            getattr(S, f"set_{kind}_category"),
            _of(kind, "categories"),
            f"{kind}-category",
        ),
        select_filter(
            _of(kind, "availability"),
            getattr(S, f"set_{kind}_availability"),
            [(k, label) for k, (label, _) in availability.items()],
            f"{kind}-availability",
        ),
        rx.cond(
            _of(kind, "filtered"),
            rx.button(
                rx.icon("x", size=14),
                "Clear",
                variant="ghost",
                color_scheme="gray",
                size="2",
                on_click=getattr(S, f"clear_{kind}_filters"),
            ),
        ),
        spacing="3",
        align="center",
        width="100%",
        flex_wrap="wrap",
    )


def item_panel(
    kind: str,
    empty: rx.Component,
    toolbar: rx.Component,
    table: rx.Component,
    *,
    resizable: bool = True,
    nothing: rx.Component | None = None,
) -> rx.Component:
    """The first-use state until there is one item; then the toolbar, one page and the pager, or `nothing`
    (by default "no match" with a Clear button) when the filters leave no row."""
    return rx.cond(
        _of(kind, "count") == 0,
        empty,
        rx.vstack(
            toolbar,
            rx.cond(
                getattr(S, f"{kind}s").length() > 0,
                rx.vstack(
                    table,
                    pager(
                        range_label=_of(kind, "range"),
                        page=_of(kind, "page"),
                        pages=_of(kind, "pages"),
                        set_page=getattr(S, f"set_{kind}_page"),
                        size=_of(kind, "page_size"),
                        sizes=PAGE_SIZES,
                        set_size=getattr(S, f"set_{kind}_page_size") if resizable else None,
                        testid=f"{kind}s",
                        padding_x="4px",
                    ),
                    spacing="3",
                    width="100%",
                ),
                nothing
                if nothing is not None
                else filtered_empty(f"{kind}s", getattr(S, f"clear_{kind}_filters")),
            ),
            spacing="4",
            width="100%",
        ),
    )


# -- products ----------------------------------------------------------------------------------------------


def product_row(row: ProductRow) -> rx.Component:
    return item_row(
        "product",
        row,
        row.sku,
        "package",
        lambda: rx.badge(
            rx.box(width="6px", height="6px", border_radius="50%", background_color="currentColor"),
            row.stock_label,
            color_scheme=row.stock_color,
            variant="soft",
            radius="full",
            size="1",
            white_space="nowrap",
            data_testid="stock-badge",
        ),
        shown_switch(
            row.is_active,
            lambda value: S.set_product_active(row.id, value),
            "Shown to customers",
            "product-active",
        ),
        rx.table.cell(
            row_menu(
                "product",
                row,
                [
                    rx.menu.item(
                        rx.hstack(
                            rx.icon("package_x", size=14),
                            rx.text("Mark out of stock"),
                            spacing="2",
                            align="center",
                        ),
                        on_select=S.mark_out_of_stock(row.id),
                        disabled=row.stock <= 0,
                    )
                ],
            ),
            text_align="right",
        ),
    )


def products_empty() -> rx.Component:
    return empty_state(
        "package",
        "Import your products and services",
        "With prices, stock and the names customers really use, the agent can recommend the right item "
        "and answer \u201chow much is it?\u201d even when the product name is misspelled.",
        features=[
            ("file_spreadsheet", "Import a CSV: a preview highlights bad rows before anything is saved"),
            ("tags", "Add aliases, the nicknames and misspellings customers type, to each item"),
            ("package_check", "Keep stock up to date so the agent only offers what you can sell"),
        ],
        action=rx.hstack(
            rx.button(
                rx.icon("file_up", size=16),
                "Import CSV",
                on_click=IMP.open_import("products"),
                size="3",
                data_testid="empty-import",
            ),
            rx.button(
                rx.icon("plus", size=16),
                "Add a product",
                variant="soft",
                on_click=E.open_new("product"),
                size="3",
                data_testid="empty-new-product",
            ),
            spacing="3",
        ),
        note="Not sure about the columns? Download the template from the Import dialog.",
    )


def products_panel() -> rx.Component:
    return item_panel(
        "product",
        products_empty(),
        item_toolbar("product", "Search name, SKU or alias", PRODUCT_AVAILABILITY),
        item_table("product", "Product", ("Stock", "stock", "150px"), product_row),
    )


# -- services ----------------------------------------------------------------------------------------------


def service_row(row: ServiceRow) -> rx.Component:
    return item_row(
        "service",
        row,
        row.code,
        "calendar_check",
        lambda: rx.hstack(
            rx.icon("clock", size=13, color="var(--gray-9)"),
            rx.text(row.duration, size="2", white_space="nowrap"),
            spacing="1",
            align="center",
        ),
        shown_switch(
            row.is_bookable,
            lambda value: S.set_service_bookable(row.id, value),
            "Bookable",
            "service-bookable",
        ),
        shown_switch(
            row.is_active,
            lambda value: S.set_service_active(row.id, value),
            "Shown to customers",
            "service-active",
        ),
        rx.table.cell(row_menu("service", row), text_align="right"),
    )


def services_empty() -> rx.Component:
    return empty_state(
        "calendar_check",
        "Add the services customers can book",
        "Fittings, repairs, treatments, classes: with a price and a duration the agent can explain each "
        "service and tell customers whether it can be booked.",
        features=[
            ("clock", "A duration and price for every service"),
            ("calendar_check", "Open or close booking per service, without deleting it"),
            ("tags", "Aliases so \u201cgait test\u201d finds your Gait Analysis"),
        ],
        action=rx.hstack(
            rx.button(rx.icon("plus", size=16), "Add a service", on_click=E.open_new("service"), size="3"),
            rx.button(
                rx.icon("file_up", size=16),
                "Import CSV",
                variant="soft",
                on_click=IMP.open_import("services"),
                size="3",
            ),
            spacing="3",
        ),
    )


def services_panel() -> rx.Component:
    return item_panel(
        "service",
        services_empty(),
        item_toolbar("service", "Search name, code or alias", SERVICE_AVAILABILITY),
        item_table(
            "service",
            "Service",
            ("Duration", "duration_minutes", "120px"),
            service_row,
            rx.table.column_header_cell("Bookable", width="88px", display=FROM_SM),
        ),
    )


# -- orders and appointments (read-only) -------------------------------------------------------------------


def customer_cell(name: rx.Var, detail: rx.Var, initials: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.avatar(fallback=initials, size="2", radius="full", variant="soft", color_scheme="gray"),
        rx.vstack(
            rx.text(name, size="2", weight="medium", color="var(--gray-12)"),
            rx.cond(detail != "", rx.text(detail, size="1", color=MUTED)),
            spacing="0",
        ),
        spacing="3",
        align="center",
    )


def status_pill(label: rx.Var, color: rx.Var) -> rx.Component:
    return rx.badge(
        label, color_scheme=color, variant="soft", radius="full", size="1", data_testid="status-pill"
    )


def order_row(row: OrderRow) -> rx.Component:
    """Number, customer, items, status, total, placed; on a phone the number (status under it) and the
    customer (total and date under them)."""
    total = rx.text(row.total, size="2", weight="medium", white_space="nowrap")
    return rx.table.row(
        rx.table.cell(
            rx.code(
                row.number,
                size="2",
                variant="ghost",
                weight="medium",
                color_scheme="gray",
                white_space="nowrap",
            ),
            phone_line(status_pill(row.status_label, row.status_color)),
        ),
        rx.table.cell(
            customer_cell(row.customer, row.customer_detail, row.initials),
            phone_line(total, rx.text(row.placed, size="1", color=MUTED), padding_left="44px"),
        ),
        rx.table.cell(
            rx.vstack(
                rx.text(row.summary, size="2"),
                rx.cond(row.more_items != "", rx.text(row.more_items, size="1", color=MUTED)),
                spacing="0",
            ),
            display=FROM_SM,
        ),
        rx.table.cell(status_pill(row.status_label, row.status_color), display=FROM_SM),
        rx.table.cell(total, text_align="right", display=FROM_SM),
        rx.table.cell(rx.text(row.placed, size="2", color=MUTED), text_align="right", display=FROM_SM),
        align="center",
        data_testid="order-row",
    )


def times_note() -> rx.Component:
    return rx.text("Times in ", S.time_zone, size="1", color="var(--gray-11)")


def history_empty(icon: str, title: str, body: str) -> rx.Component:
    return empty_state(
        icon,
        title,
        body,
        action=rx.link(
            rx.button(
                rx.icon("flask_conical", size=16), "Try it in the playground", variant="soft", size="3"
            ),
            href="/playground",
            underline="none",
        ),
    )


def orders_panel() -> rx.Component:
    table = list_table(
        "order",
        order_row,
        rx.table.column_header_cell("Order", width=rx.breakpoints(initial="120px", sm="140px")),
        rx.table.column_header_cell("Customer"),
        rx.table.column_header_cell("Items", display=FROM_SM),
        rx.table.column_header_cell("Status", width="120px", display=FROM_SM),
        rx.table.column_header_cell("Total", width="110px", text_align="right", display=FROM_SM),
        rx.table.column_header_cell("Placed", width="150px", text_align="right", display=FROM_SM),
    )
    return item_panel(
        "order",
        history_empty(
            "receipt",
            "No orders yet",
            "Orders your customers place appear here with their status, so the agent can answer "
            "\u201cwhere is my order?\u201d on WhatsApp without anyone looking it up.",
        ),
        rx.hstack(
            select_filter(
                S.order_status, S.set_order_status, list(ORDER_STATUS_CHOICES), "order-status", width="170px"
            ),
            rx.spacer(),
            times_note(),
            align="center",
            width="100%",
            flex_wrap="wrap",
        ),
        table,
        resizable=False,
        nothing=filtered_empty("orders", S.set_order_status(ALL)),
    )


def appointment_row(row: AppointmentRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.hstack(
                rx.box(
                    width="3px",
                    height="32px",
                    border_radius="2px",
                    background_color=rx.cond(row.upcoming, "var(--accent-9)", "var(--gray-6)"),
                ),
                rx.vstack(
                    rx.text(row.day, size="2", weight="medium", color="var(--gray-12)", white_space="nowrap"),
                    rx.text(row.time, size="1", color=MUTED, white_space="nowrap"),
                    phone_line(status_pill(row.status_label, row.status_color)),
                    spacing="0",
                ),
                spacing="3",
                align="center",
            )
        ),
        rx.table.cell(
            rx.vstack(
                rx.text(row.service, size="2"),
                rx.cond(row.duration != "", rx.text(row.duration, size="1", color=MUTED)),
                phone_line(rx.text(row.customer, size="2", weight="medium", color="var(--gray-12)")),
                spacing="0",
            )
        ),
        rx.table.cell(customer_cell(row.customer, row.customer_detail, row.initials), display=FROM_SM),
        rx.table.cell(status_pill(row.status_label, row.status_color), display=FROM_SM),
        rx.table.cell(
            rx.text(row.notes, size="1", color=MUTED, max_width="260px", truncate=True),
            display=column_from("md"),
        ),
        align="center",
        data_testid="appointment-row",
    )


def appointments_panel() -> rx.Component:
    table = list_table(
        "appointment",
        appointment_row,
        rx.table.column_header_cell("When", width=rx.breakpoints(initial="128px", sm="170px")),
        rx.table.column_header_cell("Service"),
        rx.table.column_header_cell("Customer", display=FROM_SM),
        rx.table.column_header_cell("Status", width="120px", display=FROM_SM),
        rx.table.column_header_cell("Notes", display=column_from("md")),
    )
    return item_panel(
        "appointment",
        history_empty(
            "calendar_clock",
            "No appointments yet",
            "Bookings for your services appear here. The agent reads them to remind customers of their "
            "time and to answer \u201cwhen is my fitting?\u201d.",
        ),
        rx.hstack(
            rx.segmented_control.root(
                *[
                    rx.segmented_control.item(label, value=key)
                    for key, (label, _) in APPOINTMENT_WHEN.items()
                ],
                value=S.appointment_when,
                on_change=S.set_appointment_when,
                size="2",
                data_testid="appointment-when",
            ),
            select_filter(
                S.appointment_status,
                S.set_appointment_status,
                list(APPOINTMENT_STATUS_CHOICES),
                "appointment-status",
                width="170px",
            ),
            rx.spacer(),
            times_note(),
            spacing="3",
            align="center",
            width="100%",
            flex_wrap="wrap",
        ),
        table,
        resizable=False,
        nothing=rx.center(
            rx.vstack(
                icon_tile("calendar_off", size=20, box="44px", color="gray"),
                rx.text("Nothing in this view", size="3", weight="medium"),
                rx.text("No appointments match; try Past or All.", size="2", color=MUTED),
                spacing="3",
                align="center",
            ),
            padding="56px 24px",
            width="100%",
            border="1px dashed var(--gray-a6)",
            border_radius="var(--radius-4)",
        ),
    )


# -- the tab bar and its actions ---------------------------------------------------------------------------

COUNTS = {
    "products": S.product_count,
    "services": S.service_count,
    "orders": S.order_count,
    "appointments": S.appointment_count,
}


def export_menu(kind: str) -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.icon("download", size=15),
                "Export",
                rx.icon("chevron_down", size=14),
                variant="soft",
                color_scheme="gray",
                size="2",
                data_testid=f"export-{kind}",
            ),
        ),
        rx.menu.content(
            rx.menu.item(
                rx.hstack(rx.icon("file_down", size=14), rx.text(f"Export {kind} as CSV"), spacing="2"),
                on_select=IMP.export_csv(kind),
            ),
            rx.menu.item(
                rx.hstack(
                    rx.icon("file_spreadsheet", size=14), rx.text("Download an empty template"), spacing="2"
                ),
                on_select=IMP.download_template(kind),
            ),
            align="end",
        ),
    )


def tab_actions() -> rx.Component:
    def actions(kind: str, singular: str) -> rx.Component:
        return rx.hstack(
            rx.button(
                rx.icon("file_up", size=15),
                "Import",
                variant="soft",
                color_scheme="gray",
                size="2",
                on_click=IMP.open_import(kind),
                data_testid=f"import-{kind}",
            ),
            export_menu(kind),
            rx.button(
                rx.icon("plus", size=16),
                f"New {singular}",
                size="2",
                on_click=E.open_new(singular),
                data_testid=f"new-{singular}",
            ),
            spacing="2",
            align="center",
        )

    return rx.match(
        S.tab,
        ("products", rx.cond(S.product_count > 0, actions("products", "product"))),
        ("services", rx.cond(S.service_count > 0, actions("services", "service"))),
        rx.fragment(),
    )


def catalog_tabs(panels: dict[str, rx.Component]) -> rx.Component:
    return page_tabs(
        [Tab(key, label, icon, count=COUNTS[key]) for key, label, icon in CATALOG_TABS],
        value=S.tab,
        on_change=S.set_tab,
        panels=panels,
        actions=tab_actions(),
        testid="catalog-tabs",
    )


# -- delete confirmation -----------------------------------------------------------------------------------


def delete_dialog() -> rx.Component:
    return confirm_dialog(
        "Delete \u201c",
        S.delete_name,
        "\u201d?",
        description=rx.cond(
            S.delete_kind == "product",
            "The product is removed from the catalog and the agent stops offering it. Past orders "
            "keep their own copy of its name and price.",
            "The service is removed from the catalog and the agent stops offering it.",
        ),
        extra=rx.cond(
            S.delete_error != "",
            rx.callout(
                rx.vstack(
                    rx.text(S.delete_error, weight="medium"),
                    rx.text(
                        "Hide it instead: customers can no longer see or book it, and its appointments "
                        "stay in the calendar.",
                        size="2",
                    ),
                    spacing="1",
                ),
                icon="calendar_x",
                color_scheme="amber",
                variant="surface",
                margin_top="16px",
                data_testid="delete-error",
            ),
        ),
        action=rx.cond(
            S.delete_error != "",
            rx.button(
                rx.icon("eye_off", size=14),
                "Hide instead",
                on_click=S.deactivate_instead,
                data_testid="deactivate-instead",
            ),
            rx.button("Delete", color_scheme="red", on_click=S.confirm_delete, data_testid="confirm-delete"),
        ),
        max_width="460px",
        open=S.delete_open,
        on_open_change=S.set_delete_open,
    )
