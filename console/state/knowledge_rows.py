"""What the Knowledge page shows, as display-ready dataclasses built from the knowledge service's DTOs.

States keep these (one page of rows, one entry's versions), never ORM rows or the engine's own DTOs: every
field is already a string or a number the browser can draw, with times in the tenant's time zone.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from console.state.session import sentence
from engine.agent.labels import rank_words, similarity_words
from engine.knowledge.types import ENTRY_TYPES, EntryDTO, FieldDiff, RowError, SearchHit, VersionDTO

# Entry types as people read them, in the order the engine defines them, with a badge colour each.
TYPE_LABELS: dict[str, str] = {
    "faq": "FAQ",
    "policy": "Policy",
    "procedure": "Procedure",
    "document": "Document",
    "info": "Info",
}
TYPE_COLORS: dict[str, str] = {
    "faq": "blue",
    "policy": "violet",
    "procedure": "amber",
    "document": "cyan",
    "info": "gray",
}
TYPE_HINTS: dict[str, str] = {
    "faq": "A question customers ask, and its answer",
    "policy": "A rule you keep: returns, delivery, warranty",
    "procedure": "Steps to follow: how to book, how to return",
    "document": "A section of a manual or web page",
    "info": "Facts: opening hours, addresses, contacts",
}
TYPE_CHOICES: tuple[tuple[str, str], ...] = tuple((t, TYPE_LABELS.get(t, t.title())) for t in ENTRY_TYPES)

# Field names as the form labels them (also used for import errors and version diffs).
FIELD_LABELS: dict[str, str] = {
    "title": "Title",
    "content": "Answer",
    "entry_type": "Type",
    "category": "Category",
    "keywords": "Keywords",
    "priority": "Priority",
    "is_active": "Active",
    "row": "Row",
    "file": "File",
}

SNIPPET_CHARS = 140


def zone(time_zone: str | None) -> ZoneInfo:
    """The tenant's zone, UTC when it is unset or unknown."""
    try:
        return ZoneInfo(time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _local(moment: datetime, time_zone: str | None) -> datetime:
    if moment.tzinfo is None:  # stored UTC-aware; older SQLite rows may come back naive
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(time_zone))


def when(moment: datetime | None, time_zone: str | None, *, empty: str = "") -> str:
    """ "Jun 3, 2025 · 14:05" in the tenant's time zone."""
    if moment is None:
        return empty
    local = _local(moment, time_zone)
    return f"{local:%b} {local.day}, {local.year} · {local:%H:%M}"


def short_when(moment: datetime | None, time_zone: str | None, *, now: datetime | None = None) -> str:
    """ "Today, 14:05", "Yesterday, 09:12", "Jun 3, 14:05" this year, "Jun 3, 2024" before."""
    if moment is None:
        return ""
    local = _local(moment, time_zone)
    today = _local(now or datetime.now(UTC), time_zone).date()
    days = (today - local.date()).days
    if days == 0:
        return f"Today, {local:%H:%M}"
    if days == 1:
        return f"Yesterday, {local:%H:%M}"
    if local.year == today.year:
        return f"{local:%b} {local.day}, {local:%H:%M}"
    return f"{local:%b} {local.day}, {local.year}"


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of an answer on one line, cut at a word."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"


def source_label(source: str | None, position: int | None) -> str:
    """ "returns.pdf · section 3" for entries that came from a document; "" for hand-written ones."""
    if not source or source.startswith("demo:"):
        return ""
    name = source.removeprefix("file:")
    return f"{name} · section {position + 1}" if position is not None else name


def count_label(n: int, one: str, many: str | None = None) -> str:
    """ "1 entry", "1,204 entries"."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


@dataclasses.dataclass
class EntryRow:
    """One row of the knowledge table (also the entry inside a search hit)."""

    id: int = 0
    title: str = ""
    snippet: str = ""
    entry_type: str = "faq"
    type_label: str = ""
    type_color: str = "gray"
    category: str = ""
    keywords: list[str] = dataclasses.field(default_factory=list)
    version: int = 1
    updated: str = ""
    updated_full: str = ""
    is_active: bool = True
    deleted: bool = False
    deleted_when: str = ""
    source: str = ""


def entry_row(entry: EntryDTO, time_zone: str | None) -> EntryRow:
    return EntryRow(
        id=entry.id,
        title=entry.title,
        snippet=snippet(entry.content),
        entry_type=entry.entry_type,
        type_label=TYPE_LABELS.get(entry.entry_type, entry.entry_type.title()),
        type_color=TYPE_COLORS.get(entry.entry_type, "gray"),
        category=entry.category or "",
        keywords=list(entry.keywords),
        version=entry.version,
        updated=short_when(entry.updated_at, time_zone),
        updated_full=when(entry.updated_at, time_zone),
        is_active=entry.is_active,
        deleted=entry.deleted,
        deleted_when=short_when(entry.deleted_at, time_zone),
        source=source_label(entry.source, entry.source_position),
    )


@dataclasses.dataclass
class HitRow:
    """One search result: the entry, its fused score, and why it matched."""

    rank: int = 0
    entry: EntryRow = dataclasses.field(default_factory=EntryRow)
    score: str = ""
    strength: int = 0  # the score as a share of the best hit's, for the little bar
    summary: str = ""
    reasons: list[dict[str, str]] = dataclasses.field(default_factory=list)


def hit_reasons(match: Any) -> list[dict[str, str]]:
    """Chips saying why a hit came back: the ranking's reason in words ("matched 'delivery' and 'how long'"),
    else its rank by meaning and by words, and the words found where."""
    if getattr(match, "reason", ""):
        return [{"label": sentence(match.reason).rstrip("."), "color": "grass"}]
    reasons: list[dict[str, str]] = []
    if match.semantic_rank is not None:
        closeness = similarity_words(match.semantic_similarity)
        reasons.append(
            {"label": f"{closeness} ({rank_words(match.semantic_rank, 'meaning')})", "color": "grass"}
        )
    if match.keyword_rank is not None:
        reasons.append({"label": rank_words(match.keyword_rank, "words").capitalize(), "color": "blue"})
    for where, words in match.terms.items():
        if words:
            reasons.append({"label": f"{where}: {', '.join(words)}", "color": "gray"})
    return reasons


def match_words(rank: int, share: float) -> str:
    """How good a hit is, in a word beside its bar (scores mean nothing to an owner)."""
    if rank == 1:
        return "Best match"
    return "Close" if share >= 0.9 else "Related" if share >= 0.75 else "Weaker"


def hit_rows(hits: list[SearchHit], time_zone: str | None) -> list[HitRow]:
    best = max((h.score for h in hits), default=0.0)
    return [
        HitRow(
            rank=i,
            entry=entry_row(hit.entry, time_zone),
            score=match_words(i, hit.score / best if best > 0 else 0.0),
            strength=int(round(100 * hit.score / best)) if best > 0 else 0,
            summary=hit.match.summary,
            reasons=hit_reasons(hit.match),
        )
        for i, hit in enumerate(hits, start=1)
    ]


@dataclasses.dataclass
class VersionRow:
    """One saved version in the History tab."""

    version: int = 1
    title: str = ""
    when: str = ""
    author: str = ""
    is_current: bool = False
    is_active: bool = True


def version_row(version: VersionDTO, time_zone: str | None, authors: dict[int, str]) -> VersionRow:
    author = authors.get(version.created_by_user_id or 0, "") if version.created_by_user_id else ""
    return VersionRow(
        version=version.version,
        title=version.title,
        when=when(version.created_at, time_zone),
        author=author or ("Import or system" if version.created_by_user_id is None else "A former member"),
        is_current=version.is_current,
        is_active=version.is_active,
    )


@dataclasses.dataclass
class DiffLine:
    """One line of a text diff: kind is "add", "del", "hunk" or "same"."""

    kind: str = "same"
    text: str = ""


@dataclasses.dataclass
class DiffRow:
    """One field that changed between two versions."""

    field: str = ""
    label: str = ""
    is_text: bool = False
    lines: list[DiffLine] = dataclasses.field(default_factory=list)
    old: str = ""
    new: str = ""
    added: list[str] = dataclasses.field(default_factory=list)
    removed: list[str] = dataclasses.field(default_factory=list)


def _plain(field: str, value: Any) -> str:
    if field == "is_active":
        return "On" if value else "Off"
    if field == "entry_type":
        return TYPE_LABELS.get(str(value), str(value))
    if value in (None, ""):
        return "(none)"
    return str(value)


def _diff_lines(lines: list[str]) -> list[DiffLine]:
    out: list[DiffLine] = []
    for line in lines:
        if line.startswith(("---", "+++")):
            continue  # the file header: the page already says which versions are compared
        if line.startswith("@@"):
            out.append(DiffLine("hunk", "⋯"))
        elif line.startswith("+"):
            out.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            out.append(DiffLine("del", line[1:]))
        else:
            out.append(DiffLine("same", line[1:] if line.startswith(" ") else line))
    return out


def diff_row(diff: FieldDiff) -> DiffRow:
    row = DiffRow(field=diff.field, label=FIELD_LABELS.get(diff.field, diff.field))
    if diff.field == "keywords":
        old = [str(k) for k in diff.old or []]
        new = [str(k) for k in diff.new or []]
        row.added = [k for k in new if k not in old]
        row.removed = [k for k in old if k not in new]
        row.old, row.new = ", ".join(old) or "(none)", ", ".join(new) or "(none)"
        return row
    if diff.lines and diff.field == "content":  # a title is one line: old → new reads better
        row.is_text = True
        row.lines = _diff_lines(diff.lines)
    row.old, row.new = _plain(diff.field, diff.old), _plain(diff.field, diff.new)
    return row


FORM_FIELDS = ("title", "content", "entry_type", "category", "keywords", "priority", "is_active")


def field_errors(errors: list[RowError]) -> dict[str, str]:
    """The first problem of each field, as a sentence, keyed by the form field it belongs to."""
    out: dict[str, str] = {}
    for error in errors:
        name = error.field if error.field in FORM_FIELDS else "form"
        label = FIELD_LABELS.get(error.field, error.field)
        message = f"{label} {error.error}" if name != "form" else f"{error.field}: {error.error}"
        out.setdefault(name, sentence(message))
    return out
