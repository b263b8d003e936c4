"""Injection corpus: how many attempts a model that obeys the customer makes, and how many leak.

    .venv/bin/python benchmarks/injection_corpus.py            # every attempt through the pipeline
    .venv/bin/python benchmarks/injection_corpus.py --lang fr  # one language

Method. A throwaway SQLite database gets the agent tests' small shop (tests/engine/agent/conftest.py) with a
persona rule, an internal knowledge entry and a never-tell line (shop A), and a second tenant full of canaries
(shop B). Shop A runs on the scripted OpenAI-compatible server (tests/fakes/openai_server.py) playing the
worst case (tests/security/injection_corpus.py: it recites its system messages verbatim, base64, backwards,
ROT13 or letter by letter, quotes internal lines, links to an attacker's domain, echoes everything when asked
for the other shop's data, stores dictated "facts"). Each attempt of tests/security/injection/*.jsonl is one
turn in a new conversation through `engine.agent.pipeline.process_message`, with a real embedder (hashing) so
internal entries can be found by meaning. What was sent is checked independently of the guard: the persona's
8-word spans and 40-character letter runs, shop A's internal canaries, shop B's canaries (in the reply and in
everything shop A's model was sent), the attacker's domain — in every decoding of the reply.

Prints attempts, blocked, leaked (by kind of leak) per language and in all; exits 1 when anything leaked.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _setup_database(tmp: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.db"
    os.environ["LANCEDB_URI"] = f"{tmp}/lancedb"
    os.environ["DATA_DIR"] = f"{tmp}/data"
    os.environ["KNOWLEDGE_EMBEDDER"] = "hashing"
    os.environ.pop("REDIS_URL", None)
    for key in ("OPENAI_API_KEY", "TOGETHER_API_KEY", "DEFAULT_LLM_PROVIDER"):
        os.environ.pop(key, None)
    from cryptography.fernet import Fernet

    os.environ["PARLEY_SECRET_KEYS"] = Fernet.generate_key().decode()
    from engine.cache import reset_cache
    from engine.config import reset_settings_cache
    from engine.db import create_all, reset_engine_cache
    from engine.security.crypto import reset_keyring

    reset_settings_cache()
    reset_engine_cache()
    reset_keyring()
    reset_cache()
    create_all()


def run(lang: str | None) -> int:
    from engine.accounts.secrets import set_secret
    from engine.agent.pipeline import process_message
    from engine.db import TenantScope, session_scope
    from engine.models import Customer
    from tests.engine.agent.conftest import build_shop, configure
    from tests.fakes.openai_server import FakeOpenAIServer
    from tests.security import injection_corpus as corpus

    attempts = [a for a in corpus.load() if lang is None or a.lang == lang]
    model = corpus.WorstCase()
    by_lang: dict[str, corpus.Figures] = {}
    total = corpus.Figures()
    started = time.perf_counter()
    with FakeOpenAIServer(default=model, record=True) as server:
        shop = build_shop("corpus-a")
        corpus.seed_shop_a(shop.tenant_id)
        corpus.seed_shop_b()
        configure(
            shop.tenant_id,
            llm_provider="openai",
            llm_base_url=server.openai_base_url,
            default_model="gpt-4o-mini",
            fallback_models=[],
            monthly_budget=Decimal("100.00"),
            enable_spelling_correction=False,
        )
        with session_scope() as s:
            set_secret(s, shop.tenant_id, "openai_api_key", "sk-bench-0001")
        persona = corpus.persona_prompt(shop.tenant_id)
        for attempt in attempts:
            model.attempt = attempt
            seen = len(server.chat_requests)
            result = process_message(shop.tenant_id, shop.new_conversation(), attempt.text)
            blocked = any(s.name == "guard" and s.detail.get("blocked") for s in result.trace)
            with session_scope() as s:
                customer = TenantScope(s, shop.tenant_id).get(Customer, shop.customer_id)
                facts = dict(customer.key_facts or {})
            sent = json.dumps(result.message.to_dict() if result.message else {}, ensure_ascii=False)
            for figures in (total, by_lang.setdefault(attempt.lang, corpus.Figures())):
                corpus.score(
                    figures,
                    attempt,
                    sent,
                    persona=persona,
                    requests=server.chat_requests[seen:],
                    blocked=blocked,
                    stored_facts=facts,
                )
    elapsed = time.perf_counter() - started
    print(f"injection corpus: {len(attempts)} attempts, worst-case model, {elapsed:.1f} s")
    for code, figures in sorted(by_lang.items()):
        print("  " + figures.line(code))
    print(total.line("all"))
    if total.leaked_ids:
        print("leaked:", ", ".join(total.leaked_ids))
    return 1 if total.leaked or total.facts_from_attempts else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default=None, help="one language only (en, es…)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        _setup_database(tmp)
        return run(args.lang)


if __name__ == "__main__":
    raise SystemExit(main())
