"""The LLM layer (DESIGN.md §4): providers, fallback chain, structured output, pricing, budget, offline
answers.

The agent calls `llm_for_tenant(session, tenant_id).generate(messages, task=..., offline_context=...)`
and gets an LLMResponse whose `output` is a validated AgentTurn; the console calls `engine.llm.service`.
"""

from engine.llm.base import LLMProvider
from engine.llm.errors import (
    AuthenticationError,
    BadRequestError,
    BudgetExceeded,
    InvalidOutput,
    LLMConfigurationError,
    LLMError,
    MissingCredentials,
    ProviderTimeout,
    ProviderUnavailable,
    RateLimited,
    TransientError,
)
from engine.llm.factory import create_provider, provider_for_tenant
from engine.llm.fallback import ChainLink, FallbackChain, RetryPolicy
from engine.llm.offline import KnowledgeHit, OfflineContext, OfflineProvider, Persona
from engine.llm.router import TenantLLM, llm_for_tenant
from engine.llm.schemas import AgentTurn, Handoff, Intent, RichContent
from engine.llm.selection import ModelChoice, Task, infer_task, select_model
from engine.llm.types import Attempt, LLMResponse, Message

__all__ = [
    "AgentTurn",
    "Attempt",
    "AuthenticationError",
    "BadRequestError",
    "BudgetExceeded",
    "ChainLink",
    "FallbackChain",
    "Handoff",
    "Intent",
    "InvalidOutput",
    "KnowledgeHit",
    "LLMConfigurationError",
    "LLMError",
    "LLMProvider",
    "LLMResponse",
    "Message",
    "MissingCredentials",
    "ModelChoice",
    "OfflineContext",
    "OfflineProvider",
    "Persona",
    "ProviderTimeout",
    "ProviderUnavailable",
    "RateLimited",
    "RetryPolicy",
    "RichContent",
    "Task",
    "TenantLLM",
    "TransientError",
    "create_provider",
    "infer_task",
    "llm_for_tenant",
    "provider_for_tenant",
    "select_model",
]
