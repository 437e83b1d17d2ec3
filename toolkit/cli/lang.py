"""``coitool lang``: the language of each line of text, for scripting and for checking the detector."""

from __future__ import annotations

import sys

import click

from toolkit.cli import CONTEXT_SETTINGS, run_guarded


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("text", required=False)
@click.option(
    "--langid",
    "engine",
    type=click.Choice(["lingua", "langdetect"]),
    default="lingua",
    show_default=True,
    help="Language identification engine.",
)
@click.option("--context", metavar="CODE", help="Language around the text; short lines fall back to it.")
def lang(text: str | None, engine: str, context: str | None) -> None:
    """Print CODE<TAB>CONFIDENCE<TAB>LINE for each line of TEXT (or of stdin with '-').

    CODE is nl, en, de or ru, another ISO 639-1 code when the evidence is strong,
    or 'und' for names, acronyms, numbers and fragments too short to decide.
    Empty lines are skipped.

    \b
    Examples:
      coitool lang "Militaire dienstplicht"
      coitool lang "$(printf 'Haftbedingungen\\nПовестка в военкомат')"
      pdftotext report.pdf - | coitool lang - --langid langdetect
    """
    if context is not None and not (len(context) == 2 and context.isalpha()):
        raise click.BadParameter("expected an ISO 639-1 code such as nl", param_hint="--context")
    if text is None:
        raise click.UsageError("give TEXT, or '-' to read lines from stdin")
    source = sys.stdin.read() if text == "-" else text
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    if not lines:
        return
    from toolkit.lang.identify import get_identifier

    identifier = get_identifier(engine)
    guesses = run_guarded(identifier.detect_many, lines, context=context)
    for line, guess in zip(lines, guesses):
        click.echo(f"{guess.lang}\t{guess.confidence:.3f}\t{line}")
