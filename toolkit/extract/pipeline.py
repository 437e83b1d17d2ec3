"""Extraction, stage by stage: layout → running text → footnotes → markers → body → model."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from toolkit.extract.blocks import BodyBuilder
from toolkit.extract.footnotes import NoteDraft, find_footnotes
from toolkit.extract.textbuild import TextBuilder, Vocabulary
from toolkit.extract.layout import Layout
from toolkit.extract.metadata import opening_block, read_metadata
from toolkit.extract.pdf import read_layout, read_layout_bytes
from toolkit.extract.stats import measure
from toolkit.document import Document, ExtractionRecord, Footnote
from toolkit.extract.running import find_running
from toolkit.extract.structure import build_body, build_front, front_pages
from toolkit.runtime import gc_paused

log = logging.getLogger(__name__)


def extract(path: str | os.PathLike, *, languages: bool = True, citations: bool = True, langid: str = "lingua") -> Document:
    """Read a COI report PDF into the document model."""
    if languages:
        from toolkit.lang.identify import warm_up

        warm_up(langid, path)  # lingua's models load in a second process while the pages are read
    with gc_paused():
        layout = read_layout(Path(path))
    return layout_to_document(layout, languages=languages, citations=citations, langid=langid)


def extract_bytes(data: bytes, name: str, *, languages: bool = True, citations: bool = True,
                  langid: str = "lingua", label: str | None = None) -> Document:
    """Read a COI report PDF held in memory (``name``: its file name) into the document model.

    The same stages as :func:`extract`: a file and its bytes give the same document.
    ``label`` (default: ``name``) starts error messages, e.g. the path the bytes came from.
    """
    if languages:
        from toolkit.lang.identify import warm_up

        warm_up(langid)
    with gc_paused():
        layout = read_layout_bytes(data, name, label=label)
    return layout_to_document(layout, languages=languages, citations=citations, langid=langid)


def layout_to_document(layout: Layout, *, languages: bool, citations: bool, langid: str) -> Document:
    with gc_paused():
        doc = build_document(layout)
        if citations:
            from toolkit.enrich.citations import parse_citations

            parse_citations(doc)
        if languages:
            from toolkit.lang.tag import tag_languages

            tag_languages(doc, engine=langid)
    doc.extraction = extraction_record(languages=languages, citations=citations, langid=langid)
    return doc


# Distribution names of the language identifiers, for their versions.
LANGID_DISTRIBUTIONS = {"lingua": "lingua-language-detector", "langdetect": "langdetect"}


def extraction_record(*, languages: bool, citations: bool, langid: str) -> ExtractionRecord:
    """Which programs, in which versions, with which options made the model: for the TEI header."""
    from importlib import metadata

    from toolkit import __version__

    def version(distribution: str) -> str:
        try:
            return metadata.version(distribution)
        except metadata.PackageNotFoundError:
            return "unknown version"

    identifier = None
    if languages:
        distribution = LANGID_DISTRIBUTIONS.get(langid, langid)
        identifier = f"{distribution} {version(distribution)}"
    options = {
        "languages": "tagged" if languages else "untagged",
        "langid": langid if languages else "none",
        "citations": "parsed" if citations else "unparsed",
    }
    return ExtractionRecord(__version__, f"PyMuPDF {version('pymupdf')}", identifier, options)


def build_document(layout: Layout) -> Document:
    stats = measure(layout)
    running_keys, running = find_running(layout, stats)
    notes = find_footnotes(layout, stats, running_keys)
    body_lines = [
        line
        for page in layout.pages
        for line in page.lines
        if (page.number, line.index) not in running_keys and (page.number, line.index) not in notes.area_keys
    ]
    vocab = Vocabulary.of([line for page in layout.pages for line in page.lines])
    builder = BodyBuilder(stats, notes.links, vocab, layout.outline, len(layout.pages))
    front_count = front_pages(builder, body_lines)
    front = build_front(builder, [l for l in body_lines if l.page <= front_count]) if front_count else []
    if not front_count:
        # No title page: a title block above the text of page 1 is front matter all the same.
        opening = opening_block(stats, [[l for l in body_lines if l.page == 1]])
        if opening:
            front = build_front(builder, opening, page_breaks=False)
            taken = {id(l) for l in opening}
            body_lines = [l for l in body_lines if id(l) not in taken]
    blocks = build_body(builder, [l for l in body_lines if l.page > front_count], len(layout.pages), front_count + 1)
    doc = Document(source=layout.source, title="", front=front, blocks=blocks, running=running)
    for draft in notes.notes:
        note = Footnote(
            label=draft.label, content=note_content(vocab, draft), pages=draft.pages,
            anchored=draft.key in notes.links.anchored, key=draft.key,
        )
        doc.footnotes[note.key] = note
    doc.warnings.extend(notes.warnings)
    doc.notes_without_marker = [key for key, note in doc.footnotes.items() if not note.anchored]
    doc.markers_without_note = [label for _, label in notes.links.orphans]
    doc.note_problem_pages = sorted(notes.problem_pages)
    meta = read_metadata(layout, stats, running_keys, front_count, running, doc)
    doc.title, doc.date, doc.date_text, doc.publisher = meta.title, meta.date, meta.date_text, meta.publisher
    doc.metadata_evidence = meta.evidence
    for warning in doc.warnings:
        log.warning("%s: %s", layout.source.file_name, warning)
    return doc


def note_content(vocab: Vocabulary, draft: NoteDraft):
    builder = TextBuilder(vocab)
    for part in draft.parts:
        line = part.line
        first = True
        prev = None
        for si in range(part.span, len(line.spans)):
            span = line.spans[si]
            skip = part.skip if si == part.span else 0
            text = span.text[skip:]
            if first:
                if not text.strip():
                    continue
                builder.begin_line(line, text)
                first = False
            elif prev is not None:
                builder.separate(prev, span)
            builder.add_span(line, si, span, text=text if skip else None, skip=skip)
            prev = span
    return builder.build()
