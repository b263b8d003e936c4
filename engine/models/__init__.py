"""Every table of DESIGN.md §3; importing this package registers them all on SQLModel.metadata."""

from engine.models.agent import AgentConfiguration
from engine.models.alerts import AlertIncident
from engine.models.analytics import AgentInteraction, ButtonEvent, KnowledgeGap, LLMCall
from engine.models.base import utcnow
from engine.models.campaigns import (
    Campaign,
    CampaignAction,
    CampaignMessage,
    CampaignRecipient,
    CampaignSettings,
)
from engine.models.catalog import Appointment, Order, Product, Service
from engine.models.conversations import (
    Conversation,
    ConversationContext,
    Customer,
    Message,
    MessageQueue,
    WhatsAppContent,
)
from engine.models.evals import PlaygroundTestCase
from engine.models.integrations import WebhookDelivery, WebhookEndpoint, WebhookEvent
from engine.models.knowledge import KnowledgeEntry, KnowledgeEntryVersion
from engine.models.ratings import Rating, RatingSettings
from engine.models.tenancy import (
    ApiToken,
    AuditLog,
    Membership,
    Secret,
    Tenant,
    User,
    UserSession,
    WhatsAppSender,
)

TENANT_MODELS = [
    WhatsAppSender,
    Membership,
    ApiToken,
    Secret,
    AuditLog,
    AgentConfiguration,
    KnowledgeEntry,
    KnowledgeEntryVersion,
    Customer,
    Product,
    Service,
    Order,
    Appointment,
    Conversation,
    Message,
    ConversationContext,
    MessageQueue,
    WhatsAppContent,
    AgentInteraction,
    LLMCall,
    ButtonEvent,
    Campaign,
    CampaignMessage,
    CampaignRecipient,
    CampaignSettings,
    CampaignAction,
    PlaygroundTestCase,
    WebhookEndpoint,
    WebhookEvent,
    WebhookDelivery,
    RatingSettings,
    Rating,
    AlertIncident,
    KnowledgeGap,
]

__all__ = [m.__name__ for m in TENANT_MODELS] + ["Tenant", "User", "UserSession", "utcnow"]
