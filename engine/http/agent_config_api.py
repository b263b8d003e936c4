"""REST: /api/v1/agent-configuration — the agent's persona and behaviour, as the Persona page edits them.

Scope `integrations:manage`. A PUT sets the fields it names and leaves the others; it goes through the same
validation as the Persona page (engine.agent.persona), so a refused value answers 422 naming the field with
the page's own words, and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from engine.accounts.api_tokens import ApiPrincipal
from engine.accounts.token_roles import token_holder
from engine.agent.persona import AgentConfigurationService, PersonaForm
from engine.http.api_docs import errors
from engine.http.deps import db_session, require_scope
from engine.security.scopes import Scope

router = APIRouter(prefix="/agent-configuration", tags=["agent configuration"])
manage = require_scope(Scope.INTEGRATIONS_MANAGE.value)

Text = Field(default=None, max_length=2000)
Lines = Field(default=None, max_length=50)


class AgentConfigurationUpdate(BaseModel):
    """Any subset of the persona's fields; lists are lists of short texts."""

    model_config = ConfigDict(extra="forbid")

    agent_name: str | None = Text
    personality_traits: list[str] | None = Lines
    tone: str | None = Field(default=None, max_length=40, description="friendly, formal, concise or playful")
    greeting_message: str | None = Text
    behavioral_restrictions: list[str] | None = Lines
    required_disclaimers: list[str] | None = Lines
    enable_proactive_suggestions: bool | None = None
    enable_spelling_correction: bool | None = None
    enable_rich_messages: bool | None = None
    default_model: str | None = Field(default=None, max_length=200)
    fallback_models: list[str] | None = Lines
    temperature: float | None = None
    max_tokens: int | None = None
    confidence_threshold: float | None = None
    handoff_topics: list[str] | None = Lines
    max_low_confidence_turns: int | None = None


def _body(session: Session, tenant_id: int) -> dict[str, Any]:
    return AgentConfigurationService.get(session, tenant_id, fresh=True).to_dict()


@router.get("")
def get_agent_configuration(
    principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> dict[str, Any]:
    """The tenant's persona, behaviour switches, model settings and handoff rules."""
    return _body(session, principal.tenant_id)


@router.put("", responses=errors(422))
def put_agent_configuration(
    body: AgentConfigurationUpdate,
    principal: ApiPrincipal = Depends(manage),
    session: Session = Depends(db_session),
) -> dict[str, Any]:
    """Change the fields given (the others stay); 422 names every refused field and nothing is saved."""
    holder = token_holder(session, principal.tenant_id, principal.token_id)
    form = PersonaForm.from_dict(body.model_dump(exclude_unset=True))
    AgentConfigurationService.update(session, principal.tenant_id, form, actor_user_id=holder.user_id)
    return _body(session, principal.tenant_id)


__all__ = ["router"]
