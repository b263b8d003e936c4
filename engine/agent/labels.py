"""Plain words for the codes the agent and the search index record, said once for every screen.

Why one module: the engine stores codes ("explicit_request: the customer asked for a person",
`local:all-MiniLM-L6-v2`, a cosine similarity of 0.51) because analytics count them and code compares them,
but a shop owner reads the inbox, the Knowledge page and the playground. Each page that turned a code into
words on its own drifted ("Handed off: explicit_request" on one, a snake_case intent on another), so every
screen asks here instead. Unknown codes still come out readable (underscores become spaces, first letter
capitalised), so a new category never shows as a raw identifier.

`end_sentence` is here too: names such as "Stride & Co." already end with a full stop, and every template
that writes "{name}." printed two of them.
"""

from __future__ import annotations

import re

from engine.agent.language import language_name

# The handoff categories of engine.agent.handoff, plus the lifecycle's default and staff take-overs.
HANDOFF_CATEGORIES: dict[str, str] = {
    "explicit_request": "Asked for a person",
    "topic": "Sensitive topic",
    "frustration": "Customer sounds frustrated",
    "model": "The AI asked for a person",
    "no_answer": "No answer in your knowledge or catalog",
    "low_confidence": "The agent was unsure",
    "repeated_low_confidence": "Several unsure answers in a row",
    "handoff": "Passed to your team",
    "staff": "Taken over by your team",
    "rule": "A handoff rule matched",
}

EMBEDDING_NONE = "none"
_SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
_CODED = re.compile(r"^\s*([a-z]+(?:_[a-z]+)*)\s*:\s*(.*)$", re.DOTALL)


def humanize(code: str) -> str:
    """`order_status` → "Order status": the last resort for a code nobody named yet."""
    text = " ".join((code or "").replace("_", " ").replace("-", " ").split())
    return text[:1].upper() + text[1:]


def end_sentence(text: str) -> str:
    """`text` ending in exactly one full stop (or the ! ? … it already has): "Stride & Co." stays as it is."""
    text = (text or "").rstrip()
    if not text:
        return text
    return text if text[-1] in ".!?…" else text + "."


def _plain_detail(detail: str) -> str:
    """The free-text part of a reason, with any leftover snake_case code spelled out."""
    detail = _SNAKE.sub(lambda m: m.group(0).replace("_", " "), detail.strip())
    return detail[:1].upper() + detail[1:] if detail else ""


def handoff_reason(reason: str | None) -> str:
    """A stored handoff reason in words.

    Agent turns store "category: detail" (engine.agent.record); conversations store the detail alone; older
    rows and the demo may hold a bare category. The category becomes its label; for a sensitive topic and for
    the model's own request the detail says what matters, so it follows.
    """
    text = (reason or "").strip()
    if not text:
        return ""
    if text in HANDOFF_CATEGORIES:
        return HANDOFF_CATEGORIES[text]
    coded = _CODED.match(text)
    if coded and coded.group(1) in HANDOFF_CATEGORIES:
        category, detail = coded.group(1), coded.group(2).strip()
        label = HANDOFF_CATEGORIES[category]
        if category == "topic":
            topic = detail.removeprefix("sensitive topic:").strip()
            return f"{label}: {topic}" if topic else label
        if category == "model":
            why = detail.removeprefix("the model asked for a person:").strip()
            return f"{label}: {_plain_detail(why)}" if why and why != "no reason given" else label
        return label
    if _SNAKE.fullmatch(text):
        return humanize(text)
    if text.startswith("sensitive topic:"):
        return f"Sensitive topic: {text.removeprefix('sensitive topic:').strip()}"
    return _plain_detail(text)


# Why engine.agent.guard replaced a reply (Verdict.reasons: kinds and domains, never the blocked words).
GUARD_REASONS: dict[str, str] = {
    "system_prompt": "it repeated the agent's instructions",
    "internal": "it quoted knowledge marked internal",
}


def guard_note(reasons: list[str]) -> str:
    """The trace's line for a reply the output guard replaced, e.g. for `["system_prompt", "link:x.test"]`:
    "A safe reply was sent instead of the draft: it repeated the agent's instructions; it linked to x.test,
    not one of your sites"."""
    parts = []
    for reason in reasons:
        if reason.startswith("link:"):
            parts.append(f"it linked to {reason.removeprefix('link:')}, not one of your sites")
        else:
            parts.append(GUARD_REASONS.get(reason, humanize(reason).lower()))
    why = "; ".join(p for p in parts if p)
    return "A safe reply was sent instead of the draft" + (f": {why}." if why else ".")


def intent_label(name: str) -> str:
    """An intent code as the inbox's quiet line says it: `order_status` → "Order status"."""
    return humanize(name)


def intents_line(names: list[str], limit: int = 3) -> str:
    return " · ".join(intent_label(n) for n in names[:limit] if n)


_MODEL_NAMES: dict[str, str] = {
    "offline-templates": "Built-in answers (no AI model)",
    "offline": "Built-in answers (no AI model)",
}


def model_label(model: str | None, provider: str | None = None) -> str:
    """A chat model as staff read it: vendors' names stay (they are on the invoice), codes do not."""
    name = (model or "").strip()
    if not name:
        return ""
    if name in _MODEL_NAMES or (provider or "") == "offline":
        return _MODEL_NAMES.get(name, _MODEL_NAMES["offline"])
    return name.rsplit("/", 1)[-1] if "/" in name else name


def embedding_label(name: str | None) -> str:
    """The search model an index was built with (engine.knowledge.embeddings names), in words."""
    spec = (name or "").strip()
    kind, _, model = spec.partition(":")
    kind = kind.lower()
    if kind in ("", EMBEDDING_NONE, "off", "lexical"):
        return "No search model (words only)"
    if kind == "local":
        return "Built-in search model (runs on your server)"
    if kind == "openai":
        return f"OpenAI search model ({model or 'default'})"
    if kind == "together":
        return f"Together AI search model ({(model or 'default').rsplit('/', 1)[-1]})"
    if kind == "hashing":
        return "Simple test search model"
    if kind == "auto":
        return "Automatic choice of search model"
    return spec


def similarity_words(similarity: float | None) -> str:
    """How close a knowledge hit is in meaning, for the "why it matched" chips (cosine, 0..1)."""
    if similarity is None:
        return "Related in meaning"
    if similarity >= 0.6:
        return "Very close in meaning"
    if similarity >= 0.4:
        return "Close in meaning"
    return "Loosely related in meaning"


def rank_words(rank: int, what: str) -> str:
    """ "Best match by meaning", "2nd by words"…"""
    if rank == 1:
        return f"Best match by {what}"
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix} by {what}"


# How a catalogue item was found (engine.catalog.CatalogMatch.matched_field), for the playground's trace.
_MATCHED_BY: dict[str, str] = {
    "name": "its name",
    "alias": "another name you gave it",
    "head": "what it is",
    "category": "its section",
    "sku": "its code",
    "description": "what its description says it is for",
    "semantic": "meaning",
}


def match_reason(field: str | None, text: str | None) -> str:
    """'Found by its name, “Double Oven Glove”': why the catalogue offered an item, in a shop owner's
    words ("" when the matcher said nothing)."""
    if not field:
        return ""
    how = _MATCHED_BY.get(field, humanize(field).lower())
    quoted = text and field not in ("description", "semantic")
    return f"Found by {how}, “{text}”" if quoted else f"Found by {how}"


def language_label(code: str | None) -> str:
    """ "Spanish" for "es" (engine.agent.language's locale files); "" when no language is known."""
    return language_name(code) if code else ""


__all__ = [
    "GUARD_REASONS",
    "HANDOFF_CATEGORIES",
    "embedding_label",
    "end_sentence",
    "guard_note",
    "handoff_reason",
    "humanize",
    "intent_label",
    "intents_line",
    "language_label",
    "match_reason",
    "model_label",
    "rank_words",
    "similarity_words",
]
