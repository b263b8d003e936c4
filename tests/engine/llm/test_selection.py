"""select_model(): the rule table, the soft-limit override, and the recorded reason."""

from __future__ import annotations

import pytest

from engine.llm.selection import RULES, Task, infer_task, rule_table, select_model

TENANT_MODELS = ["gpt-4o", "gpt-4o-mini", "gpt-4.1-nano"]


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        (Task.FAQ, "gpt-4.1-nano"),  # tier 1 is enough: the cheapest model
        (Task.SUMMARY, "gpt-4.1-nano"),
        (Task.MULTI_INTENT, "gpt-4o-mini"),  # tier 2: nano is skipped
        (Task.COMPLEX, "gpt-4o"),  # tier 3: only gpt-4o qualifies
    ],
)
def test_the_cheapest_model_that_fits_the_task_is_chosen(task: Task, expected: str) -> None:
    choice = select_model(task, TENANT_MODELS)
    assert choice.model == expected
    assert choice.task == task
    assert choice.reason.startswith(task.value)
    assert choice.order[0] == ("openai", expected)
    assert sorted(m for _, m in choice.order) == sorted(TENANT_MODELS)


def test_the_rest_of_the_chain_keeps_the_tenants_order() -> None:
    choice = select_model(Task.FAQ, TENANT_MODELS)
    assert [m for _, m in choice.order] == ["gpt-4.1-nano", "gpt-4o", "gpt-4o-mini"]


def test_when_no_model_is_strong_enough_the_strongest_is_used() -> None:
    choice = select_model(Task.COMPLEX, ["gpt-4o-mini", "gpt-4.1-nano"])
    assert choice.model == "gpt-4o-mini"
    assert "no model reaches tier 3" in choice.reason


def test_past_the_soft_limit_the_cheapest_model_answers_everything() -> None:
    choice = select_model(Task.COMPLEX, TENANT_MODELS, budget_state="soft")
    assert choice.model == "gpt-4.1-nano"
    assert [m for _, m in choice.order] == ["gpt-4.1-nano", "gpt-4o-mini", "gpt-4o"]
    assert "soft limit" in choice.reason


def test_models_of_several_providers_are_compared_by_price() -> None:
    llama = "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo"
    models = [("openai", "gpt-4o-mini"), ("together", llama)]
    # A typical turn (1,000 in, 200 out): gpt-4o-mini 0.000270, Llama 3.1 8B 0.000216 — but the 8B is tier 1.
    faq = select_model(Task.FAQ, models)
    assert (faq.provider, faq.model) == ("together", llama)
    assert faq.order == (("together", llama), ("openai", "gpt-4o-mini"))
    several = select_model(Task.MULTI_INTENT, models)
    assert (several.provider, several.model) == ("openai", "gpt-4o-mini")


def test_unknown_self_hosted_models_are_free_and_tier_two() -> None:
    choice = select_model(Task.MULTI_INTENT, ["llama3.1:8b"], provider="openai_compatible")
    assert choice.model == "llama3.1:8b"
    assert "unpriced" in choice.reason


def test_the_rule_table_is_readable() -> None:
    rows = rule_table()
    assert [r["task"] for r in rows] == [r.task.value for r in RULES]
    assert {r["task"]: r["min_tier"] for r in rows} == {
        "faq": 1,
        "summary": 1,
        "multi_intent": 2,
        "complex": 3,
    }
    assert all(r["why"] for r in rows)


def test_no_models_is_an_error() -> None:
    with pytest.raises(ValueError):
        select_model(Task.FAQ, [])


@pytest.mark.parametrize(
    ("intents", "message", "expected"),
    [
        (["faq"], "When do you open?", Task.FAQ),
        (
            ["product_inquiry", "order_status"],
            "Do you have size 42, and where is my order?",
            Task.MULTI_INTENT,
        ),
        (["order_status"], "My parcel never arrived and I want a refund", Task.COMPLEX),
        ([], "x" * 500, Task.COMPLEX),
    ],
)
def test_infer_task(intents: list[str], message: str, expected: Task) -> None:
    assert infer_task(intents, message) == expected
    assert infer_task(summary=True) == Task.SUMMARY
