"""Inbound messages as the text the agent reads: body, the option picked, attachments, a shared location.

Kept apart from the queue and the agent so both can import it: the worker shows a burst as text, the agent
answers that text, and neither has to import the other to agree on it.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.models import Message


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
    """A burst as one text, one line per message (empty ones left out)."""
    return "\n".join(text for text in (describe(m) for m in messages) if text)


__all__ = ["batch_text", "describe"]
