"""How far a workspace is from answering real customers: the Overview's "Get Parley ready" checklist.

Each step is read from the data it is about (a sender, the persona, knowledge, the catalogue, a playground
chat), so the checklist can never claim a step the workspace has undone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlmodel import Session

from engine.models import (
    AgentConfiguration,
    AuditLog,
    Conversation,
    KnowledgeEntry,
    Product,
    Secret,
    Service,
    WhatsAppSender,
)

DEFAULT_AGENT_NAME = "Assistant"


@dataclass(frozen=True, slots=True)
class SetupProgress:
    whatsapp: bool  # Twilio credentials (account SID and auth token) and a WhatsApp sender both exist
    persona: bool  # the persona was saved at least once, or named
    knowledge: bool  # at least one active knowledge entry
    catalog: bool  # at least one product or service
    playground: bool  # someone tried the agent in the playground

    @property
    def done(self) -> int:
        return sum((self.whatsapp, self.persona, self.knowledge, self.catalog, self.playground))

    def step_done(self, key: str) -> bool:
        """By the console's step keys: settings (WhatsApp), persona, knowledge, catalog, playground."""
        return bool(getattr(self, "whatsapp" if key == "settings" else key))


def setup_progress(session: Session, tenant_id: int) -> SetupProgress:
    def any_row(model: type, *where: object) -> bool:
        return bool(
            session.execute(select(exists().where(model.tenant_id == tenant_id, *where))).scalar()  # type: ignore[attr-defined]
        )

    named = session.execute(
        select(AgentConfiguration.agent_name).where(AgentConfiguration.tenant_id == tenant_id)
    ).scalar()
    # A sender alone cannot send anything: without the account SID and auth token Twilio refuses every call.
    twilio = all(any_row(Secret, Secret.kind == kind) for kind in ("twilio_account_sid", "twilio_auth_token"))
    return SetupProgress(
        whatsapp=twilio and any_row(WhatsAppSender),
        persona=(named not in (None, "", DEFAULT_AGENT_NAME))
        or any_row(AuditLog, AuditLog.action == "agent.persona.updated"),
        knowledge=any_row(
            KnowledgeEntry,
            KnowledgeEntry.deleted_at.is_(None),  # type: ignore[union-attr]
            KnowledgeEntry.is_active.is_(True),  # type: ignore[attr-defined]
        ),
        catalog=any_row(Product) or any_row(Service),
        playground=any_row(Conversation, Conversation.channel == "playground"),
    )
