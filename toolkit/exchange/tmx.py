"""TMX 1.4b: coitool's translation memory for CAT tools, from the translation cache and translated TEI files.

Two sources, one ``<tu>`` per distinct pair of source and target:

- the translation cache (:func:`toolkit.translate.cache.read_segments`): each Russian
  sentence a model translated with the glossary forced, as ``segtype="sentence"``;
- translated TEI files: each Russian fragment and its translation beside it
  (``segtype="block"``), a translator's post-edit as well as a machine translation.
  Glossary-only output (Russian text with only the glossary's terms rendered) is no
  translation and is left out.

Every ``<tu>`` says how it was made (``creationid``, ``creationdate``) and carries
``<prop>``s a CAT tool keeps: the origin, the models, the glossary checksum, the TEI
file and fragment. The file is checked against the TMX 1.4b DTD before it is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from lxml import etree

from toolkit import __version__
from toolkit.errors import CoitoolError, InputError, ValidationError
from toolkit.exchange import fragments as frag
from toolkit.exchange.schemas import indent_structure, tmx_problems
from toolkit.tei.write import xml_text
from toolkit.text import SOURCE_LANGUAGE, TARGET_LANGUAGES

TMX_DATE = "%Y%m%dT%H%M%SZ"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CACHE_FILE = "translations.sqlite3"
MACHINE = "machine-translation"
POST_EDITED = "post-edited"


@dataclass
class MemorySegment:
    """One translation unit of the memory."""

    source: str
    target: str
    lang: str
    origin: str  # MACHINE or POST_EDITED
    created: str  # TMX date (YYYYMMDDThhmmssZ)
    creator: str
    segtype: str  # "sentence" (cache) or "block" (a TEI fragment)
    tuid: str
    props: list[tuple[str, str]] = field(default_factory=list)

    @property
    def glossary_checksum(self) -> str | None:
        return next((value for kind, value in self.props if kind == "x-coitool-glossary-checksum"), None)


@dataclass
class TmxExport:
    """What :func:`export_tmx` wrote."""

    out_path: Path
    segments: int = 0
    from_cache: int = 0
    from_tei: int = 0
    duplicates: int = 0  # pairs found more than once (kept once)
    without_source: int = 0  # cache records written before the cache kept their source text
    glossary_only: int = 0  # TEI translations left out: glossary-only output
    languages: list[str] = field(default_factory=list)
    cache_path: Path | None = None


def tmx_date(value: str | None) -> str:
    """An ISO 8601 date or date-time (``2025-02-14``, ``2025-02-14T10:00:00Z``) as a TMX date, UTC."""
    if value:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            parsed = None
        if parsed is not None:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=dt.timezone.utc)
            return parsed.astimezone(dt.timezone.utc).strftime(TMX_DATE)
    return dt.datetime.now(dt.timezone.utc).strftime(TMX_DATE)


def default_cache_path() -> Path:
    """Where ``coitool translate`` keeps its cache: ``<models folder>/.cache/translations.sqlite3``."""
    from toolkit.translate.packages import CACHE_DIR, models_dir

    return models_dir() / CACHE_DIR / CACHE_FILE


def cache_segments(path: Path, lang: str | None = None) -> tuple[list[MemorySegment], int]:
    """The cache's segments (into ``lang``, or every language) and how many records have no source."""
    from toolkit.translate.cache import read_segments

    records, without_source = read_segments(path)
    found = []
    for record in records:
        if lang is not None and record.source.lang != lang:
            continue
        source, target = frag.normalise(record.source.text), frag.normalise(record.hypotheses[0].text) if record.hypotheses else ""
        if not source or not target or record.source.lang not in TARGET_LANGUAGES:
            continue
        props = [("x-coitool-origin", MACHINE)]
        props += [("x-coitool-model", model) for model in record.models]
        if record.glossary_checksum:
            props.append(("x-coitool-glossary-checksum", record.glossary_checksum))
        props.append(("x-coitool-pipeline", record.pipeline))
        found.append(MemorySegment(
            source, target, record.source.lang, MACHINE, tmx_date(record.created), "coitool-mt", "sentence",
            f"cache-{record.key[:16]}", props,
        ))
    return found, without_source


def tei_segments(path: Path, lang: str | None = None) -> tuple[list[MemorySegment], int]:
    """A translated TEI file's fragments and their translations; and how many were glossary-only output."""
    from toolkit.tei.translation import TRANSLATED_CERT
    from toolkit.translate.results import GLOSSARY_ONLY

    root = frag.read_tei(path).getroot()
    checksum = _tei_glossary_checksum(root)
    dates = frag.change_dates(root)
    found, glossary_only = [], 0
    wanted = [lang] if lang is not None else TARGET_LANGUAGES
    for fragment in frag.fragments(root, "any", wanted):
        glossary_only += len(fragment.glossary_only)
        for target_lang, translation in fragment.translations.items():
            if not translation.text:
                continue
            if translation.by_machine and translation.cert == TRANSLATED_CERT.get(GLOSSARY_ONLY):
                glossary_only += 1  # glossary-only output written before it was marked as such
                continue
            origin = MACHINE if translation.by_machine else POST_EDITED
            creator = "coitool-mt" if translation.by_machine else (frag.person_name(root, translation.resp) or translation.resp)
            props = [("x-coitool-origin", origin), ("x-coitool-document", path.name), ("x-coitool-fragment", fragment.id)]
            if translation.cert:
                props.append(("x-coitool-certainty", translation.cert))
            if checksum:
                props.append(("x-coitool-glossary-checksum", checksum))
            found.append(MemorySegment(
                fragment.text, translation.text, target_lang, origin, tmx_date(dates.get(translation.resp)),
                creator, "block", f"{path.name}#{fragment.id}.{target_lang}", props,
            ))
    return found, glossary_only


def _tei_glossary_checksum(root) -> str | None:
    for taxonomy in root.iter(frag.T + "taxonomy"):
        for idno in taxonomy.iter(frag.T + "idno"):
            if idno.get("type") == "checksum" and (idno.text or "").strip():
                return idno.text.strip()
    return None


def export_tmx(
    out_path,
    to: str | None = None,
    tei_files: Sequence = (),
    *,
    cache: bool = True,
    cache_path: Path | None = None,
) -> TmxExport:
    """Write the translation memory as TMX 1.4b: the cache's segments (``cache``) and the TEI files'."""
    from toolkit.io import write_atomic

    if to is not None and to not in TARGET_LANGUAGES:
        raise CoitoolError(f"--to must be one of {', '.join(TARGET_LANGUAGES)}, not {to!r}")
    report = TmxExport(Path(out_path))
    segments: list[MemorySegment] = []
    if cache:
        report.cache_path = Path(cache_path) if cache_path is not None else default_cache_path()
    frag.refuse_overwrite(report.out_path, [*tei_files, report.cache_path], "an input")
    if cache:
        found, report.without_source = cache_segments(report.cache_path, to)
        report.from_cache = len(found)
        segments += found
    for path in tei_files:
        found, skipped = tei_segments(Path(path), to)
        report.from_tei += len(found)
        report.glossary_only += skipped
        segments += found
    unique = _deduplicate(segments)
    report.duplicates = len(segments) - len(unique)
    if not unique:
        where = f"the cache ({report.cache_path})" if cache else "no cache"
        files = f" and {len(tei_files)} TEI file(s)" if tei_files else " and no TEI files"
        raise InputError(f"nothing to export: no translations{' into ' + to if to else ''} in {where}{files}")
    report.segments = len(unique)
    report.languages = sorted({s.lang for s in unique})
    tree = _build(unique)
    problems = tmx_problems(tree)
    if problems:
        raise ValidationError(f"the TMX written is not valid TMX 1.4b, not written: {problems[0]}")
    write_atomic(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"), report.out_path)
    return report


def _deduplicate(segments: Iterable[MemorySegment]) -> list[MemorySegment]:
    """One segment per (language, source, target): a post-edit wins over a machine translation, else the first."""
    kept: dict[tuple[str, str, str], MemorySegment] = {}
    for segment in segments:
        key = (segment.lang, segment.source, segment.target)
        if key not in kept or (segment.origin == POST_EDITED and kept[key].origin == MACHINE):
            kept[key] = segment
    return list(kept.values())


def _build(segments: Sequence[MemorySegment]) -> etree._ElementTree:
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(root, "header", {
        "creationtool": "coitool", "creationtoolversion": __version__, "segtype": "sentence",
        "o-tmf": "coitool", "adminlang": "en", "srclang": SOURCE_LANGUAGE, "datatype": "plaintext",
        "creationdate": dt.datetime.now(dt.timezone.utc).strftime(TMX_DATE),
    })
    checksums = dict.fromkeys(s.glossary_checksum for s in segments if s.glossary_checksum)
    props = [("x-coitool-glossary-checksum", value) for value in checksums]
    props.append(("x-coitool-languages", " ".join(sorted({s.lang for s in segments}))))
    for kind, value in props:
        etree.SubElement(header, "prop", type=kind).text = xml_text(value)
    body = etree.SubElement(root, "body")
    for segment in segments:
        tu = etree.SubElement(body, "tu", {
            "tuid": segment.tuid, "srclang": SOURCE_LANGUAGE, "segtype": segment.segtype,
            "creationtool": "coitool", "creationtoolversion": __version__,
            "creationdate": segment.created, "creationid": segment.creator,
        })
        for kind, value in segment.props:
            etree.SubElement(tu, "prop", type=kind).text = xml_text(value)
        for lang, text in ((SOURCE_LANGUAGE, segment.source), (segment.lang, segment.target)):
            tuv = etree.SubElement(tu, "tuv")
            tuv.set(XML_LANG, lang)
            etree.SubElement(tuv, "seg").text = xml_text(text)
    indent_structure(root, {"seg", "prop", "note"})
    return etree.ElementTree(root)
