"""Operator defaults: DEFAULT_LLM_PROVIDER/DEFAULT_LLM_MODEL, else the environment's key, else offline.

With only OPENAI_API_KEY and OPENAI_BASE_URL (the scripted fake server) in the environment, the demo tenant
and a tenant made by `create-tenant` answer a real turn through it.
"""

from __future__ import annotations

import json

import pytest

from engine.accounts.tenants import create_tenant, initial_llm
from engine.agent import playground
from engine.agent.persona import AgentConfigurationService
from engine.cli import main
from engine.config import Settings, reset_settings_cache
from engine.db import session_scope
from engine.demo import seed_demo
from tests.engine.agent.conftest import turn
from tests.fakes.openai_server import FakeOpenAIServer, fake_openai, ok

FIXTURES = (fake_openai,)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ("offline", "gpt-4o-mini")),
        ({"OPENAI_API_KEY": "sk-x"}, ("openai", "gpt-4o-mini")),
        ({"TOGETHER_API_KEY": "t-x"}, ("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo")),
        ({"OPENAI_API_KEY": "sk-x", "DEFAULT_LLM_PROVIDER": "offline"}, ("offline", "gpt-4o-mini")),
        ({"OPENAI_API_KEY": "sk-x", "DEFAULT_LLM_MODEL": "gpt-4.1-mini"}, ("openai", "gpt-4.1-mini")),
    ],
)
def test_what_a_new_tenant_starts_on(monkeypatch: pytest.MonkeyPatch, env, expected) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    reset_settings_cache()
    assert initial_llm() == expected
    assert initial_llm("together") == ("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo")
    assert initial_llm("openai", "gpt-4.1-nano") == ("openai", "gpt-4.1-nano")


def test_an_unknown_default_provider_is_refused_by_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEFAULT_LLM_PROVIDER", "skynet")
    with pytest.raises(ValueError, match="DEFAULT_LLM_PROVIDER"):
        Settings()


def _answer(tenant_id: int, server: FakeOpenAIServer, text: str) -> str:
    server.script(ok(turn("We open at nine.")))
    with session_scope() as s:
        chat = playground.start_playground(s, tenant_id)
    return playground.send(tenant_id, chat.conversation_id, text).text


def test_the_demo_and_a_cli_tenant_answer_through_the_environments_openai(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fake_openai: FakeOpenAIServer
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-operator-key")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.openai_base_url)
    reset_settings_cache()
    with session_scope() as s:
        demo_id = seed_demo(s).tenant_id
    assert (
        main(
            [
                "create-tenant",
                "--name",
                "Bloom",
                "--slug",
                "bloom",
                "--whatsapp-from",
                "whatsapp:+447700900777",
            ]
        )
        == 0
    )
    bloom_id = json.loads(capsys.readouterr().out)["id"]
    for tenant_id in (demo_id, bloom_id):
        with session_scope() as s:
            persona = AgentConfigurationService.get(s, tenant_id, fresh=True)
        assert persona.llm_provider == "openai"
        before = len(fake_openai.chat_requests)
        assert _answer(tenant_id, fake_openai, "when do you open?").startswith("We open at nine.")
        assert len(fake_openai.chat_requests) > before
        assert fake_openai.chat_requests[-1].headers.get("authorization") == "Bearer sk-operator-key"


def test_create_tenant_flags_override_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["create-tenant", "--name", "T", "--slug", "t", "--whatsapp-from", "whatsapp:+447700900778"]
    assert main([*argv, "--llm-provider", "together", "--llm-model", "Qwen/Qwen2.5-7B-Instruct-Turbo"]) == 0
    tenant_id = json.loads(capsys.readouterr().out)["id"]
    with session_scope() as s:
        persona = AgentConfigurationService.get(s, tenant_id, fresh=True)
    assert (persona.llm_provider, persona.default_model) == ("together", "Qwen/Qwen2.5-7B-Instruct-Turbo")
    assert (
        main([*argv[:4], "u", "--whatsapp-from", "whatsapp:+447700900779", "--llm-provider", "skynet"]) == 2
    )
    assert capsys.readouterr().err.startswith("error: LLM provider must be one of")
    with session_scope() as s:
        assert create_tenant(s, name="V", slug="v").whatsapp_senders == []
