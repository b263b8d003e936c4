"""State of the Catalog page: the four tabs' tables, their filters and paging, row toggles and deletes.

Everything goes through `engine.catalog` (lists paged and filtered in SQL, writes validated and audited by the
engine). The drawer that edits one item is `CatalogEditorState` (catalog_editor.py) and the CSV wizard is
`CatalogImportState` (catalog_import.py); both call `refresh()` here after a write. Every handler re-checks
the session and the `agent:manage` scope first: a forged event from another role changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

import reflex as rx

from console.state.catalog_rows import (
    APPOINTMENT_STATUS,
    ORDER_STATUS,
    AppointmentRow,
    OrderRow,
    ProductRow,
    ServiceRow,
    appointment_row,
    order_row,
    product_row,
    service_row,
)
from console.state.formatting import currency_symbol
from console.state.guard import PageState
from console.state.session import sentence
from engine import catalog
from engine.accounts import tenants
from engine.accounts.sessions import SignedIn
from engine.catalog import CatalogError, CatalogNotFound
from engine.db import session_scope

# (key, label, icon) in display order; `?tab=<key>` opens one directly.
CATALOG_TABS: tuple[tuple[str, str, str], ...] = (
    ("products", "Products", "package"),
    ("services", "Services", "calendar_check"),
    ("orders", "Orders", "receipt"),
    ("appointments", "Appointments", "calendar_clock"),
)
TAB_KEYS: frozenset[str] = frozenset(key for key, _, _ in CATALOG_TABS)

ALL = "all"
PAGE_SIZES: tuple[str, ...] = ("10", "25", "50", "100")
DEFAULT_PAGE_SIZE = 25

# Availability filters: key -> (label, keyword arguments for the engine's list function).
PRODUCT_AVAILABILITY: dict[str, tuple[str, dict[str, bool]]] = {
    ALL: ("Any availability", {}),
    "in_stock": ("In stock", {"in_stock": True}),
    "out_of_stock": ("Out of stock", {"in_stock": False}),
    "active": ("Shown to customers", {"active": True}),
    "hidden": ("Hidden", {"active": False}),
}
SERVICE_AVAILABILITY: dict[str, tuple[str, dict[str, bool]]] = {
    ALL: ("Any availability", {}),
    "bookable": ("Bookable", {"bookable": True}),
    "not_bookable": ("Not bookable", {"bookable": False}),
    "active": ("Shown to customers", {"active": True}),
    "hidden": ("Hidden", {"active": False}),
}
PRODUCT_SORTS: frozenset[str] = frozenset({"name", "price", "stock", "category"})
SERVICE_SORTS: frozenset[str] = frozenset({"name", "price", "duration_minutes", "category"})
APPOINTMENT_WHEN: dict[str, tuple[str, bool | None]] = {
    "upcoming": ("Upcoming", True),
    "past": ("Past", False),
    ALL: ("All", None),
}
ORDER_STATUS_CHOICES: tuple[tuple[str, str], ...] = ((ALL, "Any status"),) + tuple(
    (key, label) for key, (label, _) in ORDER_STATUS.items()
)
APPOINTMENT_STATUS_CHOICES: tuple[tuple[str, str], ...] = ((ALL, "Any status"),) + tuple(
    (key, label) for key, (label, _) in APPOINTMENT_STATUS.items()
)


def pages_of(total: int, page_size: int) -> int:
    return max(1, -(-total // max(1, page_size)))


def range_label(page: int, page_size: int, total: int, noun: str) -> str:
    """ "1–25 of 75 products"."""
    if total == 0:
        return f"No {noun}"
    first = (page - 1) * page_size + 1
    last = min(total, page * page_size)
    return f"{first}–{last} of {total:,} {noun if total != 1 else noun.rstrip('s')}"


class CatalogState(PageState, rx.State):
    """The Catalog page (scope `agent:manage`): products, services, orders, appointments."""

    page_key: ClassVar[str] = "catalog"

    tab: str = "products"
    loaded: bool = False
    currency: str = "USD"
    time_zone: str = "UTC"

    # Unfiltered totals: tab badges, and whether a tab shows its first-run empty state.
    product_count: int = 0
    service_count: int = 0
    order_count: int = 0
    appointment_count: int = 0

    # Products.
    products: list[ProductRow] = []
    product_categories: list[str] = []
    product_search: str = ""
    product_category: str = ALL
    product_availability: str = ALL
    product_sort: str = "name"
    product_descending: bool = False
    product_page: int = 1
    product_page_size: int = DEFAULT_PAGE_SIZE
    product_total: int = 0

    # Services.
    services: list[ServiceRow] = []
    service_categories: list[str] = []
    service_search: str = ""
    service_category: str = ALL
    service_availability: str = ALL
    service_sort: str = "name"
    service_descending: bool = False
    service_page: int = 1
    service_page_size: int = DEFAULT_PAGE_SIZE
    service_total: int = 0

    # Orders.
    orders: list[OrderRow] = []
    order_status: str = ALL
    order_page: int = 1
    order_page_size: int = DEFAULT_PAGE_SIZE
    order_total: int = 0

    # Appointments.
    appointments: list[AppointmentRow] = []
    appointment_when: str = "upcoming"
    appointment_status: str = ALL
    appointment_page: int = 1
    appointment_page_size: int = DEFAULT_PAGE_SIZE
    appointment_total: int = 0

    # Delete confirmation; a booked service cannot be deleted, and the dialog then offers to hide it.
    delete_open: bool = False
    delete_kind: str = ""
    delete_id: int = 0
    delete_name: str = ""
    delete_error: str = ""

    # -- derived --------------------------------------------------------------------------------------------

    @rx.var
    def product_pages(self) -> int:
        return pages_of(self.product_total, self.product_page_size)

    @rx.var
    def service_pages(self) -> int:
        return pages_of(self.service_total, self.service_page_size)

    @rx.var
    def order_pages(self) -> int:
        return pages_of(self.order_total, self.order_page_size)

    @rx.var
    def appointment_pages(self) -> int:
        return pages_of(self.appointment_total, self.appointment_page_size)

    @rx.var
    def product_range(self) -> str:
        return range_label(self.product_page, self.product_page_size, self.product_total, "products")

    @rx.var
    def service_range(self) -> str:
        return range_label(self.service_page, self.service_page_size, self.service_total, "services")

    @rx.var
    def order_range(self) -> str:
        return range_label(self.order_page, self.order_page_size, self.order_total, "orders")

    @rx.var
    def appointment_range(self) -> str:
        return range_label(
            self.appointment_page, self.appointment_page_size, self.appointment_total, "appointments"
        )

    @rx.var
    def currency_symbol(self) -> str:
        return currency_symbol(self.currency).strip()

    @rx.var
    def product_filtered(self) -> bool:
        return bool(
            self.product_search.strip() or self.product_category != ALL or self.product_availability != ALL
        )

    @rx.var
    def service_filtered(self) -> bool:
        return bool(
            self.service_search.strip() or self.service_category != ALL or self.service_availability != ALL
        )

    # -- loading --------------------------------------------------------------------------------------------

    def on_allowed(self, who: SignedIn) -> Any:
        requested = self.router.url.query_parameters.get("tab", "")
        if requested in TAB_KEYS:
            self.tab = requested
        self._load_all(who)
        return None

    def on_refused(self) -> None:
        self.loaded = False
        self.products, self.services, self.orders, self.appointments = [], [], [], []
        self.product_categories, self.service_categories = [], []
        self.product_count = self.service_count = self.order_count = self.appointment_count = 0
        self.product_total = self.service_total = self.order_total = self.appointment_total = 0
        self._close_delete()

    def _load_all(self, who: SignedIn) -> None:
        with session_scope() as db:
            display = tenants.display_settings(db, who.tenant_id)
            self.currency, self.time_zone = display.currency, display.time_zone
            self._load_products(db, who.tenant_id)
            self._load_services(db, who.tenant_id)
            self._load_orders(db, who.tenant_id)
            self._load_appointments(db, who.tenant_id)
            self._load_counts(db, who.tenant_id)
        self.loaded = True

    def _load_counts(self, db: Any, tenant_id: int) -> None:
        self.product_count = catalog.list_products(db, tenant_id, page_size=1).total
        self.service_count = catalog.list_services(db, tenant_id, page_size=1).total
        self.order_count = catalog.list_orders(db, tenant_id, page_size=1).total
        self.appointment_count = catalog.list_appointments(db, tenant_id, page_size=1).total
        self.product_categories = catalog.product_categories(db, tenant_id)
        self.service_categories = catalog.service_categories(db, tenant_id)

    def _load_products(self, db: Any, tenant_id: int) -> None:
        _, filters = PRODUCT_AVAILABILITY.get(self.product_availability, PRODUCT_AVAILABILITY[ALL])
        query = {
            "search": self.product_search.strip() or None,
            "category": None if self.product_category == ALL else self.product_category,
            "sort": self.product_sort,
            "descending": self.product_descending,
            "page_size": self.product_page_size,
            **filters,
        }
        page = catalog.list_products(db, tenant_id, page=self.product_page, **query)
        if not page.items and page.total and self.product_page > 1:  # the last page emptied: step back
            self.product_page = pages_of(page.total, self.product_page_size)
            page = catalog.list_products(db, tenant_id, page=self.product_page, **query)
        self.product_total = page.total
        self.products = [product_row(p, self.currency) for p in page.items]

    def _load_services(self, db: Any, tenant_id: int) -> None:
        _, filters = SERVICE_AVAILABILITY.get(self.service_availability, SERVICE_AVAILABILITY[ALL])
        query = {
            "search": self.service_search.strip() or None,
            "category": None if self.service_category == ALL else self.service_category,
            "sort": self.service_sort,
            "descending": self.service_descending,
            "page_size": self.service_page_size,
            **filters,
        }
        page = catalog.list_services(db, tenant_id, page=self.service_page, **query)
        if not page.items and page.total and self.service_page > 1:
            self.service_page = pages_of(page.total, self.service_page_size)
            page = catalog.list_services(db, tenant_id, page=self.service_page, **query)
        self.service_total = page.total
        self.services = [service_row(s, self.currency) for s in page.items]

    def _load_orders(self, db: Any, tenant_id: int) -> None:
        status = None if self.order_status == ALL else self.order_status
        page = catalog.list_orders(
            db, tenant_id, status=status, page=self.order_page, page_size=self.order_page_size
        )
        if not page.items and page.total and self.order_page > 1:
            self.order_page = pages_of(page.total, self.order_page_size)
            page = catalog.list_orders(
                db, tenant_id, status=status, page=self.order_page, page_size=self.order_page_size
            )
        self.order_total = page.total
        self.orders = [order_row(o, self.currency, self.time_zone) for o in page.items]

    def _load_appointments(self, db: Any, tenant_id: int) -> None:
        _, upcoming = APPOINTMENT_WHEN.get(self.appointment_when, APPOINTMENT_WHEN["upcoming"])
        status = None if self.appointment_status == ALL else self.appointment_status
        now = datetime.now(UTC)
        query = {"upcoming": upcoming, "status": status, "now": now, "page_size": self.appointment_page_size}
        page = catalog.list_appointments(db, tenant_id, page=self.appointment_page, **query)
        if not page.items and page.total and self.appointment_page > 1:
            self.appointment_page = pages_of(page.total, self.appointment_page_size)
            page = catalog.list_appointments(db, tenant_id, page=self.appointment_page, **query)
        self.appointment_total = page.total
        self.appointments = [appointment_row(a, self.time_zone, now) for a in page.items]

    def _reload(self, who: SignedIn, *parts: str) -> None:
        """Reload some tables ("products", "services", "orders", "appointments") and the tab counts."""
        with session_scope() as db:
            if "products" in parts:
                self._load_products(db, who.tenant_id)
            if "services" in parts:
                self._load_services(db, who.tenant_id)
            if "orders" in parts:
                self._load_orders(db, who.tenant_id)
            if "appointments" in parts:
                self._load_appointments(db, who.tenant_id)
            self._load_counts(db, who.tenant_id)

    def refresh(self, who: SignedIn, kind: str) -> None:
        """After the drawer or the import wrote: reload that kind's table ("products" or "services")."""
        self._reload(who, kind)

    # -- tabs -----------------------------------------------------------------------------------------------

    @rx.event
    async def set_tab(self, tab: str):
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        if tab in TAB_KEYS:
            self.tab = tab
        return None

    # -- products: filters, sorting, paging -----------------------------------------------------------------

    async def _products(self, **changes: Any):
        """Apply filter changes (back to page 1 unless the page itself changes) and reload products."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        for name, value in changes.items():
            setattr(self, name, value)
        if "product_page" not in changes:
            self.product_page = 1
        try:
            self._reload(who, "products")
        except CatalogError as exc:
            return rx.toast.error(sentence(str(exc)))
        return None

    @rx.event
    async def set_product_search(self, text: str):
        return await self._products(product_search=str(text)[:200])

    @rx.event
    async def set_product_category(self, category: str):
        return await self._products(product_category=str(category) or ALL)

    @rx.event
    async def set_product_availability(self, key: str):
        return await self._products(product_availability=key if key in PRODUCT_AVAILABILITY else ALL)

    @rx.event
    async def clear_product_filters(self):
        return await self._products(product_search="", product_category=ALL, product_availability=ALL)

    @rx.event
    async def sort_products(self, column: str):
        """Sort by a column; the same column again flips the direction."""
        if column not in PRODUCT_SORTS:
            return None
        descending = not self.product_descending if column == self.product_sort else False
        return await self._products(product_sort=column, product_descending=descending)

    @rx.event
    async def set_product_page(self, page: int):
        page = max(1, min(int(page), pages_of(self.product_total, self.product_page_size)))
        return await self._products(product_page=page)

    @rx.event
    async def set_product_page_size(self, size: str):
        value = int(size) if str(size) in PAGE_SIZES else DEFAULT_PAGE_SIZE
        return await self._products(product_page_size=value)

    # -- services: filters, sorting, paging -----------------------------------------------------------------

    async def _services(self, **changes: Any):
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        for name, value in changes.items():
            setattr(self, name, value)
        if "service_page" not in changes:
            self.service_page = 1
        try:
            self._reload(who, "services")
        except CatalogError as exc:
            return rx.toast.error(sentence(str(exc)))
        return None

    @rx.event
    async def set_service_search(self, text: str):
        return await self._services(service_search=str(text)[:200])

    @rx.event
    async def set_service_category(self, category: str):
        return await self._services(service_category=str(category) or ALL)

    @rx.event
    async def set_service_availability(self, key: str):
        return await self._services(service_availability=key if key in SERVICE_AVAILABILITY else ALL)

    @rx.event
    async def clear_service_filters(self):
        return await self._services(service_search="", service_category=ALL, service_availability=ALL)

    @rx.event
    async def sort_services(self, column: str):
        if column not in SERVICE_SORTS:
            return None
        descending = not self.service_descending if column == self.service_sort else False
        return await self._services(service_sort=column, service_descending=descending)

    @rx.event
    async def set_service_page(self, page: int):
        page = max(1, min(int(page), pages_of(self.service_total, self.service_page_size)))
        return await self._services(service_page=page)

    @rx.event
    async def set_service_page_size(self, size: str):
        value = int(size) if str(size) in PAGE_SIZES else DEFAULT_PAGE_SIZE
        return await self._services(service_page_size=value)

    # -- orders and appointments ----------------------------------------------------------------------------

    async def _history(self, part: str, **changes: Any):
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        for name, value in changes.items():
            setattr(self, name, value)
        page_var = f"{part[:-1]}_page"
        if page_var not in changes:
            setattr(self, page_var, 1)
        try:
            self._reload(who, part)
        except CatalogError as exc:
            return rx.toast.error(sentence(str(exc)))
        return None

    @rx.event
    async def set_order_status(self, status: str):
        return await self._history("orders", order_status=status if status in ORDER_STATUS else ALL)

    @rx.event
    async def set_order_page(self, page: int):
        page = max(1, min(int(page), pages_of(self.order_total, self.order_page_size)))
        return await self._history("orders", order_page=page)

    @rx.event
    async def set_appointment_when(self, when: str | list[str]):
        when = when if isinstance(when, str) else (when[0] if when else "upcoming")
        return await self._history(
            "appointments", appointment_when=when if when in APPOINTMENT_WHEN else "upcoming"
        )

    @rx.event
    async def set_appointment_status(self, status: str):
        value = status if status in APPOINTMENT_STATUS else ALL
        return await self._history("appointments", appointment_status=value)

    @rx.event
    async def set_appointment_page(self, page: int):
        page = max(1, min(int(page), pages_of(self.appointment_total, self.appointment_page_size)))
        return await self._history("appointments", appointment_page=page)

    # -- availability toggles from the table ----------------------------------------------------------------

    @rx.event
    async def set_product_active(self, product_id: int, active: bool):
        """Show or hide a product (the agent never offers hidden products)."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                dto = catalog.set_product_active(
                    db, who.tenant_id, int(product_id), bool(active), **actor(who)
                )
        except (CatalogError, CatalogNotFound) as exc:
            self._reload(who, "products")
            return rx.toast.error(problem(exc, "product"))
        self._reload(who, "products")
        shown = "is shown to customers again" if dto.is_active else "is hidden from customers"
        return rx.toast.success(f"{dto.name} {shown}.")

    @rx.event
    async def set_service_active(self, service_id: int, active: bool):
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                dto = catalog.set_service_active(
                    db, who.tenant_id, int(service_id), bool(active), **actor(who)
                )
        except (CatalogError, CatalogNotFound) as exc:
            self._reload(who, "services")
            return rx.toast.error(problem(exc, "service"))
        self._reload(who, "services")
        shown = "is shown to customers again" if dto.is_active else "is hidden from customers"
        return rx.toast.success(f"{dto.name} {shown}.")

    @rx.event
    async def set_service_bookable(self, service_id: int, bookable: bool):
        """Open or close booking for a service (walk-in only when closed)."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                dto = catalog.set_service_bookable(
                    db, who.tenant_id, int(service_id), bool(bookable), **actor(who)
                )
        except (CatalogError, CatalogNotFound) as exc:
            self._reload(who, "services")
            return rx.toast.error(problem(exc, "service"))
        self._reload(who, "services")
        state = "can be booked" if dto.is_bookable else "can no longer be booked"
        return rx.toast.success(f"{dto.name} {state}.")

    @rx.event
    async def mark_out_of_stock(self, product_id: int):
        """Set a product's stock to 0 from its row menu."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                dto = catalog.set_product_stock(db, who.tenant_id, int(product_id), 0, **actor(who))
        except (CatalogError, CatalogNotFound) as exc:
            self._reload(who, "products")
            return rx.toast.error(problem(exc, "product"))
        self._reload(who, "products")
        return rx.toast.success(f"{dto.name} is marked out of stock.")

    # -- delete ---------------------------------------------------------------------------------------------

    @rx.event
    async def ask_delete(self, kind: str, item_id: int, name: str):
        """Open the delete confirmation for a product or a service."""
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        if kind not in ("product", "service"):
            return None
        self.delete_kind = kind
        self.delete_id = int(item_id)
        self.delete_name = str(name)
        self.delete_error = ""
        self.delete_open = True
        return None

    @rx.event
    def set_delete_open(self, is_open: bool):
        """Cancel the confirmation. Opening goes through `ask_delete`, which checks the role."""
        if not is_open:
            self._close_delete()

    def _close_delete(self) -> None:
        self.delete_open = False
        self.delete_kind = self.delete_name = self.delete_error = ""
        self.delete_id = 0

    @rx.event
    async def confirm_delete(self):
        """Delete the item named in the confirmation. A booked service stays, and the dialog says why."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        kind, item_id, name = self.delete_kind, self.delete_id, self.delete_name
        if kind not in ("product", "service") or item_id <= 0:
            self._close_delete()
            return None
        try:
            with session_scope() as db:
                if kind == "product":
                    catalog.delete_product(db, who.tenant_id, item_id, **actor(who))
                else:
                    catalog.delete_service(db, who.tenant_id, item_id, **actor(who))
        except CatalogError as exc:
            # The engine refuses to delete a booked service: keep the dialog open with its reason.
            self.delete_error = sentence(exc.errors[0].message if exc.errors else str(exc))
            return None
        except CatalogNotFound:
            self._close_delete()
            self._reload(who, f"{kind}s")
            return rx.toast.error(f"That {kind} no longer exists.")
        self._close_delete()
        self._reload(who, f"{kind}s")
        editor = await self.get_state(_editor_state())
        editor.close_if_showing(kind, item_id)
        return rx.toast.success(f"{name} was deleted.")

    @rx.event
    async def deactivate_instead(self):
        """The way out the engine offers for a service with appointments: hide it instead."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        if self.delete_kind != "service" or self.delete_id <= 0:
            self._close_delete()
            return None
        service_id = self.delete_id
        try:
            with session_scope() as db:
                dto = catalog.set_service_active(db, who.tenant_id, service_id, False, **actor(who))
        except (CatalogError, CatalogNotFound) as exc:
            self._close_delete()
            self._reload(who, "services")
            return rx.toast.error(problem(exc, "service"))
        self._close_delete()
        self._reload(who, "services")
        editor = await self.get_state(_editor_state())
        editor.sync_active("service", service_id, False)
        return rx.toast.success(f"{dto.name} is hidden from customers; its appointments are kept.")


def actor(who: SignedIn) -> dict[str, Any]:
    """Who the engine records in the audit log for a console write."""
    return {"actor_user_id": who.user_id, "actor_label": who.email}


def problem(exc: Exception, kind: str) -> str:
    """A toast for a refused write: the engine's reason, or that the item is gone."""
    if isinstance(exc, CatalogNotFound):
        return f"That {kind} no longer exists."
    if isinstance(exc, CatalogError) and exc.errors:
        return sentence(exc.errors[0].message)
    return sentence(str(exc))


def _editor_state() -> type[rx.State]:
    from console.state.catalog_editor import CatalogEditorState

    return CatalogEditorState
