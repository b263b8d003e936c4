"""LLMCall rows and month-to-date spend, kept off the customer's critical path.

Why a background writer: an insert and commit per attempt would put a database round trip (an fsync on SQLite)
inside every LLM call and hold a write lock while customers wait. Attempts are queued and written in small
batches a fraction of a second later, in their own transactions, so they are kept even when the caller's own
transaction rolls back (the money was spent either way). `flush()` waits for everything queued so far.

Spend for the budget check is the database sum of this month's LLMCall costs, cached per tenant for
`spend_ttl` seconds, plus what this process recorded since. The cache never under-counts: at a refresh the
running delta restarts from the costs still waiting in the queue *before* the sum is read, so a batch
committed in between is at worst counted twice until the next refresh. Other processes' spend shows up at
the next refresh.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from engine.db import get_engine
from engine.llm.types import ZERO, Attempt
from engine.models import LLMCall
from engine.models.base import utcnow, zone_or_utc
from engine.observability import instrument

logger = logging.getLogger("engine.llm.ledger")


def month_start(now: datetime, time_zone: str = "UTC") -> datetime:
    """The first instant of `now`'s month in the tenant's time zone, in UTC: budgets follow local months."""
    local = now.astimezone(zone_or_utc(time_zone))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def month_key(now: datetime, time_zone: str = "UTC") -> str:
    local = now.astimezone(zone_or_utc(time_zone))
    return f"{local.year:04d}-{local.month:02d}"


def query_month_spend(connection: Any, tenant_id: int, since: datetime) -> Decimal:
    """Sum of LLMCall costs of a tenant since an instant (works on a Session or a Connection)."""
    table = LLMCall.__table__  # type: ignore[attr-defined]
    stmt = select(func.coalesce(func.sum(table.c.cost), 0)).where(
        table.c.tenant_id == tenant_id, table.c.created_at >= since
    )
    value = connection.execute(stmt).scalar()
    # SQLite sums numerics as floats: round back to the column's precision.
    return Decimal(str(value or 0)).quantize(Decimal("0.000001"))


@dataclass(slots=True)
class _Spend:
    month: str
    base: Decimal
    fetched_at: float


class CallLedger:
    """Queue of LLMCall rows written by one daemon thread, and the per-tenant spend cache."""

    def __init__(
        self,
        *,
        flush_interval: float = 0.25,
        batch_size: int = 200,
        spend_ttl: float = 30.0,
        database_url: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.flush_interval = flush_interval
        self.batch_size = batch_size
        self.spend_ttl = spend_ttl
        self.database_url = database_url
        self.clock = clock
        self._lock = threading.Lock()
        self._rows: list[dict[str, Any]] = []  # recorded, not handed to the writer yet
        self._flush_waiters: list[threading.Event] = []
        self._wake = threading.Event()
        self._stopping = False
        self._pending: dict[int, Decimal] = {}  # recorded, not committed yet
        self._delta: dict[int, Decimal] = {}  # recorded since the cached sum was read
        self._spend: dict[int, _Spend] = {}
        self._refresh_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    # recording -----------------------------------------------------------------------------------------

    def record(
        self,
        tenant_id: int,
        attempt: Attempt,
        *,
        purpose: str = "reply",
        conversation_id: int | None = None,
    ) -> None:
        """Queue one attempt's row; cheap (an append under a lock), the writer thread does the rest. Every
        attempt passes here, so this is also where operations count tokens, cost and errors."""
        error = f"{attempt.error_kind}: {attempt.error}"[:500] if attempt.error else None
        row = {
            "tenant_id": tenant_id,
            "conversation_id": conversation_id,
            "purpose": purpose[:32],
            "provider": attempt.provider[:32],
            "model": attempt.model[:80],
            "status": attempt.status,
            "http_status": attempt.http_status,
            "tokens_in": attempt.tokens_in,
            "tokens_out": attempt.tokens_out,
            "cost": attempt.cost,
            "latency_ms": attempt.latency_ms,
            "error": error,
            "created_at": utcnow(),
        }
        instrument.llm_attempt(
            tenant_id=tenant_id,
            conversation_id=conversation_id,
            purpose=row["purpose"],
            provider=row["provider"],
            model=row["model"],
            status=attempt.status,
            http_status=attempt.http_status,
            tokens_in=attempt.tokens_in,
            tokens_out=attempt.tokens_out,
            cost=attempt.cost,
            latency_ms=attempt.latency_ms,
            error_kind=attempt.error_kind,
        )
        cost = attempt.cost
        with self._lock:
            self._rows.append(row)
            if cost:
                self._pending[tenant_id] = self._pending.get(tenant_id, ZERO) + cost
                self._delta[tenant_id] = self._delta.get(tenant_id, ZERO) + cost
            full = len(self._rows) >= self.batch_size
        if self._thread is None or not self._thread.is_alive():
            self._start_thread()
        if full:
            self._wake.set()

    def flush(self, timeout: float = 30.0) -> None:
        """Block until every row recorded before this call is committed (tests, shutdown, spend reports)."""
        if self._thread is None or not self._thread.is_alive():
            return
        done = threading.Event()
        with self._lock:
            self._flush_waiters.append(done)
        self._wake.set()
        if not done.wait(timeout):
            logger.error("llm ledger flush timed out after %.1fs", timeout)

    def close(self) -> None:
        """Write what is queued and stop the writer."""
        thread = self._thread
        if thread is not None and thread.is_alive():
            with self._lock:
                self._stopping = True
            self._wake.set()
            thread.join(timeout=30)
        self._thread = None
        self._stopping = False

    def _start_thread(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="llm-ledger", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        # Woken by a full batch, a flush or close; otherwise every flush_interval. Recording never signals a
        # thread per row: that wake-up would cost each call more than the append itself.
        while True:
            self._wake.wait(self.flush_interval)
            self._wake.clear()
            with self._lock:
                rows, self._rows = self._rows, []
                waiters, self._flush_waiters = self._flush_waiters, []
                stop = self._stopping
            for start in range(0, len(rows), self.batch_size):
                self._write(rows[start : start + self.batch_size])
            for waiter in waiters:
                waiter.set()
            if stop:
                return

    def _write(self, rows: list[dict[str, Any]]) -> None:
        table = LLMCall.__table__  # type: ignore[attr-defined]
        try:
            with get_engine(self.database_url).begin() as conn:
                conn.execute(insert(table), rows)
        except IntegrityError:
            # One bad row (its tenant deleted meanwhile) must not lose the others.
            for row in rows:
                try:
                    with get_engine(self.database_url).begin() as conn:
                        conn.execute(insert(table), [row])
                except Exception:
                    logger.exception("llm ledger dropped a row for tenant %s", row.get("tenant_id"))
        except Exception:
            logger.exception("llm ledger could not write %d rows", len(rows))
        finally:
            with self._lock:
                for row in rows:
                    if row["cost"]:
                        tenant_id = row["tenant_id"]
                        self._pending[tenant_id] = self._pending.get(tenant_id, ZERO) - row["cost"]

    # spend ---------------------------------------------------------------------------------------------

    def month_spend(
        self, tenant_id: int, *, time_zone: str = "UTC", now: datetime | None = None, key: str | None = None
    ) -> Decimal:
        """This month's spend of a tenant, never under-counted, read from the database at most every TTL.

        `key` is month_key(now, time_zone) when the caller has it already."""
        now = now or utcnow()
        key = key or month_key(now, time_zone)
        with self._lock:
            cached = self._spend.get(tenant_id)
            if self._is_fresh(cached, key):
                return cached.base + self._delta.get(tenant_id, ZERO)  # type: ignore[union-attr]
        same_month = cached is not None and cached.month == key
        if not self._refresh_lock.acquire(blocking=not same_month):
            # Someone else is refreshing: this month's slightly stale figure will do meanwhile.
            with self._lock:
                return cached.base + self._delta.get(tenant_id, ZERO)  # type: ignore[union-attr]
        try:
            with self._lock:
                cached = self._spend.get(tenant_id)
                if self._is_fresh(cached, key):
                    return cached.base + self._delta.get(tenant_id, ZERO)  # type: ignore[union-attr]
                # Restart the delta from what is still queued: those rows are not in the sum about to be read.
                self._delta[tenant_id] = self._pending.get(tenant_id, ZERO)
            with get_engine(self.database_url).connect() as conn:
                base = query_month_spend(conn, tenant_id, month_start(now, time_zone))
            with self._lock:
                self._spend[tenant_id] = _Spend(month=key, base=base, fetched_at=self.clock())
                return base + self._delta.get(tenant_id, ZERO)
        finally:
            self._refresh_lock.release()

    def _is_fresh(self, cached: _Spend | None, key: str) -> bool:
        return (
            cached is not None and cached.month == key and self.clock() - cached.fetched_at < self.spend_ttl
        )

    def invalidate(self, tenant_id: int | None = None) -> None:
        """Forget cached sums (a budget change, a test that wrote LLMCall rows directly)."""
        with self._lock:
            if tenant_id is None:
                self._spend.clear()
            else:
                self._spend.pop(tenant_id, None)


_default: CallLedger | None = None
_default_lock = threading.Lock()


def default_ledger() -> CallLedger:
    """The process's ledger; flushed at interpreter exit so queued rows are not lost on a clean shutdown."""
    global _default
    with _default_lock:
        if _default is None:
            _default = CallLedger()
            atexit.register(_default.close)
        return _default


def set_default_ledger(ledger: CallLedger | None) -> CallLedger | None:
    """Swap the process ledger (tests use a fresh one each); returns the previous one."""
    global _default
    with _default_lock:
        previous, _default = _default, ledger
        return previous


__all__ = [
    "CallLedger",
    "default_ledger",
    "month_key",
    "month_start",
    "query_month_spend",
    "set_default_ledger",
]
