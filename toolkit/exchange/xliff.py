"""XLIFF for translators' CAT tools: the Russian fragments out with their machine translations, post-edits back.

:func:`export_xliff` writes one unit per fragment (:mod:`.fragments`): the Russian source
with the glossary's terms as ``<mrk type="term">`` and the glossary's rendering in a
note, the machine translation as the target (``state="initial"``), and the fragment's
``xml:id`` as the unit id. XLIFF 2.1 by default, 1.2 (what many CAT tools still read
best) on request; every file written is valid against the OASIS schema shipped in
``data/``.

:func:`import_xliff` reads a file back — one of ours as a CAT tool saved it, in XLIFF
2.0/2.1 or 1.2 — and replaces each machine translation the translator changed or
confirmed by the post-edited text, ``@resp`` naming the translator and ``@cert="high"``,
with a ``revisionDesc/change``. Units left as they were keep the machine translation.
A file that does not belong to the TEI (unknown ids, other sources, wrong languages),
is not valid XLIFF, or carries a DOCTYPE is refused with one line, and nothing is written.

Glossary-only output (no model: Russian text with only the glossary's terms rendered) is
no translation: its unit has no target, and a note gives that text with its terms for the
translator to use. A target brought back for it makes the glossary-only element the
translator's translation, in its place. docs/xliff.md describes both directions.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from lxml import etree

from toolkit import __version__
from toolkit.errors import CoitoolError, InputError, ValidationError
from toolkit.exchange import fragments as frag
from toolkit.exchange.fragments import GLOSS_PREFIX, WHAT_CHOICES, Fragment, Piece, Term
from toolkit.exchange.schemas import (
    XLIFF_12_STRICT_XSD,
    XLIFF_12_TRANSITIONAL_XSD,
    XLIFF_21_XSD,
    indent_structure,
    read_exchange_file,
    schema_problems,
)
from toolkit.text import SOURCE_LANGUAGE, TARGET_LANGUAGES

if TYPE_CHECKING:
    from toolkit.glossary import Glossary

XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
X2 = "{%s}" % XLIFF2_NS
X12 = "{%s}" % XLIFF12_NS
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
VERSIONS = ("2.1", "1.2")
READ_VERSIONS_2 = ("2.0", "2.1")

# The file-level note that names the report (the sha256 of its PDF), so a file is not
# brought back into another report that happens to have fragments with the same ids.
DOCUMENT_NOTE = "coitool:document-sha256"
MT_PHASE = "mt"  # XLIFF 1.2: the phase the machine translations belong to
# Segment states that say a translator has dealt with a unit (2.x @state; 1.2 target/@state).
CONFIRMED_2 = frozenset({"translated", "reviewed", "final"})
CONFIRMED_12 = frozenset({"translated", "signed-off", "final"})
# A term reference: XLIFF 2 fragment identifier of a note ("#n=gloss-…", or a longer path ending so).
NOTE_REF = re.compile(r"(?:^#|/)n=(" + GLOSS_PREFIX + r"[\w.\-]+)$")
GLOSS_IN_COMMENT = re.compile(r"\b(" + GLOSS_PREFIX + r"[\w.\-]+)")
# XLIFF 2 category of the unit note that gives a fragment's glossary-only output (no translation);
# the rendered terms in its text are bracketed so (a note is plain text, and Russian titles use [ ]).
GLOSSARY_ONLY_NOTE = "coitool:glossary-only"
GLOSSARY_ONLY_OPEN, GLOSSARY_ONLY_CLOSE = "⟦", "⟧"


def primary(lang: str | None) -> str:
    return (lang or "").split("-")[0].split("_")[0].lower()


# -- export -------------------------------------------------------------------------------


@dataclass
class XliffExport:
    """What :func:`export_xliff` wrote."""

    out_path: Path | None
    version: str
    lang: str
    what: str
    units: int = 0
    targets: int = 0  # units with a translation as target
    post_edited: int = 0  # of those, translations a translator already post-edited
    glossary_only: int = 0  # units without a target whose fragment has glossary-only output (in a note)
    terms: int = 0  # glossary terms marked in the sources
    data: bytes = b""


def export_xliff(
    tei_path,
    out_path,
    to: str,
    what: str = "titles",
    version: str = "2.1",
    glossary: "Glossary | None" = None,
) -> XliffExport:
    """Write the Russian fragments of a TEI file (``what`` as in ``coitool translate``) as XLIFF.

    ``out_path`` None returns the bytes in the report instead. ``glossary`` (default: the
    shipped one) marks the terms in the sources. The file is validated against the XLIFF
    schema before it is written; the TEI is only read.
    """
    from toolkit.io import write_atomic

    if what not in WHAT_CHOICES:
        raise CoitoolError(f"--what must be one of {', '.join(WHAT_CHOICES)}, not {what!r}")
    if to not in TARGET_LANGUAGES:
        raise CoitoolError(f"cannot export for translation into {to!r}; choose one of {', '.join(TARGET_LANGUAGES)}")
    if version not in VERSIONS:
        raise CoitoolError(f"--xliff-version must be one of {', '.join(VERSIONS)}, not {version!r}")
    tei_path = Path(tei_path)
    if out_path is not None:
        frag.refuse_overwrite(out_path, [tei_path], "the input TEI")
    root = frag.read_tei(tei_path).getroot()
    if glossary is None:
        from toolkit.glossary import Glossary

        glossary = Glossary.default()
    found = frag.fragments(root, what, [to])
    if not found:
        hint = " (try --what all-ru)" if what == "titles" else ""
        raise InputError(f"{tei_path}: no Russian fragments to export{hint}")
    report = XliffExport(Path(out_path) if out_path is not None else None, version, to, what)
    context = _ExportContext(root, glossary, to, tei_path.name)
    writer = _write_xliff2 if version == "2.1" else _write_xliff12
    xliff = writer(context, found, report)
    problems = schema_problems(xliff, XLIFF_21_XSD if version == "2.1" else XLIFF_12_STRICT_XSD)
    if problems:  # a bug of ours, never the user's: say so rather than write a broken file
        raise ValidationError(f"the XLIFF {version} written for {tei_path} is not valid, not written: {problems[0]}")
    indent_structure(xliff.getroot(), {"source", "target", "note", "seg-source"})
    report.data = etree.tostring(xliff, xml_declaration=True, encoding="UTF-8")
    if report.out_path is not None:
        write_atomic(report.data, report.out_path)
    return report


@dataclass
class _ExportContext:
    root: object
    glossary: "Glossary"
    lang: str
    original: str
    categories: dict = field(init=False)

    def __post_init__(self):
        self.categories = frag.glossary_categories(self.root)

    @property
    def glossary_label(self) -> str:
        return " ".join(x for x in (self.glossary.name, self.glossary.version) if x)

    def source_terms(self, text: str) -> list[Term]:
        """The glossary's terms in a Russian text that have a rendering in the target language."""
        return [
            Term(m.start, m.end, str(m.entry.id)) for m in self.glossary.match(text)
            if self.glossary.target(m.entry, self.lang)
        ]

    def term_note(self, entry_id: str) -> str:
        """What a translator should know of a term: the Russian term, the glossary's rendering, its note."""
        entry = self.glossary.get(entry_id)
        if entry is not None:
            text = f"{entry.term} → {self.glossary.target(entry, self.lang)} (glossary {self.glossary_label})"
            return text + (f"; {entry.note}" if entry.note else "")
        return self.categories.get(GLOSS_PREFIX + entry_id, entry_id)

    def glossary_only_note(self, output: frag.TeiTranslation) -> str:
        """Glossary-only output for the translator: that it is no translation, its text and its terms."""
        marked = "".join(
            f"{GLOSSARY_ONLY_OPEN}{piece.text}{GLOSSARY_ONLY_CLOSE}" if piece.gloss else piece.text
            for piece in _pieces(output.text, output.terms)
        )
        renderings = dict.fromkeys(
            f"{self.term_source(term.entry_id)} → {output.text[term.start:term.end]}" for term in output.terms
        )
        return (f"Not translated into {self.lang}: without a model coitool rendered only the glossary's terms "
                f"(certainty: {output.cert or 'not stated'}); the rest is the Russian source. Terms to use: "
                f"{'; '.join(renderings)}. The glossary-only text, rendered terms in "
                f"{GLOSSARY_ONLY_OPEN} {GLOSSARY_ONLY_CLOSE}: {marked}")

    def term_source(self, entry_id: str) -> str:
        """The Russian term of a glossary entry: the glossary's, else the TEI taxonomy's, else its id."""
        entry = self.glossary.get(entry_id)
        if entry is not None:
            return entry.term
        described = self.categories.get(GLOSS_PREFIX + entry_id)
        return described.split(" — ")[0] if described else entry_id

    def provenance(self, translation: frag.TeiTranslation) -> str:
        if translation.by_machine:
            return f"Machine translation by coitool (certainty: {translation.cert or 'not stated'}); post-edit it."
        who = frag.person_name(self.root, translation.resp) or translation.resp
        return f"Post-edited by {who} (certainty: {translation.cert or 'not stated'})."

    def document_lines(self, what: str) -> tuple[str, str | None]:
        """A note for the translator on the report, and the sha256 of its PDF (or None)."""
        title = self.root.find(f".//{frag.T}titleStmt/{frag.T}title")
        name = frag.normalise("".join(title.itertext())) if title is not None else self.original
        return (f"Russian fragments ({what}) of “{name}” ({self.original}), for translation into "
                f"{self.lang}; exported by coitool {__version__}.", frag.document_checksum(self.root))


def _pieces(text: str, terms: Sequence[Term]) -> list[Piece]:
    pieces, position = [], 0
    for term in sorted(terms, key=lambda t: t.start):
        if term.start < position:
            continue
        pieces.append(Piece(text[position:term.start]))
        pieces.append(Piece(text[term.start:term.end], GLOSS_PREFIX + term.entry_id))
        position = term.end
    pieces.append(Piece(text[position:]))
    return [p for p in pieces if p.text]


def _fill(element, pieces: Sequence[Piece], make_mark) -> int:
    """Write pieces into ``element``, each term as the element ``make_mark(parent, gloss, n)`` returns."""
    last, marks = None, 0
    for piece in pieces:
        if piece.gloss is None:
            if last is None:
                element.text = (element.text or "") + piece.text
            else:
                last.tail = (last.tail or "") + piece.text
            continue
        marks += 1
        last = make_mark(element, piece.gloss, marks)
        last.text = piece.text
    return marks


def _unit_texts(context: _ExportContext, fragment: Fragment):
    """A fragment's translation into the language, else its glossary-only output (no translation)."""
    translation = fragment.translations.get(context.lang)
    return translation, fragment.glossary_only.get(context.lang) if translation is None else None


def _unit_terms(context: _ExportContext, fragment: Fragment, translation) -> tuple[list[Term], list[str]]:
    source_terms = context.source_terms(fragment.text)
    glosses = [t.entry_id for t in source_terms] + ([t.entry_id for t in translation.terms] if translation else [])
    return source_terms, list(dict.fromkeys(glosses))


def _write_xliff2(context: _ExportContext, found: Sequence[Fragment], report: XliffExport):
    root = etree.Element(X2 + "xliff", nsmap={None: XLIFF2_NS})
    root.set("version", "2.1")
    root.set("srcLang", SOURCE_LANGUAGE)
    root.set("trgLang", context.lang)
    file = etree.SubElement(root, X2 + "file", id="f1", original=context.original)
    described, checksum = context.document_lines(report.what)
    notes = etree.SubElement(file, X2 + "notes")
    etree.SubElement(notes, X2 + "note", id="report", category="coitool:report").text = described
    if checksum:
        etree.SubElement(notes, X2 + "note", id="document", category=DOCUMENT_NOTE).text = checksum
    for fragment in found:
        translation, glossary_only = _unit_texts(context, fragment)
        source_terms, glosses = _unit_terms(context, fragment, translation or glossary_only)
        unit = etree.SubElement(file, X2 + "unit", id=fragment.id)
        notes = etree.SubElement(unit, X2 + "notes")
        etree.SubElement(notes, X2 + "note", id="location", category="location").text = fragment.location
        if translation is not None:
            etree.SubElement(notes, X2 + "note", id="provenance", category="provenance", appliesTo="target").text = \
                context.provenance(translation)
        if glossary_only is not None:
            etree.SubElement(notes, X2 + "note", id="glossary-only", category=GLOSSARY_ONLY_NOTE).text = \
                context.glossary_only_note(glossary_only)
        for gloss in glosses:
            etree.SubElement(notes, X2 + "note", id=GLOSS_PREFIX + gloss, category="term", appliesTo="source").text = \
                context.term_note(gloss)
        segment = etree.SubElement(unit, X2 + "segment", id="s1")
        segment.set("state", "initial" if translation is None or translation.by_machine else "translated")

        def mark(prefix):
            def make(parent, gloss, n):
                return etree.SubElement(parent, X2 + "mrk", id=f"{prefix}{n}", type="term", ref=f"#n={gloss}")
            return make

        report.terms += _fill(etree.SubElement(segment, X2 + "source"), _pieces(fragment.text, source_terms), mark("m"))
        if translation is not None:
            _fill(etree.SubElement(segment, X2 + "target"), _pieces(translation.text, translation.terms), mark("t"))
        _count(report, translation, glossary_only)
    return etree.ElementTree(root)


def _write_xliff12(context: _ExportContext, found: Sequence[Fragment], report: XliffExport):
    root = etree.Element(X12 + "xliff", nsmap={None: XLIFF12_NS})
    root.set("version", "1.2")
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    file = etree.SubElement(root, X12 + "file", original=context.original, datatype="xml")
    file.set("source-language", SOURCE_LANGUAGE)
    file.set("target-language", context.lang)
    file.set("tool-id", "coitool")
    file.set("date", now)
    header = etree.SubElement(file, X12 + "header")
    phase = etree.SubElement(etree.SubElement(header, X12 + "phase-group"), X12 + "phase")
    phase.set("phase-name", MT_PHASE)
    phase.set("process-name", "machine-translation")
    phase.set("tool-id", "coitool")
    phase.set("date", now)
    tool = etree.SubElement(header, X12 + "tool")
    tool.set("tool-id", "coitool")
    tool.set("tool-name", "coitool")
    tool.set("tool-version", __version__)
    described, checksum = context.document_lines(report.what)
    etree.SubElement(header, X12 + "note", {"from": "coitool"}).text = described
    if checksum:
        etree.SubElement(header, X12 + "note", {"from": DOCUMENT_NOTE}).text = checksum
    body = etree.SubElement(file, X12 + "body")
    for fragment in found:
        translation, glossary_only = _unit_texts(context, fragment)
        source_terms, glosses = _unit_terms(context, fragment, translation or glossary_only)
        unit = etree.SubElement(body, X12 + "trans-unit", id=fragment.id)

        def make(parent, gloss, n):
            entry = gloss[len(GLOSS_PREFIX):]
            return etree.SubElement(parent, X12 + "mrk", mtype="term", comment=f"{gloss}: {context.term_note(entry)}")

        source = etree.SubElement(unit, X12 + "source")
        source.set(XML_LANG, SOURCE_LANGUAGE)
        report.terms += _fill(source, _pieces(fragment.text, source_terms), make)
        if translation is not None:
            target = etree.SubElement(unit, X12 + "target")
            target.set(XML_LANG, context.lang)
            if translation.by_machine:
                target.set("state", "needs-review-translation")
                target.set("state-qualifier", "mt-suggestion")
                target.set("phase-name", MT_PHASE)
            else:
                target.set("state", "translated")
            _fill(target, _pieces(translation.text, translation.terms), make)
        etree.SubElement(unit, X12 + "note", {"from": "coitool", "annotates": "general"}).text = fragment.location
        if translation is not None:
            etree.SubElement(unit, X12 + "note", {"from": "coitool", "annotates": "target"}).text = \
                context.provenance(translation)
        if glossary_only is not None:
            etree.SubElement(unit, X12 + "note", {"from": "coitool", "annotates": "general"}).text = \
                context.glossary_only_note(glossary_only)
        for gloss in glosses:
            etree.SubElement(unit, X12 + "note", {"from": "coitool", "annotates": "source"}).text = \
                f"{GLOSS_PREFIX}{gloss}: {context.term_note(gloss)}"
        _count(report, translation, glossary_only)
    return etree.ElementTree(root)


def _count(report: XliffExport, translation, glossary_only) -> None:
    report.units += 1
    if translation is not None:
        report.targets += 1
        report.post_edited += not translation.by_machine
    report.glossary_only += glossary_only is not None


# -- import -------------------------------------------------------------------------------


@dataclass
class XliffUnit:
    """A unit read back from a CAT tool's file."""

    id: str
    line: int
    source: str
    target: str | None  # None: no target (or an incomplete one)
    terms: list[Term]
    confirmed: bool  # the translator marked it translated / reviewed / final / approved
    partial: bool = False  # some segments translated, others not
    translator: str | None = None


@dataclass
class XliffDocument:
    path: Path
    version: str
    source_lang: str
    target_lang: str
    original: str | None
    document: str | None
    translator: str | None
    units: list[XliffUnit]


def read_xliff(path) -> XliffDocument:
    """An XLIFF 2.0/2.1 or 1.2 file, checked against its schema and for coitool's languages."""
    path = Path(path)
    tree = read_exchange_file(path, "XLIFF")
    root = tree.getroot()
    name = etree.QName(root)
    if name.localname != "xliff" or name.namespace not in (XLIFF2_NS, XLIFF12_NS):
        raise InputError(f"{path}: not XLIFF (root element {{{name.namespace or ''}}}{name.localname}; "
                         "coitool reads XLIFF 2.0, 2.1 and 1.2)")
    version = root.get("version") or ""
    if name.namespace == XLIFF2_NS:
        if version not in READ_VERSIONS_2:
            raise InputError(f"{path}: XLIFF version {version!r} is not one coitool reads (2.0, 2.1, 1.2)")
        xsd, label = XLIFF_21_XSD, f"XLIFF {version}"
    else:
        if version != "1.2":
            raise InputError(f"{path}: XLIFF version {version!r} in the 1.2 namespace; coitool reads 1.2, 2.0 and 2.1")
        xsd, label = XLIFF_12_TRANSITIONAL_XSD, "XLIFF 1.2"
    problems = schema_problems(tree, xsd)
    if problems:
        raise InputError(f"{path}: not valid {label}: {problems[0]}")
    document = _read_xliff2(path, root) if name.namespace == XLIFF2_NS else _read_xliff12(path, root)
    if primary(document.source_lang) != SOURCE_LANGUAGE:
        raise InputError(f"{path}: its source language is {document.source_lang!r}, not Russian (ru): "
                         "not a file coitool exported")
    if primary(document.target_lang) not in TARGET_LANGUAGES:
        what = repr(document.target_lang) if document.target_lang else "not stated"
        raise InputError(f"{path}: its target language is {what}; coitool brings back translations into "
                         f"{', '.join(TARGET_LANGUAGES)}")
    if not document.units:
        raise InputError(f"{path}: has no translation units")
    seen: set[str] = set()
    for unit in document.units:
        if unit.id in seen:
            raise InputError(f"{path}:{unit.line}: unit id {unit.id!r} occurs twice")
        seen.add(unit.id)
    return document


def _one_file(path: Path, root, ns: str):
    files = root.findall(ns + "file")
    if len(files) != 1:
        raise InputError(f"{path}: has {len(files)} <file> elements; coitool exports one per TEI file")
    return files[0]


class _Text:
    """Text and glossary terms gathered from the segments of a unit."""

    def __init__(self):
        self.pieces: list[Piece] = []

    def add(self, pieces: Sequence[Piece], separate: bool) -> None:
        text = "".join(p.text for p in self.pieces)
        first = next((p.text for p in pieces if p.text), "")
        if separate and text and first and not text[-1].isspace() and not first[0].isspace():
            self.pieces.append(Piece(" "))
        self.pieces.extend(pieces)

    def compose(self) -> tuple[str, list[Term]]:
        return frag.compose(self.pieces)


def _inline(element, namespace: str, containers: frozenset, gloss_of, gloss: str | None = None) -> list[Piece]:
    """Inline content as text: ``containers`` (markers, paired codes) keep their text, other codes have none.

    ``gloss_of(child)`` names the glossary term a marker stands for (or None).
    """
    pieces: list[Piece] = []
    if element.text:
        pieces.append(Piece(element.text, gloss))
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).namespace == namespace:
            name = etree.QName(child).localname
            if name in containers:
                pieces.extend(_inline(child, namespace, containers, gloss_of, gloss_of(child) or gloss))
            elif name == "cp":  # XLIFF 2: a character XML cannot carry
                try:
                    pieces.append(Piece(chr(int(child.get("hex") or "", 16)), gloss))
                except (ValueError, OverflowError):
                    pass
        if child.tail:
            pieces.append(Piece(child.tail, gloss))
    return pieces


def _gloss2(marker) -> str | None:
    if etree.QName(marker).localname != "mrk" or marker.get("type") != "term":
        return None
    found = NOTE_REF.search(marker.get("ref") or "")
    return found.group(1) if found else None


def _gloss12(marker) -> str | None:
    if etree.QName(marker).localname != "mrk" or marker.get("mtype") != "term":
        return None
    found = GLOSS_IN_COMMENT.match(marker.get("mid") or "") or GLOSS_IN_COMMENT.match(marker.get("comment") or "")
    return found.group(1) if found else None


def _inline2(element) -> list[Piece]:
    """XLIFF 2: mrk and pc keep their text; ph, sc, ec, sm, em are codes."""
    return _inline(element, XLIFF2_NS, frozenset({"mrk", "pc"}), _gloss2)


def _inline12(element) -> list[Piece]:
    """XLIFF 1.2: mrk and g keep their text; x, bx, ex, ph, bpt, ept, it are codes."""
    return _inline(element, XLIFF12_NS, frozenset({"mrk", "g"}), _gloss12)


def _meta_translator(element) -> str | None:
    """A translator named in the XLIFF 2 Metadata module: ``<mda:meta type="translator">``."""
    for meta in element.iterchildren("{%s}metadata" % MDA_NS):
        for node in meta.iter("{%s}meta" % MDA_NS):
            if (node.get("type") or "").lower() in ("translator", "coitool:translator") and (node.text or "").strip():
                return frag.normalise(node.text)
    return None


def _read_xliff2(path: Path, root) -> XliffDocument:
    file = _one_file(path, root, X2)
    document = next(
        (n.text.strip() for n in file.iterfind(f"{X2}notes/{X2}note") if n.get("category") == DOCUMENT_NOTE and n.text),
        None,
    )
    units = []
    for unit in file.iter(X2 + "unit"):
        source, target = _Text(), _Text()
        translated = missing = confirmed = False
        for part in unit:
            if not isinstance(part.tag, str) or etree.QName(part).localname not in ("segment", "ignorable"):
                continue
            segment = etree.QName(part).localname == "segment"
            src = _inline2(part.find(X2 + "source"))
            source.add(src, segment)
            target_node = part.find(X2 + "target")
            tgt = _inline2(target_node) if target_node is not None else None
            if not segment:
                target.add(tgt if tgt is not None else src, False)
                continue
            confirmed = confirmed or part.get("state", "initial") in CONFIRMED_2
            if tgt is not None and "".join(p.text for p in tgt).strip():
                translated = True
                target.add(tgt, True)
            elif "".join(p.text for p in src).strip():
                missing = True
        source_text, _ = source.compose()
        target_text, terms = target.compose()
        units.append(XliffUnit(
            unit.get("id") or "", unit.sourceline or 0, source_text,
            target_text if translated and not missing else None, terms, confirmed,
            partial=translated and missing, translator=_meta_translator(unit),
        ))
    return XliffDocument(path, root.get("version"), root.get("srcLang") or "", root.get("trgLang") or "",
                         file.get("original"), document, _meta_translator(file), units)


def _read_xliff12(path: Path, root) -> XliffDocument:
    file = _one_file(path, root, X12)
    header = file.find(X12 + "header")
    phases: dict[str, str] = {}
    translator = document = None
    if header is not None:
        for phase in header.iter(X12 + "phase"):
            contact = (phase.get("contact-name") or "").strip()
            if contact and phase.get("phase-name") != MT_PHASE:
                phases[phase.get("phase-name") or ""] = contact
                translator = contact  # the last phase that names someone
        document = next(
            (n.text.strip() for n in header.iter(X12 + "note") if n.get("from") == DOCUMENT_NOTE and n.text), None,
        )
    units = []
    for unit in file.iter(X12 + "trans-unit"):
        source_text, _ = frag.compose(_inline12(unit.find(X12 + "source")))
        target_node = unit.find(X12 + "target")
        target_text, terms, partial = None, [], False
        if target_node is not None:
            text, terms = frag.compose(_inline12(target_node))
            target_text = text or None
            partial = bool(target_text) and _untranslated_segments(unit, target_node)
        confirmed = unit.get("approved") == "yes" or (
            target_node is not None and target_node.get("state") in CONFIRMED_12
        )
        who = phases.get(target_node.get("phase-name") or "") if target_node is not None else None
        units.append(XliffUnit(
            unit.get("id") or "", unit.sourceline or 0, source_text, None if partial else target_text, terms,
            confirmed, partial=partial, translator=who,
        ))
    return XliffDocument(path, "1.2", file.get("source-language") or "", file.get("target-language") or "",
                         file.get("original"), document, translator, units)


def _untranslated_segments(unit, target) -> bool:
    """XLIFF 1.2 segmented by a CAT tool (``seg-source`` of ``mrk mtype="seg"``): a segment left empty."""
    seg_source = unit.find(X12 + "seg-source")
    if seg_source is None:
        return False
    done = {m.get("mid"): "".join(m.itertext()).strip() for m in target.iter(X12 + "mrk") if m.get("mtype") == "seg"}
    return any(
        "".join(m.itertext()).strip() and not done.get(m.get("mid"))
        for m in seg_source.iter(X12 + "mrk") if m.get("mtype") == "seg"
    )


@dataclass
class XliffImport:
    """What :func:`import_xliff` changed."""

    out_path: Path
    lang: str
    version: str
    units: int = 0
    post_edited: int = 0  # machine (or earlier) translations replaced by a changed text
    confirmed: int = 0  # machine translations a translator confirmed unchanged
    added: int = 0  # translations of fragments that had none
    glossary_only_replaced: int = 0  # of those added, in place of glossary-only output
    unchanged: int = 0  # units that keep the translation they had
    partial: int = 0  # units only partly translated in the file: left as they were
    terms_dropped: int = 0  # term marks naming no glossary entry of the TEI
    ids_added: int = 0
    translators: list[str] = field(default_factory=list)
    input_problems: int = 0

    @property
    def changed(self) -> int:
        return self.post_edited + self.confirmed + self.added


def import_xliff(tei_path, xliff_path, out_path=None, translator: str | None = None, *, schema: bool = False) -> XliffImport:
    """Bring a CAT tool's post-edited XLIFF back into the TEI it was exported from; write it to ``out_path``.

    ``out_path`` defaults to :func:`post_edited_path`. ``schema`` also validates the
    result against tei_all (slow: the schema takes ~10 s to load).
    ``translator`` (else the file's translator: XLIFF 2 ``mda:meta type="translator"``, XLIFF
    1.2 ``phase/@contact-name``) is named in ``@resp`` of every translation changed. Every
    check runs before anything is written; the inputs are never modified.
    """
    from toolkit import tei
    from toolkit.io import write_atomic
    from toolkit.tei import translation as edit

    tei_path, xliff_path = Path(tei_path), Path(xliff_path)
    document = read_xliff(xliff_path)
    lang = primary(document.target_lang)
    out_path = Path(out_path) if out_path is not None else post_edited_path(tei_path, lang)
    frag.refuse_overwrite(out_path, [tei_path, xliff_path], "the input")
    translator = (translator or "").strip() or None
    root = frag.read_tei(tei_path).getroot()
    tree = root.getroottree()
    before = {_problem_key(p) for p in tei.validate_tei(tree, full=schema)}

    checksum = frag.document_checksum(root)
    if document.document and checksum and document.document != checksum:
        raise InputError(f"{xliff_path}: was exported from another report (PDF sha256 {document.document[:12]}…, "
                         f"{tei_path.name} has {checksum[:12]}…)")
    nodes = {value: node for node, value in frag.fragment_ids(root).items()}
    unknown = [unit for unit in document.units if unit.id not in nodes]
    if unknown:
        names = ", ".join(repr(u.id) for u in unknown[:3]) + (", …" if len(unknown) > 3 else "")
        raise InputError(f"{xliff_path}: {len(unknown)} of {len(document.units)} units name no Russian fragment of "
                         f"{tei_path.name} ({names}); was it exported from another file?")
    for unit in document.units:
        if not frag.same_source(unit.source, edit.unit_text(nodes[unit.id])):
            raise InputError(f"{xliff_path}:{unit.line}: the source of unit {unit.id!r} is not the text of that "
                             f"fragment in {tei_path.name}; was it exported from another version of the report?")

    report = XliffImport(out_path, lang, document.version, units=len(document.units))
    plans = _plan(document, nodes, lang, frag.glossary_categories(root), report)
    if plans:
        _apply(root, plans, lang, translator, document, report)
    report.ids_added = frag.assign_ids(root)
    edit.update_taxonomy(root, None, [])
    after = tei.validate_tei(tree, full=schema)
    new = [problem for problem in after if _problem_key(problem) not in before]
    if new:
        raise ValidationError(f"the TEI with the post-edited translations would not be valid, not written: {new[0]}")
    report.input_problems = len(before)
    write_atomic(tei.serialize(tree), out_path)
    return report


@dataclass
class _Change:
    """What an import does to one fragment."""

    kind: str  # "post_edited", "confirmed" or "added" (an XliffImport counter)
    unit: XliffUnit
    node: object  # the fragment
    translation: object | None  # its translation into the language, None for "added"
    text: str
    terms: list[Term]
    glossary_only: object | None = None  # coitool's glossary-only output into the language, if any


def _plan(document: XliffDocument, nodes: dict, lang: str, categories: dict, report: XliffImport) -> list[_Change]:
    """Decide each unit (docs/xliff.md, "Import"); count those that leave the TEI as it is."""
    from toolkit.tei.translation import find_glossary_only, find_translation

    plans = []
    for unit in document.units:
        node = nodes[unit.id]
        translation = find_translation(node, lang)
        existing = frag.read_translation(translation) if translation is not None else None
        glossary_only = find_glossary_only(node, lang)  # no translation, but its terms carry over
        rendered = frag.read_translation(glossary_only) if glossary_only is not None else None
        copied = [unit.source] + ([rendered.text] if rendered is not None and existing is None else [])
        if unit.partial:
            report.partial += 1
        elif unit.target is None or (any(frag.same_source(unit.target, t) for t in copied) and not unit.confirmed):
            # nothing, the source a CAT tool copied into an untouched target, or the glossary-only text pasted
            report.unchanged += 1
        elif existing is not None and existing.text == unit.target:
            if existing.by_machine and unit.confirmed:
                plans.append(_Change("confirmed", unit, node, translation, existing.text, existing.terms))
            else:
                report.unchanged += 1
        else:
            terms = [t for t in unit.terms if GLOSS_PREFIX + t.entry_id in categories]
            report.terms_dropped += len(unit.terms) - len(terms)
            if not unit.terms and (existing or rendered) is not None:
                terms = _carried_terms(existing or rendered, unit.target)
            kind = "post_edited" if existing is not None else "added"
            plans.append(_Change(kind, unit, node, translation, unit.target, terms, glossary_only))
    return plans


def _apply(root, plans: list[_Change], lang: str, translator: str | None, document: XliffDocument,
           report: XliffImport) -> None:
    """Write the changes, each translator named once in the header with one change record."""
    from toolkit.tei import translation as edit

    who = {}
    for plan in plans:
        name = translator or plan.unit.translator or document.translator
        if not name:
            raise InputError(f"{document.path}: names no translator for the translations it changes; "
                             "give --translator NAME")
        who[plan.unit.id] = name
    resp_of = {
        name: edit.record_translator(root, name, "Post-editing of the machine translation of Russian fragments")
        for name in dict.fromkeys(who.values())
    }
    counts: dict[str, dict[str, int]] = {name: {} for name in resp_of}
    for plan in plans:
        name = who[plan.unit.id]
        if plan.translation is None and plan.glossary_only is not None:
            # The translator's translation takes the place of the glossary-only output: one element per language.
            edit.replace_glossary_only(plan.glossary_only, plan.text, plan.terms, resp=resp_of[name])
            report.glossary_only_replaced += 1
            counts[name]["glossary_only"] = counts[name].get("glossary_only", 0) + 1
        elif plan.translation is None:
            edit.add_translation(plan.node, lang, plan.text, plan.terms, resp=resp_of[name])
        else:
            edit.replace_translation(plan.translation, plan.text, plan.terms, resp=resp_of[name])
            edit.remove_glossary_only(plan.node, lang)  # output left beside a translation by an earlier import
        setattr(report, plan.kind, getattr(report, plan.kind) + 1)
        counts[name][plan.kind] = counts[name].get(plan.kind, 0) + 1
    for name, done in counts.items():
        edit.add_change(root, resp_of[name], _change_text(done, lang, document.path.name, document.version, name))
    report.translators = list(resp_of)


def report_stem(path: Path) -> str:
    """report.tei.xml -> report; report.en.tei.xml -> report.en."""
    name = path.name
    for suffix in (".tei.xml", ".xml"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def exported_path(tei_path: Path, lang: str) -> Path:
    """Where an export goes by default: report.tei.xml -> report.en.xlf (report.en.tei.xml too)."""
    stem = report_stem(Path(tei_path))
    return Path(tei_path).with_name(f"{stem}.xlf" if stem.endswith(f".{lang}") else f"{stem}.{lang}.xlf")


def post_edited_path(tei_path: Path, lang: str) -> Path:
    """Where an import goes by default: report.tei.xml or report.en.tei.xml -> report.en.post-edited.tei.xml."""
    stem = report_stem(Path(tei_path))
    stem = stem if stem.endswith(f".{lang}") else f"{stem}.{lang}"
    return Path(tei_path).with_name(f"{stem}.post-edited.tei.xml")


def _carried_terms(existing: frag.TeiTranslation, text: str) -> list[Term]:
    """The glossary terms of a translation (or of glossary-only output) found again in a translator's
    text that has no term marks."""
    terms, taken = [], []
    for term in existing.terms:
        rendering = existing.text[term.start:term.end]
        for match in re.finditer(r"(?<!\w)" + re.escape(rendering) + r"(?!\w)", text, re.IGNORECASE):
            span = (match.start(), match.end())
            if not any(a < span[1] and span[0] < b for a, b in taken):
                taken.append(span)
                terms.append(Term(span[0], span[1], term.entry_id))
                break
    return terms


def _change_text(done: dict[str, int], lang: str, source: str, version: str, name: str) -> str:
    parts = []
    if done.get("post_edited"):
        parts.append(f"post-edited {done['post_edited']}")
    if done.get("confirmed"):
        parts.append(f"confirmed {done['confirmed']} unchanged")
    if done.get("added"):
        instead = f" ({done['glossary_only']} in place of glossary-only output)" if done.get("glossary_only") else ""
        parts.append(f"translated {done['added']} new{instead}")
    return (f"{name} {', '.join(parts)} translation(s) into {lang} (XLIFF {version} from {source}, "
            f"imported by coitool {__version__}).")


def _problem_key(problem: str) -> str:
    return re.sub(r"line \d+: ", "", problem)
