"""The load and fault scenario shared by tests/load and benchmarks/load_replies.py (issue #12, item 5).

Customers of several tenants write bursts through the signed webhook (in this process, through the real
FastAPI router); workers answer them through the fake OpenAI server (per-tenant behaviour chosen by the
tenant's API key: healthy, flaky — failures and hangs — or hanging) and send through the fake Twilio server,
which can answer 429s, 5xx and accept-then-timeouts at random. Workers are threads in this process
(`workers="threads"`, SQLite or PostgreSQL) or `python -m engine worker` subprocesses (`workers="processes"`,
PostgreSQL + Redis), which the scenario can kill with SIGKILL mid-send and mid-model-call.

What it counts, from the fake's own record of what each customer received and the database:
received (bursts sent) = answered (a reply reached Twilio) + handed to a person (with a reason) + never
answered; duplicates = messages Twilio accepted that no reply row holds (a second copy of a reply).
Latency: from a burst's due time (its burst window closed) to Twilio's acceptance of its reply.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import select

from engine.accounts import tenants
from engine.accounts.secrets import set_secret
from engine.agent.channel import ChannelAgent
from engine.channels.whatsapp.credentials import forget_credentials
from engine.channels.whatsapp.sender import TwilioSender
from engine.channels.whatsapp.twilio_client import reset_clients
from engine.config import reset_settings_cache
from engine.conversations.queue import QueueWorker, WorkerSettings
from engine.db import get_engine, session_scope
from engine.models import AgentConfiguration, Conversation, Customer, Message, MessageQueue
from tests.engine.conversations.harness import PUBLIC_BASE, webhook_app
from tests.fakes.openai_server import ErrorReply, FakeOpenAIServer, RecordedRequest, Reply, Step
from tests.fakes.twilio_server import Chaos, FakeTwilioServer
from tests.load.forensics import explain_duplicates

ROOT = Path(__file__).resolve().parents[2]
TURN = {
    "reply": "Happy to help: the trail runner is in stock in sizes 38 to 46.",
    "intents": [{"name": "product_search", "confidence": 0.9}],
    "confidence": 0.9,
    "handoff": {"needed": False, "reason": None},
    "suggestions": [],
    "facts": {},
    "rich": None,
}
BURSTS = [
    ("hi,", "do you have the trail runner in 42?"),
    ("where is my order?",),
    ("hello", "what time do you open on sunday?"),
    ("can I return shoes I wore once?",),
]


@dataclass
class Scenario:
    tenants: int = 5
    customers: int = 50
    seconds: float = 300.0
    burst_window: float = 2.0
    workers: str = "threads"  # threads · processes
    worker_count: int = 2
    flaky_tenant: bool = True  # tenant 1: 30% model failures and hangs
    hanging_tenant: bool = False  # tenant 2: every model call hangs (its own timeout ends it)
    twilio_chaos: bool = True  # 429s, 5xx and accept-then-timeouts
    kill_mid_send: bool = False  # SIGKILL a worker process while Twilio holds its create call
    kill_mid_model: bool = False  # SIGKILL a worker process while a model call is in flight
    terminate_connections: bool = False  # pg_terminate_backend on every other connection, now and then
    llm_timeout: float = 2.0
    twilio_timeout: float = 1.0  # thread workers; processes keep the production default
    settle_seconds: float = 90.0  # after the last burst: time to answer or hand off what is in flight
    seed: int = 12


@dataclass
class Burst:
    customer: str
    tenant: int
    sent_at: float
    due_at: float | None = None
    answered_at: float | None = None


@dataclass
class Report:
    received: int = 0
    answered: int = 0
    handed_off: int = 0
    handed_off_without_reason: int = 0
    duplicates: int = 0
    never_answered: int = 0
    healthy_unanswered: int = 0
    kills: list[str] = field(default_factory=list)
    latency: dict[str, list[float]] = field(default_factory=dict)  # tenant label → seconds past the window

    def percentile(self, label: str, q: float) -> float | None:
        values = sorted(self.latency.get(label) or [])
        if not values:
            return None
        if len(values) == 1:
            return values[0]
        return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]

    def lines(self) -> list[str]:
        out = [
            f"received {self.received} · answered {self.answered} · handed to a person {self.handed_off} · "
            f"duplicates {self.duplicates} · never answered {self.never_answered}",
        ]
        for label in sorted(self.latency):
            p50, p95 = self.percentile(label, 50), self.percentile(label, 95)
            out.append(
                f"  {label:<22} replies {len(self.latency[label]):>4}   p50 {_s(p50)}   p95 {_s(p95)}"
                "   (seconds past the burst window)"
            )
        if self.kills:
            out.append("  kills: " + ", ".join(self.kills))
        return out


def _s(value: float | None) -> str:
    return f"{value:6.2f}" if value is not None else "     -"


class _Models:
    """The fake OpenAI server's answer per tenant key: healthy, flaky (30% failures and hangs) or hanging."""

    def __init__(self, seed: int, hang: float) -> None:
        self.rng = random.Random(seed)
        self.behaviour: dict[str, str] = {}
        self.hang = hang
        self.last_hang = 0.0  # monotonic time the last hanging answer began
        self._mutex = threading.Lock()

    def __call__(self, request: RecordedRequest) -> Step:
        key = (request.authorization or "").removeprefix("Bearer ").strip()
        behaviour = self.behaviour.get(key, "healthy")
        with self._mutex:
            roll = self.rng.random()
        if behaviour == "hanging" or (behaviour == "flaky" and roll < 0.15):
            self.last_hang = time.monotonic()
            return Reply(content=TURN, delay=self.hang)
        if behaviour == "flaky" and roll < 0.30:
            return ErrorReply(status=500, message="The server had an error", type="server_error")
        return Reply(content=TURN, delay=0.05)


def label(index: int, scenario: Scenario) -> str:
    if index == 1 and scenario.flaky_tenant:
        return "t1 (flaky model)"
    if index == 2 and scenario.hanging_tenant:
        return "t2 (hanging model)"
    return f"t{index} (healthy)"


def run(scenario: Scenario, *, log: Callable[[str], None] = print) -> Report:
    """Run the scenario against the database DATABASE_URL names (tables already created) and report."""
    models = _Models(scenario.seed, hang=120.0)
    with FakeTwilioServer() as twilio, FakeOpenAIServer(default=models, record=False) as openai:
        os.environ.update(
            PUBLIC_BASE_URL=PUBLIC_BASE,
            TWILIO_API_BASE_URL=twilio.base_url,
            BURST_WINDOW_SECONDS=str(scenario.burst_window),
        )
        reset_settings_cache()
        forget_credentials()
        reset_clients()
        people = _setup(scenario, twilio, openai, models)
        if scenario.twilio_chaos:
            timeout_delay = scenario.twilio_timeout + 1 if scenario.workers == "threads" else 11.0
            twilio.chaos(Chaos(0.05, 0.05, 0.03, timeout_delay=timeout_delay, seed=scenario.seed))
        with _workers(scenario) as pool, TestClient(webhook_app()) as client:
            # Twilio posts "queued"/"sent" to the message's callback URL (its ?k= key) as in production.
            twilio.post_status_callbacks(
                lambda url, form, signature: _post_status(client, url, form, signature)
            )
            report = _drive(scenario, client, twilio, models, people, pool, log)
            twilio.post_status_callbacks(None)
        twilio.chaos(None)
        _count(report, twilio, people, scenario)
        explain_duplicates(twilio, log)  # before the test's database is dropped
    return report


@dataclass
class _Person:
    tenant: int
    index: int  # tenant number, 1-based
    phone: str
    sender: str
    token: str
    bursts: list[Burst] = field(default_factory=list)
    next_at: float = 0.0
    seen: int = 0  # replies Twilio has accepted for this customer so far


def _setup(
    scenario: Scenario, twilio: FakeTwilioServer, openai: FakeOpenAIServer, models: _Models
) -> list[_Person]:
    people: list[_Person] = []
    run_id = random.Random().randrange(10**6)
    numbers = itertools.count(1)
    for index in range(1, scenario.tenants + 1):
        n = run_id * 10 + index
        sender, sid, token = f"whatsapp:+1303{n % 10**7:07d}", f"AC{n:032x}", f"token-{n}"
        with session_scope() as s:
            tenant_id = tenants.create_tenant(
                s,
                name=f"Load {index}",
                slug=f"load-{n}",
                whatsapp_from=sender,
                twilio_account_sid=sid,
                twilio_auth_token=token,
            ).id
            config = s.exec(select(AgentConfiguration).where(AgentConfiguration.tenant_id == tenant_id)).one()
            config.llm_provider, config.llm_base_url = "openai", openai.openai_base_url
            config.default_model, config.fallback_models = "gpt-4o-mini", []
            config.llm_timeout_seconds = scenario.llm_timeout
            config.enable_spelling_correction = False
            s.add(config)
            key = f"sk-load-{n}"
            set_secret(s, tenant_id, "openai_api_key", key)
        twilio.add_account(sid, token)
        models.behaviour[key] = (
            "flaky"
            if index == 1 and scenario.flaky_tenant
            else "hanging"
            if index == 2 and scenario.hanging_tenant
            else "healthy"
        )
        for _ in range(scenario.customers // scenario.tenants):
            phone = f"whatsapp:+4477{run_id % 10**4:04d}{next(numbers):05d}"
            people.append(_Person(tenant_id, index, phone, sender, token))
    return people


class _ThreadWorkers:
    def __init__(self, scenario: Scenario) -> None:
        def factory(session: Any, tenant_id: int) -> TwilioSender:
            return TwilioSender.for_tenant(
                session, tenant_id, timeout=scenario.twilio_timeout, retry_for=10.0, backoff_base=0.2
            )

        self.workers = [
            QueueWorker(
                responder=ChannelAgent(),
                sender_factory=factory,
                worker_id=f"load-{i}",
                settings=WorkerSettings(typing=False),
            )
            for i in range(scenario.worker_count)
        ]
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._loop, args=(w,), daemon=True) for w in self.workers]
        for thread in self.threads:
            thread.start()

    def _loop(self, worker: QueueWorker) -> None:
        while not self.stop.is_set():
            try:
                worker.tick(wait=False)
            except Exception as exc:  # noqa: BLE001 - a dropped connection: the next tick goes on
                print(f"worker tick failed: {exc!r}", file=sys.stderr)
            self.stop.wait(0.2)

    def close(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(10)
        for worker in self.workers:
            worker.shutdown(wait=True)

    def kill(self, why: str) -> str | None:
        return None


class _ProcessWorkers:
    """`python -m engine worker` subprocesses on this scenario's database, Redis and fakes."""

    def __init__(self, scenario: Scenario) -> None:
        self.env = {
            **os.environ,
            "KNOWLEDGE_EMBEDDER": "none",
            "LOG_FORMAT": "text",
            "PYTHONUNBUFFERED": "1",
        }
        self.logs = Path(os.environ.get("LOAD_LOG_DIR", "/tmp")) / f"parley-load-{os.getpid()}"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.procs: list[subprocess.Popen[bytes]] = []
        self.ready_logs: dict[int, Path] = {}
        self.started = 0
        for _ in range(scenario.worker_count):
            self.spawn()
        # A worker boots in ~50 s on a loaded 2-core machine (importing engine.agent: lancedb, the LLM
        # clients...). Bursts sent before any worker runs measure the boot, not the queue: start once ready.
        self.wait_ready(self.procs, timeout=240.0)
        print(f"worker logs in {self.logs}", file=sys.stderr)

    def spawn(self) -> None:
        self.started += 1
        path = self.logs / f"worker-{self.started}.log"
        out = open(path, "wb")  # noqa: SIM115 - lives with the process
        proc = subprocess.Popen(
            [sys.executable, "-m", "engine", "worker"], cwd=ROOT, env=self.env, stdout=out, stderr=out
        )
        self.procs.append(proc)
        self.ready_logs[proc.pid] = path

    def ready(self, proc: subprocess.Popen[bytes]) -> bool:
        """The worker logged its scheduler's start (engine.jobs.scheduler.run_worker)."""
        path = self.ready_logs.get(proc.pid)
        return bool(path and path.exists() and b"worker started with jobs" in path.read_bytes())

    def wait_ready(self, procs: list[subprocess.Popen[bytes]], *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not all(self.ready(p) for p in procs if p.poll() is None):
            time.sleep(0.5)

    def kill(self, why: str) -> str | None:
        alive = [p for p in self.procs if p.poll() is None]
        if not alive:
            return None
        # One worker down at a time, as a supervisor restarts them: the other must be up (booted) first.
        self.wait_ready(alive, timeout=120.0)
        victim = alive[0]
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        self.procs.remove(victim)
        self.spawn()  # a supervisor restarts it, as in production
        return f"pid {victim.pid} {why}"

    def close(self) -> None:
        for proc in self.procs:
            proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()


class _workers:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario

    def __enter__(self) -> _ThreadWorkers | _ProcessWorkers:
        if self.scenario.workers == "processes":
            self.pool: _ThreadWorkers | _ProcessWorkers = _ProcessWorkers(self.scenario)
        else:
            self.pool = _ThreadWorkers(self.scenario)
        return self.pool

    def __exit__(self, *exc: object) -> None:
        self.pool.close()


def _signed_post(client: TestClient, person: _Person, body: str, sid: str) -> None:
    form = {
        "MessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": person.phone,
        "To": person.sender,
        "Body": body,
        "NumMedia": "0",
        "ProfileName": "Load Customer",
        "WaId": person.phone.removeprefix("whatsapp:+"),
    }
    url = PUBLIC_BASE + "/webhooks/twilio/whatsapp"
    signature = FakeTwilioServer.signature(person.token, url, form)
    for attempt in range(5):
        try:
            response = client.post(
                "/webhooks/twilio/whatsapp", data=form, headers={"X-Twilio-Signature": signature}
            )
            if response.status_code == 200:
                return
        except Exception:  # noqa: BLE001 - a terminated connection mid-webhook: Twilio would retry too
            pass
        time.sleep(0.2 * (attempt + 1))


def _post_status(client: TestClient, url: str, form: dict[str, str], signature: str) -> None:
    client.post(url.removeprefix(PUBLIC_BASE), data=form, headers={"X-Twilio-Signature": signature})


def _due(person: _Person) -> float | None:
    with session_scope() as s:
        customer = s.exec(
            select(Customer).where(Customer.tenant_id == person.tenant, Customer.phone == person.phone)
        ).first()
        if customer is None:
            return None
        due = s.exec(
            select(MessageQueue.due_at)
            .join(Conversation, Conversation.id == MessageQueue.conversation_id)
            .where(
                MessageQueue.tenant_id == person.tenant,
                Conversation.customer_id == customer.id,
                MessageQueue.status == "pending",
            )
            .order_by(MessageQueue.due_at.desc())  # type: ignore[attr-defined]
        ).first()
        return due.timestamp() if due else None


def _handed_off(person: _Person) -> tuple[bool, str | None]:
    with session_scope() as s:
        row = s.exec(
            select(Conversation.status, Conversation.handoff_reason)
            .join(Customer, Customer.id == Conversation.customer_id)
            .where(Customer.tenant_id == person.tenant, Customer.phone == person.phone)
            .order_by(Conversation.id.desc())  # type: ignore[union-attr]
        ).first()
    return (row is not None and row[0] == "handoff", row[1] if row else None)


def _drive(
    scenario: Scenario,
    client: TestClient,
    twilio: FakeTwilioServer,
    models: _Models,
    people: list[_Person],
    pool: Any,
    log: Callable[[str], None],
) -> Report:
    rng = random.Random(scenario.seed)
    report = Report()
    sids = itertools.count(1)
    started = time.monotonic()
    stop_sending = started + scenario.seconds
    give_up = stop_sending + scenario.settle_seconds
    for person in people:
        person.next_at = started + rng.uniform(0, min(10.0, scenario.seconds / 3))
    kills = {"send": scenario.kill_mid_send, "model": scenario.kill_mid_model}
    last_terminate = started
    while time.monotonic() < give_up:
        now = time.monotonic()
        counts = twilio.sent_per_to()
        waiting = 0
        for person in people:
            if counts[person.phone] > person.seen:
                person.seen = counts[person.phone]
                open_bursts = [b for b in person.bursts if b.answered_at is None]
                if open_bursts:
                    open_bursts[0].answered_at = time.time()
                person.next_at = now + rng.uniform(1.0, 4.0)
            if person.bursts and person.bursts[-1].answered_at is None:
                waiting += 1
                continue
            if now < stop_sending and now >= person.next_at and not _handed_off(person)[0]:
                burst = Burst(person.phone, person.index, time.time())
                for part in rng.choice(BURSTS):
                    _signed_post(client, person, part, f"SM{os.getpid():08x}{next(sids):024x}")
                burst.due_at = _due(person)
                person.bursts.append(burst)
                waiting += 1
        if now >= stop_sending and waiting == 0:
            break
        if kills["send"] and now - started > scenario.seconds / 4:
            twilio.accept_then_timeout(delay=30.0)  # the next create is accepted, then held ...
            before = len(twilio.sent)
            while len(twilio.sent) == before and time.monotonic() < give_up:
                time.sleep(0.05)
            done = pool.kill("mid-send")  # ... and its worker dies while waiting for the answer
            if done:
                report.kills.append(done)
                log(f"killed {done}")
            kills["send"] = False
        in_model = time.monotonic() - models.last_hang < scenario.llm_timeout / 2
        if kills["model"] and now - started > scenario.seconds / 2 and in_model:
            done = pool.kill("mid-model-call")
            if done:
                report.kills.append(done)
                log(f"killed {done}")
            kills["model"] = False
        if scenario.terminate_connections and now - last_terminate > 30:
            last_terminate = now
            terminated = _terminate_connections()
            log(f"terminated {terminated} PostgreSQL connections")
        time.sleep(0.1)
    for person in people:
        report.received += len(person.bursts)
    return report


def _terminate_connections() -> int:
    engine = get_engine()
    if engine.dialect.name != "postgresql":
        return 0
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).all()
        conn.commit()
    # The driver's own pooled connections were among them: drop the pool (its checked-out ones fail once,
    # like a worker's; the webhook posts retry).
    engine.dispose()
    return len(rows)


def _count(report: Report, twilio: FakeTwilioServer, people: list[_Person], scenario: Scenario) -> None:
    with session_scope() as s:
        recorded = set(
            s.exec(
                select(Message.provider_sid).where(
                    Message.direction == "outbound",
                    Message.provider_sid.is_not(None),  # type: ignore[union-attr]
                )
            ).all()
        )
    report.duplicates = sum(1 for sid in twilio.sent if sid not in recorded)
    for person in people:
        handed, reason = _handed_off(person)
        tenant = label(person.index, scenario)
        for burst in person.bursts:
            if burst.answered_at is not None:
                report.answered += 1
                if burst.due_at is not None:
                    report.latency.setdefault(tenant, []).append(max(0.0, burst.answered_at - burst.due_at))
            elif handed:
                report.handed_off += 1
                report.handed_off_without_reason += int(not reason)
            else:
                report.never_answered += 1
                report.healthy_unanswered += int("healthy" in tenant)


__all__ = ["Report", "Scenario", "run"]
