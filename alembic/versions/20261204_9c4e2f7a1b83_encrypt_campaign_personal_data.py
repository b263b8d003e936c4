"""encrypt the campaign columns that hold personal data

Three JSON columns of the campaign tables can hold a customer's data, so they become encrypted columns
(EncryptedJSON: a Fernet token in a TEXT column) and the rows already there are encrypted in place:
`campaign.audience` (the phone numbers of an uploaded list), `campaign_recipient.variables` (the template's
values filled in for one customer: first name, last product) and `campaign_action.payload` (quotes the tapped
button's title as the customer's WhatsApp sent it). The same column swap as 6422215fd066: on SQLite a new
TEXT column replaces the old one (no table rebuild), PostgreSQL retypes in place. Downgrade decrypts back.

Revision ID: 9c4e2f7a1b83
Revises: 5d2e8a41c7f9
Create Date: 2026-12-04 18:00:00+00:00
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from engine.security.crypto import decrypt, encrypt

revision: str = "9c4e2f7a1b83"
down_revision: str | None = "5d2e8a41c7f9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500

# (table, column, type before); all NOT NULL
COLUMNS: list[tuple[str, str, str]] = [
    ("campaign", "audience", "JSON"),
    ("campaign_recipient", "variables", "JSON"),
    ("campaign_action", "payload", "JSON"),
]


def _convert(table: str, column: str, target: str, change: Callable[[str], str]) -> None:
    """Retype `table.column` to `target` and pass every non-NULL value through `change`."""
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        write = f"{column}__new"
        conn.exec_driver_sql(f'ALTER TABLE "{table}" ADD COLUMN "{write}" {target} NOT NULL DEFAULT \'\'')
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


def upgrade() -> None:
    for table, column, _before in COLUMNS:
        _convert(table, column, "TEXT", encrypt)


def downgrade() -> None:
    conn = op.get_bind()
    sqlite = conn.dialect.name == "sqlite"
    for table, column, before in reversed(COLUMNS):
        if sqlite:
            _convert(table, column, before, decrypt)
            continue
        # PostgreSQL: decrypt in TEXT, then retype (a JSON cast of ciphertext would fail).
        _convert(table, column, "TEXT", decrypt)
        retype = f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE {before} USING "{column}"::json'
        conn.exec_driver_sql(retype)
