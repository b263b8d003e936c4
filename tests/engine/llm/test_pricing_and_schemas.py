"""The pricing table and the structured-output helpers."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from engine.llm.pricing import cost_of, estimate_cost, estimate_tokens, load_pricing, model_info
from engine.llm.schemas import AgentTurn, json_schema_for, parse_json_object, response_format, validate_output


def test_the_table_is_dated_and_every_price_is_decimal() -> None:
    table = load_pricing()
    assert table.as_of.isoformat() == "2025-06-01"
    assert table.currency == "USD"
    for provider in ("openai", "together"):
        for info in table.models(provider):
            assert isinstance(info.input_per_million, Decimal) and info.input_per_million > 0
            assert info.priced and 1 <= info.tier <= 3


def test_costs_are_exact_to_the_micro_unit() -> None:
    assert cost_of("openai", "gpt-4o-mini", 1_000_000, 1_000_000) == Decimal("0.750000")
    assert cost_of("openai", "gpt-4o", 1, 1) == Decimal("0.000013")  # 0.0000125 rounded half up
    assert cost_of("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", 500, 500) == Decimal("0.000880")


def test_unknown_models_are_flagged_and_never_under_priced() -> None:
    unknown = model_info("openai", "gpt-99-turbo")
    assert not unknown.priced
    assert unknown.input_per_million >= max(i.input_per_million for i in load_pricing().models("openai"))
    assert model_info("openai_compatible", "llama3.1:8b").input_per_million == 0


def test_the_estimate_is_an_upper_bound_of_a_real_call() -> None:
    messages = [{"role": "user", "content": "When do you open on Sundays? " * 10}]
    assert estimate_tokens(messages) >= len(messages[0]["content"]) // 4
    assert estimate_cost("openai", "gpt-4o", messages, 500) >= cost_of("openai", "gpt-4o", 80, 500)


def test_the_wire_schema_is_generated_from_the_model() -> None:
    schema = json_schema_for(AgentTurn)
    assert set(schema["properties"]) == {
        "reply",
        "intents",
        "confidence",
        "handoff",
        "suggestions",
        "facts",
        "rich",
    }
    assert "title" not in json.dumps(schema)
    assert response_format(AgentTurn, "json_object") == {"type": "json_object"}
    assert response_format(AgentTurn, "none") is None


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1}',
        '```json\n{"a": 1}\n```',
        'Here you go: {"a": 1} hope that helps',
    ],
)
def test_json_is_found_in_model_text(text: str) -> None:
    assert parse_json_object(text) == {"a": 1}


@pytest.mark.parametrize("text", ["no json here", "[1, 2]", '{"a": '])
def test_non_objects_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_json_object(text)


def test_validation_errors_are_short_and_name_the_field() -> None:
    parsed, output, error = validate_output(AgentTurn, '{"reply": "", "confidence": 2}')
    assert parsed is not None and output is None
    assert error is not None and "reply" in error and "confidence" in error


def test_catalog_ids_given_as_numbers_are_accepted_as_strings() -> None:
    _, output, error = validate_output(AgentTurn, '{"reply": "hi", "confidence": 0.5, "suggestions": [42]}')
    assert error is None and output is not None
    assert output.suggestions == ["42"]  # type: ignore[attr-defined]
