"""Stock per variant (size × colour): the one parser and formatter of a product's variants.

The form, the REST body and the CSV cell all end here, so a variant is read the same way everywhere. In a
CSV cell (and the drawer's text box) variants are written `size / colour = stock`, separated by `|`:

    UK 8 / Black = 3 | UK 8 / White = 0 | UK 9 / Black = 5

A variant may leave out the colour (`UK 8 = 3`) or the size (`/ Red = 4`). Only " / " with spaces splits
size from colour, so a colour like "Black/White" stays whole. A product without variants keeps its one stock
figure; with variants its stock is their sum (ProductInput does it), so lists and badges need no change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAX_VARIANTS = 200
MAX_LABEL = 60
MAX_STOCK = 1_000_000_000
SEPARATOR = " | "


def _label(value: Any, what: str) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > MAX_LABEL:
        raise ValueError(f"a variant's {what} is longer than {MAX_LABEL} characters")
    if "|" in text or "=" in text:
        raise ValueError(f"a variant's {what} cannot contain '|' or '='")
    return text


def _stock(value: Any, where: str) -> int:
    text = str(value).strip() if value is not None else ""
    if isinstance(value, bool) or not text.isdigit():
        raise ValueError(f"{where}: stock must be a whole number, 0 or more")
    stock = int(text)
    if stock > MAX_STOCK:
        raise ValueError(f"{where}: stock must be at most {MAX_STOCK}")
    return stock


def _from_text(text: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for raw in text.split("|"):
        entry = raw.strip()
        if not entry:
            continue
        if "=" not in entry:
            raise ValueError(
                f"“{entry}”: write each variant as size / colour = stock (e.g. UK 8 / Black = 3)"
            )
        name, _, amount = entry.rpartition("=")
        size, _, color = f" {name.strip()} ".partition(" / ")
        out.append({"size": size.strip(), "color": color.strip(), "stock": amount.strip()})
    return out


def parse_variants(value: Any) -> list[dict[str, Any]]:
    """Variants from text (module docstring) or a list of {"size", "color", "stock"}; ValueError in words."""
    if value is None or value == "":
        return []
    rows = _from_text(value) if isinstance(value, str) else value
    if not isinstance(rows, list):
        raise ValueError("must be a list of variants")
    if len(rows) > MAX_VARIANTS:
        raise ValueError(f"at most {MAX_VARIANTS} variants")
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        if not isinstance(row, Mapping):
            raise ValueError("each variant needs a size or a colour and a stock")
        size, color = _label(row.get("size"), "size"), _label(row.get("color"), "colour")
        where = " / ".join(p for p in (size, color) if p) or "a variant"
        if not size and not color:
            raise ValueError("each variant needs a size or a colour")
        key = (size.lower(), color.lower())
        if key in seen:
            raise ValueError(f"{where} is listed twice")
        seen.add(key)
        out.append({"size": size, "color": color, "stock": _stock(row.get("stock"), where)})
    return out


def format_variants(variants: list[dict[str, Any]] | None) -> str:
    """The variants as one line of text, read back by `parse_variants` unchanged."""
    entries = []
    for v in variants or []:
        size, color = str(v.get("size") or ""), str(v.get("color") or "")
        name = f"{size} / {color}" if color else size
        if not size:
            name = f"/ {color}"
        entries.append(f"{name} = {int(v.get('stock') or 0)}")
    return SEPARATOR.join(entries)


__all__ = ["MAX_VARIANTS", "format_variants", "parse_variants"]
