"""Extraction against ground truth: generated reports in every layout style, and word-processor PDFs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from toolkit.extract.pipeline import extract
from toolkit.document import (
    Bibliography,
    Division,
    ItemList,
    Paragraph,
    Span,
    Table,
    iter_blocks,
    iter_divisions,
    plain_text,
)
from notes import anchors, numbered
from toolkit.sample import BASE_STYLES
from toolkit.tei import document_to_tei, serialize, validate_tei

PDFS = Path(__file__).parent / "pdfs"
WORD_PROCESSOR = sorted(p.name[: -len(".truth.json")] for p in PDFS.glob("*.truth.json"))


def norm(text: str) -> str:
    return " ".join(text.split())


def text_before_anchors(doc) -> dict[int, str]:
    """For each note, the body text right before its anchor."""
    return {doc.footnotes[key].number: before for key, before in anchors(doc)}


def refs(doc) -> list[tuple[str, str, int | None]]:
    out = []

    def walk(content, note):
        for node in content:
            if isinstance(node, Span):
                if node.kind == "ref":
                    out.append((node.attrs["target"], norm(plain_text(node.children)), note))
                walk(node.children, note)

    for note in doc.footnotes.values():
        walk(note.content, note.number)
    for block in iter_blocks(doc.blocks):
        if isinstance(block, Paragraph):
            walk(block.content, None)
        elif isinstance(block, ItemList):
            for item in block.items:
                walk(item.content, None)
    return out


def body_text(doc, annex: bool = True) -> str:
    parts = []
    for block in iter_blocks(doc.blocks):
        if isinstance(block, Paragraph):
            parts.append(plain_text(block.content))
        elif isinstance(block, Division):
            parts.append(plain_text(block.head))
        elif isinstance(block, ItemList):
            parts.extend(plain_text(i.content) for i in block.items)
        elif isinstance(block, Bibliography) and annex:
            parts.extend(plain_text(e.content) for e in block.entries)
    return "\n".join(parts)


STYLE_NAMES = sorted(BASE_STYLES)  # the other styles: tests/test_extract_layouts.py


@pytest.mark.parametrize("style", STYLE_NAMES)
def test_every_footnote_exactly(extracted, style):
    doc, truth, _ = extracted(style)
    assert sorted(numbered(doc)) == sorted(int(n) for n in truth.footnotes)
    wrong = {n: norm(plain_text(numbered(doc)[int(n)].content)) for n, t in truth.footnotes.items() if norm(plain_text(numbered(doc)[int(n)].content)) != norm(t)}
    assert wrong == {}
    assert doc.notes_without_marker == [] and doc.markers_without_note == []


@pytest.mark.parametrize("style", STYLE_NAMES)
def test_continued_footnotes_are_one_note_over_two_pages(extracted, style):
    doc, truth, _ = extracted(style)
    assert truth.continued_notes, "the fixture must contain notes that continue on the next page"
    for n in truth.continued_notes:
        assert len(numbered(doc)[n].pages) == 2, n


@pytest.mark.parametrize("style", STYLE_NAMES)
def test_every_marker_at_its_place(extracted, style):
    doc, truth, _ = extracted(style)
    before = text_before_anchors(doc)
    assert set(before) == {int(n) for n in truth.markers}
    for n, want in truth.markers.items():
        assert before[int(n)].endswith(norm(want).rstrip()), (n, want, before[int(n)][-60:])


@pytest.mark.parametrize("style", STYLE_NAMES)
def test_non_markers_stay_text(extracted, style):
    doc, truth, _ = extracted(style)
    body = norm(body_text(doc))
    assert truth.non_markers
    for item in truth.non_markers:
        assert norm(item) in body, item


@pytest.mark.parametrize("style", STYLE_NAMES)
def test_no_running_text_and_no_footnote_text_in_body(extracted, style):
    doc, truth, _ = extracted(style)
    body = body_text(doc)
    assert truth.header_text not in body
    assert not re.search(r"Pagina \d+ van \d+", body)
    assert {r.kind for r in doc.running} >= {"header"}
    assert len([r for r in doc.running if r.kind == "header"]) >= truth.page_count - 2
    flat = norm(body_text(doc, annex=False))  # the sources annex repeats cited titles
    for n, text in truth.footnotes.items():
        if len(text) > 60:
            assert norm(text)[20:60] not in flat, n


@pytest.mark.parametrize("style", STYLE_NAMES)
def test_paragraphs_joined_across_lines_pages_and_hyphens(extracted, style):
    doc, truth, _ = extracted(style)
    paragraphs = {norm(plain_text(b.content)) for b in iter_blocks(doc.blocks) if isinstance(b, Paragraph)}
    missing = [p for p in truth.paragraphs if norm(p) not in paragraphs]
    assert missing == []


@pytest.mark.parametrize("style", STYLE_NAMES)
def test_headings_nested_by_level(extracted, style):
    doc, truth, _ = extracted(style)
    got = [(d.level, d.n, norm(plain_text(d.head))) for d in iter_divisions(doc.blocks)]
    assert [(n, t) for _, n, t in got] == [(n, t) for _, n, t in truth.headings]
    for (level, number, _), (want_level, _, text) in zip(got, truth.headings):
        if number is not None or want_level == 1:
            assert level == want_level, text
    # An unnumbered sub-heading opens a division one level below the division it stands in.
    def check(blocks, parent_level):
        for block in blocks:
            if isinstance(block, Division):
                if block.n is None and block.kind == "subsection":
                    assert block.level == parent_level + 1
                check(block.blocks, block.level)

    check(doc.blocks, 0)
    for division in iter_divisions(doc.blocks):
        for child in division.blocks:
            if isinstance(child, Division):
                assert child.level > division.level
                if child.n and division.n:
                    assert child.n.startswith(division.n + ".")


@pytest.mark.parametrize("style", STYLE_NAMES)
def test_links_cover_exactly_their_text_in_the_right_note(extracted, style):
    doc, truth, _ = extracted(style)
    found = refs(doc)
    for link in truth.links:
        assert (link["uri"], norm(link["text"]), link["note"]) in found, link
    for printed in truth.printed_urls:
        assert any(t == printed["url"] and n == printed["note"] for t, _, n in found), printed


@pytest.mark.parametrize("style", STYLE_NAMES)
def test_lists_captions_and_annex(extracted, style):
    doc, truth, _ = extracted(style)
    items = [norm(plain_text(i.content)) for b in iter_blocks(doc.blocks) if isinstance(b, ItemList) and b.type == "bulleted" for i in b.items]
    assert [norm(b) for b in truth.bullets] == items
    captions = [norm(plain_text(b.content)) for b in iter_blocks(doc.blocks) if isinstance(b, Paragraph) and b.rend == "caption"]
    assert [norm(c) for c in truth.captions] == captions
    gloss = [(norm(plain_text(i.label or [])), norm(plain_text(i.content))) for b in iter_blocks(doc.blocks) if isinstance(b, ItemList) and b.type == "gloss" for i in b.items]
    assert gloss == [(norm(a), norm(b)) for a, b in truth.abbreviations]
    entries = [norm(plain_text(e.content)) for b in iter_blocks(doc.blocks) if isinstance(b, Bibliography) for e in b.entries]
    assert entries == [norm(s) for s in truth.annex_sources]


@pytest.mark.parametrize("style", STYLE_NAMES)
def test_tei_is_valid_with_every_note_inline(extracted, style):
    doc, truth, _ = extracted(style)
    tree = document_to_tei(doc)
    assert validate_tei(tree) == []
    xml = serialize(tree).decode()
    assert xml.count('<note place="foot"') == len(truth.footnotes)
    assert '<pb n="%d"/>' % truth.page_count in xml


_WORD_PROCESSOR_DOCS: dict = {}


def word_processor(name: str):
    """(document, truth) of a LibreOffice PDF, extracted once per test session."""
    if name not in _WORD_PROCESSOR_DOCS:
        truth = json.loads((PDFS / f"{name}.truth.json").read_text())
        _WORD_PROCESSOR_DOCS[name] = (extract(PDFS / f"{name}.pdf", languages=False, citations=False), truth)
    return _WORD_PROCESSOR_DOCS[name]


# LibreOffice output: real footnotes, separator line, hyperlinks, justified and hyphenated text.
# One test per aspect, so that one failure does not hide the others.


@pytest.mark.parametrize("name", WORD_PROCESSOR)
def test_word_processor_notes_exactly(name):
    doc, truth = word_processor(name)
    notes = {f.label: norm(plain_text(f.content)) for f in doc.footnotes.values()}
    assert notes == {n: norm(t) for n, t in truth["footnotes"].items()}
    for n in truth["continued_notes"]:
        assert len(numbered(doc)[int(n)].pages) == 2
    if "first_note" in truth:
        assert min(numbered(doc)) == truth["first_note"]


@pytest.mark.parametrize("name", WORD_PROCESSOR)
def test_word_processor_markers_at_their_place(name):
    doc, truth = word_processor(name)
    before = text_before_anchors(doc)
    for n, want in truth["markers"].items():
        assert before[int(n)].endswith(norm(want)), (n, want, before[int(n)][-50:])


@pytest.mark.parametrize("name", WORD_PROCESSOR)
def test_word_processor_paragraphs_and_list_items(name):
    doc, truth = word_processor(name)
    paragraphs = {norm(plain_text(b.content)) for b in iter_blocks(doc.blocks) if isinstance(b, Paragraph)}
    items = {norm(plain_text(i.content)) for b in iter_blocks(doc.blocks) if isinstance(b, ItemList) for i in b.items}
    for p in truth["paragraphs"]:
        assert norm(p["text"]) in (items if p["kind"] == "item" else paragraphs), p
    ordered = [b for b in iter_blocks(doc.blocks) if isinstance(b, ItemList) and b.type == "ordered"]
    for block in ordered:
        assert [plain_text(i.label) for i in block.items] == [f"{k})" for k in range(1, len(block.items) + 1)]


@pytest.mark.parametrize("name", WORD_PROCESSOR)
def test_word_processor_headings(name):
    doc, truth = word_processor(name)
    heads = [[d.level, d.n, norm(plain_text(d.head))] for d in iter_divisions(doc.blocks)]
    assert heads == truth["headings"]


@pytest.mark.parametrize("name", WORD_PROCESSOR)
def test_word_processor_links(name):
    doc, truth = word_processor(name)
    found = refs(doc)
    for link in truth["links"]:
        assert (link["uri"], norm(link["text"]), link["note"]) in found, link


@pytest.mark.parametrize("name", WORD_PROCESSOR)
def test_word_processor_running_header_not_in_body(name):
    doc, truth = word_processor(name)
    assert truth["header"] not in body_text(doc)


@pytest.mark.parametrize("name", WORD_PROCESSOR)
def test_word_processor_tables_contents_and_cover(name):
    doc, truth = word_processor(name)
    flat = norm(body_text(doc))
    if truth.get("table_cells"):  # the table comes out as rows of cells, exactly as printed
        tables = [[[norm(plain_text(c)) for c in row] for row in b.rows] for b in iter_blocks(doc.blocks) if isinstance(b, Table)]
        assert [[norm(c) for c in row] for row in truth["table_cells"]] in tables
    contents = [norm(plain_text(i.content)) for b in iter_blocks(doc.front + doc.blocks) if isinstance(b, ItemList) and b.type == "contents" for i in b.items]
    for _, number, title, page in truth.get("toc", []):
        assert any(line.startswith(f"{number} {title}") and line.endswith(str(page)) for line in contents), title
    for cover_line in truth.get("cover", []):
        assert any(norm(plain_text(b.content)) == norm(cover_line) for b in doc.front if isinstance(b, Paragraph))
        assert norm(cover_line) not in flat


@pytest.mark.parametrize("name", WORD_PROCESSOR)
def test_word_processor_tei_is_valid(name):
    doc, _ = word_processor(name)
    assert validate_tei(document_to_tei(doc)) == []


def test_extract_with_languages_and_citations_is_valid(make_report):
    path, truth = make_report("default")
    doc = extract(path)
    tree = document_to_tei(doc)
    assert validate_tei(tree) == []
    assert set(doc.language_shares) >= {"nl", "ru"}
    xml = serialize(tree).decode()
    assert 'xml:lang="ru"' in xml and "<bibl" in xml
    # The notes still read exactly as printed.
    for n, text in truth.footnotes.items():
        assert norm(plain_text(numbered(doc)[int(n)].content)) == norm(text)
