"""Validated input for catalog writes, and the read-only DTOs every reader gets instead of ORM rows.

Inputs are pydantic models so the console form, the REST API and the CSV importer share one set of rules and
one set of messages; each message names its field. DTOs are frozen dataclasses with the price as a string, so
nothing outside the service can mutate a row by accident or lose a cent to float rounding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from engine.catalog.errors import CatalogError, FieldError
from engine.catalog.variants import parse_variants
from engine.money import strip_currency

MAX_ALIASES = 30
MAX_ALIAS_LENGTH = 80
MAX_LIST_ITEMS = 60
MAX_LIST_ITEM_LENGTH = 60
MAX_RELATED = 20
MAX_PRICE = Decimal("9999999999.99")  # numeric(12, 2)
MAX_STOCK = 1_000_000_000
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
URL_RE = re.compile(r"^(https?://[^\s/$.?#][^\s]*|/[^\s]*)$", re.IGNORECASE)
_SPLIT_RE = re.compile(r"[|\n]")
_SPACES = re.compile(r"\s+")


def clean_text(value: str) -> str:
    """Trimmed, inner whitespace collapsed: what users mean when they paste a name with stray spaces."""
    return _SPACES.sub(" ", value).strip()


def split_list(value: Any, *, separators: re.Pattern[str] = _SPLIT_RE) -> list[str]:
    """A list from a list, or from 'a|b|c' text (CSV cells and single-line form inputs)."""
    if value is None:
        return []
    if isinstance(value, str):
        if "|" not in value and "\n" not in value and "," in value:
            return [part for part in value.split(",")]
        return separators.split(value)
    if isinstance(value, Iterable):
        return [str(v) for v in value]
    raise ValueError("must be a list of text values")


def dedupe(values: Iterable[str], *, exclude: Iterable[str] = ()) -> list[str]:
    """Cleaned, empty-free, case-insensitively unique, first spelling kept, order kept."""
    seen = {clean_text(v).casefold() for v in exclude}
    out: list[str] = []
    for raw in values:
        value = clean_text(raw)
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out


def parse_price(value: Any) -> Decimal:
    """Money as Decimal with two places; floats go through their shortest repr so 19.99 stays 19.99."""
    if isinstance(value, bool):
        raise ValueError("must be a number like 19.99")
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        value = strip_currency(value.replace(",", ""))
    try:
        price = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError("must be a number like 19.99") from None
    if not price.is_finite():
        raise ValueError("must be a number like 19.99")
    if price < 0:
        raise ValueError("must be 0 or more")
    if price != price.quantize(Decimal("0.01")):
        raise ValueError("must have at most 2 decimal places")
    if price > MAX_PRICE:
        raise ValueError(f"must be at most {MAX_PRICE}")
    return price.quantize(Decimal("0.01"))


def _bounded_list(values: Any, *, max_items: int, max_length: int, what: str) -> list[str]:
    items = dedupe(split_list(values))
    if len(items) > max_items:
        raise ValueError(f"at most {max_items} {what} (got {len(items)})")
    if any("|" in v for v in items):
        raise ValueError(f"{what} must not contain '|' (it separates values in CSV files)")
    long = [v for v in items if len(v) > max_length]
    if long:
        raise ValueError(f"each of the {what} must be at most {max_length} characters: {long[0][:40]!r}")
    return items


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("name", check_fields=False)
    @classmethod
    def _name(cls, value: str) -> str:
        value = clean_text(value)
        if not value:
            raise ValueError("must not be empty")
        if len(value) > 160:
            raise ValueError("must be at most 160 characters")
        return value

    @field_validator("description", check_fields=False)
    @classmethod
    def _description(cls, value: str | None) -> str:
        value = (value or "").strip()
        if len(value) > 4000:
            raise ValueError("must be at most 4000 characters")
        return value

    @field_validator("category", check_fields=False)
    @classmethod
    def _category(cls, value: str | None) -> str | None:
        value = clean_text(value or "")
        if len(value) > 80:
            raise ValueError("must be at most 80 characters")
        return value or None

    @field_validator("price", mode="before", check_fields=False)
    @classmethod
    def _price(cls, value: Any) -> Decimal:
        return parse_price(value)

    @field_validator("image_url", check_fields=False)
    @classmethod
    def _image_url(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        if len(value) > 500 or not URL_RE.match(value):
            raise ValueError("must be an http(s) URL (or a /path) of at most 500 characters")
        return value

    @field_validator("aliases", mode="before", check_fields=False)
    @classmethod
    def _aliases(cls, value: Any) -> list[str]:
        return _bounded_list(value, max_items=MAX_ALIASES, max_length=MAX_ALIAS_LENGTH, what="aliases")


def _code(value: str, what: str) -> str:
    value = value.strip()
    if not CODE_RE.match(value):
        raise ValueError(
            f"{what} must be 1-64 letters, digits, '-', '_', '.' or '/', starting with a letter or digit"
        )
    return value


class ProductInput(_Input):
    """Everything a product row holds that a person may set; the service adds ids and timestamps."""

    sku: str
    name: str
    aliases: list[str] = []
    description: str = ""
    category: str | None = None
    price: Decimal
    stock: int = 0
    sizes: list[str] = []
    colors: list[str] = []
    variants: list[dict[str, Any]] = []
    image_url: str | None = None
    related_skus: list[str] = []
    is_active: bool = True

    @field_validator("sku")
    @classmethod
    def _sku(cls, value: str) -> str:
        return _code(value, "SKU")

    @field_validator("stock", mode="before")
    @classmethod
    def _stock(cls, value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError("must be a whole number")
        if isinstance(value, int):
            stock = value
        else:
            try:
                number = Decimal(str(value).strip() or "0")
            except InvalidOperation:
                raise ValueError("must be a whole number") from None
            if not number.is_finite() or number != number.to_integral_value():
                raise ValueError("must be a whole number")
            stock = int(number)
        if stock < 0:
            raise ValueError("must be 0 or more")
        if stock > MAX_STOCK:
            raise ValueError(f"must be at most {MAX_STOCK}")
        return stock

    @field_validator("sizes", "colors", mode="before")
    @classmethod
    def _options(cls, value: Any) -> list[str]:
        return _bounded_list(value, max_items=MAX_LIST_ITEMS, max_length=MAX_LIST_ITEM_LENGTH, what="values")

    @field_validator("related_skus", mode="before")
    @classmethod
    def _related(cls, value: Any) -> list[str]:
        items = _bounded_list(value, max_items=MAX_RELATED, max_length=64, what="related SKUs")
        return [_code(v, "each related SKU") for v in items]

    @field_validator("variants", mode="before")
    @classmethod
    def _variants(cls, value: Any) -> list[dict[str, Any]]:
        return parse_variants(value)

    @model_validator(mode="after")
    def _variant_stock(self) -> ProductInput:
        """With variants, the stock is their sum and every variant's size and colour is on the product's
        lists (the matcher and the card read those); without, the one stock figure stands."""
        if self.variants:
            self.stock = sum(int(v["stock"]) for v in self.variants)
            self.sizes = dedupe([*self.sizes, *(v["size"] for v in self.variants if v["size"])])
            self.colors = dedupe([*self.colors, *(v["color"] for v in self.variants if v["color"])])
        return self


class ServiceInput(_Input):
    """Everything a service row holds that a person may set."""

    code: str
    name: str
    aliases: list[str] = []
    description: str = ""
    category: str | None = None
    price: Decimal
    duration_minutes: int = 30
    is_bookable: bool = True
    image_url: str | None = None
    is_active: bool = True

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        return _code(value, "code")

    @field_validator("duration_minutes", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError("must be a whole number of minutes")
        try:
            minutes = int(str(value).strip())
        except ValueError:
            raise ValueError("must be a whole number of minutes") from None
        if not 1 <= minutes <= 24 * 60:
            raise ValueError("must be between 1 and 1440 minutes")
        return minutes


M = TypeVar("M", bound=BaseModel)


def validate_input(model: type[M], data: Mapping[str, Any] | M) -> M:
    """Validate into `model`, turning pydantic's report into FieldErrors that name each field plainly."""
    if isinstance(data, model):
        return data
    try:
        parsed = model.model_validate(dict(data))
    except ValidationError as exc:
        raise CatalogError(field_errors(exc)) from None
    # Aliases equal to the name add nothing to matching and clutter the form: drop them quietly.
    if hasattr(parsed, "aliases"):
        parsed.aliases = dedupe(parsed.aliases, exclude=[parsed.name])  # type: ignore[attr-defined]
    return parsed


def field_errors(exc: ValidationError) -> list[FieldError]:
    errors: list[FieldError] = []
    for err in exc.errors():
        loc = err.get("loc") or ("__all__",)
        name = str(loc[0])
        message = str(err.get("msg", "is invalid"))
        message = message.removeprefix("Value error, ")
        if err.get("type") == "missing":
            message = "is required"
        elif err.get("type") == "extra_forbidden":
            message = "is not a known field"
        elif err.get("type") == "bool_parsing":
            message = "must be true or false"
        errors.append(FieldError(name, message))
    return errors


# --- DTOs ---------------------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


class _DTO:
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (lists, ISO datetimes, prices as strings): what REST bodies and Reflex vars want."""
        return {k: _jsonable(v) for k, v in asdict(self).items()}  # type: ignore[call-overload]


@dataclass(frozen=True)
class ProductDTO(_DTO):
    id: int
    sku: str
    name: str
    aliases: tuple[str, ...]
    description: str
    category: str | None
    price: str
    stock: int
    in_stock: bool
    sizes: tuple[str, ...]
    colors: tuple[str, ...]
    image_url: str | None
    related_skus: tuple[str, ...]
    is_active: bool
    created_at: datetime
    updated_at: datetime
    variants: tuple[dict[str, Any], ...] = ()  # stock per size × colour (engine.catalog.variants)

    @property
    def available(self) -> bool:
        """Can be sold right now: active and in stock."""
        return self.is_active and self.in_stock


@dataclass(frozen=True)
class ServiceDTO(_DTO):
    id: int
    code: str
    name: str
    aliases: tuple[str, ...]
    description: str
    category: str | None
    price: str
    duration_minutes: int
    is_bookable: bool
    image_url: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @property
    def available(self) -> bool:
        """Can be booked right now: active and bookable."""
        return self.is_active and self.is_bookable


@dataclass(frozen=True)
class OrderLineDTO(_DTO):
    sku: str
    name: str
    qty: int
    price: str


@dataclass(frozen=True)
class OrderDTO(_DTO):
    id: int
    customer_id: int
    order_number: str
    status: str
    items: tuple[OrderLineDTO, ...]
    total: str
    created_at: datetime
    updated_at: datetime
    customer_name: str | None = None  # who placed it, for staff lists (None when the customer gave no name)
    customer_phone: str = ""


@dataclass(frozen=True)
class AppointmentDTO(_DTO):
    id: int
    customer_id: int
    service_id: int
    service_code: str
    service_name: str
    duration_minutes: int
    starts_at: datetime
    status: str
    notes: str | None
    created_at: datetime
    customer_name: str | None = None
    customer_phone: str = ""


@dataclass(frozen=True)
class CustomerHistoryDTO(_DTO):
    """What the agent's context builder needs about a customer: latest orders, upcoming and past bookings."""

    customer_id: int
    orders: tuple[OrderDTO, ...]
    upcoming_appointments: tuple[AppointmentDTO, ...]
    past_appointments: tuple[AppointmentDTO, ...]


T = TypeVar("T")


@dataclass(frozen=True)
class Page(_DTO, Generic[T]):
    """One page of a list, with what a pager needs: total rows and the page bounds."""

    items: tuple[T, ...]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [i.to_dict() if isinstance(i, _DTO) else i for i in self.items],
            "total": self.total,
            "page": self.page,
            "page_size": self.page_size,
            "pages": self.pages,
        }


@dataclass(frozen=True)
class RowError(_DTO):
    """One problem in an imported file: spreadsheet row (header = 1, whole file = 0), column, message."""

    row: int
    field: str
    error: str


@dataclass(frozen=True)
class ImportReport(_DTO):
    """The outcome of a CSV import. `applied` is False whenever `errors` is not empty: nothing was written."""

    kind: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: tuple[RowError, ...] = field(default_factory=tuple)
    applied: bool = False
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors
