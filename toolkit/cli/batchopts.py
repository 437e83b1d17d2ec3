"""The batch options shared by extract, translate and validate, and the run's report on stderr."""

from __future__ import annotations

import os
import sys

import click

from toolkit.cli import EXIT_INTERRUPTED, EXIT_TERMINATED
from toolkit.errors import CoitoolError, UsageError


def batch_options(func):
    """--files-from, --out-dir, --manifest, --skip-existing, --timeout, --jobs, --dask, --silent."""
    options = [
        click.option("--files-from", "files_from", multiple=True, metavar="LIST",
                     help="Read input paths from LIST, one a line ('-': stdin; blank and # lines ignored)."),
        click.option("--manifest", metavar="FILE.jsonl", help="Append one JSON line per file (input, sha256, output, status, ...)."),
        click.option("--skip-existing", is_flag=True,
                     help="Skip inputs whose output exists and was made from the same input, version and options."),
        click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="S",
                     help="Stop a file after S seconds (its worker is killed; the file is marked timeout)."),
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                     help="Files processed in parallel (default: number of cores)."),
        click.option("--dask", metavar="ADDRESS|local",
                     help="Run on dask.distributed: a scheduler address (tcp://host:8786) or 'local' (--jobs worker processes)."),
        click.option("-s", "--silent", is_flag=True, help="No progress bar."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def quiet(ctx: click.Context) -> bool:
    while ctx is not None:
        if isinstance(ctx.obj, dict) and ctx.obj.get("quiet"):
            return True
        ctx = ctx.parent
    return False


def check_dask(address: str | None) -> None:
    if address is None:
        return
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise click.ClickException("--dask needs dask.distributed: pip install 'coitool[dask]'") from None


def guarded(func, *args, **kwargs):
    """Library errors as the CLI shows them: a usage error (exit 2) or one Error: line (exit 1)."""
    try:
        return func(*args, **kwargs)
    except UsageError as error:
        raise click.UsageError(str(error)) from None
    except (CoitoolError, OSError) as error:
        from toolkit.cli import fail

        raise fail(error) from None


def run_and_report(ctx: click.Context, tasks, *, verb: str, label: str, jobs: int | None, timeout, manifest,
                   dask: str | None, silent: bool, on_result=None) -> None:
    """Run the batch, print the errors and the summary, exit 0, 1, 130 or 143."""
    from toolkit.batch import run_batch, summary_line
    from toolkit.batch.runner import Progress

    be_quiet = quiet(ctx)
    workers = min(jobs or os.cpu_count() or 1, max(len(tasks), 1))
    progress = None
    if not (silent or be_quiet) and sys.stderr.isatty() and len(tasks) > 1:
        progress = Progress(len(tasks), label)
    outcome = guarded(run_batch, tasks, workers=workers, timeout=timeout, manifest=manifest, progress=progress,
                      dask=dask, on_result=on_result)
    for result in outcome.failed:
        click.echo(f"Error: {result['error']}", err=True)
    if not be_quiet:
        if len(tasks) > 1 or outcome.signum is not None or outcome.count("skipped"):
            click.echo(summary_line(outcome, verb, len(tasks)), err=True)
    if outcome.signum is not None:
        import signal

        ctx.exit(EXIT_INTERRUPTED if outcome.signum == signal.SIGINT else EXIT_TERMINATED if outcome.signum == signal.SIGTERM
                 else 128 + outcome.signum)
    if outcome.failed:
        ctx.exit(1)
