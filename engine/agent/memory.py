"""The agent's memory of a conversation: `conversation_context`, kept per conversation.

- Working memory (current topic, pending action, entities, last product/service viewed) lasts while the
  customer is active: 30 minutes after the last message it expires. Key facts (shoe size, name…) survive, on
  the context and on the customer, and the expired topic is kept as `previous` so a returning customer can be
  offered to carry on or start fresh.
- Older turns are compressed into an LLM summary by `summarize_conversations`, a scheduled job (never on the
  customer's turn: a summary call would add a second model round trip to the reply). The context builder
  uses that summary for what no longer fits, and an extractive one until the job has run.
- Requests that were not answered are remembered, so "did you forget…?" finds the last one and the agent
  answers it with an apology.

`extracted_entities` holds the structured parts (JSON): previous, unanswered, suggested, spelling_pending,
frustrated, disclaimers_shown, summary_upto, session_started_at.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from engine.cache import LockTimeout, get_cache
from engine.db import TenantScope, session_scope
from engine.models import (
    AgentInteraction,
    Conversation,
    ConversationContext,
    Customer,
    Message,
    utcnow,
)

log = logging.getLogger(__name__)

SESSION_TTL = timedelta(minutes=30)
MAX_FACTS = 20
FACT_CHARS = 80
MAX_UNANSWERED = 5
MAX_SUGGESTED = 12
# The summary job: conversations with more than KEEP_RECENT + MIN_NEW unsummarised messages get their older
# part summarised; the newest KEEP_RECENT stay verbatim in the prompt.
KEEP_RECENT = 8
MIN_NEW = 6
SUMMARY_CANDIDATES = 50
SUMMARY_LOOKBACK = timedelta(days=2)
SUMMARY_MAX_TOKENS = 250
SUMMARY_PROMPT = (
    "Summarise this customer-service conversation in at most five short sentences for the assistant who "
    "continues it: what the customer wants, the products, orders and dates mentioned, what was answered and "
    "what is still open. Plain text, no greeting, no markdown."
)


@dataclass(frozen=True)
class MemoryView:
    """What the pipeline reads from memory at the start of a turn (a snapshot, not the row)."""

    context_id: int
    current_topic: str | None
    pending_action: str | None
    entities: dict[str, Any]
    last_product_id: int | None
    last_service_id: int | None
    summary: str | None
    summary_upto: int | None
    key_facts: dict[str, Any]
    expired: bool  # this turn starts a new session after 30 minutes of silence
    new_session: bool  # expired, or the conversation's first turn
    previous_topic: str | None  # what a returning customer last talked about


def _expired_entities(entities: dict[str, Any], row: ConversationContext, now: datetime) -> dict[str, Any]:
    """The entities left when working memory expires: the summary mark, open requests, and the topic as
    `previous` (for "welcome back — carry on or start fresh?")."""
    kept = {k: entities[k] for k in ("summary_upto", "unanswered") if k in entities}
    if row.current_topic:
        kept["previous"] = {
            "topic": row.current_topic,
            "last_product_id": row.last_product_id,
            "last_service_id": row.last_service_id,
            "at": (row.updated_at or now).isoformat(),
        }
    elif "previous" in entities:
        kept["previous"] = entities["previous"]
    return kept


def _expire(row: ConversationContext, now: datetime) -> None:
    """Clear the working memory in place; key facts and the summary stay."""
    row.extracted_entities = _expired_entities(dict(row.extracted_entities or {}), row, now)
    row.current_topic = None
    row.pending_action = None
    row.last_product_id = None
    row.last_service_id = None


def _is_expired(row: ConversationContext, now: datetime) -> bool:
    return row.context_expires_at is not None and row.context_expires_at <= now


def _view(
    row: ConversationContext | None,
    now: datetime,
    *,
    customer_facts: dict[str, Any],
    other_topic: str | None,
) -> MemoryView:
    """The memory as this turn sees it, computed without touching the row (a read-only first phase)."""
    if row is None:
        entities = {"previous": {"topic": other_topic, "from_conversation": True}} if other_topic else {}
        return MemoryView(
            context_id=0,
            current_topic=None,
            pending_action=None,
            entities=entities,
            last_product_id=None,
            last_service_id=None,
            summary=None,
            summary_upto=None,
            key_facts=dict(customer_facts),
            expired=False,
            new_session=True,
            previous_topic=other_topic,
        )
    entities = dict(row.extracted_entities or {})
    expired = _is_expired(row, now)
    new_session = expired or row.context_expires_at is None
    topic, pending, product, service = (
        row.current_topic,
        row.pending_action,
        row.last_product_id,
        row.last_service_id,
    )
    if expired:
        entities = _expired_entities(entities, row, now)
        topic = pending = product = service = None
    previous = (entities.get("previous") or {}).get("topic") if new_session else None
    return MemoryView(
        context_id=int(row.id or 0),
        current_topic=topic,
        pending_action=pending,
        entities=entities,
        last_product_id=product,
        last_service_id=service,
        summary=row.conversation_summary,
        summary_upto=entities.get("summary_upto"),
        key_facts={**customer_facts, **(row.key_facts or {})},
        expired=expired,
        new_session=new_session,
        previous_topic=previous,
    )


def _customer_facts(session: Session, tenant_id: int, conversation: Conversation) -> dict[str, Any]:
    customer = TenantScope(session, tenant_id).get(Customer, conversation.customer_id)
    return dict((customer.key_facts if customer else None) or {})


def peek_memory(
    session: Session,
    tenant_id: int,
    conversation: Conversation,
    *,
    now: datetime | None = None,
    customer_facts: dict[str, Any] | None = None,
) -> MemoryView:
    """The memory for this turn, read only (no row created, nothing expired in the database).
    `customer_facts`: the customer's key facts when the caller has the row already (saves a query)."""
    now = now or utcnow()
    row = TenantScope(session, tenant_id).first(
        ConversationContext, ConversationContext.conversation_id == conversation.id
    )
    other = returning_topic(session, tenant_id, conversation) if row is None else None
    facts = (
        customer_facts if customer_facts is not None else _customer_facts(session, tenant_id, conversation)
    )
    return _view(row, now, customer_facts=facts, other_topic=other)


def load_memory(
    session: Session,
    tenant_id: int,
    conversation: Conversation,
    *,
    now: datetime | None = None,
    customer_facts: dict[str, Any] | None = None,
) -> tuple[ConversationContext, MemoryView]:
    """The conversation's context row for writing (created on first use, expired when the customer was away
    for 30 minutes), and the view of it. Flushed, not committed: the caller's unit of work decides."""
    now = now or utcnow()
    scope = TenantScope(session, tenant_id)
    row = scope.first(ConversationContext, ConversationContext.conversation_id == conversation.id)
    facts = (
        customer_facts if customer_facts is not None else _customer_facts(session, tenant_id, conversation)
    )
    if row is None:
        other = returning_topic(session, tenant_id, conversation)
        view = _view(None, now, customer_facts=facts, other_topic=other)
        row = scope.add(
            ConversationContext(
                conversation_id=conversation.id, key_facts=dict(facts), extracted_entities=dict(view.entities)
            )
        )
        return row, view
    view = _view(row, now, customer_facts=facts, other_topic=None)
    if view.expired:
        _expire(row, now)
    return row, view


def returning_topic(session: Session, tenant_id: int, conversation: Conversation) -> str | None:
    """The topic of the customer's most recent other conversation, when there is one."""
    scope = TenantScope(session, tenant_id)
    row = session.exec(
        scope.select(ConversationContext)
        .join(
            Conversation,
            (Conversation.id == ConversationContext.conversation_id)
            & (Conversation.tenant_id == ConversationContext.tenant_id),
        )
        .where(
            Conversation.customer_id == conversation.customer_id,
            Conversation.id != conversation.id,
        )
        .order_by(col(ConversationContext.updated_at).desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return row.current_topic or ((row.extracted_entities or {}).get("previous") or {}).get("topic")


# Facts are what a customer *told* us (shoe size, preferred store, a child's name), kept across conversations
# and read back on every later turn. They come from the model, which the customer can talk into anything, so
# each one is validated before it is stored: a short key of lower-case words (known keys or a safe pattern),
# a short value, no links, no markup, and nothing that reads as an instruction to an assistant.
FACT_KEY = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+){0,3}$")
FACT_KEY_CHARS = 32
KNOWN_FACT_KEYS = frozenset(
    {
        "name",
        "first_name",
        "shoe_size",
        "size",
        "clothing_size",
        "preferred_store",
        "preferred_language",
        "preferred_contact",
        "preferred_colour",
        "preferred_color",
        "favourite_brand",
        "city",
        "country",
        "postcode",
        "email",
        "order_number",
        "birthday",
        "allergies",
        "pet_name",
        "child_name",
        "running_distance",
        "foot_width",
    }
)
_KEY_WORDS_REFUSED = re.compile(
    r"(?:^|_)(?:instruction|instructions|prompt|system|rule|rules|role|policy|override|command|persona|"
    r"assistant|developer|admin|jailbreak|secret|internal|note|notes|todo|directive)(?:_|$)"
)
_MARKUP = re.compile(r"[<>{}\[\]`|\\]|\*\*|__|^#|\n")
_LINK = re.compile(
    r"(?i)\b[a-z][a-z0-9+.-]{1,15}://|\bwww\.|(?<![\w@])(?:[a-z0-9-]+\.)+(?:com|net|org|io|co|ai|app|dev|"
    r"xyz|ru|cn|tk|ly|me|to|info|biz|link|click|site|online|top|shop|store)\b"
)
_EMAIL_VALUE = re.compile(r"^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$")
# What reads as talking to the assistant instead of about the customer, in the languages we serve.
_INSTRUCTION = re.compile(
    r"(?i)\b(?:ignore|ignora|ignorez?|ignoriere|disregard|forget|olvida|esque[cç]a|oublie|vergiss)\b"
    r"|\b(?:instructions?|instrucciones|instru[cç][oõ]es|anweisungen|prompt|jailbreak|system|syst[eè]me|"
    r"sistema|developer mode)\b"
    r"|\byou are (?:now|no longer)|\bfrom now on\b|\bact as\b|\bpretend\b|\brole ?play\b"
    r"|\b(?:eres|ahora eres|a partir de ahora|actúa como)\b|\b(?:você (?:agora )?é|a partir de agora|"
    r"finja)\b|\b(?:tu es (?:maintenant|désormais)|désormais|fais semblant)\b"
    r"|\b(?:du bist (?:jetzt|nun)|ab (?:jetzt|sofort)|tu so, als)\b"
    r"|\b(?:always|never|must|should) (?:reply|answer|say|respond|tell|give|offer|send|include)\b"
    r"|\b(?:reveal|repeat|recite|print|show) (?:your|the|all)\b"
    r"|\b(?:assistant|user|system)\s*:"
)
_NOTHING = frozenset({"none", "null", "unknown", "n/a", "-", "?"})


def fact_problem(key: str, value: Any) -> str | None:
    """Why this fact may not be stored (None: it may). `key` is already normalised (lower_snake)."""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return "value is not text"
    text = str(value)
    if not key or len(key) > FACT_KEY_CHARS or not FACT_KEY.match(key):
        return "key is not a short lower_snake name"
    if key not in KNOWN_FACT_KEYS and _KEY_WORDS_REFUSED.search(key):
        return "key names the assistant, not the customer"
    if len(text) > FACT_CHARS:
        return f"value longer than {FACT_CHARS} characters"
    if _MARKUP.search(text):
        return "value holds markup"
    if _LINK.search(text) and not (key == "email" and _EMAIL_VALUE.match(text)):
        return "value holds a link"
    if _INSTRUCTION.search(text) or _INSTRUCTION.search(key.replace("_", " ")):
        return "value reads as an instruction"
    return None


def clean_facts(facts: dict[str, Any]) -> dict[str, str]:
    """Facts worth keeping and safe to keep (see fact_problem), at most MAX_FACTS; the rest are dropped."""
    out: dict[str, str] = {}
    for key, value in (facts or {}).items():
        name = "_".join(str(key).lower().replace("-", " ").split())
        text = " ".join(str(value).split()) if isinstance(value, (str, int, float)) else value
        if isinstance(text, str) and (not text or text.lower() in _NOTHING):
            continue
        problem = fact_problem(name, text)
        if problem is not None:
            log.info("a remembered fact was refused: %s", problem)  # never its words (docs/security.md)
            continue
        out[name] = str(text)
    return dict(list(out.items())[:MAX_FACTS])


def remember_facts(
    session: Session,
    tenant_id: int,
    row: ConversationContext,
    facts: dict[str, Any],
    customer_id: int | None = None,
) -> None:
    """New facts onto the context and the customer (where they outlive the context)."""
    facts = clean_facts(facts)
    if not facts:
        return
    merged = {**(row.key_facts or {}), **facts}
    row.key_facts = dict(list(merged.items())[-MAX_FACTS:])
    conversation = TenantScope(session, tenant_id).get(Conversation, row.conversation_id)
    customer = (
        TenantScope(session, tenant_id).get(Customer, conversation.customer_id) if conversation else None
    )
    if customer is not None:
        known = {**(customer.key_facts or {}), **facts}
        customer.key_facts = dict(list(known.items())[-MAX_FACTS:])
        session.add(customer)


def touch(row: ConversationContext, now: datetime) -> None:
    """The customer was active: the working memory lives 30 more minutes."""
    row.context_expires_at = now + SESSION_TTL
    row.updated_at = now


def set_entities(row: ConversationContext, **changes: Any) -> None:
    """Update `extracted_entities` keys (None deletes); JSON columns need a new dict to be seen as changed."""
    entities = dict(row.extracted_entities or {})
    for key, value in changes.items():
        if value is None:
            entities.pop(key, None)
        else:
            entities[key] = value
    row.extracted_entities = entities


def add_unanswered(row: ConversationContext, text: str, intent: str, now: datetime) -> None:
    items = [u for u in (row.extracted_entities or {}).get("unanswered", []) if u.get("text") != text]
    items.append({"text": text[:300], "intent": intent, "at": now.isoformat()})
    set_entities(row, unanswered=items[-MAX_UNANSWERED:])


def clear_unanswered(row: ConversationContext, texts: Sequence[str] = ()) -> None:
    items = (row.extracted_entities or {}).get("unanswered", [])
    left = [u for u in items if texts and u.get("text") not in texts]
    set_entities(row, unanswered=left or None)


# ---------------------------------------------------------------------------------- "did you forget…?"


@dataclass(frozen=True)
class Unanswered:
    text: str
    source: str  # memory (recorded as unanswered) · no_reply (never got a reply) · last_request


def find_unanswered(
    session: Session,
    tenant_id: int,
    conversation_id: int,
    memory: MemoryView,
    *,
    exclude_message_ids: Sequence[int] = (),
) -> Unanswered | None:
    """The customer's last request that went unanswered.

    First what the agent itself recorded as unanswered; then customer messages that never got a reply (the
    bot was silent, a send failed); then, as the customer says something was missed, their last request.
    """
    recorded = memory.entities.get("unanswered") or []
    if recorded:
        return Unanswered(str(recorded[-1]["text"]), "memory")
    scope = TenantScope(session, tenant_id)
    query = (
        scope.select(Message)
        .where(Message.conversation_id == conversation_id)
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
        .limit(20)
    )
    if exclude_message_ids:
        query = query.where(col(Message.id).not_in(list(exclude_message_ids)))
    recent = list(session.exec(query).all())
    waiting: list[Message] = []
    for message in recent:  # newest first: inbound messages after the last outbound one
        if message.direction == "outbound":
            break
        if message.body:
            waiting.append(message)
    if waiting:
        return Unanswered(" ".join(m.body or "" for m in reversed(waiting)), "no_reply")
    interaction = session.exec(
        scope.select(AgentInteraction)
        .where(AgentInteraction.conversation_id == conversation_id)
        .order_by(col(AgentInteraction.id).desc())
        .limit(1)
    ).first()
    if interaction is not None and interaction.customer_message:
        return Unanswered(interaction.customer_message, "last_request")
    return None


# ------------------------------------------------------------------------------------ the summary job


@dataclass
class SummaryReport:
    candidates: int = 0
    summarized: int = 0
    skipped: int = 0
    failed: int = 0


def _transcript(messages: Sequence[Message]) -> str:
    lines = []
    for m in messages:
        who = "Customer" if m.direction == "inbound" else ("Staff" if m.sender == "human" else "Assistant")
        lines.append(f"{who}: {' '.join((m.body or '').split())[:500]}")
    return "\n".join(lines)


def summarize_conversations(*, now: datetime | None = None, limit: int = SUMMARY_CANDIDATES) -> SummaryReport:
    """The scheduled job: an LLM summary of the older part of recently active, long conversations.

    Safe with two schedulers: a per-conversation lock taken without waiting, and the summary is written only
    if nobody moved `summary_upto` meanwhile. Tenants without a usable model are skipped (their prompts use
    the extractive summary).
    """
    from engine.llm import LLMError, Task, llm_for_tenant

    now = now or utcnow()
    report = SummaryReport()
    with session_scope() as session:
        rows = session.exec(
            select(ConversationContext.tenant_id, ConversationContext.conversation_id)
            .where(ConversationContext.updated_at >= now - SUMMARY_LOOKBACK)
            .order_by(col(ConversationContext.updated_at).desc())
            .limit(limit)
        ).all()
    for tenant_id, conversation_id in rows:
        report.candidates += 1
        try:
            with get_cache().lock(f"agent-summary:{tenant_id}:{conversation_id}", ttl=120, wait=0):
                outcome = _summarize_one(int(tenant_id), int(conversation_id), llm_for_tenant, Task, LLMError)
        except LockTimeout:
            outcome = "skipped"
        except Exception:  # one conversation must not stop the others
            log.exception("summary failed for conversation %s/%s", tenant_id, conversation_id)
            outcome = "failed"
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _summarize_one(tenant_id: int, conversation_id: int, llm_for_tenant: Any, task: Any, error: Any) -> str:
    with session_scope() as session:
        scope = TenantScope(session, tenant_id)
        row = scope.first(ConversationContext, ConversationContext.conversation_id == conversation_id)
        if row is None:
            return "skipped"
        upto = int((row.extracted_entities or {}).get("summary_upto") or 0)
        pending = session.exec(
            select(func.count())
            .select_from(Message)
            .where(
                Message.tenant_id == tenant_id,
                Message.conversation_id == conversation_id,
                Message.id > upto,  # type: ignore[operator]
            )
        ).one()
        if int(pending) < KEEP_RECENT + MIN_NEW:
            return "skipped"
        messages = list(
            session.exec(
                scope.select(Message)
                .where(Message.conversation_id == conversation_id, Message.id > upto)  # type: ignore[operator]
                .order_by(col(Message.id))
            ).all()
        )
        older = messages[:-KEEP_RECENT]
        if not older:
            return "skipped"
        previous = row.conversation_summary or ""
        llm = llm_for_tenant(session, tenant_id)
        if llm.offline_reason():
            return "skipped"
    prompt = [
        {"role": "system", "content": SUMMARY_PROMPT},
        {
            "role": "user",
            "content": (f"Summary so far: {previous}\n\n" if previous else "")
            + "Conversation:\n"
            + _transcript(older),
        },
    ]
    try:
        response = llm.generate(
            prompt,
            task=task.SUMMARY,
            response_schema=None,
            purpose="summary",
            conversation_id=conversation_id,
            max_tokens=SUMMARY_MAX_TOKENS,
        )
    except error:
        return "failed"
    summary = " ".join((response.text or "").split())
    if not summary:
        return "failed"
    new_upto = int(older[-1].id or 0)
    with session_scope() as session:
        row = TenantScope(session, tenant_id).first(
            ConversationContext, ConversationContext.conversation_id == conversation_id
        )
        if row is None or int((row.extracted_entities or {}).get("summary_upto") or 0) != upto:
            return "skipped"  # someone else summarised meanwhile
        row.conversation_summary = summary[:4000]
        set_entities(row, summary_upto=new_upto)
        session.add(row)
    return "summarized"


def expire_idle_contexts(*, now: datetime | None = None) -> int:
    """Housekeeping for the job: contexts idle past their expiry lose their working memory (key facts stay).

    Turns expire contexts lazily as well; this keeps what the console shows honest for silent customers.
    """
    now = now or utcnow()
    expired = 0
    with session_scope() as session:
        rows = session.exec(
            select(ConversationContext)
            .where(
                col(ConversationContext.context_expires_at).is_not(None),
                col(ConversationContext.context_expires_at) <= now,
                col(ConversationContext.current_topic).is_not(None),
            )
            .limit(500)
        ).all()
        for row in rows:
            _expire(row, now)
            row.context_expires_at = None
            session.add(row)
            expired += 1
    return expired


def run_memory_maintenance() -> SummaryReport:
    """One scheduler entry for both: expiry first (cheap), then summaries."""
    expire_idle_contexts()
    return summarize_conversations()


def reset_conversation_memory(session: Session, tenant_id: int, conversation_id: int) -> None:
    """Forget the working memory now (the Playground's "new session"); key facts stay."""
    session.execute(
        update(ConversationContext)
        .where(
            ConversationContext.tenant_id == tenant_id,  # type: ignore[arg-type]
            ConversationContext.conversation_id == conversation_id,  # type: ignore[arg-type]
        )
        .values(context_expires_at=utcnow() - timedelta(seconds=1))
    )


__all__ = [
    "MemoryView",
    "SESSION_TTL",
    "SummaryReport",
    "Unanswered",
    "add_unanswered",
    "clean_facts",
    "fact_problem",
    "clear_unanswered",
    "expire_idle_contexts",
    "find_unanswered",
    "load_memory",
    "peek_memory",
    "remember_facts",
    "reset_conversation_memory",
    "returning_topic",
    "run_memory_maintenance",
    "set_entities",
    "summarize_conversations",
    "touch",
]
