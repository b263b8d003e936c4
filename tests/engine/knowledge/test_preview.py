"""What the Knowledge page shows about the index (hybrid or words only) and about a draft entry."""

from __future__ import annotations

import pytest

from engine.db import session_scope
from engine.knowledge import service
from engine.knowledge.preview import index_status, preview_entry
from tests.factories import new_tenant


def _tenant_with_an_entry() -> int:
    with session_scope() as s:
        tenant_id = new_tenant(s)
        service.create_entry(
            s, tenant_id, {"title": "Returns", "content": "Returns within 30 days.", "entry_type": "policy"}
        )
    return tenant_id


def test_search_is_hybrid_once_the_index_holds_the_configured_model() -> None:
    tenant_id = _tenant_with_an_entry()
    with session_scope() as s:
        mode = index_status(s, tenant_id)
    assert (mode.mode, mode.model) == ("hybrid", "hashing:64")
    assert "meaning and words" in mode.note and not mode.warning


@pytest.mark.usefixtures("lexical")
def test_search_is_words_only_without_an_embedding_model() -> None:
    tenant_id = _tenant_with_an_entry()
    with session_scope() as s:
        mode = index_status(s, tenant_id)
    assert (mode.mode, mode.model) == ("lexical", "")
    assert mode.note.startswith("No search model is set up")


def test_preview_shows_the_index_text_and_the_offline_answer() -> None:
    preview = preview_entry(
        title="  Opening   hours ", content="We open 9 to 6.", entry_type="faq", keywords=["open", ""]
    )
    assert preview.index_text == "Opening hours\nopen\nWe open 9 to 6."
    assert "We open 9 to 6." in preview.offline_reply
    blank = preview_entry(title="", content="  ", entry_type="faq")
    assert (blank.index_text, blank.offline_reply) == ("Untitled entry\n", "")
