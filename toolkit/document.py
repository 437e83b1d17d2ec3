"""The document model: what a COI report *is*, independent of PDF and of TEI.

Layout analysis produces it, later stages (language tagging, citation parsing,
translation) enrich it, and the writers (TEI, JSON) serialise it. Nothing here
knows about PyMuPDF or lxml.

Inline content is a list of :data:`Inline` nodes: plain :class:`Text`, a
:class:`Span` (a typed, possibly nested, run such as a link, a citation, a
title or a foreign-language phrase), a :class:`NoteAnchor` (where a footnote
sits) or a :class:`PageBreak`.  A stage that adds structure replaces Text nodes
by Spans around the same characters, so the text content never changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Union

# Kinds of Span.  Each maps onto one TEI element (see toolkit.tei).
SPAN_KINDS = frozenset(
    {
        "ref",  # link: attrs["target"]
        "bibl",  # one citation inside a footnote or an annex entry
        "title",  # attrs: level ("a"/"m"/"j"), type ("translated")
        "orgName",
        "author",
        "date",  # attrs: when (ISO 8601)
        "citedRange",  # attrs: unit ("page")
        "textLang",  # attrs: mainLang, marks "(RU)"
        "foreign",  # a phrase in another language, lang set
        "seg",  # a sentence or other fragment that carries its own lang
        "term",  # glossary term: attrs["ref"]
        "hi",  # typographic highlight: attrs["rend"] ("bold", "italic")
    }
)


@dataclass
class Text:
    text: str


@dataclass
class Span:
    kind: str
    children: list["Inline"] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    lang: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in SPAN_KINDS:
            raise ValueError(f"unknown span kind {self.kind!r}")


@dataclass
class NoteAnchor:
    """The place of footnote ``n`` in the running text (the printed marker is dropped)."""

    n: int


@dataclass
class PageBreak:
    """Page ``n`` starts here (1-based physical page number)."""

    n: int


Inline = Union[Text, Span, NoteAnchor, PageBreak]


@dataclass
class Paragraph:
    content: list[Inline]
    rend: str | None = None  # "caption" for figure captions / "Bron:" lines
    lang: str | None = None


@dataclass
class ListItem:
    content: list[Inline]
    label: list[Inline] | None = None  # gloss lists: the abbreviation
    lang: str | None = None


@dataclass
class ItemList:
    items: list[ListItem]
    type: str = "bulleted"  # "bulleted" | "ordered" | "gloss"


@dataclass
class Bibliography:
    """An annex of sources: entries grouped by publisher (``head``), or flat."""

    head: list[Inline] | None
    entries: list[ListItem]  # each entry's content; citation parsing may wrap it in a bibl span


@dataclass
class PageBreakBlock:
    """A page that starts between two blocks."""

    n: int


@dataclass
class Table:
    """A table read from aligned columns: rows of cells, each cell inline content."""

    rows: list[list[list[Inline]]]
    lang: str | None = None
    page_breaks: list[tuple[int, int]] = field(default_factory=list)  # (row index, page): page starts before that row


Block = Union[Paragraph, ItemList, Bibliography, Table, PageBreakBlock, "Division"]


@dataclass
class Division:
    kind: str  # "chapter" | "section" | "subsection" | "annex"
    n: str | None  # "1.2.3" for numbered headings, None for unnumbered ones
    head: list[Inline]
    blocks: list[Block] = field(default_factory=list)
    level: int = 1
    lang: str | None = None


@dataclass
class Footnote:
    n: int
    content: list[Inline]
    pages: list[int] = field(default_factory=list)  # every page the note is printed on
    anchored: bool = False
    lang: str | None = None


@dataclass
class RunningText:
    """A running header, footer or page number removed from the flow."""

    page: int
    kind: str  # "header" | "footer" | "pageNum"
    text: str


@dataclass
class SourceInfo:
    file_name: str
    sha256: str
    page_count: int
    size_bytes: int
    pdf_title: str | None = None
    pdf_author: str | None = None
    pdf_subject: str | None = None
    pdf_creator: str | None = None
    pdf_producer: str | None = None
    created: str | None = None  # ISO 8601
    modified: str | None = None


@dataclass
class Document:
    source: SourceInfo
    title: str
    lang: str = "nl"
    blocks: list[Block] = field(default_factory=list)
    front: list[Block] = field(default_factory=list)  # cover, title page, contents: paragraphs only
    footnotes: dict[int, Footnote] = field(default_factory=dict)
    running: list[RunningText] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Share of characters per language, filled by language tagging: {"nl": 0.91, "ru": 0.04}
    language_shares: dict[str, float] = field(default_factory=dict)
    # Counts that go into the header: unanchored notes, markers without notes.
    notes_without_marker: list[int] = field(default_factory=list)
    markers_without_note: list[int] = field(default_factory=list)
    publisher: str | None = None
    date: str | None = None  # ISO date of the report if found


def plain_text(content: Iterable[Inline]) -> str:
    """The characters of inline content, as printed (anchors and page breaks add nothing)."""
    out: list[str] = []
    for node in content:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Span):
            out.append(plain_text(node.children))
    return "".join(out)


def iter_divisions(blocks: Iterable[Block]) -> Iterator[Division]:
    for b in blocks:
        if isinstance(b, Division):
            yield b
            yield from iter_divisions(b.blocks)


def iter_blocks(blocks: Iterable[Block]) -> Iterator[Block]:
    """Every block, depth first, divisions included."""
    for b in blocks:
        yield b
        if isinstance(b, Division):
            yield from iter_blocks(b.blocks)


def iter_spans(content: Iterable[Inline]) -> Iterator[Span]:
    for node in content:
        if isinstance(node, Span):
            yield node
            yield from iter_spans(node.children)


class TextCursor:
    """Walks a string left to right, emitting Text and the zero-width nodes (anchors, page
    breaks) that sit at given offsets; stages that wrap text in spans build on it."""

    def __init__(self, text: str, markers: list[tuple[int, int, Inline]], start: int = 0):
        self.text = text
        self.markers = sorted(markers, key=lambda m: (m[0], m[1]))  # (offset, order, node)
        self.pos = start
        self.next = 0

    def emit_until(self, limit: int, into: list[Inline], inclusive: bool = True) -> None:
        """Append the text up to ``limit``, with the markers before it (and at it, if ``inclusive``)."""
        markers, text = self.markers, self.text
        while self.next < len(markers) and (markers[self.next][0] <= limit if inclusive else markers[self.next][0] < limit):
            offset = max(markers[self.next][0], self.pos)
            if offset > self.pos:
                into.append(Text(text[self.pos : offset]))
                self.pos = offset
            into.append(markers[self.next][2])
            self.next += 1
        if limit > self.pos:
            into.append(Text(text[self.pos : limit]))
            self.pos = limit

    def emit_rest(self, into: list[Inline]) -> None:
        """The markers left over (beyond the end of the text) go last."""
        while self.next < len(self.markers):
            into.append(self.markers[self.next][2])
            self.next += 1
