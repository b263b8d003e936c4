"""Campaign media in S3-compatible object storage (`MEDIA_STORAGE_URI=s3://bucket/prefix`), through fsspec and
s3fs exactly as production runs it, against moto's S3 server on 127.0.0.1 (a real HTTP endpoint, found by
the standard AWS_ENDPOINT_URL variable): stored under the tenant's prefix, read back only by that tenant,
and served to Twilio through the signed URL."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from engine.campaigns import media
from engine.http.app import create_app

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64

moto_server = pytest.importorskip("moto.server", reason="moto[server] is a dev dependency")
s3fs = pytest.importorskip("s3fs", reason="s3fs is the `s3` extra")


@pytest.fixture
def bucket(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server._server.server_address  # noqa: SLF001 - moto exposes no public accessor
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://{host}:{port}")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "parley-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "parley-test-secret")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    httpx.post(f"http://{host}:{port}/moto-api/reset")  # moto keeps its buckets per process: start empty
    s3fs.S3FileSystem.clear_instance_cache()
    fs = s3fs.S3FileSystem()
    fs.mkdir("parley-media")
    monkeypatch.setenv("MEDIA_STORAGE_URI", "s3://parley-media/campaigns/")
    try:
        yield "parley-media"
    finally:
        s3fs.S3FileSystem.clear_instance_cache()
        server.stop()


def test_media_is_kept_in_the_bucket_under_the_tenants_prefix(bucket: str) -> None:
    stored = media.store(7, PNG)
    assert stored.key.startswith("7/") and stored.key.endswith(".png")
    fs = s3fs.S3FileSystem()
    assert fs.cat(f"{bucket}/campaigns/{stored.key}") == PNG  # really in the object store
    assert media.read(7, stored.key) == PNG
    with pytest.raises(FileNotFoundError):
        media.read(8, stored.key)  # another tenant's key
    with pytest.raises(FileNotFoundError):
        media.read(7, "7/../../secret.keys")


def test_twilio_fetches_it_from_the_bucket_through_the_signed_url(bucket: str) -> None:
    stored = media.store(3, PNG)
    client = TestClient(create_app())
    ok = client.get(media.signed_path(stored.key))
    assert ok.status_code == 200 and ok.content == PNG and ok.headers["content-type"] == "image/png"
    assert client.get(media.signed_path(stored.key, ttl=-1)).status_code == 403
