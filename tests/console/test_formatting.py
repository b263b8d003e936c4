"""console.state.formatting: display strings. Here, where a web address may wrap on a phone."""

from __future__ import annotations

import pytest

from console.state.formatting import url_parts


@pytest.mark.parametrize(
    ("url", "parts"),
    [
        (
            "https://shop.example/webhooks/twilio/whatsapp",
            ["https://shop.example/", "webhooks/", "twilio/", "whatsapp"],
        ),
        (
            "http://127.0.0.1:3000/webhooks/twilio/status",
            ["http://127.0.0.1:3000/", "webhooks/", "twilio/", "status"],
        ),
        ("https://hooks.example/in?token=abc&v=2", ["https://hooks.example/", "in", "?token=abc", "&v=2"]),
        ("https://hooks.example/", ["https://hooks.example/"]),
        ("hooks.example/in", ["hooks.example/", "in"]),  # no scheme
        ("", []),
    ],
)
def test_an_address_wraps_after_its_slashes_never_inside_a_word(url: str, parts: list[str]) -> None:
    assert url_parts(url) == parts
    assert "".join(url_parts(url)) == url  # copied, it is the address again
