"""Creating and finding tenants and their WhatsApp senders."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlmodel import Session, select

from engine.accounts.errors import AccountError
from engine.accounts.secrets import set_secret
from engine.config import LLM_PROVIDERS, PROVIDER_DEFAULT_MODELS, get_settings
from engine.db import TenantScope
from engine.models import AgentConfiguration, RatingSettings, Tenant, WhatsAppSender

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
WHATSAPP_ADDRESS_RE = re.compile(r"^whatsapp:\+[1-9]\d{6,14}$")
ACCOUNT_SID_RE = re.compile(r"^AC[0-9a-fA-F]{32}$")


@dataclass(frozen=True)
class TenantInfo:
    id: int
    name: str
    slug: str
    whatsapp_senders: list[str] = field(default_factory=list)
    time_zone: str = "UTC"
    currency: str = "USD"


def validate_whatsapp_address(value: str) -> str:
    value = value.strip()
    if not WHATSAPP_ADDRESS_RE.match(value):
        raise AccountError(
            f"WhatsApp sender {value!r} must look like whatsapp:+<country code><number> (E.164)"
        )
    return value


def validate_slug(value: str) -> str:
    value = value.strip().lower()
    if not SLUG_RE.match(value):
        raise AccountError(
            "slug must be 1-63 lowercase letters, digits or dashes, not starting or ending with a dash"
        )
    return value


def create_tenant(
    session: Session,
    *,
    name: str,
    slug: str,
    whatsapp_from: str | None = None,
    twilio_account_sid: str | None = None,
    twilio_auth_token: str | None = None,
    time_zone: str = "UTC",
    currency: str = "USD",
    llm_provider: str | None = None,
    llm_model: str | None = None,
) -> TenantInfo:
    """Create a tenant with its sender, default agent configuration, rating prompts on and Twilio credentials,
    all or nothing.

    The agent starts on `llm_provider`/`llm_model`, else on the operator's defaults (Settings.initial_llm:
    DEFAULT_LLM_PROVIDER/DEFAULT_LLM_MODEL, or the provider whose key the environment has, or offline).
    Every argument is checked before anything is written; the caller's transaction holds the rest.
    """
    name = name.strip()
    if not name or len(name) > 120:
        raise AccountError("name must be 1-120 characters")
    slug = validate_slug(slug)
    sender = validate_whatsapp_address(whatsapp_from) if whatsapp_from else None
    if twilio_account_sid and not ACCOUNT_SID_RE.match(twilio_account_sid.strip()):
        raise AccountError("Twilio account SID must be 'AC' followed by 32 hex characters")
    if bool(twilio_account_sid) != bool(twilio_auth_token):
        raise AccountError("give both the Twilio account SID and auth token, or neither")
    provider, model = initial_llm(llm_provider, llm_model)
    if session.exec(select(Tenant).where(Tenant.slug == slug)).first():
        raise AccountError(f"a tenant with slug {slug!r} already exists")
    if sender and session.exec(select(WhatsAppSender).where(WhatsAppSender.address == sender)).first():
        raise AccountError(f"WhatsApp sender {sender} is already connected to another workspace")

    tenant = Tenant(name=name, slug=slug, time_zone=time_zone, currency=currency.upper())
    session.add(tenant)
    session.flush()
    assert tenant.id is not None
    scope = TenantScope(session, tenant.id)
    if sender:
        scope.add(WhatsAppSender(address=sender, is_default=True))
    scope.add(AgentConfiguration(llm_provider=provider, default_model=model))
    # A new shop asks its customers how it went after each resolution (issue #18): the loop is closed from day
    # one, and the owner turns it off or rewords it in Settings → Integrations → Ratings.
    scope.add(RatingSettings())
    if twilio_account_sid and twilio_auth_token:
        set_secret(session, tenant.id, "twilio_account_sid", twilio_account_sid.strip())
        set_secret(session, tenant.id, "twilio_auth_token", twilio_auth_token.strip())
    return tenant_info(session, tenant)


def initial_llm(provider: str | None = None, model: str | None = None) -> tuple[str, str]:
    """(provider, model) for a new tenant: the arguments where given, the operator's defaults otherwise."""
    default_provider, default_model = get_settings().initial_llm()
    chosen = (provider or "").strip().lower() or default_provider
    if chosen not in LLM_PROVIDERS:
        raise AccountError(f"LLM provider must be one of {', '.join(sorted(LLM_PROVIDERS))}")
    if model and model.strip():
        return chosen, model.strip()[:80]
    if chosen == default_provider:
        return chosen, default_model
    return chosen, PROVIDER_DEFAULT_MODELS.get(chosen, PROVIDER_DEFAULT_MODELS["openai"])


def tenant_info(session: Session, tenant: Tenant) -> TenantInfo:
    assert tenant.id is not None
    senders = TenantScope(session, tenant.id).all(WhatsAppSender)
    return TenantInfo(
        id=tenant.id,
        name=tenant.name,
        slug=tenant.slug,
        whatsapp_senders=[s.address for s in senders],
        time_zone=tenant.time_zone,
        currency=tenant.currency,
    )


@dataclass(frozen=True)
class TenantDisplay:
    """How a tenant's money and times are shown."""

    currency: str = "USD"
    time_zone: str = "UTC"


def display_settings(session: Session, tenant_id: int) -> TenantDisplay:
    """The tenant's currency and time zone; the defaults when the tenant is unknown or leaves them empty."""
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        return TenantDisplay()
    return TenantDisplay(currency=tenant.currency or "USD", time_zone=tenant.time_zone or "UTC")


def get_by_slug(session: Session, slug: str) -> Tenant | None:
    return session.exec(select(Tenant).where(Tenant.slug == slug.strip().lower())).first()


def require_by_slug(session: Session, slug: str) -> Tenant:
    tenant = get_by_slug(session, slug)
    if tenant is None:
        raise AccountError(f"no tenant with slug {slug!r}")
    return tenant


def find_by_sender(session: Session, address: str) -> Tenant | None:
    """The tenant whose WhatsApp sender received an inbound message (`To`)."""
    sender = session.exec(select(WhatsAppSender).where(WhatsAppSender.address == address.strip())).first()
    return session.get(Tenant, sender.tenant_id) if sender else None
