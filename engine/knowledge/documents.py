"""Documents (PDF, Markdown, plain text, HTML) split into knowledge entries by headings and size.

Each entry keeps its `source` (file name or URL) and `source_position` (its order in the document).
Re-importing the same source updates those entries in place, position by position, so an edited manual
produces new versions of the sections that changed instead of a second copy of everything.

PDF text comes from pypdf (pure Python, no system libraries); HTML from the standard library's parser.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlparse

import httpx
from sqlmodel import Session

from engine.db import TenantScope
from engine.knowledge import index as kindex
from engine.knowledge.records import to_dto
from engine.knowledge.service import create_entries
from engine.knowledge.types import MAX_SOURCE, MAX_TITLE, EntryData, EntryDTO, KnowledgeError
from engine.models import KnowledgeEntry, KnowledgeEntryVersion, utcnow
from engine.security import outbound

MAX_DOCUMENT_BYTES = 15 * 1024 * 1024
MAX_SECTIONS = 2_000
CHUNK_CHARS = 1_500  # about 300 words: one idea per entry, and within small embedding models' window
MIN_CHUNK_CHARS = 200
KINDS = ("pdf", "markdown", "text", "html")


@dataclass(frozen=True)
class Section:
    title: str
    content: str
    position: int


@dataclass(frozen=True)
class DocumentImportResult:
    source: str
    kind: str
    created: int
    updated: int
    unchanged: int
    removed: int
    entries: list[EntryDTO] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "entry_ids": [e.id for e in self.entries],
        }


def detect_kind(filename: str | None, content_type: str | None = None, data: bytes = b"") -> str:
    name = (filename or "").lower().split("?", 1)[0]
    ctype = (content_type or "").lower()
    if name.endswith(".pdf") or "pdf" in ctype or data[:5] == b"%PDF-":
        return "pdf"
    if name.endswith((".md", ".markdown")) or "markdown" in ctype:
        return "markdown"
    if name.endswith((".html", ".htm")) or "html" in ctype:
        return "html"
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if name.endswith(".txt") or ctype.startswith("text/plain"):
        return "text"
    if re.search(rb"^#{1,6} \S", data[:4096], re.M):
        return "markdown"
    return "text"


# --- text extraction ----------------------------------------------------------------------------------------

Block = tuple[int, str]  # (heading level 1-6, or 0 for body text; text)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def markdown_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    lines = text.splitlines()
    in_code = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
            continue
        match = None if in_code else re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", stripped)
        if match:
            blocks.append((len(match.group(1)), match.group(2)))
            continue
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if not in_code and stripped and re.fullmatch(r"=+|-+", nxt) and len(nxt) >= 3:
            blocks.append((1 if nxt[0] == "=" else 2, stripped))  # setext heading
            continue
        if not in_code and re.fullmatch(r"=+|-+", stripped) and blocks and blocks[-1][0] > 0:
            continue
        blocks.append((0, line))
    return blocks


def text_blocks(text: str) -> list[Block]:
    """Plain text (and PDF text): a short line alone in its paragraph that looks like a title is a heading."""
    blocks: list[Block] = []
    for para in re.split(r"\n\s*\n", text):
        lines = [ln.rstrip() for ln in para.strip("\n").splitlines()]
        if not any(ln.strip() for ln in lines):
            continue
        first = lines[0].strip()
        looks_like_heading = (
            len(lines) == 1
            and 2 <= len(first) <= 80
            and not first.endswith((".", ",", ";", "?", "!"))
            and (
                first.isupper() or first.endswith(":") or re.match(r"^(\d+(\.\d+)*\.?|[IVX]+\.)\s+\S", first)
            )
        )
        if looks_like_heading or (len(lines) == 1 and 2 <= len(first) <= 60 and first.istitle()):
            level = 1 if first.isupper() else 2
            blocks.append((level, first.rstrip(":")))
        else:
            blocks.extend((0, ln) for ln in lines)
            blocks.append((0, ""))
    return blocks


def _heading_like(line: str) -> bool:
    words = line.split()
    return (
        2 <= len(line) <= 70
        and len(words) <= 9
        and not line.endswith((".", ",", ";", "?", "!", ":"))
        and bool(line.isupper() or line.istitle() or re.match(r"^(\d+(\.\d+)*\.?|[IVX]+\.)\s+[A-Z]", line))
    )


def pdf_blocks(text: str) -> list[Block]:
    """PDF text has no reliable blank lines: a short title-cased line of its own is taken as a heading."""
    blocks: list[Block] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            blocks.append((0, ""))
        elif _heading_like(line):
            blocks.append((1 if line.isupper() else 2, line))
        else:
            blocks.append((0, line))
    return blocks


class _HTMLBlocks(HTMLParser):
    SKIP = {"script", "style", "nav", "footer", "head", "noscript", "svg", "form", "button"}
    BREAK = {
        "p",
        "div",
        "li",
        "tr",
        "br",
        "section",
        "article",
        "ul",
        "ol",
        "table",
        "blockquote",
        "dd",
        "dt",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.title = ""
        self._skip = 0
        self._heading: int | None = None
        self._in_title = False
        self._text: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        self._text = []
        if not text:
            return
        if self._heading:
            self.blocks.append((self._heading, text))
        else:
            self.blocks.append((0, text))

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "title":
            self._in_title = True
        if tag in self.SKIP:
            self._skip += 1
            return
        if re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self._heading = int(tag[1])
        elif tag in self.BREAK:
            self._flush()
            if tag == "li":
                self._text.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self._heading = None
        elif tag in self.BREAK:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if self._skip:
            return
        self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_blocks(text: str) -> tuple[list[Block], str]:
    parser = _HTMLBlocks()
    parser.feed(text)
    parser.close()
    return parser.blocks, " ".join(parser.title.split())


def pdf_text(data: bytes) -> str:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - pypdf is a dependency
        raise KnowledgeError("PDF import needs the pypdf package") from exc
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:
                raise KnowledgeError("this PDF is password-protected") from exc
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as exc:
        raise KnowledgeError(f"this PDF cannot be read: {exc}") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise KnowledgeError("this PDF has no text layer (a scan?): nothing to import")
    return text


# --- sections -----------------------------------------------------------------------------------------------


def _split_size(text: str, limit: int = CHUNK_CHARS) -> list[str]:
    """Paragraph-aligned chunks of at most `limit` characters (sentences split only when one is too long)."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    pieces: list[str] = []
    for para in paragraphs:
        if len(para) <= limit:
            pieces.append(para)
            continue
        sentences = re.split(r"(?<=[.!?])\s+", para)
        current = ""
        for sentence in sentences:
            while len(sentence) > limit:
                pieces.append(sentence[:limit])
                sentence = sentence[limit:]
            if current and len(current) + 1 + len(sentence) > limit:
                pieces.append(current)
                current = sentence
            else:
                current = f"{current} {sentence}".strip()
        if current:
            pieces.append(current)
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        if current and len(current) + 2 + len(piece) > limit:
            chunks.append(current)
            current = piece
        else:
            current = f"{current}\n\n{piece}" if current else piece
    if current:
        if chunks and len(current) < MIN_CHUNK_CHARS and len(chunks[-1]) + 2 + len(current) <= limit * 1.2:
            chunks[-1] = f"{chunks[-1]}\n\n{current}"
        else:
            chunks.append(current)
    return chunks


def sections_from_blocks(blocks: list[Block], document_title: str) -> list[Section]:
    """Group body text under the nearest headings; each heading path becomes the entry title."""
    path: list[tuple[int, str]] = []
    groups: list[tuple[str, list[str]]] = []
    body: list[str] = []

    def heading_title() -> str:
        return " › ".join(t for _, t in path) if path else document_title

    def close() -> None:
        text = "\n".join(body).strip()
        if text:
            groups.append((heading_title(), body.copy()))
        body.clear()

    for level, text in blocks:
        if level:
            close()
            path[:] = [(lv, t) for lv, t in path if lv < level]
            path.append((level, text.strip()))
        else:
            body.append(text)
    close()
    sections: list[Section] = []
    for title, lines in groups:
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
        chunks = _split_size(text)
        for n, chunk in enumerate(chunks, start=1):
            label = title if len(chunks) == 1 else f"{title} ({n}/{len(chunks)})"
            if len(label) > MAX_TITLE:
                label = label[: MAX_TITLE - 1] + "…"
            sections.append(Section(title=label, content=chunk, position=len(sections)))
    return sections[:MAX_SECTIONS]


def extract_sections(data: bytes, kind: str, name: str) -> list[Section]:
    """The entries a document becomes, in order; KnowledgeError when there is no usable text."""
    if kind not in KINDS:
        raise KnowledgeError(f"document type must be one of {', '.join(KINDS)}")
    title = re.sub(r"[_-]+", " ", re.sub(r"\.[a-z0-9]+$", "", name.rsplit("/", 1)[-1], flags=re.I)).strip()
    title = title or "Document"
    if kind == "pdf":
        blocks = pdf_blocks(pdf_text(data))
    elif kind == "markdown":
        blocks = markdown_blocks(_decode(data))
    elif kind == "html":
        blocks, html_title = html_blocks(_decode(data))
        title = html_title or title
    else:
        blocks = text_blocks(_decode(data))
    sections = sections_from_blocks(blocks, title[:MAX_TITLE])
    if not sections:
        raise KnowledgeError("no text found in this document")
    return sections


# --- fetching a URL once ------------------------------------------------------------------------------------


def fetch_url(
    url: str,
    *,
    client: httpx.Client | None = None,
    check_host: bool = True,
    resolve: outbound.Resolver = outbound.system_resolver,
) -> tuple[bytes, str]:
    """The document at `url` (body, content type), fetched once with a size cap.

    The server fetches what a tenant typed, so never our own network (SSRF): the host is resolved once, every
    address must be public, and the connection is pinned to it; each redirect is checked the same way
    (engine.security.outbound). `check_host=False` only for a test client that never touches the network.
    """
    own = client is None
    http = client or httpx.Client(timeout=20.0, follow_redirects=False)
    try:
        fetched = outbound.fetch_public(
            url.strip(),
            client=http,
            max_bytes=MAX_DOCUMENT_BYTES,
            headers={"Accept": "text/html, text/markdown, text/plain, application/pdf"},
            resolve=resolve,
            check=check_host,
        )
    except (outbound.OutboundRefused, outbound.OutboundFailed) as exc:
        raise KnowledgeError(str(exc)) from exc
    finally:
        if own:
            http.close()
    return fetched.body, fetched.content_type


# --- import -------------------------------------------------------------------------------------------------


def import_document(
    session: Session,
    tenant_id: int,
    *,
    data: bytes | None = None,
    filename: str | None = None,
    url: str | None = None,
    content_type: str | None = None,
    kind: str | None = None,
    entry_type: str = "document",
    category: str | None = None,
    user_id: int | None = None,
    http_client: httpx.Client | None = None,
) -> DocumentImportResult:
    """Split a document into entries; the same source imported again updates its entries in place."""
    if (data is None) == (url is None):
        raise KnowledgeError("give either a file or a URL")
    if url is not None:
        data, content_type = fetch_url(url, client=http_client, check_host=http_client is None)
        source = url.strip()
        name = urlparse(source).path or source
    else:
        assert data is not None
        if not filename:
            raise KnowledgeError("an uploaded document needs its file name")
        if len(data) > MAX_DOCUMENT_BYTES:
            raise KnowledgeError(f"the document is larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB")
        source = f"file:{filename.strip()}"
        name = filename
    if len(source) > MAX_SOURCE:
        raise KnowledgeError(f"the source name must be at most {MAX_SOURCE} characters")
    kind = kind or detect_kind(name, content_type, data)
    # Stored the way the service stores categories, so the list filter finds them.
    category = " ".join(category.split()).lower() or None if category else None
    sections = extract_sections(data, kind, name)
    items = [
        EntryData(title=s.title, content=s.content, entry_type=entry_type, category=category, keywords=[])
        for s in sections
    ]
    return _replace_source(session, tenant_id, source, kind, items, user_id)


def _replace_source(
    session: Session, tenant_id: int, source: str, kind: str, items: list[EntryData], user_id: int | None
) -> DocumentImportResult:
    scope = TenantScope(session, tenant_id)
    existing = scope.all(KnowledgeEntry, KnowledgeEntry.source == source)
    by_position: dict[int, KnowledgeEntry] = {}
    for row in sorted(existing, key=lambda r: (r.deleted_at is not None, r.id or 0)):
        if row.source_position is not None:
            by_position.setdefault(row.source_position, row)
    now = utcnow()
    touched: list[KnowledgeEntry] = []
    new_items: list[EntryData] = []
    new_positions: list[int] = []
    updated = unchanged = 0
    for position, item in enumerate(items):
        row = by_position.pop(position, None)
        if row is None:
            new_items.append(item)
            new_positions.append(position)
            continue
        same = (
            row.title == item.title
            and row.content == item.content
            and row.entry_type == item.entry_type
            and row.category == item.category
            and row.deleted_at is None
        )
        if same:
            unchanged += 1
            continue
        row.title, row.content, row.entry_type, row.category = (
            item.title,
            item.content,
            item.entry_type,
            item.category,
        )
        row.deleted_at = None
        row.version += 1
        row.updated_at = now
        session.add(row)
        touched.append(row)
        updated += 1
    removed = 0
    for row in by_position.values():  # sections that are no longer in the document
        if row.deleted_at is None:
            row.deleted_at, row.updated_at = now, now
            session.add(row)
            touched.append(row)
            removed += 1
    session.flush()
    for row in touched:
        if row.deleted_at is None:
            scope.session.add(
                KnowledgeEntryVersion(
                    tenant_id=tenant_id,
                    entry_id=row.id,  # type: ignore[arg-type]
                    version=row.version,
                    entry_type=row.entry_type,
                    title=row.title,
                    content=row.content,
                    keywords=list(row.keywords),
                    category=row.category,
                    priority=row.priority,
                    is_active=row.is_active,
                    created_by_user_id=user_id,
                )
            )
    session.flush()
    if touched:
        kindex.write_entries(session, tenant_id, [to_dto(r) for r in touched])
    created = create_entries(
        session,
        tenant_id,
        new_items,
        user_id=user_id,
        sources=[(source, p) for p in new_positions],
        audit_action=None,
    )
    live = scope.all(KnowledgeEntry, KnowledgeEntry.source == source, KnowledgeEntry.deleted_at.is_(None))  # type: ignore[union-attr]
    entries = sorted((to_dto(r) for r in live), key=lambda e: e.source_position or 0)
    return DocumentImportResult(
        source=source,
        kind=kind,
        created=len(created),
        updated=updated,
        unchanged=unchanged,
        removed=removed,
        entries=entries,
    )
