"""The ``coitool`` command line: argument parsing only; the work happens in the library.

Subcommands that need heavy imports live in their own modules and are loaded
only when invoked, so ``coitool --help`` stays instant.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

from toolkit import __version__
from toolkit.errors import CoitoolError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# name -> ("module:attribute", one-line help shown by `coitool --help`)
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("toolkit.cli.extract:extract", "Extract PDF reports to TEI P5 XML (or JSON, or the HTML reading view)."),
    "validate": ("toolkit.cli.extract:validate", "Check TEI files against tei_all and coitool's own rules."),
    "sample": ("toolkit.cli.sample:sample", "Write a generated sample report PDF to try coitool on."),
    "lang": ("toolkit.cli.lang:lang", "Print the language of each line of text."),
    "translate": ("toolkit.cli.translate:translate", "Translate Russian fragments of a TEI file offline."),
    "models": ("toolkit.cli.translate:models", "Install, list and remove offline translation models."),
    "glossary": ("toolkit.cli.glossary:glossary", "Import, export and check glossaries (TSV, TBX)."),
    "view": ("toolkit.cli.view:view", "Write a TEI file as one self-contained HTML page to read."),
    "xliff": ("toolkit.cli.exchange:xliff", "Exchange translations with CAT tools as XLIFF (export, import)."),
    "tm": ("toolkit.cli.exchange:tm", "Export the translation memory (cache, TEI files) as TMX 1.4b."),
}


# Exit statuses of a run stopped by a signal, as shells report them (128 + signal number).
EXIT_INTERRUPTED = 130  # SIGINT, Ctrl-C
EXIT_TERMINATED = 143  # SIGTERM


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so that ``finally`` blocks remove temporary files."""


def _on_sigterm(signum, frame):  # pragma: no cover - exercised through a subprocess
    raise Terminated()


class LazyGroup(click.Group):
    def invoke(self, ctx: click.Context):
        """Run the command; a signal stops it with the usual status and one line, never a traceback.

        Outputs are written through a temporary file and a rename, so unwinding the stack
        here leaves no partial file behind.
        """
        import signal
        import threading

        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("Error: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Terminated:
            click.echo("Error: terminated", err=True)
            ctx.exit(EXIT_TERMINATED)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS:
            target, _ = LAZY_COMMANDS[name]
            module_name, attr = target.split(":")
            return getattr(importlib.import_module(module_name), attr)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, LAZY_COMMANDS[name][1]) for name in sorted(LAZY_COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger("toolkit")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="coitool")
@click.option("-v", "--verbose", count=True, help="More detail on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """coitool: Country-of-Origin-Information reports from PDF to TEI, tagged and translated.

    \b
    Examples:
      coitool sample outputs/sample.pdf && coitool extract outputs/sample.pdf
      coitool extract reports/ --out-dir tei/ --jobs 2
      coitool validate outputs/sample.tei.xml
      coitool translate outputs/sample.tei.xml --to en
    """
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
    ctx.obj["quiet"] = quiet
    setup_logging(verbose, quiet)


def fail(error: BaseException) -> "click.ClickException":
    """One line for the user, whatever went wrong."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else error.__class__.__name__
    return click.ClickException(message)


def run_guarded(func, *args, **kwargs):
    """Call library code; turn coitool's errors (and OS errors) into a one-line CLI error."""
    try:
        return func(*args, **kwargs)
    except (CoitoolError, OSError) as error:
        raise fail(error) from None


if __name__ == "__main__":  # pragma: no cover
    main()
