"""Sizes, colours, widths and quantities in a customer's message, and what the catalogue has in them.

Customers write "do u hav the runing shoes in sz 9", "UK 8", "EU 42", "42 please", "in blak", "2 pairs",
"wide fit". The matcher finds the product; this module finds what the customer wants *of* it, so the reply
can say "in stock in UK 8" or "not in UK 8 — UK 7.5 and UK 9 are" instead of listing the range again.

One extraction (`extract`) serves the offline composition and the model's context alike, and the result is
kept in the conversation's memory so "and in black?" keeps the item and the size (engine.agent.variants).

Sizes are compared in one system: a shop's footwear sizes are usually UK ("UK 8"), customers often give EU
("42") or US sizes. `size_key` turns both sides into a comparable number (EU and US converted to UK with the
usual adult chart), so EU 42 finds "UK 8". A bare number is a size only with a size word before it ("size
9", "in a 9") or when it can only be an EU shoe size (34–50): "2 pairs" stays a quantity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz import fuzz, process

from engine.catalog.text import fold

# EU → UK, adult footwear (the chart most UK shops print); halves between are interpolated.
_EU_TO_UK = {
    35: 2.5, 36: 3.5, 37: 4.0, 38: 5.0, 39: 6.0, 40: 6.5, 41: 7.0, 42: 8.0,
    43: 9.0, 44: 9.5, 45: 10.5, 46: 11.0, 47: 12.0, 48: 13.0, 49: 13.5, 50: 14.0,
}  # fmt: skip
_US_TO_UK = 1.0  # US men's = UK + 1 (women's + 2: the men's chart is the safer default for a shop's range)
APPAREL = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL")
_APPAREL_WORDS = {
    "extra small": "XS",
    "small": "S",
    "medium": "M",
    "med": "M",
    "large": "L",
    "extra large": "XL",
    "x large": "XL",
    "xlarge": "XL",
}
BASE_COLORS = (
    "black", "white", "grey", "gray", "silver", "blue", "navy", "red", "green", "olive", "khaki", "pink",
    "orange", "yellow", "purple", "brown", "tan", "beige", "cream", "gold", "coral", "teal", "burgundy",
)  # fmt: skip
_COLOR_SAME = {"gray": "grey"}
_SIZE_WORD = r"(?:size|sizes|sz|sze|sise|szie|siz|sizw|talla|taille|tamanho|gr(?:o|ö)(?:ss|ß)e)"
_NUM = r"(\d{1,2}(?:[.,]5)?)"
_SYSTEM_SIZE = re.compile(rf"\b(uk|eu|eur|euro|us|usa)\s?(?:{_SIZE_WORD}\s?)?{_NUM}(?!\s?(?:mm|cm|kg|g|%))\b")
_WORD_SIZE = re.compile(
    rf"\b{_SIZE_WORD}\s?(?:is\s|of\s|:\s?)?(?:(uk|eu|eur|us)\s?)?{_NUM}(?!\s?(?:mm|cm|kg|g|%|pairs?|x\b))\b"
)
_IN_A_SIZE = re.compile(
    rf"\b(?:in|a|an|wear|am|i'?m)\s(?:a\s|an\s)?{_NUM}(?:s)?(?:\s?(?:\?|$|please|pls|plz))"
)
_NOT_SIZE_AFTER = (
    r"mm|cm|kg|g|pairs?|x\b|min|mins|minutes|hours?|days?|quid|pounds?|euros?|dollars?|bucks|gbp|eur|usd"
)
_BARE_EU = re.compile(rf"(?<![\d£$€.,#:/\-])\b(3[4-9]|4\d|50)\b(?![\d.,:%/\-]|\s?(?:{_NOT_SIZE_AFTER}))")
_APPAREL_SIZE = re.compile(rf"\b(?:{_SIZE_WORD}\s|in\s(?:a\s|an\s)?)(xxs|xs|s|m|l|xl|xxl|xxxl)\b")
_APPAREL_WORD = re.compile(
    rf"\b(?:{_SIZE_WORD}\s|in\s(?:a\s|an\s)?)"
    r"(extra small|small|medium|med|large|extra large|x large|xlarge)\b"
)
_QUANTITY = re.compile(
    r"\b(?:(\d{1,2})\s?(?:x\s)?(?:pairs?|pcs|pieces|units|of (?:them|those|these|it))\b"
    r"|x\s?(\d{1,2})\b|(?:qty|quantity)\s?:?\s?(\d{1,3})\b)"
)
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a couple of": 2}
_WORD_QUANTITY = re.compile(
    r"\b(one|two|three|four|five|six|a couple of)\s(?:pairs?|of (?:them|those|these))\b"
)
_WIDTH = re.compile(
    r"\b(extra[\s-]?wide|wide(?:[\s-]?fit)?|narrow(?:[\s-]?fit)?|standard[\s-]fit|2e|4e|e[\s-]fit)\b"
)


@dataclass(frozen=True)
class Attributes:
    """What the customer asked for besides the item. `size` is as the customer meant it ("UK 8", "EU 42",
    "M"); `size_key` the comparable number (UK scale) or the apparel letter."""

    size: str | None = None
    size_key: float | str | None = None
    color: str | None = None
    width: str | None = None  # wide | narrow | standard
    quantity: int | None = None
    corrected: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (typed, understood) colours

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.size, self.color, self.width, self.quantity))

    def merged_over(self, earlier: Attributes | None) -> Attributes:
        """This turn's attributes, the earlier turn's filling the gaps ("and in black?" keeps the size)."""
        if earlier is None:
            return self
        return replace(
            self,
            size=self.size or earlier.size,
            size_key=self.size_key if self.size is not None else earlier.size_key,
            color=self.color or earlier.color,
            width=self.width or earlier.width,
            quantity=self.quantity or earlier.quantity,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in (
                ("size", self.size),
                ("size_key", self.size_key),
                ("color", self.color),
                ("width", self.width),
                ("quantity", self.quantity),
            )
            if v is not None
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Attributes | None:
        if not data:
            return None
        key = data.get("size_key")
        return cls(
            size=data.get("size"),
            size_key=float(key) if isinstance(key, int | float) else key,
            color=data.get("color"),
            width=data.get("width"),
            quantity=int(data["quantity"]) if data.get("quantity") else None,
        )

    def describe(self) -> str:
        """ "UK 8 in Black" — the customer's wish in a shop assistant's words."""
        parts = [f"size {self.size}" if self.size and self.size[0].isdigit() else self.size]
        if self.color:
            parts.append(f"in {self.color}")
        if self.width:
            parts.append(f"({self.width} fit)")
        return " ".join(p for p in parts if p)


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def eu_to_uk(eu: float) -> float:
    whole = int(eu)
    if whole in _EU_TO_UK:
        low = _EU_TO_UK[whole]
        high = _EU_TO_UK.get(whole + 1, low + 1)
        return low + (high - low) * (eu - whole)
    return round(eu - 34.0, 1)


def system_key(system: str | None, value: float) -> float:
    system = (system or "").lower()
    if system.startswith("eu"):
        return eu_to_uk(value)
    if system.startswith("us"):
        return value - _US_TO_UK
    if system == "" and value >= 30:  # "size 42": only an EU size is that large
        return eu_to_uk(value)
    return value


def _size_label(system: str | None, value: float) -> str:
    text = f"{value:g}"
    if not system:
        return text
    return f"{'EU' if system.lower().startswith('eu') else system.upper()} {text}"


def extract(text: str, colors: Iterable[str] = ()) -> Attributes:
    """The size, colour, width and quantity in a message (see the module docstring for the rules).

    `colors`: the catalogue's colour names ("Ocean Blue", "Black/White"), matched besides the base colour
    words, typos included ("blak" → black)."""
    folded = fold(text or "")
    size: str | None = None
    key: float | str | None = None
    found = _SYSTEM_SIZE.search(folded)
    if found:
        value = _number(found.group(2))
        size, key = _size_label(found.group(1), value), system_key(found.group(1), value)
    else:
        found = _WORD_SIZE.search(folded) or _IN_A_SIZE.search(folded)
        if found:
            groups = [g for g in found.groups() if g]
            system = groups[0] if len(groups) == 2 else None
            value = _number(groups[-1])
            size, key = _size_label(system, value), system_key(system, value)
        else:
            apparel = _APPAREL_SIZE.search(folded)
            word = _APPAREL_WORD.search(folded)
            if apparel:
                size = key = apparel.group(1).upper()
            elif word:
                size = key = _APPAREL_WORDS[word.group(1)]
            else:
                bare = _BARE_EU.search(folded)
                if bare:
                    value = _number(bare.group(1))
                    size, key = _size_label(None, value), eu_to_uk(value)
    color, corrected = _color(folded, colors)
    width = None
    widths = _WIDTH.search(folded)
    if widths:
        word = widths.group(1)
        width = (
            "narrow" if word.startswith("narrow") else "standard" if word.startswith("standard") else "wide"
        )
    quantity = None
    amount = _QUANTITY.search(folded)
    if amount:
        quantity = int(next(g for g in amount.groups() if g))
    else:
        spelled = _WORD_QUANTITY.search(folded)
        if spelled:
            quantity = _WORD_NUMBERS[spelled.group(1)]
    return Attributes(size, key, color, width, quantity, corrected)


def _color(folded: str, catalogue: Iterable[str]) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """The colour named in the message: a catalogue colour ("ocean blue") first, then a base colour word,
    then a base colour within one typo ("blak", "whte")."""
    names = sorted({c for c in catalogue if c}, key=len, reverse=True)
    for name in names:
        if len(name) >= 3 and re.search(rf"\b{re.escape(fold(name))}\b", folded):
            return name, ()
    words = re.findall(r"[a-z]+", folded)
    for word in words:
        if word in BASE_COLORS:
            return _COLOR_SAME.get(word, word), ()
    for word in words:
        if not 4 <= len(word) <= 9 or word in _NOT_COLORS:
            continue
        found = process.extractOne(word, BASE_COLORS, scorer=fuzz.ratio, score_cutoff=80)
        if found is not None and abs(len(found[0]) - len(word)) <= 1:
            return _COLOR_SAME.get(found[0], found[0]), ((word, found[0]),)
    return None, ()


# Everyday words one typo away from a colour ("bread" ~ "red" is too short to matter; these are not).
_NOT_COLORS = frozenset(
    [
        "back",
        "blank",
        "block",
        "blue",
        "bleu",
        "greet",
        "great",
        "green",
        "read",
        "tank",
        "than",
        "then",
        "gold",
        "while",
        "whit",
        "wide",
        "pick",
        "pint",
        "rang",
        "range",
        "brow",
        "crew",
        "cram",
        "navi",
        "slack",
        "lack",
    ]
)


__all__ = ["APPAREL", "Attributes", "eu_to_uk", "extract", "system_key"]
