"""The customer's size and colour in a turn: read from the message (engine.catalog.attributes), carried over
from the conversation, used to filter the products and to answer "in stock in that size or not".

Phase A calls `apply` once the catalogue matches are known. It works out which products the question is
about — the product named, the range named ("running shoes"), or, for a follow-up like "and in black?", the
product the conversation is on — and how each stands in the wanted size and colour. The offline composition
answers from that (`answer_part`), the model reads the same facts as catalogue lines (`context_lines`), and
phase C keeps the attributes in the conversation's memory (`remember`) so the next turn can build on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from engine.agent.intents import DetectedIntent
from engine.catalog import CONFIDENT
from engine.catalog.attributes import Attributes, extract
from engine.catalog.stock import Availability, availability
from engine.channels.whatsapp.rich import Option
from engine.models import Product
from engine.money import format_money

ATTRIBUTES_KEY = "attributes"  # conversation_context.extracted_entities: the wanted size/colour and product
SHOWN_KEY = "shown"  # what the last reply offered (a card, a list of products, sizes or times)
PICKED_KEY = "picked"  # what the customer last chose from it
MAX_LISTED = 5
RANGE_LIMIT = 60  # a category's products read to filter by size (a shop's range, not its whole catalogue)
ANSWER_CONFIDENCE = 0.86


@dataclass
class VariantView:
    """What this turn asks of which products: the attributes and each product's availability in them."""

    attributes: Attributes
    items: list[tuple[Product, Availability]] = field(default_factory=list)
    follow_up: bool = False  # the product came from the conversation, not from this message
    is_range: bool = False  # a category asked for ("running shoes in 42"), filtered by the attributes

    @property
    def single(self) -> bool:
        return len(self.items) == 1 and not self.is_range


def _earlier(plan: Any) -> tuple[Attributes | None, int | None]:
    stored = (plan.memory.entities.get(ATTRIBUTES_KEY) if plan.memory else None) or {}
    return Attributes.from_dict(stored), stored.get("product_id")


def _asked_products(session: Session, plan: Any) -> tuple[list[Product], bool]:
    """The products this message is about, and whether they are a range: one named confidently, else the
    whole category the message named ("running shoes": every active product in it, so a size can filter
    the range — the matcher's top three would leave out the very shoe made in that size)."""
    products = [
        (m, plan.rows.get(("product", m.key)))
        for m in plan.matches
        if m.kind == "product" and ("product", m.key) in plan.rows
    ]
    named = [row for m, row in products if m.confidence >= CONFIDENT and m.matched_field != "category"]
    if named:
        return [named[0]], False
    category = next(
        (m.category for m, _row in products if m.matched_field == "category" and m.category), None
    )
    if category:
        rows = session.exec(
            select(Product)
            .where(Product.tenant_id == plan.tenant_id, Product.category == category, Product.is_active)
            .order_by(col(Product.stock).desc(), col(Product.id))
            .limit(RANGE_LIMIT)
        ).all()
        return list(rows), True
    return [row for _m, row in products[:1]], False


def apply(session: Session, plan: Any) -> None:
    """Fill `plan.attributes` and `plan.variant` (module docstring)."""
    products, is_range = _asked_products(session, plan)
    viewed = [r for r in plan.last_viewed if isinstance(r, Product)]
    colors = [c for row in [*products, *viewed] for c in (row.colors or [])]
    attrs = extract(plan.answer_text, colors)
    earlier, earlier_product = _earlier(plan)
    follow_up = False
    if not products and attrs and (viewed or earlier_product):
        products = (
            viewed[:1]
            or [r for r in plan.rows.values() if isinstance(r, Product) and r.id == earlier_product][:1]
        )
        follow_up = bool(products)
        attrs = attrs.merged_over(earlier)
    elif products and earlier is not None and len(products) == 1 and products[0].id == earlier_product:
        attrs = attrs.merged_over(earlier)  # the same item again: its size still holds
    plan.attributes = attrs if attrs else None
    if not attrs or not (attrs.size or attrs.color) or not products:
        return
    if not attrs.color and not any(row.sizes or row.variants for row in products):
        return  # no sizes on record: nothing to say about this one beyond the usual answer
    if is_range and not (attrs.size or attrs.color):
        return
    items = [(row, availability(row, attrs)) for row in products]
    if is_range:  # the range filtered: made in that size (and colour), in stock first
        items = sorted((i for i in items if i[1].made), key=lambda item: not item[1].in_stock)
        if not items:
            return
    plan.variant = VariantView(attrs, items[:MAX_LISTED], follow_up, is_range)


# The answer's wording in English; engine/locales/<lang>.json `variants` has the same keys for
# another language (one set: English alone has a first line and a question per tone, below).
WORDING: dict[str, str] = {
    "size": "size {size}",
    "colour": " in {color}",
    "in_stock": "Yes, the {name} is in stock in {wanted}{left}. It's {price}.",
    "left": ", only {n} left",
    "reserve_ask": "Shall I reserve one for you?",
    "no_colour": "The {name} doesn't come in {color}: it comes in {shades}.",
    "one_colour": "one colour",
    "not_made": "The {name} doesn't come in {wanted}.",
    "out_of_stock": "Sorry, the {name} is out of stock in {wanted}.",
    "other_colours": " In {size} it's in stock in {colors}.",
    "nearest": " Nearest sizes in stock: {sizes}.",
    "and": " and ",
    "none_near": " I can't see it in stock in a nearby size either.",
    "row_in_stock": "in stock",
    "row_out_of_stock": "out of stock in that size",
    "that_size": "that size",
    "head_in_stock": "Yes — in {wanted} we have:",
    "head_none": "Sorry, none of these is in stock in {wanted}:",
    "tap_one": "Tap one to see it.",
    "reserve": "Reserve",
    "details": "See details",
    "other_sizes": "Other sizes",
}
IN_STOCK = {  # the answer's first line in the persona's tone; {name} is bold already
    "friendly": WORDING["in_stock"],
    "formal": "Yes, the {name} is available in {wanted}{left}, at {price}.",
    "concise": "In stock: {name}, {wanted}{left}, {price}.",
    "playful": "Good news — the {name} is in stock in {wanted}{left}! It's {price}.",
}
RESERVE_ASK = {
    "friendly": WORDING["reserve_ask"],
    "formal": "Would you like us to reserve one for you?",
    "concise": "Reserve one?",
    "playful": "Want me to put one aside for you?",
}


def wording_for(tone: str, language: dict[str, str] | None = None) -> dict[str, str]:
    """The answer's sentences: a language's file when the customer writes in one, else English in the
    persona's tone."""
    if language:
        return {**WORDING, **language}
    friendly = WORDING["in_stock"], WORDING["reserve_ask"]
    return {
        **WORDING,
        "in_stock": IN_STOCK.get(tone, friendly[0]),
        "reserve_ask": RESERVE_ASK.get(tone, friendly[1]),
    }


def _wanted(attrs: Attributes, got: Availability, w: dict[str, str]) -> str:
    """ "size 42 (UK 8) in Black" — the customer's size, and the shop's label when they differ."""
    size = ""
    if attrs.size:
        asked = w["size"].format(size=attrs.size) if attrs.size[0].isdigit() else attrs.size
        size = f"{asked} ({got.size})" if got.size and got.size != attrs.size else asked
    colour = w["colour"].format(color=got.color or attrs.color) if attrs.color else ""
    return f"{size}{colour}".strip()


def _one(row: Product, got: Availability, attrs: Attributes, currency: str, w: dict[str, str]) -> str:
    price = format_money(row.price, currency)
    wanted = _wanted(attrs, got, w)
    name = f"*{row.name}*"
    if got.in_stock:
        left = w["left"].format(n=got.stock) if got.stock <= 3 else ""
        return w["in_stock"].format(name=name, wanted=wanted, left=left, price=price)
    if got.unknown_color:
        shades = ", ".join(row.colors or []) or w["one_colour"]
        text = w["no_colour"].format(name=name, color=attrs.color, shades=shades)
    elif not got.made:
        text = w["not_made"].format(name=name, wanted=wanted)
    else:
        text = w["out_of_stock"].format(name=name, wanted=wanted)
    if got.other_colors and attrs.color and got.size:
        text += w["other_colours"].format(size=got.size, colors=", ".join(got.other_colors[:3]))
    if got.nearest:
        text += w["nearest"].format(sizes=w["and"].join(got.nearest))
    elif not got.other_colors:
        text += w["none_near"]
    return text


def answer_text(
    view: VariantView, currency: str, tone: str = "friendly", language: dict[str, str] | None = None
) -> tuple[str, list[Option]]:
    """The answer first, then what the customer can do next (buttons for one product, rows for several);
    `language` is the customer's language's wording (engine.agent.language.variant_wording)."""
    w = wording_for(tone, language)
    attrs = view.attributes
    if view.single:
        row, got = view.items[0]
        text = _one(row, got, attrs, currency, w)
        options = [Option(f"product:{row.sku}:info", w["details"])]
        if got.in_stock:
            options.insert(0, Option(f"product:{row.sku}:reserve", w["reserve"]))
            text += "\n" + w["reserve_ask"]
        if row.sizes:
            options.append(Option(f"product:{row.sku}:sizes", w["other_sizes"]))
        return text, options[:3]
    lines = []
    options = []
    in_stock = [item for item in view.items if item[1].in_stock]
    for n, (row, got) in enumerate(view.items, 1):
        status = w["row_in_stock"] if got.in_stock else w["row_out_of_stock"]
        lines.append(f"{n}. *{row.name}* — {format_money(row.price, currency)}, {status}")
        note = f"{format_money(row.price, currency)} · {status}"[:72]
        options.append(Option(f"product:{row.sku}:info", _title(row.name), note))
    wanted = _wanted(attrs, view.items[0][1], w) or w["that_size"]
    head = (w["head_in_stock"] if in_stock else w["head_none"]).format(wanted=wanted)
    return head + "\n" + "\n".join(lines) + "\n\n" + w["tap_one"], options


def _title(name: str) -> str:
    from engine.agent.reply import short_title

    return short_title(name, 24)


def answer_intent(plan: Any, text: str) -> DetectedIntent:
    """The request the answer stands for (a follow-up like "and in black?" is about the product)."""
    row = plan.variant.items[0][0]
    return DetectedIntent("product_inquiry", ANSWER_CONFIDENCE, text, 2, row.sku, row.name)


def context_lines(plan: Any) -> list[str]:
    """The same facts for the model: what was asked for, and each product's standing in it."""
    view = getattr(plan, "variant", None)
    if view is None:
        return []
    attrs = view.attributes
    lines = [
        f"Customer wants: {attrs.describe()}" + (" (kept from earlier in the chat)" if view.follow_up else "")
    ]
    for row, got in view.items:
        status = (
            f"in stock ({got.stock})" if got.in_stock else ("not made" if not got.made else "out of stock")
        )
        extra = f"; nearest in stock: {', '.join(got.nearest)}" if got.nearest and not got.in_stock else ""
        label = got.size or attrs.size or ""
        lines.append(f"{row.sku} {row.name} in {label} {got.color or ''}".rstrip() + f": {status}{extra}")
    return lines


def remember(row: Any, plan: Any, entities: dict[str, Any]) -> None:
    """What the next turn needs: the wanted attributes and their product, what was shown and picked."""
    attrs: Attributes | None = getattr(plan, "attributes", None)
    view: VariantView | None = getattr(plan, "variant", None)
    product_id = None
    if view is not None and view.single:
        product_id = view.items[0][0].id
        row.last_product_id = product_id
    elif attrs is not None:
        earlier = (row.extracted_entities or {}).get(ATTRIBUTES_KEY) or {}
        product_id = row.last_product_id or earlier.get("product_id")
    if attrs is not None:
        entities[ATTRIBUTES_KEY] = {**attrs.to_dict(), "product_id": product_id}
    shown = getattr(plan, "shown", None)
    if shown is not None:
        entities[SHOWN_KEY] = shown
    picked = getattr(plan, "picked", None)
    if picked is not None:
        entities[PICKED_KEY] = picked


def listed_keys(options: Sequence[Option]) -> list[str]:
    return [o.id for o in options]


__all__ = [
    "ATTRIBUTES_KEY",
    "PICKED_KEY",
    "SHOWN_KEY",
    "VariantView",
    "answer_intent",
    "answer_text",
    "apply",
    "context_lines",
    "remember",
]
