"""State of the Catalog drawer: create or edit one product or service.

The form's plain fields are submitted together (`save(form_data)`); the chip lists (aliases, sizes, colours,
related products) and the availability switches live here while the drawer is open. The engine validates the
whole item and names every field at fault (`CatalogError.errors`); each message is shown next to its field.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import reflex as rx

from console.state.catalog import CatalogState, actor, problem
from console.state.catalog_rows import short_when
from console.state.guard import PageState
from console.state.session import sentence
from engine import catalog
from engine.accounts.sessions import SignedIn
from engine.catalog import CatalogError, CatalogNotFound, ProductDTO, ServiceDTO
from engine.catalog.schemas import (
    MAX_ALIAS_LENGTH,
    MAX_ALIASES,
    MAX_LIST_ITEM_LENGTH,
    MAX_LIST_ITEMS,
    MAX_RELATED,
)
from engine.db import session_scope

KINDS = ("product", "service")

# Text inputs of each kind's form, as the engine names them.
PRODUCT_FIELDS: tuple[str, ...] = ("name", "sku", "price", "stock", "category", "description", "image_url")
SERVICE_FIELDS: tuple[str, ...] = (
    "name",
    "code",
    "price",
    "duration_minutes",
    "category",
    "description",
    "image_url",
)
# Chip lists: state var -> (engine field, most items, longest item, what one item is called).
CHIP_LISTS: dict[str, tuple[str, int, int, str]] = {
    "aliases": ("aliases", MAX_ALIASES, MAX_ALIAS_LENGTH, "alias"),
    "sizes": ("sizes", MAX_LIST_ITEMS, MAX_LIST_ITEM_LENGTH, "size"),
    "colors": ("colors", MAX_LIST_ITEMS, MAX_LIST_ITEM_LENGTH, "colour"),
}
LABELS: dict[str, str] = {
    "name": "Name",
    "sku": "SKU",
    "code": "Code",
    "price": "Price",
    "stock": "Stock",
    "duration_minutes": "Duration",
    "category": "Category",
    "description": "Description",
    "image_url": "Image URL",
    "aliases": "Aliases",
    "sizes": "Sizes",
    "colors": "Colours",
    "related_skus": "Related products",
    "is_active": "Shown to customers",
    "is_bookable": "Bookable",
    "variants": "Stock per size and colour",
}
_CHIP_SPLIT = re.compile(r"[|,\n]")
RELATED_SUGGESTIONS = 6


def field_message(field: str, message: str) -> str:
    """ "Price must be a number like 19.99." from the engine's ("price", "must be a number like 19.99")."""
    text = message.strip()
    if text.startswith(("must ", "is ", "at most ", "each ")):
        return sentence(f"{LABELS.get(field, field.replace('_', ' ').capitalize())} {text}")
    return sentence(text)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def variant_key(size: str, color: str) -> str:
    """A grid cell's key: chips never hold '|' (it separates chips), so it cannot be ambiguous."""
    return f"{size}|{color}"


class CatalogEditorState(PageState, rx.State):
    """The side drawer. `item_id` 0 means a new item."""

    page_key: ClassVar[str] = "catalog"

    open: bool = False
    kind: str = "product"
    item_id: int = 0
    form_key: int = 0  # bumped on every open so the uncontrolled inputs take their new default values
    title: str = ""
    updated: str = ""

    values: dict[str, str] = {}
    is_active: bool = True
    is_bookable: bool = True
    aliases: list[str] = []
    sizes: list[str] = []
    colors: list[str] = []
    related: list[dict[str, str]] = []  # {"sku", "name"}
    related_options: list[dict[str, str]] = []
    # Stock per size × colour (engine.catalog.variants): on, the grid's cells replace the one stock figure.
    per_variant: bool = False
    variant_stock: dict[str, str] = {}  # "size|colour" -> stock as typed

    errors: dict[str, str] = {}
    form_error: str = ""
    saving: bool = False

    @rx.var
    def is_new(self) -> bool:
        return self.item_id == 0

    @rx.var
    def grid_colors(self) -> list[str]:
        """The grid's columns: the colours, or one "Stock" column when the product has none."""
        return list(self.colors) or [""]

    @rx.var
    def stock_grid(self) -> list[list[list[str]]]:
        """One row per size (one "All sizes" row when there are none): [label, [cell key, stock], ...]."""
        rows = []
        for size in list(self.sizes) or [""]:
            cells = [
                [variant_key(size, c), self.variant_stock.get(variant_key(size, c), "0")]
                for c in self.grid_colors
            ]
            rows.append([[size or "All sizes", ""], *cells])
        return rows

    @rx.var
    def variant_total(self) -> int:
        return sum(int(v) for v in self.variant_stock.values() if v.isdigit())

    @rx.var
    def error_count(self) -> int:
        return len(self.errors) + (1 if self.form_error else 0)

    # -- page lifecycle -------------------------------------------------------------------------------------

    def on_allowed(self, who: SignedIn) -> Any:
        self._reset()
        return None

    def on_refused(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.open = False
        self.item_id = 0
        self.title = self.updated = ""
        self.values = {}
        self.is_active = self.is_bookable = True
        self.aliases, self.sizes, self.colors = [], [], []
        self.related, self.related_options = [], []
        self.per_variant, self.variant_stock = False, {}
        self.errors, self.form_error = {}, ""
        self.saving = False

    def close_if_showing(self, kind: str, item_id: int) -> None:
        """Called when an item is deleted elsewhere on the page."""
        if self.open and self.kind == kind and self.item_id == item_id:
            self._reset()

    def sync_active(self, kind: str, item_id: int, active: bool) -> None:
        if self.open and self.kind == kind and self.item_id == item_id:
            self.is_active = active

    # -- opening --------------------------------------------------------------------------------------------

    @rx.event
    async def open_new(self, kind: str):
        """An empty drawer for a new product or service."""
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        if kind not in KINDS:
            return None
        self._reset()
        self.kind = kind
        self.values = {"stock": "0"} if kind == "product" else {"duration_minutes": "30"}
        self.title = f"New {kind}"
        self.form_key += 1
        self.open = True
        return None

    @rx.event
    async def open_edit(self, kind: str, item_id: int):
        """The drawer filled with one item, read fresh from the engine."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        if kind not in KINDS:
            return None
        page = await self.get_state(CatalogState)
        try:
            with session_scope() as db:
                if kind == "product":
                    product = catalog.get_product(db, who.tenant_id, int(item_id))
                    names = _product_names(db, who.tenant_id, list(product.related_skus))
                    self._reset()
                    self._fill_product(product, names)
                    changed = product.updated_at
                else:
                    service = catalog.get_service(db, who.tenant_id, int(item_id))
                    self._reset()
                    self._fill_service(service)
                    changed = service.updated_at
        except CatalogNotFound:
            page.refresh(who, f"{kind}s")
            return rx.toast.error(f"That {kind} no longer exists.")
        self.updated = f"Last changed {short_when(changed, page.time_zone)}"
        self.form_key += 1
        self.open = True
        return None

    def _fill_product(self, dto: ProductDTO, names: dict[str, str]) -> None:
        self.kind = "product"
        self.item_id = dto.id
        self.title = dto.name
        self.values = {name: _text(getattr(dto, name)) for name in PRODUCT_FIELDS}
        self.is_active = dto.is_active
        self.aliases = list(dto.aliases)
        self.sizes = list(dto.sizes)
        self.colors = list(dto.colors)
        self.related = [{"sku": sku, "name": names.get(sku.lower(), "")} for sku in dto.related_skus]
        self.per_variant = bool(dto.variants)
        self.variant_stock = {
            variant_key(str(v.get("size") or ""), str(v.get("color") or "")): str(v.get("stock", 0))
            for v in dto.variants
        }

    def _fill_service(self, dto: ServiceDTO) -> None:
        self.kind = "service"
        self.item_id = dto.id
        self.title = dto.name
        self.values = {name: _text(getattr(dto, name)) for name in SERVICE_FIELDS}
        self.is_active = dto.is_active
        self.is_bookable = dto.is_bookable
        self.aliases = list(dto.aliases)

    @rx.event
    def set_open(self, is_open: bool):
        """Closing (Esc, the overlay, Cancel) drops the draft. Opening goes through open_new / open_edit."""
        if not is_open:
            self._reset()

    # -- switches -------------------------------------------------------------------------------------------

    @rx.event
    async def set_is_active(self, value: bool):
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        self.is_active = bool(value)
        return None

    @rx.event
    async def set_per_variant(self, value: bool):
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        self.per_variant = bool(value)
        return None

    @rx.event
    async def set_is_bookable(self, value: bool):
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        self.is_bookable = bool(value)
        return None

    # -- chip lists -----------------------------------------------------------------------------------------

    @rx.event
    async def add_chips(self, name: str, form_data: dict[str, Any]):
        """Add what was typed in a chip input (commas or '|' separate several) to that list."""
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        if name not in CHIP_LISTS:
            return None
        field, most, longest, what = CHIP_LISTS[name]
        current: list[str] = list(getattr(self, name))
        seen = {v.casefold() for v in current}
        if name == "aliases":
            seen.add(self.values.get("name", "").strip().casefold())
        added = 0
        for raw in _CHIP_SPLIT.split(_text(form_data.get(name))):
            value = " ".join(raw.split())
            if not value or value.casefold() in seen:
                continue
            if len(value) > longest:
                self.errors = {**self.errors, field: f"Each {what} must be at most {longest} characters."}
                return None
            if len(current) >= most:
                self.errors = {**self.errors, field: f"At most {most} {LABELS[field].lower()}."}
                return None
            current.append(value)
            seen.add(value.casefold())
            added += 1
        setattr(self, name, current)
        if added:
            self.errors = {k: v for k, v in self.errors.items() if k != field}
        return None

    @rx.event
    async def remove_chip(self, name: str, value: str):
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        if name in CHIP_LISTS:
            setattr(self, name, [v for v in getattr(self, name) if v != value])
        return None

    @rx.event
    async def search_related(self, text: str):
        """Suggest products to relate, by name, SKU or alias (one small SQL page)."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        query = _text(text).strip()[:100]
        if not query:
            self.related_options = []
            return None
        taken = {r["sku"].lower() for r in self.related} | {self.values.get("sku", "").lower()}
        with session_scope() as db:
            page = catalog.list_products(db, who.tenant_id, search=query, page_size=RELATED_SUGGESTIONS + 4)
        self.related_options = [
            {"sku": p.sku, "name": p.name} for p in page.items if p.sku.lower() not in taken
        ][:RELATED_SUGGESTIONS]
        return None

    @rx.event
    async def add_related(self, sku: str, name: str = ""):
        """Relate a product picked from the suggestions (or typed as an exact SKU)."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        sku = _text(sku).strip()
        if not sku or any(r["sku"].lower() == sku.lower() for r in self.related):
            self.related_options = []
            return None
        if len(self.related) >= MAX_RELATED:
            self.errors = {**self.errors, "related_skus": f"At most {MAX_RELATED} related products."}
            return None
        if not name:
            with session_scope() as db:
                found = catalog.get_product_by_sku(db, who.tenant_id, sku)
            if found is None:
                self.errors = {**self.errors, "related_skus": f"No product has SKU \u201c{sku}\u201d."}
                return None
            sku, name = found.sku, found.name
        if self.kind == "product" and sku.lower() == self.values.get("sku", "").lower():
            self.errors = {**self.errors, "related_skus": "A product cannot be related to itself."}
            return None
        self.related = [*self.related, {"sku": sku, "name": name}]
        self.related_options = []
        self.errors = {k: v for k, v in self.errors.items() if k != "related_skus"}
        return None

    @rx.event
    async def add_related_typed(self, form_data: dict[str, Any]):
        """Enter in the related-products input: the first suggestion, else the text as an exact SKU."""
        typed = _text(form_data.get("related")).strip()
        if self.related_options and typed:
            first = self.related_options[0]
            return await self.add_related(first["sku"], first["name"])
        return await self.add_related(typed, "")

    @rx.event
    async def remove_related(self, sku: str):
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        self.related = [r for r in self.related if r["sku"] != sku]
        return None

    # -- saving ---------------------------------------------------------------------------------------------

    def _payload(self, form_data: dict[str, Any]) -> dict[str, Any]:
        fields = PRODUCT_FIELDS if self.kind == "product" else SERVICE_FIELDS
        data: dict[str, Any] = {
            name: _text(form_data.get(name, self.values.get(name, ""))) for name in fields
        }
        data["aliases"] = list(self.aliases)
        data["is_active"] = self.is_active
        if self.kind == "product":
            data["sizes"] = list(self.sizes)
            data["colors"] = list(self.colors)
            data["related_skus"] = [r["sku"] for r in self.related]
            data["variants"] = self._variants(form_data) if self.per_variant else []
        else:
            data["is_bookable"] = self.is_bookable
        return data

    def _variants(self, form_data: dict[str, Any]) -> list[dict[str, str]]:
        """The grid's cells as variants (a blank cell is 0); the engine validates each one."""
        out = []
        for size in list(self.sizes) or [""]:
            for color in list(self.colors) or [""]:
                key = variant_key(size, color)
                typed = _text(form_data.get(f"variant::{key}", self.variant_stock.get(key, ""))).strip()
                self.variant_stock[key] = typed
                out.append({"size": size, "color": color, "stock": typed or "0"})
        return out

    @rx.event
    async def save(self, form_data: dict[str, Any]):
        """Create or update the item; the engine's field errors are shown next to their fields."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        if self.kind not in KINDS:
            return None
        data = self._payload(form_data)
        # Keep what was typed, so a refused save re-renders the same values.
        self.values = {k: v for k, v in data.items() if isinstance(v, str)}
        creating = self.item_id == 0
        try:
            with session_scope() as db:
                if self.kind == "product":
                    dto: ProductDTO | ServiceDTO = (
                        catalog.create_product(db, who.tenant_id, data, **actor(who))
                        if creating
                        else catalog.update_product(db, who.tenant_id, self.item_id, data, **actor(who))
                    )
                else:
                    dto = (
                        catalog.create_service(db, who.tenant_id, data, **actor(who))
                        if creating
                        else catalog.update_service(db, who.tenant_id, self.item_id, data, **actor(who))
                    )
        except CatalogError as exc:
            self._show_errors(exc)
            return None
        except CatalogNotFound as exc:
            self._reset()
            page = await self.get_state(CatalogState)
            page.refresh(who, f"{self.kind}s")
            return rx.toast.error(problem(exc, self.kind))
        kind = self.kind
        self._reset()
        page = await self.get_state(CatalogState)
        page.refresh(who, f"{kind}s")
        if creating:
            return rx.toast.success(f"{dto.name} was added to the catalog.")
        return rx.toast.success(f"{dto.name} was saved.")

    def _show_errors(self, exc: CatalogError) -> None:
        fields = set(PRODUCT_FIELDS if self.kind == "product" else SERVICE_FIELDS)
        fields |= {"aliases", "is_active"} | (
            {"sizes", "colors", "variants", "related_skus"} if self.kind == "product" else {"is_bookable"}
        )
        errors: dict[str, str] = {}
        general: list[str] = []
        for error in exc.errors:
            if error.field in fields:
                errors.setdefault(error.field, field_message(error.field, error.message))
            else:
                general.append(field_message(error.field, error.message))
        self.errors = errors
        self.form_error = " ".join(general)


def _product_names(db: Any, tenant_id: int, skus: list[str]) -> dict[str, str]:
    """Names of the related products, for their chips (lower-cased SKU -> name)."""
    names: dict[str, str] = {}
    for sku in skus[:MAX_RELATED]:
        found = catalog.get_product_by_sku(db, tenant_id, sku)
        if found is not None:
            names[sku.lower()] = found.name
    return names
