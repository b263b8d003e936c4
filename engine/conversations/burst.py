"""How long to wait for a customer to finish typing before answering (the burst window).

People write on WhatsApp in fragments: "hi" · "do you have the trail runner" · "in 42?". Answering each one
separately is noisy and expensive; waiting a fixed time makes a single clear question feel slow. So the wait
adapts:

- a tapped button or list row is a complete answer: answered after a fifth of the window;
- a message that reads as complete (a question mark, or a sentence of a few words ending in . or !) waits half
  the window; a fragment (a greeting alone, a trailing comma or "and", a photo without caption) waits 1.6×;
- a customer already mid-burst is waited for at their own pace: 1.5× the gap between their last two messages;
- every newer message re-decides the due time, but the burst never waits longer than 3× the window from its
  first message, so a customer typing for a minute still gets an answer.

Pure functions: the clock and the window are arguments, so tests need no sleeping.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

CAP_FACTOR = 3.0
INTERACTIVE_FACTOR = 0.2
COMPLETE_FACTOR = 0.5
NEUTRAL_FACTOR = 1.0
FRAGMENT_FACTOR = 1.6
CADENCE_FACTOR = 1.5

_GREETINGS = frozenset(
    {
        "hi",
        "hello",
        "hey",
        "hiya",
        "hola",
        "ola",
        "olá",
        "bonjour",
        "hallo",
        "ciao",
        "good morning",
        "morning",
    }
)
_TRAILING_JOINERS = frozenset(
    {"and", "or", "but", "so", "because", "also", "y", "o", "pero", "e", "und", "et"}
)
_WORD_RE = re.compile(r"\w+", re.UNICODE)


def classify(text: str, *, has_media: bool = False) -> str:
    """ "complete", "fragment" or "neutral" — how likely the customer has said all they meant to."""
    stripped = (text or "").strip()
    if not stripped:
        return "fragment" if has_media else "neutral"
    words = _WORD_RE.findall(stripped.lower())
    if stripped.endswith("?"):
        return "complete"
    if stripped.rstrip("!. ").lower() in _GREETINGS:
        return "fragment"
    if stripped.endswith((",", "...", "…", ":", "-", "&", "+")):
        return "fragment"
    if words and words[-1] in _TRAILING_JOINERS:
        return "fragment"
    if stripped.endswith((".", "!")) and len(words) >= 4:
        return "complete"
    if len(words) <= 3:
        return "fragment"
    return "neutral"


def burst_due_at(
    *,
    now: datetime,
    window_seconds: float,
    text: str = "",
    interactive: bool = False,
    has_media: bool = False,
    burst_started_at: datetime | None = None,
    previous_gap_seconds: float | None = None,
) -> datetime:
    """When the conversation's queued messages become due, given the newest message.

    `burst_started_at` is the queue time of the oldest message still waiting (None: this one starts a burst);
    `previous_gap_seconds` the time since the customer's previous message when a burst is under way.
    """
    if window_seconds <= 0:
        return now
    if interactive:
        delay = window_seconds * INTERACTIVE_FACTOR
    else:
        factor = {"complete": COMPLETE_FACTOR, "fragment": FRAGMENT_FACTOR}.get(
            classify(text, has_media=has_media), NEUTRAL_FACTOR
        )
        delay = window_seconds * factor
        if burst_started_at is not None and previous_gap_seconds is not None:
            delay = max(delay, previous_gap_seconds * CADENCE_FACTOR)
    cap = (burst_started_at or now) + timedelta(seconds=window_seconds * CAP_FACTOR)
    return min(now + timedelta(seconds=delay), cap)


__all__ = ["burst_due_at", "classify"]
