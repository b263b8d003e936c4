"""Secrets, message bodies and knowledge content are stored encrypted and survive key rotation."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from engine.accounts.secrets import get_secret, set_secret
from engine.config import reset_settings_cache
from engine.db import TenantScope, get_engine, session_scope
from engine.jobs.key_rotation import encrypted_columns, rotate_all
from engine.models import KnowledgeEntry, Message
from engine.security.crypto import DecryptionError, keyring, reset_keyring
from tests.factories import make_row, new_tenant


def _use_keys(monkeypatch: pytest.MonkeyPatch, *keys: str) -> None:
    monkeypatch.setenv("PARLEY_SECRET_KEYS", ",".join(keys))
    reset_settings_cache()
    reset_keyring()


def _raw(column: str, table: str) -> str:
    with get_engine().connect() as conn:
        return conn.execute(text(f"SELECT {column} FROM {table}")).scalar_one()


def test_secrets_bodies_and_knowledge_are_encrypted_at_rest() -> None:
    assert {("secret", "value"), ("message", "body"), ("knowledge_entry", "content")} <= set(
        encrypted_columns()
    )
    with session_scope() as session:
        tenant = new_tenant(session)
        set_secret(session, tenant, "openai_api_key", "sk-live-abcdef1234")
        TenantScope(session, tenant).add(KnowledgeEntry(title="Returns", content="Returns within 30 days"))
    raw = _raw("value", "secret")
    assert "sk-live" not in raw and raw.startswith("gAAAA")
    assert "30 days" not in _raw("content", "knowledge_entry")
    with session_scope() as session:
        assert get_secret(session, tenant, "openai_api_key") == "sk-live-abcdef1234"


def test_rotate_keys_re_encrypts_everything_so_the_old_key_can_be_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    _use_keys(monkeypatch, old)
    with session_scope() as session:
        tenant = new_tenant(session)
        set_secret(session, tenant, "twilio_auth_token", "twilio-token-9876")
        message = make_row(session, tenant, Message)
        message_id = message.id

    _use_keys(monkeypatch, new, old)
    report = rotate_all(get_engine())
    assert report.values >= 2

    _use_keys(monkeypatch, new)  # the old key is gone
    with session_scope() as session:
        assert get_secret(session, tenant, "twilio_auth_token") == "twilio-token-9876"
        assert session.get(Message, message_id).body == "hi"


def test_without_the_right_key_values_cannot_be_read(monkeypatch: pytest.MonkeyPatch) -> None:
    with session_scope() as session:
        tenant = new_tenant(session)
        set_secret(session, tenant, "openai_api_key", "sk-abc")
    _use_keys(monkeypatch, Fernet.generate_key().decode())
    with pytest.raises(DecryptionError), session_scope() as session:
        get_secret(session, tenant, "openai_api_key")


def test_an_invalid_key_is_reported_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    _use_keys(monkeypatch, "not-a-fernet-key")
    with pytest.raises(ValueError, match="invalid Fernet key"):
        keyring()


def test_rotation_covers_the_json_and_text_columns_holding_customer_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    columns = set(encrypted_columns())
    assert {
        ("message", "rich"),
        ("message", "button_text"),
        ("agent_interaction", "intents"),
        ("customer", "key_facts"),
        ("conversation_context", "extracted_entities"),
        ("knowledge_entry", "title"),
        ("audit_log", "details"),
    } <= columns
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    _use_keys(monkeypatch, old)
    with session_scope() as session:
        tenant = new_tenant(session)
        message = make_row(session, tenant, Message)
        message.rich = {"body": "your order ships today", "meta": {"intents": [{"text": "where is it"}]}}
        message.button_text = "Track order"
        session.add(message)
        message_id = message.id
    _use_keys(monkeypatch, new, old)
    rotate_all(get_engine())
    _use_keys(monkeypatch, new)
    with session_scope() as session:
        row = session.get(Message, message_id)
        assert row.rich["meta"]["intents"][0]["text"] == "where is it" and row.button_text == "Track order"
    raw = _raw("rich", "message")
    assert raw.startswith("gAAAA") and "ships" not in raw


def test_encrypted_json_keeps_none_as_sql_null_and_round_trips_documents() -> None:
    with session_scope() as session:
        tenant = new_tenant(session)
        message = make_row(session, tenant, Message)
        message_id = message.id
    with get_engine().connect() as conn:
        assert conn.execute(text("SELECT rich FROM message")).scalar_one() is None
    with session_scope() as session:
        row = session.get(Message, message_id)
        row.rich = {"list": [1, "é", None], "n": 1.5}
        session.add(row)
    with session_scope() as session:
        assert session.get(Message, message_id).rich == {"list": [1, "é", None], "n": 1.5}
