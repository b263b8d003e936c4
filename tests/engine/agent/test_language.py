"""The customer's language (engine.agent.language): detected, stored on the customer, answered in, through
the WhatsApp channel and the Playground, with a scripted model that reads the prompt's "Reply in" line."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest

from engine.accounts.secrets import set_secret
from engine.agent.classify import lexicon_signals
from engine.agent.handoff import handoff_notice
from engine.agent.language import detect, language_name, locale, reads_as_english, romanised_hindi
from engine.agent.persona import invalidate_agent_configuration
from engine.agent.pipeline import process_message
from engine.db import TenantScope, session_scope
from engine.models import AgentConfiguration, Conversation, Customer, Message, utcnow
from tests.engine.conversations.harness import WhatsAppEnv, wa_fixture  # noqa: F401 - the fixture
from tests.fakes.openai_server import FakeOpenAIServer, RecordedRequest, Reply

HELLO = {"English": "Hello from the shop", "Spanish": "Hola desde la tienda", "Portuguese": "Olá da loja"}
HELLO["French"] = "Bonjour de la boutique"
_LINE = re.compile(r"Reply in (\w+)")


def polyglot(request: RecordedRequest) -> Reply:
    system = "\n".join(m["content"] for m in request.messages if m["role"] == "system")
    found = _LINE.search(system)
    reply = HELLO.get(found.group(1) if found else "English", "?")
    turn = {"reply": reply, "intents": [], "confidence": 0.9, "handoff": {"needed": False, "reason": None}}
    return Reply(content=json.dumps({**turn, "suggestions": [], "facts": {}, "rich": None}))


@pytest.fixture
def model() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        server.default = polyglot
        server.record = False
        yield server


def _use(tenant_id: int, server: FakeOpenAIServer) -> None:
    with session_scope() as s:
        config = TenantScope(s, tenant_id).first(AgentConfiguration)
        config.llm_provider, config.llm_base_url, config.monthly_budget = (
            "openai",
            server.openai_base_url,
            100,
        )
        config.fallback_models = []
        config.monthly_budget = Decimal("100")
        s.add(config)
        set_secret(s, tenant_id, "openai_api_key", "sk-language-0001")
    invalidate_agent_configuration(tenant_id)


def test_detection_keeps_what_it_knew_on_short_messages() -> None:
    assert detect("¿Tienen esta camiseta en talla mediana?").language == "es"
    assert detect("Vocês entregam no sábado de manhã?").language == "pt"
    assert detect("Est-ce que vous livrez à Lyon demain ?").language == "fr"
    assert detect("hola").language == "es"
    assert detect("ok", stored="pt").language == "pt"  # two letters say nothing: the stored language stands
    assert detect("ok", default="fr").detected is None
    assert language_name("es") == "Spanish" and locale("xx") is locale("en")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Haben Sie diese Jacke auch in Größe M?", "de"),
        ("Wann kommt meine Bestellung an?", "de"),
        ("hallo", "de"),
        ("vielen Dank", "de"),
        ("guten Morgen", "de"),
        ("Avete questa giacca nella taglia M?", "it"),
        ("Quando arriva il mio ordine?", "it"),
        ("ciao", "it"),
        ("grazie mille", "it"),
        ("buongiorno", "it"),
        ("Habari, mnauza viatu vya watoto?", "sw"),
        ("asante sana", "sw"),
    ],
)
def test_german_italian_and_swahili_are_detected_from_their_locale_files(text: str, code: str) -> None:
    found = detect(text, stored="en")
    assert (found.language, found.detected) == (code, code)


@pytest.mark.parametrize(
    "text", ["kya mazaak hai ye", "mujhe kisi agent se baat karni hai", "bhai ye kitne ka hai"]
)
def test_hindi_in_latin_letters_keeps_what_we_knew(text: str) -> None:
    """The detector has no model for Hinglish and may call it Swahili: the stored language stands."""
    assert detect(text, stored="en") == detect("ok", stored="en")
    assert detect(text, stored="es").language == "es"


@pytest.mark.parametrize(
    "text",
    [
        "please mujhe customer care wale se connect kar do",  # the detector: English, 0.92
        "ye shirt red colour mein milega?",
        "kitni der lagegi? 2 hafte ho gaye",  # the detector: German, 0.74
        "bhai size chart bhej do",
    ],
)
def test_hindi_mixed_with_english_is_hindi_not_english(text: str) -> None:
    assert romanised_hindi(text) and not reads_as_english(text)
    assert detect(text, stored="es").language == "es"


@pytest.mark.parametrize(
    "text",
    [
        "bhai, is this jacket available in XL?",  # English with a greeting in it
        "thank you bhai",
        "Zum wiederholten Mal: wo bleibt mein Geld?",  # German "wo" and "mein" are not Hindi
        "combien de fois par jour faut-il l'utiliser ?",
        "non hai risposto, ma ho già pagato",  # Italian "hai", "ho", "ma"
        "se me rompió la bota, me la cambian?",
    ],
)
def test_other_languages_sharing_a_word_with_hindi_are_not_hindi(text: str) -> None:
    assert not romanised_hindi(text)


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("is your staff around today", True),
        ("r u open sun?", True),  # the detector: Dutch 0.77, English 0.08
        ("humaan?", True),  # two words or fewer: too little to tell
        ("qual o prazo de entrega pra Curitiba?", False),  # unsure Portuguese, answered in English
        ("a vela solta fumaça?", False),
        ("aapka staff bahut accha hai", False),
    ],
)
def test_what_english_only_readers_may_read(text: str, english: bool) -> None:
    assert reads_as_english(text) is english


def test_german_and_italian_notices_in_the_formal_register() -> None:
    assert (language_name("de"), language_name("it")) == ("German", "Italian")
    german = handoff_notice("explicit_request", {}, utcnow(), language="de")
    assert german.startswith("Selbstverständlich") and german.endswith("in Kürze.") and "Sie" in german
    italian = handoff_notice("frustration", {}, utcnow(), language="it")
    assert italian.startswith("Mi dispiace") and italian.endswith("a breve.") and " le " in italian
    closed = {
        "timezone": "UTC",
        "weekly": {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    }
    sunday_night = utcnow().replace(year=2026, month=11, day=29, hour=22, minute=0)
    assert "(at 09:00 tomorrow)" in handoff_notice("topic", closed, sunday_night, language="de")


def test_lexicons_per_language_and_localised_notice() -> None:
    assert "wants_person" in lexicon_signals("quero falar com um atendente").classes
    assert "legal" in lexicon_signals("je vais porter plainte").classes
    assert lexicon_signals("estoy harto, nadie me responde").frustration == "strong"
    assert not lexicon_signals("¿a qué hora abren el sábado?").classes
    notice = handoff_notice("explicit_request", {}, utcnow(), language="es")
    assert notice.startswith("Por supuesto") and notice.endswith("en breve.")


def test_replies_in_the_customers_language_through_the_channel(
    wa: WhatsAppEnv,  # noqa: F811
    model: FakeOpenAIServer,
) -> None:
    _use(wa.tenant_id, model)
    texts = {
        "whatsapp:+14150000001": (
            "¿Tienen envío gratis a Sevilla esta semana?",
            "es",
            "Hola desde la tienda",
        ),
        "whatsapp:+14150000002": ("Vocês entregam no Rio de Janeiro amanhã?", "pt", "Olá da loja"),
        "whatsapp:+14150000003": (
            "Est-ce que vous livrez en Belgique la semaine prochaine ?",
            "fr",
            "Bonjour",
        ),
    }
    for phone, (text, _, _) in texts.items():
        wa.inbound(text, From=phone)
    wa.clock.advance(30)
    worker = wa.worker(typing=False)
    while worker.tick().outcomes:
        wa.clock.advance(1)
    with session_scope() as s:
        scope = TenantScope(s, wa.tenant_id)
        for phone, (_, code, greeting) in texts.items():
            customer = scope.first(Customer, Customer.phone == phone)
            assert customer.language == code
            conversation = scope.first(Conversation, Conversation.customer_id == customer.id)
            sent = scope.first(
                Message, Message.conversation_id == conversation.id, Message.direction == "outbound"
            )
            assert sent is not None and sent.body.startswith(greeting), (code, sent.body if sent else None)


def test_replies_in_the_customers_language_in_the_playground(
    wa: WhatsAppEnv,  # noqa: F811
    model: FakeOpenAIServer,
) -> None:
    _use(wa.tenant_id, model)
    with session_scope() as s:
        scope = TenantScope(s, wa.tenant_id)
        customer = scope.add(Customer(phone="whatsapp:+14150000009"))
        conversation_id = int(scope.add(Conversation(customer_id=customer.id)).id or 0)
    result = process_message(wa.tenant_id, conversation_id, "Olá, vocês têm essa panela em vermelho?")
    assert result.text.startswith("Olá da loja")
