"""TenantLLM end to end: tenant settings and keys → model choice → chain over real HTTP → LLMCall rows,
and the monthly budget (estimate before the call, soft limit → cheaper models, hard limit → offline and
an alert)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import select

from engine.accounts.secrets import set_secret
from engine.accounts.tenants import TenantInfo
from engine.db import TenantScope, session_scope
from engine.llm import errors
from engine.llm.budget import budget_status, evaluate, spend_summary
from engine.llm.fallback import RetryPolicy
from engine.llm.ledger import CallLedger, month_start
from engine.llm.offline import KnowledgeHit, OfflineContext
from engine.llm.router import TenantLLM, llm_for_tenant
from engine.llm.schemas import AgentTurn
from engine.llm.selection import Task
from engine.models import AuditLog, Tenant
from tests.engine.llm.helpers import MESSAGES, TURN, Sleeps, add_spend, configure, llm_calls
from tests.fakes.openai_server import FakeOpenAIServer, ok, rate_limited, server_error, unauthorized

USAGE = {"prompt_tokens": 1000, "completion_tokens": 200}
COST_4O = Decimal("0.004500")
COST_MINI = Decimal("0.000270")
CONTEXT = OfflineContext(
    query="Do you have running shoes?",
    hits=[
        KnowledgeHit(
            kind="product",
            id="RUN-42",
            title="Trail Runner",
            price=Decimal("89"),
            currency="USD",
            available=True,
            score=0.82,
        ),
    ],
)


@pytest.fixture
def openai_tenant(tenant: TenantInfo, fake_openai: FakeOpenAIServer) -> TenantInfo:
    """A tenant on OpenAI through the fake server, gpt-4o by default and gpt-4o-mini as fallback."""
    configure(
        tenant.id,
        llm_provider="openai",
        llm_base_url=fake_openai.openai_base_url,
        default_model="gpt-4o",
        fallback_models=["gpt-4o-mini"],
        monthly_budget=Decimal("10.00"),
        budget_soft_limit_ratio=0.8,
        max_tokens=300,
    )
    with session_scope() as s:
        set_secret(s, tenant.id, "openai_api_key", "sk-tenant-key-0001")
    return tenant


def build(tenant_id: int, sleeps: Sleeps, ledger: CallLedger, **kwargs: object) -> TenantLLM:
    with session_scope() as s:
        return llm_for_tenant(s, tenant_id, ledger=ledger, sleep=sleeps, rng=random.Random(5), **kwargs)  # type: ignore[arg-type]


def test_a_complex_turn_uses_the_strong_model_and_every_attempt_becomes_an_llm_call(
    openai_tenant: TenantInfo, fake_openai: FakeOpenAIServer, sleeps: Sleeps, ledger: CallLedger
) -> None:
    fake_openai.script(rate_limited(retry_after=0.5), ok(TURN, **USAGE))
    llm = build(openai_tenant.id, sleeps, ledger)
    response = llm.generate(MESSAGES, task=Task.COMPLEX, conversation_id=None)

    assert response.model == "gpt-4o" and response.cost == COST_4O
    assert response.selection is not None and response.selection.model == "gpt-4o"
    assert "complex" in response.selection.reason
    rows = llm_calls(openai_tenant.id, ledger)
    assert [(r.model, r.status, r.http_status) for r in rows] == [
        ("gpt-4o", "retry", 429),
        ("gpt-4o", "ok", 200),
    ]
    assert [r.cost for r in rows] == [Decimal("0"), COST_4O]
    assert rows[1].tokens_in == 1000 and rows[1].tokens_out == 200
    assert rows[0].purpose == "complex"
    assert "rate_limited" in (rows[0].error or "")
    assert fake_openai.chat_requests[0].authorization == "Bearer sk-tenant-key-0001"
    assert fake_openai.chat_requests[0].json["max_tokens"] == 300


def test_a_faq_turn_uses_the_cheapest_good_enough_model(
    openai_tenant: TenantInfo, fake_openai: FakeOpenAIServer, sleeps: Sleeps, ledger: CallLedger
) -> None:
    fake_openai.script(server_error(), server_error(), server_error(), ok(TURN, **USAGE))
    response = build(openai_tenant.id, sleeps, ledger).generate(MESSAGES, task="faq")

    # gpt-4o-mini is chosen; when it fails, the chain falls back to gpt-4o
    assert [a.model for a in response.attempts] == ["gpt-4o-mini"] * 3 + ["gpt-4o"]
    assert response.model == "gpt-4o" and response.degraded == "fallback"
    assert response.cost == COST_4O
    assert [r.status for r in llm_calls(openai_tenant.id, ledger)] == ["retry", "retry", "error", "ok"]


def test_auth_errors_surface_typed_and_are_logged(
    openai_tenant: TenantInfo, fake_openai: FakeOpenAIServer, sleeps: Sleeps, ledger: CallLedger
) -> None:
    fake_openai.script(unauthorized())
    with pytest.raises(errors.AuthenticationError):
        build(openai_tenant.id, sleeps, ledger).generate(MESSAGES, task=Task.COMPLEX)
    rows = llm_calls(openai_tenant.id, ledger)
    assert [(r.status, r.http_status) for r in rows] == [("error", 401)]
    assert "Incorrect API key" in (rows[0].error or "")


def test_past_the_soft_limit_the_cheapest_model_answers_even_complex_turns(
    openai_tenant: TenantInfo, fake_openai: FakeOpenAIServer, sleeps: Sleeps, ledger: CallLedger
) -> None:
    add_spend(openai_tenant.id, "8.50")  # soft limit is 8.00 of 10.00
    fake_openai.script(ok(TURN, **USAGE))
    response = build(openai_tenant.id, sleeps, ledger).generate(MESSAGES, task=Task.COMPLEX)

    assert response.model == "gpt-4o-mini"
    assert response.selection is not None and "soft limit" in response.selection.reason
    assert response.cost == COST_MINI
    with session_scope() as s:
        alerts = TenantScope(s, openai_tenant.id).all(AuditLog, AuditLog.action == "llm.budget.soft_limit")
    assert len(alerts) == 1


def test_at_the_hard_limit_the_offline_provider_answers_and_the_owner_is_alerted_once(
    openai_tenant: TenantInfo, fake_openai: FakeOpenAIServer, sleeps: Sleeps, ledger: CallLedger
) -> None:
    add_spend(openai_tenant.id, "10.00")
    llm = build(openai_tenant.id, sleeps, ledger)
    first = llm.generate(MESSAGES, task=Task.FAQ, offline_context=CONTEXT)
    second = llm.generate(MESSAGES, task=Task.FAQ, offline_context=CONTEXT)

    assert fake_openai.chat_requests == []  # no paid call at all
    for response in (first, second):
        assert response.provider == "offline" and response.degraded == "offline:budget"
        assert isinstance(response.output, AgentTurn)
        assert "Trail Runner" in response.output.reply
        assert response.cost == Decimal("0")
    assert llm.offline_reason() == "budget"
    with session_scope() as s:
        alerts = TenantScope(s, openai_tenant.id).all(AuditLog, AuditLog.action == "llm.budget.hard_limit")
    assert len(alerts) == 1
    assert alerts[0].details["spent"] == "10.000000"
    assert [r.provider for r in llm_calls(openai_tenant.id, ledger)][-2:] == ["offline", "offline"]


def test_the_estimate_keeps_a_call_within_what_is_left(
    openai_tenant: TenantInfo, fake_openai: FakeOpenAIServer, sleeps: Sleeps, ledger: CallLedger
) -> None:
    # 0.002 left: a gpt-4o call capped at 300 output tokens is estimated above that (~0.004), gpt-4o-mini
    # below (~0.0003).
    add_spend(openai_tenant.id, "7.998")
    configure(openai_tenant.id, monthly_budget=Decimal("8.00"), budget_soft_limit_ratio=1.0)
    fake_openai.script(ok(TURN, **USAGE))
    response = build(openai_tenant.id, sleeps, ledger).generate(MESSAGES, task=Task.COMPLEX)

    assert [r.model for r in fake_openai.chat_requests] == ["gpt-4o-mini"]
    assert response.model == "gpt-4o-mini" and response.degraded == "fallback"


def test_when_no_model_fits_what_is_left_the_answer_is_offline(
    openai_tenant: TenantInfo, fake_openai: FakeOpenAIServer, sleeps: Sleeps, ledger: CallLedger
) -> None:
    add_spend(openai_tenant.id, "9.99999")
    response = build(openai_tenant.id, sleeps, ledger).generate(MESSAGES, offline_context=CONTEXT)
    assert response.degraded == "offline:budget"
    assert fake_openai.chat_requests == []
    with session_scope() as s:
        assert TenantScope(s, openai_tenant.id).first(AuditLog, AuditLog.action == "llm.budget.hard_limit")


def test_spend_counts_this_month_in_the_tenants_time_zone(openai_tenant: TenantInfo) -> None:
    with session_scope() as s:
        tenant = s.get(Tenant, openai_tenant.id)
        assert tenant is not None
        tenant.time_zone = "America/New_York"
        s.add(tenant)
    now = datetime(2025, 7, 1, 3, 0, tzinfo=UTC)  # still June 30th in New York
    add_spend(openai_tenant.id, "1.00", when=datetime(2025, 6, 30, 12, 0, tzinfo=UTC))
    add_spend(openai_tenant.id, "2.00", when=datetime(2025, 5, 31, 12, 0, tzinfo=UTC))  # May
    with session_scope() as s:
        status = budget_status(s, openai_tenant.id, now=now)
    assert status.month == "2025-06"
    assert status.spent == Decimal("1.000000")
    assert month_start(now, "America/New_York") == datetime(2025, 6, 1, 4, 0, tzinfo=UTC)


def test_budget_states() -> None:
    def state(spent: str) -> str:
        return evaluate(1, budget=Decimal("50"), soft_limit_ratio=0.8, spent=Decimal(spent), month="m").state

    assert [state(s) for s in ("0", "39.99", "40", "49.99", "50", "70")] == [
        "ok",
        "ok",
        "soft",
        "soft",
        "hard",
        "hard",
    ]
    zero = evaluate(1, budget=Decimal("0"), soft_limit_ratio=0.8, spent=Decimal("0"), month="m")
    assert zero.state == "hard" and not zero.allows(Decimal("0.000001"))


def test_the_ledger_spend_cache_never_under_counts(openai_tenant: TenantInfo) -> None:
    ledger = CallLedger(flush_interval=5.0, spend_ttl=60.0)  # slow writer, long cache
    try:
        add_spend(openai_tenant.id, "1.00")
        assert ledger.month_spend(openai_tenant.id) == Decimal("1.000000")
        from engine.llm.types import Attempt

        ledger.record(openai_tenant.id, Attempt("openai", "gpt-4o", "ok", cost=Decimal("0.25")))
        assert ledger.month_spend(openai_tenant.id) == Decimal("1.250000")  # queued, not written: counted
        ledger.flush()
        ledger.invalidate(openai_tenant.id)
        assert ledger.month_spend(openai_tenant.id) == Decimal("1.250000")  # written: counted once
    finally:
        ledger.close()


def test_spend_summary_for_the_console(
    openai_tenant: TenantInfo, fake_openai: FakeOpenAIServer, sleeps: Sleeps, ledger: CallLedger
) -> None:
    fake_openai.script(server_error(), ok(TURN, **USAGE), ok(TURN, **USAGE))
    llm = build(openai_tenant.id, sleeps, ledger)
    llm.generate(MESSAGES, task=Task.COMPLEX)
    llm.generate(MESSAGES, task=Task.FAQ)
    ledger.flush()
    with session_scope() as s:
        summary = spend_summary(s, openai_tenant.id)

    assert summary.status.spent == COST_4O + COST_MINI
    assert summary.status.state == "ok" and summary.status.budget == Decimal("10.00")
    assert summary.calls == 3 and summary.failed_calls == 1 and summary.offline_answers == 0
    assert [(m.model, m.calls, m.cost) for m in summary.by_model] == [
        ("gpt-4o", 2, COST_4O),
        ("gpt-4o-mini", 1, COST_MINI),
    ]
    assert sum(c for _, c in summary.by_day) == COST_4O + COST_MINI
    assert summary.pricing_as_of is not None


def test_a_tenant_without_any_key_runs_offline(
    tenant: TenantInfo, sleeps: Sleeps, ledger: CallLedger
) -> None:
    configure(tenant.id, llm_provider="openai", default_model="gpt-4o")
    llm = build(tenant.id, sleeps, ledger)
    assert llm.offline_reason() == "no_credentials"
    response = llm.generate(MESSAGES, offline_context=CONTEXT)
    assert response.degraded == "offline:no_credentials"
    with pytest.raises(errors.MissingCredentials):
        llm.generate(MESSAGES, response_schema=None)  # plain text cannot be answered offline


def test_a_tenant_configured_offline_never_calls_out(
    tenant: TenantInfo, sleeps: Sleeps, ledger: CallLedger
) -> None:
    llm = build(tenant.id, sleeps, ledger)  # new tenants start on the offline provider
    response = llm.generate(MESSAGES, offline_context=CONTEXT)
    assert response.degraded == "offline:configured"
    assert response.output is not None and response.output.suggestions == ["RUN-42"]
    assert [r.provider for r in llm_calls(tenant.id, ledger)] == ["offline"]


def test_the_fallback_list_can_name_another_provider(
    openai_tenant: TenantInfo, fake_openai: FakeOpenAIServer, sleeps: Sleeps, ledger: CallLedger, monkeypatch
) -> None:
    llama = "meta-llama/Llama-3.3-70B-Instruct-Turbo"
    configure(openai_tenant.id, fallback_models=[f"together:{llama}"])
    monkeypatch.setenv("TOGETHER_API_KEY", "tg-env-key-9999")
    monkeypatch.setenv("TOGETHER_BASE_URL", fake_openai.base_url)
    from engine.config import reset_settings_cache

    reset_settings_cache()
    fake_openai.script(ok(TURN, finish_reason="eos", **USAGE))  # llama: cheaper, and good enough for a FAQ
    response = build(openai_tenant.id, sleeps, ledger).generate(MESSAGES, task=Task.FAQ)

    assert (response.provider, response.model) == ("together", llama)
    assert fake_openai.chat_requests[0].authorization == "Bearer tg-env-key-9999"


def test_llm_call_rows_survive_the_callers_rollback(
    openai_tenant: TenantInfo, fake_openai: FakeOpenAIServer, sleeps: Sleeps, ledger: CallLedger
) -> None:
    fake_openai.script(ok(TURN, **USAGE))
    with pytest.raises(RuntimeError), session_scope() as s:
        llm_for_tenant(s, openai_tenant.id, ledger=ledger).generate(MESSAGES)
        raise RuntimeError("the agent failed after the model answered")
    assert len(llm_calls(openai_tenant.id, ledger)) == 1  # the money was spent: the row stays


def test_deadline_policy_is_applied_per_tenant(
    openai_tenant: TenantInfo, fake_openai: FakeOpenAIServer, sleeps: Sleeps, ledger: CallLedger
) -> None:
    fake_openai.default = server_error()
    llm = build(openai_tenant.id, sleeps, ledger, policy=RetryPolicy(max_attempts=2))
    response = llm.generate(MESSAGES, offline_context=CONTEXT)
    assert [a.status for a in response.attempts] == ["retry", "error", "retry", "error", "ok"]
    assert response.degraded == "offline:unavailable"


def test_rows_record_purpose_and_conversation(
    openai_tenant: TenantInfo, fake_openai: FakeOpenAIServer, sleeps: Sleeps, ledger: CallLedger
) -> None:
    fake_openai.script(ok({"summary": "x"}, **USAGE))
    llm = build(openai_tenant.id, sleeps, ledger)
    llm.generate(MESSAGES, task=Task.SUMMARY, response_schema=None)
    row = llm_calls(openai_tenant.id, ledger)[0]
    assert row.purpose == "summary" and row.conversation_id is None
    assert row.created_at > datetime.now(UTC) - timedelta(minutes=1)
    with session_scope() as s:
        assert s.exec(select(AuditLog)).all() == []  # nothing to alert about


def test_the_ledger_keeps_every_row_recorded_from_many_threads(openai_tenant: TenantInfo) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from engine.llm.types import Attempt

    ledger = CallLedger(flush_interval=0.01, batch_size=7, spend_ttl=0)
    try:
        attempt = Attempt("openai", "gpt-4o-mini", "ok", cost=Decimal("0.000270"))

        def conversation(_: int) -> None:
            for _ in range(25):
                ledger.record(openai_tenant.id, attempt)

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(conversation, range(8)))
        # 200 × 0.00027, queued or written. While the writer runs, a batch committed during a refresh may be
        # counted twice until the next refresh: over, never under.
        exact = Decimal("0.054000")
        assert exact <= ledger.month_spend(openai_tenant.id) < exact * 2
        rows = llm_calls(openai_tenant.id, ledger)
        assert len(rows) == 200
        assert ledger.month_spend(openai_tenant.id) == exact  # all written: counted once
    finally:
        ledger.close()


def test_without_retrieval_context_the_offline_answer_still_speaks_in_the_tenants_voice(
    tenant: TenantInfo, sleeps: Sleeps, ledger: CallLedger
) -> None:
    configure(tenant.id, tone="formal", required_disclaimers=["Replies are automated."])
    response = build(tenant.id, sleeps, ledger).generate(MESSAGES)
    assert response.output is not None
    assert response.output.reply.startswith("Thank you for your message.")
    assert response.output.reply.endswith("Replies are automated.")
    assert response.output.handoff.needed
