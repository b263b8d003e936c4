"""One POST to a shop's endpoint, never into our own network.

The endpoint's URL was checked when it was saved, but a name can resolve elsewhere later (DNS rebinding), so
each POST resolves it again, refuses unless every address is public (engine.security.outbound's rule) and
connects to that exact address with the original name in the Host header and TLS. Redirects are not followed:
a receiver that moved answers 3xx, which is logged as a failure for the shop to fix.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from engine.config import get_settings
from engine.security import outbound

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
EXCERPT = 500


@dataclass(frozen=True, slots=True)
class Outcome:
    status_code: int | None  # None: no answer (network error, refused address)
    latency_ms: int
    excerpt: str | None  # the start of the receiver's answer, or our words for the error
    retry: bool  # worth trying again later (network error, 5xx, 429, 408)

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def check_url(url: str, resolve: outbound.Resolver = outbound.system_resolver) -> str:
    """The URL, cleaned, or OutboundRefused/OutboundFailed with a message for the shop."""
    cleaned = url.strip()
    parsed = httpx.URL(cleaned)
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise outbound.OutboundRefused("the URL must start with https:// (or http://)")
    if not get_settings().webhooks_allow_private_urls:
        outbound.public_addresses(
            parsed.host, parsed.port or (443 if parsed.scheme == "https" else 80), resolve
        )
    return cleaned


def post(
    client: httpx.Client,
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    resolve: outbound.Resolver = outbound.system_resolver,
) -> Outcome:
    started = time.monotonic()
    try:
        request = _request(client, httpx.URL(url), body, headers, resolve)
        response = client.send(request, follow_redirects=False)
    except outbound.OutboundRefused as exc:
        return Outcome(None, _ms(started), str(exc), retry=False)
    except (outbound.OutboundFailed, httpx.HTTPError) as exc:
        return Outcome(None, _ms(started), _network_words(exc), retry=True)
    code = response.status_code
    retry = code >= 500 or code in (408, 429)
    return Outcome(code, _ms(started), response.text[:EXCERPT] or None, retry=retry)


def _request(
    client: httpx.Client, url: httpx.URL, body: bytes, headers: dict[str, str], resolve: outbound.Resolver
) -> httpx.Request:
    if url.scheme not in ("http", "https") or not url.host:
        raise outbound.OutboundRefused("the URL must start with https:// (or http://)")
    if get_settings().webhooks_allow_private_urls:
        return client.build_request("POST", url, content=body, headers=headers)
    port = url.port or (443 if url.scheme == "https" else 80)
    address = outbound.public_addresses(url.host, port, resolve)[0]
    host_header = url.host if url.port is None else f"{url.host}:{url.port}"
    return client.build_request(
        "POST",
        url.copy_with(host=str(address)),
        content=body,
        headers={**headers, "Host": host_header},
        extensions={"sni_hostname": url.host} if url.scheme == "https" else {},
    )


def _network_words(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "no answer within 10 seconds"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect"
    return str(exc)[:200] or type(exc).__name__


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


__all__ = ["Outcome", "check_url", "post"]
