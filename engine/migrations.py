"""Apply Alembic migrations from code (CLI, setup, tests) with the project's alembic.ini."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from alembic import command
from alembic.config import Config

from engine.config import PROJECT_ROOT


def alembic_config() -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    config.attributes["configure_logger"] = False
    return config


def upgrade(revision: str = "head") -> None:
    command.upgrade(alembic_config(), revision)


@contextmanager
def foreign_keys_off(connection: Any) -> Iterator[None]:
    """SQLite's batch mode rebuilds a table (create a copy, drop the old one, rename). With foreign keys on,
    dropping the old table deletes its rows first, and ON DELETE CASCADE empties every child table with it
    (altering `customer` would delete every conversation). SQLite ignores this pragma inside a transaction,
    so it is set before the migration's transaction opens and restored after it. Other databases: no-op."""
    if connection.dialect.name != "sqlite":
        yield
        return
    if connection.in_transaction():
        connection.commit()
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()  # the pragma autobegan a transaction; the migration opens its own
    try:
        yield
    finally:
        if connection.in_transaction():
            connection.commit()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()
