"""Customer text made safe to process and to put in a prompt.

Why: WhatsApp text arrives with invisible characters (zero-width joiners from copy-paste, bidi overrides that
make a message read differently than it is stored), control characters, and sometimes walls of text. They
break matching ("cloud\u200bstep" is not "cloudstep") and can smuggle instructions past a reader. We keep what
a person sees — letters in any script, emoji, punctuation, line breaks — and drop the rest.

Injection attempts ("ignore your previous instructions") are not removed (the customer may be quoting
something); they are flagged in the trace, and the prompt always carries customer text as the user's message,
never in the system prompt.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_CHARS = 2000  # per batch: longer is not a chat message, and the prompt budget is better spent elsewhere
_INVISIBLE = re.compile("[\u200b\u200c\u200e\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_INJECTION = re.compile(
    r"ignore (all |any )?(your |the )?(previous|prior|above) (instructions|rules|prompt)"
    r"|disregard (your|the) (instructions|rules|system prompt)"
    r"|you are now (?!open)|system prompt|act as (an? )?(admin|developer|dan)\b"
    r"|</?(system|assistant|instructions?)>",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sanitized:
    text: str
    truncated: bool = False
    removed: int = 0  # invisible and control characters dropped
    flags: tuple[str, ...] = field(default_factory=tuple)


def sanitize(text: str | None, *, max_chars: int = MAX_CHARS) -> Sanitized:
    """NFC-normalised text without invisible or control characters, runs of spaces collapsed, at most
    `max_chars` characters (cut at a word boundary)."""
    raw = text or ""
    # NFC (not NFKC): compatibility folding would turn "²" into "2" and change what the customer wrote.
    normal = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    cleaned = _CONTROL.sub("", _INVISIBLE.sub("", normal))
    removed = len(normal) - len(cleaned)
    lines = [_SPACES.sub(" ", line).strip() for line in cleaned.split("\n")]
    cleaned = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    truncated = len(cleaned) > max_chars
    if truncated:
        cut = cleaned[:max_chars]
        space = cut.rfind(" ")
        cleaned = (cut[:space] if space > max_chars * 0.8 else cut).rstrip() + "…"
    flags = ("possible_prompt_injection",) if _INJECTION.search(cleaned) else ()
    return Sanitized(text=cleaned, truncated=truncated, removed=removed, flags=flags)


__all__ = ["MAX_CHARS", "Sanitized", "sanitize"]
