"""What made a TEI file, read from its header alone: for skipping outputs that are up to date.

An extraction records the PDF's checksum (``sourceDesc/bibl/idno[@type='sha256']``), the
coitool version (``respStmt[@xml:id='coitool-extraction']/name[@type='tool']``) and its
options (``…/note[@type='options']``). A translation records the same three for its own
run in ``respStmt[@xml:id='coitool-mt']``: the checksum of the TEI file it read
(``note[@type='source']/idno[@type='sha256']``), ``name[@type='tool']`` and
``note[@type='options']``. The header is read with ``iterparse`` up to the end of
``teiHeader``, so a large text costs nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from lxml import etree

from toolkit.io import SAFE_PARSER_SETTINGS
from toolkit.tei.write import EXTRACTION_ID, T, XML_ID

TRANSLATION_ID = "coitool-mt"  # toolkit.tei.translation.RESP_ID


@dataclass(frozen=True)
class RunRecord:
    """Input checksum, tool and options one run wrote into a header (None: not recorded)."""

    sha256: str | None
    tool: str | None
    options: str | None


@dataclass(frozen=True)
class HeaderRecord:
    extraction: RunRecord
    translation: RunRecord


def _text(node) -> str | None:
    return " ".join("".join(node.itertext()).split()) if node is not None else None


def _run_record(resp_stmt, sha256_node) -> RunRecord:
    if resp_stmt is None:
        return RunRecord(_text(sha256_node), None, None)
    tool = next((n for n in resp_stmt.findall(T + "name") if n.get("type") == "tool"), None)
    options = next((n for n in resp_stmt.findall(T + "note") if n.get("type") == "options"), None)
    return RunRecord(_text(sha256_node), _text(tool), _text(options))


def read_header_record(path) -> HeaderRecord | None:
    """The run records of the TEI file at ``path`` (or in an open binary file); None when it
    is missing or not TEI."""
    source = path if hasattr(path, "read") else os.fspath(path)
    try:
        events = etree.iterparse(source, events=("end",), tag=T + "teiHeader", **SAFE_PARSER_SETTINGS)
        for _, header in events:
            return header_record(header)
    except (OSError, etree.XMLSyntaxError):
        return None
    return None


def header_record(header) -> HeaderRecord:
    extraction = translation = None
    for stmt in header.iterfind(f"{T}fileDesc/{T}titleStmt/{T}respStmt"):
        if stmt.get(XML_ID) == EXTRACTION_ID:
            extraction = stmt
        elif stmt.get(XML_ID) == TRANSLATION_ID:
            translation = stmt
    pdf_sha = next(
        (n for n in header.iterfind(f"{T}fileDesc/{T}sourceDesc/{T}bibl/{T}idno") if n.get("type") == "sha256"), None
    )
    tei_sha = None
    if translation is not None:
        for note in translation.findall(T + "note"):
            if note.get("type") == "source":
                tei_sha = next((n for n in note.iter(T + "idno") if n.get("type") == "sha256"), None)
    return HeaderRecord(_run_record(extraction, pdf_sha), _run_record(translation, tei_sha))
