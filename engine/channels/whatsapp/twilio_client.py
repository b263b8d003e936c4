"""twilio-python clients whose requests can be pointed at another host (TWILIO_API_BASE_URL, DESIGN.md §4).

Why rewrite in the HTTP client rather than swap `base_url`s on each domain: the rewrite then covers every
Twilio domain the library knows now or later (api, content, messaging...), keeps each domain's path prefix
(`/2010-04-01/...`, `/v1/...`, `/v2/...`), and the real library still builds every request and parses every
response and error. Tests point it at tests/fakes/twilio_server.py; production leaves it unset.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlsplit

from cachetools import LRUCache
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

DEFAULT_TIMEOUT = 10.0  # seconds per request; Twilio's API answers in well under one


def rewrite_url(url: str, base_url: str | None) -> str:
    """`https://<anything>.twilio.com/<path>?<query>` → `<base_url>/<path>?<query>`; other URLs unchanged."""
    if not base_url:
        return url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host != "twilio.com" and not host.endswith(".twilio.com"):
        return url
    rewritten = base_url.rstrip("/") + parts.path
    return f"{rewritten}?{parts.query}" if parts.query else rewritten


class BaseUrlHttpClient(TwilioHttpClient):
    """TwilioHttpClient (pooled requests.Session) that sends Twilio's requests to `base_url` when set."""

    def __init__(self, base_url: str | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        super().__init__(pool_connections=True, timeout=timeout)
        self.base_url = base_url.rstrip("/") if base_url else None

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        return super().request(
            method,
            rewrite_url(url, self.base_url),
            params=params,
            data=data,
            headers=headers,
            auth=auth,
            timeout=timeout,
            allow_redirects=allow_redirects,
        )


_MAX_CLIENTS = 256
_clients: LRUCache[tuple[str, str, str, str | None, float], Client] = LRUCache(maxsize=_MAX_CLIENTS)
_clients_guard = threading.Lock()


def twilio_client(
    account_sid: str,
    password: str,
    *,
    username: str | None = None,
    base_url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Client:
    """A Client per (login, base URL, timeout), reused so its connection pool stays warm. `password` is the
    auth token, or an API key's secret when `username` is that key's SID."""
    username = username or account_sid
    key = (username, password, account_sid, base_url, float(timeout))
    with _clients_guard:
        client = _clients.get(key)
        if client is None:
            client = Client(
                username, password, account_sid, http_client=BaseUrlHttpClient(base_url, timeout=timeout)
            )
            _clients[key] = client
        return client


def reset_clients() -> None:
    """Forget cached clients (tests, or after credentials are rotated)."""
    with _clients_guard:
        _clients.clear()


def error_details(exc: Any) -> tuple[str | None, str]:
    """(code, message) of a twilio-python exception, for recording on a message."""
    code = getattr(exc, "code", None)
    message = getattr(exc, "msg", None) or getattr(exc, "detail", None) or str(exc)
    return (str(code) if code is not None else None), str(message)[:500]


__all__ = ["BaseUrlHttpClient", "error_details", "reset_clients", "rewrite_url", "twilio_client"]
