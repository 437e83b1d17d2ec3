"""``coitool extract`` and ``coitool validate``."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from toolkit.cli import CONTEXT_SETTINGS
from toolkit.cli.batchopts import batch_options, check_dask, guarded, quiet, run_and_report

log = logging.getLogger("toolkit.cli")

DEFAULT_OUT_DIR = Path("outputs")


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("inputs", nargs=-1, metavar="INPUT...")
@click.option("-o", "--output", "out", metavar="OUT", help="Output file (one input only); '-' writes to stdout.")
@click.option("--out-dir", metavar="DIR", help="Folder for the outputs, mirroring the input folders (default: outputs/).")
@click.option("--format", "fmt", type=click.Choice(["tei", "json", "html"]), default="tei", show_default=True,
              help="TEI P5 XML, the document model as JSON, or the reading view (HTML, as `coitool view`).")
@click.option("--no-langid", is_flag=True, help="Skip language tagging (faster).")
@click.option("--langid", "langid", type=click.Choice(["lingua", "langdetect"]), default="lingua", show_default=True, help="Language identification engine.")
@batch_options
@click.pass_context
def extract(ctx, inputs, out, out_dir, fmt, no_langid, langid, files_from, manifest, skip_existing, timeout, jobs, dask, silent):
    """Extract COI report PDFs to TEI P5 XML (or JSON, or the HTML reading view).

    INPUT is a PDF file or a folder searched for PDFs (recursively). Outputs go to
    outputs/<name>.tei.xml unless -o or --out-dir says otherwise; the output folder
    mirrors the input folders. See docs/batch.md for manifests, skipping and Dask.

    \b
    Examples:
      coitool extract report.pdf
      coitool extract report.pdf -o report.xml
      coitool extract report.pdf -o - | xmllint --format -
      coitool extract reports/ --out-dir tei/ --jobs 2
      coitool extract archive/ --out-dir tei/ --skip-existing --manifest run.jsonl --timeout 300
      find archive -name '*.pdf' | coitool extract --files-from - --out-dir tei/
      coitool extract archive/ --out-dir tei/ --dask tcp://scheduler:8786
      coitool extract report.pdf --format json -o report.json
      coitool extract report.pdf --format html            # -> outputs/report.html

    Exit status: 0 all files done, 1 some failed, 2 usage error, 130/143 stopped by SIGINT/SIGTERM.
    """
    from toolkit.api import SUFFIXES, extraction_options
    from toolkit.batch import Task, collect, plan_outputs

    if not inputs and not files_from:
        raise click.UsageError("missing INPUT (a PDF, a folder) or --files-from LIST")
    if out and out_dir:
        raise click.UsageError("use either -o/--output or --out-dir, not both")
    if skip_existing and fmt != "tei":
        raise click.UsageError("--skip-existing reads the TEI header of the outputs: it needs --format tei")
    if out and (dask or manifest or timeout):
        raise click.UsageError("-o/--output runs one file here; use --out-dir with --dask, --manifest or --timeout")
    check_dask(dask)
    found = guarded(collect, inputs, files_from)
    if out and len(found) > 1:
        raise click.UsageError("-o/--output takes one input; use --out-dir for several")
    options = {"format": fmt, "languages": not no_langid, "langid": langid}
    options["record"] = extraction_options(languages=not no_langid, langid=langid)
    if out:
        target = None if out == "-" else out
        tasks = [Task(0, "extract", found[0].source, target, options, skip_existing)]
        _run_here(ctx, tasks[0])
        return
    pairs = guarded(plan_outputs, found, out_dir or str(DEFAULT_OUT_DIR), (".pdf",), SUFFIXES[fmt])
    tasks = [Task(i, "extract", source, target, options, skip_existing) for i, (source, target) in enumerate(pairs)]
    run_and_report(ctx, tasks, verb="extracted", label="Extracting", jobs=jobs, timeout=timeout, manifest=manifest,
                   dask=dask, silent=silent, on_result=_single_file_line(ctx, len(tasks)))


def _single_file_line(ctx, total: int):
    def report(result: dict) -> None:
        if total == 1 and result["status"] == "ok" and not quiet(ctx):
            click.echo(f"{result['input']} -> {result['output']} ({_summary(result)})", err=True)
    return report


def _summary(result: dict) -> str:
    text = f"{result.get('notes')} footnotes, {result.get('pages')} pages"
    return text + (f", {result['warnings']} warnings" if result.get("warnings") else "")


def _run_here(ctx, task) -> None:
    """One file with -o: in this process, to a file or to stdout."""
    from toolkit import api
    from toolkit.batch.tasks import read_bytes, run_task

    if task.target is not None:
        result = run_task(task)
        if result["status"] == "failed":
            click.echo(f"Error: {result['error']}", err=True)
            ctx.exit(1)
        if not quiet(ctx):
            if result["status"] == "skipped":
                click.echo(f"{task.source}: {task.target} is up to date, skipped", err=True)
            else:
                click.echo(f"{result['input']} -> {result['output']} ({_summary(result)})", err=True)
        return
    options = {k: v for k, v in task.options.items() if k != "record"}
    name = Path(task.source).name
    result = guarded(lambda: api.extract_bytes(read_bytes(task.source), name, label=task.source, **options))
    sys.stdout.buffer.write(result.data)
    sys.stdout.buffer.flush()


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("files", nargs=-1, metavar="FILE.xml...")
@click.option("--no-schema", is_flag=True, help="Only coitool's own rules, not tei_all (compiling it takes ~10 s per worker).")
@batch_options
@click.pass_context
def validate(ctx, files, no_schema, files_from, manifest, skip_existing, timeout, jobs, dask, silent):
    """Check TEI files against TEI P5 tei_all and coitool's own rules.

    Our rules: every @target="#x" resolves, no duplicate or non-NCName xml:id,
    footnotes numbered 1..N without gaps, each anchored once in the text.
    FILE may be a folder (searched for *.xml, recursively); --files-from reads a list.
    Each worker compiles tei_all once (about ten seconds): the default is one worker.

    \b
    Examples:
      coitool validate outputs/report.tei.xml
      coitool validate outputs/*.tei.xml
      coitool validate tei/ --jobs 2 --manifest validate.jsonl
    """
    from toolkit.batch import Task, collect

    if not files and not files_from:
        raise click.UsageError("missing FILE.xml (a file, a folder) or --files-from LIST")
    if skip_existing:
        raise click.UsageError("--skip-existing applies to extract and translate: validate writes no output")
    check_dask(dask)
    found = guarded(collect, files, files_from, (".xml",))
    options = {"schema": not no_schema}
    tasks = [Task(i, "validate", item.source, None, options) for i, item in enumerate(found)]

    def report(result: dict) -> None:
        if result["status"] == "ok" and not quiet(ctx):
            click.echo(f"{result['input']}: valid")
        for problem in result.get("problems") or []:
            click.echo(f"{result['input']}: {problem}", err=True)

    run_and_report(ctx, tasks, verb="valid", label="Validating", jobs=jobs or 1, timeout=timeout, manifest=manifest,
                   dask=dask, silent=silent, on_result=report)
