"""RichMessageBuilder: each WhatsApp limit refused naming the field and the number; fallbacks; choices."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from engine.channels.whatsapp import limits
from engine.channels.whatsapp.rich import (
    Option,
    RichMessage,
    RichMessageBuilder,
    RichMessageError,
    resolve_choice,
)

B = RichMessageBuilder


def _raises(field: str, limit: int | None = None):  # noqa: ANN202
    class _Check:
        def __enter__(self) -> None:
            self.ctx = pytest.raises(RichMessageError)
            self.info = self.ctx.__enter__()

        def __exit__(self, *exc: object) -> bool:
            handled = self.ctx.__exit__(*exc)
            error = self.info.value
            assert error.field == field, error
            assert str(error).startswith(f"{field}: ")
            if limit is not None:
                assert error.limit == limit and str(limit) in str(error)
            return bool(handled)

    return _Check()


def _buttons(n: int) -> list[tuple[str, str]]:
    return [(f"b{i}", f"Button {i}") for i in range(n)]


def _items(n: int) -> list[tuple[str, str, str]]:
    return [(f"i{i}", f"Item {i}", "desc") for i in range(n)]


# limits, one by one ----------------------------------------------------------------------------------------


def test_text_body_limit() -> None:
    assert B.text("x" * limits.TEXT_BODY_MAX).body == "x" * 1600
    with _raises("body", 1600):
        B.text("x" * 1601)
    with _raises("body"):
        B.text("   ")


def test_buttons_count_title_id_and_body_limits() -> None:
    message = B.button_message("Pick one", _buttons(3))
    assert [o.id for o in message.options] == ["b0", "b1", "b2"]
    with _raises("buttons", 3):
        B.button_message("Pick one", _buttons(4))
    with _raises("buttons", 1):
        B.button_message("Pick one", [])
    with _raises("buttons[1].title", 20):
        B.button_message("Pick one", [("a", "ok"), ("b", "x" * 21)])
    with _raises("buttons[0].id", 128):
        B.button_message("Pick one", [("i" * 129, "ok")])
    with _raises("buttons[1].id"):
        B.button_message("Pick one", [("same", "A"), ("same", "B")])
    with _raises("body", 1024):
        B.button_message("x" * 1025, _buttons(2))
    with _raises("buttons[0].description"):
        B.button_message("Pick", [Option(id="a", title="A", description="no descriptions on buttons")])


def test_list_rows_titles_descriptions_button_and_sections() -> None:
    message = B.list_message("Our shoes", "See shoes", _items(10))
    assert len(message.options) == 10
    with _raises("items", 10):
        B.list_message("Our shoes", "See shoes", _items(11))
    with _raises("items", 1):
        B.list_message("Our shoes", "See shoes", [])
    with _raises("items[2].title", 24):
        B.list_message("Our shoes", "See", [*_items(2), ("x", "t" * 25, "")])
    with _raises("items[0].description", 72):
        B.list_message("Our shoes", "See", [("x", "Title", "d" * 73)])
    with _raises("button", 20):
        B.list_message("Our shoes", "b" * 21, _items(2))
    with _raises("body", 1024):
        B.list_message("x" * 1025, "See", _items(2))
    sections = [("Road", _items(2)), ("Trail", [("t1", "Trail 1"), ("t2", "Trail 2")])]
    sectioned = B.list_message("Shoes", "Browse", sections=sections)
    assert [o.section for o in sectioned.options] == ["Road", "Road", "Trail", "Trail"]
    with _raises("sections", 10):
        B.list_message("Shoes", "Browse", sections=[(f"S{i}", [(f"s{i}", "x")]) for i in range(11)])
    with _raises("sections[0].title", 24):
        B.list_message("Shoes", "Browse", sections=[("s" * 25, _items(1))])
    with _raises("items", 10):  # rows are counted across sections
        B.list_message(
            "Shoes", "Browse", sections=[("A", _items(6)), ("B", [(f"x{i}", "x") for i in range(5)])]
        )
    with _raises("items"):
        B.list_message("Shoes", "Browse")


def test_card_title_subtitle_buttons_and_image() -> None:
    card = B.card(
        "Trail runner", subtitle="$89.00", image_url="https://cdn.example/shoe.png", buttons=_buttons(3)
    )
    assert card.media is not None and card.media.content_type == "image/png"
    with _raises("title", 1024):
        B.card("t" * 1025, subtitle="x")
    with _raises("subtitle", 60):
        B.card("Trail runner", subtitle="s" * 61)
    with _raises("buttons", 3):
        B.card("Trail runner", buttons=_buttons(4))
    with _raises("image_url"):
        B.card("Trail runner", image_url="file:///etc/passwd")
    with _raises("card"):
        B.card("Only a title")


@pytest.mark.parametrize(
    ("content_type", "size", "field", "limit"),
    [
        ("image/jpeg", 5 * limits.MB + 1, "media.size_bytes", 5 * limits.MB),
        ("image/png", 5 * limits.MB + 1, "media.size_bytes", 5 * limits.MB),
        ("video/mp4", 16 * limits.MB + 1, "media.size_bytes", 16 * limits.MB),
        ("application/pdf", 16 * limits.MB + 1, "media.size_bytes", 16 * limits.MB),
        ("image/gif", 10, "media.content_type", None),
        ("application/zip", 10, "media.content_type", None),
    ],
)
def test_media_types_and_sizes(content_type: str, size: int, field: str, limit: int | None) -> None:
    with _raises(field, limit):
        B.media("https://cdn.example/file", content_type, size_bytes=size)


def test_media_accepts_real_types_with_parameters_and_checks_the_caption_and_url() -> None:
    voice = B.media("https://cdn.example/v", "audio/ogg; codecs=opus", size_bytes=1000)
    assert voice.media is not None and voice.media.content_type == "audio/ogg"
    assert B.media("https://cdn.example/i.jpg", "image/jpeg", size_bytes=5 * limits.MB).kind == "media"
    with _raises("caption", 1600):
        B.media("https://cdn.example/i.jpg", "image/jpeg", caption="c" * 1601)
    with _raises("media.url"):
        B.media("not a url", "image/jpeg")


def test_product_and_service_cards_from_catalogue_rows() -> None:
    product = SimpleNamespace(
        sku="TR-42",
        name="Trail Runner",
        description="Grippy. " * 100,
        price=Decimal("89.00"),
        stock=3,
        image_url="https://cdn.example/tr.jpg",
    )
    card = B.product_card(product, currency="USD")
    assert card.kind == "card"
    assert card.subtitle == "$89.00 · in stock"
    assert card.title is not None and card.title.startswith("Trail Runner\n") and len(card.title) < 400
    assert [o.id for o in card.options] == ["product:TR-42:buy", "product:TR-42:info"]
    service = SimpleNamespace(
        code="FIT",
        name="Gait analysis",
        description="",
        price=Decimal("25"),
        duration_minutes=45,
        is_bookable=True,
    )
    assert B.service_card(service, currency="EUR").subtitle == "€25.00 · 45 min · bookable"
    with _raises("buttons[0].title", 20):
        B.product_card(product, buttons=[("x", "A very long button title")])


# what travels -----------------------------------------------------------------------------------------


def test_fallback_text_numbers_the_options_and_stays_within_the_text_limit() -> None:
    message = B.list_message(
        "Which one?", "Options", sections=[("Road", [("r", "Road 1", "fast")]), ("Trail", [("t", "Trail 1")])]
    )
    assert message.fallback_text() == (
        "Which one?\n\n*Road*\n1. Road 1 — fast\n*Trail*\n2. Trail 1\n\nReply with the number of your choice."
    )
    card = B.card("Trail Runner", subtitle="$89", buttons=[("buy", "Buy"), ("info", "More info")])
    assert (
        card.fallback_text()
        == "Trail Runner\n$89\n\n1. Buy\n2. More info\n\nReply with the number of your choice."
    )
    long = RichMessage(kind="buttons", body="x" * 1600, options=(Option("a", "A"),))
    assert len(long.fallback_text()) == limits.TEXT_BODY_MAX


def test_content_types_match_the_content_api() -> None:
    assert B.button_message("Size?", [("s42", "42")]).content_types() == {
        "twilio/quick-reply": {
            "body": "Size?",
            "actions": [{"type": "QUICK_REPLY", "title": "42", "id": "s42"}],
        }
    }
    assert B.list_message("Pick", "Shoes", [("a", "A", "first")]).content_types() == {
        "twilio/list-picker": {
            "body": "Pick",
            "button": "Shoes",
            "items": [{"item": "A", "id": "a", "description": "first"}],
        }
    }
    card = B.card("T", subtitle="S", image_url="https://cdn.example/x.jpg", buttons=[("b", "Buy")])
    assert card.content_types() == {
        "twilio/card": {
            "title": "T",
            "subtitle": "S",
            "media": ["https://cdn.example/x.jpg"],
            "actions": [{"type": "QUICK_REPLY", "title": "Buy", "id": "b"}],
        }
    }
    with pytest.raises(RichMessageError):
        B.text("plain").content_types()


def test_the_content_hash_ignores_meta_and_changes_with_the_payload() -> None:
    a = B.button_message("Size?", [("s42", "42")])
    assert a.content_hash() == a.with_meta(confidence=0.9).content_hash()
    assert a.content_hash() != B.button_message("Size?", [("s43", "43")]).content_hash()
    assert a.content_hash("en") != a.content_hash("es")


def test_a_rich_message_survives_the_round_trip_through_json() -> None:
    message = B.card(
        "T", subtitle="S", image_url="https://cdn.example/x.jpg", buttons=[("b", "Buy")]
    ).with_meta(x=1)
    assert RichMessage.from_dict(message.to_dict()) == message
    assert RichMessage.from_dict(message.to_dict()).meta == {"x": 1}


def test_from_agent_builds_the_rich_part_or_degrades_to_numbered_text() -> None:
    ok = B.from_agent("Which size?", {"type": "buttons", "buttons": [{"id": "42", "title": "42"}]})
    assert ok.kind == "buttons"
    listed = B.from_agent("Pick", {"type": "list", "button": "Shoes", "items": [{"id": "a", "title": "A"}]})
    assert listed.kind == "list"
    too_many = B.from_agent("Which?", {"type": "buttons", "buttons": [f"Option {i}" for i in range(5)]})
    assert too_many.kind == "text"
    assert "buttons: has 5 options" in too_many.meta["rich_error"]
    assert "5. Option 4" in too_many.body
    assert B.from_agent("Just text", None).kind == "text"


# choices ----------------------------------------------------------------------------------------------

OPTIONS = (Option("size-42", "42"), Option("size-43", "43"), Option("help", "Talk to a person"))


@pytest.mark.parametrize(
    ("kwargs", "expected", "via"),
    [
        ({"button_payload": "size-43"}, "size-43", "button"),
        ({"list_id": "help"}, "help", "list"),
        ({"body": "2"}, "size-43", "number"),
        ({"body": "#3"}, "help", "number"),
        ({"body": "option 1"}, "size-42", "number"),
        ({"body": "3)"}, "help", "number"),
        ({"body": "talk to a PERSON"}, "help", "title"),
        ({"body": "42"}, "size-42", "title"),  # a title wins over "the 42nd option"
    ],
)
def test_answers_map_back_to_the_option(kwargs: dict, expected: str, via: str) -> None:
    choice = resolve_choice(OPTIONS, **kwargs)
    assert choice is not None and (choice.option.id, choice.via) == (expected, via)


@pytest.mark.parametrize("body", ["4", "0", "2 please, and also 3", "", "hello"])
def test_other_answers_map_to_nothing(body: str) -> None:
    assert resolve_choice(OPTIONS, body=body, button_payload="unknown") is None
    assert resolve_choice((), body="1") is None
