"""AgentTurn, the JSON every customer-facing answer must be (DESIGN.md §4), and the helpers that turn a schema
into a request and a model's text back into a validated object.

The pydantic model is the single source: the JSON schema sent to providers is generated from it, so the two
cannot drift apart.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Intent(BaseModel):
    model_config = ConfigDict(coerce_numbers_to_str=True)

    name: str = Field(min_length=1, max_length=64)
    confidence: float = Field(ge=0, le=1)


class Handoff(BaseModel):
    needed: bool = False
    reason: str | None = None


class RichContent(BaseModel):
    """Channel-neutral rich content; its other fields belong to the rich message builder, which checks them
    against WhatsApp's limits and falls back to numbered text."""

    model_config = ConfigDict(extra="allow")

    type: Literal["buttons", "list", "card"]


class AgentTurn(BaseModel):
    """What the model returns for one customer turn. Fields other than `reply` and `confidence` have defaults,
    so a model that omits an empty list is not sent back for a repair it does not need."""

    model_config = ConfigDict(coerce_numbers_to_str=True)

    reply: str = Field(min_length=1, description="The message sent to the customer.")
    intents: list[Intent] = Field(default_factory=list)
    confidence: float = Field(ge=0, le=1, description="How sure the reply is right, 0 to 1.")
    handoff: Handoff = Field(default_factory=Handoff)
    suggestions: list[str] = Field(default_factory=list, description="Catalog ids (SKU or service code).")
    facts: dict[str, str] = Field(default_factory=dict, description="Facts learnt about the customer.")
    rich: RichContent | None = None


def _strip_titles(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip_titles(v) for k, v in node.items() if k != "title"}
    if isinstance(node, list):
        return [_strip_titles(v) for v in node]
    return node


@lru_cache(maxsize=32)
def json_schema_for(schema: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of a pydantic model, without pydantic's titles (tokens the model does not need)."""
    return _strip_titles(schema.model_json_schema())


@lru_cache(maxsize=32)
def schema_text(schema: type[BaseModel]) -> str:
    """The compact JSON schema text, for providers that only offer JSON mode and take it in the prompt."""
    return json.dumps(json_schema_for(schema), separators=(",", ":"))


@lru_cache(maxsize=64)
def response_format(schema: type[BaseModel], mode: str) -> dict[str, Any] | None:
    """The `response_format` request field for a structured-output mode (json_schema | json_object | none).

    `strict` stays off: strict mode forbids open objects such as `facts`, and pydantic validates anyway.
    Cached, so callers must not modify the returned dict (the SDKs copy it into the request body).
    """
    if mode == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {"name": schema.__name__, "schema": json_schema_for(schema), "strict": False},
        }
    if mode == "json_object":
        return {"type": "json_object"}
    return None


def schema_instruction(schema: type[BaseModel]) -> str:
    """Put in the prompt when the schema cannot travel in `response_format` (JSON mode needs "JSON")."""
    return (
        "Answer with one JSON object only, no prose and no code fence, matching this JSON schema: "
        + schema_text(schema)
    )


_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)


def parse_json_object(text: str) -> dict[str, Any]:
    """The JSON object in a model's text, tolerating a code fence or prose around it; ValueError otherwise."""
    stripped = text.strip()
    try:
        value = json.loads(stripped)
    except json.JSONDecodeError as first_error:
        fenced = _FENCE.match(stripped)
        candidate = fenced.group(1) if fenced else None
        if candidate is None:
            start, end = stripped.find("{"), stripped.rfind("}")
            candidate = stripped[start : end + 1] if 0 <= start < end else None
        if candidate is None:
            raise ValueError(f"not valid JSON ({first_error.msg} at position {first_error.pos})") from None
        try:
            value = json.loads(candidate)
        except json.JSONDecodeError:
            raise ValueError(f"not valid JSON ({first_error.msg} at position {first_error.pos})") from None
    if not isinstance(value, dict):
        raise ValueError(f"a JSON {type(value).__name__} instead of an object")
    return value


def describe_validation_error(error: ValidationError, limit: int = 5) -> str:
    """A short, model-readable list of what was wrong, for the repair prompt and the attempt log."""
    parts = []
    for item in error.errors()[:limit]:
        where = ".".join(str(p) for p in item["loc"]) or "(root)"
        parts.append(f"{where}: {item['msg']}")
    more = error.error_count() - limit
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def validate_output(
    schema: type[BaseModel], text: str
) -> tuple[dict[str, Any] | None, BaseModel | None, str | None]:
    """(parsed JSON, validated object, error): the error says why the object is missing."""
    try:
        parsed = parse_json_object(text)
    except ValueError as exc:
        return None, None, f"the reply was {exc}"
    try:
        return parsed, schema.model_validate(parsed), None
    except ValidationError as exc:
        return parsed, None, describe_validation_error(exc)


def repair_message(error: str) -> dict[str, str]:
    """The follow-up that gives the model one chance to fix its answer, telling it exactly what was wrong."""
    return {
        "role": "user",
        "content": (
            f"Your previous answer could not be used: {error}. Answer again with only the corrected JSON "
            "object matching the required schema."
        ),
    }


__all__ = [
    "AgentTurn",
    "Handoff",
    "Intent",
    "RichContent",
    "json_schema_for",
    "parse_json_object",
    "repair_message",
    "response_format",
    "schema_instruction",
    "validate_output",
]
