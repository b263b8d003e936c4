"""The console's facade: settings with masked keys, validation, test connection, spend, the offline banner."""

from __future__ import annotations

from decimal import Decimal

import pytest

from engine.accounts.tenants import TenantInfo
from engine.db import TenantScope, session_scope
from engine.llm import service
from engine.llm.ledger import CallLedger
from engine.llm.service import LLMSettingsError, ProviderSettingsForm
from engine.models import AuditLog, Secret
from tests.engine.llm.helpers import add_spend, configure, llm_calls
from tests.fakes.openai_server import FakeOpenAIServer, Reply, ok, slow, unauthorized


def save(tenant_id: int, **fields: object) -> service.ProviderSettings:
    with session_scope() as s:
        return service.save_provider_settings(
            s, tenant_id, ProviderSettingsForm(**fields), actor_user_id=None
        )  # type: ignore[arg-type]


def test_keys_are_stored_encrypted_and_shown_masked(tenant: TenantInfo) -> None:
    with session_scope() as s:
        masked = service.save_api_key(s, tenant.id, "openai", "sk-live-abcdefgh1234")
    assert masked == "••••1234"
    with session_scope() as s:
        settings = service.get_provider_settings(s, tenant.id)
        raw = s.connection().exec_driver_sql("SELECT value FROM secret").scalar()
        audit_actions = [a.action for a in TenantScope(s, tenant.id).all(AuditLog)]
    openai_key = next(k for k in settings.keys if k.provider == "openai")
    assert (openai_key.masked, openai_key.source) == ("••••1234", "tenant")
    assert "sk-live" not in repr(settings)
    assert "sk-live" not in raw  # encrypted at rest
    assert "llm.key.saved" in audit_actions


def test_environment_keys_show_as_such(tenant: TenantInfo, monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.config import reset_settings_cache

    monkeypatch.setenv("TOGETHER_API_KEY", "tg-env-key-1234")
    reset_settings_cache()
    with session_scope() as s:
        keys = {k.provider: k for k in service.get_provider_settings(s, tenant.id).keys}
    assert (keys["together"].masked, keys["together"].source) == (None, "environment")
    assert keys["openai"].source is None


def test_deleting_a_key(tenant: TenantInfo) -> None:
    with session_scope() as s:
        service.save_api_key(s, tenant.id, "together", "tg-0123456789")
    with session_scope() as s:
        assert service.delete_api_key(s, tenant.id, "together")
        assert TenantScope(s, tenant.id).all(Secret) == []
    with session_scope() as s, pytest.raises(LLMSettingsError):
        service.save_api_key(s, tenant.id, "offline", "whatever-key")


def test_settings_are_saved_with_prices_and_audited(tenant: TenantInfo) -> None:
    settings = save(
        tenant.id,
        provider="openai",
        default_model="gpt-4o",
        fallback_models=["gpt-4o-mini", " gpt-4o ", "gpt-4o-mini", ""],
        temperature=0.5,
        max_tokens=500,
        monthly_budget="25.5",
        soft_limit_ratio=0.75,
    )
    assert settings.provider == "openai"
    assert settings.fallback_models == ["gpt-4o-mini"]  # de-duplicated, default removed
    assert settings.monthly_budget == Decimal("25.50")
    assert [(m.model, m.input_per_million, m.output_per_million) for m in settings.models] == [
        ("gpt-4o", Decimal("2.50"), Decimal("10.00")),
        ("gpt-4o-mini", Decimal("0.15"), Decimal("0.60")),
    ]
    assert settings.pricing_as_of is not None
    assert "gpt-4o" in [m.model for m in settings.catalog["openai"]]
    with session_scope() as s:
        entry = TenantScope(s, tenant.id).first(AuditLog, AuditLog.action == "llm.settings.updated")
    assert entry is not None and entry.details["default_model"]["to"] == "gpt-4o"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"provider": "anthropic"}, "unknown provider"),
        ({"provider": "openai_compatible"}, "base URL"),
        ({"provider": "openai_compatible", "base_url": "ftp://x"}, "http"),
        ({"temperature": 3.0}, "temperature"),
        ({"max_tokens": 5}, "max tokens"),
        ({"monthly_budget": "lots"}, "amount"),
        ({"monthly_budget": "-1"}, "zero or more"),
        ({"soft_limit_ratio": 0}, "soft limit"),
        ({"default_model": " "}, "default model"),
        ({"fallback_models": ["a", "b", "c", "d", "e", "f"]}, "at most 5"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(tenant: TenantInfo, fields: dict, message: str) -> None:
    with pytest.raises(LLMSettingsError, match=message):
        save(tenant.id, **fields)


def test_validation_names_every_refused_field_and_writes_nothing(tenant: TenantInfo) -> None:
    form = ProviderSettingsForm(provider="openai_compatible", monthly_budget="lots", soft_limit_ratio=2)
    with session_scope() as s:
        before = s.connection().exec_driver_sql("SELECT count(*) FROM audit_log").scalar()
        problems = service.validate_provider_settings(s, tenant.id, form)
    assert [p.field for p in problems] == ["base_url", "monthly_budget", "soft_limit_ratio"]
    with session_scope() as s:
        assert service.validate_provider_settings(s, tenant.id, ProviderSettingsForm(provider="openai")) == []
        after = s.connection().exec_driver_sql("SELECT count(*) FROM audit_log").scalar()
        settings = service.get_provider_settings(s, tenant.id)
    assert after == before and settings.provider != "openai_compatible"
    with pytest.raises(LLMSettingsError, match="base URL") as refused:  # the save runs the same checks
        save(tenant.id, provider="openai_compatible", monthly_budget="lots", soft_limit_ratio=2)
    assert refused.value.problems == problems


def test_test_connection_reports_latency(
    tenant: TenantInfo, fake_openai: FakeOpenAIServer, ledger: CallLedger
) -> None:
    save(tenant.id, provider="openai", base_url=fake_openai.openai_base_url, default_model="gpt-4o-mini")
    with session_scope() as s:
        service.save_api_key(s, tenant.id, "openai", "sk-test-key-5555")
    fake_openai.script(ok("OK"))
    with session_scope() as s:
        result = service.test_connection(s, tenant.id)
    assert result.ok and result.error is None
    assert (result.provider, result.model) == ("openai", "gpt-4o-mini")
    assert result.latency_ms >= 0
    assert fake_openai.chat_requests[0].json["max_tokens"] == 16
    assert [(r.purpose, r.status) for r in llm_calls(tenant.id, ledger)] == [("test", "ok")]


def test_test_connection_shows_the_providers_error(
    tenant: TenantInfo, fake_openai: FakeOpenAIServer, ledger: CallLedger
) -> None:
    save(tenant.id, provider="openai", base_url=fake_openai.openai_base_url, default_model="gpt-4o")
    with session_scope() as s:
        service.save_api_key(s, tenant.id, "openai", "sk-wrong-key-6666")
    fake_openai.script(unauthorized())
    with session_scope() as s:
        result = service.test_connection(s, tenant.id)
    assert not result.ok
    assert (result.error, result.error_kind, result.http_status) == (
        "Incorrect API key provided",
        "auth_error",
        401,
    )
    assert len(fake_openai.chat_requests) == 1  # one call, no retry
    assert [(r.purpose, r.status) for r in llm_calls(tenant.id, ledger)] == [("test", "error")]


def test_test_connection_without_a_key_says_so(tenant: TenantInfo) -> None:
    save(tenant.id, provider="together", default_model="Qwen/Qwen2.5-7B-Instruct-Turbo")
    with session_scope() as s:
        result = service.test_connection(s, tenant.id)
    assert not result.ok and result.error_kind == "no_credentials"


def test_test_connection_times_out_quickly(tenant: TenantInfo, fake_openai: FakeOpenAIServer) -> None:
    save(
        tenant.id, provider="openai_compatible", base_url=fake_openai.openai_base_url, default_model="llama3"
    )
    fake_openai.script(slow(1.0))
    with session_scope() as s:
        result = service.test_connection(s, tenant.id, timeout=0.05)
    assert not result.ok and result.error_kind == "timeout"


def test_offline_status_for_the_banner(tenant: TenantInfo, fake_openai: FakeOpenAIServer) -> None:
    def status() -> service.OfflineStatus:
        with session_scope() as s:
            return service.offline_status(s, tenant.id)

    assert status().reason == "configured"  # new tenants start offline
    save(tenant.id, provider="openai", default_model="gpt-4o")
    assert status().reason == "no_credentials"
    with session_scope() as s:
        service.save_api_key(s, tenant.id, "openai", "sk-test-key-7777")
    assert status() == service.OfflineStatus(offline=False, reason=None, message=None)
    configure(tenant.id, monthly_budget=Decimal("1.00"))
    add_spend(tenant.id, "1.00")
    banner = status()
    assert banner.offline and banner.reason == "budget" and "budget" in (banner.message or "")
    with session_scope() as s:
        assert service.is_offline(s, tenant.id)


def test_spend_summary_through_the_facade(tenant: TenantInfo) -> None:
    add_spend(tenant.id, "2.50")
    with session_scope() as s:
        summary = service.spend_summary(s, tenant.id)
    assert summary.status.spent == Decimal("2.500000")
    assert summary.status.remaining == Decimal("47.500000")
    assert summary.state == "ok"


def test_switching_provider_drops_the_old_servers_base_url(tenant: TenantInfo) -> None:
    save(
        tenant.id, provider="openai_compatible", base_url="http://127.0.0.1:11434/v1", default_model="llama3"
    )
    settings = save(tenant.id, provider="openai", default_model="gpt-4o-mini")
    assert settings.base_url is None


def test_test_connection_holds_no_database_connection_during_the_call(
    tenant: TenantInfo, fake_openai: FakeOpenAIServer, ledger: CallLedger
) -> None:
    """The provider call takes seconds: a console click must not pin a pooled connection for that long."""
    from engine.db import get_engine

    save(tenant.id, provider="openai", base_url=fake_openai.openai_base_url, default_model="gpt-4o-mini")
    with session_scope() as s:
        service.save_api_key(s, tenant.id, "openai", "sk-test-key-8888")
    ledger.flush()
    checked_out: list[int] = []

    def responder(request: object) -> Reply:
        checked_out.append(get_engine().pool.checkedout())  # seen from the server, mid-call
        return ok("OK")

    fake_openai.default = responder
    with session_scope() as s:  # as the console runs it: a fresh session around the call
        result = service.test_connection(s, tenant.id)
        assert checked_out == [0]
        assert not s.in_transaction()  # the reads' transaction ended before the call
        assert s.get(AuditLog, 0) is None  # the caller's session is still usable afterwards
    assert result.ok
    assert [(r.purpose, r.status) for r in llm_calls(tenant.id, ledger)] == [("test", "ok")]


def test_test_connection_leaves_the_callers_open_transaction_alone(
    tenant: TenantInfo, fake_openai: FakeOpenAIServer
) -> None:
    """Work the caller has not committed yet is neither committed nor lost by the test."""
    save(tenant.id, provider="openai", base_url=fake_openai.openai_base_url, default_model="gpt-4o-mini")
    with session_scope() as s:
        service.save_api_key(s, tenant.id, "openai", "sk-test-key-9999")
    with pytest.raises(RuntimeError), session_scope() as s:
        service.save_api_key(s, tenant.id, "together", "tg-uncommitted-1")
        assert service.test_connection(s, tenant.id).ok
        assert s.in_transaction()
        raise RuntimeError("the caller changes its mind")
    with session_scope() as s:
        assert [x.kind for x in TenantScope(s, tenant.id).all(Secret)] == ["openai_api_key"]
