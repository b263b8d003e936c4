"""Campaign dispatch: achieved ÷ configured rate, duplicates, skipped recipients and CPU per message.

Question: does the dispatcher hold the sender's pace (80 and 400 messages/s) without sending anyone twice or
skipping anyone, when its worker is killed mid-campaign and restarted? Target: ≥ 0.95 of the configured rate
without the kill, ≥ 0.90 with it (the restart counts in the elapsed time), 0 duplicates, 0 skipped.

Method: this process runs the fake Twilio server (tests/fakes/twilio_campaigns.py) and a fresh database
(SQLite in a temporary folder, or with `--database-url postgresql+psycopg://user@host:port` a new PostgreSQL
database created for the run and dropped after it) with one tenant, `--recipients` opted-in customers and an
approved campaign. The dispatcher runs in a separate process (`engine.campaigns.dispatch.run_forever`,
PARLEY_WORKER_ID fixed, as a supervisor restarting a worker would keep it), already running when the campaign
starts, as a production worker is. With `--kill`, once half the messages are in, the worker is SIGKILLed and
started again at once (its imports and start-up count in the time).

Figures: achieved ÷ configured = (accepted messages − 1) ÷ (last accept − first accept) ÷ rate, the pace
while sending (the kill and restart inside that span count); "from start" divides the messages by the time
from the campaign's start (materializing its recipients included) to the last accept, and "first s" is the
time from the start to the first accept. The most sends in any one second is counted twice: where the
dispatcher starts them ("sent", from the worker's trace of each send's start) and where the fake Twilio
server receives them ("at Twilio"); the second also holds the fake's own delays, as it shares the machine's
loaded cores with everything else. Duplicates: messages beyond the first per number at the fake;
skipped: recipients without a Twilio SID at the end. The workers' CPU (user + system, from wait4) ÷ messages
is the dispatcher's CPU per message.

Run: `.venv/bin/python benchmarks/campaign_dispatch.py --recipients 10000 --rates 80 400`
(add `--database-url postgresql+psycopg://postgres@127.0.0.1:5432` for PostgreSQL).
"""

from __future__ import annotations

import argparse
import bisect
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


# The worker: the production dispatcher, with each send's start written to a file (wall clock, one line each)
# so the pace can be checked where it is made as well as where the fake Twilio server counts it.
WORKER = """
import os, time
from engine.campaigns import async_sender
from engine.campaigns.dispatch import run_forever
trace = open(os.environ["BENCH_SEND_TRACE"], "a", buffering=1)
send = async_sender.AsyncCampaignSender.send
async def traced(self, *args, **kwargs):
    trace.write(f"{time.time()}\\n")
    return await send(self, *args, **kwargs)
async_sender.AsyncCampaignSender.send = traced
print("ready", flush=True)
run_forever(0.1)
"""


def _max_in_window(times: list[float], window: float = 1.0) -> int:
    times = sorted(times)
    return max((bisect.bisect_left(times, t + window) - i for i, t in enumerate(times)), default=0)


def _worker(env: dict[str, str], *, wait_ready: bool) -> subprocess.Popen[bytes]:
    code = WORKER
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT, stdout=subprocess.PIPE)
    if wait_ready:
        assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
    return proc


def _reap(proc: subprocess.Popen[bytes], sig: int) -> float:
    os.kill(proc.pid, sig)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = -sig
    return usage.ru_utime + usage.ru_stime


@contextmanager
def _database(server: str | None, tmp: Path) -> Iterator[str]:
    """A fresh database URL: SQLite in `tmp`, or a new PostgreSQL database on `server`, dropped after."""
    if not server:
        yield f"sqlite:///{tmp / 'bench.db'}"
        return
    from sqlalchemy import create_engine, text

    name = f"parley_bench_{os.getpid()}"
    admin = create_engine(f"{server.rstrip('/')}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield f"{server.rstrip('/')}/{name}"
    finally:
        from engine.db import reset_engine_cache

        reset_engine_cache()
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def run(recipients: int, rate: int, kill: bool, database_url: str | None = None) -> dict[str, float]:
    tmp = Path(tempfile.mkdtemp(prefix="parley-bench-"))
    with _database(database_url, tmp) as url:
        return _run(recipients, rate, kill, tmp, url)


def _run(recipients: int, rate: int, kill: bool, tmp: Path, url: str) -> dict[str, float]:
    from cryptography.fernet import Fernet

    env = dict(
        os.environ,
        DATABASE_URL=url,
        DATA_DIR=str(tmp),
        PARLEY_SECRET_KEYS=Fernet.generate_key().decode(),
        PARLEY_WORKER_ID="bench-worker-1",
        BENCH_SEND_TRACE=str(tmp / "sends.txt"),
        LOG_FORMAT="text",
    )
    os.environ.update(env)
    from sqlalchemy import func, insert, select
    from sqlmodel import SQLModel

    import engine.models  # noqa: F401
    from engine.accounts import tenants
    from engine.campaigns import service, templates
    from engine.config import reset_settings_cache
    from engine.db import get_engine, reset_engine_cache, session_scope
    from engine.models import CampaignRecipient, Customer, utcnow
    from tests.fakes.twilio_campaigns import CampaignTwilioServer

    fake = CampaignTwilioServer().start()
    fake.auto_approve = True
    env["TWILIO_API_BASE_URL"] = os.environ["TWILIO_API_BASE_URL"] = fake.base_url
    reset_settings_cache()
    reset_engine_cache()
    SQLModel.metadata.create_all(get_engine())
    sid, token = "AC" + "b" * 32, "bench-token"
    fake.add_account(sid, token)
    with session_scope() as s:
        tenant_id = tenants.create_tenant(
            s,
            name="Bench",
            slug="bench",
            whatsapp_from="whatsapp:+12025550100",
            twilio_account_sid=sid,
            twilio_auth_token=token,
        ).id
        now = utcnow()
        s.execute(
            insert(Customer.__table__),
            [
                {
                    "tenant_id": tenant_id,
                    "phone": f"whatsapp:+4477{i:08d}",
                    "name": "Ada",
                    "opted_in": True,
                    "key_facts": {},
                    "tags": [],
                    "created_at": now,
                }
                for i in range(recipients)
            ],
        )
        service.update_settings(
            s,
            tenant_id,
            {"messages_per_second": rate, "quiet_start": "00:00", "quiet_end": "00:00", "frequency_cap": 0},
        )
        campaign_id = service.create_campaign(s, tenant_id, {"name": "Bench", "body": "Hi {{first_name}}"}).id
    with session_scope() as s:
        templates.submit(s, tenant_id, campaign_id)
    cpu = 0.0
    worker = _worker(env, wait_ready=True)
    time.sleep(0.5)  # its first ticks: the scheduler's steady state
    began = time.monotonic()
    with session_scope() as s:
        service.schedule(s, tenant_id, campaign_id)
    killed = False
    timed_out = False
    try:
        while True:
            sent = len(fake.send_times)
            if kill and not killed and sent >= recipients // 2:
                cpu += _reap(worker, signal.SIGKILL)
                worker = _worker(env, wait_ready=False)
                killed = True
            if sent >= recipients:
                with session_scope() as s:
                    left = s.execute(
                        select(func.count()).where(
                            CampaignRecipient.campaign_id == campaign_id,
                            CampaignRecipient.provider_sid.is_(None),
                        )
                    ).scalar_one()
                if not left:
                    break
            if time.monotonic() - began > recipients / rate * 3 + 60:
                timed_out = True  # what is unsent now was not skipped: the run stopped before its turn
                break
            time.sleep(0.05)
    finally:
        cpu += _reap(worker, signal.SIGTERM)
    times = sorted(fake.send_times)
    elapsed = times[-1] - began if times else float("nan")
    span = times[-1] - times[0] if len(times) > 1 else float("nan")
    per_to = Counter(m.value("To") for m in fake.messages)
    with session_scope() as s:
        skipped = s.execute(
            select(func.count()).where(
                CampaignRecipient.campaign_id == campaign_id, CampaignRecipient.provider_sid.is_(None)
            )
        ).scalar_one()
    fake.stop()
    return {
        "sent": len(times),
        "elapsed": elapsed,
        "ratio": ((len(times) - 1) / span) / rate,
        "from_start": (len(per_to) / elapsed) / rate,
        "first": times[0] - began if times else float("nan"),
        "duplicates": sum(n - 1 for n in per_to.values()),
        "skipped": skipped,
        "timed_out": timed_out,
        "max_per_second": fake.max_per_window(1.0),
        "max_sender": _max_in_window([float(x) for x in (tmp / "sends.txt").read_text().split()]),
        "cpu_ms_per_message": cpu * 1000 / max(1, len(times)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rates", type=int, nargs="+", default=[80, 400])
    parser.add_argument("--kill", choices=["both", "yes", "no"], default="both")
    parser.add_argument("--database-url", default="", help="a PostgreSQL server URL (no database name)")
    args = parser.parse_args()
    kills = {"both": [False, True], "yes": [True], "no": [False]}[args.kill]
    print(
        f"{'rate':>5} {'kill':>5} {'sent':>6} {'first s':>7} {'elapsed s':>9} {'achieved/cfg':>12} "
        f"{'from start':>10} {'max 1 s sent':>12} {'at Twilio':>9} {'dupes':>5} {'skipped':>7} "
        f"{'CPU ms/msg':>10} {'load':>5}"
        "   target ≥0.95 (≥0.90 with kill), 0, 0"
    )
    for rate in args.rates:
        for kill in kills:
            r = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--one",
                    str(args.recipients),
                    str(rate),
                    str(int(kill)),
                    args.database_url,
                ],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            print(r.stdout.strip() or r.stderr.strip()[-800:], flush=True)


def one(recipients: int, rate: int, kill: bool, database_url: str) -> None:
    r = run(recipients, rate, kill, database_url or None)
    print(
        f"{rate:>5} {'yes' if kill else 'no':>5} {int(r['sent']):>6} {r['first']:>7.2f} {r['elapsed']:>9.1f} "
        f"{r['ratio']:>12.3f} {r['from_start']:>10.3f} "
        f"{int(r['max_sender']):>12} {int(r['max_per_second']):>9} {int(r['duplicates']):>5} "
        f"{int(r['skipped']):>7} "
        f"{r['cpu_ms_per_message']:>10.2f} {os.getloadavg()[0]:>5.1f}"
        + ("   stopped at the time limit: 'skipped' counts the unsent" if r["timed_out"] else "")
    )


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--one":
        one(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1", sys.argv[5])
    else:
        main()
