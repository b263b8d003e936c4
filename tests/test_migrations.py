"""Alembic builds the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from engine.config import reset_settings_cache
from engine.db import reset_engine_cache
from engine.migrations import upgrade


def _fresh_sqlite(tmp_path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'migrated.db'}"


def _fresh_postgres() -> Iterator[str]:
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        pytest.skip("TEST_DATABASE_URL is not PostgreSQL")
    name = f"parley_migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        reset_engine_cache()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(
    request: pytest.FixtureRequest, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    source = _fresh_sqlite(tmp_path) if request.param == "sqlite" else _fresh_postgres()
    url = next(source)
    monkeypatch.setenv("DATABASE_URL", url)
    reset_settings_cache()
    yield url
    for _ in source:  # run the generator's clean-up
        pass
    reset_engine_cache()


def test_migrations_build_exactly_the_models(empty_database: str) -> None:
    upgrade("head")
    engine = create_engine(empty_database)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
            )
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert diff == []
    assert set(SQLModel.metadata.tables) <= tables


def test_migrating_twice_is_harmless(empty_database: str) -> None:
    upgrade("head")
    upgrade("head")
