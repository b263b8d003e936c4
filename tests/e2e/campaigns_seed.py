"""A florist for the Campaigns page's browser test: connected to the fake Twilio server that
tests/e2e/test_campaigns_page.py starts (its account SID and token below), one WhatsApp number, opted-in
customers (some tagged "vip"), two who opted out, quiet hours off, and a manager to sign in as.

Its own tenant, so nothing the campaign test sends changes what another page's test expects. Called from
tests/e2e/seed.py inside its transaction.
"""

from __future__ import annotations

from sqlmodel import Session

from engine.accounts import tenants, users
from engine.campaigns import service
from engine.channels.whatsapp import connection
from engine.db import TenantScope
from engine.models import Customer
from engine.models.base import utcnow

SLUG = "bloom"
MANAGER = ("nora@bloom.test", "Nora Quinn")
TWILIO_SID, TWILIO_TOKEN = "AC" + "b100" * 8, "7a" * 16
SENDER = "+447700900700"
CUSTOMERS = (
    ("Ada Lovelace", "+447700900101", ["vip"]),
    ("Grace Hopper", "+447700900102", ["vip"]),
    ("Alan Turing", "+447700900103", ["vip"]),
    ("Katherine Johnson", "+14155550104", ["vip"]),
    ("Hedy Lamarr", "+4915112340105", ["vip"]),
    ("Margaret Hamilton", "+447700900106", []),
    ("Tim Berners-Lee", "+447700900107", []),
    ("Radia Perlman", "+447700900108", ["vip"]),
)


def add_campaigns_shop(db: Session, password: str) -> int:
    tenant_id = tenants.create_tenant(
        db, name="Bloom Florist", slug=SLUG, time_zone="Europe/London", currency="GBP"
    ).id
    user = users.create_user(db, email=MANAGER[0], password=password, full_name=MANAGER[1])
    assert user.id is not None
    users.add_membership(db, tenant_id, user.id, "manager")
    connection.save_credentials(db, tenant_id, account_sid=TWILIO_SID, auth_token=TWILIO_TOKEN)
    connection.add_sender(db, tenant_id, SENDER, label="Shop")
    service.update_settings(db, tenant_id, {"quiet_start": "00:00", "quiet_end": "00:00", "frequency_cap": 0})
    scope = TenantScope(db, tenant_id)
    now = utcnow()
    for name, phone, tags in CUSTOMERS:
        scope.add(Customer(phone=phone, name=name, opted_in=True, opted_in_at=now, tags=tags))
    for name, phone in (("Dan Brown", "+447700900198"), ("Eve Black", "+447700900199")):
        scope.add(Customer(phone=phone, name=name, opted_in=False, opted_out_at=now, tags=["vip"]))
    return tenant_id
