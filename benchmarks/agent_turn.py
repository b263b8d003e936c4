"""Agent-turn benchmark: the pipeline's own time per turn, and `match_product` latency.

    .venv/bin/python benchmarks/agent_turn.py                 # both parts, 10k products and 10k entries
    .venv/bin/python benchmarks/agent_turn.py --part pipeline --turns 400
    .venv/bin/python benchmarks/agent_turn.py --part match --items 2000 --queries 500
    .venv/bin/python benchmarks/agent_turn.py --part pipeline --embedder local --entries 300 --signals off
    .venv/bin/python benchmarks/agent_turn.py --part pipeline --embedder local --entries 300 --signals on
    .venv/bin/python benchmarks/agent_turn.py --part pipeline --embedder local --entries 300 --signals ab

`--embedder local` runs knowledge search and the message classifier (engine.agent.classify) on the shipped
MiniLM model (the default run has no embedder); `--signals off` keeps the classifier to its lexicons, so the
two runs above give the semantic layer's cost per turn (issue #13: ≤ 5 ms p95). `--signals ab` measures the
same in one run, the vote on for every other conversation and off for the rest, turn by turn: the machine's
load falls on both arms alike, where two runs minutes apart can differ by more than the vote costs.

Pipeline part (issue 6: overhead p95 ≤ 60 ms). A throwaway SQLite database gets a tenant with N generated
products (as below), a few services, M generated knowledge entries (bulk import, lexical index: the offline
default) and customers with orders. Turns go through `engine.agent.pipeline.run_turn` exactly as the channel
runs them (mode "channel": the inbound row exists, the interaction, memory and conversation are written, the
reply is built), with a fake model that answers at once with a valid AgentTurn — so the model's time is
zero and what is measured is the pipeline: sanitize, spelling, intents with catalogue matching, knowledge
search, customer history, context and prompt, handoff rules, suggestions, rich reply and the writes. Per turn
the wall time outside the model call and the process CPU time are recorded; the mix is 50% product messages
(typos, other languages, sizes), 30% knowledge questions, 10% bursts of two requests, 10% small talk and
requests for a person. Warm caches (the match index and spelling vocabulary are built before timing), as a
busy tenant sees them. The same turns are then run with the offline provider (no model at all).

Match part: `match_product` latency over the demo catalogue and a generated 10k one. Method: a throwaway
SQLite database gets the demo tenant (seed_demo) and a second tenant with N generated products (brand + model
+ version + type, aliases with abbreviations and typos, like real shops). Messages are generated customer
sentences — typos, joined and split words, other languages' phrasing, sizes, and messages naming nothing —
and each is timed through the public `match_product(session, tenant_id, text)` call with a warm index (the
one-off index build is timed separately). Prints p50/p95/p99/max per catalogue and the top-1 accuracy on the
generated messages that name a product, as a sanity check. Target (issue 6): p95 ≤ 5 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _split(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


BRANDS = _split(
    "Aero Altis Borealis Cascade Cirrus Corsa Delta Ember Equinox Falcon Glide Halcyon Horizon Kinetic Lumen "
    "Meridian Nova Onyx Orbit Pinnacle Quasar Radiant Sable Solace Summit Tundra Umbra Vector Zenith Zephyr"
)
MODELS = _split(
    "Apex Arc Atlas Aurora Avalanche Bandit Beacon Blaze Bolt Breeze Canyon Comet Condor Coral Crest Cyclone "
    "Dash Dune Echo Eclipse Elm Everest Fjord Flare Flux Forge Fusion Gale Glacier Granite Harbor Hawk Helix "
    "Hydra Ignite Iris Jade Jet Juniper Karma Kestrel Lagoon Lark Lava Legacy Lynx Magma Mako Maple Marlin "
    "Mesa Mirage Monsoon Mosaic Nimbus Nomad Oasis Ocelot Opal Osprey Pacer Panther Pebble Phoenix Pilot "
    "Pine Prism Pulse Puma Quartz Quest Raven Reef Ridge Rift Rocket Rover Sage Sierra Slate Sonic Spark "
    "Spire Sprint Storm Strata Stride Surge Swift Talon Tempest Terra Thunder Tide Timber Titan Torrent Trek "
    "Tundra Typhoon Valor Vapor Velvet Venture Viper Vista Volt Voyager Wave Willow Wolf Yukon Zest Zinc "
    "Zodiac"
)
TYPES = _split(
    "Running Shoe|Trail Runner|Racing Flat|Walking Shoe|Hiking Boot|Chelsea Boot|Work Boot|Desert Boot|"
    "Leather Trainer|Canvas Low|Canvas High|Slip-On|Loafer|Oxford|Brogue|Slide|Trek Sandal|Kids Trainer|"
    "School Shoe|Running Tee|Hoodie|Rain Jacket|Running Shorts|Running Tights|Cap|Running Socks|Insoles|"
    "Gym Bag|Protector Spray|Care Kit",
    "|",
)
SERIES = _split(
    "Trail Glide Max Pro Lite Flow Edge Air Grip Run Tempo Road Peak Ultra Prime Core Swift Wild Terra Aqua "
    "Sport Classic Plus Mid"
)
COLORS = _split("black white navy grey red blue green olive tan sand")
CATEGORY = {t: t.split()[-1].lower() for t in TYPES}


@dataclass(frozen=True)
class Generated:
    sku: str
    name: str
    brand: str
    model: str
    series: str
    version: int
    kind: str
    aliases: list[str]


def typo(word: str, rng: random.Random) -> str:
    """One human typo: a swapped, dropped, doubled or neighbouring letter."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    choice = rng.randrange(4)
    if choice == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if choice == 1:
        return word[:i] + word[i + 1 :]
    if choice == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiou") + word[i + 1 :]


def generate_catalog(n: int, seed: int = 7) -> list[Generated]:
    """n products; a model line (model + series) and version name one product, as in real ranges."""
    rng = random.Random(seed)
    seen: set[tuple[str, str, int]] = set()
    items: list[Generated] = []
    while len(items) < n:
        model, series, version = rng.choice(MODELS), rng.choice(SERIES), rng.randint(1, 12)
        if (model, series, version) in seen:
            continue
        seen.add((model, series, version))
        brand, kind = rng.choice(BRANDS), rng.choice(TYPES)
        aliases = [
            f"{model} {series} {version}",
            f"{model[:2]}{series[:1]}{version}".lower(),
            # The shop's registered misspelling of the model name: the same on every product of the model.
            f"{typo(model.lower(), random.Random(model))} {series.lower()}",
        ]
        if rng.random() < 0.3:
            aliases.append(f"{model} {kind.split()[-1].lower()}s")
        name = f"{brand} {model} {series} {version} {kind}"
        items.append(Generated(f"GEN-{len(items):05d}", name, brand, model, series, version, kind, aliases))
    return items


TEMPLATES = (
    "do u have the {model} {series} {version} in size {size}?",
    "how much is the {brand} {model} {series} {version}",
    "{model} {series} {version} {kind} in {color} pls",
    "is the {brand} {model} {series} {version} {kind} in stock",
    "tienen {model} {series} {version} en talla {size}?",
    "hi, looking for {kind_lower} - the {series} {model} {version}, have u got it",
    "{model} {series}{version} price?",
    "my {model} {series} {version} {kind_lower} arrived damaged, what now",
)
NOTHING = (
    "what are your opening hours on sunday?",
    "where is my order STR-10457",
    "can I pay with klarna?",
    "I want to speak to a human please",
    "thanks so much, have a great day!",
    "do you deliver to ireland and how long does it take",
)


def generate_messages(items: list[Generated], n: int, seed: int = 11) -> list[tuple[str, str | None]]:
    rng = random.Random(seed)
    out: list[tuple[str, str | None]] = []
    for _ in range(n):
        if rng.random() < 0.15:
            out.append((rng.choice(NOTHING), None))
            continue
        item = rng.choice(items)
        model = item.model.lower()
        if rng.random() < 0.4:
            model = typo(model, rng)
        text = rng.choice(TEMPLATES).format(
            model=model,
            series=item.series.lower(),
            version=item.version,
            brand=item.brand,
            kind=item.kind,
            kind_lower=item.kind.lower(),
            color=rng.choice(COLORS),
            size=rng.choice(["7", "8.5", "UK 9", "10", "42"]),
        )
        out.append((text, item.sku))
    return out


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


EMBEDDER = "none"  # --embedder: "none" (lexical search, the default without a model) or "local"


def _setup_database(tmp: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.db"
    os.environ["LANCEDB_URI"] = f"{tmp}/lancedb"
    os.environ["KNOWLEDGE_EMBEDDER"] = EMBEDDER
    os.environ.pop("REDIS_URL", None)
    from cryptography.fernet import Fernet

    os.environ["PARLEY_SECRET_KEYS"] = Fernet.generate_key().decode()
    from engine.cache import reset_cache
    from engine.config import reset_settings_cache
    from engine.db import reset_engine_cache
    from engine.security.crypto import reset_keyring

    reset_settings_cache()
    reset_engine_cache()
    reset_keyring()
    reset_cache()


def bench_match_product(items: int, queries: int) -> dict[str, Any]:
    """Time match_product on the demo tenant and on a tenant with `items` generated products."""
    from sqlalchemy import insert

    from engine.accounts.tenants import create_tenant
    from engine.catalog import correct_spelling, match_product
    from engine.catalog.index import get_index
    from engine.db import create_all, session_scope
    from engine.demo import seed_demo
    from engine.models import Product, utcnow

    create_all()
    with session_scope() as session:
        demo_id = seed_demo(session).tenant_id
        big_id = create_tenant(session, name="Bench Shop", slug="bench-shop").id
    catalog = generate_catalog(items)
    started = time.perf_counter()
    now = utcnow()
    rows = [
        {
            "tenant_id": big_id,
            "sku": g.sku,
            "name": g.name,
            "aliases": g.aliases,
            "description": "",
            "category": CATEGORY[g.kind],
            "price": Decimal("49.00"),
            "stock": 5,
            "sizes": [],
            "colors": [],
            "related_skus": [],
            "is_active": True,
            "created_at": now,
            "updated_at": now,
        }
        for g in catalog
    ]
    with session_scope() as session:
        session.connection().execute(insert(Product.__table__), rows)  # type: ignore[attr-defined]
    insert_s = time.perf_counter() - started

    results: dict[str, Any] = {"items": items, "insert_s": insert_s}
    demo_messages = [
        "do u have the cloudstpe 90s in size 9?",
        "tienen zapatillas cloudstep?",
        "chelsae boots in dark brown",
        "how much r the ridgeleine",
        "what are your opening hours on sunday?",
        "my daughter needs running shoes, do you have the cloudstep junior in size 2?",
        "white leather trainers",
        "pool sliders",
    ]
    for label, tenant_id, messages in (
        ("demo", demo_id, [(m, None) for m in demo_messages] * (queries // len(demo_messages))),
        ("generated", big_id, generate_messages(catalog, queries)),
    ):
        with session_scope() as session:
            started = time.perf_counter()
            index = get_index(session, tenant_id, "product")
            build_ms = (time.perf_counter() - started) * 1000
            timings: list[float] = []
            cpu: list[float] = []
            correct = named = 0
            for text, expected in messages:
                t0, c0 = time.perf_counter(), time.process_time()
                found = match_product(session, tenant_id, text, limit=5)
                cpu.append((time.process_time() - c0) * 1000)
                timings.append((time.perf_counter() - t0) * 1000)
                if expected is not None:
                    named += 1
                    correct += bool(found) and found[0].key == expected
        results[label] = {
            "catalog_items": index.size,
            "phrases": len(index.phrase_field),
            "vocabulary": len(index.postings),
            "index_build_ms": build_ms,
            "queries": len(timings),
            "p50_ms": statistics.median(timings),
            "p95_ms": _percentile(timings, 95),
            "p99_ms": _percentile(timings, 99),
            "max_ms": max(timings),
            "cpu_p50_ms": statistics.median(cpu),
            "cpu_p95_ms": _percentile(cpu, 95),
            "top1": (correct / named) if named else None,
        }
        # For the pipeline's budget: the spelling step runs on the same messages before matching.
        with session_scope() as session:
            correct_spelling(session, tenant_id, "warm up")
            spell = []
            for text, _ in messages[:500]:
                t0 = time.perf_counter()
                correct_spelling(session, tenant_id, text)
                spell.append((time.perf_counter() - t0) * 1000)
        results[label]["spelling_p50_ms"] = statistics.median(spell)
        results[label]["spelling_p95_ms"] = _percentile(spell, 95)
    return results


# ------------------------------------------------------------------------------------------------ pipeline

FAQ_TOPICS = (
    "delivery",
    "returns",
    "refund",
    "exchange",
    "opening hours",
    "store",
    "payment",
    "klarna",
    "gift card",
    "sizing",
    "wide fit",
    "care",
    "cleaning",
    "waterproofing",
    "loyalty",
    "privacy",
    "guarantee",
    "repairs",
)
FILLER = _split(
    "policy procedure customers order online parcel courier working days free standard express weekend "
    "holiday receipt label box unworn tags original method bank card voucher points member birthday email "
    "account number store branch city centre appointment booking staff team phone chat hours week month"
)


def generate_knowledge(n: int, seed: int = 13) -> list[dict[str, Any]]:
    """n entries: a topic, a made-up specific term (so each entry has words of its own) and filler prose."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        topic = rng.choice(FAQ_TOPICS)
        term = "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))
        title = f"{topic.capitalize()} for {term} {i}"
        content = (
            " ".join(rng.choices(FILLER, k=40))
            + f". {topic.capitalize()} with {term} takes {i % 9 + 1} days."
        )
        out.append(
            {"title": title, "content": content, "keywords": [topic, term], "category": topic.split()[0]}
        )
    return out


KINDS = ("product", "question", "burst", "social")


def turn_messages(
    catalog: list[Generated], knowledge: list[dict[str, Any]], n: int, seed: int = 17
) -> list[tuple[str, list[str]]]:
    """(kind, the burst's messages) per turn, in the mix the module docstring gives."""
    rng = random.Random(seed)
    products = [text for text, _ in generate_messages(catalog, n, seed=seed + 1)]
    out: list[tuple[str, list[str]]] = []
    for i in range(n):
        roll = rng.random()
        entry = rng.choice(knowledge)
        question = f"how does {entry['keywords'][1]} {entry['keywords'][0]} work?"
        if roll < 0.5:
            out.append(("product", [products[i]]))
        elif roll < 0.8:
            out.append(("question", [question]))
        elif roll < 0.9:
            out.append(("burst", [products[i], f"and {question}"]))
        else:
            small = ["hi!", "thanks so much 🙏", "can I talk to a human please", "ok cool"]
            out.append(("social", [rng.choice(small)]))
    return out


class FakeModel:
    """Answers every turn at once with a valid AgentTurn: the model's time is zero, the pipeline's is not."""

    models = [("openai", "gpt-4o-mini")]

    def generate(self, messages: Any, **kwargs: Any) -> Any:
        from engine.llm import AgentTurn, LLMResponse

        turn = AgentTurn(
            reply="Here you go: the answer to your question.",
            intents=[{"name": "faq", "confidence": 0.9}],
            confidence=0.9,
        )
        return LLMResponse(
            text=turn.model_dump_json(),
            provider="openai",
            model="gpt-4o-mini",
            output=turn,
            parsed=turn.model_dump(),
            tokens_in=800,
            tokens_out=60,
        )


def _turn_stats(samples: list[tuple[str, float, float]]) -> dict[str, Any]:
    wall = [w for _, w, _ in samples]
    cpu = [c for _, _, c in samples]
    return {
        "turns": len(wall),
        "p50_ms": statistics.median(wall),
        "p95_ms": _percentile(wall, 95),
        "p99_ms": _percentile(wall, 99),
        "cpu_p50_ms": statistics.median(cpu),
        "cpu_p95_ms": _percentile(cpu, 95),
        "kinds": {
            kind: (statistics.median(w), _percentile(w, 95), len(w))
            for kind in KINDS
            if (w := [x for k, x, _ in samples if k == kind])
        },
    }


def bench_pipeline(
    items: int, entries: int, turns: int, *, warmup: int = 30, ab: bool = False
) -> dict[str, Any]:
    """The pipeline's own time per turn, with a fake model answering at once and with the offline provider.

    `ab`: the fake model only, with the message classifier's exemplar vote on for every other conversation
    and off for the rest, turn by turn in one run — so whatever else the machine is doing falls on both arms
    alike, and the difference between the two rows is the vote's cost."""
    from sqlalchemy import insert

    from engine.accounts.tenants import create_tenant
    from engine.agent import classify
    from engine.agent.pipeline import run_turn
    from engine.agent.plan import LLMFactory
    from engine.agent.types import InboundMessage
    from engine.catalog import correct_spelling
    from engine.catalog.index import get_index
    from engine.db import TenantScope, create_all, session_scope
    from engine.demo.tenant_data import PERSONA
    from engine.knowledge.search import search
    from engine.knowledge.service import clean, create_entries
    from engine.models import (
        AgentConfiguration,
        Conversation,
        Customer,
        Message,
        Order,
        Product,
        Service,
        utcnow,
    )

    create_all()
    started = time.perf_counter()
    with session_scope() as session:
        tenant_id = create_tenant(session, name="Bench Agent", slug="bench-agent", currency="GBP").id
        config = TenantScope(session, tenant_id).first(AgentConfiguration)
        for key in (
            "agent_name",
            "personality_traits",
            "tone",
            "behavioral_restrictions",
            "required_disclaimers",
            "handoff_topics",
            "confidence_threshold",
            "max_low_confidence_turns",
        ):
            setattr(config, key, PERSONA[key])
        session.add(config)
    catalog = generate_catalog(items)
    now = utcnow()
    rows = [
        {
            "tenant_id": tenant_id,
            "sku": g.sku,
            "name": g.name,
            "aliases": g.aliases,
            "description": "A shoe.",
            "category": CATEGORY[g.kind],
            "price": Decimal("49.00"),
            "stock": (i % 7),
            "sizes": [],
            "colors": [],
            "related_skus": [catalog[(i + 1) % len(catalog)].sku, catalog[(i + 2) % len(catalog)].sku],
            "is_active": True,
            "created_at": now,
            "updated_at": now,
        }
        for i, g in enumerate(catalog)
    ]
    knowledge = generate_knowledge(entries)
    with session_scope() as session:
        session.connection().execute(insert(Product.__table__), rows)  # type: ignore[attr-defined]
        scope = TenantScope(session, tenant_id)
        for code, name in (
            ("SVC-GAIT", "Gait Analysis"),
            ("SVC-CLEAN", "Trainer Deep Clean"),
            ("SVC-FIT", "Kids Fitting"),
        ):
            scope.add(
                Service(code=code, name=name, price=Decimal("20"), description="running trainers boots")
            )
    with session_scope() as session:
        # One import, as a shop's CSV arrives (at most 10,000 rows). Several incremental imports into one
        # table leave rows the full-text index does not cover until a rebuild; searches are then ~30x slower
        # (reported to the knowledge owners), which is not what this benchmark measures.
        create_entries(session, tenant_id, [clean(k) for k in knowledge])
    conversations = []
    with session_scope() as session:
        scope = TenantScope(session, tenant_id)
        for c in range(20):
            customer = scope.add(Customer(phone=f"whatsapp:+1555123{c:04d}", name=f"Customer {c}"))
            scope.add(
                Order(
                    customer_id=customer.id,
                    order_number=f"BEN-{10000 + c}",
                    status="shipped",
                    items=[{"sku": catalog[c].sku, "name": catalog[c].name, "qty": 1, "price": "49.00"}],
                    total=Decimal("49.00"),
                )
            )
            conversations.append(int(scope.add(Conversation(customer_id=customer.id)).id))
    setup_s = time.perf_counter() - started
    with session_scope() as session:  # warm the indexes and the vocabulary, as a busy tenant has them
        get_index(session, tenant_id, "product")
        get_index(session, tenant_id, "service")
        correct_spelling(session, tenant_id, "warm up")
        search(session, tenant_id, "delivery")

    messages = turn_messages(catalog, knowledge, warmup + turns)
    results: dict[str, Any] = {"setup_s": setup_s, "items": items, "entries": entries, "rows": {}}
    fake: LLMFactory = lambda _s, _t: FakeModel()  # noqa: E731
    runs: list[tuple[str, LLMFactory | None]] = [("fake model", fake), ("offline provider", None)]
    if ab:
        runs = [("fake model", fake)]
    semantic = classify.SEMANTIC_LANGUAGES
    for label, factory in runs:
        samples: dict[str, list[tuple[str, float, float]]] = {}  # row -> [(kind, wall, cpu)]
        steps: dict[str, list[float]] = {}
        for n, (kind, texts) in enumerate(messages):
            conversation_id = conversations[n % len(conversations)]
            row = label
            if ab:  # interleaved by conversation, so each conversation's history stays in one arm
                on = n % len(conversations) % 2 == 0
                classify.SEMANTIC_LANGUAGES = semantic if on else frozenset()
                row = f"signals {'on' if on else 'off'}"
            with session_scope() as session:
                scope = TenantScope(session, tenant_id)
                conversation = scope.get(Conversation, conversation_id)
                conversation.status = "bot"  # a handoff earlier in the run: the bot answers again
                session.add(conversation)
                inbound = [
                    InboundMessage(
                        t, scope.add(Message(conversation_id=conversation_id, direction="inbound", body=t)).id
                    )
                    for t in texts
                ]
            c0 = time.process_time()
            result = run_turn(tenant_id, conversation_id, inbound, mode="channel", llm_factory=factory)
            cpu_ms = (time.process_time() - c0) * 1000
            if n < warmup:
                continue
            samples.setdefault(row, []).append((kind, float(result.latency_ms - result.llm_ms), cpu_ms))
            if row == label or row == "signals on":
                for step in result.trace:
                    if step.name != "llm":
                        steps.setdefault(step.name, []).append(step.ms)
        for row, got in samples.items():
            results["rows"][row] = _turn_stats(got)
        results["steps"] = {k: (statistics.median(v), _percentile(v, 95)) for k, v in steps.items()}
    classify.SEMANTIC_LANGUAGES = semantic
    from engine.llm.ledger import default_ledger

    default_ledger().flush()  # the offline answers' llm_call rows, written before the database goes away
    return results


def print_pipeline(results: dict[str, Any]) -> bool:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"agent pipeline overhead per turn (target p95 <= 60 ms): {results['items']} products, "
        f"{results['entries']} knowledge entries (set up in {results['setup_s']:.0f} s); "
        f"{os.cpu_count()} CPUs, "
        f"load average {load:.1f}"
    )
    rows: dict[str, dict[str, Any]] = results["rows"]
    print(f"{'model':<18}{'turns':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'cpu p50':>9}{'cpu p95':>9}")
    for label, r in rows.items():
        print(
            f"{label:<18}{r['turns']:>7}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}{r['p99_ms']:>9.1f}"
            f"{r['cpu_p50_ms']:>9.1f}{r['cpu_p95_ms']:>9.1f}"
        )
    for label, r in rows.items():
        print(
            f"  {label} by kind, p50 / p95 ms (turns): "
            + " · ".join(f"{k} {p50:.1f}/{p95:.1f} ({c})" for k, (p50, p95, c) in r["kinds"].items())
        )
    if "signals on" in rows:
        on, off = rows["signals on"], rows["signals off"]
        print(
            f"the exemplar vote adds p50 {on['p50_ms'] - off['p50_ms']:+.1f} ms, "
            f"p95 {on['p95_ms'] - off['p95_ms']:+.1f} ms, "
            f"CPU p50 {on['cpu_p50_ms'] - off['cpu_p50_ms']:+.1f} ms (issue #13: <= 5 ms p95)"
        )
    first = rows.get("fake model") or rows["signals on"]
    ok = bool(first["p95_ms"] <= 60.0)  # the target: the pipeline with the model's time excluded
    print(
        "per step (fake model), p50 / p95 ms: "
        + " · ".join(f"{name} {p50:.1f}/{p95:.1f}" for name, (p50, p95) in results["steps"].items())
    )
    print(
        "pipeline p95 target met (fake model row)"
        if ok
        else "pipeline p95 target MISSED (fake model row; wall clock: see cpu p95 and the load)"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("all", "pipeline", "match"), default="all")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--turns", type=int, default=400)
    parser.add_argument("--embedder", choices=("none", "local"), default="none")
    parser.add_argument("--signals", choices=("on", "off", "ab"), default="on")
    args = parser.parse_args(argv)
    global EMBEDDER
    EMBEDDER = args.embedder
    if args.signals == "off":
        from engine.agent import classify

        classify.SEMANTIC_LANGUAGES = frozenset()  # lexicons only: no message embedding for the signals
    if args.part in ("all", "pipeline"):
        with tempfile.TemporaryDirectory() as tmp:
            _setup_database(tmp)
            if args.embedder == "local":
                from engine.agent import classify
                from engine.knowledge.embeddings import warm_up_local_model

                warm_up_local_model("local")
                print(f"local embedder; message classifier exemplars ready: {classify.warm(block=True)}")
            print_pipeline(bench_pipeline(args.items, args.entries, args.turns, ab=args.signals == "ab"))
        if args.part == "pipeline":
            return 0
        from engine.db import reset_engine_cache

        reset_engine_cache()
    with tempfile.TemporaryDirectory() as tmp:
        _setup_database(tmp)
        results = bench_match_product(args.items, args.queries)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"match_product (target p95 <= 5 ms); {args.items} generated products inserted in "
        f"{results['insert_s']:.1f} s; {os.cpu_count()} CPUs, load average {load:.1f}"
    )
    header = ["catalogue", "items", "phrases", "vocab", "build ms", "queries"]
    header += ["p50 ms", "p95 ms", "p99 ms", "max ms", "cpu p95", "top-1"]
    print(f"{header[0]:<11}" + "".join(f"{h:>9}" for h in header[1:]))
    ok = True
    for label in ("demo", "generated"):
        r = results[label]
        top1 = "-" if r["top1"] is None else f"{r['top1']:.3f}"
        cells = [
            r["catalog_items"],
            r["phrases"],
            r["vocabulary"],
            f"{r['index_build_ms']:.0f}",
            r["queries"],
        ]
        cells += [f"{r[k]:.2f}" for k in ("p50_ms", "p95_ms", "p99_ms", "max_ms", "cpu_p95_ms")] + [top1]
        print(f"{label:<11}" + "".join(f"{c!s:>9}" for c in cells))
        ok = ok and r["p95_ms"] <= 5.0
    print(
        "match_product p95 target met" if ok else "match_product p95 target MISSED (wall clock; see cpu p95)"
    )
    for label in ("demo", "generated"):
        r = results[label]
        print(
            f"correct_spelling on the {label} catalogue: p50 {r['spelling_p50_ms']:.2f} ms, "
            f"p95 {r['spelling_p95_ms']:.2f} ms (500 messages, warm vocabulary)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
