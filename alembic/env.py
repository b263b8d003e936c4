"""Migrations run against DATABASE_URL from engine.config (or a connection handed in by the caller)."""

from __future__ import annotations

from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlmodel import SQLModel

import engine.models  # noqa: F401 - registers every table on SQLModel.metadata
from engine.config import get_settings
from engine.db import get_engine
from engine.migrations import foreign_keys_off

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = SQLModel.metadata


def _options() -> dict[str, Any]:
    return {
        "target_metadata": target_metadata,
        "compare_type": True,
        "render_as_batch": True,  # SQLite needs batch mode for ALTER
    }


def run_offline() -> None:
    context.configure(url=get_settings().database_url, literal_binds=True, **_options())
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        with foreign_keys_off(connection):
            context.configure(connection=connection, **_options())
            with context.begin_transaction():
                context.run_migrations()
        return
    engine = get_engine()
    with engine.connect() as conn, foreign_keys_off(conn):
        context.configure(connection=conn, **_options())
        with context.begin_transaction():
            context.run_migrations()
        conn.commit()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
