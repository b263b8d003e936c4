"""State of the Knowledge page: the entries table (filters, SQL paging), search, export, switch on/off,
delete and restore, through `engine.knowledge.service` and `engine.knowledge.importing` only.

The entry drawer (`knowledge_editor.py`) and the import wizard (`knowledge_import.py`) have their own states;
they call `reload` here after a change. Every handler re-resolves the session and checks `agent:manage`
(PAGE_SCOPES["knowledge"]) before it reads or writes anything; the tenant comes from that check, never from
the browser. Search runs in a background event: with an embedding model it embeds the query first.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any, ClassVar

import reflex as rx

from console.state.guard import PageState
from console.state.knowledge_rows import (
    TYPE_CHOICES,
    EntryRow,
    HitRow,
    count_label,
    entry_row,
    hit_rows,
)
from console.state.session import sentence
from engine.accounts import tenants
from engine.accounts.sessions import SignedIn
from engine.agent.labels import embedding_label
from engine.db import NotFound, session_scope
from engine.knowledge import importing, service
from engine.knowledge.preview import SearchMode, index_status, retry_index_build
from engine.knowledge.types import KnowledgeError, SearchResult

log = logging.getLogger(__name__)

ALL = "all"
PAGE_SIZES: tuple[str, ...] = ("10", "25", "50", "100")
ACTIVE_CHOICES: tuple[tuple[str, str], ...] = ((ALL, "Any status"), ("active", "On"), ("inactive", "Off"))
SEARCH_LIMIT = 20
EXPORT_FORMATS = ("csv", "json")

# (tenant, embedding model) pairs whose first search already ran in this process (see refresh_index_status).
_warmed: set[tuple[int, str]] = set()


def run_search(tenant_id: int, query: str, entry_type: str | None, category: str | None) -> SearchResult:
    """One search through the knowledge service, in its own unit of work (called from a worker thread)."""
    with session_scope() as db:
        return service.search(
            db, tenant_id, query, limit=SEARCH_LIMIT, entry_type=entry_type, category=category
        )


RETRY_WAIT_SECONDS = 30


def read_index_status(tenant_id: int) -> SearchMode:
    with session_scope() as db:
        return index_status(db, tenant_id)


class KnowledgeState(PageState, rx.State):
    """The table, its filters and paging, the search box, and the row actions."""

    page_key: ClassVar[str] = "knowledge"

    _tz: str = "UTC"
    _search_seq: int = 0

    loaded: bool = False
    rows: list[EntryRow] = []
    total: int = 0
    page: int = 1
    page_size: int = 25
    live_total: int = -1  # entries in the workspace, no filters (-1: not counted yet)
    deleted_total: int = 0
    categories: list[str] = []

    type_filter: str = ALL
    category_filter: str = ALL
    active_filter: str = ALL
    show_deleted: bool = False

    query: str = ""
    searching: bool = False
    search_active: bool = False
    search_for: str = ""
    hits: list[HitRow] = []
    search_mode: str = ""
    search_note: str = ""
    search_model: str = ""
    search_ms: str = ""

    index_mode: str = ""  # what searches will run: "hybrid" or "lexical" ("" until the status is read)
    index_model: str = ""  # in words (engine.agent.labels), never the model's code
    index_note: str = ""
    index_warning: str = ""  # a new index could not be built; the previous one serves (with a Retry)
    retrying_index: bool = False

    # --- derived, for the page ---------------------------------------------------------------------------

    @rx.var
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @rx.var
    def range_label(self) -> str:
        if self.total == 0:
            return "No entries"
        first = (self.page - 1) * self.page_size + 1
        last = min(self.total, self.page * self.page_size)
        return f"{first:,}–{last:,} of {count_label(self.total, 'entry', 'entries')}"

    @rx.var
    def filtered(self) -> bool:
        return (
            self.type_filter != ALL or self.category_filter != ALL or self.active_filter != ALL
        ) and not self.show_deleted

    @rx.var
    def is_empty(self) -> bool:
        """A workspace with no live entries at all: the page explains itself and offers the first step."""
        return self.loaded and self.live_total == 0 and not self.show_deleted and not self.search_active

    @rx.var
    def hit_count_label(self) -> str:
        return count_label(len(self.hits), "result")

    # --- loading ------------------------------------------------------------------------------------------

    def on_allowed(self, who: SignedIn) -> Any:
        self._load(who)
        return KnowledgeState.refresh_index_status

    def on_refused(self) -> None:
        self.loaded = False
        self.rows = []
        self.hits = []
        self.total = self.deleted_total = 0
        self.live_total = -1
        self.categories = []
        self.page = 1
        self.type_filter = self.category_filter = self.active_filter = ALL
        self.show_deleted = False
        self._clear_search()
        self.query = ""
        self.index_mode = self.index_model = self.index_note = ""

    def _clear_search(self) -> None:
        self._search_seq += 1  # any search still running is now stale
        self.searching = False
        self.search_active = False
        self.search_for = ""
        self.hits = []
        self.search_mode = self.search_note = self.search_model = self.search_ms = ""

    def _filters(self) -> dict[str, Any]:
        active = {"active": True, "inactive": False}.get(self.active_filter)
        return {
            "entry_type": None if self.type_filter == ALL else self.type_filter,
            "category": None if self.category_filter == ALL else self.category_filter,
            "active": None if self.show_deleted else active,
            "deleted": self.show_deleted,
        }

    def _load(self, who: SignedIn) -> None:
        """One page of entries for the current filters, the category list and the two counts, in SQL."""
        with session_scope() as db:
            self._tz = tenants.display_settings(db, who.tenant_id).time_zone
            deleted = service.list_entries(db, who.tenant_id, deleted=True, page_size=1).total
            if deleted == 0:
                self.show_deleted = False  # the bin emptied: back to the entries
            self.categories = service.categories(db, who.tenant_id)
            if self.category_filter != ALL and self.category_filter not in self.categories:
                self.category_filter = ALL  # its last entry went: the filter would only show nothing
            filters = self._filters()
            result = service.list_entries(
                db, who.tenant_id, **filters, page=self.page, page_size=self.page_size
            )
            if result.items == [] and self.page > 1 and result.total > 0:
                self.page = max(1, -(-result.total // self.page_size))
                result = service.list_entries(
                    db, who.tenant_id, **filters, page=self.page, page_size=self.page_size
                )
            live = service.list_entries(db, who.tenant_id, page_size=1).total
        self.rows = [entry_row(e, self._tz) for e in result.items]
        self.total = result.total
        self.live_total = live
        self.deleted_total = deleted
        self.loaded = True

    @rx.event
    async def reload(self):
        """Read the current page again (after the drawer or the import wizard changed something)."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        self._load(who)
        if self.search_active and self.search_for:
            return KnowledgeState.search(self.query)
        return None

    @rx.event(background=True)
    async def refresh_index_status(self):
        """Which search the box will run (hybrid or words only) and with which model; read off the index."""
        async with self:
            who, refusal = await self.authorize_or_refuse()
            if who is None:
                yield refusal
                return
            tenant_id = who.tenant_id
        try:
            status = await asyncio.to_thread(read_index_status, tenant_id)
        except Exception:  # the page works without the badge; the log says why
            log.exception("knowledge index status of tenant %s could not be read", tenant_id)
            return
        async with self:
            self.index_mode, self.index_note = status.mode, status.note
            self.index_model = embedding_label(status.model) if status.model else ""
            self.index_warning = status.warning
        configured = status.model
        if configured and (tenant_id, configured) not in _warmed:
            # A local model loads on its first query (seconds on a small machine): run one now, in the
            # background, so the first search typed into the box does not pay for it.
            _warmed.add((tenant_id, configured))
            try:
                await asyncio.to_thread(run_search, tenant_id, "opening hours", None, None)
            except Exception:
                log.info("knowledge search warm-up failed for tenant %s", tenant_id, exc_info=True)

    # --- filters and paging -------------------------------------------------------------------------------

    async def _refilter(self):
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        self.page = 1
        self._load(who)
        if self.search_active and self.search_for:
            return KnowledgeState.search(self.query)
        return None

    @rx.event
    async def set_type_filter(self, value: str):
        self.type_filter = value if value in {t for t, _ in TYPE_CHOICES} else ALL
        return await self._refilter()

    @rx.event
    async def set_category_filter(self, value: str):
        self.category_filter = value or ALL
        return await self._refilter()

    @rx.event
    async def set_active_filter(self, value: str):
        self.active_filter = value if value in {v for v, _ in ACTIVE_CHOICES} else ALL
        return await self._refilter()

    @rx.event
    async def set_show_deleted(self, value: bool):
        self.show_deleted = bool(value)
        if self.show_deleted:
            self._clear_search()
            self.query = ""
        return await self._refilter()

    @rx.event
    async def clear_filters(self):
        self.type_filter = self.category_filter = self.active_filter = ALL
        self.show_deleted = False
        return await self._refilter()

    @rx.event
    async def go_to_page(self, page: int):
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        self.page = max(1, min(int(page), self.pages))
        self._load(who)
        return None

    @rx.event
    async def set_page_size(self, value: str):
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        self.page_size = int(value) if value in PAGE_SIZES else 25
        self.page = 1
        self._load(who)
        return None

    # --- search -------------------------------------------------------------------------------------------

    @rx.event(background=True)
    async def search(self, query: str):
        """Search as the agent does (hybrid, or words only) with the type and category filters."""
        async with self:
            who, refusal = await self.authorize_or_refuse()
            if who is None:
                yield refusal
                return
            self.query = query
            text = " ".join((query or "").split())
            if not text:
                self._clear_search()
                return
            self._search_seq += 1
            seq = self._search_seq
            self.searching = True
            self.search_active = True
            self.show_deleted = False
            filters = self._filters()
            tenant_id, tz = who.tenant_id, self._tz
        try:
            result = await asyncio.to_thread(
                run_search, tenant_id, text, filters["entry_type"], filters["category"]
            )
        except Exception:
            log.exception("knowledge search failed for tenant %s", tenant_id)
            async with self:
                if seq == self._search_seq:
                    self.searching = False
            yield rx.toast.error("Search is not available right now. Try again in a moment.")
            return
        async with self:
            if seq != self._search_seq:
                return  # a newer search (or a cleared box) replaced this one
            self.searching = False
            self.search_for = result.query
            self.hits = hit_rows(result.hits, tz)
            self.search_mode = result.mode
            self.search_model = embedding_label(result.embedding_model) if result.embedding_model else ""
            self.search_note = sentence(result.note) if result.note else ""
            total_ms = result.timings_ms.get("total_ms")
            if total_ms is None:
                self.search_ms = ""
            else:
                self.search_ms = f"{total_ms:.0f} ms" if total_ms < 1000 else f"{total_ms / 1000:.1f} s"
            if result.mode == "hybrid":
                self.index_mode, self.index_model = "hybrid", self.search_model

    @rx.event(background=True)
    async def retry_index(self):
        """The warning's Retry: build the new search index again (in the background), then re-read it."""
        async with self:
            who, refusal = await self.authorize_or_refuse()
            if who is None:
                yield refusal
                return
            if self.retrying_index:
                return
            self.retrying_index = True
        try:
            await asyncio.to_thread(retry_index_build, who.tenant_id)
            status = await asyncio.to_thread(read_index_status, who.tenant_id)
            for _ in range(RETRY_WAIT_SECONDS):  # a quick answer beats "check back later"
                if not status.building:
                    break
                await asyncio.sleep(1)
                status = await asyncio.to_thread(read_index_status, who.tenant_id)
        finally:
            async with self:
                self.retrying_index = False
        async with self:
            self.index_mode, self.index_note, self.index_warning = status.mode, status.note, status.warning
            self.index_model = embedding_label(status.model) if status.model else ""
        if status.warning:
            yield rx.toast.error("The new search index could not be built; the previous one still answers.")
        elif status.building:
            yield rx.toast.info("The new search index is still being built: search keeps working meanwhile.")
        else:
            yield rx.toast.success("The new search index is ready.")

    @rx.event
    async def clear_search(self):
        _, refusal = await self.authorize_or_refuse()
        if refusal is not None:
            return refusal
        self._clear_search()
        self.query = ""
        return None

    # --- row actions --------------------------------------------------------------------------------------

    @rx.event
    async def set_active(self, entry_id: int, active: bool):
        """Switch an entry on or off for the agent (saved as a new version, like any edit)."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                entry = service.update_entry(
                    db, who.tenant_id, int(entry_id), {"is_active": bool(active)}, user_id=who.user_id
                )
        except (KnowledgeError, NotFound) as exc:
            self._load(who)
            return rx.toast.error(sentence(str(exc)))
        self._load(who)
        self._patch_hit(entry.id, is_active=entry.is_active, version=entry.version)
        if entry.is_active:
            return rx.toast.success(f"“{entry.title}” is on: the agent uses it again.")
        return rx.toast.success(f"“{entry.title}” is off: the agent no longer uses it.")

    def _patch_hit(self, entry_id: int, **fields: Any) -> None:
        for hit in self.hits:
            if hit.entry.id == entry_id:
                for name, value in fields.items():
                    setattr(hit.entry, name, value)
        self.hits = list(self.hits)

    @rx.event
    async def delete_entry(self, entry_id: int):
        """Soft delete: the entry leaves search and the table at once, and can be restored (toast: Undo)."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                entry = service.delete_entry(db, who.tenant_id, int(entry_id), user_id=who.user_id)
        except (KnowledgeError, NotFound) as exc:
            return rx.toast.error(sentence(str(exc)))
        self._load(who)
        self.hits = [h for h in self.hits if h.entry.id != entry.id]
        return rx.toast.success(
            f"“{entry.title}” was deleted.",
            description="The agent no longer uses it. You can restore it from Deleted.",
            action={"label": "Undo", "on_click": KnowledgeState.restore_entry(entry.id)},
            duration=8000,
        )

    @rx.event
    async def restore_entry(self, entry_id: int):
        """Bring a deleted entry back, with the content and version it had."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                entry = service.restore_entry(db, who.tenant_id, int(entry_id), user_id=who.user_id)
        except (KnowledgeError, NotFound) as exc:
            return rx.toast.error(sentence(str(exc)))
        self._load(who)
        return rx.toast.success(f"“{entry.title}” is back, and the agent can use it again.")

    @rx.event
    async def export(self, fmt: str):
        """Every live entry as CSV or JSON, in the format Import reads back."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        fmt = fmt if fmt in EXPORT_FORMATS else "csv"
        with session_scope() as db:
            data = importing.export_entries(db, who.tenant_id, fmt)
        stamp = datetime.now(UTC).strftime("%Y-%m-%d")
        mime = "application/json" if fmt == "json" else "text/csv"
        filename = f"knowledge-{who.tenant_slug}-{stamp}.{fmt}"
        return [
            rx.download(data=data, filename=filename, mime_type=mime),
            rx.toast.success(
                f"Exported {count_label(self.live_total, 'entry', 'entries')} as {fmt.upper()}."
            ),
        ]
