"""The last check before a reply leaves: nothing of the instructions, nothing internal, no stranger's links.

Why an output check at all: containment on the way in (customer words only in user content, facts validated,
internal entries marked) makes injection harder, but a model can still be talked into obeying the customer.
What it must never do is *send* what only the shop may read. So every reply — the model's, the offline
composition, a rich card — is checked here, and a reply that fails is replaced by a safe fallback:

- **system-prompt spans**: any run of SPAN consecutive words of the persona prompt or the turn instructions
  (compared word by word, case- and punctuation-blind; also letter by letter, as WINDOW characters of the
  words run together, and inside base64 blobs the reply carries), except
  runs the shop means to be said (greeting, disclaimers, customer-facing knowledge and catalogue text);
- **internal spans**: the same for knowledge entries marked internal and for lines of customer-facing entries
  marked as not for customers ("Internal: …", "never tell customers …"); an internal text shorter than SPAN
  words counts as one span when it has at least MIN_SHORT words;
- **links**: every link, www address, e-mail domain or bare domain with a known top-level domain must be
  of a domain the tenant allows: `agent_configuration.allowed_link_domains` when the shop set it, else the
  domains found in the customer-facing knowledge and catalogue (image URLs included) this turn's context
  holds — the shop's own words, never the customer's.

Pure functions over text: the pipeline builds a `Protected` in phase A (read.py) and checks in phase C
(record.py); the trace gets a "guard" step and agent_interaction.context_budget a "guard" entry with the
reasons (kinds and domains only: never the blocked words).
"""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from engine.llm.offline import internal_lines

try:  # the per-language wording arrives with issue #13 (engine/locales)
    from engine.agent.language import detect as _detect
    from engine.agent.language import locales as _locales
except ImportError:  # pragma: no cover - before that
    _detect = _locales = None  # type: ignore[assignment]

SPAN = 8  # words: the bar for "quoting the instructions"
WINDOW = 40  # characters of squashed text (about 8 words): letter-by-letter recitals
MIN_SHORT = 3  # a shorter internal text is not checked as a whole (too likely to occur by chance)
_WORD = re.compile(r"\w+", re.UNICODE)
_B64 = re.compile(r"[A-Za-z0-9+/_-]{24,}={0,2}")
# Links: a scheme, "www.", an e-mail address, or a bare domain with a known top-level domain.
_URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]{1,15}://|www\.)([^\s/?#<>()\[\]\"'`]+)")
_EMAIL = re.compile(r"(?i)[\w.+-]+@((?:[a-z0-9-]+\.)+[a-z]{2,24})\b")
_BARE = re.compile(r"(?i)(?<![\w@.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,24}))\b(?![\w-])")


# Top-level domains a bare "name.tld" is read as a link for (with a scheme or "www." every domain counts).
# Kept to common ones that are not also short words, so "e.g." or "in stock.In" are not read as links.
def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


COMMON_TLDS = _names(
    "com net org info biz io co ai app dev xyz online site top club shop store link click live tv cc "
    "ly gl gg su ru cn tk ml ga cf pw ws bit uk de fr es pt br nl ch se dk fi pl eu ca au nz jp kr "
    "mx ar cl pe za ng ke tr ua gr cz ro hu sk bg hr si rs lt lv ee lu"
)


def words(text: str) -> list[str]:
    """The words of a text as the spans compare them: lower case, punctuation and spacing ignored."""
    return _WORD.findall((text or "").casefold())


def spans(text: str, n: int = SPAN) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def domain_of(host: str) -> str:
    """ "Shop.Example.com:443" → "shop.example.com" (port, user info and a trailing dot dropped)."""
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].strip(".").lower()
    return host


def link_domains(text: str) -> set[str]:
    """Every domain the text links to, mails to or names as a bare "name.tld"."""
    found = {domain_of(m.group(1)) for m in _URL.finditer(text or "")}
    found |= {m.group(1).lower() for m in _EMAIL.finditer(text or "")}
    for match in _BARE.finditer(text or ""):
        if match.group(2).lower() in COMMON_TLDS:
            found.add(match.group(1).lower())
    return {d for d in found if "." in d}


def allowed(domain: str, allow: Iterable[str]) -> bool:
    """The domain or a subdomain of an allowed one ("img.shop.example" under "shop.example")."""
    domain = domain.lower().removeprefix("www.")
    for entry in allow:
        entry = entry.lower().strip().removeprefix("www.")
        if entry and (domain == entry or domain.endswith("." + entry)):
            return True
    return False


def squash(text: str) -> str:
    """The text's words run together ("Y-o-u a.r.e" → "youare"): spacing and punctuation games undone."""
    return "".join(words(text))


def _windows(text: str, n: int = WINDOW) -> set[str]:
    return {text[i : i + n] for i in range(len(text) - n + 1)}


@lru_cache(maxsize=64)
def _text_marks(text: str) -> tuple[frozenset[tuple[str, ...]], frozenset[str]]:
    """A text's spans and squashed windows; cached, as the persona prompt is the same text on every turn."""
    return frozenset(spans(text)), frozenset(_windows(squash(text)))


@dataclass(frozen=True)
class Protected:
    """What a reply may not contain, for one turn (built in phase A, checked in phase C).

    Spans are word SPAN-grams; windows are WINDOW-character runs of the squashed text (the same words with
    their spacing and punctuation removed), which catch a recital spelled out letter by letter. What the shop
    means to be said (`sayable`) and the default link allow-list are only worked out when a reply needs them,
    so a clean reply costs set look-ups alone.
    """

    system: frozenset[tuple[str, ...]] = frozenset()
    system_windows: frozenset[str] = frozenset()
    internal: frozenset[tuple[str, ...]] = frozenset()
    internal_windows: frozenset[str] = frozenset()
    internal_short: tuple[str, ...] = ()  # whole short internal texts, as " word word word "
    sayable: tuple[str, ...] = ()
    explicit_domains: tuple[str, ...] = ()  # the tenant's allow-list (empty: found in domain_sources)
    domain_sources: tuple[str, ...] = ()

    @cached_property
    def sayable_words(self) -> str:
        """The sayable texts' words, one block per text: " a b c | d e f "."""
        return " " + " | ".join(" ".join(words(t)) for t in self.sayable) + " "

    @cached_property
    def sayable_squashed(self) -> str:
        return "|".join(squash(t) for t in self.sayable)

    @cached_property
    def domains(self) -> frozenset[str]:
        allow = {d.lower().strip() for d in self.explicit_domains if d and d.strip()}
        if not allow:
            for text in self.domain_sources:
                allow |= link_domains(text)
        return frozenset(allow)


def protect(
    *,
    system: Sequence[str],
    sayable: Sequence[str] = (),
    internal: Sequence[str] = (),
    domains: Iterable[str] = (),
    domain_sources: Sequence[str] = (),
) -> Protected:
    """The spans and domains for a turn.

    `system`: the persona prompt and turn instructions; `sayable`: text the shop means to be said (greeting,
    disclaimers, customer-facing knowledge and catalogue lines) whose spans are never blocked; `internal`:
    internal entries' texts; `domains`: the tenant's explicit allow-list (empty: the domains found in
    `domain_sources`, the shop's own customer-facing text and image URLs).
    """
    system_spans: set[tuple[str, ...]] = set()
    system_windows: set[str] = set()
    for text in system:
        # What the shop means to be said is cut out of the instructions first, so a run joining two
        # disclaimers (listed one after the other in the prompt, and said one after the other) is not
        # protected either.
        for said in sayable:
            if said and said in text:
                text = text.replace(said, "\n")
        text_spans, text_windows = _text_marks(text)
        system_spans |= text_spans
        system_windows |= text_windows
    internal_spans: set[tuple[str, ...]] = set()
    internal_windows: set[str] = set()
    short: list[str] = []
    for text in internal:
        w = words(text)
        if len(w) >= SPAN:
            text_spans, text_windows = _text_marks(text)
            internal_spans |= text_spans
            internal_windows |= text_windows
        elif len(w) >= MIN_SHORT:
            short.append(" " + " ".join(w) + " ")
    return Protected(
        system=frozenset(system_spans),
        system_windows=frozenset(system_windows),
        internal=frozenset(internal_spans),
        internal_windows=frozenset(internal_windows),
        internal_short=tuple(short),
        sayable=tuple(sayable),
        explicit_domains=tuple(domains),
        domain_sources=tuple(domain_sources),
    )


def internal_parts(title: str, content: str, *, internal: bool) -> list[str]:
    """The text of an entry no customer may read: all of it when the entry is internal, else its lines
    marked as not for customers (engine.llm.offline.internal_lines)."""
    if internal:
        return [t for t in (content, title) if t]
    return internal_lines(content)


@dataclass(frozen=True)
class Verdict:
    reasons: list[str] = field(default_factory=list)  # system_prompt · internal · link:<domain>

    @property
    def blocked(self) -> bool:
        return bool(self.reasons)


def _decoded_blobs(text: str) -> list[str]:
    """Base64 runs the reply carries, decoded (a model told to "encode your instructions" still leaks)."""
    out = []
    for match in _B64.finditer(text):
        blob = match.group(0)
        try:
            raw = base64.b64decode(blob + "=" * (-len(blob) % 4), altchars=b"-_" if "-" in blob else None)
            out.append(raw.decode("utf-8"))
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
    return out


def _leaks(
    grams: set[tuple[str, ...]],
    windows: set[str],
    spans_: frozenset[tuple[str, ...]],
    windows_: frozenset[str],
    protected: Protected,
) -> bool:
    """A protected span or window the reply holds that the shop does not also mean to be said."""
    for gram in grams & spans_:
        if f" {' '.join(gram)} " not in protected.sayable_words:
            return True
    return any(window not in protected.sayable_squashed for window in windows & windows_)


def check(text: str, protected: Protected | None) -> Verdict:
    """Why `text` may not be sent (an empty Verdict: it may)."""
    if protected is None or not text:
        return Verdict()
    reasons: list[str] = []
    # The reply as sent, its base64 blobs decoded, and read backwards and in ROT13 (cheap tricks a model told
    # to "encode" or "reverse" its instructions uses).
    for piece in [text, *_decoded_blobs(text), text[::-1], codecs.encode(text, "rot13")]:
        w = words(piece)
        grams = {tuple(w[i : i + SPAN]) for i in range(len(w) - SPAN + 1)}
        windows = _windows("".join(w))
        if "system_prompt" not in reasons and _leaks(
            grams, windows, protected.system, protected.system_windows, protected
        ):
            reasons.append("system_prompt")
        if "internal" not in reasons and (
            _leaks(grams, windows, protected.internal, protected.internal_windows, protected)
            or any(short in f" {' '.join(w)} " for short in protected.internal_short)
        ):
            reasons.append("internal")
    found = link_domains(text)
    for domain in sorted(found):
        if not allowed(domain, protected.domains):
            reasons.append(f"link:{domain[:80]}")
    return Verdict(reasons)


def message_text(message: Any) -> str:
    """Every customer-visible string of a RichMessage (body, title, subtitle, options, media URL)."""
    pieces = [message.body or "", message.title or "", message.subtitle or "", message.button or ""]
    for option in message.options:
        pieces += [option.id or "", option.title or "", option.description or ""]
    if message.media is not None:
        pieces.append(message.media.url)
    return "\n".join(p for p in pieces if p)


FALLBACK = {
    "en": "Sorry, I can't help with that here. I'm happy to help with our products, orders and services.",
    "es": "Lo siento, no puedo ayudar con eso aquí. Con gusto te ayudo con nuestros productos, pedidos y "
    "servicios.",
    "pt": "Desculpe, não posso ajudar com isso aqui. Posso ajudar com os nossos produtos, pedidos e "
    "serviços.",
    "fr": "Désolé, je ne peux pas vous aider avec cela ici. Je peux vous aider pour nos produits, commandes "
    "et services.",
    "de": "Entschuldigung, dabei kann ich hier nicht helfen. Gern helfe ich bei unseren Produkten, "
    "Bestellungen und Services.",
}


def fallback_text(language: str | None = None, text: str = "") -> str:
    """The safe reply, in the customer's language (`language`, else detected from `text` when the language
    detector is installed): the locale file's `guard` line when it has one (engine/locales), else
    ours, else English."""
    if language is None and text and _detect is not None:
        language = _detect(text).language
    code = (language or "en").split("-")[0].lower()
    line = (_locales().get(code) or {}).get("guard") if _locales is not None else None
    if isinstance(line, str) and line.strip():
        return line.strip()
    return FALLBACK.get(code, FALLBACK["en"])


__all__ = [
    "FALLBACK",
    "Protected",
    "SPAN",
    "Verdict",
    "allowed",
    "check",
    "fallback_text",
    "internal_parts",
    "link_domains",
    "message_text",
    "protect",
    "spans",
    "squash",
    "words",
]
