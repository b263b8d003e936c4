"""Personal variables in campaign text: {{first_name}}, {{last_product}} … each with a fallback.

A campaign goes out as one approved WhatsApp template, whose variables are numbered ({{1}}, {{2}}); the
composer's named variables are mapped to those numbers in the order they first appear, and each recipient's
values are resolved once, when the campaign starts (so a resend or a restart sends the same words).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

VARIABLE_RE = re.compile(r"\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")

# name → (what it is, the fallback used when nothing is set)
VARIABLES: dict[str, tuple[str, str]] = {
    "first_name": ("the customer's first name", "there"),
    "name": ("the customer's full name", "there"),
    "last_product": ("the last thing they bought", "our new collection"),
    "last_order": ("their last order number", "your last order"),
    "shop_name": ("your shop's name", ""),
}


@dataclass(frozen=True, slots=True)
class CustomerValues:
    """What the variables can say about one customer."""

    name: str | None = None
    last_product: str | None = None
    last_order: str | None = None
    shop_name: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        first = (self.name or "").strip().split(" ")[0] or None
        return {
            "first_name": first,
            "name": (self.name or "").strip() or None,
            "last_product": self.last_product,
            "last_order": self.last_order,
            "shop_name": self.shop_name,
        }


def names_in(text: str) -> list[str]:
    """The variable names in `text`, in order of first appearance, once each."""
    seen: list[str] = []
    for match in VARIABLE_RE.finditer(text or ""):
        if match.group(1) not in seen:
            seen.append(match.group(1))
    return seen


def resolve(names: list[str], values: CustomerValues, fallbacks: Mapping[str, str]) -> dict[str, str]:
    """Each name's value for this customer: theirs, else the campaign's fallback, else the default one."""
    known = values.as_dict()
    out: dict[str, str] = {}
    for name in names:
        value = known.get(name) or fallbacks.get(name) or VARIABLES.get(name, ("", ""))[1]
        out[name] = str(value)
    return out


def render(text: str, values: Mapping[str, str]) -> str:
    """The text as the customer reads it."""
    return VARIABLE_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text or "")


def numbered(text: str, names: list[str]) -> str:
    """The text with named variables as the template's numbered ones: {{first_name}} → {{1}}."""
    return VARIABLE_RE.sub(lambda m: f"{{{{{names.index(m.group(1)) + 1}}}}}", text or "")


def template_values(names: list[str], values: Mapping[str, str]) -> dict[str, str]:
    """Content variables for one recipient: {"1": "Ada", "2": "Trail runner"}."""
    return {str(i + 1): values.get(name, "") for i, name in enumerate(names)}


__all__ = ["VARIABLES", "CustomerValues", "names_in", "numbered", "render", "resolve", "template_values"]
