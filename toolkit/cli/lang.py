"""``coitool lang``: the language of each line of text, for scripting and for checking the detector."""

from __future__ import annotations

import sys

import click

from toolkit.cli import CONTEXT_SETTINGS, run_guarded
from toolkit.text import REPORT_LANGUAGES


def _codes(ctx, param, value: str) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(code.strip().lower() for code in value.split(",") if code.strip()))
    if not codes or not all(len(code) == 2 and code.isalpha() for code in codes):
        raise click.BadParameter("expected ISO 639-1 codes separated by commas, such as nl,en,de,ru")
    return codes


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
@click.option(
    "--languages",
    default=",".join(REPORT_LANGUAGES),
    show_default=True,
    callback=_codes,
    metavar="CODES",
    help="The document's languages, main language first; answers are chosen among them.",
)
@click.option("--context", metavar="CODE", help="Language around the text: favoured a little, and the answer for lines without evidence of their own.")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    metavar="X",
    help="Print 'und' (or the --context language) for answers less sure than X. Default: always the most likely language.",
)
def lang(text: str | None, engine: str, languages: tuple[str, ...], context: str | None, min_confidence: float | None) -> None:
    """Print CODE<TAB>CONFIDENCE<TAB>LINE for each line of TEXT (or of stdin with '-').

    CODE is the most likely of the document's languages (--languages; Cyrillic
    lines are told by script), another ISO 639-1 code when a line of four words or
    more is clearly in a fifth language, or 'und' where there is no linguistic
    evidence: no letters, a lone name or acronym, or a line the identifiers
    disagree on with low confidence. Function words ("in the", "om te", "vor dem")
    count as evidence. Empty lines are skipped.

    \b
    Examples:
      coitool lang "Militaire dienstplicht"
      coitool lang "$(printf 'Haftbedingungen\\nПовестка в военкомат')"
      coitool lang "Russische Polizei" --min-confidence 0.9
      pdftotext report.pdf - | coitool lang - --langid langdetect --languages de,en
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

    try:
        identifier = get_identifier(engine, languages, prior=languages[0])
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--languages") from None
    guesses = run_guarded(identifier.detect_many, lines, context=context and context.lower(), min_confidence=min_confidence)
    for line, guess in zip(lines, guesses):
        click.echo(f"{guess.lang}\t{guess.confidence:.3f}\t{line}")
