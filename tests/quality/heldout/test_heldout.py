"""The held-out set (README.md: nothing may be tuned against it), scored as a new customer would meet Parley.

Messages go through the WhatsApp channel: signed webhooks, the burst worker and the real agent, on a tenant
made the way `create-tenant` makes one (engine.accounts.tenants.create_tenant, nothing configured after), with
an OpenAI-compatible model that answers every message politely and confidently and never asks for a person —
so every handoff here comes from Parley's own rules. Each message is its own customer; `before` messages are
sent and answered first. A message counts as handed off when its conversation ends the turn with a person
(status "handoff") or the reply offers one with a button (the tenant's frustration setting).

Bars (issue #13): handoff precision ≥ 0.95 and recall ≥ 0.90; recall of the frustrated and legal classes
≥ 0.85 each; catalogue top-1 ≥ 0.97 on the held-out shop with ≥ 0.95 of "not sold" queries answered as such.
Only figures are printed, never the missed messages: a list of misses is an invitation to tune.

Every bar is met (catalogue top-1 since 2026-12-04, 0.985, 64/65): a figure below its bar fails. While the
catalogue bar was not met, such a figure was an expected failure above the day's figure; that allowance is
gone with the issue. The bars themselves are the issue's and are not lowered.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

import pytest

from engine import catalog
from engine.accounts.secrets import set_secret
from engine.agent.persona import invalidate_agent_configuration
from engine.catalog import invalidate_catalog_index
from engine.db import TenantScope, session_scope
from engine.models import AgentConfiguration, Conversation, Customer, Message, Product, Service, utcnow
from tests.engine.conversations.harness import WhatsAppEnv, wa_fixture  # noqa: F401 - the fixture
from tests.fakes.openai_server import FakeOpenAIServer, RecordedRequest, Reply
from tests.quality.heldout.catalog import PRODUCTS, QUERIES, SERVICES
from tests.quality.heldout.messages import CLASSES, MESSAGES

BARS = {"precision": 0.95, "recall": 0.90, "frustrated": 0.85, "legal": 0.85}
CATALOG_BARS = {"top1": 0.97, "not_sold": 0.95}
# The catalogue's top-1 here went 0.935 (the issue's figure), 0.969 (63/65), 0.954 (62/65) after 2026-12-03's
# matcher work, 0.969 again, and 0.985 (64/65) on 2026-12-04, after a session of rules developed on fourteen
# development shops and a blind helper's regional and German/Polish names of kitchen, pantry and home goods;
# not sold 1.000 (16/16) since 2026-12-03. The misses are not looked at (README.md).
_LAST_USER = re.compile(r"[\s\S]*")
_counter = itertools.count(1)


def judge(figures: dict[str, float], bars: dict[str, float], label: str) -> None:
    """Fail, naming every figure under its bar."""
    failed = [
        f"{label} {name} {figures[name]:.3f} < {bar}" for name, bar in bars.items() if figures[name] < bar
    ]
    assert not failed, "; ".join(failed)


def polite_model(request: RecordedRequest) -> Reply:
    """Answers every message confidently, quoting it (so no two replies are the same), never hands off."""
    user = next((m["content"] for m in reversed(request.messages) if m["role"] == "user"), "")
    turn = {
        "reply": f"Thanks for your message — about “{user.strip()[-60:]}”: here is what I can tell you.",
        "intents": [],
        "confidence": 0.9,
        "handoff": {"needed": False, "reason": None},
        "suggestions": [],
        "facts": {},
        "rich": None,
    }
    return Reply(content=json.dumps(turn), prompt_tokens=400, completion_tokens=40)


@pytest.fixture
def semantic(monkeypatch: pytest.MonkeyPatch) -> bool:
    """The product's default where the local model is installed: the exemplar layer on (tests default to
    KNOWLEDGE_EMBEDDER=none); the packaged exemplar vectors make this a second, not minutes."""
    from engine.agent import classify
    from engine.config import reset_settings_cache
    from engine.knowledge.embeddings import local_model_available

    if not local_model_available() or os.environ.get("HELDOUT_LEXICONS_ONLY"):
        return False  # the offline path: lexicons alone
    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", "local")
    reset_settings_cache()
    return classify.warm(block=True)


@pytest.fixture
def model() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        server.default = polite_model
        server.record = False
        yield server


def _use_model(tenant_id: int, server: FakeOpenAIServer) -> None:
    with session_scope() as s:
        config = TenantScope(s, tenant_id).first(AgentConfiguration)
        config.llm_provider, config.llm_base_url = "openai", server.openai_base_url
        config.default_model, config.fallback_models = "gpt-4o-mini", []
        config.monthly_budget = Decimal("1000")
        s.add(config)
        set_secret(s, tenant_id, "openai_api_key", "sk-heldout-0001")
    invalidate_agent_configuration(tenant_id)


def _drain(wa: WhatsAppEnv) -> None:
    wa.clock.advance(30)
    worker = wa.worker(typing=False)
    while worker.tick().outcomes:
        wa.clock.advance(1)


def _handed_off(tenant_id: int, phone: str) -> bool:
    with session_scope() as s:
        scope = TenantScope(s, tenant_id)
        customer = scope.first(Customer, Customer.phone == phone)
        conversation = scope.first(Conversation, Conversation.customer_id == customer.id)
        if conversation.status == "handoff":
            return True
        last = s.exec(
            scope.select(Message)
            .where(Message.conversation_id == conversation.id, Message.direction == "outbound")
            .order_by(Message.id.desc())  # type: ignore[union-attr]
        ).first()
        options = ((last.rich or {}).get("options") or []) if last is not None else []
        return any(str(o.get("id", "")).startswith("handoff:") for o in options)


def test_handoff_through_the_channel(
    semantic: bool,
    wa: WhatsAppEnv,  # noqa: F811
    model: FakeOpenAIServer,
) -> None:
    _use_model(wa.tenant_id, model)
    phones = {i: f"whatsapp:+1415{next(_counter):07d}" for i in range(len(MESSAGES))}
    for depth in range(max(len(m.before) for m in MESSAGES)):
        for i, msg in enumerate(MESSAGES):
            if len(msg.before) > depth:
                wa.inbound(msg.before[depth], From=phones[i])
        _drain(wa)
    for i, msg in enumerate(MESSAGES):
        wa.inbound(msg.text, From=phones[i])
    _drain(wa)

    counts: Counter[str] = Counter()
    per_class: dict[str, Counter[str]] = {c: Counter() for c in CLASSES}
    per_lang: dict[str, Counter[str]] = {}
    for i, msg in enumerate(MESSAGES):
        got = _handed_off(wa.tenant_id, phones[i])
        outcome = "tp" if got and msg.handoff else "fp" if got else "fn" if msg.handoff else "tn"
        counts[outcome] += 1
        per_lang.setdefault(msg.lang, Counter())[outcome] += 1
        for name in msg.classes:
            per_class[name]["hit" if got else "miss"] += 1
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    recalls = {c: per_class[c]["hit"] / max(1, sum(per_class[c].values())) for c in CLASSES}
    layers = "lexicons + exemplars" if semantic else "lexicons only"
    figures = f"handoff precision {precision:.3f} recall {recall:.3f} {dict(counts)}"
    print(f"\n[held-out, channel, {layers}] {figures}")
    print(
        "  class recall: "
        + ", ".join(f"{c} {recalls[c]:.3f} ({sum(per_class[c].values())})" for c in CLASSES)
    )
    for lang, c in sorted(per_lang.items()):
        print(f"  {lang}: {dict(c)}")
    if os.environ.get("HELDOUT_NO_BARS"):
        return
    judge(
        {"precision": precision, "recall": recall, **{c: recalls[c] for c in ("frustrated", "legal")}},
        BARS,
        "handoff",
    )


def _load_shop(tenant_id: int) -> None:
    now = utcnow()
    with session_scope() as s:
        scope = TenantScope(s, tenant_id)
        for spec in PRODUCTS:
            scope.add(Product(**{**spec, "price": Decimal(spec["price"])}, created_at=now, updated_at=now))
        for spec in SERVICES:
            scope.add(Service(**{**spec, "price": Decimal(spec["price"])}, created_at=now, updated_at=now))
        invalidate_catalog_index(tenant_id, s)


def test_catalogue_matching_on_the_heldout_shop(wa: WhatsAppEnv) -> None:  # noqa: F811
    _load_shop(wa.tenant_id)
    from engine.agent.read import catalog_lookup

    sold = [(q, key) for q, key in QUERIES if key]
    not_sold = [q for q, key in QUERIES if key is None]
    hits = 0
    refused = 0
    with session_scope() as s:
        for text, key in sold:
            fixed = catalog.correct_spelling(s, wa.tenant_id, text).text
            found = [
                m for m in catalog_lookup(s, wa.tenant_id, fixed) if m.confidence >= catalog.MATCH_THRESHOLD
            ]
            hits += bool(found) and found[0].key == key
        for text in not_sold:
            fixed = catalog.correct_spelling(s, wa.tenant_id, text).text
            found = [
                m for m in catalog_lookup(s, wa.tenant_id, fixed) if m.confidence >= catalog.MATCH_THRESHOLD
            ]
            refused += not found
    top1 = hits / len(sold)
    not_sold_rate = refused / len(not_sold)
    print(
        f"\n[held-out shop] catalogue top-1 {top1:.3f} ({hits}/{len(sold)}) · not sold answered as not sold "
        f"{not_sold_rate:.3f} ({refused}/{len(not_sold)})"
    )
    assert len(QUERIES) >= 60
    if os.environ.get("HELDOUT_NO_BARS"):
        return
    judge({"top1": top1, "not_sold": not_sold_rate}, CATALOG_BARS, "catalogue")
