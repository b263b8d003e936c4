"""encrypt customer words at rest; intent names apart; internal knowledge entries

Every column that can hold what a customer wrote or what was replied to them becomes an encrypted column
(EncryptedText / EncryptedJSON: a Fernet token in a TEXT column), and the rows already there are encrypted in
place. `agent_interaction.intent_names` keeps the intents' names in clear for counting (filled from the
intents before they are encrypted); `knowledge_entry(_version).internal` marks entries never quoted to
customers. Downgrade decrypts everything back into the old column types.

SQLite cannot change a column's type without rebuilding the table, and rebuilding a table that others
reference with ON DELETE CASCADE (customer, conversation, message, knowledge_entry) would delete their
children when the old table is dropped. So on SQLite each column is replaced by a new TEXT column (add, copy,
drop, rename: SQLite >= 3.35); PostgreSQL changes the type in place.

Revision ID: 6422215fd066
Revises: bdca4b124eb0
Create Date: 2026-11-24 12:00:00.000000+00:00
"""

import json
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from engine.security.crypto import decrypt, encrypt

revision: str = "6422215fd066"
down_revision: str | None = "bdca4b124eb0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500

# (table, column, type before, nullable)
COLUMNS: list[tuple[str, str, str, bool]] = [
    ("audit_log", "details", "JSON", False),
    ("customer", "key_facts", "JSON", False),
    ("knowledge_entry", "title", "VARCHAR(200)", False),
    ("knowledge_entry", "keywords", "JSON", False),
    ("knowledge_entry_version", "title", "VARCHAR(200)", False),
    ("knowledge_entry_version", "keywords", "JSON", False),
    ("appointment", "notes", "VARCHAR(1000)", True),
    ("conversation", "handoff_reason", "VARCHAR(255)", True),
    ("conversation_context", "current_topic", "VARCHAR(200)", True),
    ("conversation_context", "extracted_entities", "JSON", False),
    ("conversation_context", "key_facts", "JSON", False),
    ("message", "button_text", "VARCHAR(256)", True),
    ("message", "rich", "JSON", True),
    ("agent_interaction", "intents", "JSON", False),
    ("agent_interaction", "handoff_reason", "VARCHAR(255)", True),
    ("agent_interaction", "knowledge_hits", "JSON", False),
    ("agent_interaction", "corrections", "JSON", False),
    ("button_event", "title", "VARCHAR(256)", True),
]


def _convert(table: str, column: str, target: str, nullable: bool, change: Callable[[str], str]) -> None:
    """Retype `table.column` to `target` and pass every non-NULL value through `change`.

    PostgreSQL is only ever asked for TEXT here (a JSON cast of ciphertext would fail): `downgrade` retypes
    afterwards, once the values are clear again.
    """
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        # A new column takes the changed values, then replaces the old one (no table rebuild: see above).
        write = f"{column}__new"
        null = "" if nullable else " NOT NULL DEFAULT ''"
        conn.exec_driver_sql(f'ALTER TABLE "{table}" ADD COLUMN "{write}" {target}{null}')
    else:
        write = column
        retype = f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE TEXT USING "{column}"::text'
        conn.exec_driver_sql(retype)
    last_id = 0
    while True:
        rows = conn.exec_driver_sql(
            f'SELECT id, CAST("{column}" AS TEXT) FROM "{table}" WHERE id > {int(last_id)} '
            f'AND "{column}" IS NOT NULL ORDER BY id LIMIT {BATCH}'
        ).all()
        if not rows:
            break
        conn.execute(
            sa.text(f'UPDATE "{table}" SET "{write}" = :value WHERE id = :id'),
            [{"id": row_id, "value": change(value)} for row_id, value in rows],
        )
        last_id = rows[-1][0]
    if sqlite:
        conn.exec_driver_sql(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
        conn.exec_driver_sql(f'ALTER TABLE "{table}" RENAME COLUMN "{write}" TO "{column}"')


def _intent_names(intents: str) -> str:
    try:
        items = json.loads(intents)
    except ValueError:
        items = []
    names = [str(i["name"])[:64] for i in items or [] if isinstance(i, dict) and i.get("name")]
    return json.dumps(names)


def upgrade() -> None:
    conn = op.get_bind()
    conn.exec_driver_sql("ALTER TABLE agent_interaction ADD COLUMN intent_names JSON NOT NULL DEFAULT '[]'")
    if conn.dialect.name != "sqlite":
        conn.exec_driver_sql("ALTER TABLE agent_interaction ALTER COLUMN intent_names DROP DEFAULT")
    rows = conn.exec_driver_sql(
        "SELECT id, CAST(intents AS TEXT) FROM agent_interaction WHERE intents IS NOT NULL"
    ).all()
    if rows:
        conn.execute(
            sa.text("UPDATE agent_interaction SET intent_names = :names WHERE id = :id"),
            [{"id": row_id, "names": _intent_names(value)} for row_id, value in rows],
        )
    for table in ("knowledge_entry", "knowledge_entry_version"):
        op.add_column(table, sa.Column("internal", sa.Boolean(), server_default=sa.false(), nullable=False))
    for table, column, _before, nullable in COLUMNS:
        _convert(table, column, "TEXT", nullable, encrypt)


def downgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    for table, column, before, nullable in reversed(COLUMNS):
        if sqlite:
            _convert(table, column, before, nullable, decrypt)
            continue
        # PostgreSQL: decrypt in TEXT, then retype (a JSON cast of ciphertext would fail).
        _convert(table, column, "TEXT", nullable, decrypt)
        using = f'"{column}"::json' if before == "JSON" else f'"{column}"'
        conn.exec_driver_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE {before} USING {using}')
    for table in ("knowledge_entry_version", "knowledge_entry"):
        conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN internal")
    conn.exec_driver_sql("ALTER TABLE agent_interaction DROP COLUMN intent_names")
