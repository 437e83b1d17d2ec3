"""``coitool glossary``: import, export, check and look up glossaries (TSV and TBX).

The work happens in :mod:`toolkit.glossary`; this module parses arguments only.
"""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli import CONTEXT_SETTINGS, run_guarded

GLOSSARY_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
OUTPUT_FILE = click.Path(dir_okay=False, writable=True, path_type=Path)


def _glossary_options(func):
    func = click.option(
        "--no-default-glossary", is_flag=True, help="Leave out the built-in glossary (ru-asylum)."
    )(func)
    return click.option(
        "--glossary", "glossaries", multiple=True, type=GLOSSARY_FILE,
        help="Glossary file (TSV or TBX) added to the built-in one; repeat for several, later files win.",
    )(func)


@click.group("glossary", context_settings=CONTEXT_SETTINGS)
def glossary() -> None:
    """Import, export and check glossaries: TSV to edit by hand, TBX for CAT tools.

    A glossary maps Russian terms (lemma form) to their English, Dutch and German
    renderings; `coitool translate` enforces it. The built-in one is ru-asylum.

    \b
    Examples:
      coitool glossary check
      coitool glossary export -o ru-asylum.tbx --tbx-version v2
      coitool glossary import memoq-export.tbx -o my-terms.tsv
      coitool glossary show повестками
    """


@glossary.command("import", context_settings=CONTEXT_SETTINGS)
@click.argument("source", type=GLOSSARY_FILE, metavar="FILE.tbx")
@click.option("-o", "--output", type=OUTPUT_FILE, required=True, help="Where to write (.tsv, or .tbx to convert).")
@click.option("--tbx-version", type=click.Choice(["v2", "v3"]), default="v3", show_default=True,
              help="TBX flavour when OUTPUT is .tbx.")
def import_(source: Path, output: Path, tbx_version: str) -> None:
    """Convert a termbase exported from a CAT tool (TBX v2 or v3) to a TSV glossary.

    Entries need a Russian term (xml:lang="ru"); the other languages become target
    columns. Use the result with `coitool translate --glossary OUT.tsv`.

    \b
    Examples:
      coitool glossary import multiterm.tbx -o my-terms.tsv
      coitool glossary import termbase-v2.tbx -o termbase-v3.tbx --tbx-version v3
    """
    from toolkit.glossary import read_glossary, write_glossary

    g = run_guarded(read_glossary, source)
    run_guarded(write_glossary, g, output, tbx_version)
    click.echo(f"{output}: {len(g)} entries ({', '.join(g.languages) or 'no targets'})", err=True)


@glossary.command("export", context_settings=CONTEXT_SETTINGS)
@_glossary_options
@click.option("-o", "--output", type=OUTPUT_FILE, required=True, help="Where to write: .tbx or .tsv.")
@click.option("--tbx-version", type=click.Choice(["v2", "v3"]), default="v3", show_default=True,
              help="v2: TBX-Basic <martif> (Trados MultiTerm, memoQ); v3: ISO 30042:2019 <tbx>.")
def export(glossaries: tuple[Path, ...], no_default_glossary: bool, output: Path, tbx_version: str) -> None:
    """Write the glossary (built-in plus --glossary files, merged) as TBX or TSV.

    \b
    Examples:
      coitool glossary export -o ru-asylum.tbx
      coitool glossary export -o ru-asylum-v2.tbx --tbx-version v2
      coitool glossary export --glossary my-terms.tsv -o merged.tsv
    """
    from toolkit.glossary import Glossary, write_glossary

    g = run_guarded(Glossary.load, list(glossaries), include_default=not no_default_glossary)
    if not len(g):
        raise click.UsageError("nothing to export: no glossary given and --no-default-glossary set")
    run_guarded(write_glossary, g, output, tbx_version)
    click.echo(f"{output}: {len(g)} entries, {g.checksum}", err=True)


@glossary.command("check", context_settings=CONTEXT_SETTINGS)
@click.argument("files", nargs=-1, type=GLOSSARY_FILE, metavar="[FILE...]")
@click.option(
    "--coverage", "coverage_list", type=GLOSSARY_FILE, metavar="LIST.tsv",
    help="Measure coverage against this list of core terms (default for the built-in glossary: "
    "glossaries/ru-asylum-coverage.tsv).",
)
@click.option("--no-coverage", is_flag=True, help="Skip the coverage measurement.")
@click.pass_context
def check_command(ctx: click.Context, files: tuple[Path, ...], coverage_list: Path | None, no_coverage: bool) -> None:
    """Report duplicates, missing en/nl/de renderings, terms not in lemma form, and coverage.

    Without FILE, checks the built-in glossary and measures it against the built-in
    list of core terms of COI work on Russia: each term is looked for in its common
    inflected forms (the cases of its head noun, singular and plural), and its
    renderings are compared with the list's. Terms the glossary misses or renders
    otherwise are listed. Exits 1 when a file has problems or covers less than 98 %
    of the list.

    \b
    Examples:
      coitool glossary check
      coitool glossary check my-terms.tsv termbase.tbx
      coitool glossary check my-terms.tsv --coverage glossaries/ru-asylum-coverage.tsv
    """
    from toolkit.glossary import DEFAULT_GLOSSARY, check, glossary_dir, read_glossary
    from toolkit.glossary.coverage import DEFAULT_COVERAGE, coverage, read_coverage

    if no_coverage and coverage_list is not None:
        raise click.UsageError("give either --coverage or --no-coverage, not both")
    paths = list(files) or [glossary_dir() / DEFAULT_GLOSSARY]
    if coverage_list is None and not files and not no_coverage:
        coverage_list = glossary_dir() / DEFAULT_COVERAGE
    items = run_guarded(read_coverage, coverage_list) if coverage_list is not None else None
    failed = False
    for path in paths:
        g = run_guarded(read_glossary, path)
        problems = run_guarded(check, g)
        for problem in problems:
            click.echo(f"{path}: {problem}")
        status = f"{len(problems)} problem(s)" if problems else "no problems"
        if items is not None:
            report = run_guarded(coverage, g, items, coverage_list.name)
            for line in report.problems():
                click.echo(f"{path}: {line}")
            status += f"; {report.summary()}"
            failed = failed or not report.passes
        click.echo(f"{path}: {len(g)} entries, {status}", err=True)
        failed = failed or bool(problems)
    if failed:
        ctx.exit(1)


@glossary.command("show", context_settings=CONTEXT_SETTINGS)
@click.argument("text")
@_glossary_options
def show(text: str, glossaries: tuple[Path, ...], no_default_glossary: bool) -> None:
    """Show the entries for TERM, or for every glossary term found in a text.

    Inflected forms are found too (повестками → повестка).

    \b
    Examples:
      coitool glossary show военкомат
      coitool glossary show "признан иностранным агентом"
    """
    from toolkit.glossary import Glossary

    g = run_guarded(Glossary.load, list(glossaries), include_default=not no_default_glossary)
    exact = g.find(text)
    found = [exact] if exact else [m.entry for m in run_guarded(g.match, text)]
    if not found:
        raise click.ClickException(f"no glossary term in {text!r}")
    for entry in dict.fromkeys(found):
        flags = " (do not translate)" if entry.do_not_translate else ""
        click.echo(f"{entry.term}  [{entry.pos}]  gloss-{entry.id}{flags}")
        for lang in g.languages:
            if g.target(entry, lang):
                click.echo(f"  {lang}: {g.target(entry, lang)}")
        for key, values in entry.forms.items():
            click.echo(f"  {key}: {', '.join(values)}")
        if entry.note:
            click.echo(f"  note: {entry.note}")
