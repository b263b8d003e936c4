"""Evidence for each request of a turn: catalogue matches, knowledge hits and the customer's orders.

Knowledge search ranks with reciprocal rank fusion, whose scores (~0.016) say nothing absolute: the offline
provider and the handoff rules need "how well does this entry answer the question" in [0, 1]. That is
`knowledge_confidence`: the share of the question's informative words the entry contains, weighted by where
(title and keywords say what an entry is about; a word only in the body says less).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col

from engine.agent.intents import DetectedIntent
from engine.catalog import CONFIDENT, MATCH_THRESHOLD, CatalogMatch, match_catalog
from engine.db import TenantScope
from engine.knowledge.search import query_terms, search
from engine.knowledge.types import SearchHit
from engine.llm.offline import KnowledgeHit
from engine.models import Product, Service


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Question words the search keeps but that say nothing about which entry answers.
GENERIC = _words(
    """much many long take takes does give send make way thing things someone anyone still also just really
    yes ok okay thanks want need know please tell like would could get got after before ever every some
    other another there here one two shoes shoe"""
)
KNOWLEDGE_LIMIT = 3
TITLE_WEIGHT, CONTENT_WEIGHT = 1.0, 0.55
# Requests the knowledge base may answer (a product question is answered from the catalogue first).
KNOWLEDGE_INTENTS = frozenset(
    {
        "faq",
        "delivery",
        "store_hours",
        "store_location",
        "payment",
        "payment_issue",
        "sizing",
        "refund_return",
        "complaint",
        "cancel_order",
        "order_status",
        "appointment",
        "service_inquiry",
        "other",
    }
)
CATALOG_INTENTS = frozenset({"product_inquiry", "service_inquiry", "appointment", "sizing", "faq", "other"})
_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class ScoredEntry:
    hit: SearchHit
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        entry = self.hit.entry
        return {
            "id": entry.id,
            "title": entry.title,
            "type": entry.entry_type,
            "confidence": round(self.confidence, 3),
            "why": self.hit.match.summary,
        }


@dataclass
class Evidence:
    """What was found for one request."""

    intent: DetectedIntent
    catalog: list[CatalogMatch] = field(default_factory=list)
    knowledge: list[ScoredEntry] = field(default_factory=list)

    @property
    def best_knowledge(self) -> float:
        return self.knowledge[0].confidence if self.knowledge else 0.0

    @property
    def best_catalog(self) -> float:
        return self.catalog[0].confidence if self.catalog else 0.0


def informative_terms(query: str) -> list[str]:
    return [t for t in query_terms(query) if t not in GENERIC and not _DIGITS.match(t)]


def knowledge_confidence(query: str, hit: SearchHit) -> float:
    """How well an entry answers `query`, in [0, 1] (see the module docstring)."""
    terms = informative_terms(query)
    if not terms:
        return 0.0
    found = hit.match.terms
    strong = set(found.get("title", [])) | set(found.get("keywords", []))
    weak = set(found.get("content", [])) - strong
    covered = sum(TITLE_WEIGHT if t in strong else CONTENT_WEIGHT if t in weak else 0.0 for t in terms)
    coverage = covered / len(terms)
    if strong & set(terms):
        return round(min(1.0, 0.25 + 0.75 * coverage), 3)
    return round(0.6 * coverage, 3)


def search_knowledge(
    session: Session, tenant_id: int, query: str, limit: int = KNOWLEDGE_LIMIT
) -> list[ScoredEntry]:
    """Knowledge hits for one request, scored by `knowledge_confidence`, best first."""
    if not informative_terms(query):
        return []
    result = search(session, tenant_id, query, limit=limit)
    scored = [ScoredEntry(hit, knowledge_confidence(query, hit)) for hit in result.hits]
    scored.sort(key=lambda s: -s.confidence)  # stable: the search's order breaks ties
    return scored


def gather(
    session: Session,
    tenant_id: int,
    intents: Sequence[DetectedIntent],
    *,
    catalog_cache: dict[str, list[CatalogMatch]] | None = None,
    max_searches: int = 3,
) -> list[Evidence]:
    """Evidence per request: the segment's catalogue matches and, for questions the knowledge base may
    answer, its best entries (at most `max_searches` searches per turn)."""
    cache = catalog_cache if catalog_cache is not None else {}
    out: list[Evidence] = []
    searches = 0
    for intent in intents:
        evidence = Evidence(intent)
        if intent.social or intent.name in ("human_request", "affirm", "deny"):
            out.append(evidence)
            continue
        text = intent.text or ""
        if intent.name in CATALOG_INTENTS or intent.target:
            matches = cache.get(text)
            if matches is None:
                matches = match_catalog(session, tenant_id, text, limit=3)
                cache[text] = matches
            evidence.catalog = [m for m in matches if m.confidence >= MATCH_THRESHOLD]
        # "do you do gift wrapping?" reads like a product question; with no confident catalogue match the
        # knowledge base may still answer it.
        unsure_product = intent.name in ("product_inquiry", "service_inquiry") and (
            not evidence.catalog or evidence.catalog[0].confidence < CONFIDENT
        )
        if (intent.name in KNOWLEDGE_INTENTS or unsure_product) and searches < max_searches and text:
            evidence.knowledge = search_knowledge(session, tenant_id, text)
            searches += 1
        out.append(evidence)
    return out


def catalog_rows(
    session: Session, tenant_id: int, matches: Sequence[CatalogMatch]
) -> dict[tuple[str, str], Product | Service]:
    """The rows behind matches (description, sizes, stock), in two queries."""
    scope = TenantScope(session, tenant_id)
    skus = [m.key for m in matches if m.kind == "product"]
    codes = [m.key for m in matches if m.kind == "service"]
    rows: dict[tuple[str, str], Product | Service] = {}
    if skus:
        rows.update({("product", p.sku): p for p in scope.all(Product, col(Product.sku).in_(skus))})
    if codes:
        rows.update({("service", s.code): s for s in scope.all(Service, col(Service.code).in_(codes))})
    return rows


def offline_hits(
    evidence: Evidence, rows: dict[tuple[str, str], Product | Service], currency: str
) -> list[KnowledgeHit]:
    """The evidence as the offline provider's hits (scores in [0, 1])."""
    hits: list[KnowledgeHit] = []
    for match in evidence.catalog:
        row = rows.get((match.kind, match.key))
        description = (row.description if row is not None else "") or ""
        available = match.available
        hits.append(
            KnowledgeHit(
                kind=match.kind,
                id=match.key,
                title=match.name,
                content=description,
                score=float(match.confidence),
                price=Decimal(match.price),
                currency=currency,
                available=available,
            )
        )
    for scored in evidence.knowledge:
        entry = scored.hit.entry
        kind = entry.entry_type if entry.entry_type in ("faq", "policy", "document") else "knowledge"
        hits.append(
            KnowledgeHit(
                kind=kind, id=str(entry.id), title=entry.title, content=entry.content, score=scored.confidence
            )
        )
    return hits


SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}


def money(amount: Any, currency: str | None) -> str:
    """£95.00 / 95.00 CHF: how prices read in a reply."""
    value = f"{Decimal(str(amount)):,.2f}"
    code = (currency or "").upper()
    return f"{SYMBOLS[code]}{value}" if code in SYMBOLS else f"{value} {code}".strip()


def describe_item(row: Product | Service, currency: str, *, confidence: float | None = None) -> str:
    """One catalogue line for the prompt: key, name, price, availability, sizes, short description."""
    _money = money
    if isinstance(row, Product):
        status = f"in stock ({row.stock})" if row.stock > 0 else "out of stock"
        extra = f"; sizes {', '.join(row.sizes[:12])}" if row.sizes else ""
        extra += f"; colours {', '.join(row.colors[:6])}" if row.colors else ""
        head = f"[{row.sku}] {row.name} — {_money(row.price, currency)}, {status}{extra}"
    else:
        status = "bookable" if row.is_bookable else "not bookable now"
        price = _money(row.price, currency)
        head = f"[{row.code}] {row.name} (service, {row.duration_minutes} min) — {price}, {status}"
    description = " ".join((row.description or "").split())
    if len(description) > 220:
        description = description[:219] + "…"
    match = f" (match {confidence:.2f})" if confidence is not None else ""
    return f"{head}{match}. {description}".strip()


__all__ = [
    "CATALOG_INTENTS",
    "Evidence",
    "KNOWLEDGE_INTENTS",
    "ScoredEntry",
    "catalog_rows",
    "describe_item",
    "gather",
    "informative_terms",
    "knowledge_confidence",
    "money",
    "offline_hits",
    "search_knowledge",
]
