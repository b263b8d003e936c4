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


NEEDLE = "zebra-quartz-7731"
_BEFORE_ENCRYPTION = "bdca4b124eb0"
_ENCRYPTION = "6422215fd066"


def _seed_plain_rows(url: str) -> None:
    """Rows as the schema before the encryption migration held them: customer words in clear."""
    from engine.security.crypto import encrypt

    now = "2026-11-24 10:00:00+00:00"
    engine = create_engine(url)
    statements = [
        "INSERT INTO tenant (id, name, slug, time_zone, currency, feature_flags, plan_limits, is_active, "
        f"created_at) VALUES (1, 'Shop', 'shop', 'UTC', 'USD', '{{}}', '{{}}', true, '{now}')",
        "INSERT INTO customer (id, tenant_id, phone, opted_in, key_facts, created_at) VALUES "
        f"(1, 1, '+15550001', false, '{{\"size\": \"{NEEDLE}\"}}', '{now}')",
        "INSERT INTO conversation (id, tenant_id, customer_id, status, channel, handoff_reason, "
        f"low_confidence_turns, created_at, last_activity_at) VALUES (1, 1, 1, 'handoff', 'whatsapp', "
        f"'the model asked: {NEEDLE}', 0, '{now}', '{now}')",
        "INSERT INTO message (id, tenant_id, conversation_id, direction, sender, media, button_text, rich, "
        "status, created_at, updated_at) VALUES (1, 1, 1, 'outbound', 'agent', '[]', "
        f"'{NEEDLE} button', '{{\"body\": \"{NEEDLE}\"}}', 'sent', '{now}', '{now}')",
        "INSERT INTO agent_interaction (id, tenant_id, conversation_id, intents, handoff, message_type, "
        "tokens_in, tokens_out, cost, latency_ms, knowledge_hits, corrections, suggestions, context_budget, "
        f'created_at) VALUES (1, 1, 1, \'[{{"name": "returns", "text": "{NEEDLE}"}}]\', false, \'text\', '
        f"0, 0, 0, 0, '[]', '[]', '[]', '{{}}', '{now}')",
        "INSERT INTO knowledge_entry (id, tenant_id, entry_type, title, content, keywords, priority, "
        f"is_active, version, created_at, updated_at) VALUES (1, 1, 'faq', 'Title {NEEDLE}', "
        f"'{encrypt('body')}', '[\"{NEEDLE}\"]', 0, true, 1, '{now}', '{now}')",
        "INSERT INTO audit_log (id, tenant_id, actor_label, action, details, created_at) VALUES "
        f"(1, 1, 'system', 'knowledge.create', '{{\"title\": \"{NEEDLE}\"}}', '{now}')",
    ]
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def _raw_dump(url: str) -> str:
    engine = create_engine(url)
    out = []
    try:
        with engine.connect() as conn:
            for table in (
                "customer",
                "conversation",
                "message",
                "agent_interaction",
                "knowledge_entry",
                "audit_log",
            ):
                out.extend(repr(tuple(row)) for row in conn.execute(text(f"SELECT * FROM {table}")))
    finally:
        engine.dispose()
    return "\n".join(out)


def _decoded(url: str, model: type[SQLModel], row_id: int, *columns: str) -> tuple[object, ...]:
    """Columns of one row read through the models' column types (decrypted), and only those columns: the
    models describe the newest schema, which may have columns the revision under test does not."""
    from sqlalchemy import select

    table = model.__table__  # type: ignore[attr-defined]
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            query = select(*(table.c[c] for c in columns)).where(table.c.id == row_id)
            return tuple(conn.execute(query).one())
    finally:
        engine.dispose()


def test_existing_rows_are_encrypted_in_place_and_decrypted_by_downgrade(empty_database: str) -> None:
    from alembic import command

    from engine.migrations import alembic_config
    from engine.models import AgentInteraction, Conversation, Customer, KnowledgeEntry, Message

    upgrade(_BEFORE_ENCRYPTION)
    _seed_plain_rows(empty_database)
    assert NEEDLE in _raw_dump(empty_database)

    upgrade(_ENCRYPTION)
    assert NEEDLE not in _raw_dump(empty_database)
    url = empty_database
    assert _decoded(url, Customer, 1, "key_facts") == ({"size": NEEDLE},)
    assert _decoded(url, Conversation, 1, "handoff_reason") == (f"the model asked: {NEEDLE}",)
    assert _decoded(url, Message, 1, "rich", "button_text") == ({"body": NEEDLE}, f"{NEEDLE} button")
    assert _decoded(url, AgentInteraction, 1, "intents", "intent_names") == (
        [{"name": "returns", "text": NEEDLE}],
        ["returns"],
    )
    assert _decoded(url, KnowledgeEntry, 1, "title", "keywords", "internal") == (
        f"Title {NEEDLE}",
        [NEEDLE],
        False,
    )

    command.downgrade(alembic_config(), _BEFORE_ENCRYPTION)
    dump = _raw_dump(empty_database)
    for clear in (f"the model asked: {NEEDLE}", f"{NEEDLE} button", f"Title {NEEDLE}"):
        assert clear in dump
    assert "gAAAA" not in dump.replace(repr(_raw_content(empty_database)), "")
    upgrade(_ENCRYPTION)  # and up again: nothing lost on the way
    assert NEEDLE not in _raw_dump(empty_database)
    assert _decoded(url, Message, 1, "rich") == ({"body": NEEDLE},)


def _raw_content(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT content FROM knowledge_entry")).scalar_one()
    finally:
        engine.dispose()


def _count_conversations_after_rebuilding_customer(url: str, *, guarded: bool) -> int:
    """Rebuild `customer` the way SQLite batch mode does, on a connection with foreign keys on (as the
    engine's connections are), with or without the guard env.py wraps every migration in."""
    from contextlib import nullcontext

    import sqlalchemy as sa
    from alembic.operations import Operations

    from engine.db import get_engine
    from engine.migrations import foreign_keys_off

    engine = get_engine(url)
    with engine.connect() as conn:
        with foreign_keys_off(conn) if guarded else nullcontext(), conn.begin():
            operations = Operations(MigrationContext.configure(conn))
            with operations.batch_alter_table("customer", recreate="always") as batch:
                batch.add_column(sa.Column("note_for_the_test", sa.String(), nullable=True))
        return int(conn.execute(text("SELECT count(*) FROM conversation")).scalar_one())


def test_a_batch_table_rebuild_on_sqlite_keeps_the_rows_that_point_at_it(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batch mode drops the old table; with foreign keys on, SQLite's cascade would empty every child table
    (a migration that altered `customer` deleted every conversation). Migrations run with them off."""
    for guarded, expected in ((False, 0), (True, 1)):
        url = f"sqlite:///{tmp_path / f'rebuild-{guarded}.db'}"
        monkeypatch.setenv("DATABASE_URL", url)
        reset_settings_cache()
        reset_engine_cache()
        upgrade("head")
        _seed_plain_rows(url)
        assert _count_conversations_after_rebuilding_customer(url, guarded=guarded) == expected
    reset_engine_cache()


_BEFORE_ENTRY_IDS = "f7c1e4a9b3d2"
_ENTRY_IDS = "2b8e6d4f1a97"


def _seed_turns_with_hits(url: str) -> None:
    """Turns as the schema before knowledge_entry_ids held them, for two tenants: the entry ids only inside
    the encrypted hits (one turn with an entry twice and a hit without a numeric id, one with none)."""
    import json

    from engine.security.crypto import encrypt

    now = "2026-12-05 10:00:00+00:00"
    hits = {
        1: [{"id": 7, "title": "Delivery"}, {"id": "doc", "title": "?"}, {"id": 7, "title": "Delivery"}],
        2: [],
        3: [{"id": 9, "title": "Refunds"}, {"id": 4, "title": "Sizes"}],
    }
    statements = [
        f"INSERT INTO tenant (id, name, slug, time_zone, currency, feature_flags, plan_limits, is_active, "
        f"created_at) VALUES ({t}, 'Shop {t}', 'shop-{t}', 'UTC', 'USD', '{{}}', '{{}}', true, '{now}')"
        for t in (1, 2)
    ]
    for row_id, found in hits.items():
        tenant = 1 if row_id < 3 else 2
        statements.append(
            "INSERT INTO agent_interaction (id, tenant_id, intents, intent_names, handoff, message_type, "
            "tokens_in, tokens_out, cost, latency_ms, knowledge_hits, corrections, suggestions, "
            f"context_budget, knowledge_hit_count, created_at) VALUES ({row_id}, {tenant}, "
            f"'{encrypt('[]')}', '[]', false, 'text', 0, 0, 0, 0, '{encrypt(json.dumps(found))}', "
            f"'{encrypt('[]')}', '[]', '{{}}', {len(found)}, '{now}')"
        )
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def test_knowledge_entry_ids_are_backfilled_from_the_encrypted_hits(empty_database: str) -> None:
    from alembic import command

    from engine.migrations import alembic_config
    from engine.models import AgentInteraction

    upgrade(_BEFORE_ENTRY_IDS)
    _seed_turns_with_hits(empty_database)

    upgrade(_ENTRY_IDS)
    url = empty_database
    assert [_decoded(url, AgentInteraction, i, "knowledge_entry_ids") for i in (1, 2, 3)] == [
        ([7],),
        ([],),
        ([9, 4],),
    ]

    command.downgrade(alembic_config(), _BEFORE_ENTRY_IDS)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert "knowledge_entry_ids" not in {
                c["name"] for c in inspect(conn).get_columns("agent_interaction")
            }
    finally:
        engine.dispose()
    upgrade(_ENTRY_IDS)  # and up again
    assert _decoded(url, AgentInteraction, 3, "knowledge_entry_ids", "knowledge_hits") == (
        [9, 4],
        [{"id": 9, "title": "Refunds"}, {"id": 4, "title": "Sizes"}],
    )
