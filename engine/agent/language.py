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
# Swahili, German, Italian, Indonesian or Tagalog, sometimes confidently ("kya mazaak hai ye": Swahili 0.88),
# and English when English words are mixed in ("please mujhe customer care wale se connect kar do": 0.92).
# Its everyday words: pronouns, the verbs' forms, the postpositions, the small words of a question. None is
# a word of a language we have wording for: "de", "do", "se", "na", "ho", "mai", "par", "wo", "bas", "bola",
# "acha", "tera" are left out (Spanish, Portuguese, French, Italian, German), and so are English words ("the",
# "to", "hum", "mat", "fir").
_HINDI = """
kya kyun kyu kyon nahi nahin nhi nai mujhe mujhko mera meri mere maine mene humne hamne aap aapka aapki
aapke aapko aapne aapse tum tumhara tumhari tumhare tumhe tumko teri tere hamara hamari hamare humko hume
humein apna apni apne iska iski iske uska uski uske unka unki unke isme usme isse usse jisse yeh ye woh
yahan wahan yaha waha kab kaun kaunsa kaunsi kitni kitna kitne kaise kahan kidhar kyunki lekin magar aur bhi
toh hoon hain hai hoga hogi honge hua hui tha thi kar karo karna karni karne karte karta karti karunga
karungi karenge karega karegi kiya kiye kijiye karwao karao karwa karvao kardo dunga dungi denge dijiye dena
dete deta deti diya diye lena liya liye lunga lungi milega milegi milenge milta milti milte chahiye chaiye
chahie gaya gayi gaye raha rahi rahe sakta sakti sakte bhej bhejo bhejna batao bataye bolo bol chup accha
achha theek thik bahut bohot bahot bilkul koi kuch kisi kisko sab sabse sirf jaldi abhi kal aaj baad pehle
phir saath baat baar wala wali wale waala waali ka ki ke ko mein pe tak bhai yaar ji haan
"""
HINDI_WORDS = frozenset(_HINDI.split())
_MIN_HINDI_WORDS = 2  # different ones: "hai hai" is a cry, not a sentence
_MIN_HINDI_SHARE = 0.25  # "bhai, is this in XL?" is English with a greeting in it
# Below this, the detector finds no English in a message of three words or more (English dev messages: 0.05
# and up, typos and product names included; "qual o prazo de entrega?" 0.00).
MIN_ENGLISH = 0.05


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


def _words(text: str | None) -> list[str]:
    return _WORD.findall(fold(text or ""))


def romanised_hindi(text: str) -> bool:
    """Hindi in Latin letters, alone or mixed with English ("mujhe kisi agent se baat karni hai", "ye cream
    oily skin ke liye theek hai?"): two different Hindi words at least, a quarter of the words or more."""
    return _hindi_words(_words(text))


def _hindi_words(words: list[str]) -> bool:
    hindi = [w for w in words if w in HINDI_WORDS]
    return len(set(hindi)) >= _MIN_HINDI_WORDS and len(hindi) >= _MIN_HINDI_SHARE * len(words)


@lru_cache(maxsize=4096)
def reads_as_english(text: str) -> bool:
    """Whether English-only readers (the signals' exemplar vote on all-MiniLM) may read a message answered in
    English: the turn answers in English whenever the detector is unsure or the customer wrote Hinglish,
    so "qual o prazo de entrega pra Curitiba?" and "aapka staff bahut accha hai" reach it as English. Not
    Hindi in Latin letters; and from three words on, some English to the detector (MIN_ENGLISH). Shorter
    messages say too little to tell, and stay English."""
    words = _words(text)
    if _hindi_words(words):
        return False
    if len(words) < MIN_WORDS:
        return True
    try:
        english = dict(_detector().rank(text)).get("en", 0.0)
    except Exception as exc:  # a broken install: read it as before
        log.warning("language detection failed: %s", exc)
        return True
    return float(english) >= MIN_ENGLISH


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
    words = _words(text)
    if not words:
        return Detection(fallback, None)
    phrase = " ".join(words)
    if len(words) < MIN_WORDS:
        code = _short_words().get(phrase)
        return Detection(code, code, 1.0) if code else Detection(fallback, None)
    if _hindi_words(words):
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
    "reads_as_english",
    "romanised_hindi",
    "variant_wording",
    "social_wording",
    "warm",
]
