"""GET /api/media/{message_id}/{index} through the engine app, with media served by the fake Twilio server:
who may read, tenant scoping, Twilio-only URLs, Twilio's failures as 502, and the size cap."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from engine.accounts import api_tokens
from engine.accounts.sessions import SESSION_COOKIE
from engine.channels.whatsapp import media
from engine.db import session_scope
from engine.http.app import create_app
from tests.engine.channels.media_helpers import JPEG, media_message
from tests.engine.conversations.harness import WhatsAppEnv, make_tenant, wa_fixture  # noqa: F401 - fixture
from tests.factories import new_user

PASSWORD = "correct horse battery"


@pytest.fixture
def app_client() -> Iterator[TestClient]:
    with TestClient(create_app(), follow_redirects=False) as client:
        yield client


def _person(tenant_id: int, role: str, email: str) -> str:
    with session_scope() as session:
        new_user(session, tenant_id, role, email=email)
    return email


def _sign_in(client: TestClient, email: str) -> None:
    response = client.post("/api/auth/login", data={"email": email, "password": PASSWORD, "next": "/"})
    assert response.status_code == 303 and SESSION_COOKIE in response.cookies
    client.cookies.set(SESSION_COOKIE, response.cookies[SESSION_COOKIE])


@pytest.fixture
def agent_client(wa: WhatsAppEnv, app_client: TestClient) -> TestClient:
    _sign_in(app_client, _person(wa.tenant_id, "agent", "agent@media.test"))
    return app_client


def test_an_agent_gets_the_bytes_with_twilios_content_type(wa: WhatsAppEnv, agent_client: TestClient) -> None:
    photo = wa.fake.add_media(wa.account_sid, JPEG, "image/jpeg")
    voice = wa.fake.add_media(wa.account_sid, b"OggS" + b"\x00" * 500, "audio/ogg")
    message_id = media_message(wa.tenant_id, (photo, "image/jpeg"), (voice, "audio/ogg"))

    response = agent_client.get(f"/api/media/{message_id}/0")
    assert response.status_code == 200
    assert response.content == JPEG
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["content-length"] == str(len(JPEG))
    assert response.headers["cache-control"] == "private, max-age=3600"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith("inline")

    voice_response = agent_client.get(f"/api/media/{message_id}/1")
    assert voice_response.status_code == 200 and voice_response.headers["content-type"] == "audio/ogg"
    assert voice_response.content.startswith(b"OggS")


def test_html_from_a_customer_is_a_download_not_a_page(wa: WhatsAppEnv, agent_client: TestClient) -> None:
    url = wa.fake.add_media(wa.account_sid, b"<script>alert(1)</script>", "text/html")
    message_id = media_message(wa.tenant_id, (url, "text/html"))
    response = agent_client.get(f"/api/media/{message_id}/0")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment")
    assert "sandbox" in response.headers["content-security-policy"]


def test_without_a_session_it_is_401(wa: WhatsAppEnv, app_client: TestClient) -> None:
    url = wa.fake.add_media(wa.account_sid, JPEG, "image/jpeg")
    message_id = media_message(wa.tenant_id, (url, "image/jpeg"))
    assert app_client.get(f"/api/media/{message_id}/0").status_code == 401
    app_client.cookies.set(SESSION_COOKIE, "not-a-session")
    assert app_client.get(f"/api/media/{message_id}/0").status_code == 401
    assert wa.fake.media_requests == []


def test_a_role_that_cannot_read_conversations_gets_403(wa: WhatsAppEnv, app_client: TestClient) -> None:
    url = wa.fake.add_media(wa.account_sid, JPEG, "image/jpeg")
    message_id = media_message(wa.tenant_id, (url, "image/jpeg"))
    _sign_in(app_client, _person(wa.tenant_id, "viewer", "viewer@media.test"))
    assert app_client.get(f"/api/media/{message_id}/0").status_code == 403


def test_another_tenants_message_is_404(wa: WhatsAppEnv, app_client: TestClient) -> None:
    url = wa.fake.add_media(wa.account_sid, JPEG, "image/jpeg")
    message_id = media_message(wa.tenant_id, (url, "image/jpeg"))
    with session_scope() as session:
        other_id, _, other_sid, other_token = make_tenant(session)
    wa.fake.add_account(other_sid, other_token)
    _sign_in(app_client, _person(other_id, "owner", "owner@elsewhere.test"))
    response = app_client.get(f"/api/media/{message_id}/0")
    assert response.status_code == 404
    assert app_client.get(f"/api/media/{message_id + 1000}/0").status_code == 404
    assert wa.fake.media_requests == []


def test_an_item_that_does_not_exist_is_404(wa: WhatsAppEnv, agent_client: TestClient) -> None:
    url = wa.fake.add_media(wa.account_sid, JPEG, "image/jpeg")
    message_id = media_message(wa.tenant_id, (url, "image/jpeg"))
    assert agent_client.get(f"/api/media/{message_id}/1").status_code == 404
    assert agent_client.get(f"/api/media/{message_id}/99").status_code == 422  # past Twilio's 10 items


def test_a_media_url_outside_twilio_is_refused(wa: WhatsAppEnv, agent_client: TestClient) -> None:
    message_id = media_message(wa.tenant_id, ("http://169.254.169.254/latest/meta-data/", "image/jpeg"))
    response = agent_client.get(f"/api/media/{message_id}/0")
    assert response.status_code == 502
    assert "not a Twilio media URL" in response.json()["detail"]
    assert wa.fake.requests == []


@pytest.mark.parametrize(("status", "words"), [(404, "no longer has this media"), (500, "answered 500")])
def test_twilio_failures_are_502_with_the_reason(
    wa: WhatsAppEnv, agent_client: TestClient, status: int, words: str
) -> None:
    url = wa.fake.add_media(wa.account_sid, JPEG, "image/jpeg")
    message_id = media_message(wa.tenant_id, (url, "image/jpeg"))
    wa.fake.fail("media", status=status)
    response = agent_client.get(f"/api/media/{message_id}/0")
    assert response.status_code == 502
    assert words in response.json()["detail"]
    # The next try works again: nothing about the failure is cached.
    assert agent_client.get(f"/api/media/{message_id}/0").content == JPEG


def test_media_over_16_mb_is_refused(wa: WhatsAppEnv, agent_client: TestClient) -> None:
    url = wa.fake.add_media(wa.account_sid, b"\0" * (media.MAX_MEDIA_BYTES + 1), "video/mp4")
    message_id = media_message(wa.tenant_id, (url, "video/mp4"))
    response = agent_client.get(f"/api/media/{message_id}/0")
    assert response.status_code == 502
    assert "larger than 16 MB" in response.json()["detail"]


def test_too_large_without_a_declared_length_is_refused_before_any_byte(
    wa: WhatsAppEnv, agent_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(media, "MAX_MEDIA_BYTES", 4096)
    url = wa.fake.add_media(wa.account_sid, b"\0" * 5000, "application/pdf", chunked=True)
    message_id = media_message(wa.tenant_id, (url, "application/pdf"))
    response = agent_client.get(f"/api/media/{message_id}/0")
    assert response.status_code == 502 and "larger than 4 KB" in response.json()["detail"]


def test_an_api_token_with_the_conversations_scope_may_read(wa: WhatsAppEnv, app_client: TestClient) -> None:
    url = wa.fake.add_media(wa.account_sid, JPEG, "image/jpeg")
    message_id = media_message(wa.tenant_id, (url, "image/jpeg"))
    with session_scope() as session:
        reader = api_tokens.create_token(
            session, wa.tenant_id, name="helpdesk", scopes=["conversations:reply"]
        ).token
        other = api_tokens.create_token(
            session, wa.tenant_id, name="reports", scopes=["analytics:view"]
        ).token
    ok = app_client.get(f"/api/media/{message_id}/0", headers={"Authorization": f"Bearer {reader}"})
    assert ok.status_code == 200 and ok.content == JPEG
    refused = app_client.get(f"/api/media/{message_id}/0", headers={"Authorization": f"Bearer {other}"})
    assert refused.status_code == 403
