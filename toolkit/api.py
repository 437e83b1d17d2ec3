"""The library API for engines that hold their files in memory (batch workers, Dask, services).

``extract_bytes`` turns a PDF's bytes into TEI (or JSON, or the reading view) bytes;
``translate_bytes`` a TEI file's bytes into the translated TEI's bytes. Both return a
:class:`Result`. Nothing here keeps global state of its own: translation models are
loaded once per process (:func:`toolkit.translate.backends.load_model`), glossaries once
per process and set of files (:func:`glossary_for`, under a lock), so the functions can be
called from several threads and from several processes at once.

    >>> from toolkit.api import extract_bytes
    >>> result = extract_bytes(open("report.pdf", "rb").read(), "report.pdf", languages=False)
    >>> result.summary["notes"], result.data[:5]
    (49, b'<?xml')
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

FORMATS = ("tei", "json", "html")
# A glossary file is named in the options by the start of its SHA-256: 64 bits tell any
# two versions of a file apart, and the note stays readable.
GLOSSARY_DIGEST_CHARS = 16
SUFFIXES = {"tei": ".tei.xml", "json": ".json", "html": ".html"}


@dataclass
class Result:
    """An output's bytes, its summary (notes, pages, warnings: counts) and its warnings."""

    data: bytes
    summary: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def extraction_options(*, languages: bool = True, citations: bool = True, langid: str = "lingua") -> dict[str, str]:
    """The options an extraction records in the TEI header (``note[@type='options']``)."""
    from toolkit.extract.pipeline import extraction_record

    return extraction_record(languages=languages, citations=citations, langid=langid).options


def extract_bytes(data: bytes, name: str, *, format: str = "tei", languages: bool = True, citations: bool = True,
                  langid: str = "lingua", label: str | None = None) -> Result:
    """Extract a PDF held in memory (``name``: its file name, recorded in the header;
    ``label``, default ``name``: what error messages start with).

    The same stages and the same checks as ``coitool extract`` on a file of those bytes,
    and the same output, byte for byte.
    """
    from toolkit.extract.pipeline import extract_bytes as extract_document

    if format not in FORMATS:
        from toolkit.errors import CoitoolError

        raise CoitoolError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    doc = extract_document(data, name, languages=languages, citations=citations, langid=langid, label=label)
    return Result(render(doc, format), {
        "notes": len(doc.footnotes), "pages": doc.source.page_count, "warnings": len(doc.warnings),
    }, list(doc.warnings))


def render(doc, format: str) -> bytes:
    """The document model as TEI, JSON or the HTML reading view."""
    from toolkit.tei import document_to_tei, serialize

    if format == "json":
        from toolkit.jsonout import serialize_json

        return serialize_json(doc)
    if format == "html":
        from toolkit.view import tei_to_html

        return tei_to_html(document_to_tei(doc))
    return serialize(document_to_tei(doc))


_glossaries: dict[tuple, object] = {}
_glossaries_lock = threading.Lock()


def glossary_for(paths: Sequence[str], include_default: bool = True):
    """The glossary of these files (and the built-in one), loaded once per process and content."""
    from toolkit.translate.pipeline import load_glossary

    key = (tuple((str(p), file_digest(p)) for p in paths), include_default)
    with _glossaries_lock:
        if key not in _glossaries:
            _glossaries[key] = load_glossary(list(paths), include_default=include_default)
        return _glossaries[key]


def file_digest(path) -> str:
    """A file's SHA-256 ("missing" when it cannot be read: loading it will say why)."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "missing"


def translation_options(to: str, what: str = "titles", *, glossaries: Sequence[str] = (), default_glossary: bool = True,
                        placeholder: str = "ZXQ") -> dict[str, str]:
    """The options a translation records in the TEI header: glossary files by checksum."""
    from toolkit.translate.pipeline import run_options

    return run_options(to, what, glossaries=[file_digest(p)[:GLOSSARY_DIGEST_CHARS] for p in glossaries],
                       default_glossary=default_glossary, placeholder=getattr(placeholder, "letters", placeholder))


def translate_bytes(data: bytes, name: str, to: str, *, what: str = "titles", glossaries: Sequence[str] = (),
                    default_glossary: bool = True, cache: bool = True, placeholder: str = "ZXQ",
                    device: str = "auto", threads: int | None = None, schema: bool = False) -> Result:
    """Translate the Russian fragments of a TEI file held in memory (``name`` starts error messages)."""
    from toolkit.translate.engine import TranslationEngine
    from toolkit.translate.pipeline import translate_tei_bytes

    engine = TranslationEngine(glossary_for(glossaries, default_glossary), disk_cache=cache, device=device,
                               threads=threads, placeholder=placeholder)
    options = translation_options(to, what, glossaries=glossaries, default_glossary=default_glossary,
                                  placeholder=placeholder)
    output, report = translate_tei_bytes(data, name, to, what, engine=engine, schema=schema, options=options)
    warnings = [report.notice] if report.notice else []
    if report.unenforced:
        warnings.append("glossary terms not enforced (the model dropped them): " + ", ".join(sorted(report.unenforced)))
    if report.input_problems:
        warnings.append(f"{name} was not valid TEI before translation ({report.input_problems} problems)")
    return Result(output, {
        "fragments": report.fragments, "translated": report.translated, "glossary_only": report.glossary_only,
        "terms": report.terms_enforced, "warnings": len(warnings), "mode": report.mode,
    }, warnings)
