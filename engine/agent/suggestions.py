"""Proactive suggestions: complementary products and services, with the reason, and whether they worked.

Sources, in order: the catalogue's own relations (a product's `related_skus`: the shop knows socks go with
running shoes), services that fit what the customer is looking at (a service that mentions the product's
category: gait analysis for running shoes), and the customer's history (what goes with what they bought
before). In stock or bookable first; never what they are asking about, already bought, or were already
offered in this conversation session.

Acceptance: each suggestion is stored on the turn's agent_interaction (`suggestions`: key, kind, name, reason,
accepted). When the customer later taps it or asks about it, the entry is marked accepted (with how), so the
shop sees which suggestions sell (`suggestion_stats`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col

from engine.catalog.index import current_token
from engine.catalog.text import fold
from engine.db import TenantScope
from engine.models import AgentInteraction, Product, Service

MAX_SUGGESTIONS = 3
MAX_SERVICES_SCANNED = 200
SERVICES_TTL = 60.0


@dataclass(frozen=True)
class Suggestion:
    kind: str  # product | service
    key: str  # SKU or service code
    id: int
    name: str
    reason: str
    available: bool
    price: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "id": self.id,
            "name": self.name,
            "reason": self.reason,
            "available": self.available,
            "price": self.price,
            "accepted": None,
        }


@dataclass(frozen=True)
class Anchor:
    """What the customer is looking at: a confident catalogue match or the last item viewed."""

    kind: str
    key: str
    name: str


def _price(value: Any) -> str:
    return f"{value:.2f}"


def suggest(
    session: Session,
    tenant_id: int,
    *,
    anchors: Sequence[Anchor],
    bought: Sequence[tuple[str, str]] = (),  # (sku, order number) of past orders, newest first
    exclude: Iterable[str] = (),
    limit: int = MAX_SUGGESTIONS,
    known: dict[str, Product] | None = None,
) -> list[Suggestion]:
    """Up to `limit` complementary items, in stock / bookable first, each with its reason.

    `known`: product rows the caller already read (by SKU), so the anchors cost no query.
    """
    scope = TenantScope(session, tenant_id)
    skip = {k.upper() for k in exclude} | {a.key.upper() for a in anchors} | {s.upper() for s, _ in bought}
    wanted: list[tuple[str, str, str]] = []  # (kind, key, reason) in preference order
    product_keys = [a.key for a in anchors if a.kind == "product"][:2]
    rows = {k: v for k, v in (known or {}).items() if k in product_keys}
    missing = [k for k in product_keys if k not in rows]
    if missing:
        rows.update({p.sku: p for p in scope.all(Product, col(Product.sku).in_(missing))})
    categories: list[tuple[str, str]] = []
    for key in product_keys:
        row = rows.get(key)
        if row is None:
            continue
        for related in row.related_skus or []:
            wanted.append(("product", related, f"goes well with the {row.name}"))
        if row.category:
            categories.append((row.category, row.name))
    if categories:
        services = _services(session, tenant_id)
        for category, name in categories:
            word = fold(category)
            for service in services:
                text = fold(" ".join([service.name, service.description or "", *(service.aliases or [])]))
                if word and word in text.split() or (word and f"{word} " in text):
                    wanted.append(("service", service.code, f"popular with {category} shoes like the {name}"))
    if bought:
        bought_rows = {p.sku: p for p in scope.all(Product, col(Product.sku).in_([s for s, _ in bought[:5]]))}
        for sku, number in bought[:5]:
            row = bought_rows.get(sku)
            if row is None:
                continue
            for related in row.related_skus or []:
                wanted.append(("product", related, f"to go with the {row.name} from your order {number}"))

    seen: set[str] = set()
    ordered: list[tuple[str, str, str]] = []
    for kind, key, reason in wanted:
        if key.upper() in skip or key in seen:
            continue
        seen.add(key)
        ordered.append((kind, key, reason))
    if not ordered:
        return []
    skus = [k for kind, k, _ in ordered if kind == "product"]
    codes = [k for kind, k, _ in ordered if kind == "service"]
    products = {p.sku: p for p in scope.all(Product, col(Product.sku).in_(skus))} if skus else {}
    services_by_code = {s.code: s for s in scope.all(Service, col(Service.code).in_(codes))} if codes else {}
    found: list[Suggestion] = []
    for kind, key, reason in ordered:
        if kind == "product":
            row = products.get(key)
            if row is None or not row.is_active:
                continue
            found.append(
                Suggestion(
                    "product", row.sku, int(row.id or 0), row.name, reason, row.stock > 0, _price(row.price)
                )
            )
        else:
            srow = services_by_code.get(key)
            if srow is None or not srow.is_active:
                continue
            found.append(
                Suggestion(
                    "service",
                    srow.code,
                    int(srow.id or 0),
                    srow.name,
                    reason,
                    srow.is_bookable,
                    _price(srow.price),
                )
            )
    found.sort(key=lambda s: not s.available)  # stable: available first, preference order kept
    return found[:limit]


_service_cache: dict[int, tuple[float, str | None, list[Service]]] = {}


def _services(session: Session, tenant_id: int) -> list[Service]:
    """The tenant's active services, kept while the catalogue's version token is unchanged (every catalogue
    write, in any process, changes it: engine.catalog.index) and at most SERVICES_TTL seconds."""
    now = time.monotonic()
    token = current_token(tenant_id)
    cached = _service_cache.get(tenant_id)
    if cached is not None and cached[1] == token and now - cached[0] < SERVICES_TTL:
        return cached[2]
    rows = TenantScope(session, tenant_id).all(Service, col(Service.is_active).is_(True))[
        :MAX_SERVICES_SCANNED
    ]
    for row in rows:
        session.expunge(row)  # kept beyond this session: detached, read-only
    _service_cache[tenant_id] = (now, token, rows)
    return rows


def validate_model_suggestions(
    session: Session, tenant_id: int, keys: Sequence[str], *, reason: str = "suggested for you"
) -> list[Suggestion]:
    """The model's suggestions (catalogue ids) that really exist and are active; invented ids are dropped."""
    keys = [str(k).strip() for k in keys if str(k).strip()][:MAX_SUGGESTIONS]
    if not keys:
        return []
    scope = TenantScope(session, tenant_id)
    products = {p.sku.upper(): p for p in scope.all(Product, col(Product.sku).in_(keys))}
    services = {s.code.upper(): s for s in scope.all(Service, col(Service.code).in_(keys))}
    out: list[Suggestion] = []
    for key in keys:
        p = products.get(key.upper())
        if p is not None and p.is_active:
            out.append(
                Suggestion("product", p.sku, int(p.id or 0), p.name, reason, p.stock > 0, _price(p.price))
            )
            continue
        s = services.get(key.upper())
        if s is not None and s.is_active:
            out.append(
                Suggestion("service", s.code, int(s.id or 0), s.name, reason, s.is_bookable, _price(s.price))
            )
    return out


def mark_accepted(
    session: Session,
    tenant_id: int,
    offered: Sequence[dict[str, Any]],
    keys: Iterable[str],
    *,
    via: str,
    now: datetime,
) -> list[str]:
    """Mark offered suggestions whose key the customer took up (tapped or asked about) as accepted.

    `offered` is the session's list from memory ({key, interaction_id}). Returns the keys marked.
    """
    wanted = {k.upper() for k in keys}
    hits = [o for o in offered if str(o.get("key", "")).upper() in wanted and o.get("interaction_id")]
    if not hits:
        return []
    scope = TenantScope(session, tenant_id)
    marked: list[str] = []
    for item in hits:
        interaction = scope.get(AgentInteraction, int(item["interaction_id"]))
        if interaction is None:
            continue
        entries = [dict(e) for e in interaction.suggestions or []]
        changed = False
        for entry in entries:
            if str(entry.get("key", "")).upper() == str(item["key"]).upper() and not entry.get("accepted"):
                entry.update(accepted=True, accepted_via=via, accepted_at=now.isoformat())
                changed = True
        if changed:
            interaction.suggestions = entries
            session.add(interaction)
            marked.append(str(item["key"]))
    return marked


@dataclass(frozen=True)
class SuggestionStats:
    shown: int
    accepted: int

    @property
    def acceptance_rate(self) -> float:
        return self.accepted / self.shown if self.shown else 0.0


def suggestion_stats(session: Session, tenant_id: int, *, since: datetime | None = None) -> SuggestionStats:
    """How many suggestions were shown and how many customers took up (for analytics and the console)."""
    scope = TenantScope(session, tenant_id)
    # JSON columns have no portable "not empty" test (PostgreSQL's json has no equality): filter here.
    query = scope.select(AgentInteraction)
    if since is not None:
        query = query.where(AgentInteraction.created_at >= since)  # type: ignore[operator]
    shown = accepted = 0
    for interaction in session.exec(query).all():
        for entry in interaction.suggestions or []:
            shown += 1
            accepted += bool(entry.get("accepted"))
    return SuggestionStats(shown, accepted)


__all__ = [
    "Anchor",
    "MAX_SUGGESTIONS",
    "Suggestion",
    "SuggestionStats",
    "mark_accepted",
    "suggest",
    "suggestion_stats",
    "validate_model_suggestions",
]
