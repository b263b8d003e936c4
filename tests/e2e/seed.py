"""Seed the browser tests' database: run as `python -m tests.e2e.seed` with DATABASE_URL set.

Runs in its own process (like the server) so the pytest process never holds the server's database open.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from engine.accounts import tenants, users
from engine.db import TenantScope, session_scope
from engine.llm.pricing import model_info
from engine.models import LLMCall
from engine.models.base import utcnow
from tests.e2e.analytics_seed import add_analytics
from tests.e2e.campaigns_seed import add_campaigns_shop
from tests.e2e.catalog_seed import add_catalog_shop
from tests.e2e.knowledge_seed import add_knowledge_shop
from tests.e2e.seed_inbox import seed_inbox

PASSWORD = "e2e-password-123"

# email, full name, {tenant slug: role}
PEOPLE: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("maya@greenleaf.test", "Maya Fischer", {"green-leaf": "owner", "northwind": "admin"}),
    ("priya@greenleaf.test", "Priya Shah", {"green-leaf": "admin"}),
    ("sam@greenleaf.test", "Sam Rivera", {"green-leaf": "agent"}),
    ("tom@greenleaf.test", "Tom Becker", {"green-leaf": "viewer"}),
    ("lena@greenleaf.test", "Lena Ortiz", {"green-leaf": "manager"}),
)


def main() -> None:
    with session_scope() as db:
        ids = {
            "green-leaf": tenants.create_tenant(db, name="Green Leaf Bakery", slug="green-leaf").id,
            "northwind": tenants.create_tenant(db, name="Northwind Cafe", slug="northwind").id,
        }
        for email, name, roles in PEOPLE:
            user = users.create_user(db, email=email, password=PASSWORD, full_name=name)
            assert user.id is not None
            for slug, role in roles.items():
                users.add_membership(db, ids[slug], user.id, role)
        add_ai_calls(db, ids["green-leaf"])
        add_open_alert(db, ids["green-leaf"])  # the Overview's Needs attention shows an in-app alert
        demo = seed_inbox(db, PASSWORD)  # the demo shop and its inbox: the Conversations page's browser tests
        add_analytics(db, demo)  # its AI calls and knowledge gaps: the Analytics page's browser test
        add_catalog_shop(db, PASSWORD)  # its own tenant and owner: the Catalog page's browser tests
        add_knowledge_shop(db, PASSWORD)  # its own tenant and owner: the Knowledge page's browser tests
        add_campaigns_shop(db, PASSWORD)  # its own tenant and manager: the Campaigns page's browser test
    print("seeded", len(PEOPLE), "people")


def add_open_alert(db, tenant_id: int) -> None:  # noqa: ANN001 - a sqlmodel Session
    """An open in-app alert (engine/observability/alerts.py): customers waiting 6 minutes for the agent."""
    from engine.models.alerts import AlertIncident

    now = utcnow()
    TenantScope(db, tenant_id).add(
        AlertIncident(
            kind="queue_age", open_kind="queue_age", value=360, threshold=120, opened_at=now, last_seen_at=now
        )
    )


def add_ai_calls(db, tenant_id: int) -> None:  # noqa: ANN001 - a sqlmodel Session
    """This month's AI calls for Green Leaf, so Settings → AI providers and the Overview show real spend.

    Only days of the current month (the spend is monthly), priced from the pricing table like real calls.
    """
    now = utcnow()
    scope = TenantScope(db, tenant_id)
    days = min(now.day - 1, 11)
    for back in range(days + 1):
        when = now - timedelta(days=back, minutes=5)
        for index, (model, tokens_in, tokens_out) in enumerate(
            (("gpt-4o-mini", 21_000, 3_400), ("gpt-4o-mini", 9_000, 1_500), ("gpt-4.1-nano", 6_000, 900))
        ):
            if (back + index) % 4 == 3:
                continue
            # One row stands for a few dozen calls of the day: tokens and cost add up like theirs would.
            tokens_in, tokens_out = tokens_in * 100 * (1 + back % 3), tokens_out * 100 * (1 + back % 3)
            scope.add(
                LLMCall(
                    provider="openai",
                    model=model,
                    status="ok",
                    tokens_in=tokens_in,
                    tokens_out=tokens_out,
                    cost=model_info("openai", model).cost(tokens_in, tokens_out),
                    latency_ms=900,
                    created_at=when,
                )
            )
    scope.add(
        LLMCall(provider="openai", model="gpt-4o-mini", status="error", http_status=503, created_at=now)
    )
    scope.add(
        LLMCall(provider="offline", model="offline-templates", status="ok", cost=Decimal(0), created_at=now)
    )


if __name__ == "__main__":
    main()
