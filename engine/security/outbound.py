"""Fetching a URL a tenant typed, without letting it reach our own network (SSRF, DNS rebinding).

Checking a host name and then letting the HTTP client resolve it again is not enough: the name can answer a
public address to the check and a private one to the connection (DNS rebinding). So the name is resolved
once, *every* address it has must be public, and the connection goes to that exact address, carrying the
original name in the Host header and in TLS (SNI and certificate check), so virtual hosting and HTTPS work as
usual. Redirects are followed by hand, each new address resolved and checked the same way.

"Public" is `ipaddress`'s is_global, minus multicast, with IPv4-mapped IPv6 judged by its IPv4 address: this
refuses private ranges, loopback, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT
(100.64.0.0/10), reserved and documentation ranges, IPv6 unique-local (fc00::/7) and unspecified addresses.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]
MAX_REDIRECTS = 5


class OutboundRefused(ValueError):
    """The URL may not be fetched (scheme, non-public address, too many redirects); the message says why."""


class OutboundFailed(RuntimeError):
    """The fetch was allowed but did not work (network error, HTTP error, too large); the message says why."""


@dataclass(frozen=True)
class Fetched:
    body: bytes
    content_type: str
    url: str  # the last URL, after redirects


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    return address.is_global and not address.is_multicast


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host` (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def public_addresses(host: str, port: int, resolve: Resolver = system_resolver) -> list[IPAddress]:
    """The host's addresses, resolved once; refused unless every one of them is public."""
    try:
        literal: IPAddress | None = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        found = [literal]
    else:
        try:
            found = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolve(host, port)]
        except (OSError, UnicodeError) as exc:
            raise OutboundFailed(f"the address {host} could not be resolved") from exc
        if not found:
            raise OutboundFailed(f"the address {host} could not be resolved")
    if not all(is_public(a) for a in found):
        raise OutboundRefused("this URL points at a private network address")
    return found


def _pinned_request(client: httpx.Client, url: httpx.URL, headers: dict[str, str], resolve: Resolver) -> Any:
    """A GET for `url` that connects to the address checked now, whatever the name resolves to later."""
    port = url.port or (443 if url.scheme == "https" else 80)
    address = public_addresses(url.host, port, resolve)[0]
    host_header = url.host if url.port is None else f"{url.host}:{url.port}"
    extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
    return client.build_request(
        "GET",
        url.copy_with(host=str(address)),
        headers={**headers, "Host": host_header},
        extensions=extensions,
    )


def fetch_public(
    url: str,
    *,
    client: httpx.Client,
    max_bytes: int,
    headers: dict[str, str] | None = None,
    resolve: Resolver = system_resolver,
    check: bool = True,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """GET `url` (following redirects, each one checked) into memory, refusing anything over `max_bytes`.

    `check=False` skips resolution and pinning: only for a client whose transport is not the network (tests).
    """
    current = httpx.URL(url)
    for _hop in range(max_redirects + 1):
        if current.scheme not in ("http", "https") or not current.host:
            raise OutboundRefused("the URL must start with http:// or https://")
        request = (
            _pinned_request(client, current, headers or {}, resolve)
            if check
            else client.build_request("GET", current, headers=headers or {})
        )
        try:
            response = client.send(request, stream=True, follow_redirects=False)
        except httpx.HTTPError as exc:
            raise OutboundFailed(f"the URL could not be fetched: {exc}") from exc
        try:
            if response.is_redirect and "location" in response.headers:
                current = current.join(response.headers["location"])
                continue
            if response.status_code >= 400:
                raise OutboundFailed(f"the URL answered {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise OutboundFailed(f"the document is larger than {max_bytes // (1024 * 1024)} MB")
            return Fetched(bytes(body), response.headers.get("content-type", ""), str(current))
        except httpx.HTTPError as exc:
            raise OutboundFailed(f"the URL could not be fetched: {exc}") from exc
        finally:
            response.close()
    raise OutboundRefused(f"the URL redirects more than {max_redirects} times")


__all__ = [
    "Fetched",
    "OutboundFailed",
    "OutboundRefused",
    "fetch_public",
    "is_public",
    "public_addresses",
    "system_resolver",
]
