"""Apply Alembic migrations from code (CLI, setup, tests) with the project's alembic.ini."""

from __future__ import annotations

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
