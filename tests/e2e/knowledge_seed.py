"""A shop with a lived-in knowledge base for the Knowledge page's browser tests: the demo's 40 Stride & Co.
FAQs, policies and procedures, one of them edited twice (so History has a diff to show), one switched off
and one deleted (so the filters and the bin have something), in Europe/London, with one owner to sign in as.

Kept apart from the other pages' tenants so nothing the Knowledge tests import or delete changes what another
test expects. Called from tests/e2e/seed.py inside its transaction; the entries go through the knowledge
service, so the search index (LanceDB, with whatever embedder the environment gives) is built as in real use.
"""

from __future__ import annotations

from sqlmodel import Session

from engine.accounts import tenants, users
from engine.demo.knowledge_data import KNOWLEDGE
from engine.knowledge import service
from engine.knowledge.records import FIELDS

SLUG = "stride-outlet"
OWNER = ("kai@strideoutlet.test", "Kai Nakamura")
ZONE = "Europe/London"

RETURNS_TITLE = "Returns policy: 30 days"
EDITED_CONTENT = (
    "You can return unworn items within 45 days of delivery or purchase for a full refund. Shoes must be in "
    "their original box with any tags attached, and only tried on indoors.\n"
    "Refunds go back to the original payment method within 5 working days of us receiving the return.\n"
    "Returns by post are free with the prepaid label in your parcel."
)
SWITCHED_OFF = "Pay in 3 instalments with Klarna"
DELETED = "Stride Club loyalty points"


def add_knowledge_shop(db: Session, password: str) -> int:
    tenant_id = tenants.create_tenant(db, name="Stride Outlet", slug=SLUG, time_zone=ZONE, currency="GBP").id
    user = users.create_user(db, email=OWNER[0], password=password, full_name=OWNER[1])
    assert user.id is not None
    users.add_membership(db, tenant_id, user.id, "owner")

    items = [service.clean({name: spec[name] for name in FIELDS if name in spec}) for spec in KNOWLEDGE]
    created = {e.title: e for e in service.create_entries(db, tenant_id, items, user_id=user.id)}

    returns = created[RETURNS_TITLE]
    edited = service.update_entry(db, tenant_id, returns.id, {"content": EDITED_CONTENT}, user_id=user.id)
    service.update_entry(
        db,
        tenant_id,
        returns.id,
        {"keywords": [*edited.keywords, "free returns"], "priority": 12},
        user_id=user.id,
    )
    off = created.get(SWITCHED_OFF)
    if off is not None:
        service.update_entry(db, tenant_id, off.id, {"is_active": False}, user_id=user.id)
    gone = created.get(DELETED)
    if gone is not None:
        service.delete_entry(db, tenant_id, gone.id, user_id=user.id)
    return tenant_id
