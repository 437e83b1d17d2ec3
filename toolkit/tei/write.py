"""The document model written as TEI P5 (docs/tei.md is the reference for the encoding)."""

from __future__ import annotations

import datetime as _dt
import re

from lxml import etree

from toolkit import __version__
from toolkit.runtime import gc_paused
from toolkit.document import (
    Bibliography,
    Division,
    Document,
    Footnote,
    Inline,
    ItemList,
    NoteAnchor,
    PageBreak,
    PageBreakBlock,
    Paragraph,
    Span,
    Table,
    Text,
)

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
T = "{%s}" % TEI_NS
XML_LANG = "{%s}lang" % XML_NS
XML_ID = "{%s}id" % XML_NS
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Elements that mark a place in the text rather than hold any.
PAGE_MILESTONES = frozenset({"pb", "fw"})
# Parts of a citation that TEI allows in <bibl> but not inside <ref>.
BIBL_PARTS = frozenset({"textLang", "citedRange"})

# The schema the TEI is valid against (shipped as toolkit/tei/data/tei_all.rng), for editors.
SCHEMA_URL = "https://www.tei-c.org/Vault/P5/4.3.0/xml/tei/custom/schema/relaxng/tei_all.rng"
XML_MODEL = f'href="{SCHEMA_URL}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"'
EXTRACTION_ID = "coitool-extraction"
VERSION_NUMBER = re.compile(r"^\d+(?:\.\d+){0,2}$")  # what TEI allows in application/@version

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English", "de": "Deutsch", "ru": "Русский", "und": "undetermined"}


def xml_text(value: str) -> str:
    return XML_ILLEGAL.sub("", value)


def el(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    node = etree.SubElement(parent, T + tag)
    for key, value in attrs.items():
        if value is None:
            continue
        node.set(XML_LANG if key == "lang" else XML_ID if key == "id" else key, xml_text(str(value)))
    if text:
        node.text = xml_text(text)
    return node


def add_text(parent, text: str) -> None:
    """Append text after the last child (its tail) or into the element itself."""
    text = xml_text(text)
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


class TeiWriter:
    def __init__(self, doc: Document):
        self.doc = doc
        self.running: dict[int, list] = {}
        for record in doc.running:
            self.running.setdefault(record.page, []).append(record)

    def build(self) -> etree._ElementTree:
        doc = self.doc
        root = etree.Element(T + "TEI", nsmap={None: TEI_NS})
        root.addprevious(etree.ProcessingInstruction("xml-model", XML_MODEL))
        self.header(root)
        text = el(root, "text", lang=doc.lang)
        if doc.front:
            front = el(text, "front")
            title_page = el(front, "div", type="titlePage")
            self.blocks(title_page, doc.front)
            if all(etree.QName(child).localname in PAGE_MILESTONES for child in title_page):
                el(title_page, "p")
        body = el(text, "body")
        self.blocks(body, doc.blocks)
        if all(etree.QName(child).localname in PAGE_MILESTONES for child in body):
            el(body, "p")  # a body needs a block, even for a PDF whose text was all running headers
        unanchored = [note for note in doc.footnotes.values() if not note.anchored]
        if unanchored:
            back = el(text, "back")
            div = el(back, "div", type="unanchoredNotes")
            el(div, "head", "Footnotes without a marker in the text")
            p = el(div, "p")
            for note in unanchored:
                self.note(p, note)
        return etree.ElementTree(root)

    # -- header ---------------------------------------------------------------
    def header(self, root) -> None:
        doc, src = self.doc, self.doc.source
        header = el(root, "teiHeader")
        file_desc = el(header, "fileDesc")
        title_stmt = el(file_desc, "titleStmt")
        el(title_stmt, "title", doc.title or src.file_name)
        if src.pdf_author:
            el(title_stmt, "author", src.pdf_author)
        self.extraction_statement(title_stmt)
        pub = el(file_desc, "publicationStmt")
        if doc.publisher:
            el(pub, "publisher", doc.publisher)
            if doc.date:
                el(pub, "date", doc.date_text or doc.date, when=doc.date, type="published")
        else:
            p = el(pub, "p", "Publisher not stated in the source PDF.")
            if doc.date:
                p.text += " Published "
                el(p, "date", doc.date_text or doc.date, when=doc.date, type="published").tail = "."
        notes = el(file_desc, "notesStmt")
        el(
            notes,
            "note",
            f"{len(doc.footnotes)} footnotes; {len(doc.notes_without_marker)} without a marker in the text; "
            f"{len(doc.markers_without_note)} markers without a footnote; "
            f"{len(doc.running)} running header/footer lines left out of the text.",
            type="extraction",
        )
        el(notes, "note", str(len(doc.notes_without_marker)), type="notesWithoutMarker", n=str(len(doc.notes_without_marker)))
        el(notes, "note", str(len(doc.markers_without_note)), type="markersWithoutNote", n=str(len(doc.markers_without_note)))
        pages = doc.note_problem_pages
        el(notes, "note", ", ".join(map(str, pages)) or "none", type="notePagesWithProblems", n=str(len(pages)))
        if doc.metadata_evidence:
            found = "; ".join(f"{what} from the {where}" for what, where in doc.metadata_evidence.items())
            el(notes, "note", found[0].upper() + found[1:] + ".", type="metadataEvidence")
        for warning in doc.warnings:
            el(notes, "note", warning, type="warning")
        source_desc = el(file_desc, "sourceDesc")
        bibl = el(source_desc, "bibl")
        el(bibl, "title", doc.title or src.pdf_title or src.file_name)
        if src.pdf_title and src.pdf_title != doc.title:
            el(bibl, "title", src.pdf_title, type="pdfMetadata")
        if src.pdf_author:
            el(bibl, "author", src.pdf_author)
        if doc.publisher:
            el(bibl, "publisher", doc.publisher)
        if doc.date:
            el(bibl, "date", doc.date_text or doc.date, when=doc.date, type="published")
        if src.created:
            el(bibl, "date", src.created, when=src.created, type="created")
        if src.modified:
            el(bibl, "date", src.modified, when=src.modified, type="modified")
        el(bibl, "idno", src.file_name, type="filename")
        el(bibl, "idno", src.sha256, type="sha256")
        extent = el(bibl, "extent")
        el(extent, "measure", f"{src.page_count} pages", unit="pages", quantity=str(src.page_count))
        el(extent, "measure", f"{src.size_bytes} bytes", unit="bytes", quantity=str(src.size_bytes))
        if src.pdf_subject:
            el(bibl, "note", src.pdf_subject, type="subject")
        if src.pdf_creator or src.pdf_producer:
            el(bibl, "note", "; ".join(x for x in (src.pdf_creator, src.pdf_producer) if x), type="producer")
        encoding = el(header, "encodingDesc")
        app_info = el(encoding, "appInfo")
        app = el(app_info, "application", ident="coitool", version=__version__)
        el(app, "label", "coitool: COI report PDF to TEI extractor")
        record = doc.extraction
        for program in (record.pdf_library, record.language_identifier) if record else ():
            name, _, version = (program or "").rpartition(" ")
            if name and VERSION_NUMBER.match(version):
                el(el(app_info, "application", ident=name, version=version), "label", program)
        if doc.language_shares:
            profile = el(header, "profileDesc")
            usage = el(profile, "langUsage")
            for lang, share in sorted(doc.language_shares.items(), key=lambda kv: -kv[1]):
                el(usage, "language", LANGUAGE_NAMES.get(lang, lang), ident=lang, usage=str(round(share * 100)))
        revision = el(header, "revisionDesc")
        today = _dt.datetime.now(_dt.timezone.utc).date().isoformat()
        el(revision, "change", f"Extracted from {src.file_name} by coitool {__version__}.", when=today, who="#" + EXTRACTION_ID)

    def extraction_statement(self, title_stmt) -> None:
        """``respStmt[@xml:id='coitool-extraction']``: the programs, their versions and the options."""
        record = self.doc.extraction
        resp_stmt = el(title_stmt, "respStmt", id=EXTRACTION_ID)
        el(resp_stmt, "resp", "Extraction of the text, its structure, footnotes and citations from the PDF")
        el(resp_stmt, "name", tool_name(record.tool_version if record else __version__), type="tool")
        if record is None:
            return
        el(resp_stmt, "name", record.pdf_library, type="pdfLibrary")
        if record.language_identifier:
            el(resp_stmt, "name", record.language_identifier, type="languageIdentifier")
        if record.options:
            el(resp_stmt, "note", options_note(record.options), type="options")

    # -- text -----------------------------------------------------------------
    def blocks(self, parent, blocks) -> None:
        for block in blocks:
            if isinstance(block, Division):
                div = el(parent, "div", type=block.kind, n=block.n, lang=block.lang)
                head = el(div, "head")
                self.inline(head, block.head)
                self.blocks(div, block.blocks)
            elif isinstance(block, Paragraph):
                p = el(parent, "p", rend=block.rend, lang=block.lang)
                self.inline(p, block.content)
            elif isinstance(block, ItemList):
                lst = el(parent, "list", type=block.type)
                if block.head:
                    self.inline(el(lst, "head"), block.head)
                starts = dict(block.page_breaks)
                for index, item in enumerate(block.items):
                    if index in starts:
                        self.page_break(lst, starts[index])
                    if block.type == "gloss" or item.label:
                        label = el(lst, "label")
                        self.inline(label, item.label or [])
                    node = el(lst, "item", lang=item.lang)
                    self.inline(node, item.content)
                if len(block.items) in starts:
                    self.page_break(parent, starts[len(block.items)])
            elif isinstance(block, Bibliography):
                if not block.entries:  # a publisher line without items is a plain paragraph
                    p = el(parent, "p")
                    self.inline(p, block.head or [])
                    continue
                lst = el(parent, "listBibl")
                if block.head:
                    head = el(lst, "head")
                    self.inline(head, block.head)
                starts = dict(block.page_breaks)
                for index, entry in enumerate(block.entries):
                    if index in starts:
                        self.page_break(lst, starts[index])
                    content = entry.content
                    if len(content) == 1 and isinstance(content[0], Span) and content[0].kind == "bibl":
                        only = content[0]
                        bibl = el(lst, "bibl", lang=only.lang or entry.lang, **only.attrs)
                        self.inline(bibl, only.children)
                    else:
                        bibl = el(lst, "bibl", lang=entry.lang)
                        self.inline(bibl, content)
            elif isinstance(block, Table):
                table = el(parent, "table", lang=block.lang)
                starts = dict(block.page_breaks)
                for index, cells in enumerate(block.rows):
                    if index in starts:
                        self.page_break(table, starts[index])
                    row = el(table, "row")
                    for content in cells:
                        self.inline(el(row, "cell"), content)
                if len(block.rows) in starts:  # the table ends at the foot of a page
                    self.page_break(parent, starts[len(block.rows)])
            elif isinstance(block, PageBreakBlock):
                self.page_break(parent, block.n)

    def inline(self, parent, nodes: list[Inline], in_ref: bool = False) -> None:
        for node in nodes:
            if isinstance(node, Text):
                add_text(parent, node.text)
            elif isinstance(node, Span):
                if node.kind == "ref" and not in_ref and any(isinstance(c, Span) and c.kind in BIBL_PARTS for c in node.children):
                    self.split_ref(parent, node)
                    continue
                if in_ref and node.kind in BIBL_PARTS:
                    # A link over a whole citation: <ref> may not hold bibliographic parts, so
                    # the part becomes a typed <seg> (its value, e.g. mainLang, as @subtype).
                    value = next(iter(node.attrs.values()), None)
                    child = el(parent, "seg", lang=node.lang, type=node.kind, subtype=value)
                else:
                    child = el(parent, node.kind, lang=node.lang, **node.attrs)
                self.inline(child, node.children, in_ref or node.kind == "ref")
            elif isinstance(node, NoteAnchor):
                note = self.doc.footnotes.get(node.key)
                if note is not None:
                    self.note(parent, note)
            elif isinstance(node, PageBreak):
                self.page_break(parent, node.n)

    def split_ref(self, parent, ref: Span) -> None:
        """A link over a whole citation: <ref> may not hold <textLang> or <citedRange>, so the
        link is written in pieces around them, each with the same target, and each part holds
        its own <ref>: every character stays linked, and "(RU)" stays the documented
        <textLang mainLang="ru">."""
        run: list[Inline] = []

        def flush() -> None:
            if run:
                self.inline(el(parent, "ref", lang=ref.lang, **ref.attrs), list(run), True)
                run.clear()

        for child in ref.children:
            if isinstance(child, Span) and child.kind in BIBL_PARTS:
                flush()
                part = el(parent, child.kind, lang=child.lang, **child.attrs)
                self.inline(el(part, "ref", **ref.attrs), child.children, True)
            else:
                run.append(child)
        flush()

    def page_break(self, parent, n: int) -> None:
        """``<pb n="…"/>``, then the page's running headers and footers as ``<fw>``: out of the text, not lost."""
        el(parent, "pb", n=str(n))
        for record in self.running.pop(n, ()):
            el(parent, "fw", record.text, type=record.kind)

    def note(self, parent, note: Footnote) -> None:
        node = el(parent, "note", place="foot", n=note.label, id=note.key, lang=note.lang)
        self.inline(node, note.content)


def options_note(options: dict[str, str]) -> str:
    """The text of ``note[@type='options']``: "Options: key=value, key=value."."""
    return "Options: " + ", ".join(f"{key}={value}" for key, value in options.items()) + "."


def tool_name(version: str) -> str:
    """The text of ``name[@type='tool']``: "coitool 0.1.0"."""
    return f"coitool {version}"


def document_to_tei(doc: Document) -> etree._ElementTree:
    with gc_paused():
        return TeiWriter(doc).build()


def serialize(tree: etree._ElementTree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=False)
