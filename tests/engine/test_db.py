"""The connection pool: sized for a busy process; a dead idle connection is replaced, not handed out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from engine import db
from engine.config import get_settings
from engine.db import get_engine


def test_the_pool_keeps_as_many_connections_as_configured() -> None:
    engine = get_engine()
    if engine.url.database in (None, "", ":memory:"):
        pytest.skip("an in-memory SQLite database has one connection per thread")
    assert engine.pool.size() == get_settings().database_pool_size  # type: ignore[attr-defined]


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    """A private engine, so the pool holds exactly the one connection the test kills."""
    shared = get_engine()
    if shared.dialect.name != "postgresql":
        pytest.skip("server-side connection loss is a PostgreSQL (network database) concern")
    engine = db._build_engine(shared.url.render_as_string(hide_password=False))
    yield engine
    engine.dispose()


def _kill_the_pooled_connection(engine: Engine) -> int:
    """What a server restart, an idle timeout or a failover does to a connection resting in the pool."""
    with engine.connect() as conn:
        victim = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with get_engine().connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": victim})
    return int(victim)


def test_a_connection_that_died_while_idle_is_replaced_at_checkout(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = _kill_the_pooled_connection(pg_engine)
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # the pooled connection counts as idle long enough
    with pg_engine.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != victim


def test_a_recently_used_connection_is_trusted_without_a_round_trip(
    pg_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other side of the trade: only idle connections are asked, so a connection killed a moment after
    use fails its next statement (the webhook retries such a unit of work), and the pool then drops it."""
    _kill_the_pooled_connection(pg_engine)
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 3600.0)
    with pytest.raises(OperationalError), pg_engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    with pg_engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1


def test_a_write_another_connection_overtook_runs_again_on_a_fresh_snapshot() -> None:
    """SQLite: a transaction that has only read, then writes after another connection committed, fails at
    once ("database is locked", a busy snapshot). `in_savepoint` runs the work once more on a fresh one."""
    engine = get_engine()
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        pytest.skip("a busy snapshot is a file-backed SQLite concern")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS snapshot_probe (n INTEGER)"))
        conn.execute(text("DELETE FROM snapshot_probe"))
        conn.execute(text("INSERT INTO snapshot_probe VALUES (0)"))
    attempts: list[int] = []

    def work(session: db.Session) -> int:
        attempts.append(1)
        value = session.execute(text("SELECT n FROM snapshot_probe")).scalar_one()
        if len(attempts) == 1:  # another connection writes between this one's read and its write
            with engine.begin() as other:
                other.execute(text("UPDATE snapshot_probe SET n = n + 10"))
        session.execute(text("UPDATE snapshot_probe SET n = :n"), {"n": value + 1})
        return int(value)

    try:
        with db.session_scope() as session:
            assert db.in_savepoint(session, lambda: work(session)) == 10
        assert len(attempts) == 2
        with engine.connect() as conn:
            assert conn.execute(text("SELECT n FROM snapshot_probe")).scalar_one() == 11
    finally:
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE snapshot_probe"))
