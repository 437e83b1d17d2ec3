"""``coitool xliff`` and ``coitool tm``: argument parsing only; the work is :mod:`toolkit.exchange`'s."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.cli import CONTEXT_SETTINGS, run_guarded
from toolkit.cli.translate import _info, _warn
from toolkit.text import TARGET_LANGUAGES as LANGUAGES


@click.group("xliff", context_settings=CONTEXT_SETTINGS)
def xliff():
    """Exchange translations with CAT tools (Trados, memoQ, OmegaT, Phrase) as XLIFF.

    `export` writes the Russian fragments of a TEI file, their glossary terms and
    machine translations as XLIFF 2.1 (or 1.2); translators post-edit the targets in
    their tool; `import` brings the edited targets back into the TEI.

    \b
    Examples:
      coitool translate report.tei.xml --to en            # machine translations first
      coitool xliff export report.en.tei.xml --to en      # -> report.en.xlf
      coitool xliff import report.en.tei.xml report.en.xlf --translator "Anna Smit"
    """


@xliff.command("export", context_settings=CONTEXT_SETTINGS)
@click.argument("source", metavar="REPORT.tei.xml")
@click.option("--to", "lang", type=click.Choice(LANGUAGES), required=True, help="Target language of the translation.")
@click.option("-o", "--output", metavar="F.xlf",
              help="Where to write the XLIFF ('-' for stdout). Default: REPORT.<lang>.xlf beside the input.")
@click.option("--what", type=click.Choice(("titles", "all-ru")), default="titles", show_default=True,
              help="titles: Russian <title>s of cited sources; all-ru: every Russian element.")
@click.option("--xliff-version", "version", type=click.Choice(("2.1", "1.2")), default="2.1", show_default=True,
              help="XLIFF 2.1, or 1.2 for tools that read that better.")
@click.option("--glossary", "glossaries", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Extra glossary file (TSV or TBX) whose terms are marked; repeat for several.")
@click.option("--no-default-glossary", is_flag=True, help="Use only the --glossary files, not the built-in one.")
def xliff_export(source, lang, output, what, version, glossaries, no_default_glossary):
    """Write the Russian fragments of a TEI file as XLIFF for a CAT tool.

    One unit per fragment, its id the fragment's xml:id (fragments without one get a
    stable `ru<N>`); the source with glossary terms marked <mrk type="term"> and the
    glossary's rendering in a note; the machine translation, if the TEI has one, as
    the target with state="initial"; glossary-only output (no model) is no target,
    its text and terms go in a note. The file is valid against the OASIS schema.

    \b
    Examples:
      coitool xliff export report.en.tei.xml --to en
      coitool xliff export report.de.tei.xml --to de --what all-ru -o report-de.xlf
      coitool xliff export report.en.tei.xml --to en --xliff-version 1.2
    """
    from toolkit.exchange.xliff import exported_path, export_xliff
    from toolkit.translate.pipeline import load_glossary

    path = Path(source)
    target = None if output == "-" else Path(output) if output else exported_path(path, lang)
    glossary = run_guarded(load_glossary, list(glossaries), include_default=not no_default_glossary)
    report = run_guarded(export_xliff, path, target, lang, what, version, glossary)
    if target is None:
        sys.stdout.buffer.write(report.data)
        sys.stdout.flush()
    _info(
        f"{source} -> {target or 'stdout'}: XLIFF {version}, {report.units} units ({what}), "
        f"{report.targets} with a translation into {lang} as target"
        + (f" ({report.post_edited} already post-edited)" if report.post_edited else "")
        + (f", {report.glossary_only} with glossary-only output (no target; its terms in a note)"
           if report.glossary_only else "")
        + f", {report.terms} glossary terms marked"
    )


@xliff.command("import", context_settings=CONTEXT_SETTINGS)
@click.argument("source", metavar="REPORT.tei.xml")
@click.argument("xliff_file", metavar="F.xlf")
@click.option("-o", "--output", metavar="OUT.tei.xml",
              help="Where to write the TEI. Default: REPORT.<lang>.post-edited.tei.xml beside the input.")
@click.option("--translator", metavar="NAME",
              help="Who post-edited the translations (else the name the XLIFF file gives).")
@click.option("--schema", is_flag=True, help="Also validate the output against tei_all (slow: ~10 s to load the schema).")
def xliff_import(source, xliff_file, output, translator, schema):
    """Bring post-edited translations from a CAT tool's XLIFF back into the TEI.

    Each target the translator changed (or confirmed: translated, reviewed, final,
    approved) replaces the machine translation, with @resp naming the translator,
    @cert="high" and a revisionDesc/change; untouched units keep the machine
    translation. A target for a fragment with glossary-only output replaces it by a
    translation. Reads XLIFF 2.0, 2.1 and 1.2. A file that does not belong to the TEI
    (unknown ids, other sources, wrong languages), is not valid XLIFF or has a DOCTYPE
    is refused, and nothing is written.

    \b
    Examples:
      coitool xliff import report.en.tei.xml report.en.xlf --translator "Anna Smit"
      coitool xliff import report.en.tei.xml edited.xlf -o report.en.final.tei.xml
    """
    from toolkit.exchange.xliff import import_xliff

    report = run_guarded(import_xliff, Path(source), Path(xliff_file), Path(output) if output else None,
                         translator, schema=schema)
    if report.input_problems:
        _warn(f"{source} was not valid TEI before the import ({report.input_problems} problems); "
              "no new ones were added")
    if report.terms_dropped:
        _warn(f"{report.terms_dropped} term marks name no glossary entry of {source} and were dropped")
    _info(
        f"{xliff_file} -> {report.out_path}: {report.units} units (XLIFF {report.version}, into {report.lang}); "
        f"{report.post_edited} post-edited, {report.confirmed} confirmed unchanged, {report.added} new"
        + (f" ({report.glossary_only_replaced} in place of glossary-only output)" if report.glossary_only_replaced else "")
        + f", {report.unchanged} kept as they were"
        + (f", {report.partial} only partly translated (kept)" if report.partial else "")
        + (f"; translator: {', '.join(report.translators)}" if report.translators else "")
    )


@click.group("tm", context_settings=CONTEXT_SETTINGS)
def tm():
    """The translation memory for CAT tools (TMX 1.4b).

    \b
    Examples:
      coitool tm export -o memory.tmx
      coitool tm export -o memory-en.tmx --to en outputs/*.en.tei.xml
    """


@tm.command("export", context_settings=CONTEXT_SETTINGS)
@click.argument("tei_files", nargs=-1, metavar="[TEI files...]")
@click.option("-o", "--output", metavar="memory.tmx", required=True, help="Where to write the TMX file.")
@click.option("--to", "lang", type=click.Choice(LANGUAGES), help="Only translations into this language (default: all).")
@click.option("--no-cache", is_flag=True, help="Only the TEI files, not the translation cache.")
@click.option("--cache-file", type=click.Path(dir_okay=False, path_type=Path),
              help="The cache to read. Default: <models folder>/.cache/translations.sqlite3.")
def tm_export(tei_files, output, lang, no_cache, cache_file):
    """Write the translation memory as TMX 1.4b for a CAT tool to reuse.

    From the translation cache (every sentence a model translated, glossary forced)
    and from translated TEI files (each Russian fragment and its translation, machine
    or post-edited by a translator). Each unit has its creation tool, date and author
    and, as properties, its origin, models and the glossary's checksum.

    \b
    Examples:
      coitool tm export -o memory.tmx
      coitool tm export -o memory-en.tmx --to en report.en.post-edited.tei.xml
      coitool tm export -o reviewed.tmx --no-cache reports/*.post-edited.tei.xml
    """
    from toolkit.exchange.tmx import export_tmx

    report = run_guarded(export_tmx, Path(output), lang, [Path(p) for p in tei_files],
                         cache=not no_cache, cache_path=cache_file)
    notes = []
    if report.without_source:
        notes.append(f"{report.without_source} older cache records have no source text and were left out")
    if report.glossary_only:
        notes.append(f"{report.glossary_only} glossary-only translations were left out")
    for note in notes:
        _warn(note)
    _info(
        f"Wrote {report.segments} translation units ({', '.join(report.languages)}) to {output}: "
        + ", ".join(
            ([f"{report.from_cache} from the cache"] if not no_cache else [])
            + ([f"{report.from_tei} from {len(tei_files)} TEI file(s)"] if tei_files else [])
        )
        + (f"; {report.duplicates} duplicates merged" if report.duplicates else "")
    )
