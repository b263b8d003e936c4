"""Campaign media (real type and size, tenant storage, signed expiring URLs, 403 otherwise), the
cost estimate from the shipped price table, the recipients CSV (formulas neutralized), the test send."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from engine.campaigns import estimate, export, media, sample_send, service
from engine.campaigns.errors import CampaignError
from engine.campaigns.start import materialize
from engine.db import session_scope
from engine.http.app import create_app
from engine.models import utcnow
from tests.engine.campaigns.conftest import add_customers, approved_campaign
from tests.engine.conversations.harness import WhatsAppEnv

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture(autouse=True)
def media_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MEDIA_STORAGE_URI", str(tmp_path / "media"))
    return tmp_path / "media"


def test_the_real_type_decides_not_the_name() -> None:
    assert media.sniff(PNG)[0] == "image/png"
    assert media.sniff(PDF)[0] == "application/pdf"
    with pytest.raises(CampaignError, match="JPEG or PNG"):
        media.sniff(b"<html><script>alert(1)</script></html>")  # a page renamed .jpg
    with pytest.raises(CampaignError, match="at most 5 MB"):
        media.sniff(PNG + b"\x00" * (5 * media.MB))


def test_stored_in_the_tenants_folder_and_read_back_only_by_it(media_dir: Path) -> None:
    stored = media.store(7, PNG)
    assert stored.key.startswith("7/") and stored.key.endswith(".png")
    assert (media_dir / stored.key).read_bytes() == PNG
    assert media.read(7, stored.key) == PNG
    with pytest.raises(FileNotFoundError):
        media.read(8, stored.key)
    with pytest.raises(FileNotFoundError):
        media.read(7, "7/../../secret.keys")


def test_signed_urls_serve_and_expire() -> None:
    stored = media.store(3, PNG)
    client = TestClient(create_app())
    path = media.signed_path(stored.key)
    ok = client.get(path)
    assert ok.status_code == 200 and ok.content == PNG and ok.headers["content-type"] == "image/png"
    assert client.get(path.replace("sig=", "sig=0")).status_code == 403
    assert client.get(path.split("?")[0]).status_code == 403
    expired = media.signed_path(stored.key, ttl=-1)
    assert client.get(expired).status_code == 403
    other = media.signed_path("4/" + stored.key.split("/")[1])  # signed, but another tenant's name
    assert client.get(other).status_code == 404
    assert not media.verify(stored.key, int(time.time()) + 60, "nope")


def test_estimate_prices_each_country_from_the_dated_table() -> None:
    table = estimate.price_table()
    assert table.as_of == "2026-10-01"
    got = estimate.estimate_for_numbers(["+447700900001", "+447700900002", "+4915112345678", "+99912345"])
    by = {c: (n, cost) for c, n, cost in got.by_country}
    assert by["United Kingdom"] == (2, Decimal("0.12"))  # 2 × (0.0529 + 0.005)
    assert by["Germany"][0] == 1 and by["Other"][0] == 1
    assert got.recipients == 4 and got.currency == "USD"


def test_estimate_counts_the_audience_and_the_csv_neutralizes_formulas(wa: WhatsAppEnv) -> None:
    add_customers(wa.tenant_id, 3)
    add_customers(wa.tenant_id, 1, name='=HYPERLINK("http://x")')
    add_customers(wa.tenant_id, 2, opted_in=False)
    with session_scope() as session:
        cost = estimate.estimate_cost(session, wa.tenant_id, {})
    assert cost.recipients == 4 and cost.exclusions == {"never_opted_in": 2}
    assert cost.cost == Decimal("0.23")  # 4 × 0.0579, rounded
    campaign_id = approved_campaign(wa)
    with session_scope() as session:
        service.schedule(session, wa.tenant_id, campaign_id)
    with session_scope() as session:
        materialize(session, wa.tenant_id, campaign_id, utcnow())
    with session_scope() as session:
        text = export.recipients_csv(session, wa.tenant_id, campaign_id, "Europe/London")
    lines = text.strip().splitlines()
    assert lines[0].startswith("name,phone,status") and len(lines) == 5
    assert "'=HYPERLINK" in text and ",'+44770" in text


def test_a_test_send_goes_as_the_approved_template(wa: WhatsAppEnv) -> None:
    campaign_id = approved_campaign(wa)
    with session_scope() as session:
        sent = sample_send.send_sample(session, wa.tenant_id, campaign_id, "+44 7700 900123")
    assert sent.as_template and sent.to == "+447700900123" and sent.provider_sid
    with session_scope() as session, pytest.raises(CampaignError):
        sample_send.send_sample(session, wa.tenant_id, campaign_id, "0123")
