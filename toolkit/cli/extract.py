"""``coitool extract`` and ``coitool validate``."""

from __future__ import annotations

import logging
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import click

from toolkit.cli import CONTEXT_SETTINGS, fail
from toolkit.errors import CoitoolError, InputError

log = logging.getLogger("toolkit.cli")

DEFAULT_OUT_DIR = Path("outputs")


@dataclass
class Job:
    source: Path
    target: Path | None  # None: stdout
    format: str
    languages: bool
    langid: str


@dataclass
class Outcome:
    source: Path
    target: Path | None
    ok: bool
    message: str
    warnings: int = 0


def run_job(job: Job) -> Outcome:
    """Extract one file; never raises for a problem with that file."""
    from toolkit.extract.pipeline import extract
    from toolkit.jsonout import serialize_json
    from toolkit.io import write_atomic
    from toolkit.tei import document_to_tei, serialize

    try:
        doc = extract(job.source, languages=job.languages, langid=job.langid)
        if job.format == "json":
            data = serialize_json(doc)
        elif job.format == "html":
            from toolkit.view import tei_to_html

            data = tei_to_html(document_to_tei(doc))
        else:
            data = serialize(document_to_tei(doc))
        if job.target is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            write_atomic(data, job.target)
        summary = f"{len(doc.footnotes)} footnotes, {doc.source.page_count} pages"
        return Outcome(job.source, job.target, True, summary, len(doc.warnings))
    except CoitoolError as error:
        return Outcome(job.source, job.target, False, str(error).splitlines()[0])
    except MemoryError:
        return Outcome(job.source, job.target, False, f"{job.source}: out of memory")
    except Exception as error:  # a bug of ours must not stop the other files
        log.debug("unexpected error", exc_info=True)
        return Outcome(job.source, job.target, False, f"{job.source}: internal error ({error.__class__.__name__}: {error})")


def collect_inputs(inputs: tuple[str, ...]) -> list[Path]:
    files: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
            if not found:
                raise InputError(f"{path}: directory contains no PDF files")
            files.extend(found)
        else:
            files.append(path)
    return files


def target_for(source: Path, out: str | None, out_dir: str | None, fmt: str) -> Path | None:
    if out == "-":
        return None
    if out:
        return Path(out)
    suffix = {"tei": ".tei.xml", "json": ".json", "html": ".html"}[fmt]
    return Path(out_dir or DEFAULT_OUT_DIR) / (source.stem + suffix)


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-o", "--output", "out", metavar="OUT", help="Output file (one input only); '-' writes to stdout.")
@click.option("--out-dir", metavar="DIR", help="Folder for the outputs (default: outputs/).")
@click.option("--format", "fmt", type=click.Choice(["tei", "json", "html"]), default="tei", show_default=True,
              help="TEI P5 XML, the document model as JSON, or the reading view (HTML, as `coitool view`).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Files processed in parallel (default: number of cores).")
@click.option("--no-langid", is_flag=True, help="Skip language tagging (faster).")
@click.option("--langid", "langid", type=click.Choice(["lingua", "langdetect"]), default="lingua", show_default=True, help="Language identification engine.")
@click.option("-s", "--silent", is_flag=True, help="No progress bar.")
@click.pass_context
def extract(ctx, inputs, out, out_dir, fmt, jobs, no_langid, langid, silent):
    """Extract COI report PDFs to TEI P5 XML (or JSON, or the HTML reading view).

    INPUT is a PDF file or a folder searched for PDFs. Outputs go to
    outputs/<name>.tei.xml unless -o or --out-dir says otherwise.

    \b
    Examples:
      coitool extract report.pdf
      coitool extract report.pdf -o report.xml
      coitool extract report.pdf -o - | xmllint --format -
      coitool extract reports/ --out-dir tei/ --jobs 2
      coitool extract report.pdf --format json -o report.json
      coitool extract report.pdf --format html            # -> outputs/report.html

    Exit status: 0 all files done, 1 some failed, 2 usage error.
    """
    if out and out_dir:
        raise click.UsageError("use either -o/--output or --out-dir, not both")
    try:
        sources = collect_inputs(inputs)
    except CoitoolError as error:
        raise fail(error) from None
    if out and len(sources) > 1:
        raise click.UsageError("-o/--output takes one input; use --out-dir for several")
    job_list = [Job(s, target_for(s, out, out_dir, fmt), fmt, not no_langid, langid) for s in sources]
    targets = [j.target for j in job_list if j.target is not None]
    duplicates = {t for t in targets if targets.count(t) > 1}
    if duplicates:
        raise click.UsageError(f"several inputs would write {sorted(duplicates)[0]}; rename them or use separate runs")
    quiet = ctx.obj.get("quiet", False) if ctx.obj else False
    workers = min(jobs or os.cpu_count() or 1, len(job_list))
    outcomes = run_all(job_list, workers, show_progress=not (silent or quiet) and sys.stderr.isatty() and len(job_list) > 1)
    failed = [o for o in outcomes if not o.ok]
    for o in failed:
        click.echo(f"Error: {o.message}", err=True)
    if not quiet:
        for o in outcomes:
            if o.ok and o.target is not None and len(outcomes) == 1:
                click.echo(f"{o.source} -> {o.target} ({o.message}{', %d warnings' % o.warnings if o.warnings else ''})", err=True)
        if len(outcomes) > 1:
            click.echo(f"{len(outcomes) - len(failed)} of {len(outcomes)} files extracted, {len(failed)} failed.", err=True)
    if failed:
        ctx.exit(1)


def run_all(jobs: list[Job], workers: int, show_progress: bool) -> list[Outcome]:
    if workers <= 1 or len(jobs) == 1:
        if show_progress:
            with click.progressbar(jobs, label="Extracting", file=sys.stderr) as bar:
                return [run_job(j) for j in bar]
        return [run_job(j) for j in jobs]
    outcomes: list[Outcome] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = pool.map(run_job, jobs)
        if show_progress:
            with click.progressbar(results, length=len(jobs), label="Extracting", file=sys.stderr) as bar:
                outcomes.extend(bar)
        else:
            outcomes.extend(results)
    return outcomes


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="FILE.xml...")
@click.pass_context
def validate(ctx, files):
    """Check TEI files against TEI P5 tei_all and coitool's own rules.

    Our rules: every @target="#x" resolves, no duplicate or non-NCName xml:id,
    footnotes numbered 1..N without gaps, each anchored once in the text.

    \b
    Examples:
      coitool validate outputs/report.tei.xml
      coitool validate outputs/*.tei.xml
    """
    from toolkit.tei import validate_file

    bad = 0
    for name in files:
        try:
            problems = validate_file(name)
        except CoitoolError as error:
            click.echo(f"Error: {str(error).splitlines()[0]}", err=True)
            bad += 1
            continue
        if problems:
            bad += 1
            for problem in problems[:50]:
                click.echo(f"{name}: {problem}", err=True)
            if len(problems) > 50:
                click.echo(f"{name}: … {len(problems) - 50} more problems", err=True)
        elif not (ctx.obj or {}).get("quiet"):
            click.echo(f"{name}: valid")
    if bad:
        ctx.exit(1)
