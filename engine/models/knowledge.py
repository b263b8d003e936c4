"""Knowledge entries: SQL is the source of truth (LanceDB is an index rebuilt from these rows).

Title, content and keywords are encrypted: titles are often a customer's question word for word ("Can I
return worn shoes?"), and an internal entry's title can be as confidential as its text. What stays plain
(type, category, source, flags) is what lists filter and count by.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, false

from engine.models.base import (
    Field,
    TenantOwned,
    UniqueConstraint,
    created_at_field,
    encrypted_json_list,
    tenant_keys,
    time_field,
)
from engine.security.crypto import EncryptedText


class KnowledgeEntry(TenantOwned, table=True):
    __tablename__ = "knowledge_entry"
    __table_args__ = tenant_keys("knowledge_entry")

    entry_type: str = Field(default="faq", max_length=32, index=True)
    title: str = Field(sa_column=Column(EncryptedText, nullable=False))
    content: str = Field(sa_column=Column(EncryptedText, nullable=False))
    keywords: list[str] = encrypted_json_list()
    category: str | None = Field(default=None, max_length=80, index=True)
    priority: int = Field(default=0)
    is_active: bool = Field(default=True)
    # Used for reasoning, never quoted to customers; its text is never stored in clear in the search index.
    internal: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    version: int = Field(default=1)
    source: str | None = Field(default=None, max_length=500)
    source_position: int | None = Field(default=None)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
    deleted_at: datetime | None = time_field()


class KnowledgeEntryVersion(TenantOwned, table=True):
    """Each saved version of an entry, so any earlier one can be viewed, diffed and restored."""

    __tablename__ = "knowledge_entry_version"
    __table_args__ = tenant_keys(
        "knowledge_entry_version",
        UniqueConstraint("tenant_id", "entry_id", "version"),
        refs={"entry_id": "knowledge_entry"},
    )

    entry_id: int = Field(index=True)
    version: int
    entry_type: str = Field(max_length=32)
    title: str = Field(sa_column=Column(EncryptedText, nullable=False))
    content: str = Field(sa_column=Column(EncryptedText, nullable=False))
    keywords: list[str] = encrypted_json_list()
    category: str | None = Field(default=None, max_length=80)
    priority: int = Field(default=0)
    is_active: bool = Field(default=True)
    internal: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    created_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
