"""Documents become entries split by headings and size, keep source and position, and re-import replaces."""

from __future__ import annotations

import httpx
import pytest

from engine.db import session_scope
from engine.knowledge import documents, service
from engine.knowledge import index as kindex
from engine.knowledge.types import KnowledgeError
from tests.factories import new_tenant

MANUAL_MD = b"""# Care guide

Intro line about caring for shoes.

## Suede

Brush suede when dry. Never soak it.

## Leather

Wipe leather with a damp cloth.

```
# not a heading inside code
```
"""


def tiny_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a Helvetica text layer, built by hand (no PDF writer needed in tests)."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    stream = "BT /F1 12 Tf 72 740 Td 16 TL " + " ".join(f"({esc(line)}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _tenant() -> int:
    with session_scope() as s:
        return new_tenant(s)


def test_markdown_is_split_by_headings_with_source_and_position() -> None:
    tenant = _tenant()
    with session_scope() as s:
        result = documents.import_document(s, tenant, data=MANUAL_MD, filename="care-guide.md")
    assert (result.kind, result.source, result.created) == ("markdown", "file:care-guide.md", 3)
    titles = [e.title for e in result.entries]
    assert titles == ["Care guide", "Care guide › Suede", "Care guide › Leather"]
    assert [e.source_position for e in result.entries] == [0, 1, 2]
    assert all(e.entry_type == "document" and e.source == "file:care-guide.md" for e in result.entries)
    assert "# not a heading" in result.entries[2].content
    with session_scope() as s:
        assert service.search(s, tenant, "suede brush").hits[0].entry.title == "Care guide › Suede"


def test_re_importing_a_source_updates_in_place_instead_of_duplicating() -> None:
    tenant = _tenant()
    with session_scope() as s:
        first = documents.import_document(s, tenant, data=MANUAL_MD, filename="care-guide.md")
    edited = MANUAL_MD.replace(b"Never soak it.", b"Never soak it; use a suede eraser.").split(b"## Leather")[
        0
    ]
    with session_scope() as s:
        again = documents.import_document(s, tenant, data=edited, filename="care-guide.md")
    assert (again.created, again.updated, again.unchanged, again.removed) == (0, 1, 1, 1)
    assert [e.id for e in again.entries] == [e.id for e in first.entries[:2]]
    with session_scope() as s:
        suede = service.get_entry(s, tenant, first.entries[1].id)
        assert suede.version == 2 and "eraser" in suede.content
        assert service.get_entry(s, tenant, first.entries[2].id).deleted
        assert service.list_entries(s, tenant).total == 2
        assert kindex.status(s, tenant).consistent
    with session_scope() as s:  # and back: the removed section returns, restored
        back = documents.import_document(s, tenant, data=MANUAL_MD, filename="care-guide.md")
    assert (back.created, back.updated) == (0, 2) and len(back.entries) == 3


def test_html_headings_split_and_scripts_and_navigation_are_dropped() -> None:
    page = b"""<!doctype html><html><head><title>Stride help</title><script>var x = 1;</script></head>
    <body><nav>Home | Shop</nav><h1>Delivery</h1><p>We deliver in <b>3 to 5</b> days.</p>
    <h2>Next day</h2><ul><li>Order by 2pm</li><li>Costs &pound;6.95</li></ul>
    <footer>(c) Stride</footer></body></html>"""
    sections = documents.extract_sections(page, "html", "help.html")
    assert [(s.title, s.content) for s in sections] == [
        ("Delivery", "We deliver in 3 to 5 days."),
        ("Delivery › Next day", "- Order by 2pm\n- Costs £6.95"),
    ]


def test_plain_text_headings_and_long_sections_split_by_size() -> None:
    long_para = " ".join(f"Sentence number {i} about returns and refunds." for i in range(120))
    text = f"RETURNS\n\n{long_para}\n\nExchanges:\n\nSwap sizes for free.".encode()
    sections = documents.extract_sections(text, "text", "policies.txt")
    assert sections[0].title.startswith("RETURNS (1/")
    assert all(len(s.content) <= documents.CHUNK_CHARS for s in sections)
    assert sections[-1] == documents.Section("RETURNS › Exchanges", "Swap sizes for free.", len(sections) - 1)
    assert [s.position for s in sections] == list(range(len(sections)))


def test_a_pdf_text_layer_is_imported_with_pypdf() -> None:
    pdf = tiny_pdf(["Returns Policy", "Unworn shoes can be returned within 30 days.", "Gift Cards",
                    "Gift cards are valid for 24 months."])  # fmt: skip
    assert documents.detect_kind("manual", None, pdf) == "pdf"
    tenant = _tenant()
    with session_scope() as s:
        result = documents.import_document(s, tenant, data=pdf, filename="manual.pdf")
    assert [(e.title, e.content) for e in result.entries] == [
        ("Returns Policy", "Unworn shoes can be returned within 30 days."),
        ("Gift Cards", "Gift cards are valid for 24 months."),
    ]
    with pytest.raises(KnowledgeError, match="cannot be read"), session_scope() as s:
        documents.import_document(s, tenant, data=b"%PDF-1.4 garbage", filename="bad.pdf")


def test_a_url_is_fetched_once_and_its_address_is_the_source() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        if request.url.path == "/moved":
            return httpx.Response(302, headers={"location": "http://10.0.0.1/"})
        if request.url.path == "/missing":
            return httpx.Response(404)
        return httpx.Response(
            200, text="# FAQ\n\n## Hours\n\nOpen 9 to 6.", headers={"content-type": "text/markdown"}
        )

    client = httpx.Client(transport=httpx.MockTransport(handler))
    tenant = _tenant()
    url = "https://help.stride.example/faq"
    with session_scope() as s:
        result = documents.import_document(s, tenant, url=url, http_client=client)
    assert calls == [url] and result.source == url and result.entries[0].title == "FAQ › Hours"
    for path, message in (("/missing", "answered 404"),):  # redirects: tests/security/test_outbound_fetch.py
        with pytest.raises(KnowledgeError, match=message), session_scope() as s:
            documents.import_document(s, tenant, url=f"https://help.stride.example{path}", http_client=client)


@pytest.mark.parametrize(
    ("url", "message"),
    [("http://127.0.0.1:8000/admin", "private network"), ("ftp://example.com/a.txt", "http:// or https://")],
)
def test_urls_into_our_own_network_or_other_schemes_are_refused(url: str, message: str) -> None:
    tenant = _tenant()
    with pytest.raises(KnowledgeError, match=message), session_scope() as s:
        documents.import_document(s, tenant, url=url)


def test_a_document_without_text_is_refused() -> None:
    with pytest.raises(KnowledgeError, match="no text"):
        documents.extract_sections(b"<html><script>x</script></html>", "html", "empty.html")
