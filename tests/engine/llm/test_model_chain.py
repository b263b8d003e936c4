"""The model chain as both console pages show it: one rule for owners, prices, notes and suggestions."""

from __future__ import annotations

from decimal import Decimal

from engine.llm import model_chain as mc
from engine.llm.pricing import load_pricing


def test_chain_rows_name_the_provider_price_and_role() -> None:
    rows = mc.model_chain(
        "openai", ["gpt-4o-mini", "together:meta-llama/Llama-3.3-70B-Instruct-Turbo", "x-1"]
    )
    assert [r.role for r in rows] == ["Default", "Fallback 1", "Fallback 2"]
    assert [r.provider_label for r in rows] == ["OpenAI", "Together AI", "OpenAI"]
    assert [r.stored_ref for r in rows][:2] == [
        "gpt-4o-mini",
        "together:meta-llama/Llama-3.3-70B-Instruct-Turbo",
    ]
    assert rows[0].priced and rows[0].note == "" and rows[0].input_per_million > 0
    assert not rows[2].priced and rows[2].note == mc.UNLISTED_NOTE  # charged at the unknown-model price


def test_own_server_models_are_free_and_keep_their_colons() -> None:
    (row,) = mc.model_chain("openai_compatible", ["llama3.1:8b"])
    assert (row.provider, row.model, row.free, row.note) == (
        "openai_compatible",
        "llama3.1:8b",
        True,
        mc.OWN_SERVER_NOTE,
    )
    assert row.input_per_million == Decimal(0)


def test_bare_names_under_offline_belong_to_the_list_that_names_them() -> None:
    together = load_pricing().models("together")[0].model
    assert mc.qualify(together, "offline") == f"together:{together}"
    assert mc.qualify("unheard-of", "offline") == "openai:unheard-of"
    assert mc.owner_and_model("", "offline") == ("openai", "")


def test_choices_leave_out_the_chosen_and_suggestion_is_a_cheap_tier_two_model() -> None:
    chosen = mc.model_chain("openai", ["gpt-4o-mini"])[0]
    refs = {c.ref for c in mc.model_choices("openai", exclude=["gpt-4o-mini"])}
    assert chosen.ref not in refs and any(r.startswith("together:") for r in refs)
    suggestion = mc.suggested_model("together")
    tier_two = [i for i in load_pricing().models("together") if i.tier == 2]
    cheapest = min(tier_two, key=lambda i: i.input_per_million + i.output_per_million)
    assert suggestion == f"together:{cheapest.model}"
    assert mc.suggested_model("openai_compatible") == ""
