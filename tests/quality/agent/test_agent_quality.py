"""The agent's quality over labelled customer turns (cases.py), with the scripted model and offline.

Bars (issue 6, item 11): spelling ≥ 0.90, matching top-1 ≥ 0.90, handoff precision and recall ≥ 0.90,
multi-intent coverage ≥ 0.90 — in both modes. Scores are printed (run with -s to see them and every miss).

How each is measured, on the whole pipeline (not the parts alone):
- spelling: every labelled (typed, meant) pair is among the turn's corrections, applied or asked about;
  when the agent asks "Did you mean …?", the customer says yes and the labels are checked on that answer;
- matching: the turn's best catalogue match is the labelled item (in a burst: among its matches);
- handoff: the turn's handoff decision against the label;
- coverage (bursts with several requests): each labelled request is detected and addressed — its part
  answered (offline), named in the model's reply (scripted), or handed to a person.

The scripted model stands in for a compliant LLM: it answers every request the prompt lists, in order, and
says it is unsure (confidence 0.35) when the prompt had no knowledge or catalogue item for the message —
what a real model told "use only the facts given" does. It never asks for a handoff itself, so every handoff
in scripted mode comes from the pipeline's own rules.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from engine.accounts.secrets import set_secret
from engine.agent.pipeline import run_turn
from engine.agent.types import InboundMessage, TurnResult
from engine.db import TenantScope, session_scope
from engine.demo import catalog_data, seed_demo
from engine.models import AgentConfiguration, Conversation, Customer, Message, utcnow
from tests.fakes.openai_server import (
    FakeOpenAIServer,
    RecordedRequest,
    Reply,
    fake_openai,  # noqa: F401 - the server fixture
)
from tests.quality.agent.cases import CASES, Case

BARS = {
    "spelling": 0.90,
    "matching": 0.90,
    "handoff_precision": 0.90,
    "handoff_recall": 0.90,
    "coverage": 0.90,
}
AMELIA = "whatsapp:+447700900101"
_REQUEST = re.compile(r"^\d+\. ([a-z_]+)", re.MULTILINE)
_phones = itertools.count(1)


def scripted_model(request: RecordedRequest) -> Reply:
    """A compliant model: answers each listed request; unsure when it was given nothing to answer from."""
    system = "\n".join(m["content"] for m in request.messages if m["role"] == "system")
    names = _REQUEST.findall(system.split("KEY FACTS")[0].split("CATALOGUE")[0])
    if names:
        reply = "\n".join(
            f"{n}. About {name}: here is what you need to know." for n, name in enumerate(names, 1)
        )
    else:
        reply = "Hello! How can I help you today?"
    grounded = "No knowledge or catalogue item matched this message." not in system
    turn = {
        "reply": reply,
        "intents": [{"name": name, "confidence": 0.9} for name in names],
        "confidence": 0.85 if grounded or not names else 0.35,
        "handoff": {"needed": False, "reason": None},
        "suggestions": [],
        "facts": {},
        "rich": None,
    }
    return Reply(content=json.dumps(turn), prompt_tokens=600, completion_tokens=60)


@dataclass
class Scores:
    mode: str
    spelling: list[bool] = field(default_factory=list)
    matching: list[bool] = field(default_factory=list)
    coverage: list[bool] = field(default_factory=list)
    handoff: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def rate(self, values: list[bool]) -> float:
        return sum(values) / len(values) if values else 1.0

    @property
    def precision(self) -> float:
        tp, fp = self.handoff["tp"], self.handoff["fp"]
        return tp / (tp + fp) if tp + fp else 1.0

    @property
    def recall(self) -> float:
        tp, fn = self.handoff["tp"], self.handoff["fn"]
        return tp / (tp + fn) if tp + fn else 1.0

    def values(self) -> dict[str, float]:
        return {
            "spelling": self.rate(self.spelling),
            "matching": self.rate(self.matching),
            "handoff_precision": self.precision,
            "handoff_recall": self.recall,
            "coverage": self.rate(self.coverage),
        }

    def report(self) -> str:
        v = self.values()
        return (
            f"[{self.mode}] spelling {v['spelling']:.3f} ({len(self.spelling)}) · matching top-1 "
            f"{v['matching']:.3f} ({len(self.matching)}) · handoff precision {v['handoff_precision']:.3f} "
            f"recall {v['handoff_recall']:.3f} ({dict(self.handoff)}) · multi-intent coverage "
            f"{v['coverage']:.3f} ({len(self.coverage)} requests)"
        )


def _conversation(tenant_id: int, case: Case) -> int:
    with session_scope() as s:
        scope = TenantScope(s, tenant_id)
        if case.customer == "amelia":
            customer = scope.first(Customer, Customer.phone == AMELIA)
            for old in scope.all(
                Conversation, Conversation.customer_id == customer.id, Conversation.status != "closed"
            ):
                old.status = "closed"
                s.add(old)
        else:
            customer = scope.add(Customer(phone=f"whatsapp:+1555{next(_phones):07d}", name="Sam Taylor"))
        return int(scope.add(Conversation(customer_id=customer.id)).id)


def _turn(
    tenant_id: int, conversation_id: int, texts: tuple[str, ...], payload: str | None = None
) -> TurnResult:
    now = utcnow()
    inbound = []
    with session_scope() as s:
        scope = TenantScope(s, tenant_id)
        for text in texts:
            row = scope.add(
                Message(
                    conversation_id=conversation_id,
                    direction="inbound",
                    body=text,
                    button_payload=payload,
                    created_at=now,
                )
            )
            inbound.append(InboundMessage(text, row.id, payload))
    return run_turn(tenant_id, conversation_id, inbound, mode="playground", now=now)


def _addressed(result: TurnResult, name: str, mode: str) -> bool:
    if name not in {i["name"] for i in result.intents}:
        return False
    if result.handoff or name == "human_request":
        return True
    if mode == "offline":
        return any(p["intent"] == name and p["answered"] for p in result.parts)
    return f"About {name}:" in result.text


def run_cases(tenant_id: int, mode: str) -> Scores:
    scores = Scores(mode)
    for case in CASES:
        conversation_id = _conversation(tenant_id, case)
        for text in case.before:
            _turn(tenant_id, conversation_id, (text,))
        result = _turn(tenant_id, conversation_id, case.messages)
        corrections = {(c["original"].lower(), c["corrected"].lower()) for c in result.corrections}
        if result.spelling_question:  # the customer confirms; the labels are checked on the answer
            result = _turn(tenant_id, conversation_id, ("Yes",), payload="spell:yes")
        label = " / ".join(case.messages)
        if case.spell:
            ok = all(pair in corrections for pair in case.spell)
            scores.spelling.append(ok)
            if not ok:
                scores.misses.append(f"spelling {label!r}: want {case.spell}, got {sorted(corrections)}")
        if case.item:
            keys = [m["key"] for m in result.catalog_matches]
            ok = (keys[:1] == [case.item]) if len(case.messages) == 1 else case.item in keys
            scores.matching.append(ok)
            if not ok:
                scores.misses.append(f"matching {label!r}: want {case.item}, got {keys[:3]}")
        # A person may already own the conversation: one strong message in `before` hands off (issue #13).
        got = result.handoff or result.responder == "silent"
        scores.handoff["tp" if got and case.handoff else "fp" if got else "fn" if case.handoff else "tn"] += 1
        if got != case.handoff:
            scores.misses.append(
                f"handoff {label!r}: want {case.handoff}, got {got} ({result.handoff_category}: "
                f"{result.handoff_reason}; confidence {result.confidence})"
            )
        if case.kind == "burst":
            for name in case.intents:
                ok = _addressed(result, name, mode)
                scores.coverage.append(ok)
                if not ok:
                    got_names = [(i["name"], i.get("answered")) for i in result.intents]
                    scores.misses.append(f"coverage {label!r}: {name} not addressed; intents {got_names}")
    return scores


def test_the_set_is_big_enough_and_points_at_real_items() -> None:
    keys = {p["sku"] for p in catalog_data.PRODUCTS} | {s["code"] for s in catalog_data.SERVICES}
    assert len(CASES) >= 150
    assert {c.item for c in CASES if c.item} <= keys
    kinds = Counter(c.kind for c in CASES)
    assert set(kinds) == {"typo", "slang", "language", "faq", "order", "burst", "handoff", "smalltalk"}
    bursts = [c for c in CASES if c.kind == "burst"]
    assert len(bursts) >= 20 and all(len(c.messages) + c.messages[0].count(" and ") >= 2 for c in bursts)
    assert sum(c.handoff for c in CASES) >= 30 and sum(not c.handoff for c in CASES) >= 100
    assert sum(bool(c.spell) for c in CASES) >= 20


@pytest.fixture
def demo() -> int:
    with session_scope() as s:
        return seed_demo(s).tenant_id


def test_agent_quality_offline_and_with_the_scripted_model(
    demo: int,
    fake_openai: FakeOpenAIServer,  # noqa: F811 - the fixture
) -> None:
    offline = run_cases(demo, "offline")

    fake_openai.default = scripted_model
    fake_openai.record = False
    with session_scope() as s:
        config = TenantScope(s, demo).first(AgentConfiguration)
        config.llm_provider, config.llm_base_url = "openai", fake_openai.openai_base_url
        config.monthly_budget = Decimal("1000")
        s.add(config)
        set_secret(s, demo, "openai_api_key", "sk-quality-0001")
    from engine.agent.persona import invalidate_agent_configuration

    invalidate_agent_configuration(demo)
    scripted = run_cases(demo, "scripted")

    failures = []
    for scores in (offline, scripted):
        print("\n" + scores.report())
        for miss in scores.misses:
            print("  miss", miss)
        for name, value in scores.values().items():
            if value < BARS[name]:
                failures.append(f"{scores.mode} {name} {value:.3f} < {BARS[name]}")
    assert not failures, "; ".join(failures)
