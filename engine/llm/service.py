"""What the console's Settings → AI providers page and the offline banner call (DESIGN.md §2: the console
imports engine services only and holds page-sized DTOs, never ORM objects or clear-text keys).

    get_provider_settings(session, tenant_id)            -> ProviderSettings (keys masked, model prices)
    validate_provider_settings(session, tenant_id, form) -> [SettingsProblem] (what a save would refuse)
    save_provider_settings(session, tenant_id, form, …)  -> ProviderSettings (validated, audited)
    check_api_key(session, tenant_id, provider, value)   -> KeyCheck (one cheap authenticated call, 6 s)
    save_api_key / delete_api_key(session, tenant_id, provider, …)
    test_connection(session, tenant_id, …)               -> ConnectionTest (one real call: latency or error)
    spend_summary(session, tenant_id)                     -> SpendSummary (budget, spent, per model, per day)
    offline_status(session, tenant_id) / is_offline(…)    -> the banner
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlparse

from sqlmodel import Session

from engine.accounts import audit
from engine.accounts.secrets import delete_secret, masked_secrets, set_secret
from engine.db import TenantScope
from engine.llm.budget import SpendSummary, budget_status
from engine.llm.budget import spend_summary as _spend_summary
from engine.llm.errors import LLMError
from engine.llm.factory import (
    KEY_KINDS,
    PROVIDER_NAMES,
    REMOTE_PROVIDERS,
    environment_credentials,
    provider_for_tenant,
    resolve_credentials,
    split_model_ref,
)
from engine.llm.fallback import log_attempt
from engine.llm.ledger import CallLedger, default_ledger
from engine.llm.model_chain import MAX_FALLBACKS
from engine.llm.pricing import load_pricing, model_info
from engine.llm.types import Attempt
from engine.models import AgentConfiguration, AuditLog, utcnow

PROVIDER_LABELS = {
    "offline": "Offline (no model: answers from knowledge and catalog)",
    "openai": "OpenAI",
    "together": "Together AI",
    "openai_compatible": "OpenAI-compatible server (vLLM, Ollama, llama.cpp)",
}
TEST_PROMPT = [{"role": "user", "content": "Reply with the single word OK."}]
OFFLINE_MESSAGES = {
    "configured": "The AI agent runs on the offline provider: answers come from your knowledge base and "
    "catalog.",
    "no_credentials": "No API key is set for the AI provider: answers come from your knowledge base and "
    "catalog.",
    "budget": "This month's AI budget is used up: answers come from your knowledge base and catalog until it "
    "is raised or the month ends.",
}


class LLMSettingsError(ValueError):
    """Settings refused; the message says why and is safe to show."""

    def __init__(self, message: str, problems: list[SettingsProblem] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])


@dataclass(frozen=True, slots=True)
class ModelOption:
    provider: str
    model: str
    input_per_million: Decimal
    output_per_million: Decimal
    tier: int
    priced: bool


@dataclass(frozen=True, slots=True)
class KeyStatus:
    provider: str
    kind: str
    masked: str | None  # "••••1234" when the tenant stored a key
    source: str | None  # "tenant" | "environment" | None: which key calls will use
    verified: bool | None = None  # the stored key passed its check when saved; False: saved unverified


@dataclass(frozen=True, slots=True)
class KeyCheck:
    """What the provider said about a key before it was saved: `message` is in words, fit for the form."""

    ok: bool
    message: str
    http_status: int | None = None


@dataclass(frozen=True, slots=True)
class ProviderSettings:
    provider: str
    base_url: str | None
    default_model: str
    fallback_models: list[str]
    temperature: float
    max_tokens: int
    monthly_budget: Decimal
    soft_limit_ratio: float
    keys: list[KeyStatus]
    models: list[ModelOption]  # the chosen models with their prices, in chain order
    catalog: dict[str, list[ModelOption]]  # priced models per provider, for the pickers
    providers: list[tuple[str, str]] = field(default_factory=lambda: list(PROVIDER_LABELS.items()))
    pricing_as_of: date | None = None
    currency: str = "USD"


@dataclass(slots=True)
class ProviderSettingsForm:
    """What the settings form submits; every field optional so a page can save part of it."""

    provider: str | None = None
    base_url: str | None = None
    default_model: str | None = None
    fallback_models: list[str] | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    monthly_budget: Decimal | str | None = None
    soft_limit_ratio: float | None = None


@dataclass(frozen=True, slots=True)
class ConnectionTest:
    ok: bool
    provider: str
    model: str
    latency_ms: int
    error: str | None = None  # the provider's own message
    error_kind: str | None = None  # auth_error | bad_request | rate_limited | unavailable | timeout | ...
    http_status: int | None = None


@dataclass(frozen=True, slots=True)
class OfflineStatus:
    offline: bool
    reason: str | None  # configured | no_credentials | budget
    message: str | None  # banner text


def _config(session: Session, tenant_id: int) -> AgentConfiguration:
    config = TenantScope(session, tenant_id).first(AgentConfiguration)
    if config is None:
        config = TenantScope(session, tenant_id).add(AgentConfiguration())
    return config


def _option(provider: str, model: str) -> ModelOption:
    info = model_info(provider, model)
    return ModelOption(
        provider=provider,
        model=model,
        input_per_million=info.input_per_million,
        output_per_million=info.output_per_million,
        tier=info.tier,
        priced=info.priced,
    )


def model_catalog() -> dict[str, list[ModelOption]]:
    """Priced models per provider (the pricing table), for the model pickers."""
    table = load_pricing()
    return {p: [_option(p, i.model) for i in table.models(p)] for p in REMOTE_PROVIDERS}


def get_provider_settings(session: Session, tenant_id: int) -> ProviderSettings:
    config = _config(session, tenant_id)
    masked = masked_secrets(session, tenant_id)
    keys = []
    checks = _key_checks(session, tenant_id)
    for provider, kind in KEY_KINDS.items():
        env_key, _ = environment_credentials(provider)
        source = "tenant" if kind in masked else ("environment" if env_key else None)
        verified = checks.get(kind) if kind in masked else None
        keys.append(
            KeyStatus(provider=provider, kind=kind, masked=masked.get(kind), source=source, verified=verified)
        )
    chain = [
        split_model_ref(ref, config.llm_provider) for ref in [config.default_model, *config.fallback_models]
    ]
    models = [_option(p, m) for p, m in chain] if config.llm_provider != "offline" else []
    return ProviderSettings(
        provider=config.llm_provider,
        base_url=config.llm_base_url,
        default_model=config.default_model,
        fallback_models=list(config.fallback_models),
        temperature=config.temperature,
        max_tokens=config.max_tokens,
        monthly_budget=config.monthly_budget,
        soft_limit_ratio=config.budget_soft_limit_ratio,
        keys=keys,
        models=models,
        catalog=model_catalog(),
        pricing_as_of=load_pricing().as_of,
        currency=load_pricing().currency,  # AI spend and budgets are in the providers' billing currency
    )


@dataclass(frozen=True, slots=True)
class SettingsProblem:
    """One refused field of the provider settings form (the form's field name) and why."""

    field: str
    message: str


def _checked_changes(
    config: AgentConfiguration, form: ProviderSettingsForm
) -> tuple[dict[str, object], list[SettingsProblem]]:
    """The configuration columns the form changes, and every field it gets wrong (each checked on its own,
    so a page can show all of them at once)."""
    changes: dict[str, object] = {}
    problems: list[SettingsProblem] = []

    def refuse(name: str, message: str) -> None:
        problems.append(SettingsProblem(name, message))

    provider = form.provider if form.provider is not None else config.llm_provider
    if provider not in PROVIDER_NAMES:
        refuse("provider", f"unknown provider {provider!r}")
    changes["llm_provider"] = provider

    if form.base_url is not None:
        base_url = form.base_url.strip() or None
    else:
        # A base URL belongs to its provider: switching from a local server to OpenAI must not keep it.
        base_url = config.llm_base_url if provider == config.llm_provider else None
    if base_url is not None:
        parsed = urlparse(base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            refuse("base_url", "the base URL must start with http:// or https:// and name a host")
        base_url = base_url.rstrip("/")
    elif provider == "openai_compatible":
        refuse("base_url", "an OpenAI-compatible server needs its base URL (e.g. http://localhost:8000/v1)")
    changes["llm_base_url"] = base_url

    if form.default_model is not None:
        name = form.default_model.strip()
        if not name or len(name) > 80:
            refuse("default_model", "the default model must be 1-80 characters")
        changes["default_model"] = name
    if form.fallback_models is not None:
        default = changes.get("default_model", config.default_model)
        fallbacks = [m.strip() for m in form.fallback_models if m and m.strip()]
        fallbacks = [m for m in dict.fromkeys(fallbacks) if m != default]
        if any(len(m) > 80 for m in fallbacks):
            refuse("fallback_models", "model names are at most 80 characters")
        elif len(fallbacks) > MAX_FALLBACKS:
            refuse("fallback_models", f"at most {MAX_FALLBACKS} fallback models")
        changes["fallback_models"] = fallbacks
    if form.temperature is not None:
        if not 0 <= form.temperature <= 2:
            refuse("temperature", "temperature must be between 0 and 2")
        changes["temperature"] = float(form.temperature)
    if form.max_tokens is not None:
        if not 16 <= form.max_tokens <= 16384:
            refuse("max_tokens", "max tokens must be between 16 and 16384")
        changes["max_tokens"] = int(form.max_tokens)
    if form.monthly_budget is not None:
        try:
            budget = Decimal(str(form.monthly_budget).strip())
        except InvalidOperation:
            refuse("monthly_budget", "the monthly budget must be an amount, e.g. 50.00")
        else:
            if not budget.is_finite() or budget < 0 or budget >= Decimal("10000000000"):
                refuse("monthly_budget", "the monthly budget must be zero or more")
            else:
                changes["monthly_budget"] = budget.quantize(Decimal("0.01"))
    if form.soft_limit_ratio is not None:
        if not 0 < form.soft_limit_ratio <= 1:
            refuse("soft_limit_ratio", "the soft limit must be between 0 and 100% of the budget")
        changes["budget_soft_limit_ratio"] = float(form.soft_limit_ratio)
    return changes, problems


def validate_provider_settings(
    session: Session, tenant_id: int, form: ProviderSettingsForm
) -> list[SettingsProblem]:
    """Every field the save would refuse, and why; reads only (nothing is written, not even a default row)."""
    config = TenantScope(session, tenant_id).first(AgentConfiguration) or AgentConfiguration()
    return _checked_changes(config, form)[1]


def save_provider_settings(
    session: Session,
    tenant_id: int,
    form: ProviderSettingsForm,
    *,
    actor_user_id: int | None = None,
) -> ProviderSettings:
    """Validate and store the provider settings; nothing is written when any field is refused (the error
    names the first refusal and carries them all)."""
    config = _config(session, tenant_id)
    changes, problems = _checked_changes(config, form)
    if problems:
        raise LLMSettingsError(problems[0].message, problems)

    before = {k: getattr(config, k) for k in changes}
    for key, value in changes.items():
        setattr(config, key, value)
    config.updated_at = utcnow()
    session.add(config)
    session.flush()
    changed = {k: {"from": str(before[k]), "to": str(v)} for k, v in changes.items() if before[k] != v}
    if changed:
        audit.record(
            session,
            tenant_id,
            "llm.settings.updated",
            actor_user_id=actor_user_id,
            actor_label="console",
            target_type="agent_configuration",
            target_id=config.id,
            details=changed,
        )
    default_ledger().invalidate(tenant_id)  # a new budget takes effect on the next call
    return get_provider_settings(session, tenant_id)


def _key_kind(provider: str) -> str:
    kind = KEY_KINDS.get(provider)
    if kind is None:
        raise LLMSettingsError(f"{provider!r} takes no API key")
    return kind


KEY_CHECK_TIMEOUT = 6.0
KEY_CHECK_WORDS = {
    401: "the provider does not accept this key (it may be mistyped, revoked or for another account)",
    403: "this key is not allowed to use the provider's models (check its permissions or project)",
    404: "the provider's address did not answer as expected (check the server address)",
    429: "the provider is limiting requests for this key right now (quota or rate limit)",
}


def check_api_key(
    session: Session, tenant_id: int, provider: str, value: str, *, timeout: float = KEY_CHECK_TIMEOUT
) -> KeyCheck:
    """Ask the provider whether it accepts `value`, before it is saved: one authenticated listing of its
    models (no tokens billed), with a short timeout and no retry. Never raises for the provider's answer."""
    _key_kind(provider)
    began_here = not session.in_transaction()
    config = _config(session, tenant_id)
    _, env_url = environment_credentials(provider)
    base_url = (config.llm_base_url if provider == config.llm_provider else None) or env_url
    if provider == "openai_compatible" and not base_url:
        return KeyCheck(False, "set the server address first, then the key can be checked")
    _end_reads(session, began_here)  # no connection held during the call
    try:
        if provider == "together":
            from engine.llm.together_provider import together_client

            together_client(value.strip(), base_url, timeout).models.list()
        else:
            import openai

            openai.OpenAI(
                api_key=value.strip(), base_url=base_url or None, timeout=timeout, max_retries=0
            ).models.list()
    except Exception as exc:  # each SDK has its own classes; the status code and the kind are what matter
        status = getattr(exc, "status_code", None) or getattr(exc, "http_status", None)
        if isinstance(status, int):
            words = KEY_CHECK_WORDS.get(status, f"the provider answered with an error ({status})")
            return KeyCheck(False, words, status)
        if "timeout" in type(exc).__name__.lower():
            return KeyCheck(False, f"the provider did not answer within {timeout:.0f} seconds")
        return KeyCheck(False, "the provider could not be reached from this server")
    return KeyCheck(True, "the provider accepted the key", 200)


def _key_checks(session: Session, tenant_id: int) -> dict[str, bool]:
    """Per key kind: whether its last save was checked and accepted (audit rows of "llm.key.saved")."""
    rows = TenantScope(session, tenant_id).all(AuditLog, AuditLog.action == "llm.key.saved")
    latest: dict[str, bool] = {}
    for row in sorted(rows, key=lambda r: r.id or 0):
        details = row.details if isinstance(row.details, dict) else {}
        latest[str(row.target_id)] = details.get("verified") is not False
    return latest


def save_api_key(
    session: Session,
    tenant_id: int,
    provider: str,
    value: str,
    *,
    actor_user_id: int | None = None,
    verified: bool | None = None,
) -> str:
    """Store a key encrypted; returns the masked form ("••••1234"), the only form ever shown again.

    `verified`: what `check_api_key` said (False: the owner chose to save it anyway, and Settings marks it
    "Unverified" until a key that passes replaces it); None when no check ran (the CLI)."""
    value = (value or "").strip()
    if len(value) < 8 or any(c.isspace() for c in value):
        raise LLMSettingsError("that does not look like an API key")
    kind = _key_kind(provider)
    last4 = set_secret(session, tenant_id, kind, value)
    audit.record(
        session,
        tenant_id,
        "llm.key.saved",
        actor_user_id=actor_user_id,
        actor_label="console",
        target_type="secret",
        target_id=kind,
        details={"provider": provider, "last4": last4, "verified": verified},
    )
    return f"••••{last4}"


def delete_api_key(
    session: Session, tenant_id: int, provider: str, *, actor_user_id: int | None = None
) -> bool:
    kind = _key_kind(provider)
    deleted = delete_secret(session, tenant_id, kind)
    if deleted:
        audit.record(
            session,
            tenant_id,
            "llm.key.deleted",
            actor_user_id=actor_user_id,
            actor_label="console",
            target_type="secret",
            target_id=kind,
            details={"provider": provider},
        )
    return deleted


def test_connection(
    session: Session,
    tenant_id: int,
    *,
    provider: str | None = None,
    model: str | None = None,
    timeout: float = 15.0,
    ledger: CallLedger | None = None,
) -> ConnectionTest:
    """One real call, no retry, with the keys calls would use: the latency, or the provider's own error.

    The call is recorded (purpose "test") and its cost counts against the budget: it was billed.

    The call takes seconds (up to `timeout`); no database connection is held while it runs. What the call
    needs (the configuration, the key) is read first, and the transaction that read began is committed, which
    hands its connection back to the pool; the result is then written by the call ledger, in its own short
    session. When the caller's session already had a transaction open, its work is not committed behind its
    back: the reads join that transaction, which keeps its connection (the console passes a fresh session).
    """
    began_here = not session.in_transaction()
    config = _config(session, tenant_id)
    name = provider or config.llm_provider
    model = model or (config.default_model if name == config.llm_provider else "")
    if name == "offline":
        _end_reads(session, began_here)
        return ConnectionTest(ok=True, provider="offline", model="offline-templates", latency_ms=0)
    if not model:
        _end_reads(session, began_here)
        raise LLMSettingsError("choose a model to test")
    max_tokens = 16 if not _reasoning(name, model) else 64
    started = time.perf_counter()
    try:
        try:
            llm = provider_for_tenant(session, tenant_id, name, timeout=timeout)  # reads the key; no I/O
        except LLMError:  # no key: nothing to call, but the reads' transaction still ends here
            _end_reads(session, began_here)
            raise
        _end_reads(session, began_here)  # before the call: the connection goes back to the pool
        response = llm.generate(TEST_PROMPT, model, max_tokens=max_tokens)
        attempt = response.attempts[0]
    except LLMError as exc:
        latency_ms = int((time.perf_counter() - started) * 1000)
        attempt = Attempt(
            provider=name,
            model=model,
            status="error",
            http_status=exc.http_status,
            latency_ms=exc.latency_ms or latency_ms,
            error=exc.message[:500],
            error_kind=exc.kind,
        )
        _record_test(tenant_id, attempt, ledger)
        return ConnectionTest(
            ok=False,
            provider=name,
            model=model,
            latency_ms=attempt.latency_ms,
            error=exc.message,
            error_kind=exc.kind,
            http_status=exc.http_status,
        )
    _record_test(tenant_id, attempt, ledger)
    return ConnectionTest(
        ok=True, provider=name, model=model, latency_ms=response.latency_ms, http_status=200
    )


def _end_reads(session: Session, began_here: bool) -> None:
    """Commit the transaction `test_connection` began for its reads (and the configuration row it may have
    created): the session releases its connection. A transaction the caller had open is left alone."""
    if began_here and session.in_transaction():
        session.commit()


def _reasoning(provider: str, model: str) -> bool:
    return model_info(provider, model).reasoning


def _record_test(tenant_id: int, attempt: Attempt, ledger: CallLedger | None) -> None:
    log_attempt(attempt)
    (ledger or default_ledger()).record(tenant_id, attempt, purpose="test")


def spend_summary(session: Session, tenant_id: int) -> SpendSummary:
    """This month's spend against the budget, per model and per day (includes rows still being written)."""
    default_ledger().flush()
    return _spend_summary(session, tenant_id)


def offline_status(session: Session, tenant_id: int) -> OfflineStatus:
    """Whether customers are answered by the offline provider, and the banner text saying why."""
    config = _config(session, tenant_id)
    reason: str | None = None
    if config.llm_provider == "offline":
        reason = "configured"
    else:
        refs = [
            split_model_ref(r, config.llm_provider) for r in [config.default_model, *config.fallback_models]
        ]
        base_url = config.llm_base_url
        usable = any(
            resolve_credentials(
                session, tenant_id, p, base_url=base_url if p == config.llm_provider else None
            ).usable
            for p in {p for p, _ in refs}
        )
        if not usable:
            reason = "no_credentials"
        elif budget_status(session, tenant_id).state == "hard":
            reason = "budget"
    return OfflineStatus(
        offline=reason is not None, reason=reason, message=OFFLINE_MESSAGES.get(reason or "")
    )


def is_offline(session: Session, tenant_id: int) -> bool:
    return offline_status(session, tenant_id).offline


__all__ = [
    "ConnectionTest",
    "KeyCheck",
    "KeyStatus",
    "LLMSettingsError",
    "ModelOption",
    "OfflineStatus",
    "ProviderSettings",
    "ProviderSettingsForm",
    "delete_api_key",
    "get_provider_settings",
    "is_offline",
    "model_catalog",
    "offline_status",
    "save_api_key",
    "save_provider_settings",
    "SettingsProblem",
    "validate_provider_settings",
    "spend_summary",
    "test_connection",
]

test_connection.__test__ = False  # type: ignore[attr-defined]  # pytest must not collect it when imported
