"""GET /metrics (engine/observability/metrics.py, engine/http/health.py): Prometheus text that
prometheus_client's own parser reads, with each instrument moving when its event happens."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from engine.config import reset_settings_cache
from engine.conversations import lifecycle
from engine.db import session_scope
from engine.http.app import create_app
from engine.llm.ledger import CallLedger
from engine.llm.types import Attempt
from engine.models import Conversation, MessageQueue, utcnow
from engine.observability import metrics
from tests.engine.conversations.harness import WhatsAppEnv
from tests.factories import make_row, new_tenant

ROOT = Path(__file__).resolve().parents[3]

FAMILIES = {
    "parley_http_request_duration_seconds",
    "parley_agent_turn_duration_seconds",
    "parley_agent_step_duration_seconds",
    "parley_reply_delay_seconds",
    "parley_llm_calls",
    "parley_llm_errors",
    "parley_llm_tokens",
    "parley_llm_cost_usd",
    "parley_handoffs",
    "parley_twilio_errors",
    "parley_campaign_sends",
    "parley_job_runs",
    "parley_job_duration_seconds",
    "parley_queue_read_ok",
    "parley_queue_depth",
    "parley_queue_oldest_age_seconds",
    "parley_queue_depth_top_tenants",
}

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> tuple[set[str], Samples]:
    families: set[str] = set()
    samples: Samples = {}
    for family in text_string_to_metric_families(text):
        families.add(family.name)
        for s in family.samples:
            samples[(s.name, frozenset(s.labels.items()))] = s.value
    return families, samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setattr(metrics, "_queue_collector", metrics.QueueCollector(ttl=0))  # read on every scrape
    return TestClient(create_app())


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200
    return parse(response.text)[1]


def test_the_scrape_is_prometheus_text_with_every_family(client: TestClient) -> None:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    families, samples = parse(response.text)
    assert families >= FAMILIES
    assert value(samples, "parley_queue_read_ok") == 1.0


def test_a_webhook_and_its_reply_move_the_request_turn_step_and_delay_histograms(app_wa: WhatsAppEnv) -> None:
    before = scrape(app_wa.client)
    assert app_wa.inbound("Do you open on Sundays?").status_code == 200
    app_wa.clock.advance(20)
    assert app_wa.worker().tick().replies == 1
    after = scrape(app_wa.client)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    webhook = {"route": "/webhooks/twilio/whatsapp", "method": "POST", "status_class": "2xx"}
    assert grew("parley_http_request_duration_seconds_count", **webhook) == 1
    turns = sum(
        grew("parley_agent_turn_duration_seconds_count", mode="channel", responder=r)
        for r in ("agent", "rules")
    )
    assert turns == 1
    for step in ("sanitize", "spelling", "context", "reply", "record"):
        assert grew("parley_agent_step_duration_seconds_count", step=step) == 1, step
    assert grew("parley_reply_delay_seconds_count") == 1
    assert grew("parley_reply_delay_seconds_sum") >= 20  # the customer waited the burst window and more
    assert grew("parley_llm_calls_total", provider="offline", model="offline-templates", status="ok") >= 1


def test_tokens_cost_and_errors_are_counted_per_provider_and_model(client: TestClient) -> None:
    with session_scope() as session:
        tenant_id = new_tenant(session)
    ledger = CallLedger(flush_interval=0.01)
    before = scrape(client)
    ledger.record(
        tenant_id,
        Attempt("openai", "gpt-4o-mini", "ok", tokens_in=1200, tokens_out=300, cost=Decimal("0.000360")),
    )
    ledger.record(
        tenant_id, Attempt("openai", "gpt-4o-mini", "retry", http_status=429, error_kind="rate_limit")
    )
    ledger.record(tenant_id, Attempt("together", "meta-llama/Llama-3.3-70B", "error", error_kind="timeout"))
    ledger.flush()
    ledger.close()
    after = scrape(client)

    def grew(name: str, **labels: str) -> float:
        return round(value(after, name, **labels) - value(before, name, **labels), 9)

    model = {"provider": "openai", "model": "gpt-4o-mini"}
    assert grew("parley_llm_tokens_total", **model, direction="in") == 1200
    assert grew("parley_llm_tokens_total", **model, direction="out") == 300
    assert grew("parley_llm_cost_usd_total", **model) == 0.00036
    assert grew("parley_llm_calls_total", **model, status="ok") == 1
    assert grew("parley_llm_calls_total", **model, status="retry") == 1
    assert grew("parley_llm_errors_total", provider="openai", kind="rate_limit") == 1
    assert grew("parley_llm_errors_total", provider="together", kind="timeout") == 1


def test_handoffs_are_counted_by_reason_category(client: TestClient) -> None:
    with session_scope() as session:
        tenant_id = new_tenant(session)
        conversation = make_row(session, tenant_id, Conversation)
        conversation_id = int(conversation.id)
    before = scrape(client)
    with session_scope() as session:
        lifecycle.hand_off(
            session, tenant_id, conversation_id, reason="asked for a refund", category="refund"
        )
        lifecycle.hand_off(session, tenant_id, conversation_id, reason="again", category="refund")  # no-op
    after = scrape(client)
    grew = value(after, "parley_handoffs_total", category="refund") - value(
        before, "parley_handoffs_total", category="refund"
    )
    assert grew == 1  # the second call found the conversation with a person already: not a handoff


def test_twilio_errors_are_counted_by_twilio_code(app_wa: WhatsAppEnv) -> None:
    before = scrape(app_wa.client)
    app_wa.fake.fail("messages", status=400, code=63016, message="outside the 24 hour window")
    assert app_wa.inbound("hello").status_code == 200
    app_wa.clock.advance(20)
    app_wa.worker().tick()
    after = scrape(app_wa.client)
    assert (
        value(after, "parley_twilio_errors_total", code="63016")
        - value(before, "parley_twilio_errors_total", code="63016")
        == 1
    )


def test_queue_depth_and_the_oldest_waiting_message_are_read_at_scrape_time(client: TestClient) -> None:
    now = utcnow()
    with session_scope() as session:
        busy, quiet = new_tenant(session), new_tenant(session)
        for tenant_id, ages in ((busy, (300, 30, 10)), (quiet, (60,))):
            for age in ages:
                row = make_row(session, tenant_id, MessageQueue)
                row.queued_at, row.due_at = now - timedelta(seconds=age), now
                session.add(row)
        done = make_row(session, quiet, MessageQueue)
        done.status, done.queued_at = "processed", now - timedelta(hours=5)  # answered: not waiting
        session.add(done)
    samples = scrape(client)
    assert value(samples, "parley_queue_depth") == 4
    assert 299 <= value(samples, "parley_queue_oldest_age_seconds") < 330
    assert value(samples, "parley_queue_depth_top_tenants", tenant_id=str(busy)) == 3
    assert value(samples, "parley_queue_depth_top_tenants", tenant_id=str(quiet)) == 1


def test_the_tenant_label_is_kept_for_the_ten_deepest_queues_only(client: TestClient) -> None:
    with session_scope() as session:
        tenants = [new_tenant(session) for _ in range(12)]
        for n, tenant_id in enumerate(tenants):
            for _ in range(1 + n % 3):
                make_row(session, tenant_id, MessageQueue)
    samples = scrape(client)
    labelled = [k for k in samples if k[0] == "parley_queue_depth_top_tenants"]
    assert len(labelled) == metrics.TOP_TENANTS == 10
    assert value(samples, "parley_queue_depth") == sum(1 + n % 3 for n in range(12))


def test_a_path_no_route_matches_is_one_series_not_one_per_path(client: TestClient) -> None:
    for path in ("/api/v2/anything", "/api/nothing/here", "/webhooks/elsewhere"):
        assert client.get(path).status_code == 404
    routes = {dict(k[1]).get("route") for k in scrape(client) if k[0].startswith("parley_http_request")}
    assert "unmatched" in routes and not {"/api/v2/anything", "/api/nothing/here"} & routes


def test_the_consoles_pages_and_assets_are_not_the_engines_requests() -> None:
    """Reflex adds the console's routes to the engine's app after create_app (api_transformer): they pass
    through untimed and unlogged, so the histogram is the webhooks' and the API's."""
    from fastapi.responses import PlainTextResponse

    app = create_app()
    app.add_api_route("/{path:path}", lambda path: PlainTextResponse("page"), methods=["GET"])
    client = TestClient(app)
    for path in ("/conversations", "/_next/static/app.js", "/"):
        assert client.get(path).text == "page"
    assert "x-request-id" not in client.get("/conversations").headers
    assert "x-request-id" in client.get("/healthz").headers
    routes = {dict(k[1]).get("route") for k in scrape(client) if k[0].startswith("parley_http_request")}
    assert "/{path:path}" not in routes and "/{path}" not in routes and "/healthz" in routes


def test_model_names_and_twilio_codes_from_outside_are_folded_after_a_limit() -> None:
    label = metrics.Bounded(limit=2)
    assert [label(v) for v in ("a", "b", "c", "a", None)] == ["a", "b", "other", "a", "other"]


def test_metrics_token_protects_the_scrape_when_set(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("METRICS_TOKEN", "scrape-me-please")
    reset_settings_cache()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    ok = client.get("/metrics", headers={"Authorization": "Bearer scrape-me-please"})
    assert ok.status_code == 200 and "parley_queue_depth" in ok.text


def test_several_processes_add_up_in_multiprocess_mode(tmp_path: Path) -> None:
    """Two worker processes record handoffs; a third renders /metrics' body from the shared directory."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    record = textwrap.dedent(
        """
        import sys
        from engine.observability import metrics
        for _ in range(int(sys.argv[1])):
            metrics.count_handoff("multiprocess_test")
        metrics.observe_turn("channel", "agent", 1.5)
        """
    )
    for times in ("2", "3"):
        subprocess.run([sys.executable, "-c", record, times], check=True, env=env, cwd=ROOT)
    render = textwrap.dedent(
        """
        import sys
        from engine.observability import metrics
        empty = metrics.QueueCollector(lambda: metrics.QueueFigures(0, 0.0, []))
        sys.stdout.write(metrics.render(empty).decode())
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", render], check=True, env=env, cwd=ROOT, capture_output=True, text=True
    ).stdout
    _, samples = parse(out)
    assert value(samples, "parley_handoffs_total", category="multiprocess_test") == 5
    assert value(samples, "parley_agent_turn_duration_seconds_count", mode="channel", responder="agent") == 2


def test_campaign_sends_are_counted_by_outcome_when_the_dispatcher_records_them(client: TestClient) -> None:
    from engine.campaigns.claims import Claimed, Claims
    from engine.campaigns.transport import SendResult
    from engine.models import CampaignRecipient

    with session_scope() as session:
        tenant_id = new_tenant(session)
        ids = [int(make_row(session, tenant_id, CampaignRecipient).id) for _ in range(3)]
    claimed = [Claimed(i, "whatsapp:+447700900001", {}, False, utcnow()) for i in ids]
    results = [SendResult("ok", "SM1", "queued"), SendResult("ok", "SM2", "queued"), SendResult("refused")]
    before = scrape(client)
    Claims("worker-1", 30).record(tenant_id, claimed, results)
    after = scrape(client)
    for outcome, n in (("ok", 2), ("refused", 1)):
        name = "parley_campaign_sends_total"
        assert value(after, name, outcome=outcome) - value(before, name, outcome=outcome) == n


def test_a_multiprocess_directory_that_is_not_there_stops_the_start_with_a_clear_message(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "missing")}
    result = subprocess.run(
        [sys.executable, "-c", "import engine.observability.metrics"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "PROMETHEUS_MULTIPROC_DIR" in result.stderr and "is not a directory" in result.stderr
