"""What the console needs to show a tenant's money and times."""

from __future__ import annotations

import dataclasses

import pytest

from engine.accounts import tenants
from engine.db import session_scope
from engine.models import Tenant
from tests.factories import new_tenant


def test_display_settings_reads_the_tenants_currency_and_time_zone() -> None:
    with session_scope() as session:
        info = tenants.create_tenant(
            session, name="Café Lisboa", slug="cafe-lisboa", time_zone="Europe/Lisbon", currency="eur"
        )
    with session_scope() as session:
        display = tenants.display_settings(session, info.id)
    assert display == tenants.TenantDisplay(currency="EUR", time_zone="Europe/Lisbon")
    with pytest.raises(dataclasses.FrozenInstanceError):
        display.currency = "USD"  # type: ignore[misc]


def test_display_settings_falls_back_to_usd_and_utc() -> None:
    with session_scope() as session:
        tenant_id = new_tenant(session)
        tenant = session.get(Tenant, tenant_id)
        assert tenant is not None
        tenant.currency = ""
        tenant.time_zone = ""
    with session_scope() as session:
        assert tenants.display_settings(session, tenant_id) == tenants.TenantDisplay("USD", "UTC")
        assert tenants.display_settings(session, 10**9) == tenants.TenantDisplay("USD", "UTC")
