"""The context builder: parts by priority under the window, history cut oldest first and summarised."""

from __future__ import annotations

from engine.agent.context import (
    DEFAULT_WINDOW,
    MAX_PROMPT_TOKENS,
    ContextInputs,
    HistoryTurn,
    build_context,
    context_window,
    estimate_tokens,
)

PERSONA = "You are Maya, the assistant of Acme Shoes. " * 5


def _history(n: int) -> list[HistoryTurn]:
    return [
        HistoryTurn(
            "user" if i % 2 == 0 else "assistant", f"message number {i} " + "blah " * 30, message_id=i + 1
        )
        for i in range(n)
    ]


def test_the_window_is_the_smallest_of_the_models_that_may_answer() -> None:
    assert (
        context_window([("openai", "gpt-4o-mini"), ("together", "mistralai/Mistral-7B-Instruct-v0.3")])
        == 32_768
    )
    assert context_window(["gpt-4.1-nano"]) == 1_047_576
    assert context_window(["my-local-llama"]) == DEFAULT_WINDOW


def test_a_large_window_is_still_capped_and_everything_fits() -> None:
    built = build_context(
        ContextInputs(persona=PERSONA, message="hi", key_facts={"shoe_size": "UK 7"}, history=_history(6)),
        window=128_000,
        max_output_tokens=600,
    )
    assert built.budget == MAX_PROMPT_TOKENS and built.cut_history == 0
    assert len(built.history) == 6 and "shoe_size: UK 7" in built.section("key_facts")
    record = built.record()
    assert (record["parts"]["history"]["items"], record["parts"]["history"]["dropped"]) == (6, 0)
    assert record["used"] == sum(p["tokens"] for p in record["parts"].values())


def test_a_small_window_keeps_the_important_parts_and_the_newest_history() -> None:
    knowledge = [f"[Entry {i}] " + "policy text " * 60 for i in range(5)]
    built = build_context(
        ContextInputs(
            persona=PERSONA,
            message="where is my order?",
            key_facts={"shoe_size": "UK 7", "name": "Ada"},
            catalog=["[RUN-1] Cloudstep 90 — £95.00, in stock"],
            knowledge=knowledge,
            customer_history=["Order ACM-10001: shipped"],
            history=_history(40),
        ),
        window=2600,
        max_output_tokens=600,
    )
    parts = built.parts
    assert built.used <= built.budget == 2600 - 600 - 300
    # Priorities: facts and catalogue whole, knowledge as many whole entries as fit, history the rest.
    assert parts["key_facts"].items == 2 and parts["catalog"].items == 1
    assert 1 <= parts["knowledge"].items < 5 and parts["knowledge"].dropped == 5 - parts["knowledge"].items
    assert all(p.tokens <= p.limit for name, p in parts.items() if name not in ("persona", "message"))
    # Newest history kept, oldest cut and summarised (extractively, no summary from the job yet).
    assert built.history and built.history[-1].message_id == 40 and built.cut_history > 0
    assert built.history[0].message_id == 40 - len(built.history) + 1
    assert built.section("summary").startswith("Earlier in this conversation (most recent first):")
    assert f"message number {40 - len(built.history) - 1}" in built.section("summary")


def test_the_memory_jobs_summary_covers_what_it_summarised() -> None:
    built = build_context(
        ContextInputs(
            persona=PERSONA,
            message="and the other one?",
            summary="The customer asked about the Cloudstep 90 in UK 7 and ordered it.",
            summary_upto=30,
            history=_history(40),
        ),
        window=1900,
        max_output_tokens=300,
    )
    summary = built.section("summary")
    assert summary.startswith("Summary of the conversation so far: The customer asked about the Cloudstep 90")
    cut_ids = {t.message_id for t in _history(40)} - {t.message_id for t in built.history}
    uncovered = [i for i in cut_ids if i > 30]
    for message_id in uncovered[-1:]:
        assert f"message number {message_id - 1}" in summary
    assert estimate_tokens(summary) <= built.parts["summary"].limit
