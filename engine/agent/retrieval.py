"""Evidence for each request of a turn: catalogue matches, knowledge hits and the customer's orders.

Knowledge search ranks with reciprocal rank fusion, whose scores (~0.016) say nothing absolute: the offline
provider and the handoff rules need "how well does this entry answer the question" in [0, 1]. That is
`knowledge_confidence`: the share of the question's informative words the entry contains, weighted by where
(title and keywords say what an entry is about; a word only in the body says less).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col

from engine.agent.intents import DetectedIntent
from engine.catalog import CONFIDENT, MATCH_THRESHOLD, CatalogMatch, match_catalog
from engine.catalog.text import fold
from engine.db import TenantScope, session_scope
from engine.knowledge.search import query_terms, search
from engine.knowledge.types import SearchHit
from engine.llm.offline import KnowledgeHit
from engine.models import Product, Service
from engine.money import format_money


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Question words the search keeps but that say nothing about which entry answers.
GENERIC = _words(
    """much many long take takes does give send make way thing things someone anyone still also just really
    yes ok okay thanks want need know please tell like would could get got after before ever every some
    other another there here one two shoes shoe they them their it its this that these those whats use
    instead go via pls plz el la los las un una de del en y o que cuanto cuesta donde tienen tiene hay le les
    des du et est ou quel quelle combien vous avez der die das und ist wie viel wo haben sie os as um uma do
    da em e quanto custa onde voces tem il lo gli di che dove costa avete"""
)
# Query expansion for lexical search: everyday words and other languages' shop words, mapped to the words a
# knowledge base uses ("envío" → delivery). Without embeddings a Spanish question cannot find an English
# entry otherwise; with them this still sharpens the keyword half of the hybrid search.
EXPANSIONS: dict[str, str] = {
    "ship": "delivery",
    "shipping": "delivery",
    "postage": "delivery",
    "internationally": "international",
    "abroad": "international",
    "overseas": "international",
    "sun": "sunday",
    "sat": "saturday",
    "pay": "payment",
    "paying": "payment",
    "swap": "exchange",
    "envio": "delivery",
    "envios": "delivery",
    "entrega": "delivery",
    "livraison": "delivery",
    "lieferung": "delivery",
    "versand": "delivery",
    "spedizione": "delivery",
    "devolver": "return",
    "devolucion": "return",
    "devolucao": "return",
    "retour": "return",
    "retourner": "return",
    "ruckgabe": "return",
    "reso": "return",
    "reembolso": "refund",
    "remboursement": "refund",
    "rembourse": "refund",
    "erstattung": "refund",
    "rimborso": "refund",
    "cambio": "exchange",
    "umtausch": "exchange",
    "echange": "exchange",
    "trocar": "exchange",
    "horario": "opening hours",
    "horarios": "opening hours",
    "horaires": "opening hours",
    "offnungszeiten": "opening hours",
    "orari": "opening hours",
    "abren": "open",
    "abierto": "open",
    "ouvert": "open",
    "geoffnet": "open",
    "aperto": "open",
    "tienda": "store",
    "magasin": "store",
    "geschaft": "store",
    "laden": "store",
    "loja": "store",
    "negozio": "store",
    "pedido": "order",
    "commande": "order",
    "bestellung": "order",
    "encomenda": "order",
    "ordine": "order",
    "talla": "size",
    "taille": "size",
    "grosse": "size",
    "tamanho": "size",
    "taglia": "size",
    "pagar": "payment",
    "pago": "payment",
    "paiement": "payment",
    "bezahlen": "payment",
    "zahlung": "payment",
    "pagamento": "payment",
    "domingo": "sunday",
    "dimanche": "sunday",
    "sonntag": "sunday",
    "domenica": "sunday",
    "sabado": "saturday",
    "samedi": "saturday",
    "samstag": "saturday",
    "sabato": "saturday",
}
KNOWLEDGE_LIMIT = 3
# Under this (none of the question's words in its title or keywords) an entry is not shown to the model.
MIN_RELEVANT = 0.5
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


def expand(query: str) -> str:
    """The query plus the knowledge base's words for the everyday and foreign words in it."""
    folded = fold(query)
    extra = [v for k, v in EXPANSIONS.items() if re.search(rf"\b{re.escape(k)}\b", folded)]
    return f"{query} {' '.join(dict.fromkeys(extra))}" if extra else query


def knowledge_confidence(query: str, hit: SearchHit, hits: Sequence[SearchHit] = ()) -> float:
    """How well an entry answers `query`, in [0, 1].

    Only the question's words some retrieved entry contains count (a word none of them has, like "pizza",
    cannot be answered by any; it lowers the score through the known-share factor instead): the entry is
    rated by how many of those words it has in its title or keywords (what it is about) and anywhere.
    """
    terms = informative_terms(query)
    if not terms:
        return 0.0
    known: set[str] = set()
    for other in (hit, *hits):
        for words in other.match.terms.values():
            known.update(words)
    counted = [t for t in terms if t in known]
    if not counted:
        return 0.0
    found = hit.match.terms
    strong = set(found.get("title", [])) | set(found.get("keywords", []))
    anywhere = strong | set(found.get("content", []))
    strong_share = sum(t in strong for t in counted) / len(counted)
    any_share = sum(t in anywhere for t in counted) / len(counted)
    score = 0.55 + 0.3 * strong_share + 0.15 * any_share if strong_share else 0.45 * any_share
    known_share = len(counted) / len(terms)
    return round(min(1.0, score * (0.6 + 0.4 * known_share)), 3)


def search_knowledge(
    session: Session, tenant_id: int, query: str, limit: int = KNOWLEDGE_LIMIT
) -> list[ScoredEntry]:
    """Knowledge hits for one request, scored by `knowledge_confidence`, best first."""
    written = query
    query = expand(fold(query))  # accents off: "envío" is the knowledge base's "envio" → delivery
    terms = informative_terms(query)
    if not terms:
        return []
    # Only the words that can tell entries apart: every word is a full-text (often fuzzy) query of its own.
    # The vector half reads the request as written: the embedding model understands sentences, not term lists.
    query = " ".join(terms)
    result = search(session, tenant_id, query, limit=limit, vector_text=written)
    scored = [ScoredEntry(hit, knowledge_confidence(query, hit, result.hits)) for hit in result.hits]
    scored.sort(key=lambda s: -s.confidence)  # stable: the search's order breaks ties
    return scored


# Knowledge searches run here, beside the rest of the turn's reads (LanceDB works outside the GIL): a turn
# waits for the slower of the two, not their sum. Each search opens its own read-only session.
_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="agent-kb")


def _search_own_session(tenant_id: int, text: str) -> list[ScoredEntry]:
    with session_scope() as session:
        return search_knowledge(session, tenant_id, text)


@dataclass
class PendingEvidence:
    """Evidence whose catalogue part is there and whose knowledge part is still being searched."""

    evidence: list[Evidence]
    searches: list[tuple[Evidence, Future[list[ScoredEntry]]]] = field(default_factory=list)

    def result(self) -> list[Evidence]:
        for evidence, future in self.searches:
            evidence.knowledge = future.result()
        self.searches = []
        return self.evidence


def gather_async(
    session: Session,
    tenant_id: int,
    intents: Sequence[DetectedIntent],
    *,
    catalog_cache: dict[str, list[CatalogMatch]] | None = None,
    max_searches: int = 3,
    prefetched: tuple[str, Future[list[ScoredEntry]]] | None = None,
) -> PendingEvidence:
    """Evidence per request: the segment's catalogue matches now and, for questions the knowledge base may
    answer, its best entries in the background (at most `max_searches` searches per turn)."""
    cache = catalog_cache if catalog_cache is not None else {}
    pending = PendingEvidence([])
    for intent in intents:
        evidence = Evidence(intent)
        pending.evidence.append(evidence)
        if intent.social or intent.name in ("human_request", "affirm", "deny"):
            continue
        text = intent.text or ""
        if intent.name in CATALOG_INTENTS or intent.target:
            matches = cache.get(text)
            if matches is None:
                matches = match_catalog(session, tenant_id, text, limit=6)
                cache[text] = matches
            evidence.catalog = [m for m in matches if m.confidence >= MATCH_THRESHOLD]
        # "do you do gift wrapping?" reads like a product question; with no confident catalogue match the
        # knowledge base may still answer it.
        unsure_product = intent.name in ("product_inquiry", "service_inquiry") and (
            not evidence.catalog or evidence.catalog[0].confidence < CONFIDENT
        )
        wanted = intent.name in KNOWLEDGE_INTENTS or unsure_product
        if wanted and len(pending.searches) < max_searches and text:
            if prefetched is not None and " ".join(text.split()) == " ".join(prefetched[0].split()):
                future, prefetched = prefetched[1], None  # the search started early is this one
            else:
                future = _pool.submit(_search_own_session, tenant_id, text)
            pending.searches.append((evidence, future))
    if prefetched is not None:
        prefetched[1].cancel()  # not needed after all (a no-op when it already runs)
    return pending


def prefetch_knowledge(tenant_id: int, text: str) -> tuple[str, Future[list[ScoredEntry]]]:
    """Start the knowledge search for a whole one-request message before the turn knows it needs it (the
    search is the slowest read of a turn; started first, it runs beside everything else)."""
    return text, _pool.submit(_search_own_session, tenant_id, text)


def gather(
    session: Session,
    tenant_id: int,
    intents: Sequence[DetectedIntent],
    *,
    catalog_cache: dict[str, list[CatalogMatch]] | None = None,
    max_searches: int = 3,
) -> list[Evidence]:
    """`gather_async`, waited for."""
    return gather_async(
        session, tenant_id, intents, catalog_cache=catalog_cache, max_searches=max_searches
    ).result()


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
                kind=kind,
                id=str(entry.id),
                title=entry.title,
                content=entry.content,
                score=scored.confidence,
                internal=entry.internal,  # the offline provider never quotes it
            )
        )
    return hits


money = format_money  # the name compose and the pipeline import: one formatter, engine.money


def describe_item(row: Product | Service, currency: str, *, confidence: float | None = None) -> str:
    """One catalogue line for the prompt: key, name, price, availability, sizes, short description."""
    if isinstance(row, Product):
        status = f"in stock ({row.stock})" if row.stock > 0 else "out of stock"
        extra = f"; sizes {', '.join(row.sizes[:12])}" if row.sizes else ""
        extra += f"; colours {', '.join(row.colors[:6])}" if row.colors else ""
        head = f"[{row.sku}] {row.name} — {format_money(row.price, currency)}, {status}{extra}"
    else:
        status = "bookable" if row.is_bookable else "not bookable now"
        price = format_money(row.price, currency)
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
    "gather_async",
    "prefetch_knowledge",
    "informative_terms",
    "knowledge_confidence",
    "money",
    "offline_hits",
    "search_knowledge",
]
