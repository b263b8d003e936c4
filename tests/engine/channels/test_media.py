"""Fetching customer media from Twilio (through the fake Twilio server): tenant-scoped lookup, the tenant's
credentials, Twilio-only URLs, size cap, and Twilio's failures as clear errors."""

from __future__ import annotations

import base64

import pytest

from engine.channels.whatsapp import media
from engine.channels.whatsapp.media import (
    MediaNotFound,
    MediaRefused,
    MediaTooLarge,
    MediaUnavailable,
    fetch_media,
    is_twilio_api_url,
    is_twilio_media_host,
)
from engine.db import session_scope
from tests.engine.channels.media_helpers import JPEG, media_message
from tests.engine.conversations.harness import WhatsAppEnv, make_tenant, wa_fixture  # noqa: F401 - fixture


def _fetch(tenant_id: int, message_id: int, index: int = 0, **options: object) -> media.FetchedMedia:
    with session_scope() as session:
        return fetch_media(session, tenant_id, message_id, index, **options)  # type: ignore[arg-type]


def test_media_comes_back_with_twilios_bytes_and_content_type(wa: WhatsAppEnv) -> None:
    photo = wa.fake.add_media(wa.account_sid, JPEG, "image/jpeg")
    voice = wa.fake.add_media(wa.account_sid, b"OggS voice", "audio/ogg")
    message_id = media_message(wa.tenant_id, (photo, "image/jpeg"), (voice, "audio/ogg"))

    fetched = _fetch(wa.tenant_id, message_id, 0)
    assert fetched.content == JPEG and fetched.content_type == "image/jpeg"
    second = _fetch(wa.tenant_id, message_id, 1)
    assert second.content == b"OggS voice" and second.content_type == "audio/ogg"

    first_request = wa.fake.media_requests[0]
    assert first_request.path == photo.removeprefix("https://api.twilio.com")  # TWILIO_API_BASE_URL rewrite
    user, _, password = base64.b64decode(first_request.headers["authorization"][6:]).decode().partition(":")
    assert (user, password) == (wa.account_sid, wa.auth_token)


def test_twilios_content_type_wins_over_what_the_webhook_said(wa: WhatsAppEnv) -> None:
    url = wa.fake.add_media(wa.account_sid, b"%PDF-1.7", "application/pdf")
    message_id = media_message(wa.tenant_id, (url, "image/jpeg"))
    assert _fetch(wa.tenant_id, message_id).content_type == "application/pdf"


def test_a_body_without_content_length_is_read_in_full(wa: WhatsAppEnv) -> None:
    data = bytes(range(256)) * 1000
    url = wa.fake.add_media(wa.account_sid, data, "application/pdf", chunked=True)
    message_id = media_message(wa.tenant_id, (url, "application/pdf"))
    assert _fetch(wa.tenant_id, message_id).content == data


def test_another_tenants_message_is_not_found(wa: WhatsAppEnv) -> None:
    url = wa.fake.add_media(wa.account_sid, JPEG, "image/jpeg")
    message_id = media_message(wa.tenant_id, (url, "image/jpeg"))
    with session_scope() as session:
        other_id, _, other_sid, other_token = make_tenant(session)
    wa.fake.add_account(other_sid, other_token)
    with pytest.raises(MediaNotFound):
        _fetch(other_id, message_id)
    with pytest.raises(MediaNotFound):
        _fetch(wa.tenant_id, message_id, 1)  # no second item
    with pytest.raises(MediaNotFound):
        _fetch(wa.tenant_id, message_id + 1000)
    assert wa.fake.media_requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "https://evil.example/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
        "https://api.twilio.com.evil.example/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
        "https://eviltwilio.com/x",
        "http://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",  # not https
        "https://user:pass@api.twilio.com/2010-04-01/x",
        "https://api.twilio.com:8443/2010-04-01/x",
        "file:///etc/passwd",
        "",
    ],
)
def test_a_url_outside_twilio_is_refused_and_never_fetched(wa: WhatsAppEnv, url: str) -> None:
    message_id = media_message(wa.tenant_id, (url, "image/jpeg"))
    with pytest.raises(MediaRefused):
        _fetch(wa.tenant_id, message_id)
    assert wa.fake.requests == []


def test_a_redirect_away_from_twilio_is_refused(wa: WhatsAppEnv) -> None:
    url = wa.fake.add_media(
        wa.account_sid, b"", "image/jpeg", redirect_to="http://169.254.169.254/latest/meta-data/"
    )
    message_id = media_message(wa.tenant_id, (url, "image/jpeg"))
    with pytest.raises(MediaRefused, match="redirected"):
        _fetch(wa.tenant_id, message_id)


def test_a_redirect_within_twilio_is_followed(wa: WhatsAppEnv) -> None:
    target = wa.fake.add_media(wa.account_sid, JPEG, "image/jpeg")
    url = wa.fake.add_media(wa.account_sid, b"", "image/jpeg", redirect_to=target)
    message_id = media_message(wa.tenant_id, (url, "image/jpeg"))
    assert _fetch(wa.tenant_id, message_id).content == JPEG
    assert len(wa.fake.media_requests) == 2


@pytest.mark.parametrize(("status", "words"), [(404, "no longer has"), (500, "answered 500")])
def test_twilio_errors_are_unavailable_with_a_reason(wa: WhatsAppEnv, status: int, words: str) -> None:
    url = wa.fake.add_media(wa.account_sid, JPEG, "image/jpeg")
    message_id = media_message(wa.tenant_id, (url, "image/jpeg"))
    wa.fake.fail("media", status=status, code=20404 if status == 404 else None)
    with pytest.raises(MediaUnavailable, match=words):
        _fetch(wa.tenant_id, message_id)


def test_wrong_credentials_are_unavailable(wa: WhatsAppEnv) -> None:
    other = "AC" + "f" * 32
    wa.fake.add_account(other, "another-token")
    url = wa.fake.add_media(other, JPEG, "image/jpeg")  # another Twilio account's media
    message_id = media_message(wa.tenant_id, (url, "image/jpeg"))
    with pytest.raises(MediaUnavailable, match="credentials"):
        _fetch(wa.tenant_id, message_id)


def test_too_large_is_refused_with_or_without_a_declared_length(
    wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    declared = wa.fake.add_media(wa.account_sid, b"x" * 4096, "video/mp4")
    undeclared = wa.fake.add_media(wa.account_sid, b"x" * 4096, "video/mp4", chunked=True)
    message_id = media_message(wa.tenant_id, (declared, "video/mp4"), (undeclared, "video/mp4"))
    with pytest.raises(MediaTooLarge, match="larger than 1 KB"):
        _fetch(wa.tenant_id, message_id, 0, max_bytes=1024)
    monkeypatch.setattr(media, "MAX_MEDIA_BYTES", 2048)
    with pytest.raises(MediaTooLarge):
        _fetch(wa.tenant_id, message_id, 1)
    assert _fetch(wa.tenant_id, message_id, 0, max_bytes=4096).content == b"x" * 4096


def test_the_default_cap_is_whatsapps_16_mb() -> None:
    assert media.MAX_MEDIA_BYTES == 16 * 1024 * 1024


def test_a_tenant_without_twilio_credentials_is_told_so(wa: WhatsAppEnv) -> None:
    from engine.accounts.secrets import delete_secret

    url = wa.fake.add_media(wa.account_sid, JPEG, "image/jpeg")
    message_id = media_message(wa.tenant_id, (url, "image/jpeg"))
    with session_scope() as session:
        delete_secret(session, wa.tenant_id, "twilio_auth_token")
    with pytest.raises(MediaUnavailable, match="not connected"):
        _fetch(wa.tenant_id, message_id)


def test_an_unreachable_twilio_is_unavailable(wa: WhatsAppEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    from engine.config import reset_settings_cache

    url = wa.fake.add_media(wa.account_sid, JPEG, "image/jpeg")
    message_id = media_message(wa.tenant_id, (url, "image/jpeg"))
    monkeypatch.setenv("TWILIO_API_BASE_URL", "http://127.0.0.1:9")  # discard port: nothing listens
    reset_settings_cache()
    with pytest.raises(MediaUnavailable, match="could not reach Twilio"):
        _fetch(wa.tenant_id, message_id, connect_timeout=1.0)


def test_which_urls_count_as_twilios() -> None:
    base = "http://127.0.0.1:8123"
    assert is_twilio_api_url("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1")
    assert is_twilio_api_url("https://api.twilio.com:443/x")
    assert is_twilio_api_url("http://127.0.0.1:8123/2010-04-01/x", base)
    assert not is_twilio_api_url("http://127.0.0.1:8124/2010-04-01/x", base)
    assert not is_twilio_api_url("http://localhost:8123/x", base)
    assert not is_twilio_api_url("http://127.0.0.1:8123/x")  # no base URL configured
    assert not is_twilio_api_url("https://twilio.com.evil.example/x")
    assert is_twilio_media_host("https://mms.twiliocdn.com/AC1/abc")
    assert is_twilio_media_host("https://s3-external-1.amazonaws.com/media.twiliocdn.com/AC1/abc")
    assert not is_twilio_media_host("http://mms.twiliocdn.com/AC1/abc")
    assert not is_twilio_media_host("https://evil.example/media.twiliocdn.com")
