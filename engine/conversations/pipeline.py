"""The seam between the channel and the agent: `process_batch(conversation, messages) -> RichMessage`.

The queue worker hands every message of a closed burst to one call and sends what comes back. This module
delegates to the agent pipeline (engine.agent.pipeline.process_batch), which answers with the AI agent or,
when the tenant switched it off (tenant.feature_flags["ai_agent"] = false), with the rule-based responder.
Tests and tools may still pass their own callable to `QueueWorker(processor=...)`.

Contract for processors — what the worker reads from the returned message's `meta`:
- `handoff_reason` (str): move the conversation to a person after sending;
- `confidence`, `intents`, `provider`, `model`, `tokens_in`, `tokens_out`, `cost`, `latency_ms`,
  `knowledge_hits`, `corrections`, `suggestions`: copied to the turn's agent_interaction row;
- `interaction_id` (int): the pipeline recorded agent_interaction itself; the worker only links the message;
- `llm_call_ids` (list[int]): the llm_call rows this answer cost; when the answer is discarded because the
  customer wrote again meanwhile, they are marked `discarded` (their cost stays counted). Without ids, a
  non-zero `cost` in meta is recorded as one discarded llm_call row. (The agent reports its cost as
  `llm_cost`: the LLM ledger has already recorded every call.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from engine.channels.whatsapp.rich import RichMessage
from engine.models import Conversation, Message


class BatchProcessor(Protocol):
    """Turns one burst of customer messages into one reply. May take seconds (LLM calls); runs with no
    database transaction open, and opens its own sessions."""

    def __call__(self, conversation: Conversation, messages: Sequence[Message]) -> RichMessage: ...


def describe(message: Message) -> str:
    """One inbound message as text for the agent: body, the option picked, attachments, a shared location."""
    parts: list[str] = []
    inbound = (message.rich or {}).get("inbound") or {}
    choice = inbound.get("choice")
    if choice:
        parts.append(f"[chose: {choice.get('title')}]")
    elif message.button_text and message.button_text != (message.body or ""):
        parts.append(f"[tapped: {message.button_text}]")
    if message.body:
        parts.append(message.body.strip())
    for media in message.media or []:
        kind = str(media.get("content_type") or "file").split("/")[0]
        parts.append(f"[{kind} attached]")
    location = inbound.get("location")
    if location:
        label = location.get("label") or location.get("address") or ""
        parts.append(f"[location {location.get('latitude')},{location.get('longitude')} {label}]".strip())
    return " ".join(p for p in parts if p)


def batch_text(messages: Sequence[Message]) -> str:
    return "\n".join(text for text in (describe(m) for m in messages) if text)


def process_batch(conversation: Conversation, messages: Sequence[Message]) -> RichMessage:
    """The agent's answer to one burst (engine.agent.pipeline; imported here, not at module load, because
    the agent imports this module's `describe`)."""
    from engine.agent.pipeline import process_batch as agent_process_batch

    return agent_process_batch(conversation, messages)


__all__ = ["BatchProcessor", "batch_text", "describe", "process_batch"]
