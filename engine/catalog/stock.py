"""What a product has in the customer's size and colour: in stock or not, the nearest sizes and the other
colours that are (the answer to "do you have it in UK 8, in black?").

A product's sizes are its own labels ("UK 8", "S (UK 3-5)"); `size_key` puts them on the scale
engine.catalog.attributes puts the customer's sizes on, so EU 42 finds "UK 8". With variants (stock per size
× colour, engine.catalog.variants) the figures are the variant's; without, the product's one stock figure
stands for every size it lists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.catalog.attributes import APPAREL, Attributes, system_key
from engine.catalog.text import fold


def size_key(label: str) -> float | str | None:
    """A product's size label as a comparable key: "UK 8" → 8.0, "EU 42" → 8.0, "M" → "M", "S (UK 3-5)" →
    "S"; None for labels with no size in them ("One size")."""
    folded = fold(label or "")
    found = re.match(r"^\s*(uk|eu|eur|us)?\s?(\d{1,2}(?:[.,]5)?)\s*$", folded)
    if found:
        return system_key(found.group(1) or "uk", float(found.group(2).replace(",", ".")))
    letters = re.match(r"^\s*(xxs|xs|s|m|l|xl|xxl|xxxl)\b", folded)
    if letters:
        return letters.group(1).upper()
    return None


def carries_size(sizes: Sequence[str], wanted: Attributes) -> str | None:
    """The product's own label for the wanted size ("UK 8" for EU 42), or None when it is not made in it."""
    if wanted.size_key is None:
        return None
    for label in sizes:
        if size_key(label) == wanted.size_key:
            return label
    return None


def _distance(a: float | str | None, b: float | str | None) -> float:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b)
    if isinstance(a, str) and isinstance(b, str) and a in APPAREL and b in APPAREL:
        return float(abs(APPAREL.index(a) - APPAREL.index(b)))
    return 99.0


@dataclass(frozen=True)
class Availability:
    """The answer to "do you have it in UK 8 (in black)?" for one product."""

    size: str | None  # the product's label for the wanted size; None: not made in it (or no size asked)
    color: str | None  # the product's colour name for the wanted colour
    made: bool  # the product comes in that size and colour at all
    stock: int  # units in that size (and colour); the product's stock when it has no variants
    nearest: tuple[str, ...] = ()  # in-stock sizes nearest the wanted one (that colour when one was asked)
    other_colors: tuple[str, ...] = ()  # colours in stock in the wanted size
    unknown_color: bool = False  # a colour was asked that the product does not come in

    @property
    def in_stock(self) -> bool:
        return self.made and self.stock > 0


def variant_rows(product: Any) -> list[dict[str, Any]]:
    """The product's variants as {"size", "color", "stock"} dicts (empty: one stock figure)."""
    return [dict(v) for v in (getattr(product, "variants", None) or []) if isinstance(v, Mapping)]


def _same_color(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    fa, fb = fold(a), fold(b)
    return fa == fb or bool(re.search(rf"\b{re.escape(fb)}\b", fa))


def product_color(colors: Sequence[str], wanted: str | None) -> str | None:
    """The product's own colour name for the customer's colour ("Black/White" for "black")."""
    if not wanted:
        return None
    exact = next((c for c in colors if fold(c) == fold(wanted)), None)
    return exact or next((c for c in colors if _same_color(c, wanted)), None)


def sizes_in_stock(product: Any, color: str | None = None) -> list[str]:
    """The product's sizes with stock (in that colour when given), in the product's own order."""
    variants = variant_rows(product)
    sizes = list(getattr(product, "sizes", None) or [])
    if not variants:
        return sizes if (getattr(product, "stock", 0) or 0) > 0 else []
    stocked: dict[str, int] = {}
    for v in variants:
        if color and not _same_color(str(v.get("color") or ""), color):
            continue
        label = str(v.get("size") or "")
        stocked[label] = stocked.get(label, 0) + int(v.get("stock") or 0)
    order = sizes + [s for s in stocked if s not in sizes]
    return [s for s in order if stocked.get(s, 0) > 0]


def availability(product: Any, wanted: Attributes) -> Availability:
    """In stock in that size (and colour) or not, and the nearest sizes and other colours that are."""
    sizes = list(getattr(product, "sizes", None) or [])
    colors = list(getattr(product, "colors", None) or [])
    label = carries_size(sizes, wanted) if wanted.size else None
    variants = variant_rows(product)
    if wanted.size and label is None and variants:  # a variant may name a size missing from the list
        label = carries_size([str(v.get("size") or "") for v in variants], wanted)
    color = product_color(colors or [str(v.get("color") or "") for v in variants], wanted.color)
    unknown_color = bool(wanted.color) and color is None
    made = (not wanted.size or label is not None) and not unknown_color
    if variants:
        stock = sum(
            int(v.get("stock") or 0)
            for v in variants
            if (label is None or str(v.get("size") or "") == label)
            and (color is None or _same_color(str(v.get("color") or ""), color))
        )
    else:
        stock = int(getattr(product, "stock", 0) or 0)
    if not made:
        stock = 0
    nearest: tuple[str, ...] = ()
    if wanted.size_key is not None:
        stocked = [s for s in sizes_in_stock(product, color) if s != label]
        ranked = sorted(stocked, key=lambda s: _distance(size_key(s), wanted.size_key))
        close = [s for s in ranked if _distance(size_key(s), wanted.size_key) < 99][:2]
        nearest = tuple(sorted(close, key=lambda s: _order(sizes, s)))
    other_colors: tuple[str, ...] = ()
    if variants:
        seen: dict[str, int] = {}
        for v in variants:
            name = str(v.get("color") or "")
            if name and (label is None or str(v.get("size") or "") == label):
                seen[name] = seen.get(name, 0) + int(v.get("stock") or 0)
        other_colors = tuple(c for c, n in seen.items() if n > 0 and c != color)
    elif wanted.color and (getattr(product, "stock", 0) or 0) > 0:
        other_colors = tuple(c for c in colors if c != color)
    return Availability(label, color, made, stock, nearest, other_colors, unknown_color)


def _order(sizes: Sequence[str], label: str) -> int:
    return sizes.index(label) if label in sizes else len(sizes)


__all__ = [
    "Availability",
    "availability",
    "carries_size",
    "product_color",
    "size_key",
    "sizes_in_stock",
    "variant_rows",
]
