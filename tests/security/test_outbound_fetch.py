"""The document-URL fetch cannot be pointed at our own network (issue #14, item 3): every resolved address
must be public, the connection is pinned to the address that was checked (no DNS rebinding), and redirects
are checked again."""

from __future__ import annotations

import ipaddress

import httpx
import pytest

from engine.knowledge import documents
from engine.knowledge.types import KnowledgeError
from engine.security.outbound import OutboundRefused, is_public, public_addresses

REFUSED = [
    "10.0.0.1", "172.16.5.4", "192.168.1.1", "127.0.0.1", "0.0.0.0", "169.254.169.254", "100.64.0.1",
    "100.127.255.254", "224.0.0.1", "240.0.0.1", "255.255.255.255", "192.0.2.1", "::1", "::", "fc00::1",
    "fd12:3456::1", "fe80::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "2001:db8::1",
]  # fmt: skip
PUBLIC = ["93.184.216.34", "8.8.8.8", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", REFUSED)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))
    with pytest.raises(OutboundRefused):
        public_addresses(address, 443)


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    with pytest.raises(OutboundRefused):
        public_addresses("mixed.example", 443, lambda host, port: ["93.184.216.34", "10.1.2.3"])


class Resolver:
    """A DNS that answers a public address first and a private one afterwards (a rebinding attack)."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        return [self.answers[host].pop(0)] if len(self.answers[host]) > 1 else self.answers[host]


def _page(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200, text="# Help\n\n## Hours\n\nOpen 9 to 6.", headers={"content-type": "text/markdown"}
    )


def test_the_connection_goes_to_the_checked_address_with_the_original_name() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _page(request)

    dns = Resolver({"help.shop.example": ["93.184.216.34", "127.0.0.1"]})  # rebinds after the first answer
    client = httpx.Client(transport=httpx.MockTransport(handler))
    body, kind = documents.fetch_url("https://help.shop.example/faq?x=1", client=client, resolve=dns)
    assert b"Open 9 to 6" in body and kind == "text/markdown"
    (request,) = seen
    assert dns.calls == ["help.shop.example"]  # resolved once: the second (private) answer is never used
    assert (request.url.host, request.url.path, request.url.query) == ("93.184.216.34", "/faq", b"x=1")
    assert request.headers["host"] == "help.shop.example"
    assert request.extensions["sni_hostname"] == "help.shop.example"  # TLS checks the name, not the address


@pytest.mark.parametrize(
    "target", ["http://10.0.0.1/", "http://internal.shop.example/", "http://[::1]:8080/"]
)
def test_a_redirect_into_our_network_is_refused(target: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.headers["host"] == "help.shop.example":
            return httpx.Response(302, headers={"location": target})
        return _page(request)

    dns = Resolver({"help.shop.example": ["93.184.216.34"], "internal.shop.example": ["192.168.0.10"]})
    client = httpx.Client(transport=httpx.MockTransport(handler))
    with pytest.raises(KnowledgeError, match="private network"):
        documents.fetch_url("https://help.shop.example/moved", client=client, resolve=dns)


def test_a_redirect_to_a_public_host_is_followed_and_pinned_again() -> None:
    hosts: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append((request.url.host, request.headers["host"]))
        if request.headers["host"] == "old.shop.example":
            return httpx.Response(301, headers={"location": "https://new.shop.example/faq"})
        return _page(request)

    dns = Resolver({"old.shop.example": ["93.184.216.34"], "new.shop.example": ["2606:4700:4700::1111"]})
    client = httpx.Client(transport=httpx.MockTransport(handler))
    body, _ = documents.fetch_url("https://old.shop.example/faq", client=client, resolve=dns)
    assert b"Open 9 to 6" in body
    assert hosts == [("93.184.216.34", "old.shop.example"), ("2606:4700:4700::1111", "new.shop.example")]


def test_endless_redirects_are_refused() -> None:
    client = httpx.Client(
        transport=httpx.MockTransport(lambda r: httpx.Response(302, headers={"location": "/again"}))
    )
    dns = Resolver({"loop.shop.example": ["93.184.216.34"]})
    with pytest.raises(KnowledgeError, match="redirects more than"):
        documents.fetch_url("https://loop.shop.example/", client=client, resolve=dns)


@pytest.mark.parametrize("url", ["http://100.64.1.2/doc", "http://169.254.169.254/latest/meta-data/"])
def test_import_refuses_carrier_grade_nat_and_metadata_addresses(url: str) -> None:
    with pytest.raises(KnowledgeError, match="private network"):
        documents.fetch_url(url)
