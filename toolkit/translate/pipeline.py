"""A TEI file's Russian fragments translated: select, translate in one batch, write beside, record.

The engine (:mod:`toolkit.translate.engine`) turns texts into translations; the TEI
editing (:mod:`toolkit.tei.translation`) finds the fragments and writes the results and
the header records. This module runs the two in order and checks the result.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from toolkit import __version__
from toolkit.errors import CoitoolError, InputError, ValidationError
from toolkit.text import SOURCE_LANGUAGE, TARGET_LANGUAGES
from toolkit.translate.engine import GLOSSARY_ONLY, TranslationEngine, engine_versions

if TYPE_CHECKING:
    from toolkit.glossary import Glossary, GlossaryEntry
    from toolkit.tei.translation import GlossaryRecord

WHAT_CHOICES = ("titles", "all-ru")


@dataclass
class TeiTranslationReport:
    out_path: Path
    lang: str
    mode: str
    fragments: int = 0
    translated: int = 0  # fragments a model translated
    glossary_only: int = 0  # fragments with glossary terms rendered and nothing else (no model)
    replaced: int = 0  # earlier translations into the same language that were replaced
    terms_enforced: int = 0
    sentences: int = 0  # sentences a model translated (this run or, cached, an earlier one)
    ranked: int = 0  # of those, sentences that fell back to ranking: a glossary placeholder was lost
    unenforced: dict[str, int] = field(default_factory=dict)
    packages: list[str] = field(default_factory=list)
    device: str = ""  # where the models ran (cpu, 2 threads / cuda); "" without a model
    notice: str | None = None
    input_problems: int = 0


def translate_tei(
    in_path,
    out_path,
    to: str,
    what: str = "titles",
    glossaries: Sequence[str | os.PathLike] | None = None,
    *,
    glossary: "Glossary | None" = None,
    engine: TranslationEngine | None = None,
    validate: bool = True,
    schema: bool = False,
    include_default_glossary: bool = True,
    disk_cache: bool = True,
    options: dict[str, str] | None = None,
) -> TeiTranslationReport:
    """Add translations into ``to`` beside the Russian fragments of a TEI file.

    ``what="titles"`` translates Russian ``<title>``s (the titles of cited sources);
    ``"all-ru"`` also every other element whose effective ``xml:lang`` is ``ru``.
    Earlier translations into the same language are replaced, never duplicated. The
    output must pass coitool's own checks, and with ``schema`` tei_all too (new problems
    raise ``ValidationError``, nothing is written); it is written atomically.
    ``options`` (default: :func:`run_options` of ``to`` and ``what``) are recorded in the
    header with the checksum of the input, so a batch can tell an output is up to date.
    """
    from toolkit.io import write_atomic

    in_path, out_path = Path(in_path), Path(out_path)
    if not in_path.is_file():
        raise InputError(f"{in_path}: no such file")
    try:
        data = in_path.read_bytes()
    except OSError as error:
        raise InputError(f"{in_path}: cannot read ({error.strerror or error})") from None
    output, report = translate_tei_bytes(
        data, str(in_path), to, what, glossaries, glossary=glossary, engine=engine, validate=validate, schema=schema,
        include_default_glossary=include_default_glossary, disk_cache=disk_cache, options=options, out_path=out_path,
    )
    write_atomic(output, out_path)
    return report


def run_options(to: str, what: str, *, glossaries: Sequence[str] = (), default_glossary: bool = True,
                placeholder: str = "ZXQ") -> dict[str, str]:
    """The options of a translation run that change its output, as the header records them.

    ``glossaries`` are the extra glossary files' checksums (or names), in order.
    """
    return {
        "to": to,
        "what": what,
        "defaultGlossary": "yes" if default_glossary else "no",
        "glossaries": "+".join(glossaries) or "none",
        "placeholder": placeholder,
    }


def translate_tei_bytes(
    data: bytes,
    name: str,
    to: str,
    what: str = "titles",
    glossaries: Sequence[str | os.PathLike] | None = None,
    *,
    glossary: "Glossary | None" = None,
    engine: TranslationEngine | None = None,
    validate: bool = True,
    schema: bool = False,
    include_default_glossary: bool = True,
    disk_cache: bool = True,
    options: dict[str, str] | None = None,
    out_path: Path | None = None,
) -> tuple[bytes, TeiTranslationReport]:
    """:func:`translate_tei` for a TEI file held in memory (``name`` starts error messages):
    the translated TEI's bytes and the report."""
    import hashlib

    from lxml import etree

    from toolkit.io import safe_xml_parser
    from toolkit import tei
    from toolkit.tei import translation as edit

    if what not in WHAT_CHOICES:
        raise CoitoolError(f"--what must be one of {', '.join(WHAT_CHOICES)}, not {what!r}")
    if to not in TARGET_LANGUAGES:
        raise CoitoolError(f"cannot translate into {to!r}; choose one of {', '.join(TARGET_LANGUAGES)}")
    try:
        tree = etree.fromstring(data, safe_xml_parser()).getroottree()
    except etree.XMLSyntaxError as error:
        raise ValidationError(f"{name}: not well-formed XML ({error})") from None
    root = tree.getroot()
    if root.tag != tei.T + "TEI":
        raise InputError(f"{name}: not a TEI document (root element {edit.localname(root)})")
    edit.refuse_entities(tree, name)
    before = _problem_set(tei.validate_tei(tree, full=schema)) if validate else set()

    if engine is None:
        if glossary is None:
            glossary = load_glossary(glossaries, include_default_glossary)
        engine = TranslationEngine(glossary, disk_cache=disk_cache)
    glossary = engine.glossary
    report = TeiTranslationReport(out_path=out_path or Path(name), lang=to, mode=engine.mode(to), notice=engine.notice(to))
    route = engine.route(to) or []
    report.packages = [pkg.label for pkg in route]
    if route:
        report.device = engine.device

    report.replaced = edit.remove_translations(root, to)
    units = edit.select_units(root, what)
    texts = [edit.unit_text(unit) for unit in units]
    # After removing our own, a translation into ``to`` left beside a unit is a translator's: keep it.
    todo = [(unit, text) for unit, text in zip(units, texts) if text and edit.find_translation(unit, to) is None]
    report.fragments = len(todo)
    results = engine.translate([text for _, text in todo], to) if todo else []
    used_entries: dict[str, GlossaryEntry] = {}
    for (unit, _), result in zip(todo, results):
        report.sentences += result.sentences
        report.ranked += result.ranked
        for name in result.unenforced:
            report.unenforced[name] = report.unenforced.get(name, 0) + 1
        if result.mode == GLOSSARY_ONLY and not result.terms:
            continue  # nothing translated: leave the fragment alone
        edit.insert_translation(unit, result, to)
        if result.mode == GLOSSARY_ONLY:
            report.glossary_only += 1
        else:
            report.translated += 1
        report.terms_enforced += len(result.terms)
        for term in result.terms:
            if term.entry_id not in used_entries:
                entry = engine.entry(term.entry_id)
                if entry is not None:
                    used_entries[term.entry_id] = entry
    engine.close()

    record = glossary_record(glossary)
    edit.record_run(
        root,
        resp=f"Machine translation of Russian fragments by coitool {__version__} (glossary terms marked with term/@ref)",
        names=run_names(report, record),
        change=change_text(report, what, record),
        counts=run_counts(report),
        tool=f"coitool {__version__}",
        options=options if options is not None else run_options(to, what),
        source_sha256=hashlib.sha256(data).hexdigest(),
    )
    terms = [
        edit.TermRecord(entry_id, entry.term, tuple((lang, glossary.target(entry, lang)) for lang in TARGET_LANGUAGES))
        for entry_id, entry in used_entries.items()
    ]
    edit.update_taxonomy(root, record, terms)
    if validate:
        after = tei.validate_tei(tree, full=schema)
        new = [problem for problem in after if _problem_key(problem) not in before]
        if new:
            raise ValidationError(f"translated TEI would not be valid, not written: {new[0]}")
        report.input_problems = len(before)
    return tei.serialize(tree), report


def glossary_record(glossary: "Glossary | None") -> "GlossaryRecord | None":
    """How the TEI header names the glossary a run used."""
    from toolkit.tei.translation import GlossaryRecord

    if glossary is None:
        return None
    return GlossaryRecord(glossary.name, glossary.version, glossary.checksum)


def run_names(report: TeiTranslationReport, glossary: "GlossaryRecord | None") -> list[tuple[str, str]]:
    versions = engine_versions()
    models_used = report.packages or [f"{GLOSSARY_ONLY} (no model installed for {SOURCE_LANGUAGE}-{report.lang})"]
    engine = "; ".join(f"{k} {v}" for k, v in versions.items()) or "argostranslate"
    names = [("engine", engine + (f" ({report.device})" if report.device else ""))]
    names += [("model", label) for label in models_used]
    names.append(("glossary", glossary.label if glossary else "none"))
    return names


def change_text(report: TeiTranslationReport, what: str, glossary: "GlossaryRecord | None") -> str:
    """The revisionDesc/change of a run: what was translated, by what, and what was not."""
    unenforced = sum(report.unenforced.values())
    tail = (
        f"; glossary {glossary.label if glossary else 'none'}; {report.terms_enforced} glossary terms marked"
        + (f", {unenforced} not enforced" if unenforced else "")
        + (f"; replaced {report.replaced} earlier translations" if report.replaced else "")
        + "."
    )
    if report.mode == GLOSSARY_ONLY:
        return (
            f"Glossary-only run (no translation model installed for {SOURCE_LANGUAGE}-{report.lang}): glossary terms "
            f"rendered into {report.lang} in {report.glossary_only} of {report.fragments} Russian fragments ({what}); "
            f"no model translated them, the rest of their text is Russian (type=\"{GLOSSARY_ONLY}\")" + tail
        )
    return (
        f"Translated {report.translated} of {report.fragments} Russian fragments ({what}) into {report.lang} "
        f"with {', '.join(report.packages)}" + tail
    )


def run_counts(report: TeiTranslationReport) -> list[tuple[str, int, str]]:
    """Machine-readable counts for the run's revisionDesc/change: (type, value, label)."""
    if report.mode == GLOSSARY_ONLY:
        return []
    return [
        ("sentences", report.sentences, "sentences translated"),
        ("rankedSentences", report.ranked, "fell back to ranking hypotheses (a glossary placeholder was lost)"),
    ]


def summary_line(report: TeiTranslationReport, where: str) -> str:
    """What ``coitool translate`` tells the user a run did: honest about glossary-only runs."""
    replaced = f"; replaced {report.replaced} earlier translations" if report.replaced else ""
    if report.mode == GLOSSARY_ONLY:
        return (
            f"Glossary-only: rendered glossary terms into {report.lang} in {report.glossary_only} of "
            f"{report.fragments} Russian fragments ({report.terms_enforced} terms); no model translated them, "
            f"the rest of their text stays Russian{replaced}; wrote {where}"
        )
    ranked = f"; {report.ranked} of {report.sentences} sentences fell back to ranking" if report.ranked else ""
    return (
        f"Translated {report.translated} of {report.fragments} Russian fragments into {report.lang} "
        f"({', '.join(report.packages)}); {report.terms_enforced} glossary terms marked{ranked}{replaced}; wrote {where}"
    )


def load_glossary(paths: Sequence[str | os.PathLike] | None = None, include_default: bool = True) -> "Glossary":
    """The default asylum glossary plus the user's files (later files win)."""
    from toolkit.glossary import Glossary

    paths = [Path(p) for p in paths or []]
    if not paths and include_default:
        return Glossary.default()
    return Glossary.load(paths=paths, include_default=include_default)


def _problem_key(problem: str) -> str:
    return re.sub(r"line \d+: ", "", problem)


def _problem_set(problems: list[str]) -> set[str]:
    return {_problem_key(p) for p in problems}
