"""Choices that lead somewhere: what a tap on a product, a size, a service or a time answers.

A tapped list row used to come back as "Tell me more about the …" and was answered with the same list again
— a loop. Now each tap moves the customer one step on, without the model (the step is known, and a rule
answers in milliseconds):

    product:SKU:info     the product's card: image, price, sizes in stock, a short description, and the
                         buttons Reserve · Other sizes · Ask a question
    product:SKU:sizes    the sizes in stock as list rows (size:SKU:N)
    size:SKU:N           that size's stock, with Reserve
    product:SKU:reserve  an order on hold for the wanted size and colour (engine.catalog.reservations), or
                         the sizes in stock to choose from first (hold:SKU:N)
    hold:SKU:N           the hold in that variant
    product:SKU:ask      an invitation to ask, the product kept as the topic
    service:CODE:info    the free times (business hours minus bookings, by the service's duration)
    slot:CODE:TIME       the booking, confirmed

Every answer records what it showed and what was picked (engine.agent.variants.remember), and none repeats
the list the customer just picked from. A hold or a booking is written in phase A, in its own savepoint
(the row must exist before the reply can quote its number); the turn answers without the model, so that
unit of work ends a few milliseconds later. The service side is engine.agent.bookings.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from sqlmodel import Session

from engine.agent.bookings import book_time, offer_times
from engine.agent.plan import TurnPlan
from engine.agent.variants import ATTRIBUTES_KEY
from engine.catalog import CatalogError
from engine.catalog.attributes import Attributes
from engine.catalog.reservations import reserve
from engine.catalog.stock import availability, size_key, sizes_in_stock, variant_rows
from engine.channels.whatsapp import limits
from engine.channels.whatsapp.rich import Option, RichMessageBuilder, RichMessageError
from engine.db import TenantScope, in_savepoint
from engine.models import Product, Service
from engine.money import format_money

log = logging.getLogger(__name__)

_TAP = re.compile(r"^(product|service|size|hold|slot):([^:]+):([\w.-]+)$")
DESCRIPTION_CHARS = 160
MAX_SIZES_SHOWN = 8


def answer_tap(session: Session, plan: TurnPlan, detail: dict[str, Any]) -> None:
    """Answer the turn's tap, if it is one of the module docstring's, as `plan.short_reply` (+ rich)."""
    payload = next((m.button_payload for m in reversed(plan.inbound) if m.button_payload), None)
    found = _TAP.match(payload or "")
    if not found:
        return
    kind, key, action = found.groups()
    scope = TenantScope(session, plan.tenant_id)
    if kind in ("product", "size", "hold"):
        product = scope.first(Product, Product.sku == key)
        if product is None or not product.is_active:
            return
        handler = {
            ("product", "info"): _card,
            ("product", "sizes"): _other_sizes,
            ("product", "ask"): _ask,
            ("product", "reserve"): _reserve,
            ("product", "buy"): _reserve,
        }.get((kind, action))
        if kind == "size":
            handler = _size
        elif kind == "hold":
            handler = _hold
        if handler is None:
            return
        handler(session, plan, product, action)
    else:
        service = scope.first(Service, Service.code == key)
        if service is None or not service.is_active:
            return
        if kind == "service" and action in ("info", "book"):
            offer_times(session, plan, service)
        elif kind == "slot":
            book_time(session, plan, service, action)
        else:
            return
    plan.picked = {"payload": payload, "kind": kind, "key": key}
    plan.short_intents = plan.short_intents or [{"name": "choice", "confidence": 1.0}]
    detail["tap"] = {"kind": kind, "key": key, "action": action}


# --- products -------------------------------------------------------------------------------------------


def _wanted(plan: TurnPlan, product: Product) -> Attributes:
    """The size and colour the customer asked for earlier in the conversation (any product: a size is the
    customer's, so it carries over to the product they tap next)."""
    stored = (plan.memory.entities.get(ATTRIBUTES_KEY) if plan.memory else None) or {}
    attrs = Attributes.from_dict(stored) or Attributes()
    if stored.get("product_id") not in (None, product.id) and attrs.color:
        # Another product's colour says nothing about this one; the size is the customer's own.
        attrs = Attributes(size=attrs.size, size_key=attrs.size_key, quantity=attrs.quantity)
    plan.attributes = attrs if attrs else None
    return attrs


def _size_range(sizes: list[str]) -> str:
    if len(sizes) <= MAX_SIZES_SHOWN:
        return ", ".join(sizes)
    return f"{sizes[0]} to {sizes[-1]} ({len(sizes)} sizes)"


def _card(session: Session, plan: TurnPlan, product: Product, _action: str) -> None:
    attrs = _wanted(plan, product)
    price = format_money(product.price, plan.currency)
    stocked = sizes_in_stock(product)
    lines = [f"*{product.name}*"]
    description = " ".join((product.description or "").split())
    if description:
        cut = description[:DESCRIPTION_CHARS]
        lines.append(cut if len(description) <= DESCRIPTION_CHARS else cut.rsplit(" ", 1)[0] + "…")
    if product.sizes:
        lines.append(f"Sizes in stock: {_size_range(stocked)}" if stocked else "Out of stock in every size")
    if attrs.size or attrs.color:
        got = availability(product, attrs)
        wanted = " ".join(p for p in (got.size or attrs.size, got.color or attrs.color) if p)
        count = f" ({got.stock})" if variant_rows(product) else ""  # a one-figure stock is not per size
        state = f"in stock{count}" if got.in_stock else "not in stock"
        lines.append(f"In {wanted}: {state}")
    if product.colors:
        lines.append(f"Colours: {', '.join(product.colors)}")
    in_stock = product.stock > 0
    subtitle = f"{price} · {'in stock' if in_stock else 'out of stock'}"
    buttons = []
    if in_stock:
        buttons.append(Option(f"product:{product.sku}:reserve", "Reserve"))
    if product.sizes:
        buttons.append(Option(f"product:{product.sku}:sizes", "Other sizes"))
    buttons.append(Option(f"product:{product.sku}:ask", "Ask a question"))
    title = "\n".join(lines)
    try:
        plan.short_rich = RichMessageBuilder.card(
            title[: limits.CARD_TITLE_MAX],
            subtitle=subtitle[: limits.CARD_SUBTITLE_MAX],
            image_url=product.image_url or None,
            buttons=buttons,
        )
    except RichMessageError as exc:  # a bad image address: the card without it
        log.info("product card without its image: %s", exc)
        plan.short_rich = RichMessageBuilder.card(
            title[: limits.CARD_TITLE_MAX], subtitle=subtitle[: limits.CARD_SUBTITLE_MAX], buttons=buttons
        )
    plan.short_reply = f"{title}\n{subtitle}"
    plan.short_options = buttons
    plan.shown = {"kind": "card", "product": product.sku}
    plan.short_intents = [{"name": "product_inquiry", "confidence": 1.0, "target": product.sku}]


def _other_sizes(session: Session, plan: TurnPlan, product: Product, _action: str) -> None:
    attrs = _wanted(plan, product)
    stocked = sizes_in_stock(product)
    if not stocked:
        plan.short_reply = f"Sorry, the *{product.name}* is out of stock in every size right now."
        plan.short_options = [Option(f"product:{product.sku}:ask", "Ask a question")]
        return
    if attrs.size_key is not None:  # nearest the customer's size first
        stocked = sorted(stocked, key=lambda s: _gap(size_key(s), attrs.size_key))
    rows = []
    for label in stocked[: limits.LIST_ITEMS_MAX]:
        got = availability(product, Attributes(size=label, size_key=size_key(label)))
        index = (product.sizes or []).index(label) if label in (product.sizes or []) else -1
        if index < 0:
            continue
        rows.append(Option(f"size:{product.sku}:{index}", label[:24], f"{got.stock} in stock"[:72]))
    plan.short_reply = f"The *{product.name}* is in stock in these sizes. Which one would you like?"
    plan.short_options = rows
    plan.shown = {"kind": "sizes", "product": product.sku, "rows": [o.title for o in rows]}


def _gap(a: Any, b: Any) -> float:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b)
    return 99.0


def _size(session: Session, plan: TurnPlan, product: Product, action: str) -> None:
    sizes = list(product.sizes or [])
    if not action.isdigit() or int(action) >= len(sizes):
        return
    label = sizes[int(action)]
    earlier = _wanted(plan, product)
    attrs = Attributes(size=label, size_key=size_key(label), color=earlier.color)
    plan.attributes = attrs
    got = availability(product, attrs)
    price = format_money(product.price, plan.currency)
    if got.in_stock:
        plan.short_reply = (
            f"The *{product.name}* in {label} is in stock ({got.stock}), {price}. Shall I reserve it?"
        )
        plan.short_options = [
            Option(f"product:{product.sku}:reserve", "Reserve"),
            Option(f"product:{product.sku}:ask", "Ask a question"),
        ]
    else:
        plan.short_reply = f"Sorry, {label} has just gone out of stock."
        plan.short_options = [Option(f"product:{product.sku}:sizes", "Other sizes")]
    plan.shown = {"kind": "size", "product": product.sku, "size": label}


def _ask(session: Session, plan: TurnPlan, product: Product, _action: str) -> None:
    _wanted(plan, product)
    plan.short_reply = f"Of course! What would you like to know about the *{product.name}*?"
    plan.shown = {"kind": "question", "product": product.sku}


def _reserve(session: Session, plan: TurnPlan, product: Product, _action: str) -> None:
    attrs = _wanted(plan, product)
    got = availability(product, attrs)
    variants = variant_rows(product)
    sized = bool(product.sizes) or bool(variants)
    if (
        sized
        and got.in_stock
        and (got.size or not product.sizes)
        and (got.color or len(_colours(product)) <= 1)
    ):
        _do_hold(session, plan, product, got.size, got.color)
        return
    # Which one? The variants in stock nearest the wanted size, as rows to pick.
    rows = []
    if variants:
        order = sorted(
            (i for i, v in enumerate(variants) if int(v.get("stock") or 0) > 0),
            key=lambda i: _gap(size_key(str(variants[i].get("size") or "")), attrs.size_key),
        )
        for i in order[: limits.LIST_ITEMS_MAX]:
            v = variants[i]
            title = " · ".join(p for p in (v.get("size"), v.get("color")) if p)
            rows.append(Option(f"hold:{product.sku}:v{i}", title[:24], f"{v.get('stock')} in stock"))
    else:
        for i, label in enumerate(product.sizes or []):
            if product.stock > 0 and len(rows) < limits.LIST_ITEMS_MAX:
                rows.append(Option(f"hold:{product.sku}:s{i}", label[:24]))
    if not rows:
        plan.short_reply = f"Sorry, the *{product.name}* is out of stock right now, so I can't reserve one."
        plan.short_options = [Option(f"product:{product.sku}:ask", "Ask a question")]
        return
    plan.short_reply = f"Which one shall I reserve for you? Pick a size for the *{product.name}*."
    plan.short_options = rows
    plan.shown = {"kind": "hold_choices", "product": product.sku, "rows": [o.title for o in rows]}


def _colours(product: Product) -> set[str]:
    return {str(v.get("color")) for v in variant_rows(product) if v.get("color") and int(v.get("stock") or 0)}


def _hold(session: Session, plan: TurnPlan, product: Product, action: str) -> None:
    size = color = None
    if action.startswith("v") and action[1:].isdigit():
        variants = variant_rows(product)
        if int(action[1:]) >= len(variants):
            return
        chosen = variants[int(action[1:])]
        size, color = chosen.get("size") or None, chosen.get("color") or None
    elif action.startswith("s") and action[1:].isdigit():
        sizes = list(product.sizes or [])
        if int(action[1:]) >= len(sizes):
            return
        size = sizes[int(action[1:])]
    else:
        return
    plan.attributes = Attributes(size=size, size_key=size_key(size or ""), color=color)
    _do_hold(session, plan, product, size, color)


def _do_hold(session: Session, plan: TurnPlan, product: Product, size: str | None, color: str | None) -> None:
    quantity = (plan.attributes.quantity if plan.attributes else None) or 1
    sku = product.sku
    try:
        hold = in_savepoint(
            session,
            lambda: reserve(
                session,
                plan.tenant_id,
                customer_id=plan.customer_id,
                sku=sku,
                size=size,
                color=color,
                quantity=quantity,
                now=plan.now,
            ),
        )
    except CatalogError as exc:
        plan.short_reply = f"Sorry, I couldn't reserve it: {exc.errors[0].message}."
        plan.short_options = [Option(f"product:{product.sku}:sizes", "Other sizes")] if product.sizes else []
        return
    count = f"{quantity}× " if quantity > 1 else ""
    plan.short_reply = (
        f"Done! I've put {count}*{hold.name}* on hold for you — reservation *{hold.order_number}*, "
        f"{format_money(hold.total, plan.currency)}. Our team will be in touch to arrange payment and "
        "collection or delivery."
    )
    plan.shown = {"kind": "hold", "product": product.sku, "order": hold.order_number}
    plan.short_intents = [{"name": "reservation", "confidence": 1.0, "target": hold.order_number}]


__all__ = ["answer_tap"]
