"""Signed inbound webhooks per second and ack latency, on SQLite and PostgreSQL, beside a bare floor.

Question: how fast does `POST /webhooks/twilio/whatsapp` acknowledge Twilio, and what does it cost over the
least any endpoint must do? Target: ≥ 400 webhooks/s on PostgreSQL with p99 ≤ 50 ms, within 2× of the floor.

Method:
- One uvicorn process (one worker, the engine's webhook router plus a floor route) serves; this process is
  the load generator (aiohttp, `--concurrency` requests in flight). Every request is signed beforehand with
  the tenant's auth token, so signing costs the client nothing during the timed run.
- *webhook*: the real route — tenant lookup by `To`, X-Twilio-Signature check, form parsing, dedupe on
  MessageSid, customer and conversation found or created, the message (encrypted body) and its queue row
  stored, burst window moved, `<Response/>` returned.
- *floor*: a bare FastAPI route that parses the same form and inserts the same message row (encrypted body,
  fixed conversation), nothing else (on SQLite behind the same in-process writer lock as the webhook).
- `--customers` distinct senders write in turn, so most webhooks land in an existing conversation with a
  pending burst (the common case), as in production.
- Latency is measured by the client (request sent → response read), p50/p95/p99 over `--requests` requests
  after `--warmup`; throughput is requests / wall time of the timed run. The server's CPU time per request
  (user + system, from /proc) is printed too: on a shared machine it is the figure that does not depend on
  what else runs, and 1000 / it is what one core could sustain. Floor and webhook run back to back on
  the same server and database, in each backend.
- PostgreSQL uses its own database (`--pg-url`, created when missing, tables recreated), so it never touches
  the test database.

Run: `.venv/bin/python benchmarks/webhook_ingest.py` (both backends) or `--backends sqlite`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/parley_bench"
PUBLIC_BASE = "https://bench.parley.example"
SENDER = "whatsapp:+12025550999"
ACCOUNT_SID = "AC" + "b" * 32
AUTH_TOKEN = "bench-auth-token"


# ---------------------------------------------------------------------------------------------- server side


def build_app() -> Any:
    """The engine's webhook router plus the floor route, as one FastAPI app."""
    from fastapi import FastAPI

    from engine.db import session_scope
    from engine.http import webhooks
    from engine.models import Message

    app = FastAPI()
    app.include_router(webhooks.router)
    floor_conversation = {
        "tenant_id": int(os.environ["BENCH_TENANT_ID"]),
        "id": int(os.environ["BENCH_CONV_ID"]),
    }

    from engine.db import sqlite_writes

    def insert(form: dict[str, str]) -> None:
        # Same single-writer queue as the webhook on SQLite, so the floor is not slowed by SQLite's busy loop.
        guard = sqlite_writes if os.environ["DATABASE_URL"].startswith("sqlite") else contextlib.nullcontext()
        with guard, session_scope() as session:
            session.add(
                Message(
                    tenant_id=floor_conversation["tenant_id"],
                    conversation_id=floor_conversation["id"],
                    direction="inbound",
                    body=form.get("Body"),
                    provider_sid=form["MessageSid"],
                    rich={"inbound": {"to": form.get("To")}},
                )
            )

    @app.post("/bench/floor")
    async def floor(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        form = await request.form()
        await run_in_threadpool(insert, {k: str(v) for k, v in form.items()})
        return Response(content=webhooks.ACK, media_type="text/xml")

    return app


def serve(port: int) -> None:
    import logging

    import uvicorn

    logging.getLogger("engine").setLevel(logging.ERROR)
    uvicorn.run(build_app(), host="127.0.0.1", port=port, log_level="warning", access_log=False)


# -------------------------------------------------------------------------------------------------- set-up


def prepare_database(url: str) -> tuple[int, int]:
    """Fresh tables, one tenant with Twilio credentials, one conversation for the floor route."""
    from sqlmodel import SQLModel

    import engine.models  # noqa: F401 - registers tables
    from engine.accounts import tenants
    from engine.db import TenantScope, get_engine, session_scope
    from engine.models import Conversation, Customer

    if url.startswith("postgresql"):
        ensure_pg_database(url)
    engine = get_engine(url)
    SQLModel.metadata.drop_all(engine)
    SQLModel.metadata.create_all(engine)
    with session_scope(url) as session:
        info = tenants.create_tenant(
            session,
            name="Bench",
            slug="bench",
            whatsapp_from=SENDER,
            twilio_account_sid=ACCOUNT_SID,
            twilio_auth_token=AUTH_TOKEN,
        )
        scope = TenantScope(session, info.id)
        customer = scope.add(Customer(phone="whatsapp:+447700000000"))
        conversation = scope.add(Conversation(customer_id=customer.id))
        return info.id, conversation.id  # type: ignore[return-value]


def ensure_pg_database(url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{parsed.database}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ------------------------------------------------------------------------------------------------- client


def signed_requests(path: str, n: int, customers: int, start: int) -> list[tuple[dict[str, str], str]]:
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(AUTH_TOKEN)
    bodies = ["hi", "do you have the trail runner in 42?", "and in blue", "how much is shipping to Spain?"]
    out = []
    for i in range(start, start + n):
        form = {
            "MessageSid": f"SM{i:032x}",
            "AccountSid": ACCOUNT_SID,
            "From": f"whatsapp:+4477009{i % customers:05d}",
            "To": SENDER,
            "Body": bodies[i % len(bodies)],
            "NumMedia": "0",
            "NumSegments": "1",
            "ProfileName": f"Customer {i % customers}",
            "WaId": f"4477009{i % customers:05d}",
            "SmsStatus": "received",
            "ApiVersion": "2010-04-01",
        }
        out.append((form, validator.compute_signature(PUBLIC_BASE + path, form)))
    return out


async def run_load(
    base: str, path: str, requests: list[tuple[dict[str, str], str]], concurrency: int
) -> dict:
    import aiohttp

    latencies: list[float] = []
    errors: dict[int, int] = {}
    queue: asyncio.Queue[tuple[dict[str, str], str]] = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def worker() -> None:
            while not queue.empty():
                form, signature = queue.get_nowait()
                started = time.perf_counter()
                async with http.post(
                    base + path, data=form, headers={"X-Twilio-Signature": signature}
                ) as resp:
                    await resp.read()
                    latencies.append((time.perf_counter() - started) * 1000)
                    if resp.status != 200:
                        errors[resp.status] = errors.get(resp.status, 0) + 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - began
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))]

    return {
        "rps": len(requests) / wall,
        "p50": statistics.median(latencies),
        "p95": pct(95),
        "p99": pct(99),
        "errors": errors,
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc): the server's own cost, whatever else runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_up(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited during start-up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def bench_backend(name: str, url: str, args: argparse.Namespace) -> dict[str, dict]:
    from cryptography.fernet import Fernet

    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        PARLEY_SECRET_KEYS=env.get("BENCH_SECRET_KEY") or Fernet.generate_key().decode(),
        PUBLIC_BASE_URL=PUBLIC_BASE,
        BURST_WINDOW_SECONDS="5",
    )
    env.pop("REDIS_URL", None)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "PARLEY_SECRET_KEYS", "PUBLIC_BASE_URL")})
    from engine.config import reset_settings_cache
    from engine.db import reset_engine_cache
    from engine.security.crypto import reset_keyring

    reset_settings_cache()
    reset_keyring()
    reset_engine_cache()
    tenant_id, conversation_id = prepare_database(url)
    reset_engine_cache()
    env.update(BENCH_TENANT_ID=str(tenant_id), BENCH_CONV_ID=str(conversation_id))
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port)], env=env, cwd=str(ROOT), stdout=subprocess.DEVNULL
    )
    results: dict[str, dict] = {}
    try:
        wait_up(port, proc)
        base = f"http://127.0.0.1:{port}"
        offset = 0
        for label, path in (("floor", "/bench/floor"), ("webhook", "/webhooks/twilio/whatsapp")):
            for phase, count in (("warmup", args.warmup), ("timed", args.requests)):
                batch = signed_requests(path, count, args.customers, offset)
                offset += count
                cpu_before = cpu_seconds(proc.pid)
                outcome = asyncio.run(run_load(base, path, batch, args.concurrency))
                outcome["cpu_ms"] = (cpu_seconds(proc.pid) - cpu_before) / count * 1000
                if phase == "timed":
                    results[label] = outcome
    finally:
        proc.terminate()
        proc.wait(10)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG))
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--customers", type=int, default=200)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    print(
        f"{args.requests} signed webhooks per run, {args.concurrency} in flight, {args.customers} customers, "
        f"{os.cpu_count()} CPUs (shared)"
    )
    print(
        f"{'backend':<11}{'route':<9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'server CPU ms/req':>19}  {'floor ÷ route':<14}errors"
    )
    with tempfile.TemporaryDirectory() as tmp:
        urls = {"sqlite": f"sqlite:///{tmp}/bench.db", "postgresql": args.pg_url}
        for backend in args.backends.split(","):
            results = bench_backend(backend, urls[backend], args)
            floor = results["floor"]
            for label in ("floor", "webhook"):
                r = results[label]
                ratio = "" if label == "floor" else f"{floor['rps'] / r['rps']:.2f}×"
                print(
                    f"{backend:<11}{label:<9}{r['rps']:>8.0f}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}"
                    f"{r['cpu_ms']:>19.2f}  {ratio:<14}{r['errors'] or ''}"
                )


if __name__ == "__main__":
    main()
