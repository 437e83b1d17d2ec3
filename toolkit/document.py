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
    """The place of a footnote in the running text (the printed marker is dropped).

    ``key`` is the note's :attr:`Footnote.key`.
    """

    key: str


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
    type: str = "bulleted"  # "bulleted" | "ordered" | "gloss" | "contents"
    head: list[Inline] | None = None  # "Inhoud" over a contents list
    page_breaks: list[tuple[int, int]] = field(default_factory=list)  # (item index, page): page starts before that item


@dataclass
class Bibliography:
    """An annex of sources: entries grouped by publisher (``head``), or flat."""

    head: list[Inline] | None
    entries: list[ListItem]  # each entry's content; citation parsing may wrap it in a bibl span
    page_breaks: list[tuple[int, int]] = field(default_factory=list)  # (entry index, page): page starts before that entry


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
    """A footnote: its printed label, its text, the pages it is printed on.

    ``label`` is the label as printed ("12", "*", "a"); labels repeat when the numbering
    restarts (per chapter, per page, in a second document bound into the same PDF).
    ``key`` is unique in the document and a valid XML name (``fn12``; ``fn12-2`` for note 12
    of the second numbering run; ``fn-ast`` for "*"): the TEI ``xml:id``. It defaults to the
    key of the label in the first run (see :func:`note_key`).
    """

    label: str
    content: list[Inline]
    pages: list[int] = field(default_factory=list)  # every page the note is printed on
    anchored: bool = False
    lang: str | None = None
    key: str = ""

    def __post_init__(self) -> None:
        self.label = str(self.label)
        if not self.key:
            self.key = note_key(self.label)

    @property
    def number(self) -> int | None:
        """The label's value when it is a number, else None."""
        return int(self.label) if self.label.isdigit() else None


# Note labels that are symbols, spelt out for ids.
_SYMBOL_NAMES = {"*": "ast", "†": "dagger", "‡": "ddagger", "§": "sect", "¶": "para", "#": "num", "+": "plus"}


def note_key(label: str, run: int = 1) -> str:
    """The id of the note printed with ``label`` in numbering run ``run``: fn12, fn12-2, fn-ast.

    The numbering starts a new run where it restarts (a new chapter, page or bound
    document); within a run every label occurs once.
    """
    label = str(label)
    if label.isdigit():
        stem = str(int(label))
    else:
        stem = "-" + "".join(ch if ch.isascii() and ch.isalnum() else _SYMBOL_NAMES.get(ch, f"u{ord(ch):x}") for ch in label)
    return f"fn{stem}" + (f"-{run}" if run > 1 else "")


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
class ExtractionRecord:
    """The programs and options that made the document model from the PDF."""

    tool_version: str
    pdf_library: str  # "PyMuPDF 1.26.0"
    language_identifier: str | None  # "lingua-language-detector 2.1.0"; None when languages were not tagged
    options: dict[str, str] = field(default_factory=dict)  # {"languages": "yes", "citations": "yes", "langid": "lingua"}


@dataclass
class Document:
    source: SourceInfo
    title: str
    lang: str = "nl"
    blocks: list[Block] = field(default_factory=list)
    front: list[Block] = field(default_factory=list)  # cover, title page, contents: paragraphs only
    footnotes: dict[str, Footnote] = field(default_factory=dict)  # by key, in document order
    running: list[RunningText] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Share of characters per language, filled by language tagging: {"nl": 0.91, "ru": 0.04}
    language_shares: dict[str, float] = field(default_factory=dict)
    # Counts that go into the header: notes without a marker (their keys), markers without a
    # note (their printed labels).
    notes_without_marker: list[str] = field(default_factory=list)
    markers_without_note: list[str] = field(default_factory=list)
    note_problem_pages: list[int] = field(default_factory=list)  # pages whose notes did not all match
    publisher: str | None = None
    date: str | None = None  # ISO 8601 publication date of the report, if printed
    date_text: str | None = None  # that date as printed ("14 februari 2025")
    # Where title, date and publisher were found: {"title": "cover page", "date": "running header"}.
    metadata_evidence: dict[str, str] = field(default_factory=dict)
    extraction: "ExtractionRecord | None" = None  # what made this model, for the TEI header


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
