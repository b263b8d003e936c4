"""TenantLLM: what the agent calls for one turn. It ties the pieces together for a tenant:

budget state (cached spend) → select_model() for the task → fallback chain over the tenant's models (the
choice first) with the budget as admission gate → offline provider as the last resort; every attempt
recorded as an LLMCall row through the ledger.

Build one per turn with `llm_for_tenant(session, tenant_id)` (two small reads: configuration and keys), then
release the session: the call itself touches the database only through the ledger's own short transactions,
so the caller must not hold a write transaction open while it waits for the model.
"""

from __future__ import annotations

import dataclasses
import logging
import random
from collections.abc import Callable, Sequence
from decimal import Decimal

from pydantic import BaseModel
from sqlmodel import Session

from engine.db import TenantScope
from engine.llm.base import LLMProvider
from engine.llm.budget import BudgetStatus, alert_once, evaluate
from engine.llm.chat import DEFAULT_TIMEOUT
from engine.llm.errors import BudgetExceeded, LLMError, MissingCredentials
from engine.llm.factory import create_provider, resolve_credentials, split_model_ref
from engine.llm.fallback import ChainLink, FallbackChain, OnFatal, RetryPolicy, log_attempt
from engine.llm.ledger import CallLedger, default_ledger, month_key
from engine.llm.offline import OfflineContext, OfflineProvider, Persona
from engine.llm.schemas import AgentTurn
from engine.llm.selection import ModelChoice, Task, select_model
from engine.llm.types import Attempt, LLMResponse, Message
from engine.models import AgentConfiguration, Tenant
from engine.models.base import utcnow

logger = logging.getLogger("engine.llm")


class TenantLLM:
    """A tenant's models, budget and persona, ready to answer; cheap to build, shareable across threads."""

    def __init__(
        self,
        tenant_id: int,
        *,
        providers: dict[tuple[str, str], LLMProvider],
        models: Sequence[tuple[str, str]],
        persona: Persona,
        temperature: float,
        max_tokens: int,
        monthly_budget: Decimal,
        soft_limit_ratio: float,
        handoff_threshold: float = 0.55,
        time_zone: str = "UTC",
        currency: str = "USD",
        offline_reason: str | None = None,
        ledger: CallLedger | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.tenant_id = tenant_id
        self.providers = providers
        self.models = [m for m in models if m in providers]  # models whose provider could be built
        self.persona = persona
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.monthly_budget = monthly_budget
        self.soft_limit_ratio = soft_limit_ratio
        self.handoff_threshold = handoff_threshold
        self.time_zone = time_zone
        self.currency = currency
        self.offline = OfflineProvider()
        self._offline_reason = offline_reason if not self.models else None
        if not self.models and self._offline_reason is None:
            self._offline_reason = "no_credentials"
        self.ledger = ledger or default_ledger()
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.rng = rng
        self._choices: dict[tuple[Task, str], ModelChoice] = {}

    # state ---------------------------------------------------------------------------------------------

    def budget(self) -> BudgetStatus:
        now = utcnow()
        month = month_key(now, self.time_zone)
        spent = self.ledger.month_spend(self.tenant_id, time_zone=self.time_zone, now=now, key=month)
        return evaluate(
            self.tenant_id,
            budget=self.monthly_budget,
            soft_limit_ratio=self.soft_limit_ratio,
            spent=spent,
            month=month,
            currency=self.currency,
        )

    def offline_reason(self) -> str | None:
        """Why every answer comes from the offline provider right now (configured, no_credentials, budget)."""
        if self._offline_reason:
            return self._offline_reason
        return "budget" if self.budget().state == "hard" else None

    # answering -----------------------------------------------------------------------------------------

    def generate(
        self,
        messages: Sequence[Message],
        *,
        task: Task | str = Task.FAQ,
        response_schema: type[BaseModel] | None = AgentTurn,
        offline_context: OfflineContext | None = None,
        conversation_id: int | None = None,
        purpose: str | None = None,
        on_fatal: OnFatal = "raise",
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> LLMResponse:
        """Answer through the tenant's models (see module docstring); AgentTurn by default.

        Raises LLMConfigurationError (bad key or request) unless on_fatal="offline"; raises the last LLMError
        when no model answered a request the offline provider cannot fake (a summary, plain text).
        """
        task = Task(task)
        purpose = purpose or task.value
        context = self._with_persona(offline_context, messages)

        def record(attempt: Attempt) -> None:
            self.ledger.record(self.tenant_id, attempt, purpose=purpose, conversation_id=conversation_id)

        if self._offline_reason:
            return self._offline(messages, context, self._offline_reason, record, response_schema)
        status = self.budget()
        if status.state == "hard":
            alert_once(status, time_zone=self.time_zone)
            return self._offline(messages, context, "budget", record, response_schema)
        if status.state == "soft":
            alert_once(status, time_zone=self.time_zone)

        choice = self._choices.get((task, status.state))
        if choice is None:  # the same inputs give the same choice: computed once per task and budget state
            choice = select_model(task, self.models, budget_state=status.state)
            self._choices[(task, status.state)] = choice
        # The choice and its reason travel on the response (for the interaction record); the log has it at
        # DEBUG, the attempt lines say which model answered.
        logger.debug(
            "llm select %s/%s for tenant %s: %s", choice.provider, choice.model, self.tenant_id, choice.reason
        )
        chain = FallbackChain(
            [ChainLink(self.providers[ref], ref[1]) for ref in choice.order],
            offline=self.offline,
            policy=self.policy,
            on_attempt=record,
            admit=lambda _link, estimate: status.allows(estimate),
            log_label=f"tenant={self.tenant_id} task={task.value}",
            **({"sleep": self.sleep} if self.sleep else {}),
            **({"rng": self.rng} if self.rng else {}),
        )
        try:
            response = chain.generate(
                messages,
                response_schema=response_schema,
                temperature=self.temperature if temperature is None else temperature,
                max_tokens=self.max_tokens if max_tokens is None else max_tokens,
                offline_context=context,
                on_fatal=on_fatal,
            )
        except LLMError as exc:
            logger.error(
                "llm failed for tenant %s after %d attempts: %s", self.tenant_id, len(exc.attempts), exc
            )
            raise
        response.selection = choice
        if response.degraded == "offline:budget":
            # No model's estimated cost fits in what is left: for the customer, the hard limit is reached.
            alert_once(dataclasses.replace(status, state="hard"), time_zone=self.time_zone)
        return response

    def offline_answer(self, context: OfflineContext, *, conversation_id: int | None = None) -> LLMResponse:
        """The offline provider's answer, recorded like any other (for callers handling errors themselves)."""

        def record(attempt: Attempt) -> None:
            self.ledger.record(self.tenant_id, attempt, purpose="reply", conversation_id=conversation_id)

        return self._offline([], self._with_persona(context, []), "requested", record, AgentTurn)

    # helpers -------------------------------------------------------------------------------------------

    def _with_persona(self, context: OfflineContext | None, messages: Sequence[Message]) -> OfflineContext:
        """The offline context in the tenant's persona and handoff threshold (unless the caller set them).

        Without one (the caller retrieved nothing), the customer's last message with no hits: the offline
        answer is then an honest handoff in the tenant's voice."""
        if context is None:
            query = next((m.get("content") or "" for m in reversed(messages) if m.get("role") == "user"), "")
            return OfflineContext(query=query, persona=self.persona, handoff_threshold=self.handoff_threshold)
        changes: dict[str, object] = {}
        if context.persona == Persona():
            changes["persona"] = self.persona
        if context.handoff_threshold == OfflineContext.__dataclass_fields__["handoff_threshold"].default:
            changes["handoff_threshold"] = self.handoff_threshold
        return dataclasses.replace(context, **changes) if changes else context  # type: ignore[arg-type]

    def _offline(
        self,
        messages: Sequence[Message],
        context: OfflineContext | None,
        reason: str,
        record: Callable[[Attempt], None],
        response_schema: type[BaseModel] | None,
    ) -> LLMResponse:
        if response_schema is None or not issubclass(AgentTurn, response_schema):
            error_cls = BudgetExceeded if reason == "budget" else MissingCredentials
            raise error_cls(f"no model available for this request ({reason})")
        response = self.offline.generate(messages, response_schema=AgentTurn, context=context)
        attempt = response.attempts[0]
        log_attempt(attempt, f"tenant={self.tenant_id} offline={reason}")
        record(attempt)
        response.degraded = f"offline:{reason}"
        return response


def llm_for_tenant(
    session: Session,
    tenant_id: int,
    *,
    ledger: CallLedger | None = None,
    policy: RetryPolicy | None = None,
    timeout: float | None = None,
    sleep: Callable[[float], None] | None = None,
    rng: random.Random | None = None,
) -> TenantLLM:
    """The tenant's TenantLLM from its AgentConfiguration and keys (tenant keys over the environment's).

    Models are the default model then the fallbacks; an entry "together:<model>" names another provider.
    Models whose provider has no key are left out (logged); with none left the tenant runs offline.
    Each model call may take the tenant's `llm_timeout_seconds` (unless `timeout` says otherwise), and the
    whole chain about two of those: a hanging provider costs this tenant's customer seconds, not minutes.
    """
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        raise LookupError(f"tenant {tenant_id} not found")
    config = TenantScope(session, tenant_id).first(AgentConfiguration) or AgentConfiguration(
        tenant_id=tenant_id
    )
    persona = Persona.from_config(config, business_name=tenant.name)
    timeout = timeout or float(config.llm_timeout_seconds or DEFAULT_TIMEOUT)
    policy = policy or RetryPolicy(
        request_timeout=timeout, deadline=min(RetryPolicy.deadline, 2 * timeout + 5)
    )
    providers: dict[tuple[str, str], LLMProvider] = {}
    models: list[tuple[str, str]] = []
    offline_reason: str | None = None
    if config.llm_provider == "offline":
        offline_reason = "configured"
    else:
        built: dict[str, LLMProvider | None] = {}
        for ref in [config.default_model, *config.fallback_models]:
            if not ref:
                continue
            name, model = split_model_ref(ref, config.llm_provider)
            if name not in built:
                try:
                    base_url = config.llm_base_url if name == config.llm_provider else None
                    creds = resolve_credentials(session, tenant_id, name, base_url=base_url)
                    built[name] = create_provider(
                        name, api_key=creds.api_key, base_url=creds.base_url, timeout=timeout
                    )
                except LLMError as exc:
                    logger.warning("tenant %s: %s models left out: %s", tenant_id, name, exc)
                    built[name] = None
            provider = built[name]
            if provider is not None and (name, model) not in providers:
                providers[(name, model)] = provider
                models.append((name, model))
    return TenantLLM(
        tenant_id,
        providers=providers,
        models=models,
        persona=persona,
        temperature=config.temperature,
        max_tokens=config.max_tokens,
        monthly_budget=config.monthly_budget,
        soft_limit_ratio=config.budget_soft_limit_ratio,
        handoff_threshold=config.confidence_threshold,
        time_zone=tenant.time_zone,
        currency=tenant.currency,
        offline_reason=offline_reason,
        ledger=ledger,
        policy=policy,
        sleep=sleep,
        rng=rng,
    )


__all__ = ["TenantLLM", "llm_for_tenant"]
