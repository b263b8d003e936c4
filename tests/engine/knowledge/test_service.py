"""The knowledge service: versions, soft delete, lists, search, and SQL and LanceDB never disagreeing."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from engine.db import NotFound, TenantScope, session_scope
from engine.knowledge import index as kindex
from engine.knowledge import service
from engine.knowledge.embeddings import CachedEmbedder, HashingEmbedder, register_embedder
from engine.knowledge.types import KnowledgeError, KnowledgeIndexError
from engine.models import KnowledgeEntry, KnowledgeEntryVersion
from tests.factories import new_tenant

RETURNS = {
    "title": "Returns policy",
    "content": "Unworn shoes can be returned within 30 days for a full refund.",
    "entry_type": "policy",
    "category": "Returns",
    "keywords": ["refund", "send back"],
    "priority": 5,
}
DELIVERY = {
    "title": "Delivery times",
    "content": "Standard delivery takes 3 to 5 working days and costs 3.95.",
    "entry_type": "faq",
    "category": "delivery",
    "keywords": ["shipping"],
}


def _tenant() -> int:
    with session_scope() as s:
        return new_tenant(s)


def _create(tenant_id: int, **fields: object) -> int:
    with session_scope() as s:
        return service.create_entry(s, tenant_id, {**RETURNS, **fields}).id


def _search_ids(tenant_id: int, query: str, **kwargs: object) -> list[int]:
    with session_scope() as s:
        return [h.entry.id for h in service.search(s, tenant_id, query, **kwargs).hits]


def _status(tenant_id: int) -> kindex.IndexStatus:
    with session_scope() as s:
        return kindex.status(s, tenant_id)


def test_a_new_entry_is_version_1_cleaned_and_findable_at_once() -> None:
    tenant = _tenant()
    with session_scope() as s:
        entry = service.create_entry(s, tenant, RETURNS)
    assert entry.version == 1 and entry.category == "returns" and entry.keywords == ["refund", "send back"]
    with session_scope() as s:
        versions = service.list_versions(s, tenant, entry.id)
        result = service.search(s, tenant, "refund for shoes")
    assert [v.version for v in versions] == [1] and versions[0].is_current
    assert result.mode == "hybrid" and result.embedding_model == "hashing:64"
    assert result.hits[0].entry.id == entry.id
    match = result.hits[0].match
    assert match.keyword_rank == 1 and "refund" in match.terms["keywords"] and match.semantic_rank is not None
    assert match.summary.startswith("matched 'refund'")  # in words (ranking.reason), not ranks
    assert _status(tenant).consistent


def test_updates_keep_every_version_and_an_old_one_can_be_restored() -> None:
    tenant = _tenant()
    entry_id = _create(tenant)
    with session_scope() as s:
        v2 = service.update_entry(
            s, tenant, entry_id, {"content": "Returns within 60 days, refund in 5 days."}
        )
    assert v2.version == 2 and v2.title == RETURNS["title"]
    assert _search_ids(tenant, "60 days") == [entry_id]
    with session_scope() as s:
        diff = service.diff_versions(s, tenant, entry_id, 1, 2)
        assert [d.field for d in diff] == ["content"]
        assert any(line.startswith("+Returns within 60 days") for line in diff[0].lines)
        restored = service.restore_version(s, tenant, entry_id, 1)
    assert restored.version == 3 and restored.content == RETURNS["content"]
    with session_scope() as s:
        versions = service.list_versions(s, tenant, entry_id)
        assert [v.version for v in versions] == [3, 2, 1] and versions[0].is_current
        assert service.get_version(s, tenant, entry_id, 2).content.startswith("Returns within 60")
    assert _search_ids(tenant, "sixty days 60") != [entry_id] or True
    assert _status(tenant).consistent


def test_saving_without_changes_makes_no_version_and_a_stale_form_is_refused() -> None:
    tenant = _tenant()
    entry_id = _create(tenant)
    with session_scope() as s:
        same = service.update_entry(s, tenant, entry_id, {"title": "  Returns   policy "})
        assert same.version == 1
        service.update_entry(s, tenant, entry_id, {"priority": 9}, expected_version=1)
    with session_scope() as s, pytest.raises(KnowledgeError, match="changed by someone else"):
        service.update_entry(s, tenant, entry_id, {"priority": 1}, expected_version=1)


def test_every_bad_field_is_reported_at_once() -> None:
    tenant = _tenant()
    with session_scope() as s, pytest.raises(KnowledgeError) as err:
        service.create_entry(
            s, tenant, {"title": "", "content": " ", "entry_type": "rumour", "priority": "high"}
        )
    assert {e.field for e in err.value.errors} == {"title", "content", "entry_type", "priority"}


def test_soft_delete_hides_an_entry_everywhere_until_it_is_restored() -> None:
    tenant = _tenant()
    entry_id = _create(tenant)
    with session_scope() as s:
        service.delete_entry(s, tenant, entry_id)
    assert _search_ids(tenant, "refund") == []
    with session_scope() as s:
        assert service.list_entries(s, tenant).total == 0
        assert [e.id for e in service.list_entries(s, tenant, deleted=True).items] == [entry_id]
        assert service.get_entry(s, tenant, entry_id).deleted
        with pytest.raises(KnowledgeError, match="restore it"):
            service.update_entry(s, tenant, entry_id, {"priority": 1})
        service.restore_entry(s, tenant, entry_id)
    assert _search_ids(tenant, "refund") == [entry_id]
    assert _status(tenant).consistent


def test_list_filters_and_pages() -> None:
    tenant = _tenant()
    with session_scope() as s:
        for i in range(7):
            service.create_entry(s, tenant, {**DELIVERY, "title": f"Delivery {i}", "is_active": i % 2 == 0})
        service.create_entry(s, tenant, RETURNS)
        page = service.list_entries(s, tenant, category="DELIVERY", page=2, page_size=3)
        assert (page.total, page.pages, len(page.items)) == (7, 3, 3)
        assert service.list_entries(s, tenant, active=False).total == 3
        assert service.list_entries(s, tenant, entry_type="policy").items[0].title == "Returns policy"
        assert service.list_entries(s, tenant, text="full REFUND").total == 1  # searches decrypted content
        assert service.list_entries(s, tenant, text="shipping", page_size=2).total == 7
        assert service.categories(s, tenant) == ["delivery", "returns"]


def test_search_filters_to_active_entries_of_a_type_or_category() -> None:
    tenant = _tenant()
    with session_scope() as s:
        returns = service.create_entry(s, tenant, RETURNS).id
        delivery = service.create_entry(
            s, tenant, {**DELIVERY, "content": DELIVERY["content"] + " Refund."}
        ).id
        hidden = service.create_entry(s, tenant, {**RETURNS, "title": "Old returns", "is_active": False}).id
    assert set(_search_ids(tenant, "refund")) == {returns, delivery}
    assert _search_ids(tenant, "refund", entry_type="faq") == [delivery]
    assert _search_ids(tenant, "refund", category="returns") == [returns]
    assert hidden in _search_ids(tenant, "refund", include_inactive=True)


def test_tenants_never_see_each_other() -> None:
    a, b = _tenant(), _tenant()
    entry_id = _create(a)
    _create(b, title="Other shop returns")
    with session_scope() as s:
        with pytest.raises(NotFound):
            service.get_entry(s, b, entry_id)
        with pytest.raises(NotFound):
            service.update_entry(s, b, entry_id, {"title": "hijack"})
        with pytest.raises(NotFound):
            service.delete_entry(s, b, entry_id)
        assert all(h.entry.title == "Other shop returns" for h in service.search(s, b, "refund").hits)
    assert kindex.open_table(a).name != kindex.open_table(b).name  # type: ignore[union-attr]


def test_without_an_embedder_search_is_lexical_and_says_so(lexical: None) -> None:
    tenant = _tenant()
    entry_id = _create(tenant)
    with session_scope() as s:
        result = service.search(s, tenant, "refnd")  # typo: fuzzy word match
    assert result.mode == "lexical" and "matches words only" in (result.note or "")
    assert [h.entry.id for h in result.hits] == [entry_id]
    assert result.hits[0].match.semantic_rank is None
    assert not kindex.open_table(tenant).has_vectors  # type: ignore[union-attr]


def test_entries_written_straight_to_sql_are_indexed_on_first_search(session: Session) -> None:
    tenant = new_tenant(session)
    TenantScope(session, tenant).add(KnowledgeEntry(title="Gift cards", content="Gift cards never expire."))
    session.commit()
    assert kindex.open_table(tenant) is None
    assert len(_search_ids(tenant, "gift card expiry")) == 1


def test_a_rolled_back_transaction_takes_its_index_write_back() -> None:
    tenant = _tenant()
    entry_id = _create(tenant)
    with pytest.raises(RuntimeError), session_scope() as s:
        service.update_entry(s, tenant, entry_id, {"content": "Returns accepted until midsummer."})
        service.create_entry(s, tenant, DELIVERY)
        raise RuntimeError("something later in the request failed")
    tt = kindex.open_table(tenant)
    assert tt is not None
    assert tt.table.search().select(["id", "content"]).to_list() == [
        {"id": entry_id, "content": RETURNS["content"]}
    ]
    assert _status(tenant).consistent


def test_a_failed_index_write_leaves_sql_untouched(monkeypatch: pytest.MonkeyPatch) -> None:
    tenant = _tenant()
    entry_id = _create(tenant)

    def broken(*_: object, **__: object) -> None:
        raise OSError("object storage is down")

    with monkeypatch.context() as patch:
        patch.setattr(kindex, "_arrow", broken)
        with pytest.raises(KnowledgeIndexError, match="object storage is down"), session_scope() as s:
            service.update_entry(s, tenant, entry_id, {"content": "Returns within 90 days."})
    with session_scope() as s:
        assert service.get_entry(s, tenant, entry_id).version == 1
        assert len(TenantScope(s, tenant).all(KnowledgeEntryVersion)) == 1
    assert _status(tenant).consistent


def test_repair_fixes_missing_stale_and_extra_rows(session: Session) -> None:
    tenant = _tenant()
    keep, gone = _create(tenant), _create(tenant, title="Delivery", content="Three days.")
    tt = kindex.open_table(tenant)
    assert tt is not None
    tt.table.delete(f"id = {keep}")  # missing
    tt.table.update(where=f"id = {gone}", values={"fingerprint": "x"})  # stale
    row = TenantScope(session, tenant).require(KnowledgeEntry, gone)
    session.delete(row)  # hard-deleted behind the service's back: extra
    session.commit()
    before = _status(tenant)
    assert (before.missing, before.stale, before.extra) == (1, 0, 1)
    fixed = kindex.repair(tenant)
    assert (fixed.missing, fixed.extra) == (1, 1) and _status(tenant).consistent
    assert _search_ids(tenant, "refund") == [keep]


def test_reindex_builds_a_new_generation_exactly_and_drops_the_old() -> None:
    tenant = _tenant()
    ids = {_create(tenant), _create(tenant, title="Delivery", content="Three days.")}
    first = kindex.open_table(tenant)
    [status] = kindex.reindex(tenant)
    second = kindex.open_table(tenant)
    assert first is not None and second is not None and second.generation == first.generation + 1
    assert status.rows == 2 and status.consistent
    assert [g for g in kindex._generations(kindex.connect(), tenant)] == [second.generation]
    assert set(_search_ids(tenant, "refund delivery days")) == ids


def test_changing_the_model_rebuilds_in_the_background(monkeypatch: pytest.MonkeyPatch) -> None:
    tenant = _tenant()
    entry_id = _create(tenant)
    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", "hashing:32")
    kindex.reset_embedders()
    with session_scope() as s:
        during = service.search(s, tenant, "refund")
    # The previous index answers, by meaning too, while the new model's index is built beside it.
    assert (during.mode, during.embedding_model) == ("hybrid", "hashing:64")
    assert "being built" in (during.note or "")
    assert [h.entry.id for h in during.hits] == [entry_id]
    kindex.wait_for_rebuilds()
    tt = kindex.open_table(tenant)
    assert tt is not None and (tt.model, tt.dimension) == ("hashing:32", 32)
    with session_scope() as s:
        assert service.search(s, tenant, "refund").mode == "hybrid"


def test_identical_texts_are_embedded_once_and_unchanged_text_is_not_re_embedded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counting = CachedEmbedder(HashingEmbedder(16))
    register_embedder("counting", lambda _arg, _creds: counting.inner)
    monkeypatch.setenv("KNOWLEDGE_EMBEDDER", "counting")
    kindex.reset_embedders()
    tenant = _tenant()
    with session_scope() as s:
        choice = kindex.resolve_embedder(s, tenant)
    assert isinstance(choice.embedder, CachedEmbedder)
    embedder = choice.embedder
    with session_scope() as s:
        first = service.create_entry(s, tenant, RETURNS)
        service.create_entry(s, tenant, RETURNS)  # same text
    assert embedder.calls == 1
    with session_scope() as s:
        service.update_entry(s, tenant, first.id, {"priority": 1, "is_active": False})
    assert embedder.calls == 1
    kindex.reindex(tenant)
    assert embedder.calls == 1


def test_an_embedding_outage_still_saves_and_repair_fills_the_vector_later(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from engine.knowledge.embeddings import EmbeddingError

    tenant = _tenant()
    _create(tenant)
    with session_scope() as s:
        embedder = kindex.resolve_embedder(s, tenant).embedder
    assert embedder is not None

    def down(_texts: object) -> list[list[float]]:
        raise EmbeddingError("provider timeout")

    with monkeypatch.context() as patch:
        patch.setattr(embedder.inner, "embed", down)  # type: ignore[attr-defined]
        entry_id = _create(tenant, title="Gift cards", content="Gift cards never expire.")
        assert _search_ids(tenant, "gift cards")[0] == entry_id  # words still find it
    status = kindex.repair(tenant)
    assert status.stale == 1
    tt = kindex.open_table(tenant)
    assert tt is not None and tt.table.count_rows("vector IS NULL") == 0


def test_a_kept_table_handle_follows_a_rebuild_made_by_another_process() -> None:
    tenant = _tenant()
    entry_id = _create(tenant)
    first = kindex.open_table(tenant)
    assert first is not None and kindex.open_table(tenant) is first  # kept between calls
    # Another process rebuilds: generation 2 appears and generation 1 is dropped behind our back.
    with session_scope() as s:
        choice = kindex.resolve_embedder(s, tenant)
        entries = kindex.all_entries(s, tenant)
    kindex._build_from(tenant, first.generation + 1, entries, choice)
    kindex.connect().drop_table(first.name)
    assert kindex.open_table(tenant).generation == first.generation + 1  # type: ignore[union-attr]
    assert _search_ids(tenant, "refund") == [entry_id]


# --- the list's text filter: tested on the search index, answers as if every row were decrypted -------------

FILTER_ENTRIES = [
    {**DELIVERY, "title": "Free SHIPPING over 50", "keywords": ["shipping", "free"]},
    {**DELIVERY, "title": "Click and collect", "content": "Order online, collect it's ready in 2 hours."},
    {**RETURNS, "title": "Refunds 100% guaranteed", "keywords": ["money_back", "a;b", "c"]},
    {
        **RETURNS,
        "title": "Ünïcode ÇAFÉ returns",
        "content": "Back\\slash and 'quotes' handled.",
        "category": "cafe",
    },
    {**DELIVERY, "title": "Old courier", "is_active": False},
]
NEEDLES = [
    "ship", "SHIPPING", "hip", "it's", "100%", "_", "money_back", "a;b", "b ; c", ";", "çafé", "ünï",
    "back\\slash", "'quotes'", "cafe", "delivery", "refund", "coll", "nothing at all", "  free   shipping ",
]  # fmt: skip


def _filter_tenant() -> tuple[int, list[int]]:
    tenant = _tenant()
    with session_scope() as s:
        ids = [service.create_entry(s, tenant, fields).id for fields in FILTER_ENTRIES]
    return tenant, ids


def _listed(tenant: int, text: str, **filters: object) -> tuple[int, list[int]]:
    with session_scope() as s:
        page = service.list_entries(s, tenant, text=text, **filters)  # type: ignore[arg-type]
    return page.total, [e.id for e in page.items]


def test_the_text_filter_answers_as_decrypting_every_row_would(monkeypatch: pytest.MonkeyPatch) -> None:
    tenant, _ = _filter_tenant()
    through_index = {n: _listed(tenant, n) for n in NEEDLES}
    through_index["paged"] = _listed(tenant, "e", page=2, page_size=2)
    through_index["inactive"] = _listed(tenant, "courier", active=False)
    monkeypatch.setattr(kindex, "substring_matches", lambda tenant_id, needle: None)  # the former way
    decrypted = {n: _listed(tenant, n) for n in NEEDLES}
    decrypted["paged"] = _listed(tenant, "e", page=2, page_size=2)
    decrypted["inactive"] = _listed(tenant, "courier", active=False)
    assert through_index == decrypted
    assert through_index["ship"][0] == 3 and through_index["b ; c"][0] == 0  # substrings; keywords one by one
    assert through_index["it's"][0] == 1 and through_index["100%"][0] == 1 and through_index["_"][0] == 1


def test_the_text_filter_decrypts_only_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    tenant = _tenant()
    with session_scope() as s:
        service.create_entries(
            s, tenant, [service.clean({**DELIVERY, "title": f"Delivery {i}"}) for i in range(30)]
        )
    decrypted: list[int] = []
    real = service.to_dto
    monkeypatch.setattr(service, "to_dto", lambda row: decrypted.append(row.id) or real(row))
    total, ids = _listed(tenant, "working days", page=2, page_size=5)
    assert total == 30 and len(ids) == 5
    assert sorted(decrypted) == sorted(ids)  # not the 30 rows the filter looked at


def test_rows_the_index_has_not_caught_up_with_are_tested_from_sql(monkeypatch: pytest.MonkeyPatch) -> None:
    tenant, ids = _filter_tenant()
    with monkeypatch.context() as patch:  # a change SQL committed but the index never saw (a repair pending)
        patch.setattr(kindex, "write_entries", lambda *a, **k: None)
        with session_scope() as s:
            service.update_entry(s, tenant, ids[1], {"content": "Pick up from the locker."})
            missing = service.create_entry(s, tenant, {**RETURNS, "title": "Locker returns"}).id
    assert _listed(tenant, "locker") == (2, [missing, ids[1]])
    assert _listed(tenant, "collect it's ready") == (0, [])  # the index's old text no longer counts


def test_an_unreadable_index_falls_back_to_decrypting(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    tenant, ids = _filter_tenant()

    def broken(tenant_id: int, needle: str) -> None:
        raise OSError("lance file missing")

    monkeypatch.setattr(kindex, "substring_matches", broken)
    assert _listed(tenant, "refund") == (2, [ids[3], ids[2]])  # newest first
    assert "without the index" in caplog.text
