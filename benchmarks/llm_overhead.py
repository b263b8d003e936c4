"""How much the LLM layer adds to a model call, beside a bare openai client call against the same server.

Both sides send the same request (the layer's own: AgentTurn as json_schema) to the scripted fake server on
127.0.0.1, which answers a valid AgentTurn at once. Per call, overhead = wall time − the server's own handling
time (it reports it per request), so what remains is client-side work: for the bare side the SDK and HTTP,
for the layer the same plus model selection, the budget check, the fallback chain, JSON parsing and AgentTurn
validation, cost accounting, logging at INFO and queueing the LLMCall row (written by the ledger's thread,
whose CPU time competes with the calls, as in production).

    python benchmarks/llm_overhead.py [--calls 1000] [--concurrency 32] [--per-worker 32]

Prints p50/p95 overhead of both, their ratio (target: layer ≤ 1.15 × bare at p95), and calls per second
with 32 concurrent conversations for both. A temporary SQLite database is used; nothing of the project's is
touched.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TURN = {
    "reply": "We open at 9am, Monday to Saturday.",
    "intents": [{"name": "faq", "confidence": 0.92}],
    "confidence": 0.9,
    "handoff": {"needed": False, "reason": None},
    "suggestions": ["RUN-42"],
    "facts": {},
    "rich": None,
}
MESSAGES = [
    {"role": "system", "content": "You are Maya, the assistant of Acme Shoes. Answer briefly, kindly. " * 8},
    {"role": "user", "content": "Hi! When do you open on Saturdays, and do you have the Trail Runner in 42?"},
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def setup(tmp: Path) -> None:
    from cryptography.fernet import Fernet

    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.db'}"
    os.environ["PARLEY_SECRET_KEYS"] = Fernet.generate_key().decode()
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "TOGETHER_API_KEY", "TOGETHER_BASE_URL"):
        os.environ.pop(name, None)
    from engine.db import create_all

    create_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=1000, help="sequential calls per side")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent conversations")
    parser.add_argument("--per-worker", type=int, default=32, help="calls per conversation in the load run")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="alternating load rounds per side (median)")
    parser.add_argument("--log-level", default="INFO", help="logging level during the run (as deployed)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="parley-bench-"))
    setup(tmp)
    logging.basicConfig(level=args.log_level.upper(), stream=open(os.devnull, "w"))  # noqa: SIM115 - process-long

    import openai

    from engine.accounts.secrets import set_secret
    from engine.accounts.tenants import create_tenant
    from engine.db import TenantScope, session_scope
    from engine.llm.ledger import default_ledger
    from engine.llm.router import llm_for_tenant
    from engine.llm.selection import Task
    from engine.models import AgentConfiguration
    from tests.fakes.openai_server import FakeOpenAIServer, Reply

    answer = Reply(content=TURN, prompt_tokens=420, completion_tokens=60)
    server = FakeOpenAIServer(default=answer, record=False)
    server.start()
    with session_scope() as s:
        tenant = create_tenant(s, name="Bench Shoes", slug="bench")
        config = TenantScope(s, tenant.id).first(AgentConfiguration)
        assert config is not None
        config.llm_provider = "openai"
        config.llm_base_url = server.openai_base_url
        config.default_model = "gpt-4o-mini"
        config.fallback_models = ["gpt-4o"]
        config.monthly_budget = 1_000_000  # type: ignore[assignment]
        s.add(config)
        set_secret(s, tenant.id, "openai_api_key", "sk-bench-000000000")

    build_ms: list[float] = []
    for _ in range(50):
        started = time.perf_counter()
        with session_scope() as s:
            llm = llm_for_tenant(s, tenant.id)
        build_ms.append((time.perf_counter() - started) * 1000)

    # The bare side sends exactly the request the layer sends.
    server.record = True
    llm.generate(MESSAGES, task=Task.FAQ)
    sent = dict(server.requests[-1].json or {})
    server.record = False
    bare_client = openai.OpenAI(api_key="sk-bench-000000000", base_url=server.openai_base_url, max_retries=0)

    def bare_call() -> None:
        completion = bare_client.chat.completions.create(**sent)
        assert completion.choices[0].message.content

    def layer_call() -> None:
        response = llm.generate(MESSAGES, task=Task.FAQ)
        assert response.output is not None and response.degraded is None

    def timed(call: Callable[[], None]) -> float:
        started = time.perf_counter()
        call()
        total = (time.perf_counter() - started) * 1000
        return total - server.timings_ms[-1]

    for _ in range(args.warmup):
        bare_call()
        layer_call()
    server.timings_ms.clear()

    bare: list[float] = []
    layer: list[float] = []
    for _ in range(args.calls):  # interleaved, so drift in machine load hits both sides alike
        bare.append(timed(bare_call))
        layer.append(timed(layer_call))
        if len(server.timings_ms) > 10_000:
            server.timings_ms.clear()
    server_ms = statistics.median(server.timings_ms) if server.timings_ms else 0.0

    def load(call: Callable[[], None]) -> float:
        barrier = threading.Barrier(args.concurrency + 1)

        def conversation() -> None:
            barrier.wait()
            for _ in range(args.per_worker):
                call()

        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            futures = [pool.submit(conversation) for _ in range(args.concurrency)]
            barrier.wait()
            started = time.perf_counter()
            for future in futures:
                future.result()
        return args.concurrency * args.per_worker / (time.perf_counter() - started)

    # Alternating rounds, median of each: the machine's other load moves both sides alike.
    bare_runs: list[float] = []
    layer_runs: list[float] = []
    for _ in range(args.rounds):
        bare_runs.append(load(bare_call))
        layer_runs.append(load(layer_call))
    bare_rps = statistics.median(bare_runs)
    layer_rps = statistics.median(layer_runs)
    default_ledger().flush()
    server.stop()

    def row(name: str, values: list[float]) -> str:
        return (
            f"  {name:<6} p50 {percentile(values, 50):7.3f} ms   p95 {percentile(values, 95):7.3f} ms   "
            f"mean {statistics.fmean(values):7.3f} ms"
        )

    ratio_p95 = percentile(layer, 95) / percentile(bare, 95)
    ratio_p50 = percentile(layer, 50) / percentile(bare, 50)
    print(f"LLM layer overhead ({args.calls} sequential calls per side, server median {server_ms:.3f} ms)")
    print(row("bare", bare))
    print(row("layer", layer))
    print(
        f"  added  p50 {percentile(layer, 50) - percentile(bare, 50):+7.3f} ms   "
        f"p95 {percentile(layer, 95) - percentile(bare, 95):+7.3f} ms"
    )
    verdict = "OK" if ratio_p95 <= 1.15 else "ABOVE TARGET"
    print(f"  ratio layer/bare: p50 {ratio_p50:.3f}×   p95 {ratio_p95:.3f}×   (≤ 1.15× at p95: {verdict})")
    print(
        f"Throughput, {args.concurrency} concurrent conversations × {args.per_worker} calls, "
        f"median of {args.rounds} alternating rounds"
    )
    print(f"  bare   {bare_rps:8.1f} calls/s")
    print(f"  layer  {layer_rps:8.1f} calls/s   ({layer_rps / bare_rps:.3f}× bare)")
    print(f"Building a TenantLLM per turn (config + keys from SQLite): p50 {percentile(build_ms, 50):.3f} ms")


if __name__ == "__main__":
    main()
