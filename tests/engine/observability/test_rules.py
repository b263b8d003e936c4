"""deploy/prometheus/parley-rules.yml: valid rules (promtool when installed, else parsed), every metric they
name exists on /metrics, and their thresholds are engine/observability/thresholds.py's."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from engine.http.app import create_app
from engine.observability import metrics
from engine.observability.thresholds import BY_KIND, KINDS, PLATFORM_COST_PER_HOUR_USD

RULES = Path(__file__).resolve().parents[3] / "deploy" / "prometheus" / "parley-rules.yml"
SUFFIXES = ("_bucket", "_count", "_sum", "_total")
METRIC = re.compile(r"\bparley_[a-z0-9_]+")


def _rules() -> list[dict]:
    document = yaml.safe_load(RULES.read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def _family(sample_name: str, families: set[str]) -> str | None:
    if sample_name in families:
        return sample_name
    for suffix in SUFFIXES:
        if sample_name.endswith(suffix) and sample_name[: -len(suffix)] in families:
            return sample_name[: -len(suffix)]
    return None


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed here")
def test_promtool_accepts_the_rules_file() -> None:
    result = subprocess.run(["promtool", "check", "rules", str(RULES)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(_rules())} rules found" in result.stdout


def test_every_rule_has_a_name_an_expression_a_severity_and_words() -> None:
    rules = _rules()
    assert len({r["alert"] for r in rules}) == len(rules)
    for rule in rules:
        assert rule["alert"].startswith("Parley") and rule["expr"].strip()
        assert rule["labels"]["severity"] in ("page", "warn")
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]
        assert rule["expr"].count("(") == rule["expr"].count(")"), rule["alert"]


def test_every_metric_a_rule_names_is_on_the_metrics_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metrics, "_queue_collector", metrics.QueueCollector(ttl=0))
    text = TestClient(create_app()).get("/metrics").text
    families = {f.name for f in text_string_to_metric_families(text)}
    named = {m for rule in _rules() for m in METRIC.findall(rule["expr"])}
    assert named, "the rules name parley metrics"
    assert sorted(m for m in named if _family(m, families) is None) == []


def test_each_threshold_is_the_one_the_in_app_alerts_use() -> None:
    by_kind = {r["labels"]["kind"]: r for r in _rules() if "kind" in r["labels"]}
    assert set(by_kind) == set(KINDS), "one Prometheus rule per in-app alert"
    for kind, rule in by_kind.items():
        limit = float(re.search(r">\s*([0-9.]+)\s*$", rule["expr"].strip()).group(1))  # type: ignore[union-attr]
        expected = PLATFORM_COST_PER_HOUR_USD if kind == "cost_per_hour" else BY_KIND[kind].limit
        assert limit == expected, kind


PROMTOOL_CASES = """
rule_files: [{rules}]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'parley_queue_oldest_age_seconds'
        values: '30 60 200 260 320 380'
      - series: 'parley_llm_calls_total{{provider="openai",model="gpt-4o-mini",status="ok"}}'
        values: '0+6x20'
      - series: 'parley_llm_errors_total{{provider="openai",kind="timeout"}}'
        values: '0+4x20'
{turn_series}
    alert_rule_test:
      - eval_time: 8m
        alertname: ParleySlowReplies
        exp_alerts: []
      - eval_time: 25m
        alertname: ParleySlowReplies
        exp_alerts:
          - exp_labels: {{severity: warn, kind: reply_p95}}
            exp_annotations:
              summary: 1 agent reply in 20 takes longer than 15 s
              description: >-
                p95 of the agent's turn is 19.65s. See parley_agent_step_duration_seconds for the slow step
                (llm: the provider; context/knowledge: the database or LanceDB).
      - eval_time: 5m
        alertname: ParleyCustomersWaiting
        exp_alerts:
          - exp_labels: {{severity: page, kind: queue_age}}
            exp_annotations:
              summary: A customer's message has waited more than 2 minutes for the agent
              description: >-
                The oldest waiting message is 6m 20s old; parley_queue_depth_top_tenants shows whose. Are the
                `python -m engine worker` processes running?
      - eval_time: 1m
        alertname: ParleyCustomersWaiting
        exp_alerts: []
      - eval_time: 15m
        alertname: ParleyProviderFailures
        exp_alerts:
          - exp_labels: {{severity: page, kind: provider_failures, provider: openai}}
            exp_annotations:
              summary: More than 25% of requests to openai fail
              description: >-
                The fallback chain is carrying the load (or the offline answers are). parley_llm_errors_total
                by kind: rate_limit, timeout, server, auth.
"""


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed here")
def test_promtool_fires_the_slow_reply_queue_and_provider_alerts_on_sample_series(tmp_path: Path) -> None:
    cases = tmp_path / "cases.yml"
    # Every customer turn takes between 13 and 20 s: p95 interpolates to 13 + 0.95 × 7 = 19.65 s (> 15 s).
    turn_series = "\n".join(
        f'      - series: \'parley_agent_turn_duration_seconds_bucket{{mode="channel",le="{le}"}}\'\n'
        f"        values: '{'0+0x30' if float(le) < 20 else '0+10x30'}'"
        for le in ("1.0", "5.0", "13.0", "20.0", "30.0", "+Inf")
    )
    cases.write_text(PROMTOOL_CASES.format(rules=RULES, turn_series=turn_series))
    result = subprocess.run(["promtool", "test", "rules", str(cases)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
