from sqlmodel import select

from engine.accounts import tenants
from engine.models import Tenant


def test_a_tenant_can_be_created_and_read_back(session):
    info = tenants.create_tenant(session, name="Acme", slug="acme", whatsapp_from="whatsapp:+14155550100")
    assert session.exec(select(Tenant).where(Tenant.id == info.id)).one().slug == "acme"
