"""State of the entry drawer on the Knowledge page: Edit, History and Preview of one entry.

The form is a draft in this tab's state until Save, which goes through `service.create_entry` or
`service.update_entry(expected_version=...)`: a save on top of someone else's newer version is refused and
the drawer says so instead of overwriting it. Field errors come from the engine's validation
(`KnowledgeError.errors`, every bad field at once) and are shown next to their fields; after a refused save
the draft is re-checked as it is typed (`records.validate_fields`, the same rules, no database).

Handlers that read or write entries re-resolve the session and check `agent:manage` first. Handlers that
only edit the draft (typing, chips, tabs) touch nothing but this tab's own form and check the page access
already established by `load_page` instead of a database round trip per keystroke.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, ClassVar

import reflex as rx

from console.state.guard import ALLOWED, PageState
from console.state.knowledge import KnowledgeState, run_search
from console.state.knowledge_rows import (
    FIELD_LABELS,
    TYPE_COLORS,
    TYPE_HINTS,
    TYPE_LABELS,
    DiffRow,
    VersionRow,
    diff_row,
    field_errors,
    source_label,
    version_row,
    when,
)
from console.state.session import sentence
from console.state.whatsapp_view import Bubble
from engine.accounts import tenants, users
from engine.accounts.sessions import SignedIn
from engine.db import NotFound, session_scope
from engine.knowledge import service
from engine.knowledge.preview import preview_entry
from engine.knowledge.records import validate_fields
from engine.knowledge.types import ENTRY_TYPES, MAX_KEYWORDS, EntryDTO, KnowledgeError

log = logging.getLogger(__name__)

TABS = ("edit", "history", "preview")


def preview_bubble(reply: str) -> Bubble:
    """The offline reply as the shop's WhatsApp message, drawn by the shared bubble (never sent)."""
    return Bubble(
        key="preview", outbound=True, sender="agent", body=reply, ticks=3, tick_label="Preview: not sent"
    )


class KnowledgeEditorState(PageState, rx.State):
    """The drawer: one entry's draft, its saved versions and a diff of two, and how the agent will see it."""

    page_key: ClassVar[str] = "knowledge"

    _tz: str = "UTC"
    _saved: dict[str, Any] = {}
    _checked: bool = False  # a save was refused: re-check the draft as it changes

    open: bool = False
    tab: str = "edit"
    is_new: bool = True
    entry_id: int = 0
    version: int = 0
    deleted: bool = False
    saved_title: str = ""  # the drawer's heading: the entry as saved, not the draft being typed
    source: str = ""
    created: str = ""
    updated: str = ""

    title: str = ""
    content: str = ""
    entry_type: str = "faq"
    category: str = ""
    keywords: list[str] = []
    keyword_draft: str = ""
    priority: str = "0"
    is_active: bool = True

    errors: dict[str, str] = {}
    conflict_version: int = 0
    dirty: bool = False
    saving: bool = False
    confirm_discard: bool = False

    versions: list[VersionRow] = []
    picked: list[int] = []
    diff_rows: list[DiffRow] = []
    diff_old: int = 0
    diff_new: int = 0
    restore_target: int = 0

    preview_reply: str = ""
    preview_bubbles: list[Bubble] = []  # the reply as the shared WhatsApp bubble draws it; [] without one
    preview_index_text: str = ""
    probe_query: str = ""
    probing: bool = False
    probe_done: bool = False
    probe_found: bool = False
    probe_rank: int = 0
    probe_count: int = 0
    probe_mode: str = ""
    probe_summary: str = ""
    probe_others: list[str] = []

    # --- derived ------------------------------------------------------------------------------------------

    @rx.var
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.entry_type, self.entry_type.title())

    @rx.var
    def type_hint(self) -> str:
        return TYPE_HINTS.get(self.entry_type, "")

    @rx.var
    def type_color(self) -> str:
        return TYPE_COLORS.get(self.entry_type, "gray")

    @rx.var
    def meta_line(self) -> str:
        parts = [f"Version {self.version}", f"Updated {self.updated}"]
        if self.source:
            parts.append(f"From {self.source}")
        return " · ".join(parts)

    @rx.var
    def content_length(self) -> str:
        return f"{len(self.content):,} characters"

    @rx.var
    def can_compare(self) -> bool:
        return len(self.versions) > 1

    @rx.var
    def has_errors(self) -> bool:
        return bool(self.errors)

    # --- lifecycle ----------------------------------------------------------------------------------------

    def on_allowed(self, who: SignedIn) -> Any:
        self._close()
        draft = " ".join((self.router.url.query_parameters.get("draft") or "").split())
        if draft:
            self._open_draft(who, draft)
        return None

    def _open_draft(self, who: SignedIn, title: str) -> None:
        """Analytics' "Create knowledge entry" (/knowledge?draft=…): a new entry titled with the customers'
        unanswered question, open for the answer to be written (saving still checks the role)."""
        with session_scope() as db:
            self._tz = tenants.display_settings(db, who.tenant_id).time_zone
        self.tab = "edit"
        self.title = title[:200]
        self.open = True
        self._changed()

    def on_refused(self) -> None:
        self._close()

    def _close(self) -> None:
        self.open = False
        self.confirm_discard = False
        self._fill_blank()

    def _fill_blank(self) -> None:
        self.is_new = True
        self.entry_id = self.version = 0
        self.deleted = False
        self.saved_title = self.source = self.created = self.updated = ""
        self.title = self.content = self.category = self.keyword_draft = ""
        self.entry_type = "faq"
        self.keywords = []
        self.priority = "0"
        self.is_active = True
        self._reset_checks()
        self._saved = self._draft()
        self.dirty = False
        self.versions = []
        self._clear_diff()
        self._clear_probe()
        self.preview_reply = self.preview_index_text = ""
        self.preview_bubbles = []

    def _reset_checks(self) -> None:
        self.errors = {}
        self.conflict_version = 0
        self._checked = False
        self.saving = False

    def _clear_diff(self) -> None:
        self.picked = []
        self.diff_rows = []
        self.diff_old = self.diff_new = 0
        self.restore_target = 0

    def _clear_probe(self) -> None:
        self.probe_query = ""
        self.probing = self.probe_done = self.probe_found = False
        self.probe_rank = self.probe_count = 0
        self.probe_mode = self.probe_summary = ""
        self.probe_others = []

    def _fill(self, entry: EntryDTO) -> None:
        """Put a saved entry into the form, as the new baseline for "unsaved changes"."""
        self.is_new = False
        self.entry_id = entry.id
        self.version = entry.version
        self.deleted = entry.deleted
        self.saved_title = entry.title
        self.source = source_label(entry.source, entry.source_position)
        self.created = when(entry.created_at, self._tz)
        self.updated = when(entry.updated_at, self._tz)
        self.title = entry.title
        self.content = entry.content
        self.entry_type = entry.entry_type
        self.category = entry.category or ""
        self.keywords = list(entry.keywords)
        self.keyword_draft = ""
        self.priority = str(entry.priority)
        self.is_active = entry.is_active
        self._reset_checks()
        self._saved = self._draft()
        self.dirty = False
        self._refresh_preview()

    def _draft(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "content": self.content,
            "entry_type": self.entry_type,
            "category": self.category,
            "keywords": list(self.keywords),
            "priority": self.priority,
            "is_active": self.is_active,
        }

    def _changed(self) -> None:
        """After any draft edit: mark unsaved changes, re-check fields once a save was refused, and redraw
        the preview."""
        self.dirty = self._draft() != self._saved
        if self._checked:
            _, errors = validate_fields(self._draft())
            self.errors = field_errors(errors)
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        """What the index reads and what a customer gets quoted when no AI model is available."""
        preview = preview_entry(
            title=self.title, content=self.content, entry_type=self.entry_type, keywords=self.keywords,
            category=self.category, entry_id=self.entry_id, is_active=self.is_active, version=self.version,
        )  # fmt: skip
        self.preview_index_text, self.preview_reply = preview.index_text, preview.offline_reply
        self.preview_bubbles = [preview_bubble(preview.offline_reply)] if preview.offline_reply else []

    def _draft_allowed(self) -> bool:
        """Draft-only handlers: this tab passed the page's access check (see the module docstring)."""
        return self.access == ALLOWED and self.open

    # --- opening and closing ------------------------------------------------------------------------------

    @rx.event
    async def open_new(self):
        """An empty form for a new entry."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        with session_scope() as db:
            self._tz = tenants.display_settings(db, who.tenant_id).time_zone
        self._fill_blank()
        self.tab = "edit"
        self.open = True
        return None

    @rx.event
    async def open_entry(self, entry_id: int, tab: str = "edit"):
        """Open a saved entry (deleted ones too: they show read-only with Restore)."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                self._tz = tenants.display_settings(db, who.tenant_id).time_zone
                entry = service.get_entry(db, who.tenant_id, int(entry_id))
        except NotFound:
            return [rx.toast.error("That entry no longer exists."), KnowledgeState.reload]
        self._fill_blank()
        self._fill(entry)
        self.tab = tab if tab in TABS else "edit"
        self.open = True
        if self.tab == "history":
            self._load_history(who)
        return None

    @rx.event
    def set_open(self, is_open: bool):
        """The drawer's own close (Esc, the overlay, the close button): asks first when the draft changed."""
        if is_open:
            return None  # opening goes through open_new / open_entry, which check the role
        if self.dirty and self.open and not self.deleted:
            self.confirm_discard = True
            return None
        self._close()
        return None

    @rx.event
    def keep_editing(self):
        self.confirm_discard = False

    @rx.event
    def discard(self):
        """Close without saving."""
        self._close()

    @rx.event
    async def set_tab(self, tab: str):
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        if tab not in TABS:
            return None
        if tab == "history" and not self.is_new:
            self._load_history(who)
        self.tab = tab
        return None

    # --- the draft ----------------------------------------------------------------------------------------

    @rx.event
    def set_title(self, value: str):
        if self._draft_allowed():
            self.title = value
            self._changed()

    @rx.event
    def set_content(self, value: str):
        if self._draft_allowed():
            self.content = value
            self._changed()

    @rx.event
    def set_entry_type(self, value: str):
        if self._draft_allowed() and value in ENTRY_TYPES:
            self.entry_type = value
            self._changed()

    @rx.event
    def set_category(self, value: str):
        if self._draft_allowed():
            self.category = value
            self._changed()

    @rx.event
    def set_priority(self, value: str):
        if self._draft_allowed():
            self.priority = value
            self._changed()

    @rx.event
    def set_is_active(self, value: bool):
        if self._draft_allowed():
            self.is_active = bool(value)
            self._changed()

    @rx.event
    def set_keyword_draft(self, value: str):
        if self._draft_allowed():
            self.keyword_draft = value

    @rx.event
    def add_keywords(self, form: dict[str, Any] | None = None):
        """Enter (or a comma) turns the typed words into chips; "a, b; c" adds three."""
        if not self._draft_allowed():
            return
        raw = str((form or {}).get("keyword") or self.keyword_draft or "")
        for part in raw.replace(";", ",").split(","):
            word = " ".join(part.split())
            if word and word.lower() not in (k.lower() for k in self.keywords):
                self.keywords = [*self.keywords, word]
        self.keyword_draft = ""
        if len(self.keywords) > MAX_KEYWORDS:
            self._checked = True
        self._changed()

    @rx.event
    def keyword_blur(self, value: str):
        """Leaving the keyword box keeps what was typed, as a chip."""
        if self._draft_allowed() and value.strip():
            self.keyword_draft = value
            self.add_keywords()

    @rx.event
    def keyword_key(self, key: str):
        """Backspace in an empty keyword box removes the last chip, as in most tag inputs."""
        if self._draft_allowed() and key == "Backspace" and not self.keyword_draft and self.keywords:
            self.keywords = self.keywords[:-1]
            self._changed()

    @rx.event
    def remove_keyword(self, word: str):
        if self._draft_allowed():
            self.keywords = [k for k in self.keywords if k != word]
            self._changed()

    # --- saving -------------------------------------------------------------------------------------------

    @rx.event
    async def save(self):
        """Create the entry, or save the draft as the next version if nobody saved another one meanwhile."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        if self.keyword_draft.strip():
            self.add_keywords()  # typed but not yet turned into a chip: keep it
        data = self._draft()
        self.conflict_version = 0
        try:
            with session_scope() as db:
                if self.is_new:
                    entry = service.create_entry(db, who.tenant_id, data, user_id=who.user_id)
                else:
                    entry = service.update_entry(
                        db, who.tenant_id, self.entry_id, data, user_id=who.user_id,
                        expected_version=self.version,
                    )  # fmt: skip
        except KnowledgeError as exc:
            return self._refused(who, exc)
        except NotFound:
            self._close()
            return [rx.toast.error("This entry was removed meanwhile."), KnowledgeState.reload]
        created, previous = self.is_new, self.version
        self._fill(entry)
        if self.tab == "history":
            self._load_history(who)
        if created:
            message = f"“{entry.title}” was added. The agent can use it now."
        elif entry.version == previous:
            message = "Nothing changed, so no new version was saved."
        else:
            message = f"Saved as version {entry.version}."
        return [rx.toast.success(message), KnowledgeState.reload]

    def _refused(self, who: SignedIn, exc: KnowledgeError) -> Any:
        """A refused save: field errors beside their fields, or a conflict with a newer saved version."""
        if exc.errors:
            self.errors = field_errors(exc.errors)
            self._checked = True
            first = FIELD_LABELS.get(next(iter(self.errors)), "A field")
            return rx.toast.error(f"Check the highlighted fields ({first.lower()} first).")
        if not self.is_new:
            try:
                with session_scope() as db:
                    current = service.get_entry(db, who.tenant_id, self.entry_id)
            except NotFound:
                self._close()
                return [rx.toast.error("This entry was removed meanwhile."), KnowledgeState.reload]
            if current.deleted:
                self.deleted = True
                return rx.toast.error("Someone deleted this entry meanwhile: restore it to edit it again.")
            if current.version != self.version:
                self.conflict_version = current.version
                return None
        self.errors = {"form": sentence(str(exc))}
        return None

    @rx.event
    async def load_latest(self):
        """After a conflict: drop this draft and show what is saved now."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        return await self.open_entry(self.entry_id, self.tab)

    @rx.event
    async def delete(self):
        """Soft delete from the drawer; the toast offers Undo."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        entry_id = self.entry_id
        self._close()
        return KnowledgeState.delete_entry(entry_id)

    @rx.event
    async def restore_deleted(self):
        """Bring the deleted entry shown in the drawer back; it opens for editing."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        try:
            with session_scope() as db:
                entry = service.restore_entry(db, who.tenant_id, self.entry_id, user_id=who.user_id)
        except NotFound:
            self._close()
            return [rx.toast.error("That entry no longer exists."), KnowledgeState.reload]
        self._fill(entry)
        return [rx.toast.success(f"“{entry.title}” is back."), KnowledgeState.reload]

    # --- history ------------------------------------------------------------------------------------------

    def _load_history(self, who: SignedIn) -> None:
        """Every saved version, newest first, and the diff of the latest change (or of the picked two)."""
        with session_scope() as db:
            versions = service.list_versions(db, who.tenant_id, self.entry_id)
            authors = {m.user_id: m.full_name or m.email for m in users.list_members(db, who.tenant_id)}
        self.versions = [version_row(v, self._tz, authors) for v in versions]
        numbers = [v.version for v in versions]
        picked = [p for p in self.picked if p in numbers]
        if len(picked) != 2:
            picked = sorted(numbers[:2])
        self.picked = picked
        self._diff(who)

    def _diff(self, who: SignedIn) -> None:
        if len(self.picked) != 2:
            self.diff_rows = []
            self.diff_old = self.diff_new = 0
            return
        old, new = sorted(self.picked)
        with session_scope() as db:
            diffs = service.diff_versions(db, who.tenant_id, self.entry_id, old, new)
        self.diff_old, self.diff_new = old, new
        self.diff_rows = [diff_row(d) for d in diffs]

    @rx.event
    async def pick_version(self, version: int):
        """Tick a version to compare: two at a time; a third tick replaces the earlier pick."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        version = int(version)
        if version in self.picked:
            self.picked = [p for p in self.picked if p != version]
        else:
            self.picked = [*self.picked[-1:], version]
        self._diff(who)
        return None

    @rx.event
    def ask_restore(self, version: int):
        if self._draft_allowed():
            self.restore_target = int(version)

    @rx.event
    def cancel_restore(self):
        self.restore_target = 0

    @rx.event
    async def restore_version(self):
        """Make the chosen version current again, saved as a new version (history is never rewritten)."""
        who, refusal = await self.authorize_or_refuse()
        if who is None:
            return refusal
        target = self.restore_target
        self.restore_target = 0
        try:
            with session_scope() as db:
                entry = service.restore_version(db, who.tenant_id, self.entry_id, target, user_id=who.user_id)
        except (KnowledgeError, NotFound) as exc:
            return rx.toast.error(sentence(str(exc)))
        previous = self.version
        self._fill(entry)
        self.picked = []
        self._load_history(who)
        if entry.version == previous:
            return rx.toast.info(f"Version {target} is the same as the current one: nothing to restore.")
        return [
            rx.toast.success(f"Version {target} restored as version {entry.version}."),
            KnowledgeState.reload,
        ]

    # --- preview: would the agent find it? ----------------------------------------------------------------

    @rx.event
    def set_probe_query(self, value: str):
        if self._draft_allowed():
            self.probe_query = value

    @rx.event(background=True)
    async def probe(self, form: dict[str, Any] | None = None):
        """Search a customer's question the way the agent does and say where this entry comes out."""
        async with self:
            who, refusal = await self.authorize_or_refuse()
            if who is None:
                yield refusal
                return
            question = " ".join(str((form or {}).get("question") or self.probe_query).split())
            if not question or self.is_new:
                return
            self.probe_query = question
            self.probing = True
            tenant_id, entry_id = who.tenant_id, self.entry_id
        try:
            result = await asyncio.to_thread(run_search, tenant_id, question, None, None)
        except Exception:
            log.exception("knowledge probe search failed for tenant %s", tenant_id)
            async with self:
                self.probing = False
            yield rx.toast.error("Search is not available right now. Try again in a moment.")
            return
        async with self:
            self.probing = False
            self.probe_done = True
            self.probe_mode = result.mode
            self.probe_count = len(result.hits)
            ranks = [i for i, h in enumerate(result.hits, start=1) if h.entry.id == entry_id]
            self.probe_found = bool(ranks)
            self.probe_rank = ranks[0] if ranks else 0
            self.probe_summary = result.hits[ranks[0] - 1].match.summary if ranks else ""
            self.probe_others = [h.entry.title for h in result.hits[:3] if h.entry.id != entry_id]
