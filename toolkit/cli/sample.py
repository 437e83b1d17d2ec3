"""``coitool sample``: write a generated report PDF (and its ground truth) to try coitool on."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli import CONTEXT_SETTINGS, run_guarded
from toolkit.errors import OutputError
from toolkit.io import atomic_path, write_atomic

# Kept in step with toolkit.sample.STYLES (a test checks); listed here so --help stays instant.
STYLE_NAMES = ("default", "letter", "compact", "large", "chapters", "perpage", "wordtab", "lawreview", "symbols",
               "letters", "columns3", "smalltype")


def make_sample(out: Path, style: str, pages: int | None, seed: int, truth: Path | None) -> int:
    """Generate the report; return its page count."""
    from toolkit.sample.generator import build_report

    if out.is_dir():
        raise OutputError(f"{out} is a directory; give a file name such as {out / 'sample.pdf'}")
    with atomic_path(out, suffix=".part") as tmp:
        try:
            report_truth = build_report(tmp, style=style, seed=seed, target_pages=pages)
        except ValueError as error:
            raise OutputError(str(error)) from None
    if truth is not None:
        write_atomic(report_truth.to_json().encode("utf-8"), truth)
    return report_truth.page_count


@click.command("sample", context_settings=CONTEXT_SETTINGS)
@click.argument("out", type=click.Path(dir_okay=True, path_type=Path))
@click.option("--style", type=click.Choice(STYLE_NAMES), default="default", show_default=True,
              help="Layout variant (page size, fonts, margins, footnote numbering and labels, running text, columns).")
@click.option("--pages", type=click.IntRange(1, 2000), default=None,
              help="Grow the report to about this many pages.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the generated text.")
@click.option("--truth", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the ground truth (notes, markers, links, ...) as JSON.")
@click.pass_context
def sample(ctx: click.Context, out: Path, style: str, pages: int | None, seed: int, truth: Path | None) -> None:
    """Write a generated COI report PDF to OUT.

    The report is invented (a fictional country) but laid out like a real one: footnotes
    continuing over pages, superscript markers glued to numbers, Cyrillic citations, link
    annotations, running header and "Pagina N van M" footer. The styles beyond the first
    four carry what real reports do to extractors: notes numbered anew per chapter
    (chapters) or page (perpage, symbols, letters), "37." plus a tab (wordtab), a law
    review with a two-line header right above the body (lawreview), three columns
    (columns3), pages in small type (smalltype).

    \b
    Examples:
      coitool sample outputs/sample.pdf
      coitool sample outputs/long.pdf --pages 100 --style compact
      coitool sample outputs/chapters.pdf --style chapters
      coitool sample outputs/s.pdf --seed 7 --truth outputs/s.truth.json
    """
    page_count = run_guarded(make_sample, out, style, pages, seed, truth)
    if not (ctx.find_root().obj or {}).get("quiet"):
        click.echo(f"Wrote {out} ({page_count} pages, style {style})", err=True)
