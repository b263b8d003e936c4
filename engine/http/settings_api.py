"""REST: /api/v1/settings — the console's Settings tabs General and Features; WhatsApp and Email in their own
modules (engine.http.settings_whatsapp_api, settings_email_api), all mounted by `install`.

Scope `integrations:manage` on every route. Each tab calls the service its console page calls, so a value is
refused in the same words (422 naming each field as the body spells it; nothing is saved) and every change is
audited by the service, with the token's creator as the actor and "api" as the label.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, FastAPI
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from engine.accounts import workspace
from engine.accounts.api_tokens import ApiPrincipal
from engine.accounts.token_roles import token_holder
from engine.agent import flags
from engine.http import settings_email_api, settings_whatsapp_api
from engine.http.api_docs import errors
from engine.http.deps import db_session
from engine.http.settings_common import API_ACTOR, SettingsRefused, manage, refused, settings_refused

router = APIRouter(prefix="/settings", tags=["settings"])

Time = Annotated[str, Field(max_length=8)]
Period = Annotated[list[Time], Field(max_length=2)]
Week = Annotated[
    dict[str, Annotated[list[Period], Field(max_length=12)]],
    Field(
        max_length=7,
        description='opening periods per day in the workspace\'s zone: {"mon": [["09:00", "12:30"], '
        '["13:30", "18:00"]], "sun": []} — two periods make a break, none a closed day; {} means no hours',
    ),
]


class GeneralUpdate(BaseModel):
    """Any subset of the General tab's fields; the others stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200, description="the workspace's name")
    time_zone: str | None = Field(default=None, max_length=64, description='IANA zone, e.g. "Europe/London"')
    currency: str | None = Field(default=None, max_length=8, description='ISO 4217 code, e.g. "EUR"')
    agent_language: str | None = Field(default=None, max_length=16, description='language code, e.g. "en"')
    business_hours: Week | None = None


class GeneralSettings(BaseModel):
    name: str
    slug: str
    time_zone: str
    currency: str
    agent_language: str
    business_hours: dict[str, list[list[str]]] = Field(description="every day, [] when closed")


def _general(settings: workspace.WorkspaceSettings) -> GeneralSettings:
    return GeneralSettings(
        name=settings.name,
        slug=settings.slug,
        time_zone=settings.time_zone,
        currency=settings.currency,
        agent_language=settings.agent_language,
        business_hours=settings.weekly,
    )


def _body_field(service_field: str) -> str:
    """The service names hours "hours" or "hours.<day>"; the body calls them business_hours."""
    head, dot, day = service_field.partition(".")
    return f"business_hours{dot}{day}" if head == "hours" else service_field


@router.get("/general")
def get_general(
    principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> GeneralSettings:
    """The workspace's name, time zone, currency, business hours and the agent's default language."""
    return _general(workspace.workspace_settings(session, principal.tenant_id))


@router.put("/general", responses=errors(422))
def put_general(
    body: GeneralUpdate, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> GeneralSettings:
    """Change the fields given (the others stay); used at once everywhere (money, times, the handoff
    notice). 422 names every refused field and nothing is saved; a change is audited."""
    given = body.model_dump(exclude_unset=True)
    if "business_hours" in given:
        given["weekly"] = given.pop("business_hours")
    holder = token_holder(session, principal.tenant_id, principal.token_id)
    try:
        saved = workspace.update_workspace(
            session, principal.tenant_id, given, actor_user_id=holder.user_id, actor_label=API_ACTOR
        )
    except workspace.WorkspaceError as exc:
        raise refused(422, [(_body_field(p.field), p.message) for p in exc.problems]) from exc
    return _general(saved)


AgentMode = Literal["ai", "rules", "off"]


class ModeChoice(BaseModel):
    mode: AgentMode
    label: str
    description: str


class FeaturesSettings(BaseModel):
    agent_mode: AgentMode = Field(description="who answers customers: the AI agent, the rules, or staff only")
    modes: list[ModeChoice] = Field(description="every mode, with what it does in one sentence")


class FeaturesUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    agent_mode: AgentMode = Field(
        description="ai: the AI agent answers · rules: a simple responder, no model · off: staff answer all"
    )


def _features(mode: str) -> FeaturesSettings:
    modes = [
        ModeChoice(mode=m, label=flags.MODE_LABELS[m], description=flags.MODE_DESCRIPTIONS[m])  # type: ignore[arg-type]
        for m in flags.AGENT_MODES
    ]
    return FeaturesSettings(agent_mode=mode, modes=modes)  # type: ignore[arg-type]


@router.get("/features")
def get_features(
    principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> FeaturesSettings:
    """The agent mode and what each mode does."""
    return _features(flags.tenant_agent_mode(session, principal.tenant_id))


@router.put("/features", responses=errors(422))
def put_features(
    body: FeaturesUpdate, principal: ApiPrincipal = Depends(manage), session: Session = Depends(db_session)
) -> FeaturesSettings:
    """Switch the agent mode; audited, and in force from the next inbound message in every process."""
    holder = token_holder(session, principal.tenant_id, principal.token_id)
    mode = flags.set_agent_mode(
        session, principal.tenant_id, body.agent_mode, actor_user_id=holder.user_id, actor_label=API_ACTOR
    )
    return _features(mode)


def install(api: FastAPI) -> None:
    """Mount every settings router on the API and answer their refusals in the API's error shape."""
    for settings_router in (router, settings_whatsapp_api.router, settings_email_api.router):
        api.include_router(settings_router)
    api.add_exception_handler(SettingsRefused, settings_refused)


__all__ = ["install", "router"]
