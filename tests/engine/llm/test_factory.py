"""The factory: providers by name, and the tenant's stored keys overriding the environment's."""

from __future__ import annotations

import pytest

from engine.accounts.secrets import set_secret
from engine.accounts.tenants import TenantInfo
from engine.config import reset_settings_cache
from engine.db import session_scope
from engine.llm import errors
from engine.llm.factory import create_provider, provider_for_tenant, resolve_credentials, split_model_ref
from engine.llm.offline import OfflineProvider
from engine.llm.openai_compatible import OpenAICompatibleProvider
from engine.llm.openai_provider import OpenAIProvider
from engine.llm.together_provider import TogetherAIProvider
from tests.engine.llm.helpers import MESSAGES, configure
from tests.fakes.openai_server import FakeOpenAIServer


@pytest.fixture
def env_keys(monkeypatch: pytest.MonkeyPatch, fake_openai: FakeOpenAIServer) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-key-0000")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.openai_base_url)
    monkeypatch.setenv("TOGETHER_API_KEY", "tg-env-key-0000")
    monkeypatch.setenv("TOGETHER_BASE_URL", fake_openai.base_url)
    reset_settings_cache()


def test_providers_by_name() -> None:
    assert isinstance(create_provider("openai", api_key="sk-1"), OpenAIProvider)
    assert isinstance(create_provider("together", api_key="tg-1"), TogetherAIProvider)
    assert isinstance(
        create_provider("openai_compatible", base_url="http://127.0.0.1:1/v1"), OpenAICompatibleProvider
    )
    assert isinstance(create_provider("offline"), OfflineProvider)
    with pytest.raises(errors.BadRequestError):
        create_provider("anthropic", api_key="x")


def test_paid_providers_need_a_key_and_compatible_servers_a_base_url() -> None:
    with pytest.raises(errors.MissingCredentials):
        create_provider("openai")
    with pytest.raises(errors.MissingCredentials):
        create_provider("together")
    with pytest.raises(errors.MissingCredentials):
        create_provider("openai_compatible")


def test_clients_are_reused_per_key_and_replaced_on_a_new_key() -> None:
    first = create_provider("openai", api_key="sk-aaaa")
    assert create_provider("openai", api_key="sk-aaaa") is first
    assert create_provider("openai", api_key="sk-bbbb") is not first


def test_at_most_cache_size_clients_are_kept_the_least_recently_used_going_first() -> None:
    from engine.llm import factory

    factory.clear_provider_cache()
    first = create_provider("openai", api_key="sk-first")
    for n in range(factory.CACHE_SIZE - 1):
        create_provider("openai", api_key=f"sk-{n}")
    assert create_provider("openai", api_key="sk-first") is first  # used again: now the most recent
    create_provider("openai", api_key="sk-one-more")  # evicts sk-0, the least recently used
    assert create_provider("openai", api_key="sk-first") is first
    assert len(factory._cache) == factory.CACHE_SIZE


def test_the_environment_key_is_used_when_the_tenant_has_none(
    tenant: TenantInfo, env_keys: None, fake_openai: FakeOpenAIServer
) -> None:
    configure(tenant.id, llm_provider="openai")
    with session_scope() as s:
        creds = resolve_credentials(s, tenant.id, "openai")
        provider = provider_for_tenant(s, tenant.id)
    assert (creds.api_key, creds.key_source) == ("sk-env-key-0000", "environment")
    provider.generate(MESSAGES, "gpt-4o-mini")
    assert fake_openai.chat_requests[0].authorization == "Bearer sk-env-key-0000"


def test_the_tenant_key_overrides_the_environment(
    tenant: TenantInfo, env_keys: None, fake_openai: FakeOpenAIServer
) -> None:
    configure(tenant.id, llm_provider="together")
    with session_scope() as s:
        set_secret(s, tenant.id, "openai_api_key", "sk-tenant-1111")
        set_secret(s, tenant.id, "together_api_key", "tg-tenant-2222")
    with session_scope() as s:
        assert resolve_credentials(s, tenant.id, "openai").key_source == "tenant"
        together_provider = provider_for_tenant(s, tenant.id)
        openai_provider = provider_for_tenant(s, tenant.id, "openai")
    together_provider.generate(MESSAGES, "Qwen/Qwen2.5-7B-Instruct-Turbo")
    openai_provider.generate(MESSAGES, "gpt-4o")
    assert [r.authorization for r in fake_openai.chat_requests] == [
        "Bearer tg-tenant-2222",
        "Bearer sk-tenant-1111",
    ]
    assert [r.path for r in fake_openai.chat_requests] == ["/v1/chat/completions"] * 2


def test_the_tenants_base_url_overrides_the_environments(
    tenant: TenantInfo, env_keys: None, fake_openai: FakeOpenAIServer
) -> None:
    with FakeOpenAIServer() as other:
        configure(tenant.id, llm_provider="openai", llm_base_url=other.openai_base_url)
        with session_scope() as s:
            provider_for_tenant(s, tenant.id).generate(MESSAGES, "gpt-4o")
        assert len(other.chat_requests) == 1
    assert fake_openai.chat_requests == []


def test_keys_of_one_tenant_are_not_used_for_another(
    tenant: TenantInfo, fake_openai: FakeOpenAIServer
) -> None:
    from engine.accounts.tenants import create_tenant

    with session_scope() as s:
        other = create_tenant(s, name="Other", slug="other")
        set_secret(s, tenant.id, "openai_api_key", "sk-acme-3333")
    configure(other.id, llm_provider="openai", llm_base_url=fake_openai.openai_base_url)
    with session_scope() as s, pytest.raises(errors.MissingCredentials):
        provider_for_tenant(s, other.id)


def test_model_references_may_name_their_provider() -> None:
    assert split_model_ref("together:meta-llama/Llama-3.3-70B-Instruct-Turbo", "openai") == (
        "together",
        "meta-llama/Llama-3.3-70B-Instruct-Turbo",
    )
    assert split_model_ref("gpt-4o", "openai") == ("openai", "gpt-4o")
    assert split_model_ref("llama3.1:8b", "openai_compatible") == ("openai_compatible", "llama3.1:8b")
