"""Document structure and metadata on word-processor PDFs (tests/pdfs/lo-structure-*) and generated reports.

What an archivist needs: every heading at its level and in its place in the tree, the
contents page as a contents list, the sources annex as one bibl per entry, the
abbreviations as a gloss list, and the report's title, date and publisher in the header.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from toolkit.dates import normalise_date
from toolkit.document import Bibliography, Division, ItemList, NoteAnchor, iter_blocks, iter_divisions, plain_text
from toolkit.extract.pdf import read_layout
from toolkit.extract.pipeline import extract
from toolkit.tei import T, document_to_tei, validate_tei

PDFS = Path(__file__).parent / "pdfs"
STRUCTURE = sorted(p.name[: -len(".structure.json")] for p in PDFS.glob("*.structure.json"))
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

_DOCS: dict = {}


def structured(name: str):
    """(document, truth) of a structure fixture, extracted once per session (citations parsed)."""
    if name not in _DOCS:
        truth = json.loads((PDFS / f"{name}.structure.json").read_text(encoding="utf-8"))
        _DOCS[name] = (extract(PDFS / f"{name}.pdf", languages=False), truth)
    return _DOCS[name]


def norm(text: str) -> str:
    return " ".join(text.split())


def heading_tree(blocks, depth: int = 0) -> list[tuple[int, int, str | None, str]]:
    """(depth in the tree, level, number, text) of every division, depth first."""
    out = []
    for block in blocks:
        if isinstance(block, Division):
            out.append((depth, block.level, block.n, norm(plain_text(block.head))))
            out.extend(heading_tree(block.blocks, depth + 1))
    return out


def test_fixtures_are_there():
    assert STRUCTURE == ["lo-structure-bookmarks", "lo-structure-lawreview", "lo-structure-plain"]


@pytest.mark.parametrize("name", STRUCTURE)
def test_every_heading_at_its_level(name):
    doc, truth = structured(name)
    heads = [[d.level, d.n, norm(plain_text(d.head))] for d in iter_divisions(doc.blocks)]
    assert heads == truth["headings"]


@pytest.mark.parametrize("name", STRUCTURE)
def test_headings_nest_one_below_the_other(name):
    """Each division holds exactly the headings of deeper levels after it: the tree is the
    one the levels describe (an unnumbered sub-heading under the numbered one it follows)."""
    doc, truth = structured(name)
    expected, stack = [], []
    for level, number, text in truth["headings"]:
        while stack and stack[-1] >= level:
            stack.pop()
        expected.append((len(stack), level, number, text))
        stack.append(level)
    assert heading_tree(doc.blocks) == expected
    for division in iter_divisions(doc.blocks):
        assert division.kind == ("chapter" if division.level == 1 else "section" if division.n else "subsection")


def test_bookmarks_and_style_give_the_same_tree():
    """The same report with and without bookmarks: the bookmarks were read, and the headings
    come out the same either way."""
    with_bookmarks, _ = structured("lo-structure-bookmarks")
    without, _ = structured("lo-structure-plain")
    assert read_layout(PDFS / "lo-structure-bookmarks.pdf").outline[:3] == [
        (1, "Inleiding", 3), (1, "1 Militaire dienst", 3), (2, "1.1 Dienstplicht", 3)]
    assert read_layout(PDFS / "lo-structure-plain.pdf").outline == []
    assert heading_tree(with_bookmarks.blocks) == heading_tree(without.blocks)


@pytest.mark.parametrize("name", STRUCTURE)
def test_a_marker_on_a_heading_stays_a_note_anchor(name):
    doc, truth = structured(name)
    assert truth["heading_notes"]
    for text in truth["heading_notes"]:
        [division] = [d for d in iter_divisions(doc.blocks) if norm(plain_text(d.head)).casefold() == text.casefold()]
        anchors = [n for n in division.head if isinstance(n, NoteAnchor)]
        assert len(anchors) == 1
        assert doc.footnotes[anchors[0].key].anchored
        assert not re.search(r"\d$", plain_text(division.head))


@pytest.mark.parametrize("name", STRUCTURE)
def test_contents_page_is_a_contents_list_not_headings(name):
    doc, truth = structured(name)
    lists = [b for b in iter_blocks(doc.front + doc.blocks) if isinstance(b, ItemList) and b.type == "contents"]
    assert len(lists) == 1
    [contents] = lists
    assert norm(plain_text(contents.head or [])) in ("Inhoudsopgave", "Table of Contents")
    items = [norm(plain_text(item.content)) for item in contents.items]
    assert len(items) == len(truth["contents"])
    for item, (number, text, page) in zip(items, truth["contents"]):
        assert item.startswith(f"{number} {text}".strip()) and item.endswith(str(page)), item
        assert "...." in item  # the dot leaders, as printed
    for division in iter_divisions(doc.blocks):  # no contents line became a heading
        assert not re.search(r"\.{3}|\s\d+$", plain_text(division.head))


@pytest.mark.parametrize("name", [n for n in STRUCTURE if n != "lo-structure-lawreview"])
def test_sources_annex_without_a_sources_heading_is_one_bibl_per_entry(name):
    doc, truth = structured(name)
    [annex] = [d for d in iter_divisions(doc.blocks) if d.n == "3.1"]
    assert plain_text(annex.head) == "Overzicht van gebruikte documenten"  # says nothing about sources
    groups = [b for b in annex.blocks if isinstance(b, Bibliography)]
    got = [[norm(plain_text(b.head)), [norm(plain_text(e.content)) for e in b.entries]] for b in groups]
    assert got == truth["sources"]
    assert sum(len(b.entries) for b in groups) == 31
    assert not [b for b in iter_blocks(annex.blocks) if isinstance(b, ItemList)]
    # Every entry is one parsed citation: its title and date found.
    entries = [e for b in groups for e in b.entries]
    for entry, printed in zip(entries, [e for _, es in truth["sources"] for e in es]):
        [bibl] = entry.content
        assert bibl.kind == "bibl"
        dates = [s for s in bibl.children if getattr(s, "kind", None) == "date"]
        assert [d.attrs["when"] for d in dates] == [normalise_date(printed.rstrip(".;").rsplit(", ", 1)[1])]


def printed_on(pdf: Path, texts: list[str]) -> list[int]:
    """The page each text starts on in the PDF, found in order."""
    import pymupdf

    with pymupdf.open(pdf) as source:
        pages = [re.sub(r"\W+", "", page.get_text()).casefold() for page in source]
    out, page = [], 0
    for text in texts:
        key = re.sub(r"\W+", "", text).casefold()[:30]
        while key not in pages[page]:
            page += 1
        out.append(page + 1)
    return out


@pytest.mark.parametrize("name", [n for n in STRUCTURE if n != "lo-structure-lawreview"])
def test_sources_annex_over_pages_keeps_its_page_starts(name):
    """In the TEI every entry stands after the <pb/> of the page it is printed on, also where
    a page starts inside a publisher's list."""
    doc, truth = structured(name)
    root = document_to_tei(doc).getroot()
    page, seen = 0, []
    for node in root.find(f"{T}text").iter(T + "pb", T + "bibl"):
        if node.tag == T + "pb":
            page = int(node.get("n"))
        elif node.getparent().tag == T + "listBibl":
            seen.append(page)
    entries = [e for _, es in truth["sources"] for e in es]
    want = printed_on(PDFS / f"{name}.pdf", entries)
    assert len(set(want)) >= 2  # the annex runs over pages
    assert seen == want
    inside = [pb for listing in root.iter(T + "listBibl") for pb in listing.iter(T + "pb")]
    assert inside or name == "lo-structure-bookmarks"  # where a list runs on, the page starts inside it


@pytest.mark.parametrize("name", [n for n in STRUCTURE if n != "lo-structure-lawreview"])
def test_abbreviations_without_tabs_are_a_gloss_list(name):
    doc, truth = structured(name)
    [gloss] = [b for b in iter_blocks(doc.blocks) if isinstance(b, ItemList) and b.type == "gloss"]
    got = [[norm(plain_text(i.label or [])), norm(plain_text(i.content))] for i in gloss.items]
    assert got == truth["abbreviations"]


@pytest.mark.parametrize("name", STRUCTURE)
def test_title_date_and_publisher_in_the_header(name):
    doc, truth = structured(name)
    root = document_to_tei(doc).getroot()
    assert root.findtext(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title") == truth["title"]
    pub = root.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt")
    assert pub.findtext(f"{T}publisher") == truth["publisher"]
    [date] = pub.findall(f"{T}date")
    assert (date.get("type"), date.get("when"), date.text) == ("published", truth["date"], truth["date_text"])
    evidence = root.findtext(f".//{T}notesStmt/{T}note[@type='metadataEvidence']")
    assert "Title from the cover page" in evidence


def test_title_from_the_cover_not_from_the_metadata_or_the_headings():
    doc, truth = structured("lo-structure-plain")
    assert doc.source.pdf_title is None and truth["title"] == doc.title  # two lines of the cover, joined
    assert doc.metadata_evidence == {"title": "cover page", "publisher": "colophon", "date": "cover page"}
    doc, _ = structured("lo-structure-bookmarks")
    assert doc.metadata_evidence["publisher"] == "cover page"


@pytest.mark.parametrize("name", STRUCTURE)
def test_extraction_recorded_and_tei_valid(name):
    doc, _ = structured(name)
    tree = document_to_tei(doc)
    assert validate_tei(tree) == []
    resp = tree.getroot().find(f".//{T}titleStmt/{T}respStmt[@{XML_ID}='coitool-extraction']")
    names = {n.get("type"): n.text for n in resp.findall(f"{T}name")}
    assert names["tool"].startswith("coitool ") and names["pdfLibrary"].startswith("PyMuPDF ")
    assert "languageIdentifier" not in names  # extracted without language tagging
    assert resp.findtext(f"{T}note[@type='options']") == "Options: languages=untagged, langid=none, citations=parsed."
    pi = tree.getroot().getprevious()
    assert pi is not None and pi.target == "xml-model" and "tei_all.rng" in pi.text


def test_generated_report_title_date_and_publisher(extracted):
    doc, truth, _ = extracted("default")
    assert doc.title == truth.title
    assert (doc.date, doc.date_text) == ("2025-03-03", truth.date)
    assert doc.publisher == "Ministerie van Buitenlandse Zaken"
    assert doc.metadata_evidence == {"title": "cover page", "publisher": "cover page", "date": "cover page"}


def test_the_language_identifier_is_named_when_languages_are_tagged():
    from importlib import metadata

    from toolkit.document import Document, SourceInfo
    from toolkit.extract.pipeline import extraction_record

    record = extraction_record(languages=True, citations=True, langid="langdetect")
    assert record.language_identifier == f"langdetect {metadata.version('langdetect')}"
    assert record.pdf_library == f"PyMuPDF {metadata.version('pymupdf')}"
    doc = Document(source=SourceInfo("r.pdf", "0" * 64, 1, 10), title="R", extraction=record)
    tree = document_to_tei(doc)
    assert validate_tei(tree) == []
    resp = tree.getroot().find(f".//{T}respStmt[@{XML_ID}='coitool-extraction']")
    assert resp.findtext(f"{T}name[@type='languageIdentifier']") == record.language_identifier
    assert resp.findtext(f"{T}note[@type='options']") == "Options: languages=tagged, langid=langdetect, citations=parsed."
    apps = {a.get("ident"): a.get("version") for a in tree.getroot().iter(T + "application")}
    assert apps["langdetect"] == metadata.version("langdetect") and apps["PyMuPDF"] == metadata.version("pymupdf")
