"""Replies without a model come back in the customer's language (issue #13 item 4): the offline templates,
the small-talk replies and the handoff notice read engine/locales/<lang>.json, through the same
pipeline call the Playground makes, on a tenant made by create_tenant with no model key (offline provider)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from engine.agent.compose import SOCIAL_REPLIES
from engine.agent.language import locale, locales, offline_wording, social_wording
from engine.agent.pipeline import process_message
from engine.agent.variants import WORDING
from engine.catalog import invalidate_catalog_index
from engine.db import TenantScope, session_scope
from engine.llm.offline import KnowledgeHit, OfflineContext, answer
from engine.models import Conversation, Customer, Product, utcnow
from tests.engine.conversations.harness import WhatsAppEnv, wa_fixture  # noqa: F401 - the fixture

# (language, a catalogue question, a greeting) — the customer writes; the shop's data stays English.
CASES = [
    ("es", "Hola, ¿tienen la tetera de cobre para la cocina?", "Hola, buenos días"),
    ("pt", "Olá, vocês têm a chaleira de cobre para a cozinha?", "Olá, bom dia"),
    ("fr", "Bonjour, est-ce que vous avez la bouilloire en cuivre pour la cuisine ?", "Bonjour à tous"),
    ("de", "Hallo, haben Sie den Wasserkessel aus Kupfer für die Küche?", "Hallo, guten Morgen"),
    ("it", "Buongiorno, avete il bollitore in rame per la cucina?", "Ciao, buongiorno a tutti"),
    ("sw", "Habari, mna birika la shaba kwa ajili ya jikoni?", "Habari za asubuhi"),
]


def _shop(tenant_id: int) -> None:
    now = utcnow()
    with session_scope() as s:
        scope = TenantScope(s, tenant_id)
        for sku, name, aliases in (
            (
                "KET-CU",
                "Copper Kettle",
                [
                    "tetera de cobre",
                    "chaleira de cobre",
                    "bouilloire en cuivre",
                    "wasserkessel aus kupfer",
                    "bollitore in rame",
                    "birika la shaba",
                ],
            ),
            (
                "KET-ST",
                "Steel Kettle",
                [
                    "tetera de acero",
                    "chaleira de aço",
                    "bouilloire en acier",
                    "wasserkessel aus stahl",
                    "bollitore in acciaio",
                    "birika la chuma",
                ],
            ),
        ):
            scope.add(
                Product(
                    sku=sku,
                    name=name,
                    aliases=aliases,
                    description="Stovetop kettle, 1.7 l.",
                    category="kettles",
                    price=Decimal("39.00"),
                    stock=5,
                    created_at=now,
                    updated_at=now,
                )
            )
        invalidate_catalog_index(tenant_id, s)


def _conversation(tenant_id: int, phone: str) -> int:
    with session_scope() as s:
        scope = TenantScope(s, tenant_id)
        customer = scope.add(Customer(phone=phone))
        return int(scope.add(Conversation(customer_id=customer.id)).id or 0)


def _fragments(code: str) -> set[str]:
    """Every line this language's file gives the no-model path, cut to a distinctive piece of each."""
    data = locale(code)
    social = data.get("social") or SOCIAL_REPLIES["friendly"]
    lines = [*data["offline"].values(), *social.values(), *data["handoff"].values()]
    pieces = (max(re.split(r"\{\w+\}", line), key=len).strip() for line in lines)
    return {piece[:14] for piece in pieces if len(piece) >= 8}


@pytest.mark.parametrize(("code", "question", "greeting"), CASES)
def test_offline_replies_in_the_customers_language(
    wa: WhatsAppEnv,  # noqa: F811
    code: str,
    question: str,
    greeting: str,
) -> None:
    _shop(wa.tenant_id)
    english = _fragments("en")
    theirs = _fragments(code)
    for n, text in enumerate((question, greeting)):
        result = process_message(wa.tenant_id, _conversation(wa.tenant_id, f"whatsapp:+1415555{n:04d}"), text)
        reply = result.text
        assert any(f in reply for f in theirs), (code, text, reply)
        assert not any(f in reply for f in english - theirs), (code, text, reply)
    with session_scope() as s:  # stored on the customer, as the inbox shows it
        assert (
            TenantScope(s, wa.tenant_id).first(Customer, Customer.phone == "whatsapp:+14155550000").language
            == code
        )


def test_offline_templates_take_the_language_key_by_key() -> None:
    hit = KnowledgeHit(
        kind="product", id="K", title="Copper Kettle", score=0.9, price=Decimal("39"), available=True
    )
    other = KnowledgeHit(
        kind="product", id="S", title="Steel Kettle", score=0.88, price=Decimal("39"), available=False
    )
    reply = answer(OfflineContext(query="kettle", hits=[hit, other], wording=offline_wording("es"))).reply
    assert (
        reply.startswith("Esto es lo que he encontrado") and "(disponible)" in reply and "(agotado)" in reply
    )
    # A file that lacks a key falls back to English for that key only.
    partial = answer(
        OfflineContext(query="kettle", hits=[hit, other], wording={"catalog_intro": "Voilà :"})
    ).reply
    assert partial.startswith("Voilà :") and "(in stock)" in partial
    assert offline_wording("en") is None and social_wording("en") is None


def test_every_language_file_has_the_full_key_set() -> None:
    """Every language beside English carries the keys Spanish does, handoff endings and button included."""
    reference = locale("es")
    for code, data in locales().items():
        if code == "en":
            continue
        for key in (
            "name",
            "short_words",
            "handoff",
            "offer_person",
            "offline",
            "social",
            "variants",
            "rating",
        ):
            assert data.get(key), (code, key)
        for key in ("handoff", "offer_person", "offline", "social", "rating"):
            assert set(reference[key]) <= set(data[key]), (code, key, set(reference[key]) - set(data[key]))
        assert set(WORDING) == set(data["variants"]), (code, set(WORDING) ^ set(data["variants"]))
        for button in ("reserve", "details", "other_sizes"):
            assert len(data["variants"][button]) <= 20, (code, button)
        rating = data["rating"]
        assert (len(rating["three"]), len(rating["two"])) == (3, 2), code
        assert all(len(title) <= 20 for title in rating["three"] + rating["two"]), code
        assert "{when}" in data["handoff"]["closed"], code
        assert all("{name}" in data["social"][k] for k in ("greeting", "thanks", "frustration")), code
        assert len(data["offer_person"]["button"]) <= 20, code  # a WhatsApp reply button's limit


def test_every_language_file_has_the_no_model_wording() -> None:
    """Adding a language is adding a file: every file carries the keys the no-model path reads."""
    needed = set(locale("en")["offline"])
    for code, data in locales().items():
        assert needed <= set(data["offline"]), (code, needed - set(data["offline"]))
        if code != "en":
            assert {"greeting", "thanks", "frustration"} <= set(data.get("social", {})), code
