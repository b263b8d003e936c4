"""One database engine and session factory for the console, the REST API and the jobs.

Every read or write of tenant data goes through `TenantScope`, so a query cannot forget its tenant.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError, IntegrityError, OperationalError
from sqlmodel import Session, SQLModel, create_engine, select
from sqlmodel.sql.expression import SelectOfScalar

from engine.config import get_settings

T = TypeVar("T", bound=SQLModel)
R = TypeVar("R")


class NotFound(LookupError):
    """A row is missing, or belongs to another tenant: callers cannot tell which, on purpose."""


class TenantMismatch(PermissionError):
    """A write tried to put a row under a tenant other than the scope's."""


_engines: dict[str, Engine] = {}


def get_engine(url: str | None = None) -> Engine:
    url = url or get_settings().database_url
    if url not in _engines:
        _engines[url] = _build_engine(url)
    return _engines[url]


def _build_engine(url: str) -> Engine:
    # The pool holds as many connections as a busy process uses at once (the web server runs sync handlers
    # on up to 40 threads): a smaller one closes and reopens connections under every burst of webhooks.
    size = get_settings().database_pool_size
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs.update(pool_size=size, max_overflow=size)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs.update(pool_size=size, max_overflow=size)
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        event.listen(engine, "checkin", _note_checkin)
        event.listen(engine, "checkout", _ping_if_idle)
    return engine


# A connection that sat in the pool may have been closed by the server, a proxy or a failover. SQLAlchemy's
# pool_pre_ping would ask on every checkout — a round trip on every unit of work, a tenth of a webhook's time.
# Only a connection idle for longer than this is asked; a busy pool's connections are known to be alive.
IDLE_PING_SECONDS = 10.0


def _note_checkin(_dbapi_conn: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
        return
    try:
        cursor = dbapi_conn.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        if not getattr(dbapi_conn, "autocommit", True):
            dbapi_conn.rollback()  # psycopg opened a transaction for the SELECT: end it before handing over
    except Exception as exc:
        # The pool discards this connection and checks out (or opens) another one.
        raise DisconnectionError(f"pooled connection is dead: {exc}") from exc


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Console, API and worker share the file: WAL lets readers run beside one writer.
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe under WAL; skips an fsync per commit
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def reset_engine_cache() -> None:
    """Tests point DATABASE_URL elsewhere between cases; pooled connections must not outlive that."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A unit of work: commits when the block ends, rolls back everything when it raises."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


WRITE_ATTEMPTS = 3
sqlite_writes = threading.Lock()  # this process's writers, queued: SQLite allows one at a time


def write_retrying(work: Callable[[Session], R], *, attempts: int = WRITE_ATTEMPTS) -> R:
    """Run `work` in its own unit of work, retried in a fresh transaction when it lost a race (a unique key
    taken by a concurrent writer, a busy database) — for writes that must land, such as a webhook's.

    On SQLite the writes of this process are queued on a lock first: SQLite allows one writer, and its own
    busy handler polls with sleeps of up to 100 ms, which turns a burst of webhooks into seconds of latency.
    """
    guard = sqlite_writes if get_engine().dialect.name == "sqlite" else contextlib.nullcontext()
    for attempt in range(1, attempts + 1):
        try:
            with guard, session_scope() as session:
                return work(session)
        except (IntegrityError, OperationalError):
            if attempt == attempts:
                raise
            time.sleep(0.005 * attempt)
    raise AssertionError("unreachable")


def in_savepoint(session: Session, work: Callable[[], R]) -> R:
    """Run `work` in a savepoint of the session's transaction: a failure leaves that transaction as it was.

    On SQLite a transaction that has only read so far reads one snapshot of the file; when another
    connection commits before this one's first write, that write fails at once with "database is locked"
    (a busy snapshot, which the busy timeout does not wait out). The turn has written nothing yet then, so the
    session's transaction is rolled back and the work runs once more on a fresh snapshot."""
    for attempt in (1, 2):
        try:
            with session.begin_nested():
                return work()
        except OperationalError as exc:
            sqlite = session.get_bind().dialect.name == "sqlite"
            if attempt == 2 or not sqlite or "locked" not in str(exc) or session.new or session.dirty:
                raise
            session.rollback()
    raise AssertionError("unreachable")


class TenantScope:
    """Tenant-bound access to tenant-owned tables: every select, get, add and delete carries tenant_id."""

    def __init__(self, session: Session, tenant_id: int) -> None:
        if not isinstance(tenant_id, int) or tenant_id <= 0:
            raise ValueError("a tenant scope needs a positive tenant id")
        self.session = session
        self.tenant_id = tenant_id

    def select(self, model: type[T]) -> SelectOfScalar[T]:
        return select(model).where(model.tenant_id == self.tenant_id)  # type: ignore[attr-defined]

    def all(self, model: type[T], *where: Any) -> list[T]:
        return list(self.session.exec(self.select(model).where(*where)).all())

    def first(self, model: type[T], *where: Any) -> T | None:
        return self.session.exec(self.select(model).where(*where)).first()

    def get(self, model: type[T], row_id: int | None) -> T | None:
        if row_id is None:
            return None
        return self.first(model, model.id == row_id)  # type: ignore[attr-defined]

    def require(self, model: type[T], row_id: int | None) -> T:
        row = self.get(model, row_id)
        if row is None:
            raise NotFound(f"{model.__name__} {row_id} not found")
        return row

    def add(self, row: T) -> T:
        current = getattr(row, "tenant_id", None)
        if current not in (None, self.tenant_id):
            raise TenantMismatch(f"{type(row).__name__} belongs to another tenant")
        row.tenant_id = self.tenant_id  # type: ignore[attr-defined]
        self.session.add(row)
        self.session.flush()
        return row

    def delete(self, row: SQLModel) -> None:
        if getattr(row, "tenant_id", None) != self.tenant_id:
            raise TenantMismatch(f"{type(row).__name__} belongs to another tenant")
        self.session.delete(row)
        self.session.flush()


def create_all(url: str | None = None) -> None:
    """Tests on a throwaway database; real databases are built by Alembic only."""
    import engine.models  # noqa: F401 - registers every table

    SQLModel.metadata.create_all(get_engine(url))
