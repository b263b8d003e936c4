"""Persona: cached read invalidated on update, validation, defaults, the rendered prompt, and the preview."""

from __future__ import annotations

import pytest

from engine.accounts.tenants import create_tenant
from engine.agent.persona import (
    CACHE_TTL_SECONDS,
    AgentConfigurationService,
    PersonaForm,
    PersonaSettings,
    PersonaValidationError,
    apply_persona,
    cache_key,
    check_model,
)
from engine.agent.preview import preview_persona
from engine.cache import get_cache
from engine.db import TenantScope, session_scope
from engine.models import AgentConfiguration, AuditLog
from tests.engine.agent.conftest import Shop, configure, turn
from tests.fakes.openai_server import FakeOpenAIServer, ok

Service = AgentConfigurationService


def test_a_new_tenant_starts_with_the_defaults() -> None:
    with session_scope() as s:
        tenant_id = create_tenant(s, name="New Shop", slug="new-shop").id
        settings = Service.get(s, tenant_id)
    defaults = Service.defaults()
    assert settings.agent_name == defaults.agent_name == "Assistant"
    assert settings.tone == "friendly" and settings.confidence_threshold == 0.55
    assert settings.required_disclaimers == () and settings.enable_rich_messages


def test_get_is_cached_for_five_minutes_and_an_update_invalidates_it(shop: Shop) -> None:
    with session_scope() as s:
        assert Service.get(s, shop.tenant_id).agent_name == "Maya"
    cached = get_cache().get(cache_key(shop.tenant_id))
    assert cached["agent_name"] == "Maya" and CACHE_TTL_SECONDS == 300
    # Reads come from the cache while the entry lives...
    get_cache().set(cache_key(shop.tenant_id), {**cached, "agent_name": "From cache"}, CACHE_TTL_SECONDS)
    with session_scope() as s:
        assert Service.get(s, shop.tenant_id).agent_name == "From cache"
        # ...and an update through the service is seen at once, in its own transaction too.
        updated = Service.update(
            s, shop.tenant_id, PersonaForm(agent_name="Zoe", tone="formal"), actor_user_id=None
        )
        assert (updated.agent_name, updated.tone) == ("Zoe", "formal")
        assert Service.get(s, shop.tenant_id).agent_name == "Zoe"
    with session_scope() as s:
        assert Service.get(s, shop.tenant_id).agent_name == "Zoe"
        audit = TenantScope(s, shop.tenant_id).first(AuditLog, AuditLog.action == "agent.persona.updated")
        assert audit is not None and audit.details["agent_name"] == {"from": "Maya", "to": "Zoe"}


def test_any_committed_write_to_the_configuration_invalidates_the_cache(shop: Shop) -> None:
    """The AI providers tab, a re-embed or a script write the same row: none of them may leave the agent
    answering with a five-minute-old model or persona."""
    from engine.llm import service as llm_service

    with session_scope() as s:
        assert Service.get(s, shop.tenant_id).default_model != "gpt-4.1-mini"
    with session_scope() as s:
        llm_service.save_provider_settings(
            s,
            shop.tenant_id,
            llm_service.ProviderSettingsForm(provider="openai", default_model="gpt-4.1-mini"),
            actor_user_id=None,
        )
    with session_scope() as s:
        assert Service.get(s, shop.tenant_id).default_model == "gpt-4.1-mini"
    # A write straight to the row, outside every service, once committed.
    with session_scope() as s:
        row = TenantScope(s, shop.tenant_id).first(AgentConfiguration)
        row.agent_name = "Direct"
        s.add(row)
    with session_scope() as s:
        assert Service.get(s, shop.tenant_id).agent_name == "Direct"
    # A write that rolls back leaves the cached (still true) copy alone.
    with pytest.raises(RuntimeError), session_scope() as s:
        row = TenantScope(s, shop.tenant_id).first(AgentConfiguration)
        row.agent_name = "Never"
        s.add(row)
        s.flush()
        raise RuntimeError("abort")
    assert get_cache().get(cache_key(shop.tenant_id))["agent_name"] == "Direct"


def test_the_cached_value_round_trips_through_json() -> None:
    settings = PersonaSettings(agent_name="Maya", personality_traits=("warm",), fallback_models=("gpt-4o",))
    assert PersonaSettings.from_dict(settings.to_dict()) == settings


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (PersonaForm(agent_name="  "), "agent_name"),
        (PersonaForm(agent_name="x" * 61), "agent_name"),
        (PersonaForm(tone="sarcastic"), "tone"),
        (PersonaForm(temperature=2.5), "temperature"),
        (PersonaForm(temperature="warm"), "temperature"),
        (PersonaForm(max_tokens=8), "max_tokens"),
        (PersonaForm(confidence_threshold=1.2), "confidence_threshold"),
        (PersonaForm(max_low_confidence_turns=0), "max_low_confidence_turns"),
        (PersonaForm(required_disclaimers=["Fit advice is general guidance.", "  "]), "required_disclaimers"),
        (PersonaForm(personality_traits=[f"trait {i}" for i in range(11)]), "personality_traits"),
        (PersonaForm(default_model="gpt-5-turbo-ultra"), "default_model"),
        (PersonaForm(fallback_models=["gpt-4o", "gtp-4o-mni"]), "fallback_models"),
    ],
)
def test_invalid_updates_are_refused_and_nothing_is_written(
    shop: Shop, form: PersonaForm, field: str
) -> None:
    form.greeting_message = "A valid change that must not be saved either"
    with session_scope() as s:
        with pytest.raises(PersonaValidationError) as caught:
            Service.update(s, shop.tenant_id, form)
        assert field in {p.field for p in caught.value.problems}
    with session_scope() as s:
        assert Service.get(s, shop.tenant_id, fresh=True).greeting_message is None


def test_every_problem_is_reported_at_once(shop: Shop) -> None:
    with session_scope() as s:
        problems = Service.validate(s, shop.tenant_id, PersonaForm(tone="rude", temperature=9, max_tokens=1))
    assert {p.field for p in problems} == {"tone", "temperature", "max_tokens"}


def test_textarea_input_is_split_cleaned_and_deduplicated(shop: Shop) -> None:
    with session_scope() as s:
        settings = Service.update(
            s,
            shop.tenant_id,
            {
                "personality_traits": "warm\n\n  concise   and clear \nwarm",
                "required_disclaimers": "Prices include VAT.\n\nStock changes quickly.",
                "handoff_topics": ["legal threat", "legal threat", ""],
                "temperature": "0.7",
                "max_tokens": "450",
                "fallback_models": "gpt-4.1-mini\ntogether:meta-llama/Llama-3.3-70B-Instruct-Turbo",
            },
        )
    assert settings.personality_traits == ("warm", "concise and clear")
    assert settings.required_disclaimers == ("Prices include VAT.", "Stock changes quickly.")
    assert settings.handoff_topics == ("legal threat",)
    assert (settings.temperature, settings.max_tokens) == (0.7, 450)
    assert settings.fallback_models == ("gpt-4.1-mini", "together:meta-llama/Llama-3.3-70B-Instruct-Turbo")


def test_models_must_exist_except_on_self_hosted_servers() -> None:
    assert check_model("gpt-4o-mini", "openai") is None
    assert check_model("gpt-4o-2024-08-06", "openai") is None  # a dated snapshot of a known family
    assert "not a known openai model" in (check_model("gpt-4o-mega", "openai") or "")
    assert check_model("llama3.1:8b", "openai_compatible") is None
    assert check_model("", "openai") == "must not be empty"


def test_reset_to_defaults_keeps_the_model_settings(shop: Shop) -> None:
    configure(shop.tenant_id, default_model="gpt-4.1-mini")
    with session_scope() as s:
        settings = Service.reset_to_defaults(s, shop.tenant_id)
    assert settings.agent_name == "Assistant" and settings.required_disclaimers == ()
    assert settings.default_model == "gpt-4.1-mini"


def test_apply_persona_renders_every_part_of_the_persona() -> None:
    settings = PersonaSettings(
        agent_name="Maya",
        personality_traits=("warm and upbeat",),
        tone="playful",
        greeting_message="Hi, I'm Maya!",
        behavioral_restrictions=("Never ask for card numbers.",),
        required_disclaimers=("Fit advice is general guidance.",),
        handoff_topics=("refund dispute", "legal threat"),
    )
    prompt = apply_persona(settings, business_name="Stride & Co.")
    assert prompt.startswith("You are Maya, the WhatsApp customer-service assistant of Stride & Co.")
    for text in (
        "- warm and upbeat",
        "Tone: playful",
        "Hi, I'm Maya!",
        "- Never ask for card numbers.",
        '- "Fit advice is general guidance."',
        "refund dispute; legal threat",
    ):
        assert text in prompt
    assert apply_persona(settings, business_name="Stride & Co.") == prompt  # stable: prompt caching


def test_preview_renders_the_draft_and_a_sample_reply_without_saving(shop: Shop) -> None:
    form = PersonaForm(agent_name="Zed", tone="formal", required_disclaimers=["Prices include VAT."])
    with session_scope() as s:
        preview = preview_persona(s, shop.tenant_id, form, "what time do you open on sunday?")
    assert "You are Zed" in preview.system_prompt and "Tone: formal" in preview.system_prompt
    # The draft's disclaimer goes with an answer about its topic (prices), not with the opening hours.
    assert "Sunday 11:00-17:00" in preview.reply and "Prices include VAT." not in preview.reply
    with session_scope() as s:
        priced = preview_persona(s, shop.tenant_id, form, "what is the price of the chelsea boots?")
    assert "£120.00" in priced.reply and priced.reply.endswith("Prices include VAT.")
    assert preview.provider == "offline" and not preview.problems
    assert {step["name"] for step in preview.trace} >= {"spelling", "intents", "retrieval", "llm", "handoff"}
    with session_scope() as s:
        assert Service.get(s, shop.tenant_id, fresh=True).agent_name == "Maya"  # nothing saved


def test_preview_reports_problems_instead_of_replying(shop: Shop) -> None:
    with session_scope() as s:
        preview = preview_persona(s, shop.tenant_id, {"tone": "grumpy"}, "hi")
    assert [p.field for p in preview.problems] == ["tone"] and preview.reply == ""
    assert "You are Maya" in preview.system_prompt  # the saved persona's prompt, still shown


def test_preview_with_a_model_sends_the_draft_persona(shop: Shop, scripted_llm: FakeOpenAIServer) -> None:
    scripted_llm.script(ok(turn("Good day. We open at 11:00 on Sundays.", confidence=0.92)))
    with session_scope() as s:
        preview = preview_persona(
            s, shop.tenant_id, {"agent_name": "Zed", "temperature": 0.1}, "open sunday?"
        )
    (request,) = scripted_llm.chat_requests
    assert request.messages[0]["content"].startswith("You are Zed")
    assert request.json["temperature"] == 0.1
    assert preview.reply.startswith("Good day.") and preview.model == request.model
