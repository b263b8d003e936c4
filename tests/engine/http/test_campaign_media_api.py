"""POST /api/v1/campaigns/media: the file's bytes decide its type, the scope is campaigns:manage."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.http.api_env import ApiEnv

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MEDIA_STORAGE_URI", str(tmp_path / "media"))
    return tmp_path / "media"


def test_upload_stores_a_real_picture_and_refuses_a_disguised_file(api: ApiEnv, media_dir: Path) -> None:
    ok = api.call("POST", "/campaigns/media", files={"file": ("spring.txt", PNG, "text/plain")})
    assert ok.status_code == 201, ok.text
    body = ok.json()
    assert body["media_type"] == "image/png" and body["kind"] == "image"
    assert (media_dir / body["media_key"]).read_bytes() == PNG
    fake = api.call(
        "POST", "/campaigns/media", files={"file": ("spring.jpg", b"MZ\x90\x00" * 20, "image/jpeg")}
    )
    assert fake.status_code == 422 and "media" in fake.json()["error"]["message"]
    created = api.call(
        "POST",
        "/campaigns",
        json={"name": "Spring", "body": "Hi", "media_key": body["media_key"], "media_type": "image/png"},
    )
    assert created.status_code == 201 and created.json()["media_key"] == body["media_key"]


def test_upload_needs_the_campaigns_scope(api: ApiEnv) -> None:
    refused = api.call(
        "POST", "/campaigns/media", token="analytics:view", files={"file": ("a.png", PNG, "image/png")}
    )
    assert refused.status_code == 403
