"""Phase A of a turn: everything read and decided in one read-only unit of work, before the model is called.

    sanitize ▶ spelling (and the knowledge search started early) ▶ load ▶ pending answers ▶ confirm spelling
    ▶ intents ▶ memory ▶ retrieval ▶ customer history ▶ suggestion candidates ▶ knowledge ▶ context + prompt

What it finds goes on the TurnPlan (engine.agent.plan); `catalog_lookup`, `catalog_lines` and
`knowledge_lines` are shared with the Persona page's preview (engine.agent.preview).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import Session, select

from engine.agent import classify as signals_classifier
from engine.agent import guard, variants
from engine.agent import language as lang
from engine.agent import memory as mem
from engine.agent.choices import answer_tap
from engine.agent.context import ContextInputs, HistoryTurn, build_context, context_window
from engine.agent.history import conversation_history, recent_history
from engine.agent.intents import SOCIAL, classify, detect_intents, segments
from engine.agent.pending import payload_texts, pending_answers, recall_forgotten, welcome_back
from engine.agent.persona import AgentConfigurationService, apply_persona
from engine.agent.plan import SPELL_NO, SPELL_YES, LLMFactory, TurnPlan
from engine.agent.prompts import build_messages, turn_instructions
from engine.agent.reply import suggestion_pool
from engine.agent.retrieval import (
    KNOWLEDGE_INTENTS,
    MIN_RELEVANT,
    catalog_rows,
    describe_item,
    gather_async,
    money,
    prefetch_knowledge,
)
from engine.agent.sanitize import sanitize
from engine.agent.types import Tracer
from engine.catalog import MATCH_THRESHOLD, CatalogMatch, correct_spelling
from engine.catalog.schemas import CustomerHistoryDTO
from engine.channels.whatsapp.rich import Option
from engine.db import NotFound, TenantScope, session_scope
from engine.llm.offline import internal_lines
from engine.models import AgentConfiguration, Conversation, Customer, Product, Service, Tenant

_QUESTION_MARK = re.compile(r"\?\s*$")


def prepare(plan: TurnPlan, tracer: Tracer, llm_factory: LLMFactory) -> None:
    """Fill the plan, one traced step at a time; stops early when the turn is silent (a person owns the
    conversation) or answered without the model (`plan.short_reply`)."""
    with session_scope() as session:
        with tracer.step("sanitize") as d:
            cleaned = [sanitize(m.text) for m in plan.inbound]
            plan.texts = [c.text for c in cleaned if c.text]
            flags = sorted({f for c in cleaned for f in c.flags})
            plan.notes += flags
            d.update(messages=len(plan.texts), removed=sum(c.removed for c in cleaned), flags=flags)

        with tracer.step("spelling") as d:
            plan.persona = AgentConfigurationService.get(session, plan.tenant_id)
            text = "\n".join(plan.texts)
            tapped = any(m.button_payload for m in plan.inbound)
            if plan.persona.enable_spelling_correction and text and not tapped:
                plan.spelling = correct_spelling(session, plan.tenant_id, text)
                d["corrections"] = [c.to_dict() for c in plan.spelling.corrections]
            plan.requests = _requests(plan)
            prefetch = _prefetch_text(plan)
            if prefetch:
                plan.prefetched = prefetch_knowledge(plan.tenant_id, prefetch)
                d["prefetched_search"] = True

        with tracer.step("load") as d:
            found = session.exec(
                select(Conversation, Customer, Tenant)
                .join(
                    Customer,
                    (Customer.id == Conversation.customer_id)
                    & (Customer.tenant_id == Conversation.tenant_id),
                )
                .join(Tenant, Tenant.id == Conversation.tenant_id)
                .where(Conversation.tenant_id == plan.tenant_id, Conversation.id == plan.conversation_id)
            ).first()
            if found is None:
                raise NotFound(f"conversation {plan.conversation_id} not found")
            conversation, customer, tenant = found
            if conversation.status != "bot":
                plan.silent = True
                plan.notes.append(f"conversation is {conversation.status}: the bot stays silent")
                d["status"] = conversation.status
                return
            plan.customer_id = conversation.customer_id
            plan.low_confidence_turns = conversation.low_confidence_turns
            plan.business_name = tenant.name if tenant else ""
            plan.currency = tenant.currency if tenant else "USD"
            plan.time_zone = tenant.time_zone if tenant else "UTC"
            plan.first_name = (customer.name or "").split()[0] if customer.name else None
            plan.customer_facts = dict(customer.key_facts or {})
            _language_and_signals(plan, customer.language)
            d["language"] = plan.language
            plan.memory = mem.peek_memory(
                session, plan.tenant_id, conversation, now=plan.now, customer_facts=plan.customer_facts
            )
            d.update(new_session=plan.memory.new_session, expired=plan.memory.expired)
            # The customer's orders, bookings and the conversation's history, read beside the rest.
            customer_reads = _reads.submit(_customer_reads, plan)

        with tracer.step("pending") as d:
            payload_texts(session, plan)
            pending_answers(session, plan, d)
            answer_tap(session, plan, d)  # a tapped product, size, service or time: its next step
        if plan.short_reply is not None:
            return

        with tracer.step("confirm") as d:
            text = "\n".join(plan.texts)
            if plan.answer_text:
                text = plan.answer_text
            elif plan.spelling is not None:
                question = plan.spelling.confirmation_question()
                if question:
                    plan.short_reply = question
                    plan.short_options = [Option(SPELL_YES, "Yes"), Option(SPELL_NO, "No")]
                    plan.spelling_pending = {
                        "original": plan.spelling.original,
                        "suggested": plan.spelling.suggested_text,
                        "pairs": [[c.original, c.corrected] for c in plan.spelling.needs_confirmation],
                    }
                    plan.short_intents = [{"name": "spelling_confirmation", "confidence": 1.0}]
                    d["asked"] = question
                    return
                text = plan.spelling.text
            plan.answer_text = text

        with tracer.step("intents") as d:
            cache: dict[str, list[CatalogMatch]] = {}

            def lookup(segment: str) -> list[CatalogMatch]:
                if segment not in cache:
                    cache[segment] = catalog_lookup(session, plan.tenant_id, segment)
                return cache[segment]

            lines = plan.answer_text.split("\n")
            plan.intents = detect_intents(lines, catalog=lookup, match_threshold=MATCH_THRESHOLD)
            if any(i.name == "forgot" for i in plan.intents):
                recall_forgotten(session, plan, lookup, d)
            d["intents"] = [i.to_dict() for i in plan.intents]

        with tracer.step("memory") as d:
            welcome_back(plan, d)
        if plan.short_reply is not None:
            return

        with tracer.step("retrieval") as d:
            pending = gather_async(
                session, plan.tenant_id, plan.intents, catalog_cache=cache, prefetched=plan.prefetched
            )
            plan.prefetched = None
            plan.evidence = pending.evidence  # knowledge still being searched: collected below
            seen: dict[str, CatalogMatch] = {}
            for ev in plan.evidence:
                for match in ev.catalog:
                    if match.key not in seen or match.confidence > seen[match.key].confidence:
                        seen[match.key] = match
            # What the requests are about first (their targets), then by confidence.
            targets = {i.target for i in plan.intents if i.target}
            plan.matches = sorted(seen.values(), key=lambda m: (m.key not in targets, -m.confidence))
            plan.rows = catalog_rows(session, plan.tenant_id, plan.matches)
            plan.last_viewed = _last_viewed(session, plan)
            variants.apply(
                session, plan
            )  # the wanted size and colour, and each asked product's stock in them
            for key, via in plan.accepted_keys:
                d.setdefault("accepted_suggestions", []).append({"key": key, "via": via})
            d["catalog"] = [(m.key, round(m.confidence, 3)) for m in plan.matches[:5]]
            d["knowledge_searches"] = len(pending.searches)

        with tracer.step("customer") as d:  # the wait for the reads started after "load"
            plan.history, turns = customer_reads.result()
            since = plan.now - mem.SESSION_TTL
            plan.recent_replies = [
                t.text
                for t in turns
                if t.role == "assistant" and t.created_at is not None and t.created_at >= since
            ][-6:]
            d.update(orders=len(plan.history.orders), history_messages=len(turns))

        with tracer.step(
            "suggestions"
        ) as d:  # read now, while the knowledge search runs; filtered at the end
            plan.suggestion_pool = suggestion_pool(session, plan)
            d["candidates"] = [s.key for s in plan.suggestion_pool]

        with tracer.step("knowledge") as d:  # the wait for the searches started above, if any is left
            plan.evidence = pending.result()
            d["hits"] = [(s.hit.entry.title, s.confidence) for ev in plan.evidence for s in ev.knowledge[:2]]

        with tracer.step("context") as d:
            persona_prompt = apply_persona(plan.persona, business_name=plan.business_name)
            instructions = turn_instructions(
                plan.intents,
                language=lang.language_name(plan.language)
                if plan.language != plan.persona.language
                else None,
                first_turn=plan.first_turn,
                returning_topic=plan.returning_topic,
                forgotten=plan.forgotten,
                customer_name=plan.first_name,
            )
            plan.llm = llm_factory(session, plan.tenant_id)
            window = context_window(plan.llm.models or ["offline-templates"])
            plan.built = build_context(
                ContextInputs(
                    persona=persona_prompt,
                    message=plan.answer_text,
                    key_facts=plan.memory.key_facts if plan.memory else {},
                    catalog=catalog_lines(plan),
                    knowledge=knowledge_lines(plan),
                    customer_history=_history_lines(plan),
                    summary=plan.memory.summary if plan.memory else None,
                    summary_upto=plan.memory.summary_upto if plan.memory else None,
                    history=turns,
                    instructions=instructions,
                ),
                window=window,
                max_output_tokens=plan.persona.max_tokens,
            )
            plan.messages = build_messages(
                persona_prompt,
                instructions,
                plan.built,
                plan.answer_text,
                forgotten=plan.forgotten,
                customer_name=plan.first_name,
                returning_topic=plan.returning_topic,
            )
            # Line by line for the instructions: their lines repeat across turns, so their spans are cached.
            plan.protected = protected_for(
                plan, [persona_prompt, *instructions.splitlines()], link_allow_list(session, plan.tenant_id)
            )
            d.update(budget=plan.built.budget, used=plan.built.used, cut_history=plan.built.cut_history)


def _language_and_signals(plan: TurnPlan, stored: str | None) -> None:
    """The language to answer in, and the message signals started in the background (engine.agent.classify)
    so the embedding, when one is needed, overlaps the rest of phase A and the model call."""
    text = "\n".join(plan.texts)
    found = lang.detect(text, stored=stored, default=plan.persona.language)
    plan.language = found.language
    if found.detected and found.detected != stored:
        plan.language_seen = found.detected
    if plan.texts and not any(m.button_payload for m in plan.inbound):
        plan.signals = signals_classifier.start(
            plan.texts, [plan.language] * len(plan.texts), requests=plan.requests
        )


# "my jeans", "mis zapatos", "mon sac": a thing the customer already has (a word or one more before it).
_OWNED = re.compile(
    r"\b(?:my|our|mi|mis|meu|minha|meus|minhas|mon|ma|mes|mein|meine|meinen|mio|mia|miei|mie)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


# Asking for work done on a thing ("repair", "fix", "mend", "put up", "install", "assemble", "hang" and the
# Spanish, Portuguese and French repair verbs).
_WORK = re.compile(
    r"\b(?:repair\w*|fix\w*|mend\w*|arregl\w*|repar\w*|consert\w*|répar\w*|install\w*|assembl\w*|"
    r"hang(?:ing)?|mount(?:ing)?|put\b[^.?!]*\bup)\b",
    re.IGNORECASE,
)
# Between a service's words and a product's: the product is the object of the work ("slice the sourdough").
_OBJECT = re.compile(r"\s+(?:(?:the|this|that|these|those|a|an|el|la|los|las|o|os|as)\s+)?(?:\w+\s+)?")


def catalog_lookup(session: Session, tenant_id: int, text: str) -> list[CatalogMatch]:
    """The best products and the best services for a segment, best first: products and services apart, so a
    service ("do you clean trainers?") is not crowded out by many products matching on their category.

    A product the customer already has ("can you hem my jeans?"), or the one a service's words are done to
    ("could you slice the sourdough"), is what the work is done on: when a service is named too, the service
    comes first, however much more fully the product's name was written; when the customer asks for work on it
    (a repair, putting it up) and the shop has no such service, their own thing is not offered for sale."""
    from engine.catalog import match_product, match_service

    products = match_product(session, tenant_id, text, 3)
    services = match_service(session, tenant_id, text, 3)
    service_named = any(m.confidence >= MATCH_THRESHOLD for m in services)
    if not service_named and _WORK.search(text):
        # "can you repair my toaster" or "put my shelves up" at a shop that does no such work: work on a thing
        # the customer has, not the shop's toaster or shelving for sale.
        products = [m for m in products if m.mention_start < 0 or not _OWNED.search(text[: m.mention_start])]
    found = products + services

    named = [m for m in services if m.confidence >= MATCH_THRESHOLD and m.mention_start >= 0]
    ends = [m.mention_start + len(m.mention) for m in named]
    # A service named by a verb ("slice" for Bread Slicing): a product named by that word alone (a Cake Slice)
    # is not what the customer asked for.
    verbs = {
        (m.mention_start, m.mention)
        for m in named
        if " " not in m.mention and m.mention.lower() not in m.matched_text.lower()
    }

    def owned(m: CatalogMatch) -> bool:
        if not service_named or m.kind != "product" or m.mention_start < 0:
            return False
        before = text[: m.mention_start]
        return (
            (m.mention_start, m.mention) in verbs
            or _OWNED.search(before) is not None
            or any(end <= m.mention_start and _OBJECT.fullmatch(text[end : m.mention_start]) for end in ends)
        )

    # Ties between a product and a service: the longer catalogue phrase is the more specific ("custom
    # footbeds" over "footbeds"). Within a kind the matcher has already broken ties (on the message's words
    # each item has), so each keeps its place there: `rank` is its place in its own list.
    rank = {id(m): i for part in (products, services) for i, m in enumerate(part)}
    return sorted(found, key=lambda m: (owned(m), -m.confidence, rank[id(m)], -len(m.matched_text)))


def _requests(plan: TurnPlan) -> list[str | None]:
    """Each message's one request as the intents will read it (spelling corrected, a leading "and" off), or
    None for a message of several requests: the text a knowledge search for it embeds, so the message
    classifier embeds the same and the two share one vector."""
    corrected = plan.spelling.text.split("\n") if plan.spelling is not None else plan.texts
    if len(corrected) != len(plan.texts):
        return [None] * len(plan.texts)
    return [parts[0] if len(parts := segments([text])) == 1 else None for text in corrected]


def _prefetch_text(plan: TurnPlan) -> str | None:
    """The text to search the knowledge base for right away: a one-request message (the common turn), not
    small talk, a request for a person or a button tap."""
    if len(plan.texts) != 1 or any(m.button_payload for m in plan.inbound):
        return None
    request = plan.requests[0]
    if request is None:
        return None
    ranked = [name for name, _ in classify(request) if name not in SOCIAL]
    if ranked:
        # A question the knowledge base answers; a product question is searched only if the catalogue is
        # unsure (later), so a search started now would mostly be wasted work on a busy core.
        return request if ranked[0] in KNOWLEDGE_INTENTS - {"service_inquiry"} else None
    return request if _QUESTION_MARK.search(request) else None


def _last_viewed(session: Session, plan: TurnPlan) -> list[Product | Service]:
    memory = plan.memory
    if memory is None:
        return []
    scope = TenantScope(session, plan.tenant_id)
    out: list[Product | Service] = []
    if memory.last_product_id:
        row = scope.get(Product, memory.last_product_id)
        if row is not None and ("product", row.sku) not in plan.rows:
            out.append(row)
    if memory.last_service_id:
        srow = scope.get(Service, memory.last_service_id)
        if srow is not None and ("service", srow.code) not in plan.rows:
            out.append(srow)
    return out


_reads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="agent-reads")


def _customer_reads(plan: TurnPlan) -> tuple[CustomerHistoryDTO, list[HistoryTurn]]:
    with session_scope() as session:
        history = recent_history(session, plan.tenant_id, plan.customer_id, now=plan.now)
        return history, conversation_history(session, plan)


def catalog_lines(plan: TurnPlan) -> list[str]:
    lines = []
    for match in plan.matches[:5]:
        row = plan.rows.get((match.kind, match.key))
        if row is not None:
            lines.append(describe_item(row, plan.currency, confidence=match.confidence))
    for row in plan.last_viewed:
        lines.append("Last viewed: " + describe_item(row, plan.currency))
    return lines + variants.context_lines(plan)


def knowledge_lines(plan: TurnPlan) -> list[str]:
    seen: set[int] = set()
    scored = sorted(
        (s for ev in plan.evidence for s in ev.knowledge if s.confidence >= MIN_RELEVANT),
        key=lambda s: -s.confidence,
    )
    lines = []
    for s in scored:
        entry = s.hit.entry
        if entry.id in seen:
            continue
        seen.add(entry.id)
        if entry.internal:  # for reasoning only (engine.agent.guard blocks a reply quoting it)
            lines.append(f"[INTERNAL – never quote] [{entry.title}] {entry.content}")
            continue
        hidden = set(internal_lines(entry.content))
        content = "\n".join(
            f"(INTERNAL – never quote) {line}" if line in hidden else line
            for line in entry.content.splitlines()
        )
        lines.append(f"[{entry.title}] {content}")
    return lines


def link_allow_list(session: Session, tenant_id: int) -> list[str]:
    """The tenant's explicit link allow-list (agent_configuration.allowed_link_domains; empty: the shop's
    own domains, see engine.agent.guard)."""
    found = session.exec(
        select(AgentConfiguration.allowed_link_domains).where(AgentConfiguration.tenant_id == tenant_id)
    ).first()
    return list(found or [])


def protected_for(plan: TurnPlan, system: list[str], allow: list[str]) -> guard.Protected:
    """What this turn's reply may not contain (engine.agent.guard): spans of the system messages and of
    internal knowledge, links outside the allow-list. The shop's customer-facing words are sayable."""
    entries = {s.hit.entry.id: s.hit.entry for ev in plan.evidence for s in ev.knowledge}
    internal: list[str] = []
    public: list[str] = []
    for entry in entries.values():
        hidden = guard.internal_parts(entry.title, entry.content, internal=entry.internal)
        internal += hidden
        if not entry.internal:
            public.append(entry.title)
            public += [line for line in entry.content.splitlines() if line not in hidden]
    catalog = catalog_lines(plan)
    images = [str(getattr(row, "image_url", "") or "") for row in [*plan.rows.values(), *plan.last_viewed]]
    persona = plan.persona
    sayable = [*catalog, *public, *_history_lines(plan), *persona.required_disclaimers]
    if persona.greeting_message:
        sayable.append(persona.greeting_message)
    return guard.protect(
        system=system, sayable=sayable, internal=internal, domains=allow, domain_sources=[*public, *images]
    )


def _history_lines(plan: TurnPlan) -> list[str]:
    history = plan.history
    if history is None:
        return []
    lines = []
    for order in history.orders:
        items = ", ".join(f"{line.qty}× {line.name}" for line in order.items[:4])
        lines.append(
            f"Order {order.order_number} ({order.created_at:%d %b %Y}): {order.status}; {items}; total "
            f"{money(order.total, plan.currency)}"
        )
    for appointment in history.upcoming_appointments:
        lines.append(
            f"Upcoming: {appointment.service_name} on {appointment.starts_at:%a %d %b %H:%M} UTC "
            f"({appointment.status})"
        )
    for appointment in history.past_appointments[:2]:
        lines.append(
            f"Past: {appointment.service_name} on {appointment.starts_at:%d %b %Y} ({appointment.status})"
        )
    return lines


__all__ = [
    "catalog_lines",
    "catalog_lookup",
    "knowledge_lines",
    "link_allow_list",
    "prepare",
    "protected_for",
]
