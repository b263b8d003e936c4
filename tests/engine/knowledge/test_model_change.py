"""AI keys that cannot break search (issue #16 item 4).

The scene: a shop's knowledge is indexed by the built-in model (the deterministic `hashing:64` stands in for
it: "auto" means it while no provider key is saved). The owner saves an OpenAI key that OpenAI refuses (the
scripted server answers 401 to that key). "auto" now means OpenAI's search model, so a new index is wanted.
Its build fails, and what must hold: search still answers from the previous index by meaning and words
(hybrid, not words only), the Knowledge page's status carries a warning with a Retry, the log has one line
and no stack trace, and a Retry with a key that works builds the new index and clears the warning.
"""

from __future__ import annotations

import logging

import pytest

from engine.accounts.secrets import set_secret
from engine.config import reset_settings_cache
from engine.db import session_scope
from engine.knowledge import embeddings, service
from engine.knowledge import index as kindex
from engine.knowledge.preview import index_status, retry_index_build
from tests.factories import new_tenant
from tests.fakes.openai_server import FakeOpenAIServer, fake_openai

FIXTURES = (fake_openai,)
BAD_KEY = "sk-refused-by-openai-0001"
GOOD_KEY = "sk-accepted-by-openai-0002"


@pytest.fixture
def auto_embedder(monkeypatch: pytest.MonkeyPatch, fake_openai: FakeOpenAIServer) -> FakeOpenAIServer:
    """KNOWLEDGE_EMBEDDER=auto: OpenAI with a key, else the stand-in for the built-in model."""
    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", "auto")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.openai_base_url)
    monkeypatch.setattr(
        embeddings, "auto_spec", lambda creds: "openai" if creds.get("openai_api_key") else "hashing:64"
    )
    reset_settings_cache()
    kindex.reset_embedders()
    fake_openai.rejected_keys.add(BAD_KEY)
    return fake_openai


def _shop() -> tuple[int, int]:
    with session_scope() as s:
        tenant_id = new_tenant(s)
        entry = service.create_entry(
            s,
            tenant_id,
            {
                "title": "Returns and refunds",
                "content": "Unworn shoes can be returned within 30 days for a full refund.",
                "entry_type": "policy",
                "keywords": ["refund", "return"],
            },
        )
        service.create_entry(
            s, tenant_id, {"title": "Opening hours", "content": "Open 9 to 6, Monday to Saturday.",
                           "entry_type": "faq"},
        )  # fmt: skip
    return tenant_id, entry.id


def _save_key(tenant_id: int, key: str) -> None:
    with session_scope() as s:
        set_secret(s, tenant_id, "openai_api_key", key)
    kindex.reset_embedders()


def test_a_refused_key_leaves_the_previous_index_answering_by_meaning(
    auto_embedder: FakeOpenAIServer, caplog: pytest.LogCaptureFixture
) -> None:
    tenant_id, refund_id = _shop()
    tt = kindex.open_table(tenant_id)
    assert tt is not None and tt.model == "hashing:64"

    _save_key(tenant_id, BAD_KEY)
    caplog.set_level(logging.INFO)
    with session_scope() as s:
        during = service.search(s, tenant_id, "can I get my money back")
    kindex.run_pending_rebuilds()  # the rebuild the search asked for: OpenAI answers 401

    # The live table is still the previous one, and search still matches meaning with its model.
    tt = kindex.open_table(tenant_id)
    assert tt is not None and tt.model == "hashing:64"
    with session_scope() as s:
        after = service.search(s, tenant_id, "money back refund")
    for result in (during, after):
        assert (result.mode, result.embedding_model) == ("hybrid", "hashing:64")
        assert result.hits and result.hits[0].entry.id == refund_id
        assert result.hits[0].match.semantic_rank is not None
    assert "previous one" in (after.note or "")

    # The Knowledge page says so, in words, with a Retry.
    with session_scope() as s:
        shown = index_status(s, tenant_id)
    assert (shown.mode, shown.model, shown.can_retry) == ("hybrid", "hashing:64", True)
    assert "could not be built: the AI provider refused the API key" in shown.warning
    assert "previous index" in shown.warning

    # One log line with the reason, no stack trace; and no second attempt on the next search.
    failures = [r for r in caplog.records if "not rebuilt" in r.getMessage()]
    assert len(failures) == 1 and failures[0].exc_info is None and "401" in failures[0].getMessage()
    assert not any(r.exc_info for r in caplog.records if r.name.startswith("engine.knowledge"))
    with session_scope() as s:
        service.search(s, tenant_id, "refund")
    assert kindex._pending_inline == []

    # A key that works, then Retry: the new index is built beside the old one and takes over.
    _save_key(tenant_id, GOOD_KEY)
    retry_index_build(tenant_id)
    kindex.run_pending_rebuilds()
    tt = kindex.open_table(tenant_id)
    assert tt is not None and tt.model == "openai:text-embedding-3-small"
    with session_scope() as s:
        shown = index_status(s, tenant_id)
        fresh = service.search(s, tenant_id, "Returns and refunds")
    assert (shown.warning, shown.can_retry, shown.model) == ("", False, "openai:text-embedding-3-small")
    assert (fresh.mode, fresh.embedding_model) == ("hybrid", "openai:text-embedding-3-small")


def test_entries_written_meanwhile_get_the_live_models_vectors(auto_embedder: FakeOpenAIServer) -> None:
    tenant_id, _ = _shop()
    _save_key(tenant_id, BAD_KEY)
    with session_scope() as s:
        added = service.create_entry(
            s, tenant_id, {"title": "Gift cards", "content": "Gift cards never expire.", "entry_type": "faq"}
        )
    kindex.run_pending_rebuilds()
    tt = kindex.open_table(tenant_id)
    assert tt is not None and tt.model == "hashing:64"
    rows = tt.table.search().where(f"id = {added.id}").limit(1).to_list()
    assert rows and rows[0]["vector"] is not None  # found by meaning too, not left for a repair


def test_repair_does_not_turn_a_failed_model_into_words_only(auto_embedder: FakeOpenAIServer) -> None:
    tenant_id, _ = _shop()
    _save_key(tenant_id, BAD_KEY)
    with pytest.raises(kindex.KnowledgeIndexError):
        kindex.repair(tenant_id)
    kindex.repair_all()  # the scheduled job: logged, the live table kept
    tt = kindex.open_table(tenant_id)
    assert tt is not None and tt.model == "hashing:64" and tt.has_vectors
