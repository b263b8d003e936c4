"""The customer's language: detected per message, remembered on the customer, and the wording we answer in.

Detection is py3langid (its model ships inside the wheel, ~2 MB, sub-millisecond per message), restricted to
the languages we have wording for (engine/locales/<lang>.json) plus a few common neighbours, so
"obrigado" is not called Galician. Short messages are where detectors guess: a message of one or two words
is recognised from the locales' `short_words`, and otherwise (or when the detector is unsure) the customer's
stored language stands, then the tenant's agent language, as it does for Hindi written in Latin letters,
which the detector has no model for. Adding a language is adding a locale file.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from engine.catalog.text import fold
from engine.locales import locale, locales

log = logging.getLogger(__name__)

# Neighbours the detector may answer with, so a close language is not forced into one we speak.
DETECTOR_EXTRA = ("de", "it", "nl", "sw", "ca", "gl", "id", "tl")
MIN_WORDS = 3
MIN_PROBABILITY = 0.60  # a neighbour (Galician, Catalan) takes a share of clear Spanish
_WORD = re.compile(r"[^\W\d_]+")
# Hindi written in Latin letters (Hinglish) has no locale and no model in the detector, which calls it
# Swahili, German, Italian, Indonesian or Tagalog, sometimes confidently ("kya mazaak hai ye": Swahili 0.88).
# Two of its everyday words (none of them a word of a language we have wording for) keep what we knew.
_HINGLISH = re.compile(
    r"\b(kya|kyun|kyu|nahi|nahin|nhi|mujhe|mera|meri|mere|aap|aapka|aapki|aapko|tum|tumhara|karo|karna|karni|"
    r"karunga|karungi|dunga|hoon|hain|yeh|bhai|yaar|kitni|kitna|kitne|baar|abhi|chahiye|gaya|gayi|rahi|rahe|"
    r"bhejo|batao|kaise|kahan|accha|theek|bahut|koi|kuch|hai|ye)\b"
)


def language_name(code: str | None) -> str:
    """ "Spanish" for "es" (from the locale file; the code itself when we have no file)."""
    data = locales().get((code or "").lower())
    return str(data["name"]) if data else (code or "English")


def _section(code: str | None, key: str) -> dict[str, str] | None:
    """One section of a language's file, None for English (whose wording lives beside its code, per tone)
    or a language whose file lacks it."""
    if not code or code.lower() == "en":
        return None
    data = locales().get(code.lower())
    return dict(data[key]) if data and data.get(key) else None


def offline_wording(code: str | None) -> dict[str, str] | None:
    """The offline templates for a language (engine.llm.offline's keys), None for English or a language with
    no file: the persona's tone then chooses among the English templates."""
    return _section(code, "offline")


def variant_wording(code: str | None) -> dict[str, str] | None:
    """The size/colour answer's sentences for a language (engine.agent.variants' keys), None for English or
    a language whose file has none: that answer is then left to the model, which reads the facts."""
    return _section(code, "variants")


def social_wording(code: str | None) -> dict[str, str] | None:
    """Greeting, thanks, goodbye… replies for a language (engine.agent.compose's keys), None for English."""
    return _section(code, "social")


_identifier: Any = None
_lock = threading.Lock()


def _detector() -> Any:
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                ident.set_languages(sorted(set(locales()) | set(DETECTOR_EXTRA)))
                _identifier = ident
    return _identifier


def warm() -> None:
    """Load the detector (a few seconds, once per process)."""
    _detector()


@lru_cache(maxsize=1)
def _short_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for code, data in locales().items():
        for word in data.get("short_words", []):
            words.setdefault(fold(word), code)
    return words


@dataclass(frozen=True)
class Detection:
    language: str  # what the turn answers in
    detected: str | None  # what this message itself said, when it said it clearly (stored on the customer)
    probability: float = 0.0


def detect(text: str, *, stored: str | None = None, default: str = "en") -> Detection:
    """The language to answer `text` in (module docstring: short and unsure messages keep what we knew)."""
    fallback = (stored or default or "en").lower()
    words = _WORD.findall(fold(text or ""))
    if not words:
        return Detection(fallback, None)
    phrase = " ".join(words)
    if len(words) < MIN_WORDS:
        code = _short_words().get(phrase)
        return Detection(code, code, 1.0) if code else Detection(fallback, None)
    if len(_HINGLISH.findall(phrase)) >= 2:
        return Detection(fallback, None)
    try:
        code, probability = _detector().classify(text)
    except Exception as exc:  # a broken install: keep what we knew
        log.warning("language detection failed: %s", exc)
        return Detection(fallback, None)
    if probability < MIN_PROBABILITY or code not in locales():
        return Detection(fallback, None, float(probability))
    return Detection(code, code, float(probability))


__all__ = [
    "Detection",
    "detect",
    "language_name",
    "locale",
    "locales",
    "offline_wording",
    "variant_wording",
    "social_wording",
    "warm",
]
