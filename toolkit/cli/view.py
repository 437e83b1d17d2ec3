"""``coitool view``: the reading view of a TEI file, one self-contained HTML page."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.cli import CONTEXT_SETTINGS, run_guarded
from toolkit.errors import InputError


def default_output(source: Path) -> Path:
    """report.tei.xml -> report.html beside it."""
    name = source.name
    for suffix in (".tei.xml", ".xml"):
        if name.lower().endswith(suffix):
            return source.with_name(name[: -len(suffix)] + ".html")
    return source.with_name(name + ".html")


@click.command("view", context_settings=CONTEXT_SETTINGS)
@click.argument("source", metavar="REPORT.tei.xml | -")
@click.option("-o", "--output", metavar="OUT.html",
              help="Where to write the page ('-' for stdout). Default: REPORT.html beside the input.")
@click.pass_context
def view(ctx, source, output):
    """Write a TEI file as one HTML page to read in any browser (no server, no network).

    The page has the headings as a table of contents, footnotes as numbered
    markers with the note beside (or below) its paragraph and a link back,
    translations beside their Russian originals (engine, glossary and certainty
    on hover), glossary terms highlighted, a switch that colours the text by
    language, page numbers of the PDF in the margin, running headers on request,
    and a print stylesheet. Open it with a double click.

    \b
    Examples:
      coitool view outputs/report.tei.xml                 # -> outputs/report.html
      coitool view outputs/report.en.tei.xml -o report-en.html
      coitool translate report.tei.xml --to en -o - | coitool view - -o report.html
      coitool extract report.pdf --format html            # PDF straight to the page
    """
    from toolkit.view import view_file

    if source == "-":
        data = sys.stdin.buffer.read()
        if not data.strip():
            raise click.ClickException("stdin: no TEI given")
        target = None if output in (None, "-") else Path(output)
        summary = run_guarded(view_file, data, target)
        where = "stdout" if target is None else str(target)
    else:
        path = Path(source)
        target = None if output == "-" else Path(output) if output else default_output(path)
        if target is not None and path.exists() and target.exists() and target.resolve() == path.resolve():
            raise click.ClickException(str(InputError(f"{target}: the output would overwrite the input")))
        summary = run_guarded(view_file, path, target)
        where = "stdout" if target is None else str(target)
    if not (ctx.obj or {}).get("quiet") and where != "stdout":
        click.echo(
            f"{source} -> {where} ({summary.headings} headings, {summary.notes} notes, "
            f"{summary.translations} translations, {summary.pages} pages)",
            err=True,
        )
