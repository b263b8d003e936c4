"""Re-encrypt every encrypted column under the newest key, so old keys can be retired."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Text, select, type_coerce, update
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import engine.models  # noqa: F401 - every table must be registered to be found
from engine.security.crypto import EncryptedText, rotate_token

BATCH = 500


@dataclass(frozen=True)
class RotationReport:
    values: int
    columns: list[str]


def encrypted_columns() -> list[tuple[str, str]]:
    """(table, column) for every EncryptedText column of the schema."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedText):
                found.append((table.name, column.name))
    return found


def rotate_all(db: Engine) -> RotationReport:
    """Rewrite each stored token with MultiFernet.rotate, table by table, each in one transaction.

    Raw tokens are read and written as plain text (type_coerce), so nothing is decrypted into memory
    longer than one rotate call and the decorator does not encrypt twice.
    """
    total = 0
    for table_name, column_name in encrypted_columns():
        table = SQLModel.metadata.tables[table_name]
        raw = type_coerce(table.c[column_name], Text)
        with db.begin() as conn:
            last_id = 0
            while True:
                rows = conn.execute(
                    select(table.c.id, raw)
                    .where(table.c.id > last_id, table.c[column_name].is_not(None))
                    .order_by(table.c.id)
                    .limit(BATCH)
                ).all()
                if not rows:
                    break
                for row_id, token in rows:
                    conn.execute(
                        update(table)
                        .where(table.c.id == row_id)
                        .values({column_name: type_coerce(rotate_token(token), Text)})
                    )
                    total += 1
                last_id = rows[-1][0]
    return RotationReport(values=total, columns=[f"{t}.{c}" for t, c in encrypted_columns()])
