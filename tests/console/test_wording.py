"""Words on screen are a shop owner's words: no raw identifiers on any page (issue #16 item 2).

Two scans share one checker, `raw_identifiers`:
- here, every registered page's component tree is rendered (Reflex's own `render()`, no browser) and every
  literal text it draws is scanned; the plain-words mapping (engine.agent.labels) is checked over every code
  it knows and the ones it does not;
- the browser walk (tests/e2e/test_responsive.py) scans `document.body.innerText` of each page after it has
  loaded with seeded data, which covers the text states fill in (handoff reasons, model names, notes).

What counts as raw: a snake_case code (`explicit_request`), the word "tenant", and a stringified empty value
(`None` standing alone, `null`, `nan`, `undefined`). "None yet" is English and passes. Text inside code
elements (`entry_type`, the CSV column a user must type) is left alone on purpose, and so are style sheets.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

import console.console  # noqa: F401 - registers every page
from console.template import PAGES
from engine.agent import labels

# snake_case lower-case only; "Tenant" in any case; None/NaN as printed by Python and JavaScript.
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
EMPTY = re.compile(r"\bNone\b(?!\s+[a-z])|\b(?:null|nan|NaN|undefined)\b")
TENANT = re.compile(r"\btenants?\b", re.IGNORECASE)
URLISH = re.compile(r"\S+[/@]\S+|\S+\.(?:csv|xlsx|json|md|txt)\b")  # addresses, emails, file names
# A campaign's variables ({{first_name}}) are what the owner types into a message, like a CSV column name.
VARIABLE = re.compile(r"\{\{\s*[a-z0-9_]+\s*\}\}")


def raw_identifiers(text: str) -> list[str]:
    """The raw identifiers in a page's visible text (empty when it reads as plain words)."""
    clean = URLISH.sub(" ", VARIABLE.sub(" ", text))
    found = SNAKE.findall(clean) + EMPTY.findall(clean) + TENANT.findall(clean)
    return sorted(set(found))


def _literal_texts(node: Any, out: list[str], skip: bool = False) -> list[str]:
    """Every literal text child in a rendered component dict, outside code elements and style sheets."""
    if isinstance(node, dict):
        name = str(node.get("name") or "")
        inner_skip = skip or any(part in name for part in ("Code", "style", "Style", "Script", "script"))
        contents = node.get("contents")
        if not inner_skip and isinstance(contents, str) and contents.startswith('"'):
            out.append(contents.strip('"'))
        for key, value in node.items():
            if key != "contents":
                _literal_texts(value, out, inner_skip)
    elif isinstance(node, list | tuple):
        for value in node:
            _literal_texts(value, out, skip)
    return out


@pytest.mark.parametrize("spec", PAGES, ids=[p.route for p in PAGES])
def test_no_page_draws_a_raw_identifier(spec: Any) -> None:
    texts = _literal_texts(spec.render().render(), [])
    assert texts, f"{spec.route} drew no text at all"
    found = {t: raw_identifiers(t) for t in texts if raw_identifiers(t)}
    assert not found, f"{spec.route} shows raw identifiers: {found}"


def test_the_checker_knows_raw_from_plain() -> None:
    assert raw_identifiers("Handed off: explicit_request") == ["explicit_request"]
    assert raw_identifiers("the tenant has no Twilio account SID") == ["tenant"]
    assert raw_identifiers("Confidence None") == ["None"] and raw_identifiers("Total: nan") == ["nan"]
    assert raw_identifiers("None yet. Import kb_export.csv from help@shop.example") == []
    assert raw_identifiers("Asked for a person · Order status") == []


@pytest.mark.parametrize("code", sorted(labels.HANDOFF_CATEGORIES))
def test_every_handoff_category_reads_as_words(code: str) -> None:
    for stored in (code, f"{code}: the customer asked for a person", f"{code}: sensitive topic: refunds"):
        shown = labels.handoff_reason(stored)
        assert shown and not raw_identifiers(shown), (stored, shown)
    assert labels.handoff_reason("explicit_request") == "Asked for a person"
    assert (
        labels.handoff_reason("topic: sensitive topic: refund disputes") == "Sensitive topic: refund disputes"
    )


@pytest.mark.parametrize("field", ["name", "alias", "head", "category", "sku", "description", "semantic"])
def test_why_the_catalogue_offered_an_item_reads_as_words(field: str) -> None:
    """The playground's trace: "Found by what it is, “glove”", never the matcher's field name."""
    shown = labels.match_reason(field, "glove")
    assert shown.startswith("Found by ") and not raw_identifiers(shown)
    assert field not in ("head", "sku", "alias", "semantic") or field not in shown
    assert labels.match_reason("head", "glove") == "Found by what it is, “glove”"
    assert labels.match_reason(None, None) == ""


def test_unknown_codes_and_models_still_read_as_words() -> None:
    assert labels.handoff_reason("price_match_request") == "Price match request"
    assert labels.intents_line(["order_status", "product_search"]) == "Order status · Product search"
    assert labels.embedding_label("local:all-MiniLM-L6-v2") == "Built-in search model (runs on your server)"
    assert labels.model_label("offline-templates") == "Built-in answers (no AI model)"
    specs = (
        "none",
        "local:all-MiniLM-L6-v2",
        "openai:text-embedding-3-small",
        "together:BAAI/bge-base-en-v1.5",
    )
    for spec in (*specs, "hashing:64"):
        assert not raw_identifiers(labels.embedding_label(spec))
    assert (
        labels.similarity_words(0.51) == "Close in meaning"
        and labels.rank_words(4, "meaning") == "4th by meaning"
    )


def test_a_name_ending_in_a_full_stop_gets_one() -> None:
    assert (
        labels.end_sentence("You are Ava, the assistant of Stride & Co.")
        == "You are Ava, the assistant of Stride & Co."
    )
    assert labels.end_sentence("Welcome to Green Leaf") == "Welcome to Green Leaf."
    assert labels.end_sentence("Ready?") == "Ready?"


def test_a_replaced_reply_is_explained_in_words() -> None:
    """The output guard's reasons (engine.agent.guard: system_prompt, internal, link:<domain>) reach the
    Playground trace as a sentence."""
    note = labels.guard_note(["system_prompt", "internal", "link:evil.test", "some_new_kind"])
    assert "instructions" in note and "internal" in note and "evil.test" in note
    assert not raw_identifiers(note)
